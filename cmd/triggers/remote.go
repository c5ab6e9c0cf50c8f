package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// tokenEnv names the environment variable that holds the API token.
const tokenEnv = "TRIGGERWIDGET_TOKEN"

const pushHelp = `Usage: triggers push -server URL -property ID [-if-version N] SET.json

Publishes SET.json as the property's trigger set through widgetd's API,
with the API token in $TRIGGERWIDGET_TOKEN (create one in the admin under
API tokens, or with "widgetd token create"). The server checks the set
exactly as "triggers validate" does; when it refuses the set, every
problem is printed as validate prints it and nothing is published:

	SET.json:LINE:COL: trigger "ID": FIELD: PROBLEM [CODE]

push publishes on top of one version only, so that a change made in the
admin in the meantime is reported (exit 1) instead of overwritten: with
-if-version N, version N (pull reports the version it wrote: give it to
cover the whole pull, edit, push); without, the version published when
push starts. A set equal to the published one publishes nothing
("unchanged").

Flags:
	-server URL     widgetd's address, e.g. https://chat.example.com
	-property ID    the property whose set to replace

Exit status: 0 published or unchanged, 1 the server refused the set (its
problems, or a concurrent change), 2 bad usage, an unreadable file, or the
server could not be reached or refused the token.
`

const pullHelp = `Usage: triggers pull -server URL -property ID [-o FILE]

Writes the property's published trigger set (in the canonical layout of
"triggers fmt") to standard output, or to FILE with -o, and its version
number to standard error (for push -if-version). The API token is read
from $TRIGGERWIDGET_TOKEN.

Exit status: 0 written, 2 bad usage, an unwritable file, or the server
could not be reached or refused the token.
`

// client talks to widgetd's API.
type client struct {
	base     *url.URL
	property string
	token    string
	http     *http.Client
}

// apiFailure is an error answer of the API.
type apiFailure struct {
	Status   int
	Code     string `json:"code"`
	Message  string `json:"message"`
	Problems []struct {
		widget.FieldError
		Line int `json:"line"`
		Col  int `json:"col"`
	} `json:"problems"`
}

func (f *apiFailure) Error() string {
	return fmt.Sprintf("%s (HTTP %d)", f.Message, f.Status)
}

func remoteFlags(name, help string, args []string, stdout, stderr io.Writer, extra func(*flag.FlagSet)) (*client, []string, int, bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	server := fs.String("server", "", "")
	property := fs.String("property", "", "")
	if extra != nil {
		extra(fs)
	}
	files, code, done := parseFlags(fs, help, args, stdout, stderr)
	if done {
		return nil, nil, code, true
	}
	fail := func(msg string) (*client, []string, int, bool) {
		fmt.Fprintf(stderr, "triggers %s: %s\nRun \"triggers help %s\" for usage.\n", name, msg, name)
		return nil, nil, exitUsage, true
	}
	if *server == "" || *property == "" {
		return fail("-server and -property are required")
	}
	base, err := url.Parse(strings.TrimRight(*server, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return fail(fmt.Sprintf("-server %q is not an http or https URL", *server))
	}
	token := strings.TrimSpace(os.Getenv(tokenEnv))
	if token == "" {
		return fail("$" + tokenEnv + " is not set: create an API token in the admin (API tokens) or with `widgetd token create`")
	}
	c := &client{base: base, property: *property, token: token, http: &http.Client{Timeout: 60 * time.Second}}
	return c, files, exitOK, false
}

func (c *client) setURL() string {
	return c.base.String() + "/api/v1/properties/" + url.PathEscape(c.property) + "/triggerset"
}

// do sends a request and returns the body of a 2xx answer, or an
// *apiFailure.
func (c *client) do(method, u string, body []byte, header map[string]string) ([]byte, http.Header, error) {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode/100 == 2 {
		return data, resp.Header, nil
	}
	var wrapper struct {
		Error apiFailure `json:"error"`
	}
	if json.Unmarshal(data, &wrapper) != nil || wrapper.Error.Message == "" {
		wrapper.Error.Message = "unexpected answer " + resp.Status + " from " + u
	}
	wrapper.Error.Status = resp.StatusCode
	return nil, nil, &wrapper.Error
}

func runPush(args []string, stdout, stderr io.Writer) int {
	var ifVersion int64
	c, files, code, done := remoteFlags("push", pushHelp, args, stdout, stderr, func(fs *flag.FlagSet) {
		fs.Int64Var(&ifVersion, "if-version", 0, "")
	})
	if done {
		return code
	}
	if ifVersion < 0 {
		fmt.Fprintf(stderr, "triggers push: -if-version must be a version number, as pull reports it\n")
		return exitUsage
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "triggers push: give one SET.json\nRun \"triggers help push\" for usage.\n")
		return exitUsage
	}
	name := files[0]
	data, err := readInput(name, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "triggers push: %v\n", err)
		return exitUsage
	}
	// On top of the version the set was pulled from, when given; else of
	// the one published now.
	base := `"v` + strconv.FormatInt(ifVersion, 10) + `"`
	if ifVersion == 0 {
		_, h, err := c.do(http.MethodGet, c.setURL(), nil, nil)
		if err != nil {
			return remoteFailure(stderr, "push", name, err)
		}
		base = h.Get("ETag")
	}
	body, _, err := c.do(http.MethodPut, c.setURL(), data, map[string]string{"If-Match": base})
	if err != nil {
		return remoteFailure(stderr, "push", name, err)
	}
	var res struct {
		Version  int64               `json:"version"`
		Changed  bool                `json:"changed"`
		Warnings []widget.FieldError `json:"warnings"`
	}
	if err := json.Unmarshal(body, &res); err != nil {
		fmt.Fprintf(stderr, "triggers push: the server's answer cannot be read: %v\n", err)
		return exitUsage
	}
	for _, w := range strict.Locate(data, res.Warnings) {
		fmt.Fprintln(stdout, problemLine(displayName(name), w, true))
	}
	if res.Changed {
		fmt.Fprintf(stdout, "%s: published as version %d of property %s\n", displayName(name), res.Version, c.property)
	} else {
		fmt.Fprintf(stdout, "%s: unchanged (version %d of property %s is the same set)\n", displayName(name), res.Version, c.property)
	}
	return exitOK
}

