//go:build !js

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/sqlite"
)

// serveStore wires widgetd's handler over a database opened with opts,
// as serve does, and returns its URL.
func serveStore(t *testing.T, dir string, opts ...sqlite.Option) (string, *admin.Service) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	srv, err := server.New(server.Config{Dist: os.DirFS(fakeDist(t)), Sets: svc, Admin: admin.NewHandler(svc, admin.HandlerConfig{})})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL, svc
}

// TestStorageFailuresKeepServing: when the database cannot take a write
// (a full disk, a read-only data directory), the API says so with 503 and
// a message naming the cause, and the published set keeps being served,
// unchanged.
func TestStorageFailuresKeepServing(t *testing.T) {
	ctx := context.Background()
	long := strings.Repeat("Lorem ipsum dolor sit amet. ", 35)
	tests := []struct {
		name string
		opt  func(dir string) sqlite.Option
		want string
	}{
		{"full disk", func(dir string) sqlite.Option {
			fi, err := os.Stat(filepath.Join(dir, sqlite.FileName))
			if err != nil {
				t.Fatal(err)
			}
			return sqlite.WithMaxPageCount(fi.Size() / 4096)
		}, "full"},
		{"read-only data directory", func(string) sqlite.Option { return sqlite.ReadOnly() }, "read-only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db, err := sqlite.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			svc := admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
			if _, err := svc.AddAccount(ctx, "ann@example.com", "correct horse battery"); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.CreateProperty(ctx, admin.Operator("test"), "ann@example.com", admin.NewProperty{ID: "acme", Name: "Acme"}); err != nil {
				t.Fatal(err)
			}
			_, token, err := svc.CreateToken(ctx, admin.Operator("test"), "acme", "t")
			if err != nil {
				t.Fatal(err)
			}
			db.Close()

			base, _ := serveStore(t, dir, tt.opt(dir))
			get := func() string {
				resp, err := http.Get(base + "/p/acme/triggers.json")
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 {
					t.Fatalf("GET /p/acme/triggers.json: %d %s", resp.StatusCode, b)
				}
				return string(b)
			}
			before := get()
			for i := range 19 { // fills any page budget the database had left
				var e struct {
					Error struct{ Code, Message string } `json:"error"`
				}
				st, _, err := call("POST", base+"/api/v1/properties/acme/triggers", token,
					map[string]any{"type": "site", "name": "Big " + string(rune('a'+i)), "message": map[string]any{"text": long}, "agent": map[string]any{"name": "Ann"}}, &e)
				if err != nil {
					t.Fatal(err)
				}
				if st == http.StatusCreated {
					continue
				}
				if st != http.StatusServiceUnavailable || e.Error.Code != "unavailable" || !strings.Contains(e.Error.Message, tt.want) {
					t.Fatalf("write %d: %d %+v; want 503 unavailable saying %q", i, st, e, tt.want)
				}
				if got := get(); got != before && i == 0 {
					t.Errorf("the published set changed after a refused write")
				}
				var v struct {
					Versions []json.RawMessage `json:"versions"`
				}
				if st, _, err := call("GET", base+"/api/v1/properties/acme/versions", token, nil, &v); err != nil || st != 200 {
					t.Errorf("reading the history of a store that refuses writes: %d %v", st, err)
				}
				return
			}
			t.Fatal("19 large writes all succeeded: the storage failure was not simulated")
		})
	}
}
