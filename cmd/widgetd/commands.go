//go:build !js

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// The operator commands: first setup and scripts, with the database in
// hand (no login needed, as with other self-hosted servers). Each is one
// call of package admin, so they obey the same rules as the API: the same
// password rules, the same trigger-set checks.

// opFlags parses a command's flags: those naming the store and the
// command's own.
func opFlags(name string, args []string, stderr io.Writer, define func(fl *flag.FlagSet)) (*storeFlags, error) {
	fl := flag.NewFlagSet("widgetd "+name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	sf := addStoreFlags(fl)
	define(fl)
	if err := fl.Parse(args); err != nil {
		return nil, err
	}
	if fl.NArg() > 0 {
		return nil, fmt.Errorf("%s: unexpected arguments %q", name, fl.Args())
	}
	return sf, nil
}

// openService opens the store the flags name for one command; with
// create, an embedded database that does not exist yet is created (the
// first command of a new server, user add).
func openService(ctx context.Context, sf *storeFlags, create bool) (*admin.Service, func(), error) {
	st, err := sf.open(ctx, create)
	if err != nil {
		return nil, nil, err
	}
	return admin.New(admin.Config{Store: st}), func() { st.Close() }, nil
}

// explain turns a domain error into the command's message, with every
// trigger-set problem on its own line.
func explain(err error) error {
	var e *store.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, p := range e.Problems {
		b.WriteString("\n\t" + p.Error())
	}
	return errors.New(b.String())
}

func userAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email string
	sf, err := opFlags("user add", args, stderr, func(fl *flag.FlagSet) {
		fl.StringVar(&email, "email", "", "the account's `email` address (required)")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("user add: -email is required (the password is read from standard input)")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, admin.MaxPasswordLen+2)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: reading the password from standard input: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return errors.New("user add: give the password on standard input, e.g. `printf '%s\\n' \"$PASSWORD\" | widgetd user add …`")
	}
	svc, done, err := openService(ctx, sf, true)
	if err != nil {
		return err
	}
	defer done()
	a, err := svc.AddAccount(ctx, email, password)
	if err != nil {
		return fmt.Errorf("user add: %w", explain(err))
	}
	fmt.Fprintf(stdout, "account %s created (id %d)\n", a.Email, a.ID)
	return nil
}

func propertyAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var owner, id, name, url, tz, setFile string
	sf, err := opFlags("property add", args, stderr, func(fl *flag.FlagSet) {
		fl.StringVar(&owner, "owner", "", "`email` of the account that owns it, as Admin (required)")
		fl.StringVar(&id, "id", "", "property `id`: the \"property\" of its trigger set and its URL segment (required)")
		fl.StringVar(&name, "name", "", "the property's `name` (required)")
		fl.StringVar(&url, "url", "", "the website's `URL`")
		fl.StringVar(&tz, "timezone", "", "its time `zone`, e.g. Europe/Paris (default UTC, or the set's)")
		fl.StringVar(&setFile, "set", "", "a trigger-set `file` to import as its first version, instead of a welcome trigger")
	})
	if err != nil {
		return err
	}
	if owner == "" || id == "" || name == "" {
		return errors.New("property add: -owner, -id and -name are required")
	}
	var set []byte
	if setFile != "" {
		if set, err = os.ReadFile(setFile); err != nil {
			return fmt.Errorf("property add: %w", err)
		}
	}
	svc, done, err := openService(ctx, sf, false)
	if err != nil {
		return err
	}
	defer done()
	st, err := svc.CreateProperty(ctx, admin.Operator("widgetd property add"), owner, admin.NewProperty{
		ID: id, Name: name, WebsiteURL: url, Timezone: tz, Set: set,
	})
	if err != nil {
		if setFile != "" {
			return fmt.Errorf("property add: %s: %w", setFile, explain(err))
		}
		return fmt.Errorf("property add: %w", explain(err))
	}
	fmt.Fprintf(stdout, "property %s (%s) created, owned by %s; its trigger set is published at /p/%s/triggers.json\n", st.ID, st.Name, owner, st.ID)
	return nil
}

func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var property, name string
	sf, err := opFlags("token create", args, stderr, func(fl *flag.FlagSet) {
		fl.StringVar(&property, "property", "", "the property `id` the token may act on (required)")
		fl.StringVar(&name, "name", "", "a `name` for the token, e.g. the CI job that uses it (required)")
	})
	if err != nil {
		return err
	}
	if property == "" || name == "" {
		return errors.New("token create: -property and -name are required")
	}
	svc, done, err := openService(ctx, sf, false)
	if err != nil {
		return err
	}
	defer done()
	_, secret, err := svc.CreateToken(ctx, admin.Operator("widgetd token create"), property, name)
	if err != nil {
		return fmt.Errorf("token create: %w", err)
	}
	// The secret alone on stdout, so scripts can capture it; it is shown
	// only this once (only its hash is stored).
	fmt.Fprintln(stdout, secret)
	fmt.Fprintf(stderr, "token %q created for property %s; it is shown only once: keep it now (e.g. as TRIGGERWIDGET_TOKEN in CI)\n", name, property)
	return nil
}
