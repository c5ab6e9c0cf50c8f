//go:build !js

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// tlWorld is the admin's pages over a fresh database with one property,
// "shop", owned by owner@example.com.
type tlWorld struct {
	svc   *admin.Service
	srv   *httptest.Server
	owner admin.Actor
}

const tlPassword = "correct horse battery"

func newTLWorld(t *testing.T, triggers ...string) *tlWorld {
	t.Helper()
	ctx := context.Background()
	svc := newTestService(t)
	h := newTestHandler(t, svc)
	w := &tlWorld{svc: svc, srv: httptest.NewServer(h)}
	t.Cleanup(w.srv.Close)
	acc, _, err := svc.Setup(ctx, "owner@example.com", tlPassword)
	if err != nil {
		t.Fatal(err)
	}
	w.owner = admin.Actor{Account: acc}
	set := `{"version":1,"property":"shop","triggers":[` + strings.Join(triggers, ",") + `]}`
	if _, err := svc.CreateProperty(ctx, w.owner, "", admin.NewProperty{ID: "shop", Name: "Shop", Set: []byte(set)}); err != nil {
		t.Fatalf("creating the property: %v", err)
	}
	return w
}

// tlTrigger is a site trigger's JSON.
func tlTrigger(id, name string, delay int) string {
	return fmt.Sprintf(`{"id":%q,"name":%q,"type":"site","delay":%d,"message":{"text":"Hello from %s"},"agent":{"name":"Ann"}}`, id, name, delay, id)
}

// threeTriggers is a set of three triggers of different types.
var threeTriggers = []string{
	tlTrigger("welcome", "Welcome message", 5),
	`{"id":"pricing","name":"Pricing help","type":"page","delay":60,"url":{"match":"starts_with","value":"/pricing"},"message":{"text":"Need help?"},"agent":{"name":"Ann"}}`,
	`{"id":"lead","type":"advanced","event":"custom_event","conditions":[{"field":"event.name","op":"eq","value":"lead"}],"actions":[{"type":"send_message","message":{"text":"Thanks!"},"agent":{"name":"Ann"}}]}`,
}

