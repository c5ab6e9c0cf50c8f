//go:build !js

package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// pvWorld is the admin's pages over a fresh database holding the demo
// property ("demo", imported by the operator from demo/properties), owned
// by owner@example.com, with agent@example.com as its Agent.
type pvWorld struct {
	svc *admin.Service
	srv *httptest.Server
}

const pvPassword = "correct horse battery"

func newPVWorld(t *testing.T) *pvWorld {
	t.Helper()
	ctx := context.Background()
	svc := newTestService(t)
	h := newTestHandler(t, svc)
	w := &pvWorld{svc: svc, srv: httptest.NewServer(h)}
	t.Cleanup(w.srv.Close)
	acc, _, err := svc.Setup(ctx, "owner@example.com", pvPassword)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../demo/properties/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateProperty(ctx, admin.Operator("test"), acc.Email, admin.NewProperty{
		ID: "demo", Name: "Demo shop", WebsiteURL: "https://shop.example", Timezone: "Europe/Paris", Set: data,
	}); err != nil {
		t.Fatalf("importing the demo property: %v", err)
	}
	_, secret, err := svc.Invite(ctx, admin.Actor{Account: acc}, "demo", "agent@example.com", store.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Accept(ctx, secret, pvPassword, "test"); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *pvWorld) login(t *testing.T, email string) *http.Client {
	t.Helper()
	_, secret, err := w.svc.Login(context.Background(), email, pvPassword, "test")
	if err != nil {
		t.Fatalf("logging %s in: %v", email, err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(w.srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: secret, Path: "/"}})
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type pvResp struct {
	status int
	header http.Header
	body   string
}

func (w *pvWorld) do(t *testing.T, c *http.Client, method, path string, form url.Values) pvResp {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", "en")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return pvResp{resp.StatusCode, resp.Header, string(b)}
}

func TestPreviewPage(t *testing.T) {
	w := newPVWorld(t)
	r := w.do(t, w.login(t, "owner@example.com"), "GET", "/admin/p/demo/preview", nil)
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'self'", "script-src 'self' 'wasm-unsafe-eval';",
		"connect-src 'self' blob:;", "style-src 'self' '" + widgetStyleHash + "';", "base-uri 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("CSP %q allows inline or eval", csp)
	}
	for _, want := range []string{`data-widget="/widget/widget.js"`, `data-pid="demo"`, "Rendered by the widget itself",
		`id="preview-placeholder"`, "/admin/static/preview.js?v="} {
		if !strings.Contains(r.body, want) {
			t.Errorf("preview page lacks %q:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "style=") {
		t.Errorf("preview page has an inline script or style:\n%s", r.body)
	}
	// In French.
	req, _ := http.NewRequest("GET", w.srv.URL+"/admin/p/demo/preview?lang=fr", nil)
	resp, err := w.login(t, "owner@example.com").Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "Affiché par le widget lui-même") {
		t.Errorf("French preview page:\n%s", b)
	}
}

// The widget's stylesheet is allowed by its hash: the hash must be that
// of the stylesheet the runtime embeds.
func TestPreviewStyleHash(t *testing.T) {
	css, err := os.ReadFile("../../wasm/widget.css")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(css)
	if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != widgetStyleHash {
		t.Errorf("wasm/widget.css hashes to %s; set widgetStyleHash to it", got)
	}
}

func TestPreviewAndTestNeedManage(t *testing.T) {
	w := newPVWorld(t)
	agent := w.login(t, "agent@example.com")
	for _, rq := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/admin/p/demo/preview", nil},
		{"GET", "/admin/p/demo/settings/test", nil},
		{"POST", "/admin/p/demo/settings/test", url.Values{"steps": {"1"}, "step-1-at": {"0"}, "step-1-action": {"page_view"}, "step-1-value": {"/"}}},
	} {
		if r := w.do(t, agent, rq.method, rq.path, rq.form); r.status != http.StatusForbidden {
			t.Errorf("an Agent: %s %s → %d, want 403", rq.method, rq.path, r.status)
		}
	}
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if r := w.do(t, anon, "GET", "/admin/p/demo/preview", nil); r.status != http.StatusSeeOther {
		t.Errorf("anonymous preview: %d, want a redirect to the login", r.status)
	}
}

// formOf reads the Test page's journey form back as it would be posted.
func formOf(t *testing.T, page string) url.Values {
	t.Helper()
	f := url.Values{}
	inputs := regexp.MustCompile(`<input[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]*)"`)
	for _, m := range inputs.FindAllStringSubmatch(page, -1) {
		if m[1] != "returning" {
			f.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	selects := regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>`)
	selected := regexp.MustCompile(`<option value="([^"]*)"[^>]*\bselected>`)
	for _, m := range selects.FindAllStringSubmatch(page, -1) {
		if s := selected.FindStringSubmatch(m[2]); s != nil {
			f.Set(m[1], s[1])
		} else {
			f.Set(m[1], "")
		}
	}
	return f
}

func TestTestPageRunsTheExampleJourney(t *testing.T) {
	w := newPVWorld(t)
	owner := w.login(t, "owner@example.com")
	r := w.do(t, owner, "GET", "/admin/p/demo/settings/test", nil)
	if r.status != http.StatusOK {
		t.Fatalf("test page: %d\n%s", r.status, r.body)
	}
	for _, want := range []string{"<h1>Test your triggers</h1>", `aria-current="page">Test your triggers`,
		`value="https://shop.example/pricing"`, "Step 1 time (seconds)", "Step 3 action", "Add step", "Run the test"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("test page lacks %q", want)
		}
	}
	form := formOf(t, r.body)
	if form.Get("step-2-at") != "5" || form.Get("step-3-action") != "maximize" || form.Get("step-1-action") != "page_view" {
		t.Fatalf("example journey: %v", form)
	}
	form.Set("run", "1")
	r = w.do(t, owner, "POST", "/admin/p/demo/settings/test", form)
	if r.status != http.StatusOK {
		t.Fatalf("run: %d\n%s", r.status, r.body)
	}
	// The demo's welcome trigger is a site notification with a 4-second
	// delay: it fires 4 seconds into the journey, with its message.
	row := regexp.MustCompile(`(?s)<tr class="k-fired">\s*<td class="at">(?:\+|&#43;)00:04\.0</td>\s*<td class="what"><span class="tag">Fired</span></td>\s*<td><a href="/admin/p/demo/settings/triggers/welcome">([^<]+)</a></td>\s*<td class="detail">([^<]*)</td>`)
	m := row.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no welcome trigger firing at +00:04.0 in:\n%s", r.body)
	}
	if !strings.Contains(html.UnescapeString(m[2]), "Hello 👋") {
		t.Errorf("the fired line's excerpt: %q", m[2])
	}
	for _, want := range []string{"Countdown started", "Widget opened", `id="timeline"`, "Where each trigger stands at the end"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	// The same in French.
	form.Set("run", "1")
	req, _ := http.NewRequest("POST", w.srv.URL+"/admin/p/demo/settings/test?lang=fr", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `<span class="tag">Déclenché</span>`) || !strings.Contains(string(b), "Chronologie") ||
		!strings.Contains(html.UnescapeString(string(b)), "attend une page correspondant à sa règle d’URL") {
		t.Errorf("French timeline:\n%s", b)
	}
}