func runPull(args []string, stdout, stderr io.Writer) int {
	var out string
	c, files, code, done := remoteFlags("pull", pullHelp, args, stdout, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "o", "", "")
	})
	if done {
		return code
	}
	if len(files) != 0 {
		fmt.Fprintf(stderr, "triggers pull: unexpected arguments %q (use -o FILE to write a file)\n", files)
		return exitUsage
	}
	data, h, err := c.do(http.MethodGet, c.setURL(), nil, nil)
	if err != nil {
		return remoteFailure(stderr, "pull", "", err)
	}
	if out == "" {
		_, _ = stdout.Write(data)
	} else if err := atomicfile.WriteFile(out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "triggers pull: %v\n", err)
		return exitUsage
	}
	if v, ok := setVersion(h.Get("ETag")); ok {
		fmt.Fprintf(stderr, "triggers pull: version %d of property %s (push -if-version %d publishes on top of it only)\n", v, c.property, v)
	}
	return exitOK
}

// remoteFailure prints why a request failed and returns the exit status:
// 1 for a refused set or a concurrent change, 2 for everything else.
func remoteFailure(stderr io.Writer, cmd, name string, err error) int {
	var f *apiFailure
	if !errors.As(err, &f) {
		fmt.Fprintf(stderr, "triggers %s: %v\n", cmd, err)
		return exitUsage
	}
	switch {
	case f.Status == http.StatusUnprocessableEntity && len(f.Problems) > 0:
		for _, p := range f.Problems {
			fmt.Fprintln(stderr, problemLine(displayName(name), strict.Problem{FieldError: p.FieldError, Line: p.Line, Col: p.Col}, false))
		}
		fmt.Fprintf(stderr, "%s: not published: %s\n", displayName(name), plural(len(f.Problems), "problem"))
		return exitProblem
	case f.Status == http.StatusConflict:
		fmt.Fprintf(stderr, "triggers %s: not published: %s\n", cmd, f.Message)
		return exitProblem
	}
	fmt.Fprintf(stderr, "triggers %s: %v\n", cmd, f)
	return exitUsage
}

// setVersion reads the version number in a trigger set's ETag ("v12",
// docs/api.md).
func setVersion(etag string) (int64, bool) {
	rest, ok := strings.CutPrefix(etag, `"v`)
	if !ok || !strings.HasSuffix(rest, `"`) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(rest, `"`), 10, 64)
	return n, err == nil && n > 0
}
