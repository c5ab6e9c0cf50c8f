//go:build !js

package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/internal/pgtest"
)

// served is what widgetd answers at path, uncompressed.
func served(t *testing.T, base, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", base+path, nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, data)
	}
	return data
}

func TestExportCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	dist := fakeDist(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, _, err := op(t, "", "export", "-data", data, "-out", out, "-dist", dist); err == nil || !strings.Contains(err.Error(), "no data directory") {
		t.Errorf("export before any account: %v; want the missing data directory named", err)
	}
	seed(t, data)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "-data", data, "-dist", dist}, "-out is required"},
		{[]string{"export", "-data", data, "-out", out, "-dist", t.TempDir()}, "has no widget.js"},
		{[]string{"export", "-data", data, "-out", out, "-dist", dist, "extra"}, "unexpected arguments"},
	} {
		if _, _, err := op(t, "", tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v; want an error saying %q", tt.args, err, tt.want)
		}
	}
	stdout, _, err := op(t, "", "export", "-data", data, "-out", out, "-dist", dist)
	if err != nil || !strings.Contains(stdout, "exported the widget, 1 property and 0 uploads to "+out) {
		t.Fatalf("export: %q, %v", stdout, err)
	}
	if b, err := os.ReadFile(filepath.Join(out, "widget", "widget.js")); err != nil || string(b) != "// widget\n" {
		t.Errorf("widget/widget.js: %q, %v", b, err)
	}
	set, err := os.ReadFile(filepath.Join(out, "p", "acme", "triggers.json"))
	if err != nil {
		t.Fatal(err)
	}
	w := start(t, data, dist)
	if got := served(t, w.base, "/p/acme/triggers.json"); !bytes.Equal(got, set) {
		t.Errorf("the exported set differs from what widgetd serves:\n%s\n%s", set, got)
	}
	stdout, _, err = op(t, "", "export", "-data", data, "-out", out, "-dist", dist)
	if err != nil || !strings.Contains(stdout, "(0 files written,") {
		t.Errorf("export again: %q, %v; want nothing written", stdout, err)
	}
}

// widgetd -export writes the tree at start and rewrites a set as soon as
// the API has written it.
func TestExportFlagFollowsWrites(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	token := seed(t, data)
	out := filepath.Join(t.TempDir(), "tree")
	w := startWith(t, "-data", data, "-dist", fakeDist(t), "-site", "", "-export", out)
	setFile := filepath.Join(out, "p", "acme", "triggers.json")
	if _, err := os.Stat(setFile); err != nil {
		t.Fatalf("no set in the tree at start: %v\n%s", err, w.log)
	}
	if st, _, err := call("POST", w.base+"/api/v1/properties/acme/triggers", token, trigger("pricing", "Questions about pricing?"), nil); err != nil || st != http.StatusCreated {
		t.Fatalf("POST trigger: %d %v\n%s", st, err, w.log)
	}
	set, _ := os.ReadFile(setFile)
	if !strings.Contains(string(set), "Questions about pricing?") {
		t.Errorf("p/acme/triggers.json after the write: %s", set)
	}
	if got := served(t, w.base, "/p/acme/triggers.json"); !bytes.Equal(got, set) {
		t.Errorf("the exported set differs from what widgetd serves:\n%s\n%s", set, got)
	}
}

// On PostgreSQL, widgetd -export follows the publishes of other
// processes sharing the database: another widgetd's API write and an
// operator command's new property reach the tree within a second.
func TestExportFlagFollowsOtherInstances(t *testing.T) {
	dbURL := pgtest.Database(t)
	if _, _, err := op(t, "correct horse battery\n", "user", "add", "-db", dbURL, "-email", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := op(t, "", "property", "add", "-db", dbURL, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := op(t, "", "token", "create", "-db", dbURL, "-property", "acme", "-name", "ci")
	if err != nil {
		t.Fatal(err)
	}
	dist := fakeDist(t)
	out := filepath.Join(t.TempDir(), "tree")
	exporting := startWith(t, "-db", dbURL, "-dist", dist, "-site", "", "-export", out)
	other := startWith(t, "-db", dbURL, "-dist", dist, "-site", "")

	within := func(what, file, text string) {
		t.Helper()
		deadline := time.Now().Add(time.Second)
		for {
			b, _ := os.ReadFile(filepath.Join(out, file))
			if strings.Contains(string(b), text) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s is not in the tree a second later (it has %q)\n%s", what, text, b, exporting.log)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if st, _, err := call("POST", other.base+"/api/v1/properties/acme/triggers", strings.TrimSpace(tok), trigger("pricing", "Written through the other instance"), nil); err != nil || st != http.StatusCreated {
		t.Fatalf("POST trigger through the other instance: %d %v\n%s", st, err, other.log)
	}
	within("an API write on another instance", "p/acme/triggers.json", "Written through the other instance")
	if _, _, err := op(t, "", "property", "add", "-db", dbURL, "-owner", "ann@example.com", "-id", "second", "-name", "Second"); err != nil {
		t.Fatal(err)
	}
	within("a property added by the operator command", "p/second/triggers.json", `"property": "second"`)
}

// widgetd -export refuses to start when it cannot write the tree, naming
// the directory, rather than failing at the first publish.
func TestExportFlagUnwritable(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	seed(t, data)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := op(t, "", "-addr", "127.0.0.1:0", "-data", data, "-dist", fakeDist(t), "-site", "", "-export", filepath.Join(file, "tree"))
	if err == nil || !strings.Contains(err.Error(), "-export "+filepath.Join(file, "tree")) {
		t.Errorf("widgetd -export under a file: %v; want it refused, naming the directory", err)
	}
}
