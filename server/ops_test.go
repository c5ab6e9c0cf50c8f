package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// /healthz asks the database, and names the problem when it does not
// answer without repeating the cause's details (kept for the log).
func TestHealthzReportsTheDatabase(t *testing.T) {
	t.Parallel()
	var fail error
	f := newFixtureWith(t, Config{Sets: NewMemorySets(), Health: func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("the health check has no deadline")
		}
		return fail
	}}, nil)
	resp := do(t, f.srv, "GET", "/healthz", nil)
	var got map[string]string
	if err := json.Unmarshal([]byte(body(t, resp)), &got); err != nil || resp.StatusCode != 200 || got["status"] != "ok" || got["database"] != "ok" {
		t.Errorf("healthy: %d %v (%v); want 200 with status and database ok", resp.StatusCode, got, err)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}

	fail = store.Wrap(store.Unavailable, errors.New("dial tcp 10.0.0.5:5432: connection refused"), "cannot reach the database")
	resp = do(t, f.srv, "GET", "/healthz", nil)
	b := body(t, resp)
	got = nil
	if err := json.Unmarshal([]byte(b), &got); err != nil || resp.StatusCode != 503 || got["status"] != "unavailable" || got["database"] != "cannot reach the database" {
		t.Errorf("database down: %d %s; want 503 naming the problem", resp.StatusCode, b)
	}
	if strings.Contains(b, "10.0.0.5") {
		t.Errorf("the answer %s repeats the cause's details", b)
	}
	if recs := f.logs.find(t, map[string]any{"msg": "health check failed"}); len(recs) != 1 || !strings.Contains(recs[0]["error"].(string), "10.0.0.5") {
		t.Errorf("want the whole error logged once, got %v", recs)
	}

	fail = errors.New("something internal")
	resp = do(t, f.srv, "HEAD", "/healthz", nil)
	if resp.StatusCode != 503 || body(t, resp) != "" {
		t.Errorf("HEAD with the database down: %d; want 503 without a body", resp.StatusCode)
	}
}

// Every response carries a request id: the caller's when it is sane, a
// new one (different for each request) otherwise.
func TestRequestID(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	seen := map[string]bool{}
	for _, path := range []string{"/healthz", "/p/acme/triggers.json", "/widget/widget.js", "/nope"} {
		id := do(t, f.srv, "GET", path, nil).Header.Get(RequestIDHeader)
		if !saneRequestID(id) || seen[id] {
			t.Errorf("GET %s: X-Request-Id %q; want a new sane id", path, id)
		}
		seen[id] = true
	}
	for in, keep := range map[string]bool{
		"abc-123":               true,
		"4b0f6c1e2d3a:1.2_x":    true,
		strings.Repeat("a", 64): true,
		strings.Repeat("a", 65): false,
		"has space":             false,
		"<script>":              false,
		"line\r\nX-Injected: 1": false,
		"caf\u00e9":             false,
		"semi;colon":            false,
	} {
		got := do(t, f.srv, "GET", "/healthz", map[string]string{RequestIDHeader: in}).Header.Get(RequestIDHeader)
		if keep != (got == in) || !saneRequestID(got) {
			t.Errorf("incoming X-Request-Id %q: answered %q (keep it: %v)", in, got, keep)
		}
	}
}

// A handler wrapped by LogHandler names the request in every record
// logged with its context, and nothing outside a request.
func TestLogHandlerCarriesRequestID(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	log := slog.New(LogHandler(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))).With("component", "test")
	srv, err := New(Config{Dist: testDist(), Sets: NewMemorySets(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	do(t, srv, "GET", "/healthz", map[string]string{RequestIDHeader: "req-42"})
	do(t, srv, "GET", "/p/unknown/triggers.json", map[string]string{RequestIDHeader: "req-43"})
	log.Info("outside")
	recs := logs.records(t)
	if len(recs) != 3 {
		t.Fatalf("records %v; want two request records and one outside", recs)
	}
	for i, want := range []any{"req-42", "req-43", nil} {
		if recs[i]["request_id"] != want || recs[i]["component"] != "test" {
			t.Errorf("record %d: %v; want request_id %v and the logger's own attributes", i, recs[i], want)
		}
	}
}