// login returns a client logged in as email (cookies kept, redirects not
// followed).
func (w *tlWorld) login(t *testing.T, email, password string) *http.Client {
	t.Helper()
	_, secret, err := w.svc.Login(context.Background(), email, password, "test")
	if err != nil {
		t.Fatalf("logging %s in: %v", email, err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(w.srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: secret, Path: "/"}})
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type tlResp struct {
	status   int
	location string
	body     string
}

func (w *tlWorld) do(t *testing.T, c *http.Client, method, path string, form url.Values, hdr ...string) tlResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return tlResp{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

// published is the published set's triggers: ids in order, and whether
// each is enabled.
func (w *tlWorld) published(t *testing.T) (ids []string, enabled map[string]bool) {
	t.Helper()
	p, err := w.svc.PublishedSet(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Triggers []struct {
			ID      string `json:"id"`
			Enabled *bool  `json:"enabled"`
		} `json:"triggers"`
	}
	if err := json.Unmarshal(p.Data, &set); err != nil {
		t.Fatal(err)
	}
	enabled = map[string]bool{}
	for _, tr := range set.Triggers {
		ids = append(ids, tr.ID)
		enabled[tr.ID] = tr.Enabled == nil || *tr.Enabled
	}
	return ids, enabled
}

// etagOf is the ETag the page's Enabled form carries for a trigger.
func etagOf(t *testing.T, page, id string) string {
	t.Helper()
	re := regexp.MustCompile(`action="/admin/p/shop/settings/triggers/` + regexp.QuoteMeta(id) + `/enabled"[^>]*>\s*<input type="hidden" name="etag" value="([^"]+)"`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no Enabled form for %s", id)
	}
	return strings.ReplaceAll(m[1], "&#34;", `"`)
}

const tlList = "/admin/p/shop/settings/triggers"

func TestTriggerListShowsRows(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)
	r := w.do(t, b, "GET", tlList+"?lang=en", nil)
	if r.status != 200 {
		t.Fatalf("list: %d %s", r.status, r.body)
	}
	for _, want := range []string{
		`<h1 id="triggers-heading">Triggers</h1>`,
		`>3 of 20</span>`,
		`<a class="button primary" href="/admin/p/shop/settings/triggers/new"><span aria-hidden="true">+</span> Add trigger</a>`,
		`href="/admin/p/shop/settings/triggers" aria-current="page">Triggers</a>`, // the Settings menu
		`<a id="name-welcome" href="/admin/p/shop/settings/triggers/welcome">Welcome message</a>`,
		`<a id="name-lead" href="/admin/p/shop/settings/triggers/lead">lead</a>`, // no name: its id
		`aria-label="Select Welcome message"`,
		`aria-label="Select Pricing help"`,
		`Site notification`, `Page notification`, `Advanced`,
		`5 seconds`, `1 minute`, `On a custom event`, `URL starts with /pricing`,
		`role="switch" name="enabled" checked aria-checked="true"`,
		`<span class="tl-sr">Enabled</span>`,
		`>Duplicate</button>`,
		`aria-label="Move Welcome message up" title="Move up" disabled`,
		`aria-label="Move lead down" title="Move down" disabled`,
		`aria-label="Move Pricing help down"`,
		`<span aria-hidden="true">🗑</span> Delete</button>`,
		`<dialog id="delete-dialog"`,
		`the one higher in this list shows its message first`,
		`role="status"`,
		`data-state-on="On"`, `data-state-off="Off"`, `data-title-one="Delete 1 trigger?" data-title-many="Delete %d triggers?"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the list lacks %s", want)
		}
	}
	if n := strings.Count(r.body, `<tr id="row-`); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	if strings.Contains(r.body, "disabled aria-describedby=\"limit-reason\"") {
		t.Error("Add trigger is disabled at 3 triggers")
	}

	// In French.
	r = w.do(t, b, "GET", tlList+"?lang=fr", nil)
	for _, want := range []string{">3 sur 20</span>", "Ajouter un déclencheur", "Notification de site", "Sélectionner Welcome message", "Supprimer"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the French list lacks %s", want)
		}
	}
}

func TestTriggerListEmptyAndEscaped(t *testing.T) {
	w := newTLWorld(t)
	b := w.login(t, "owner@example.com", tlPassword)
	r := w.do(t, b, "GET", tlList+"?lang=en", nil)
	if r.status != 200 || !strings.Contains(r.body, ">0 of 20</span>") || !strings.Contains(r.body, "Add your first trigger") ||
		!strings.Contains(r.body, "A trigger shows a message in your chat widget") {
		t.Errorf("empty list: %d, want the counter and an explanation", r.status)
	}

	w = newTLWorld(t, tlTrigger("x", `<script>alert(1)</script>`, 0), tlTrigger("y", `"><img src=x onerror=alert(2)>`, 0))
	b = w.login(t, "owner@example.com", tlPassword)
	r = w.do(t, b, "GET", tlList+"?lang=en", nil)
	if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
		t.Errorf("a trigger's name reached the page as markup")
	}
	if !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(r.body, "No delay") {
		t.Errorf("the escaped name or No delay is missing")
	}
}

