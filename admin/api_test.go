//go:build !js

package admin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
)

const pp = "/api/v1/properties/p"

// withProperty is a server whose first account owns property p, whose set
// holds the welcome trigger only (version 1).
func withProperty(t *testing.T) (*env, caller) {
	t.Helper()
	e := newEnv(t)
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	return e, owner
}

func TestSetup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        envConfig
		wantSecure bool
	}{
		{"plain HTTP", envConfig{}, false},
		{"Secure configured", envConfig{handler: admin.HandlerConfig{Secure: true}}, true},
		{"TLS", envConfig{tls: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnvWith(t, tc.cfg)
			var need struct{ Needed bool }
			r := e.do(t, anon, "GET", "/api/v1/setup", nil)
			want(t, r, http.StatusOK)
			decodeJSON(t, r, &need)
			if !need.Needed {
				t.Errorf("a new server says it needs no setup")
			}
			r = e.do(t, anon, "POST", "/api/v1/setup", map[string]string{"email": "Owner@Example.com", "password": password})
			want(t, r, http.StatusCreated)
			var acc struct{ Email string }
			decodeJSON(t, r, &acc)
			if acc.Email != "owner@example.com" {
				t.Errorf("email = %q, want it lower-cased", acc.Email)
			}
			c := r.Cookie
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/ and a Max-Age", c)
			}
			if c.Secure != tc.wantSecure {
				t.Errorf("cookie Secure = %v, want %v", c.Secure, tc.wantSecure)
			}
			me := e.do(t, caller{session: c.Value}, "GET", "/api/v1/me", nil)
			want(t, me, http.StatusOK)
			if !strings.Contains(string(me.Body), "owner@example.com") {
				t.Errorf("/me = %s, want the owner", me.Body)
			}
			r = e.do(t, anon, "GET", "/api/v1/setup", nil)
			decodeJSON(t, r, &need)
			if need.Needed {
				t.Errorf("setup still needed after the first account")
			}
			r = e.do(t, anon, "POST", "/api/v1/setup", map[string]string{"email": "intruder@example.com", "password": password})
			wantError(t, r, http.StatusForbidden, "forbidden")
			if r.Cookie != nil {
				t.Errorf("a refused setup set a cookie")
			}
		})
	}
}

func TestSetupRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"short password", map[string]string{"email": "a@example.com", "password": "short"}, 422, "invalid"},
		{"bad email", map[string]string{"email": "not an email", "password": password}, 422, "invalid"},
		{"unknown field", map[string]any{"email": "a@example.com", "password": password, "admin": true}, 400, "bad_request"},
		{"not JSON", "{email", 400, "bad_request"},
		{"empty", "", 400, "bad_request"},
		{"trailing data", `{"email": "a@example.com", "password": "correct horse battery"} {}`, 400, "bad_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do(t, anon, "POST", "/api/v1/setup", tc.body), tc.status, tc.code)
		})
	}
	// An unknown field is named in the error, by its start when long.
	long := strings.Repeat("k", 10000)
	got := wantError(t, e.do(t, anon, "POST", "/api/v1/setup", map[string]any{"email": "a@example.com", "password": password, long: true}), 400, "bad_request")
	if m := got.Error.Message; len(m) > 120 || !strings.Contains(m, `"kkkkkkkkkk`) {
		t.Errorf("unknown long field: message %.200q (%d bytes)", m, len(m))
	}
	got = wantError(t, e.do(t, anon, "POST", "/api/v1/setup", map[string]any{"email": "a@example.com", "password": password, "admin": true}), 400, "bad_request")
	if m := got.Error.Message; m != `unknown field "admin" in the request body` {
		t.Errorf("unknown field: message %q", m)
	}
	var need struct{ Needed bool }
	decodeJSON(t, e.do(t, anon, "GET", "/api/v1/setup", nil), &need)
	if !need.Needed {
		t.Errorf("a refused setup created an account")
	}
}

func TestLoginLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setupOwner(t, "owner@example.com")

	r := e.do(t, anon, "POST", "/api/v1/session", map[string]string{"email": "owner@example.com", "password": "wrong password!"})
	wantError(t, r, http.StatusUnauthorized, "unauthorized")
	r = e.do(t, anon, "POST", "/api/v1/session", map[string]string{"email": "nobody@example.com", "password": password})
	wantError(t, r, http.StatusUnauthorized, "unauthorized")

	c := e.login(t, "OWNER@example.com")
	want(t, e.do(t, c, "GET", "/api/v1/me", nil), http.StatusOK)
	r = e.do(t, c, "DELETE", "/api/v1/session", nil)
	want(t, r, http.StatusNoContent)
	if r.Cookie == nil || r.Cookie.MaxAge >= 0 && r.Cookie.Value != "" {
		t.Errorf("logout did not clear the cookie: %+v", r.Cookie)
	}
	wantError(t, e.do(t, c, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthorized")
	// Logging out without a session is fine.
	want(t, e.do(t, anon, "DELETE", "/api/v1/session", nil), http.StatusNoContent)

	// A session ends after its time to live.
	c = e.login(t, "owner@example.com")
	e.clock.Advance(e.svc.SessionTTL() - time.Minute)
	want(t, e.do(t, c, "GET", "/api/v1/me", nil), http.StatusOK)
	e.clock.Advance(2 * time.Minute)
	wantError(t, e.do(t, c, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthorized")
}

// TestConcurrentSetup: of several first-run sign-ups at once, one wins.
func TestConcurrentSetup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	statuses := race(6, func(i int) int {
		return e.do(t, anon, "POST", "/api/v1/setup", map[string]string{"email": fmt.Sprintf("owner%d@example.com", i), "password": password}).Status
	})
	created := 0
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusForbidden:
		default:
			t.Errorf("sign-up %d got %d", i, s)
		}
	}
	if created != 1 {
		t.Errorf("%d first accounts created (%v), want 1", created, statuses)
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setupOwner(t, "owner@example.com")
	bad := map[string]string{"email": "owner@example.com", "password": "not the password"}
	var r *resp
	fails := 0
	for ; fails < 20; fails++ {
		r = e.do(t, anon, "POST", "/api/v1/session", bad)
		if r.Status != http.StatusUnauthorized {
			break
		}
	}
	if fails < 3 || fails > 10 {
		t.Fatalf("throttled after %d failures; want a few free ones, then throttling", fails)
	}
	wantError(t, r, http.StatusTooManyRequests, "too_many_requests")
	after, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || after < 1 {
		t.Fatalf("Retry-After = %q, want a number of seconds ≥ 1", r.Header.Get("Retry-After"))
	}
	// The right password does not get through while throttled.
	r = e.do(t, anon, "POST", "/api/v1/session", map[string]string{"email": "owner@example.com", "password": password})
	wantError(t, r, http.StatusTooManyRequests, "too_many_requests")

	e.clock.Advance(time.Duration(after) * time.Second)
	e.login(t, "owner@example.com")
}

func TestTriggerSetPut(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	path := pp + "/triggerset"

	r := e.do(t, owner, "GET", path, nil)
	want(t, r, http.StatusOK)
	if got := r.Header.Get("ETag"); got != `"v1"` {
		t.Errorf("ETag = %s, want \"v1\"", got)
	}
	v1 := r.Body

	next := setJSON("p", []string{siteTrigger("welcome", "Welcome", "Hello"), pageTrigger("pricing", "Pricing page", "/pricing")})
	wantError(t, e.do(t, owner, "PUT", path, next), http.StatusPreconditionRequired, "precondition_required")

	r = e.do(t, owner, "PUT", path, next, "If-Match", `"v1"`)
	want(t, r, http.StatusOK)
	var w struct {
		Version int64
		ETag    string
		Changed bool
		Summary string
	}
	decodeJSON(t, r, &w)
	if w.Version != 2 || w.ETag != `"v2"` || !w.Changed || r.Header.Get("ETag") != `"v2"` {
		t.Errorf("PUT answered %s (ETag %s), want version 2 changed", r.Body, r.Header.Get("ETag"))
	}

	// Stale: based on version 1.
	wantError(t, e.do(t, owner, "PUT", path, string(v1), "If-Match", `"v1"`), http.StatusConflict, "conflict")
	wantError(t, e.do(t, owner, "PUT", path, string(v1), "If-Match", `"v9"`), http.StatusConflict, "conflict")
	wantError(t, e.do(t, owner, "PUT", path, string(v1), "If-Match", `garbage`), http.StatusConflict, "conflict")

	// The same content again, in another layout: no new version.
	compact := new(bytes.Buffer)
	if err := json.Compact(compact, []byte(next)); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{next, compact.String()} {
		r = e.do(t, owner, "PUT", path, body, "If-Match", `"v2"`)
		want(t, r, http.StatusOK)
		decodeJSON(t, r, &w)
		if w.Changed || w.Version != 2 {
			t.Errorf("identical PUT answered %s, want changed:false at version 2", r.Body)
		}
	}

	// * replaces whatever is published.
	r = e.do(t, owner, "PUT", path, string(v1), "If-Match", "*")
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &w)
	if !w.Changed || w.Version != 3 {
		t.Errorf("PUT with * answered %s, want version 3", r.Body)
	}
	var vs struct{ Versions []struct{ Number int64 } }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/versions", nil), &vs)
	if len(vs.Versions) != 3 {
		t.Errorf("%d versions, want 3", len(vs.Versions))
	}

	// A set naming another property is refused.
	r = e.do(t, owner, "PUT", path, setJSON("other", []string{siteTrigger("a", "A", "a")}), "If-Match", "*")
	wantError(t, r, http.StatusUnprocessableEntity, "invalid")
}

// problem is a problem the tests look for in a 422.
type problem struct {
	TriggerID string
	Index     int
	Field     string
	Code      string
}

