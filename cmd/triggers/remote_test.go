//go:build !js

package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/sqlite"
)

// remote starts widgetd's API over a fresh database holding property
// "acme" (owned by ann@example.com) and sets $TRIGGERWIDGET_TOKEN to a
// token of it. It returns the server's URL.
func remote(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	op := admin.Operator("test")
	if _, err := svc.AddAccount(ctx, "ann@example.com", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateProperty(ctx, op, "ann@example.com", admin.NewProperty{ID: "acme", Name: "Acme"}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := svc.CreateToken(ctx, op, "acme", "ci")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(tokenEnv, secret)
	srv := httptest.NewServer(admin.NewHandler(svc, admin.HandlerConfig{}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func runRemote(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb strings.Builder
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestPushPull(t *testing.T) {
	url := remote(t)
	dir := t.TempDir()
	set := filepath.Join(dir, "acme.json")
	if err := os.WriteFile(set, []byte(`{"version":1,"property":"acme","triggers":[
		{"id":"hi","type":"site","message":{"text":"Hello <3"},"agent":{"name":"Ann"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := runRemote(t, "push", "-server", url, "-property", "acme", set)
	if code != exitOK || !strings.Contains(out, "published as version 2 of property acme") {
		t.Fatalf("push: exit %d, stdout %q, stderr %q; want 0 and version 2", code, out, errs)
	}
	code, out, _ = runRemote(t, "push", "-server", url, "-property", "acme", set)
	if code != exitOK || !strings.Contains(out, "unchanged") {
		t.Fatalf("second push: exit %d, stdout %q; want 0 and unchanged", code, out)
	}

	code, out, errs = runRemote(t, "pull", "-server", url, "-property", "acme")
	if code != exitOK || !strings.Contains(out, `"text": "Hello <3"`) || !strings.Contains(out, `"id": "hi"`) {
		t.Fatalf("pull: exit %d, stdout %q, stderr %q; want the pushed set, formatted", code, out, errs)
	}
	pulled := filepath.Join(dir, "pulled.json")
	if code, _, errs := runRemote(t, "pull", "-server", url, "-property", "acme", "-o", pulled); code != exitOK {
		t.Fatalf("pull -o: exit %d, stderr %q", code, errs)
	}
	if got, _ := os.ReadFile(pulled); string(got) != out {
		t.Errorf("pull -o wrote %q, want what pull printed %q", got, out)
	}
}

func TestPushRefusedSetPrintsEveryProblem(t *testing.T) {
	url := remote(t)
	data, err := os.ReadFile(filepath.Join("testdata", "bad-regex.json"))
	if err != nil {
		t.Fatal(err)
	}
	set := filepath.Join(t.TempDir(), "bad.json")
	// Published as acme, the test data's property.
	if err := os.WriteFile(set, data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runRemote(t, "push", "-server", url, "-property", "acme", set)
	if code != exitProblem {
		t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, exitProblem, out, errs)
	}
	for _, want := range []string{
		set + `:8:43: trigger "docs": url.value:`,
		`[bad_regex]`,
		`trigger "search": conditions[1].value:`,
		"not published: 2 problems",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// Nothing was published.
	_, pulled, _ := runRemote(t, "pull", "-server", url, "-property", "acme")
	if !strings.Contains(pulled, "Welcome message") {
		t.Errorf("after a refused push the published set changed:\n%s", pulled)
	}
}

func TestPushPullFailures(t *testing.T) {
	url := remote(t)
	set := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(set, []byte(`{"version":1,"property":"acme","triggers":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token string
		args  []string
		code  int
		want  string
	}{
		{"no server", "keep", []string{"push", "-property", "acme", set}, exitUsage, "-server and -property are required"},
		{"not a URL", "keep", []string{"push", "-server", "ftp://x", "-property", "acme", set}, exitUsage, "not an http or https URL"},
		{"no token", "", []string{"push", "-server", url, "-property", "acme", set}, exitUsage, "$TRIGGERWIDGET_TOKEN is not set"},
		{"revoked token", "twk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", []string{"pull", "-server", url, "-property", "acme"}, exitUsage, "unknown or was revoked (HTTP 401)"},
		{"other property", "keep", []string{"pull", "-server", url, "-property", "globex"}, exitUsage, `no property "globex" (HTTP 404)`},
		{"two files", "keep", []string{"push", "-server", url, "-property", "acme", set, set}, exitUsage, "give one SET.json"},
		{"missing file", "keep", []string{"push", "-server", url, "-property", "acme", set + ".nope"}, exitUsage, "no such file"},
	}
	keep := os.Getenv(tokenEnv)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token
			if tok == "keep" {
				tok = keep
			}
			t.Setenv(tokenEnv, tok)
			code, _, errs := runRemote(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.want)
			}
		})
	}
}

// pull reports the version it wrote, and push -if-version publishes on
// top of that version only: a change made in the admin between the pull
// and the push is reported (exit 1), not overwritten.
func TestPushIfVersionCoversPullEditPush(t *testing.T) {
	url := remote(t)
	dir := t.TempDir()
	mine := filepath.Join(dir, "acme.json")
	code, _, errs := runRemote(t, "pull", "-server", url, "-property", "acme", "-o", mine)
	if code != exitOK || !strings.Contains(errs, "version 1 of property acme") {
		t.Fatalf("pull: exit %d, stderr %q; want it to name version 1", code, errs)
	}
	// Someone publishes meanwhile.
	other := filepath.Join(dir, "other.json")
	if err := os.WriteFile(other, []byte(`{"version":1,"property":"acme","triggers":[
		{"id":"theirs","type":"site","message":{"text":"Theirs"},"agent":{"name":"Bob"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runRemote(t, "push", "-server", url, "-property", "acme", other); code != exitOK {
		t.Fatalf("the other push: exit %d, %q %q", code, out, errs)
	}
	// The edited pull, pushed on top of what it was pulled from.
	if err := os.WriteFile(mine, []byte(`{"version":1,"property":"acme","triggers":[
		{"id":"mine","type":"site","message":{"text":"Mine"},"agent":{"name":"Ann"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runRemote(t, "push", "-server", url, "-property", "acme", "-if-version", "1", mine)
	if code != exitProblem || !strings.Contains(errs, "not published") {
		t.Fatalf("push -if-version 1 after another publish: exit %d, stdout %q, stderr %q; want 1, not published", code, out, errs)
	}
	_, pulled, _ := runRemote(t, "pull", "-server", url, "-property", "acme")
	if !strings.Contains(pulled, "theirs") {
		t.Errorf("the other publish was overwritten: %s", pulled)
	}
	if code, out, errs := runRemote(t, "push", "-server", url, "-property", "acme", "-if-version", "2", mine); code != exitOK || !strings.Contains(out, "version 3") {
		t.Errorf("push -if-version 2: exit %d, %q %q; want version 3", code, out, errs)
	}
	if code, _, _ := runRemote(t, "push", "-server", url, "-property", "acme", "-if-version", "-1", mine); code != exitUsage {
		t.Errorf("push -if-version -1: exit %d, want %d", code, exitUsage)
	}
}
