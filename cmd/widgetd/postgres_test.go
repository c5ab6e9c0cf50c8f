//go:build !js

package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/internal/pgtest"
	"github.com/triggerwidget/triggerwidget/postgres"
)

// With -db, the operator commands and the server use the PostgreSQL
// database: what the commands create, the server serves, and what the
// API writes is in that database.
func TestPostgresFlag(t *testing.T) {
	dbURL := pgtest.Database(t)
	if _, _, err := op(t, "correct horse battery\n", "user", "add", "-db", dbURL, "-email", "ann@example.com"); err != nil {
		t.Fatalf("user add -db: %v", err)
	}
	if _, _, err := op(t, "", "property", "add", "-db", dbURL, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme"); err != nil {
		t.Fatalf("property add -db: %v", err)
	}
	out, _, err := op(t, "", "token", "create", "-db", dbURL, "-property", "acme", "-name", "ci")
	if err != nil {
		t.Fatalf("token create -db: %v", err)
	}
	token := strings.TrimSpace(out)

	w := startWith(t, "-db", dbURL, "-dist", fakeDist(t), "-site", "")
	if st, _, err := call("POST", w.base+"/api/v1/properties/acme/triggers", token, trigger("pricing", "Questions about pricing?"), nil); err != nil || st != http.StatusCreated {
		t.Fatalf("POST trigger through widgetd -db: %d %v\n%s", st, err, w.log)
	}
	resp, err := http.Get(w.base + "/p/acme/triggers.json")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(served), "Questions about pricing?") {
		t.Errorf("GET /p/acme/triggers.json: %d %s; want the trigger just written", resp.StatusCode, served)
	}

	db, err := postgres.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := db.Published(t.Context(), "acme")
	if err != nil || v.Number != 2 || !strings.Contains(string(v.Data), "Questions about pricing?") {
		t.Errorf("the database's published set: %v, %v; want version 2 with the trigger", v, err)
	}
}

// -db refuses what is not a PostgreSQL URL, refuses -data beside it, and
// never prints the URL's password.
func TestPostgresFlagErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a path", []string{"-db", "/var/lib/widgetd"}, "not a postgres:// URL"},
		{"with -data", []string{"-data", t.TempDir(), "-db", "postgres://127.0.0.1/x"}, "-data and -db name two different stores"},
		{"unreachable", []string{"-db", "postgres://ann:s3cret@127.0.0.1:1/x?connect_timeout=5"}, "-db postgres://ann:xxxxx@127.0.0.1:1/x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := op(t, "", append([]string{"token", "create", "-property", "acme", "-name", "ci"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("token create %q: %v; want an error containing %q, without the password", c.args, err, c.want)
			}
		})
	}
}