func TestTriggerListFull(t *testing.T) {
	var ts []string
	for i := range 20 {
		ts = append(ts, tlTrigger(fmt.Sprintf("t%d", i+1), fmt.Sprintf("Trigger %d", i+1), i))
	}
	w := newTLWorld(t, ts...)
	b := w.login(t, "owner@example.com", tlPassword)
	r := w.do(t, b, "GET", tlList+"?lang=en", nil)
	for _, want := range []string{
		">20 of 20</span>",
		`<button type="button" class="primary" disabled aria-describedby="limit-reason"><span aria-hidden="true">+</span> Add trigger</button>`,
		`<p id="limit-reason" class="tl-limit">A property has at most 20 triggers. Delete one to add another.</p>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the full list lacks %s", want)
		}
	}
	if strings.Contains(r.body, `href="/admin/p/shop/settings/triggers/new"`) {
		t.Error("the full list links to a new trigger")
	}
	// Duplicating a 21st is refused and says why.
	r = w.do(t, b, "POST", tlList+"/t1/duplicate?lang=en", url.Values{})
	if r.status != 422 || !strings.Contains(r.body, `role="alert"`) {
		t.Errorf("duplicate at 20: %d, want 422 with an alert", r.status)
	}
	if ids, _ := w.published(t); len(ids) != 20 {
		t.Errorf("%d triggers after a refused duplicate", len(ids))
	}
}

func TestTriggerEnabledSwitch(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)
	page := w.do(t, b, "GET", tlList, nil).body
	tag := etagOf(t, page, "pricing")

	// The form without JavaScript: the unticked box sends nothing.
	r := w.do(t, b, "POST", tlList+"/pricing/enabled", url.Values{"etag": {tag}})
	if r.status != http.StatusSeeOther || r.location != tlList+"?done=saved" {
		t.Fatalf("switch off: %d → %q %s", r.status, r.location, r.body)
	}
	if _, on := w.published(t); on["pricing"] || !on["welcome"] || !on["lead"] {
		t.Errorf("after switching pricing off, published: %v", on)
	}
	r = w.do(t, b, "GET", r.location+"&lang=en", nil)
	if !strings.Contains(r.body, `<div id="tl-status" class="tl-status" role="status"><p class="notice">Saved</p></div>`) ||
		!strings.Contains(r.body, `<tr id="row-pricing" data-id="pricing" data-label="Pricing help" class="off">`) {
		t.Errorf("after switching off, the page does not say Saved or show the row off")
	}

	// The script's request: JSON back, with the new ETag.
	tag = etagOf(t, r.body, "pricing")
	r = w.do(t, b, "POST", tlList+"/pricing/enabled", url.Values{"etag": {tag}, "enabled": {"on"}}, "Accept", "application/json", "X-Requested-With", "fetch")
	var out struct {
		OK      bool   `json:"ok"`
		Enabled bool   `json:"enabled"`
		ETag    string `json:"etag"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || r.status != 200 || !out.OK || !out.Enabled || out.ETag == "" || out.Message != "Saved" {
		t.Fatalf("switch on (JSON): %d %s", r.status, r.body)
	}
	if _, on := w.published(t); !on["pricing"] {
		t.Error("pricing is not on again")
	}

	// The old ETag lost the race: 409, nothing changed, and a way to reload.
	r = w.do(t, b, "POST", tlList+"/pricing/enabled?lang=en", url.Values{"etag": {tag}})
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone else changed these triggers") ||
		!strings.Contains(r.body, `<a class="button" href="/admin/p/shop/settings/triggers">Reload</a>`) {
		t.Errorf("stale switch: %d, want 409 offering to reload", r.status)
	}
	r = w.do(t, b, "POST", tlList+"/pricing/enabled", url.Values{"etag": {tag}}, "Accept", "application/json")
	if r.status != http.StatusConflict || !strings.Contains(r.body, `"reload":true`) {
		t.Errorf("stale switch (JSON): %d %s", r.status, r.body)
	}
	if _, on := w.published(t); !on["pricing"] {
		t.Error("a stale switch changed the trigger")
	}
	// An unknown trigger.
	if r := w.do(t, b, "POST", tlList+"/nope/enabled", url.Values{}); r.status != http.StatusNotFound {
		t.Errorf("switch of an unknown trigger: %d", r.status)
	}
}

func TestTriggerDelete(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)

	// Nothing ticked: the page explains.
	r := w.do(t, b, "GET", tlList+"/delete?lang=en", nil)
	if r.status != 200 || !strings.Contains(r.body, "No trigger is selected. Tick the box beside each trigger to delete") {
		t.Errorf("delete with nothing selected: %d", r.status)
	}
	// The confirmation names them, with Delete and Cancel.
	r = w.do(t, b, "GET", tlList+"/delete?lang=en&ids=welcome&ids=lead", nil)
	for _, want := range []string{
		"Delete 2 triggers?", "<li>Welcome message</li>", "<li>lead</li>",
		`<input type="hidden" name="ids" value="welcome">`, `<input type="hidden" name="ids" value="lead">`,
		`<a class="button" href="/admin/p/shop/settings/triggers">Cancel</a>`,
		`<button type="submit" class="danger primary">Delete</button>`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the confirmation lacks %s", want)
		}
	}
	if strings.Contains(r.body, "<li>Pricing help</li>") {
		t.Error("the confirmation names a trigger that was not selected")
	}
	// Delete.
	r = w.do(t, b, "POST", tlList+"/delete", url.Values{"ids": {"welcome", "lead"}})
	if r.status != http.StatusSeeOther || r.location != tlList+"?done=deleted&n=2" {
		t.Fatalf("delete: %d → %q %s", r.status, r.location, r.body)
	}
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"pricing"}) {
		t.Errorf("published after deleting two: %v", ids)
	}
	r = w.do(t, b, "GET", r.location+"&lang=en", nil)
	if !strings.Contains(r.body, `role="status"><p class="notice">Deleted 2 triggers</p>`) || !strings.Contains(r.body, ">1 of 20</span>") {
		t.Errorf("after the delete, no status message or a wrong counter")
	}
	// Deleting one that is gone already: a conflict, nothing deleted.
	r = w.do(t, b, "POST", tlList+"/delete?lang=en", url.Values{"ids": {"welcome", "pricing"}})
	if r.status != http.StatusConflict {
		t.Errorf("deleting a deleted trigger: %d", r.status)
	}
	if ids, _ := w.published(t); len(ids) != 1 {
		t.Errorf("published after a refused delete: %v", ids)
	}
	// Nothing posted.
	if r := w.do(t, b, "POST", tlList+"/delete", url.Values{}); r.status != 422 {
		t.Errorf("delete of nothing: %d", r.status)
	}
}

