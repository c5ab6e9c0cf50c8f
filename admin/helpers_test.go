//go:build !js

package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
)

// cheap makes argon2id fast enough for tests.
var cheap = admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}

// start is the fake clock's first reading.
var start = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock { return &fakeClock{t: start} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server under test: a Service over a fresh SQLite store,
// behind the API handler in an httptest server.
type env struct {
	st    store.Store
	svc   *admin.Service
	srv   *httptest.Server
	clock *fakeClock
}

type envConfig struct {
	handler admin.HandlerConfig
	tls     bool
	dir     string // an existing data directory; "" for a new one
	// wrap, when not nil, puts a store between the service and SQLite.
	wrap func(store.Store) store.Store
}

func newEnv(t *testing.T) *env { return newEnvWith(t, envConfig{}) }

func newEnvWith(t *testing.T, cfg envConfig) *env {
	t.Helper()
	dir := cfg.dir
	if dir == "" {
		dir = t.TempDir()
	}
	st, err := sqlite.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	e := &env{st: st, clock: newClock()}
	var svcStore store.Store = st
	if cfg.wrap != nil {
		svcStore = cfg.wrap(st)
	}
	e.svc = admin.New(admin.Config{Store: svcStore, Now: e.clock.Now, Password: cheap})
	h := admin.NewHandler(e.svc, cfg.handler)
	if cfg.tls {
		e.srv = httptest.NewTLSServer(h)
	} else {
		e.srv = httptest.NewServer(h)
	}
	t.Cleanup(func() {
		e.srv.Close()
		if err := st.Close(); err != nil {
			t.Errorf("closing the store: %v", err)
		}
	})
	return e
}

// caller is who sends a request: a session cookie, a bearer token, or
// nothing (anonymous).
type caller struct {
	session string
	bearer  string
}

var anon = caller{}

// resp is an answer, read whole.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
	Cookie *http.Cookie // the session cookie set by the answer, if any
}

func (r *resp) String() string {
	return fmt.Sprintf("%d %s", r.Status, bytes.TrimSpace(r.Body))
}

// do sends a request. body is nil, a string or []byte (sent as is), or
// any other value (sent as JSON). hdr holds header name, value pairs.
func (e *env) do(t testing.TB, c caller, method, path string, body any, hdr ...string) *resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encoding the body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.session != "" {
		req.AddCookie(&http.Cookie{Name: "tw_session", Value: c.session})
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	out := &resp{Status: res.StatusCode, Header: res.Header, Body: data}
	for _, ck := range res.Cookies() {
		if ck.Name == "tw_session" {
			out.Cookie = ck
		}
	}
	return out
}

// want fails the test unless r has status.
func want(t testing.TB, r *resp, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body: %s", r.Status, status, bytes.TrimSpace(r.Body))
	}
}

// decodeJSON decodes r's body into v.
func decodeJSON(t testing.TB, r *resp, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body is not the JSON expected (%v): %s", err, r.Body)
	}
}

// apiErr is the error body of the API.
type apiErr struct {
	Error struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Problems []struct {
			TriggerID string `json:"triggerId"`
			Index     int    `json:"index"`
			Field     string `json:"field"`
			Code      string `json:"code"`
			Message   string `json:"message"`
			Line      int    `json:"line"`
			Col       int    `json:"col"`
		} `json:"problems"`
	} `json:"error"`
}

// wantError fails the test unless r is a JSON error with status and code,
// and returns it.
func wantError(t testing.TB, r *resp, status int, code string) apiErr {
	t.Helper()
	want(t, r, status)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var e apiErr
	decodeJSON(t, r, &e)
	if e.Error.Code != code {
		t.Errorf("error code = %q, want %q (message %q)", e.Error.Code, code, e.Error.Message)
	}
	if e.Error.Message == "" {
		t.Errorf("error has no message: %s", r.Body)
	}
	return e
}

const password = "correct horse battery"

// ctx is a background context for direct calls to the service.
var ctx = context.Background()

// setupOwner creates the first account over HTTP and returns its session.
func (e *env) setupOwner(t testing.TB, email string) caller {
	t.Helper()
	r := e.do(t, anon, "POST", "/api/v1/setup", map[string]string{"email": email, "password": password})
	want(t, r, http.StatusCreated)
	if r.Cookie == nil {
		t.Fatalf("setup set no session cookie")
	}
	return caller{session: r.Cookie.Value}
}

// login logs an existing account in over HTTP.
func (e *env) login(t testing.TB, email string) caller {
	t.Helper()
	r := e.do(t, anon, "POST", "/api/v1/session", map[string]string{"email": email, "password": password})
	want(t, r, http.StatusOK)
	if r.Cookie == nil {
		t.Fatalf("login set no session cookie")
	}
	return caller{session: r.Cookie.Value}
}