func TestTriggerSetProblems(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	many := make([]string, 21)
	for i := range many {
		many[i] = siteTrigger(fmt.Sprintf("t%d", i+1), "T", "Hi")
	}
	badRegex := `{"id": "docs", "type": "page", "url": {"match": "regex", "value": "/docs/(guide|faq"},
		"message": {"text": "Docs?"}, "agent": {"name": "A"}}`
	unknownKey := `{"id": "colour", "type": "site", "colour": "red", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
	tests := []struct {
		name     string
		set      string
		want     []problem
		wantLine bool
	}{
		{"21 triggers", setJSON("p", many), []problem{{Field: "triggers", Code: "too_many_triggers"}}, false},
		{"duplicate ids", setJSON("p", []string{siteTrigger("a", "A", "a"), siteTrigger("b", "B", "b"), siteTrigger("a", "C", "c")}),
			[]problem{{TriggerID: "a", Index: 3, Field: "id", Code: "duplicate_id"}}, true},
		{"bad regex", setJSON("p", []string{badRegex}), []problem{{TriggerID: "docs", Index: 1, Field: "url.value", Code: "bad_regex"}}, true},
		{"unknown shortcut", setJSON("p", []string{shortcutTrigger("s", "nope")}),
			[]problem{{TriggerID: "s", Index: 1, Field: "message.shortcut", Code: "unknown_shortcut"}}, true},
		{"unknown key", setJSON("p", []string{unknownKey}), []problem{{TriggerID: "colour", Index: 1, Field: "colour", Code: "unknown_key"}}, true},
		{"every problem at once", setJSON("p", []string{badRegex, unknownKey, shortcutTrigger("s", "nope"), siteTrigger("s", "S", "s")}),
			[]problem{
				{TriggerID: "docs", Index: 1, Field: "url.value", Code: "bad_regex"},
				{TriggerID: "colour", Index: 2, Field: "colour", Code: "unknown_key"},
				{TriggerID: "s", Index: 3, Field: "message.shortcut", Code: "unknown_shortcut"},
				{TriggerID: "s", Index: 4, Field: "id", Code: "duplicate_id"},
			}, true},
	}
	for _, tc := range tests {
		for _, route := range []struct{ method, path string }{{"PUT", pp + "/triggerset"}, {"POST", pp + "/validate"}} {
			t.Run(tc.name+"/"+route.method, func(t *testing.T) {
				r := e.do(t, owner, route.method, route.path, tc.set, "If-Match", "*")
				ae := wantError(t, r, http.StatusUnprocessableEntity, "invalid")
				var got []problem
				for _, p := range ae.Error.Problems {
					got = append(got, problem{p.TriggerID, p.Index, p.Field, p.Code})
					if p.Message == "" {
						t.Errorf("problem %+v has no message", p)
					}
					if tc.wantLine && (p.Line <= 0 || p.Col <= 0) {
						t.Errorf("problem %+v has no line and column", p)
					}
				}
				for _, w := range tc.want {
					if !slices.Contains(got, w) {
						t.Errorf("problems = %+v, want one %+v", got, w)
					}
				}
			})
		}
	}
	if v := e.storedSet(t, "p"); v.Number != 1 {
		t.Errorf("a refused set was published as version %d", v.Number)
	}
	// The unknown key's place is its line in the body.
	r := e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{unknownKey}), "If-Match", "*")
	var ae apiErr
	decodeJSON(t, r, &ae)
	body := setJSON("p", []string{unknownKey})
	wantLine := strings.Count(body[:strings.Index(body, `"colour": "red"`)], "\n") + 1
	if len(ae.Error.Problems) == 0 || ae.Error.Problems[0].Line != wantLine {
		t.Errorf("unknown key placed at %+v, want line %d", ae.Error.Problems, wantLine)
	}
}

func TestBodyLimits(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	huge := `{"version": 1, "property": "p", "triggers": [], "pad": "` + strings.Repeat("x", 400<<10) + `"}`
	tests := []struct {
		name, method, path string
		body               any
		status             int
		code, mention      string
	}{
		{"set over the cap", "PUT", pp + "/triggerset", huge, 413, "too_large", ""},
		{"login over the cap", "POST", "/api/v1/session", huge, 413, "too_large", ""},
		{"trigger over the cap", "POST", pp + "/triggers", huge, 413, "too_large", ""},
		{"unknown login field", "POST", "/api/v1/session", map[string]any{"email": "owner@example.com", "password": password, "remember": true}, 400, "bad_request", "remember"},
		{"unknown token field", "POST", pp + "/tokens", map[string]any{"name": "ci", "scope": "all"}, 400, "bad_request", "scope"},
		{"unknown settings field", "PATCH", pp, map[string]any{"colour": "red"}, 400, "bad_request", "colour"},
		{"trailing brace", "POST", pp + "/tokens", `{"name": "ci"}}`, 400, "bad_request", "after"},
		{"trailing bracket", "POST", pp + "/tokens", `{"name": "ci"}]`, 400, "bad_request", "after"},
		{"trailing object", "POST", pp + "/tokens", `{"name": "ci"} {"name": "x"}`, 400, "bad_request", "after"},
		{"trigger not an object", "POST", pp + "/triggers", `["x"]`, 400, "bad_request", ""},
		{"trigger not JSON", "POST", pp + "/triggers", `{"id": `, 400, "bad_request", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(t, owner, tc.method, tc.path, tc.body, "If-Match", "*")
			ae := wantError(t, r, tc.status, tc.code)
			if !strings.Contains(ae.Error.Message, tc.mention) {
				t.Errorf("message %q does not name %q", ae.Error.Message, tc.mention)
			}
		})
	}
}

// trigger reads one trigger over HTTP, with its ETag.
func (e *env) trigger(t testing.TB, c caller, id string) (map[string]any, string) {
	t.Helper()
	r := e.do(t, c, "GET", pp+"/triggers/"+id, nil)
	want(t, r, http.StatusOK)
	var m map[string]any
	decodeJSON(t, r, &m)
	if r.Header.Get("ETag") == "" {
		t.Fatalf("trigger %s has no ETag", id)
	}
	return m, r.Header.Get("ETag")
}

func TestTriggersOneByOne(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	noID := `{"name": "Pricing page", "type": "page", "url": {"match": "starts_with", "value": "/pricing"},
		"message": {"text": "Questions?"}, "agent": {"name": "Maya"}}`

	r := e.do(t, owner, "POST", pp+"/triggers", noID)
	want(t, r, http.StatusCreated)
	if loc := r.Header.Get("Location"); loc != pp+"/triggers/pricing-page" {
		t.Errorf("Location = %q, want the new trigger's", loc)
	}
	var got struct{ ID, Name string }
	decodeJSON(t, r, &got)
	if got.ID != "pricing-page" || got.Name != "Pricing page" {
		t.Errorf("created %+v, want id pricing-page made from the name", got)
	}
	r = e.do(t, owner, "POST", pp+"/triggers", noID)
	want(t, r, http.StatusCreated)
	decodeJSON(t, r, &got)
	if got.ID != "pricing-page-2" {
		t.Errorf("second trigger of the same name got id %q, want pricing-page-2", got.ID)
	}
	// An explicit id that is taken is a problem.
	r = e.do(t, owner, "POST", pp+"/triggers", siteTrigger("welcome", "Again", "Hi"))
	ae := wantError(t, r, http.StatusUnprocessableEntity, "invalid")
	if len(ae.Error.Problems) == 0 || ae.Error.Problems[0].Code != "duplicate_id" {
		t.Errorf("problems = %+v, want duplicate_id", ae.Error.Problems)
	}

	var list struct {
		Version  int64
		Max      int
		Triggers []struct{ ID string }
	}
	r = e.do(t, owner, "GET", pp+"/triggers", nil)
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &list)
	if list.Max != 20 || len(list.Triggers) != 3 || list.Version != 3 {
		t.Errorf("list = %+v, want 3 triggers at version 3, max 20", list)
	}

	// Edit with If-Match: the ETag from GET.
	_, tag := e.trigger(t, owner, "pricing-page")
	edited := pageTrigger("pricing-page", "Pricing page", "/prices")
	r = e.do(t, owner, "PUT", pp+"/triggers/pricing-page", edited, "If-Match", tag)
	want(t, r, http.StatusOK)
	newTag := r.Header.Get("ETag")
	if newTag == "" || newTag == tag {
		t.Errorf("ETag after the edit = %q, want a new one", newTag)
	}
	// The old ETag is stale now.
	r = e.do(t, owner, "PUT", pp+"/triggers/pricing-page", pageTrigger("pricing-page", "Pricing page", "/x"), "If-Match", tag)
	wantError(t, r, http.StatusConflict, "conflict")
	if m, _ := e.trigger(t, owner, "pricing-page"); !strings.Contains(fmt.Sprint(m["url"]), "/prices") {
		t.Errorf("a stale edit changed the trigger: %v", m)
	}
	// An edit without an id keeps the one in the path.
	r = e.do(t, owner, "PUT", pp+"/triggers/pricing-page-2", `{"name": "Site", "type": "site", "message": {"text": "x"}, "agent": {"name": "A"}}`)
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &got)
	if got.ID != "pricing-page-2" {
		t.Errorf("edited trigger has id %q", got.ID)
	}
	wantError(t, e.do(t, owner, "PUT", pp+"/triggers/nope", siteTrigger("nope", "N", "n")), http.StatusNotFound, "not_found")
	wantError(t, e.do(t, owner, "GET", pp+"/triggers/nope", nil), http.StatusNotFound, "not_found")

	// Two people editing different triggers both succeed.
	_, tagA := e.trigger(t, owner, "welcome")
	_, tagB := e.trigger(t, owner, "pricing-page")
	want(t, e.do(t, owner, "PUT", pp+"/triggers/welcome", siteTrigger("welcome", "Welcome", "Edited by A"), "If-Match", tagA), http.StatusOK)
	want(t, e.do(t, owner, "PUT", pp+"/triggers/pricing-page", pageTrigger("pricing-page", "Edited by B", "/b"), "If-Match", tagB), http.StatusOK)
	set := string(e.published(t, "p"))
	if !strings.Contains(set, "Edited by A") || !strings.Contains(set, "Edited by B") {
		t.Errorf("one of two edits of different triggers is lost:\n%s", set)
	}

	// Duplicate: placed after the original, with a new id and name.
	r = e.do(t, owner, "POST", pp+"/triggers/welcome/duplicate", nil)
	want(t, r, http.StatusCreated)
	decodeJSON(t, r, &got)
	if got.ID != "welcome-copy" || got.Name != "Welcome (copy)" {
		t.Errorf("duplicate = %+v, want welcome-copy named \"Welcome (copy)\"", got)
	}
	if ids, want := e.triggerIDs(t, "p"), []string{"welcome", "welcome-copy", "pricing-page", "pricing-page-2"}; !slices.Equal(ids, want) {
		t.Errorf("triggers = %v, want %v", ids, want)
	}
	wantError(t, e.do(t, owner, "POST", pp+"/triggers/nope/duplicate", nil), http.StatusNotFound, "not_found")

	// Reorder.
	order := []string{"pricing-page-2", "pricing-page", "welcome-copy", "welcome"}
	r = e.do(t, owner, "PUT", pp+"/triggers:order", map[string][]string{"ids": order})
	want(t, r, http.StatusOK)
	if ids := e.triggerIDs(t, "p"); !slices.Equal(ids, order) {
		t.Errorf("after reordering: %v, want %v", ids, order)
	}
	for _, bad := range []struct {
		name   string
		ids    []string
		status int
	}{
		{"missing one", order[:3], 422},
		{"twice", []string{"welcome", "welcome", "pricing-page", "pricing-page-2"}, 422},
		{"unknown", []string{"welcome", "nope", "pricing-page", "pricing-page-2"}, 404},
	} {
		r = e.do(t, owner, "PUT", pp+"/triggers:order", map[string][]string{"ids": bad.ids})
		if r.Status != bad.status {
			t.Errorf("reorder %s: %s, want %d", bad.name, r, bad.status)
		}
	}

	// Delete one, then several.
	want(t, e.do(t, owner, "DELETE", pp+"/triggers/welcome-copy", nil), http.StatusNoContent)
	wantError(t, e.do(t, owner, "DELETE", pp+"/triggers/welcome-copy", nil), http.StatusNotFound, "not_found")
	r = e.do(t, owner, "POST", pp+"/triggers:delete", map[string][]string{"ids": {"pricing-page", "pricing-page-2"}})
	want(t, r, http.StatusOK)
	if ids := e.triggerIDs(t, "p"); !slices.Equal(ids, []string{"welcome"}) {
		t.Errorf("after deleting: %v, want [welcome]", ids)
	}
	wantError(t, e.do(t, owner, "POST", pp+"/triggers:delete", map[string][]string{"ids": {}}), http.StatusUnprocessableEntity, "invalid")
	wantError(t, e.do(t, owner, "POST", pp+"/triggers:delete", map[string][]string{"ids": {"nope"}}), http.StatusNotFound, "not_found")
}

func TestTwentyFirstTrigger(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	for i := 2; i <= 20; i++ {
		want(t, e.do(t, owner, "POST", pp+"/triggers", siteTrigger(fmt.Sprintf("t%d", i), "T", "Hi")), http.StatusCreated)
	}
	for _, tc := range []struct{ name, method, path, body string }{
		{"add", "POST", pp + "/triggers", siteTrigger("t21", "T", "Hi")},
		{"duplicate", "POST", pp + "/triggers/welcome/duplicate", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			ae := wantError(t, e.do(t, owner, tc.method, tc.path, body), http.StatusUnprocessableEntity, "invalid")
			found := false
			for _, p := range ae.Error.Problems {
				found = found || p.Code == "too_many_triggers"
			}
			if !found {
				t.Errorf("problems = %+v, want too_many_triggers", ae.Error.Problems)
			}
		})
	}
	if n := len(e.triggerIDs(t, "p")); n != 20 {
		t.Errorf("%d triggers published, want 20", n)
	}
}

func TestShortcuts(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	r := e.do(t, owner, "POST", pp+"/shortcuts", shortcut("prices", "Our prices"))
	want(t, r, http.StatusCreated)
	r = e.do(t, owner, "POST", pp+"/shortcuts", `{"text": "No id"}`)
	want(t, r, http.StatusCreated)
	var sc struct{ ID, Text string }
	decodeJSON(t, r, &sc)
	if sc.ID == "" {
		t.Errorf("a shortcut without an id got none: %s", r.Body)
	}
	r = e.do(t, owner, "GET", pp+"/shortcuts/prices", nil)
	want(t, r, http.StatusOK)
	tag := r.Header.Get("ETag")
	want(t, e.do(t, owner, "PUT", pp+"/shortcuts/prices", shortcut("prices", "New prices"), "If-Match", tag), http.StatusOK)
	wantError(t, e.do(t, owner, "PUT", pp+"/shortcuts/prices", shortcut("prices", "Stale"), "If-Match", tag), http.StatusConflict, "conflict")
	var list struct{ Shortcuts []struct{ ID, Text string } }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/shortcuts", nil), &list)
	if len(list.Shortcuts) != 2 || list.Shortcuts[0].Text != "New prices" {
		t.Errorf("shortcuts = %+v", list.Shortcuts)
	}
	want(t, e.do(t, owner, "DELETE", pp+"/shortcuts/"+sc.ID, nil), http.StatusNoContent)

	// A referenced shortcut cannot be deleted: the problem names the trigger.
	want(t, e.do(t, owner, "POST", pp+"/triggers", shortcutTrigger("sends-prices", "prices")), http.StatusCreated)
	for _, r := range []*resp{
		e.do(t, owner, "DELETE", pp+"/shortcuts/prices", nil),
		e.do(t, owner, "POST", pp+"/shortcuts:delete", map[string][]string{"ids": {"prices"}}),
	} {
		ae := wantError(t, r, http.StatusUnprocessableEntity, "invalid")
		if len(ae.Error.Problems) == 0 || ae.Error.Problems[0].TriggerID != "sends-prices" || ae.Error.Problems[0].Code != "unknown_shortcut" {
			t.Errorf("problems = %+v, want unknown_shortcut on trigger sends-prices", ae.Error.Problems)
		}
		if !strings.Contains(ae.Error.Message, "sends-prices") {
			t.Errorf("message %q does not name the trigger", ae.Error.Message)
		}
	}
	// Once the trigger is gone, so can the shortcut be.
	want(t, e.do(t, owner, "DELETE", pp+"/triggers/sends-prices", nil), http.StatusNoContent)
	want(t, e.do(t, owner, "POST", pp+"/shortcuts:delete", map[string][]string{"ids": {"prices"}}), http.StatusOK)
	if d := parseSet(t, e.published(t, "p")); len(d.Shortcuts) != 0 {
		t.Errorf("shortcuts left: %s", d.Shortcuts)
	}
}

type versionInfo struct {
	Number  int64
	Author  string
	Summary string
	Set     json.RawMessage
}

func TestVersions(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	want(t, e.do(t, owner, "POST", pp+"/triggers", pageTrigger("pricing", "Pricing page", "/pricing")), http.StatusCreated)
	want(t, e.do(t, owner, "PUT", pp+"/triggers/pricing", pageTrigger("pricing", "Pricing page", "/prices")), http.StatusOK)
	want(t, e.do(t, owner, "POST", pp+"/triggers/pricing/duplicate", nil), http.StatusCreated)
	want(t, e.do(t, owner, "DELETE", pp+"/triggers/pricing-copy", nil), http.StatusNoContent)
	want(t, e.do(t, owner, "PUT", pp+"/triggers:order", map[string][]string{"ids": {"pricing", "welcome"}}), http.StatusOK)

	var list struct{ Versions []versionInfo }
	r := e.do(t, owner, "GET", pp+"/versions", nil)
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &list)
	wantSummaries := []string{
		"Reordered triggers",
		"Deleted trigger Pricing page (copy)",
		"Duplicated trigger Pricing page",
		"Edited trigger Pricing page",
		"Added trigger Pricing page",
		"Created the property",
	}
	var got []string
	for i, v := range list.Versions {
		got = append(got, v.Summary)
		if v.Number != int64(len(list.Versions)-i) || v.Author != "owner@example.com" || v.Set != nil {
			t.Errorf("version %d = %+v, want newest first, by the owner, without the set", i, v)
		}
	}
	if !slices.Equal(got, wantSummaries) {
		t.Errorf("summaries = %q\nwant %q", got, wantSummaries)
	}
	decodeJSON(t, e.do(t, owner, "GET", pp+"/versions?limit=2&before=5", nil), &list)
	if len(list.Versions) != 2 || list.Versions[0].Number != 4 {
		t.Errorf("limit=2&before=5 gave %+v", list.Versions)
	}
	wantError(t, e.do(t, owner, "GET", pp+"/versions?limit=x", nil), http.StatusBadRequest, "bad_request")

	var v1 versionInfo
	r = e.do(t, owner, "GET", pp+"/versions/1", nil)
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &v1)
	if ids := parseSet(t, v1.Set).ids(); !slices.Equal(ids, []string{"welcome"}) {
		t.Errorf("version 1 has triggers %v", ids)
	}
	wantError(t, e.do(t, owner, "GET", pp+"/versions/99", nil), http.StatusNotFound, "not_found")
	wantError(t, e.do(t, owner, "GET", pp+"/versions/x", nil), http.StatusNotFound, "not_found")

	// Restore publishes version 1's data as a new version.
	r = e.do(t, owner, "POST", pp+"/versions/1/restore", nil)
	want(t, r, http.StatusOK)
	var w struct {
		Version int64
		Changed bool
		Summary string
	}
	decodeJSON(t, r, &w)
	if w.Version != 7 || !w.Changed || w.Summary != "Restored version 1" {
		t.Errorf("restore answered %s", r.Body)
	}
	if now := e.storedSet(t, "p"); !bytes.Equal(now.Data, v1.Set) && !jsonEqual(now.Data, v1.Set) {
		t.Errorf("restored set differs from version 1:\n%s\nwant\n%s", now.Data, v1.Set)
	}
	// Restoring with a stale If-Match is refused.
	wantError(t, e.do(t, owner, "POST", pp+"/versions/2/restore", nil, "If-Match", `"v3"`), http.StatusConflict, "conflict")
	wantError(t, e.do(t, owner, "POST", pp+"/versions/99/restore", nil), http.StatusNotFound, "not_found")
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && fmt.Sprint(x) == fmt.Sprint(y)
}

func TestSettings(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	var st admin.Settings
	r := e.do(t, owner, "GET", pp, nil)
	want(t, r, http.StatusOK)
	decodeJSON(t, r, &st)
	if st.ID != "p" || st.Name != "Site p" || st.Timezone != "UTC" || st.Status != "online" || st.Version != 1 {
		t.Errorf("settings = %+v", st)
	}
	tests := []struct {
		name        string
		change      map[string]string
		status      int
		wantVersion int64
	}{
		{"bad time zone", map[string]string{"timezone": "Mars/Olympus"}, 422, 1},
		{"bad status", map[string]string{"status": "asleep"}, 422, 1},
		{"bad website", map[string]string{"websiteUrl": "javascript:alert(1)"}, 422, 1},
		{"empty name", map[string]string{"name": "  "}, 422, 1},
		{"bad status leaves the name", map[string]string{"name": "Not this", "status": "asleep"}, 422, 1},
		{"name and website", map[string]string{"name": "Shop", "websiteUrl": "https://shop.example"}, 200, 1},
		{"status", map[string]string{"status": "away"}, 200, 2},
		{"time zone", map[string]string{"timezone": "Europe/Paris"}, 200, 3},
		{"the same again", map[string]string{"timezone": "Europe/Paris", "status": "away"}, 200, 3},
	}
	for _, tc := range tests {
		r := e.do(t, owner, "PATCH", pp, tc.change)
		if r.Status != tc.status {
			t.Errorf("%s: %s, want %d", tc.name, r, tc.status)
			continue
		}
		if v := e.storedSet(t, "p").Number; v != tc.wantVersion {
			t.Errorf("%s: set at version %d, want %d", tc.name, v, tc.wantVersion)
		}
	}
	decodeJSON(t, e.do(t, owner, "GET", pp, nil), &st)
	want := admin.Settings{ID: "p", Name: "Shop", WebsiteURL: "https://shop.example", Timezone: "Europe/Paris", Status: "away", Version: 3}
	if st != want {
		t.Errorf("settings = %+v\nwant %+v", st, want)
	}
	d := parseSet(t, e.published(t, "p"))
	if d.Timezone != "Europe/Paris" || d.Status != "away" {
		t.Errorf("published set has timezone %q, status %q", d.Timezone, d.Status)
	}
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	invite := func(email, role string) (int64, string) {
		t.Helper()
		r := e.do(t, owner, "POST", pp+"/invitations", map[string]string{"email": email, "role": role})
		want(t, r, http.StatusCreated)
		var inv struct {
			ID    int64
			Token string
		}
		decodeJSON(t, r, &inv)
		if !strings.HasPrefix(inv.Token, "twi_") {
			t.Fatalf("invitation = %s", r.Body)
		}
		return inv.ID, inv.Token
	}
	wantError(t, e.do(t, owner, "POST", pp+"/invitations", map[string]string{"email": "x@example.com", "role": "boss"}), 422, "invalid")
	wantError(t, e.do(t, owner, "POST", pp+"/invitations", map[string]string{"email": "x", "role": "agent"}), 422, "invalid")

	_, secret := invite("New@Example.com", "agent")
	r := e.do(t, owner, "GET", pp+"/invitations", nil)
	want(t, r, http.StatusOK)
	if strings.Contains(string(r.Body), secret) || !strings.Contains(string(r.Body), "new@example.com") {
		t.Errorf("invitations list = %s: want the email, never the secret", r.Body)
	}

	// A new person chooses a password, which creates the account and logs in.
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": "short"}), 422, "invalid")
	r = e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": password})
	want(t, r, http.StatusOK)
	if r.Cookie == nil {
		t.Fatal("accepting logged nobody in")
	}
	agent := caller{session: r.Cookie.Value}
	want(t, e.do(t, agent, "GET", pp, nil), http.StatusOK)
	wantError(t, e.do(t, agent, "GET", pp+"/triggerset", nil), http.StatusForbidden, "forbidden")
	e.login(t, "new@example.com")
	// Used once.
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": password}), 404, "not_found")
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": "twi_nope", "password": password}), 404, "not_found")

	// Someone with an account must give its password.
	_, other := e.addAccount(t, "other@example.com")
	_, secret = invite("other@example.com", "admin")
	r = e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": "not the password"})
	wantError(t, r, http.StatusUnauthorized, "unauthorized")
	wantError(t, e.do(t, other, "GET", pp+"/triggerset", nil), http.StatusNotFound, "not_found")
	r = e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": password})
	want(t, r, http.StatusOK)
	want(t, e.do(t, other, "GET", pp+"/triggerset", nil), http.StatusOK)

	// An invitation expires.
	_, secret = invite("late@example.com", "agent")
	e.clock.Advance(admin.InvitationTTL + time.Minute)
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": secret, "password": password}), 404, "not_found")
}

func TestMembers(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	agent := e.join(t, owner, "agent@example.com", "agent")

	type member struct {
		Account int64
		Email   string
		Role    string
	}
	var ms struct{ Members []member }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/members", nil), &ms)
	if len(ms.Members) != 2 || ms.Members[0].Email != "owner@example.com" || ms.Members[0].Role != "admin" || ms.Members[1].Role != "agent" {
		t.Fatalf("members = %+v", ms.Members)
	}
	ownerID, agentID := ms.Members[0].Account, ms.Members[1].Account
	path := func(id int64) string { return pp + "/members/" + strconv.FormatInt(id, 10) }

	wantError(t, e.do(t, owner, "PUT", path(agentID), map[string]string{"role": "boss"}), 422, "invalid")
	wantError(t, e.do(t, owner, "PUT", path(9999), map[string]string{"role": "admin"}), 404, "not_found")
	wantError(t, e.do(t, owner, "PUT", pp+"/members/x", map[string]string{"role": "admin"}), 404, "not_found")
	// The last admin cannot step down or leave.
	wantError(t, e.do(t, owner, "PUT", path(ownerID), map[string]string{"role": "agent"}), 409, "conflict")
	wantError(t, e.do(t, owner, "DELETE", path(ownerID), nil), 409, "conflict")

	want(t, e.do(t, owner, "PUT", path(agentID), map[string]string{"role": "admin"}), http.StatusOK)
	want(t, e.do(t, agent, "GET", pp+"/triggerset", nil), http.StatusOK)
	want(t, e.do(t, owner, "DELETE", path(agentID), nil), http.StatusNoContent)
	wantError(t, e.do(t, agent, "GET", pp, nil), http.StatusNotFound, "not_found")
	wantError(t, e.do(t, owner, "DELETE", path(agentID), nil), 404, "not_found")

	// Invitations can be withdrawn, once.
	r := e.do(t, owner, "POST", pp+"/invitations", map[string]string{"email": "maybe@example.com", "role": "agent"})
	want(t, r, http.StatusCreated)
	var inv struct {
		ID    int64
		Token string
	}
	decodeJSON(t, r, &inv)
	id := strconv.FormatInt(inv.ID, 10)
	want(t, e.do(t, owner, "DELETE", pp+"/invitations/"+id, nil), http.StatusNoContent)
	wantError(t, e.do(t, owner, "DELETE", pp+"/invitations/"+id, nil), 404, "not_found")
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": inv.Token, "password": password}), 404, "not_found")
}

func TestTokens(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	wantError(t, e.do(t, owner, "POST", pp+"/tokens", map[string]string{"name": " "}), 422, "invalid")
	id, secret := e.createToken(t, owner, "p", "ci-deploy")
	if !strings.HasPrefix(secret, "twk_") {
		t.Errorf("secret %q lacks its prefix", secret)
	}
	tok := caller{bearer: secret}
	want(t, e.do(t, tok, "GET", pp+"/triggerset", nil), http.StatusOK)

	r := e.do(t, owner, "GET", pp+"/tokens", nil)
	want(t, r, http.StatusOK)
	if strings.Contains(string(r.Body), secret) || strings.Contains(string(r.Body), `"token"`) {
		t.Errorf("token list shows a secret: %s", r.Body)
	}
	var list struct {
		Tokens []struct {
			ID        int64
			Name      string
			CreatedBy string
			LastUsed  *time.Time
		}
	}
	decodeJSON(t, r, &list)
	if len(list.Tokens) != 1 || list.Tokens[0].ID != id || list.Tokens[0].Name != "ci-deploy" || list.Tokens[0].CreatedBy != "owner@example.com" || list.Tokens[0].LastUsed == nil {
		t.Errorf("tokens = %+v", list.Tokens)
	}

	// A token's writes are signed with its name.
	want(t, e.do(t, tok, "POST", pp+"/triggers", siteTrigger("from-ci", "From CI", "Hi")), http.StatusCreated)
	var vs struct{ Versions []versionInfo }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/versions", nil), &vs)
	if vs.Versions[0].Author != "token ci-deploy" {
		t.Errorf("author = %q, want the token's name", vs.Versions[0].Author)
	}
	var me struct {
		Token struct{ Name, Property string }
	}
	decodeJSON(t, e.do(t, tok, "GET", "/api/v1/me", nil), &me)
	if me.Token.Name != "ci-deploy" || me.Token.Property != "p" {
		t.Errorf("/me for a token = %+v", me)
	}

	path := pp + "/tokens/" + strconv.FormatInt(id, 10)
	want(t, e.do(t, owner, "DELETE", path, nil), http.StatusNoContent)
	wantError(t, e.do(t, tok, "GET", pp+"/triggerset", nil), http.StatusUnauthorized, "unauthorized")
	wantError(t, e.do(t, owner, "DELETE", path, nil), http.StatusNotFound, "not_found")
}

func TestProperties(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	r := e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "Ma Boutique", "timezone": "Europe/Paris"})
	want(t, r, http.StatusCreated)
	var st admin.Settings
	decodeJSON(t, r, &st)
	if st.ID != "ma-boutique" || st.Timezone != "Europe/Paris" || r.Header.Get("Location") != "/api/v1/properties/ma-boutique" {
		t.Errorf("created %+v at %q", st, r.Header.Get("Location"))
	}
	// The same name again gets the next free id; a given id that is taken is a conflict.
	r = e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "Ma Boutique"})
	want(t, r, http.StatusCreated)
	decodeJSON(t, r, &st)
	if st.ID != "ma-boutique-2" {
		t.Errorf("a second property named like the first got id %q, want ma-boutique-2", st.ID)
	}
	wantError(t, e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "Other", "id": "ma-boutique"}), http.StatusConflict, "conflict")
	wantError(t, e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "X", "timezone": "Nowhere/Land"}), 422, "invalid")
	wantError(t, e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "X", "id": ".hidden"}), 422, "invalid")
	wantError(t, e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": ""}), 422, "invalid")

	var list struct {
		Properties []struct{ ID, Role string }
	}
	decodeJSON(t, e.do(t, owner, "GET", "/api/v1/properties", nil), &list)
	if len(list.Properties) != 3 {
		t.Errorf("properties = %+v", list.Properties)
	}
}

func TestCrossSiteProtection(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	n := 0
	tests := []struct {
		name   string
		hdr    []string
		status int
	}{
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same-site fetch", []string{"Sec-Fetch-Site", "same-site"}, 403},
		{"foreign origin", []string{"Origin", "https://evil.example"}, 403},
		{"same-origin fetch", []string{"Sec-Fetch-Site", "same-origin"}, 201},
		{"own origin", []string{"Origin", e.srv.URL}, 201},
		{"no headers, like curl", nil, 201},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n++
			r := e.do(t, owner, "POST", pp+"/triggers", siteTrigger(fmt.Sprintf("t%d", n), "T", "Hi"), tc.hdr...)
			if tc.status == 403 {
				wantError(t, r, 403, "forbidden")
				// Logins and setup are protected too.
				r = e.do(t, anon, "POST", "/api/v1/session", map[string]string{"email": "owner@example.com", "password": password}, tc.hdr...)
				wantError(t, r, 403, "forbidden")
				return
			}
			want(t, r, tc.status)
		})
	}
	// Reads are never refused.
	want(t, e.do(t, owner, "GET", pp+"/triggerset", nil, "Sec-Fetch-Site", "cross-site"), http.StatusOK)
	if got := len(e.triggerIDs(t, "p")); got != 4 {
		t.Errorf("%d triggers, want the welcome one and the 3 allowed", got)
	}
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	tests := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"GET", "/api/v1/nope", 404, ""},
		{"GET", "/api/v2/properties", 404, ""},
		{"GET", "/", 404, ""},
		{"DELETE", "/api/v1/setup", 405, "GET, POST"},
		{"POST", pp + "/triggerset", 405, "GET, PUT"},
		{"PATCH", pp + "/triggers/welcome", 405, "GET, PUT, DELETE"},
		{"POST", "/u/" + strings.Repeat("a", 64) + ".png", 405, "GET, HEAD"},
		{"GET", "/u/../etc/passwd", 404, ""},
		{"GET", "/u/" + strings.Repeat("a", 64) + ".png", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := e.do(t, owner, tc.method, tc.path, nil)
			code := "not_found"
			if tc.status == 405 {
				code = "method_not_allowed"
			}
			wantError(t, r, tc.status, code)
			if got := r.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}

// A member removed from a property, or made an Agent, keeps none of an
// Admin's power through what they made as one: their API tokens stop
// working and their pending invitations are withdrawn. Making them an
// Admin again gives it back; the tokens of the operator (widgetd token
// create) have no such person.
func TestRemovedAdminsTokensAndInvitations(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	admin2 := e.join(t, owner, "admin2@example.com", "admin")
	_, secret := e.createToken(t, admin2, "p", "admin2-ci")
	tok := caller{bearer: secret}
	want(t, e.do(t, tok, "GET", pp+"/triggerset", nil), http.StatusOK)
	r := e.do(t, admin2, "POST", pp+"/invitations", map[string]string{"email": "alt@example.com", "role": "admin"})
	want(t, r, http.StatusCreated)
	var alt struct{ Token string }
	decodeJSON(t, r, &alt)

	var ms struct {
		Members []struct {
			Account int64
			Email   string
		}
	}
	decodeJSON(t, e.do(t, owner, "GET", pp+"/members", nil), &ms)
	var id int64
	for _, m := range ms.Members {
		if m.Email == "admin2@example.com" {
			id = m.Account
		}
	}
	member := pp + "/members/" + strconv.FormatInt(id, 10)

	// Made an Agent: the token and the invitation stop.
	want(t, e.do(t, owner, "PUT", member, map[string]string{"role": "agent"}), http.StatusOK)
	r = e.do(t, tok, "GET", pp+"/triggerset", nil)
	wantError(t, r, http.StatusUnauthorized, "unauthorized")
	if !strings.Contains(string(r.Body), "no longer an Admin") {
		t.Errorf("the refusal does not say why: %s", r.Body)
	}
	wantError(t, e.do(t, tok, "PUT", pp+"/triggerset", map[string]any{"version": 1, "property": "p", "triggers": []any{}}), http.StatusUnauthorized, "unauthorized")
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": alt.Token, "password": password}), http.StatusNotFound, "not_found")
	// An Admin again: both work again.
	want(t, e.do(t, owner, "PUT", member, map[string]string{"role": "admin"}), http.StatusOK)
	want(t, e.do(t, tok, "GET", pp+"/triggerset", nil), http.StatusOK)

	// Removed: the token stops, and the invitation they sent cannot be
	// accepted.
	want(t, e.do(t, owner, "DELETE", member, nil), http.StatusNoContent)
	wantError(t, e.do(t, tok, "GET", pp+"/triggerset", nil), http.StatusUnauthorized, "unauthorized")
	wantError(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": alt.Token, "password": password}), http.StatusNotFound, "not_found")
	var after struct{ Members []struct{ Email string } }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/members", nil), &after)
	for _, m := range after.Members {
		if m.Email == "alt@example.com" {
			t.Errorf("alt@example.com joined through the invitation of a removed Admin")
		}
	}

	// The owner's own token is unaffected.
	_, own := e.createToken(t, owner, "p", "owner-ci")
	want(t, e.do(t, caller{bearer: own}, "GET", pp+"/triggerset", nil), http.StatusOK)
}

// join has inviter invite email to property p as role; the invitation is
// accepted with a new account, which is logged in.
func (e *env) join(t *testing.T, inviter caller, email, role string) caller {
	t.Helper()
	r := e.do(t, inviter, "POST", pp+"/invitations", map[string]string{"email": email, "role": role})
	want(t, r, http.StatusCreated)
	var inv struct{ Token string }
	decodeJSON(t, r, &inv)
	want(t, e.do(t, anon, "POST", "/api/v1/invitations/accept", map[string]string{"token": inv.Token, "password": password}), http.StatusOK)
	return e.login(t, email)
}