func TestTriggerDuplicate(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)
	r := w.do(t, b, "POST", tlList+"/welcome/duplicate", url.Values{})
	if r.status != http.StatusSeeOther || r.location != tlList+"?done=duplicated&id=welcome-copy" {
		t.Fatalf("duplicate: %d → %q %s", r.status, r.location, r.body)
	}
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"welcome", "welcome-copy", "pricing", "lead"}) {
		t.Errorf("published after duplicating: %v", ids)
	}
	r = w.do(t, b, "GET", r.location+"&lang=en", nil)
	if !strings.Contains(r.body, "Duplicated: the copy is “Welcome message (copy)”, just below the original.") || !strings.Contains(r.body, ">4 of 20</span>") {
		t.Errorf("after duplicating, the page does not say so")
	}
}

func TestTriggerMove(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)
	r := w.do(t, b, "POST", tlList+"/lead/move", url.Values{"dir": {"up"}})
	if r.status != http.StatusSeeOther || r.location != tlList+"?dir=up&done=moved&id=lead" {
		t.Fatalf("move up: %d → %q %s", r.status, r.location, r.body)
	}
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"welcome", "lead", "pricing"}) {
		t.Errorf("after moving lead up: %v", ids)
	}
	r = w.do(t, b, "GET", r.location+"&lang=en", nil)
	if !strings.Contains(r.body, "Moved “lead” to position 2 of 3.") || !strings.Contains(r.body, `aria-label="Move lead up" title="Move up" autofocus`) {
		t.Errorf("after a move, the page does not say where it went or keep the focus on the button")
	}
	w.do(t, b, "POST", tlList+"/welcome/move", url.Values{"dir": {"down"}})
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"lead", "welcome", "pricing"}) {
		t.Errorf("after moving welcome down: %v", ids)
	}
	// The first cannot go up: nothing changes.
	w.do(t, b, "POST", tlList+"/lead/move", url.Values{"dir": {"up"}})
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"lead", "welcome", "pricing"}) {
		t.Errorf("after moving the first up: %v", ids)
	}
	// The script's drag and drop sends the whole order.
	r = w.do(t, b, "POST", tlList+"/order", url.Values{"ids": {"pricing", "lead", "welcome"}}, "Accept", "application/json")
	if r.status != 200 || !strings.Contains(r.body, `"ok":true`) {
		t.Errorf("order: %d %s", r.status, r.body)
	}
	if ids, _ := w.published(t); !slices.Equal(ids, []string{"pricing", "lead", "welcome"}) {
		t.Errorf("after the new order: %v", ids)
	}
	// An order made from an old list is a conflict.
	r = w.do(t, b, "POST", tlList+"/order", url.Values{"ids": {"pricing", "lead"}}, "Accept", "application/json")
	if r.status != http.StatusConflict || !strings.Contains(r.body, `"reload":true`) {
		t.Errorf("a partial order: %d %s", r.status, r.body)
	}
}