// addAccount creates an account and logs it in.
func (e *env) addAccount(t testing.TB, email string) (*store.Account, caller) {
	t.Helper()
	a, err := e.svc.AddAccount(ctx, email, password)
	if err != nil {
		t.Fatalf("AddAccount(%s): %v", email, err)
	}
	return a, e.login(t, email)
}

// createProperty creates a property over HTTP.
func (e *env) createProperty(t testing.TB, c caller, id string) {
	t.Helper()
	r := e.do(t, c, "POST", "/api/v1/properties", map[string]string{"id": id, "name": "Site " + id})
	want(t, r, http.StatusCreated)
}

// createToken creates an API token over HTTP and returns its id and secret.
func (e *env) createToken(t testing.TB, c caller, pid, name string) (int64, string) {
	t.Helper()
	r := e.do(t, c, "POST", "/api/v1/properties/"+pid+"/tokens", map[string]string{"name": name})
	want(t, r, http.StatusCreated)
	var tok struct {
		ID    int64  `json:"id"`
		Token string `json:"token"`
	}
	decodeJSON(t, r, &tok)
	if tok.ID == 0 || tok.Token == "" {
		t.Fatalf("token answer has no id or secret: %s", r.Body)
	}
	return tok.ID, tok.Token
}

// putSet replaces a property's set with If-Match: *.
func (e *env) putSet(t testing.TB, c caller, pid, set string) {
	t.Helper()
	r := e.do(t, c, "PUT", "/api/v1/properties/"+pid+"/triggerset", set, "If-Match", "*")
	want(t, r, http.StatusOK)
}

// published is what the widget is served for the property now.
func (e *env) published(t testing.TB, pid string) []byte {
	t.Helper()
	p, err := e.svc.PublishedSet(ctx, pid)
	if err != nil {
		t.Fatalf("PublishedSet(%s): %v", pid, err)
	}
	return p.Data
}

// storedSet is the newest version in the store, bypassing every cache.
func (e *env) storedSet(t testing.TB, pid string) *store.Version {
	t.Helper()
	v, err := e.st.Published(ctx, pid)
	if err != nil {
		t.Fatalf("store Published(%s): %v", pid, err)
	}
	return v
}

// Triggers for the tests' sets.

func siteTrigger(id, name, text string) string {
	return fmt.Sprintf(`{"id": %q, "name": %q, "type": "site", "enabled": true, "delay": 5,
		"message": {"text": %q}, "agent": {"name": "Support"}}`, id, name, text)
}

func pageTrigger(id, name, path string) string {
	return fmt.Sprintf(`{"id": %q, "name": %q, "type": "page",
		"url": {"match": "starts_with", "value": %q},
		"message": {"text": "Questions?"}, "agent": {"name": "Maya"}}`, id, name, path)
}

func shortcutTrigger(id, shortcut string) string {
	return fmt.Sprintf(`{"id": %q, "name": "Sends %s", "type": "page",
		"url": {"match": "starts_with", "value": "/x"},
		"message": {"shortcut": %q}, "agent": {"name": "Maya"}}`, id, shortcut, shortcut)
}

func shortcut(id, text string) string {
	return fmt.Sprintf(`{"id": %q, "text": %q}`, id, text)
}

// setJSON is a whole trigger set for property pid.
func setJSON(pid string, triggers []string, shortcuts ...string) string {
	s := fmt.Sprintf(`{
  "version": 1,
  "property": %q,
  "timezone": "Europe/Paris",
  "triggers": [%s]`, pid, strings.Join(triggers, ",\n"))
	if len(shortcuts) > 0 {
		s += `,
  "shortcuts": [` + strings.Join(shortcuts, ",\n") + `]`
	}
	return s + "\n}\n"
}

// setOf decodes a published set.
type setDoc struct {
	Property  string            `json:"property"`
	Timezone  string            `json:"timezone"`
	Status    string            `json:"status"`
	Triggers  []json.RawMessage `json:"triggers"`
	Shortcuts []json.RawMessage `json:"shortcuts"`
}

func parseSet(t testing.TB, data []byte) setDoc {
	t.Helper()
	var d setDoc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("set is not JSON (%v): %s", err, data)
	}
	return d
}

// ids lists the ids of a set's triggers, in order.
func (d setDoc) ids() []string {
	out := make([]string, len(d.Triggers))
	for i, raw := range d.Triggers {
		var it struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(raw, &it)
		out[i] = it.ID
	}
	return out
}

// triggerIDs lists the trigger ids of what the widget is served.
func (e *env) triggerIDs(t testing.TB, pid string) []string {
	t.Helper()
	return parseSet(t, e.published(t, pid)).ids()
}
