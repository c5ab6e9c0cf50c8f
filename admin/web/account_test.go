//go:build !js

package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
)

// acctWorld is the admin's pages over a fresh database.
type acctWorld struct {
	svc *admin.Service
	srv *httptest.Server
}

func newAcctWorld(t *testing.T) *acctWorld {
	t.Helper()
	svc := newTestService(t)
	h := newTestHandler(t, svc)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &acctWorld{svc: svc, srv: srv}
}

// newTestService is the admin's Service over a fresh database, with cheap
// password hashing.
func newTestService(t *testing.T) *admin.Service {
	t.Helper()
	db, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
}

// newTestHandler is the admin's pages over svc, with the API behind them.
func newTestHandler(t *testing.T, svc *admin.Service) *Handler {
	t.Helper()
	h, err := New(svc, admin.NewHandler(svc, admin.HandlerConfig{}), Config{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// browser is a client with a cookie jar that does not follow redirects.
func (w *acctWorld) browser(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type acctResp struct {
	status   int
	location string
	body     string
}

func (w *acctWorld) get(t *testing.T, c *http.Client, path string, hdr ...string) acctResp {
	t.Helper()
	req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return w.do(t, c, req)
}

func (w *acctWorld) post(t *testing.T, c *http.Client, path string, form url.Values, hdr ...string) acctResp {
	t.Helper()
	req, _ := http.NewRequest("POST", w.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return w.do(t, c, req)
}

func (w *acctWorld) do(t *testing.T, c *http.Client, req *http.Request) acctResp {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return acctResp{resp.StatusCode, resp.Header.Get("Location"), string(b)}
}

func TestFirstRunLoginLogout(t *testing.T) {
	w := newAcctWorld(t)
	b := w.browser(t)
	if r := w.get(t, b, "/admin/"); r.status != http.StatusSeeOther || r.location != "/admin/setup" {
		t.Fatalf("new server /admin/: %d → %q, want the first-run page", r.status, r.location)
	}
	r := w.get(t, b, "/admin/setup")
	if r.status != 200 || !strings.Contains(r.body, ">Create account</button>") || !strings.Contains(r.body, `<label for="email">Email</label>`) {
		t.Fatalf("setup page: %d %s", r.status, r.body)
	}
	if r := w.post(t, b, "/admin/setup", url.Values{"email": {"ann@example.com"}, "password": {"short"}}); r.status != 422 ||
		!strings.Contains(r.body, "at least 10 characters") || !strings.Contains(r.body, `value="ann@example.com"`) {
		t.Fatalf("setup with a short password: %d, want 422 saying why and keeping the email", r.status)
	}
	if r := w.post(t, b, "/admin/setup", url.Values{"email": {"ann@example.com"}, "password": {"correct horse battery"}}); r.status != http.StatusSeeOther || r.location != "/admin/" {
		t.Fatalf("setup: %d → %q", r.status, r.location)
	}
	if r := w.get(t, b, "/admin/"); r.status != 200 || !strings.Contains(r.body, "Add property") || !strings.Contains(r.body, ">Log out</button>") {
		t.Fatalf("dashboard after setup: %d", r.status)
	}
	// A second first-run is refused; the page sends people to log in.
	other := w.browser(t)
	if r := w.get(t, other, "/admin/setup"); r.status != http.StatusSeeOther || r.location != "/admin/login" {
		t.Errorf("setup page once an account exists: %d → %q", r.status, r.location)
	}
	if r := w.post(t, other, "/admin/setup", url.Values{"email": {"eve@example.com"}, "password": {"correct horse battery"}}); r.status != http.StatusForbidden {
		t.Errorf("second setup: %d, want 403", r.status)
	}

	// Log out, then a protected page sends to the login with next.
	if r := w.post(t, b, "/admin/logout", nil); r.status != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.status)
	}
	if r := w.get(t, b, "/admin/p/x/settings/"); r.status != http.StatusSeeOther || r.location != "/admin/login?next=%2Fadmin%2Fp%2Fx%2Fsettings%2F" {
		t.Errorf("protected page after logout: %d → %q", r.status, r.location)
	}
	if r := w.post(t, b, "/admin/login", url.Values{"email": {"ann@example.com"}, "password": {"wrong password!"}, "next": {"/admin/"}}); r.status != 401 ||
		!strings.Contains(r.body, "Wrong email or password.") || !strings.Contains(r.body, `value="ann@example.com"`) {
		t.Errorf("wrong password: %d", r.status)
	}
	for _, tt := range []struct{ next, want string }{
		{"/admin/p/x/", "/admin/p/x/"},
		{"https://evil.example/", "/admin/"},
		{"//evil.example/admin/", "/admin/"},
		{"/admin/\\evil", "/admin/"},
	} {
		r := w.post(t, b, "/admin/login", url.Values{"email": {"ann@example.com"}, "password": {"correct horse battery"}, "next": {tt.next}})
		if r.status != http.StatusSeeOther || r.location != tt.want {
			t.Errorf("login with next %q: %d → %q, want %q", tt.next, r.status, r.location, tt.want)
		}
	}
}

func TestDashboardAndProperty(t *testing.T) {
	w := newAcctWorld(t)
	ctx := context.Background()
	b := w.browser(t)
	w.post(t, b, "/admin/setup", url.Values{"email": {"ann@example.com"}, "password": {"correct horse battery"}})
	r := w.post(t, b, "/admin/properties", url.Values{"name": {"Acme <Shop>"}, "websiteUrl": {"https://acme.example"}, "timezone": {"Europe/Paris"}})
	if r.status != http.StatusSeeOther || r.location != "/admin/p/acme-shop/" {
		t.Fatalf("add property: %d → %q", r.status, r.location)
	}
	r = w.get(t, b, "/admin/")
	if !strings.Contains(r.body, `title="Acme &lt;Shop&gt; — https://acme.example — acme-shop"`) || strings.Contains(r.body, "<Shop>") {
		t.Errorf("the dashboard's link does not carry the full name, URL and id, escaped:\n%s", r.body)
	}
	r = w.get(t, b, "/admin/p/acme-shop/")
	if r.status != 200 || !strings.Contains(r.body, `aria-label="Administration"`) || !strings.Contains(r.body, "1 of 20") {
		t.Errorf("property page: %d", r.status)
	}
	if r := w.post(t, b, "/admin/properties", url.Values{"name": {""}}); r.status != 422 || !strings.Contains(r.body, `role="alert"`) {
		t.Errorf("add property without a name: %d", r.status)
	}
	if r := w.post(t, b, "/admin/properties", url.Values{"name": {"X"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("cross-site add property: %d, want 403", r.status)
	}

	// An Agent sees the property but no way into Administration.
	agent, err := w.svc.AddAccount(ctx, "bob@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.svc.Store().SetMember(ctx, &store.Member{PropertyID: "acme-shop", AccountID: agent.ID, Role: store.RoleAgent}); err != nil {
		t.Fatal(err)
	}
	ab := w.browser(t)
	w.post(t, ab, "/admin/login", url.Values{"email": {"bob@example.com"}, "password": {"correct horse battery"}})
	r = w.get(t, ab, "/admin/p/acme-shop/")
	if r.status != 200 || strings.Contains(r.body, `aria-label="Administration"`) || !strings.Contains(r.body, "You are an Agent") {
		t.Errorf("an Agent's property page: %d, has the Administration link or lacks the explanation", r.status)
	}
	if r := w.get(t, ab, "/admin/p/acme-shop/settings/"); r.status != http.StatusForbidden || !strings.Contains(r.body, "Only an Admin") {
		t.Errorf("an Agent opening Administration: %d", r.status)
	}
	// Someone else's property does not exist for a stranger.
	w.svc.AddAccount(ctx, "eve@example.com", "correct horse battery")
	eb := w.browser(t)
	w.post(t, eb, "/admin/login", url.Values{"email": {"eve@example.com"}, "password": {"correct horse battery"}})
	if r := w.get(t, eb, "/admin/p/acme-shop/"); r.status != http.StatusNotFound {
		t.Errorf("a stranger opening the property: %d, want 404", r.status)
	}
}

func TestLanguage(t *testing.T) {
	w := newAcctWorld(t)
	b := w.browser(t)
	if r := w.get(t, b, "/admin/setup", "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"); !strings.Contains(r.body, "Créer un compte") || !strings.Contains(r.body, `<html lang="fr">`) {
		t.Errorf("French browser: page not in French")
	}
	// An explicit choice wins over the browser and is remembered.
	w.get(t, b, "/admin/setup?lang=en", "Accept-Language", "fr")
	if r := w.get(t, b, "/admin/setup", "Accept-Language", "fr"); !strings.Contains(r.body, "Create account") {
		t.Errorf("after choosing English, the page is not in English")
	}
}

// A login refused because the server is busy checking other passwords
// says so, not that there were too many failed logins.
func TestLogin_BusyIsNotAFailedLogin(t *testing.T) {
	if msg := loginRefusal("en", admin.ErrBusy); !strings.Contains(msg, "busy") || strings.Contains(msg, "failed") {
		t.Errorf("the busy refusal reads %q", msg)
	}
	throttled := &store.Error{Code: store.TooManyRequests, Message: "too many failed logins"}
	if msg := loginRefusal("en", throttled); !strings.Contains(msg, "failed logins") {
		t.Errorf("the failed-login wait reads %q", msg)
	}
}

// Add property lists every problem at once, each beside its input, and
// keeps what was typed.
func TestAddPropertyListsEveryProblem(t *testing.T) {
	w := newAcctWorld(t)
	b := w.browser(t)
	w.post(t, b, "/admin/setup", url.Values{"email": {"ann@example.com"}, "password": {"correct horse battery"}})
	r := w.post(t, b, "/admin/properties", url.Values{"name": {""}, "websiteUrl": {"not a url"}, "timezone": {"Mars/Olympus"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	if !strings.Contains(r.body, `<h2>3 problems</h2>`) {
		t.Errorf("the alert does not count 3 problems")
	}
	for _, c := range []struct{ id, text string }{
		{"prop-name", "Give the property a name"},
		{"prop-url", "Enter the website&#39;s address with http:// or https://"},
		{"prop-tz", "Choose a time zone from the list"},
	} {
		if !strings.Contains(r.body, `<p class="field-error" id="`+c.id+`-err">`+c.text) {
			t.Errorf("no error %q beside %s", c.text, c.id)
		}
		if !regexp.MustCompile(`id="` + c.id + `"[^>]*aria-invalid="true" aria-describedby="[^"]*` + c.id + `-err"`).MatchString(r.body) {
			t.Errorf("%s is not marked invalid and described by its error", c.id)
		}
		if !strings.Contains(r.body, `<a href="#`+c.id+`">`) {
			t.Errorf("the alert does not link to %s", c.id)
		}
	}
	if !strings.Contains(r.body, `value="not a url"`) || !strings.Contains(r.body, `value="Mars/Olympus"`) {
		t.Errorf("what was typed is not kept")
	}
}