func TestTestPageStepErrors(t *testing.T) {
	w := newPVWorld(t)
	owner := w.login(t, "owner@example.com")
	form := url.Values{
		"steps":         {"4"},
		"step-1-at":     {"0"},
		"step-1-action": {"page_view"},
		"step-1-value":  {"/pricing"},
		"step-2-at":     {"soon"},
		"step-2-action": {"visitor_message"},
		"step-2-value":  {"<b>hi</b>"},
		"step-3-at":     {"10"},
		"step-3-action": {"custom_event"},
		"step-3-value":  {""},
		"step-4-at":     {""},
		"step-4-action": {""},
		"step-4-value":  {""},
		"run":           {"1"},
	}
	r := w.do(t, owner, "POST", "/admin/p/demo/settings/test", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad journey: %d, want 422", r.status)
	}
	for _, want := range []string{
		`2 problems in the journey`,
		`<input id="step-2-at" name="step-2-at" class="at" inputmode="decimal" autocomplete="off" value="soon" aria-invalid="true" aria-describedby="step-2-error">`,
		`<p class="field-error" id="step-2-error">The time must be a number of seconds, like 5 or 2.5.</p>`,
		`<p class="field-error" id="step-3-error">Enter the event&#39;s name.</p>`,
		`value="&lt;b&gt;hi&lt;/b&gt;"`, // kept, as text
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the refused journey lacks %s", want)
		}
	}
	if strings.Contains(r.body, `id="step-1-error"`) || strings.Contains(r.body, `id="timeline"`) {
		t.Errorf("a good step is marked, or a timeline is shown")
	}
	// Steps out of time order.
	form = url.Values{"steps": {"2"}, "step-1-at": {"10"}, "step-1-action": {"page_view"}, "step-1-value": {"https://shop.example/"},
		"step-2-at": {"3"}, "step-2-action": {"maximize"}, "run": {"1"}}
	r = w.do(t, owner, "POST", "/admin/p/demo/settings/test", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="step-2-error">This step comes before the one above it`) {
		t.Errorf("steps out of order: %d\n%s", r.status, r.body)
	}
	// Add step, without a script: more rows, what was typed kept.
	form.Del("run")
	form.Set("add", "1")
	r = w.do(t, owner, "POST", "/admin/p/demo/settings/test", form)
	if r.status != http.StatusOK || !strings.Contains(r.body, `name="step-5-at"`) || !strings.Contains(r.body, `value="https://shop.example/"`) {
		t.Errorf("add step: %d", r.status)
	}
}