func TestTriggerListAccess(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	ctx := context.Background()
	_, secret, err := w.svc.Invite(ctx, w.owner, "shop", "agent@example.com", store.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.Accept(ctx, secret, tlPassword, "test"); err != nil {
		t.Fatal(err)
	}
	other, err := w.svc.AddAccount(ctx, "other@example.com", tlPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateProperty(ctx, admin.Actor{Account: other}, "", admin.NewProperty{ID: "elsewhere", Name: "Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	agent := w.login(t, "agent@example.com", tlPassword)
	stranger := w.login(t, "other@example.com", tlPassword)
	posts := []struct {
		path string
		form url.Values
	}{
		{"/welcome/enabled", url.Values{}},
		{"/welcome/duplicate", url.Values{}},
		{"/welcome/move", url.Values{"dir": {"down"}}},
		{"/order", url.Values{"ids": {"lead", "pricing", "welcome"}}},
		{"/delete", url.Values{"ids": {"welcome"}}},
	}
	for _, who := range []struct {
		name   string
		c      *http.Client
		status int
	}{{"an Agent", agent, 403}, {"another property's Admin", stranger, 404}} {
		if r := w.do(t, who.c, "GET", tlList, nil); r.status != who.status {
			t.Errorf("%s opens the list: %d, want %d", who.name, r.status, who.status)
		}
		if r := w.do(t, who.c, "GET", tlList+"/delete?ids=welcome", nil); r.status != who.status {
			t.Errorf("%s opens the delete confirmation: %d, want %d", who.name, r.status, who.status)
		}
		for _, p := range posts {
			if r := w.do(t, who.c, "POST", tlList+p.path, p.form); r.status != who.status {
				t.Errorf("%s posts %s: %d, want %d", who.name, p.path, r.status, who.status)
			}
		}
	}
	// Not logged in: to the login.
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if r := w.do(t, anon, "GET", tlList, nil); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/admin/login?next=") {
		t.Errorf("anonymous list: %d → %q", r.status, r.location)
	}
	if ids, on := w.published(t); !slices.Equal(ids, []string{"welcome", "pricing", "lead"}) || !on["welcome"] {
		t.Errorf("the set changed: %v %v", ids, on)
	}
}

func TestTriggerListCrossSite(t *testing.T) {
	w := newTLWorld(t, threeTriggers...)
	b := w.login(t, "owner@example.com", tlPassword)
	for _, p := range []string{"/welcome/enabled", "/welcome/duplicate", "/delete", "/lead/move", "/order"} {
		r := w.do(t, b, "POST", tlList+p, url.Values{"ids": {"welcome"}, "dir": {"up"}}, "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", p, r.status)
		}
		r = w.do(t, b, "POST", tlList+p, url.Values{"ids": {"welcome"}, "dir": {"up"}}, "Origin", "https://evil.example")
		if r.status != http.StatusForbidden {
			t.Errorf("POST %s from another origin: %d, want 403", p, r.status)
		}
	}
	if ids, on := w.published(t); !slices.Equal(ids, []string{"welcome", "pricing", "lead"}) || !on["welcome"] {
		t.Errorf("a cross-site request changed the set: %v %v", ids, on)
	}
}

func TestDelayText(t *testing.T) {
	for s, want := range map[int]string{0: "No delay", 1: "1 second", 5: "5 seconds", 60: "1 minute", 90: "1 minute 30 seconds", 600: "10 minutes", 3600: "1 hour"} {
		if got := delayText("en", s); got != want {
			t.Errorf("delayText(%d) = %q, want %q", s, got, want)
		}
	}
	if got := delayText("fr", 5); got != "5 secondes" {
		t.Errorf("delayText(fr, 5) = %q", got)
	}
}
