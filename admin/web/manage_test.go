//go:build !js

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// mgWorld is the admin's pages over a fresh database with one property,
// "shop", owned by ann@example.com.
type mgWorld struct {
	svc   *admin.Service
	srv   *httptest.Server
	owner admin.Actor
}

const mgPassword = "correct horse battery"

func newMGWorld(t *testing.T) *mgWorld {
	t.Helper()
	ctx := context.Background()
	svc := newTestService(t)
	h := newTestHandler(t, svc)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	acc, _, err := svc.Setup(ctx, "ann@example.com", mgPassword)
	if err != nil {
		t.Fatal(err)
	}
	w := &mgWorld{svc: svc, srv: srv, owner: admin.Actor{Account: acc}}
	if _, err := svc.CreateProperty(ctx, w.owner, "", admin.NewProperty{ID: "shop", Name: "Shop <b>", Timezone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	return w
}

// join makes email a member of property pid with role, through an
// invitation of the owner.
func (w *mgWorld) join(t *testing.T, pid, email string, role store.Role) admin.Actor {
	t.Helper()
	ctx := context.Background()
	_, secret, err := w.svc.Invite(ctx, w.owner, pid, email, role)
	if err != nil {
		t.Fatal(err)
	}
	acc, _, err := w.svc.Accept(ctx, secret, mgPassword, "test")
	if err != nil {
		t.Fatal(err)
	}
	return admin.Actor{Account: acc}
}

type mgResp struct {
	status int
	header http.Header
	body   string
}

func (w *mgWorld) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (w *mgWorld) login(t *testing.T, email string) *http.Client {
	t.Helper()
	c := w.client()
	if r := w.do(t, c, "POST", "/admin/login", url.Values{"email": {email}, "password": {mgPassword}}); r.status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", email, r.status)
	}
	return c
}

func (w *mgWorld) do(t *testing.T, c *http.Client, method, path string, form url.Values) mgResp {
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
	return w.send(t, c, req)
}

func (w *mgWorld) send(t *testing.T, c *http.Client, req *http.Request) mgResp {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return mgResp{resp.StatusCode, resp.Header, string(b)}
}

// multipart posts fields and files (key → name, content) as a form.
func (w *mgWorld) multipart(t *testing.T, c *http.Client, path string, fields map[string]string, files map[string][2]string) mgResp {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for k, f := range files {
		fw, _ := mw.CreateFormFile(k, f[0])
		_, _ = fw.Write([]byte(f[1]))
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", w.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "en")
	return w.send(t, c, req)
}

// follow reads the page a redirect leads to.
func (w *mgWorld) follow(t *testing.T, c *http.Client, r mgResp) mgResp {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("want a redirect, got %d: %s", r.status, mgMain(r.body))
	}
	return w.do(t, c, "GET", r.header.Get("Location"), nil)
}

func (w *mgWorld) published(t *testing.T) *store.Version {
	t.Helper()
	v, err := w.svc.TriggerSet(context.Background(), w.owner, "shop")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// mgMain is a page's main content, for failure messages.
func mgMain(body string) string {
	if _, after, ok := strings.Cut(body, `<main id="main">`); ok {
		body = after
	}
	if len(body) > 3000 {
		body = body[:3000]
	}
	return body
}

const mgBasePath = "/admin/p/shop/settings/"

func TestManagePagesRender(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	for _, p := range []struct{ path, section, heading string }{
		{"shortcuts", "shortcuts", "Shortcuts"},
		{"shortcuts/new", "shortcuts", "Add shortcut"},
		{"widget", "widget", "Widget"},
		{"members", "members", "Members"},
		{"history", "history", "History"},
		{"history/1", "history", "Version 1"},
		{"tokens", "tokens", "API tokens"},
		{"property", "property", "Property"},
	} {
		r := w.do(t, c, "GET", mgBasePath+p.path, nil)
		if r.status != 200 {
			t.Errorf("%s: %d %s", p.path, r.status, mgMain(r.body))
			continue
		}
		if !strings.Contains(r.body, `/settings/`+p.section+`" aria-current="page"`) {
			t.Errorf("%s: the Settings menu does not mark %s as current", p.path, p.section)
		}
		if !regexp.MustCompile(`<h1>` + regexp.QuoteMeta(p.heading)).MatchString(r.body) {
			t.Errorf("%s: no heading %q", p.path, p.heading)
		}
		if strings.Contains(r.body, "Shop <b>") {
			t.Errorf("%s: the property's name is not escaped", p.path)
		}
	}
	// The widget's snippet names this server and the property.
	r := w.do(t, c, "GET", mgBasePath+"widget", nil)
	want := `&lt;script async src=&#34;` + w.srv.URL + `/widget/widget.js&#34; data-property=&#34;shop&#34;&gt;&lt;/script&gt;`
	if !strings.Contains(r.body, want) || !strings.Contains(r.body, `data-copy="snippet"`) {
		t.Errorf("widget page: no embed snippet with a Copy button: %s", mgMain(r.body))
	}
	// The French pages render too.
	req, _ := http.NewRequest("GET", w.srv.URL+mgBasePath+"members?lang=fr", nil)
	if r := w.send(t, c, req); r.status != 200 || !strings.Contains(r.body, "Invitations en attente") {
		t.Errorf("members in French: %d", r.status)
	}
}

func TestManageAccess(t *testing.T) {
	w := newMGWorld(t)
	w.join(t, "shop", "bob@example.com", store.RoleAgent)
	agent := w.login(t, "bob@example.com")
	for _, p := range []string{"members", "tokens", "shortcuts", "widget", "history", "property"} {
		if r := w.do(t, agent, "GET", mgBasePath+p, nil); r.status != http.StatusForbidden {
			t.Errorf("an Agent opening %s: %d, want 403", p, r.status)
		}
	}
	if r := w.do(t, agent, "POST", mgBasePath+"tokens", url.Values{"name": {"ci"}}); r.status != http.StatusForbidden {
		t.Errorf("an Agent creating a token: %d, want 403", r.status)
	}
	// The Admin of another property does not learn that this one exists.
	ctx := context.Background()
	_, invite, err := w.svc.Invite(ctx, w.owner, "shop", "eve@example.com", store.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	acc, _, err := w.svc.Accept(ctx, invite, mgPassword, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateProperty(ctx, admin.Actor{Account: acc}, "", admin.NewProperty{ID: "other", Name: "Other"}); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.RemoveMember(ctx, w.owner, "shop", acc.ID); err != nil {
		t.Fatal(err)
	}
	other := w.login(t, "eve@example.com")
	for _, p := range []string{"members", "tokens", "shortcuts", "history", "property/export"} {
		if r := w.do(t, other, "GET", mgBasePath+p, nil); r.status != http.StatusNotFound {
			t.Errorf("another property's Admin opening %s: %d, want 404", p, r.status)
		}
	}
	if r := w.do(t, other, "POST", mgBasePath+"history/1/restore", url.Values{"confirm": {"1"}}); r.status != http.StatusNotFound {
		t.Errorf("another property's Admin restoring: %d, want 404", r.status)
	}
	// Not logged in: to the login.
	if r := w.do(t, w.client(), "GET", mgBasePath+"members", nil); r.status != http.StatusSeeOther {
		t.Errorf("anonymous members page: %d", r.status)
	}
}

// mgPNG is a small PNG image.
func mgPNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		img.Set(x, x, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestShortcutEveryAttachmentKind(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	fields := map[string]string{
		"op": "save", "id": "kit", "text": "Here is everything:\r\nenjoy 🎉",
		"a.0.kind": "image", "a.0.alt": "Our kits",
		"a.1.kind": "file", "a.1.name": "",
		"a.2.kind": "link", "a.2.url": "https://example.com/compare", "a.2.title": "Compare",
		"a.3.kind": "form", "a.3.submit": "Send me the guide",
		"a.3.f.0.name": "email", "a.3.f.0.label": "Your email", "a.3.f.0.type": "email", "a.3.f.0.required": "1",
		"a.3.f.1.name": "note", "a.3.f.1.label": "Anything else?", "a.3.f.1.type": "textarea",
		"a.3.f.2.name": "", "a.3.f.2.label": "", "a.3.f.2.type": "text", // the empty row
		"a.4.kind": "", // the empty row
	}
	files := map[string][2]string{
		"a.0.upload": {"kits.png", mgPNG(t)},
		"a.1.upload": {"guide.txt", "The guide, in plain text.\n"},
	}
	r := w.multipart(t, c, mgBasePath+"shortcuts/new", fields, files)
	page := w.follow(t, c, r)
	if !strings.Contains(page.body, `role="status"`) || !strings.Contains(page.body, "Saved shortcut “kit”.") {
		t.Errorf("after saving, the list says nothing: %s", mgMain(page.body))
	}
	it, err := w.svc.Shortcut(context.Background(), w.owner, "shop", "kit")
	if err != nil {
		t.Fatal(err)
	}
	var sc widget.Shortcut
	if err := json.Unmarshal(it.Raw, &sc); err != nil {
		t.Fatal(err)
	}
	if sc.Text != "Here is everything:\nenjoy 🎉" || len(sc.Attachments) != 4 {
		t.Fatalf("stored shortcut: %s", it.Raw)
	}
	img, file, link, form := sc.Attachments[0], sc.Attachments[1], sc.Attachments[2], sc.Attachments[3]
	if img.Kind != "image" || !strings.HasPrefix(img.URL, "/u/") || !strings.HasSuffix(img.URL, ".png") || img.Alt != "Our kits" {
		t.Errorf("image: %+v", img)
	}
	if file.Kind != "file" || !strings.HasSuffix(file.URL, ".txt") || file.Name != "guide.txt" || file.Size != int64(len("The guide, in plain text.\n")) {
		t.Errorf("file: %+v", file)
	}
	if link.Kind != "link" || link.URL != "https://example.com/compare" || link.Title != "Compare" || link.Name != "" || link.Alt != "" {
		t.Errorf("link: %+v", link)
	}
	wantFields := []widget.FormField{{Name: "email", Label: "Your email", Type: "email", Required: true}, {Name: "note", Label: "Anything else?", Type: "textarea"}}
	if form.Kind != "form" || form.Submit != "Send me the guide" || len(form.Fields) != 2 || form.Fields[0] != wantFields[0] || form.Fields[1] != wantFields[1] {
		t.Errorf("form: %+v", form)
	}
	if up := w.do(t, c, "GET", img.URL, nil); up.status != 200 {
		t.Errorf("the uploaded image is not served: %d", up.status)
	}

	// The editor shows it all again, and saving it unchanged keeps it.
	ed := w.do(t, c, "GET", mgBasePath+"shortcuts/kit", nil)
	for _, s := range []string{`value="kit"`, "Here is everything:\nenjoy 🎉", `value="` + img.URL + `"`, `value="Our kits"`, `value="guide.txt"`,
		`value="https://example.com/compare"`, `value="Send me the guide"`, `value="Anything else?"`, `value="textarea" selected`} {
		if !strings.Contains(ed.body, s) {
			t.Errorf("the editor does not show %q", s)
		}
	}
	form2 := formValues(ed.body)
	form2.Set("op", "save")
	before := w.published(t).Number
	if r := w.do(t, c, "POST", mgBasePath+"shortcuts/kit", form2); r.status != http.StatusSeeOther {
		t.Fatalf("saving the editor unchanged: %d %s", r.status, mgMain(r.body))
	}
	it2, _ := w.svc.Shortcut(context.Background(), w.owner, "shop", "kit")
	if string(it2.Raw) != string(it.Raw) || w.published(t).Number != before {
		t.Errorf("saving unchanged changed the shortcut:\n%s\n%s", it.Raw, it2.Raw)
	}

	// A stale editor is refused with a way to reload.
	form2.Set("text", "Changed by me")
	form2.Set("etag", `"stale"`)
	if r := w.do(t, c, "POST", mgBasePath+"shortcuts/kit", form2); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "Reload the shortcut") || !strings.Contains(r.body, "Changed by me") {
		t.Errorf("a stale save: %d %s", r.status, mgMain(r.body))
	}
}

// formValues reads the inputs, textareas and selected options of a page
// (enough for the editor's forms).
func formValues(page string) url.Values {
	v := url.Values{}
	inputs := regexp.MustCompile(`<input[^>]*>`)
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return htmlUnescape(m[1]), true
	}
	body, _, _ := strings.Cut(page, `<template id="tpl-att">`)
	for _, tag := range inputs.FindAllString(body, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		typ, _ := attr(tag, "type")
		if typ == "file" || (typ == "checkbox" && !strings.Contains(tag, " checked")) {
			continue
		}
		val, _ := attr(tag, "value")
		v.Add(name, val)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		v.Add(m[1], htmlUnescape(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if s := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); s != nil {
			v.Add(m[1], htmlUnescape(s[1]))
		} else if s := regexp.MustCompile(`<option value="([^"]*)"`).FindStringSubmatch(m[2]); s != nil {
			v.Add(m[1], htmlUnescape(s[1]))
		}
	}
	return v
}

func htmlUnescape(s string) string {
	r := strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&#39;", "'", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#43;", "+")
	return r.Replace(s)
}

func TestShortcutRefusedKeepsWhatWasTyped(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	before := w.published(t).Number
	r := w.do(t, c, "POST", mgBasePath+"shortcuts/new", url.Values{
		"op": {"save"}, "id": {"bad id!"}, "text": {"<script>alert(1)</script>"},
		"a.0.kind": {"link"}, "a.0.url": {"javascript:alert(1)"}, "a.0.title": {"Typed title"},
		"a.1.kind": {"form"}, "a.1.f.0.name": {"e mail"}, "a.1.f.0.label": {"Typed label"},
	})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad shortcut: %d %s", r.status, mgMain(r.body))
	}
	for _, s := range []string{`value="bad id!"`, "&lt;script&gt;alert(1)&lt;/script&gt;", `value="javascript:alert(1)"`, `value="Typed title"`, `value="Typed label"`,
		`id="sc-id" name="id"`, `aria-describedby="sc-id-help sc-id-err" aria-invalid="true"`, `id="a0-url-err"`, `id="a1-f0-name-err"`,
		"There are 3 problems; nothing was saved.", `href="#a0-url"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("the refused editor lacks %q", s)
		}
	}
	if strings.Contains(r.body, "<script>alert(1)") {
		t.Error("typed text runs as script")
	}
	if w.published(t).Number != before {
		t.Error("a refused shortcut published a version")
	}
	// Without scripts, Add attachment and Add field lay the form out again
	// with one more row, keeping what was typed.
	r = w.do(t, c, "POST", mgBasePath+"shortcuts/new", url.Values{
		"op": {"add-field:1"}, "id": {"later"}, "a.0.kind": {"link"}, "a.0.url": {"https://example.com"}, "a.1.kind": {"form"}, "a.1.f.0.name": {"one"},
	})
	if r.status != 200 || !strings.Contains(r.body, `value="https://example.com"`) || !strings.Contains(r.body, `name="a.1.f.2.name"`) || w.published(t).Number != before {
		t.Errorf("Add field: %d %s", r.status, mgMain(r.body))
	}
	r = w.do(t, c, "POST", mgBasePath+"shortcuts/new", url.Values{"op": {"remove-attachment:0"}, "a.0.kind": {"link"}, "a.0.url": {"https://example.com"}, "a.1.kind": {"image"}, "a.1.url": {"https://example.com/i.png"}})
	if r.status != 200 || strings.Contains(r.body, `value="https://example.com"`) || !strings.Contains(r.body, `name="a.0.url" value="https://example.com/i.png"`) {
		t.Errorf("Remove attachment: %d %s", r.status, mgMain(r.body))
	}
}

// withUsedShortcut gives the property "shop" the shortcut "prices" and the
// trigger "Pricing help" that sends it.
func (w *mgWorld) withUsedShortcut(t *testing.T) context.Context {
	t.Helper()
	ctx := context.Background()
	if _, _, err := w.svc.AddShortcut(ctx, w.owner, "shop", []byte(`{"id": "prices", "text": "Our prices"}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.AddTrigger(ctx, w.owner, "shop", []byte(`{"id": "p", "name": "Pricing help", "type": "site", "message": {"shortcut": "prices"}, "agent": {"name": "Sam"}}`)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func TestShortcutUsedCannotBeDeleted(t *testing.T) {
	w := newMGWorld(t)
	ctx := w.withUsedShortcut(t)
	if _, _, err := w.svc.AddShortcut(ctx, w.owner, "shop", []byte(`{"id": "spare", "text": "Spare"}`)); err != nil {
		t.Fatal(err)
	}
	c := w.login(t, "ann@example.com")
	// Without the dialog, the page asks first.
	r := w.do(t, c, "POST", mgBasePath+"shortcuts/delete", url.Values{"id": {"prices"}})
	if r.status != 200 || !strings.Contains(r.body, "Shortcut “prices” will be deleted.") || !strings.Contains(r.body, `name="confirm" value="1"`) {
		t.Errorf("delete without confirming: %d %s", r.status, mgMain(r.body))
	}
	before := w.published(t).Number
	r = w.do(t, c, "POST", mgBasePath+"shortcuts/delete", url.Values{"id": {"prices"}, "confirm": {"1"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "it is sent by trigger “Pricing help”") || !strings.Contains(r.body, `role="alert"`) {
		t.Errorf("deleting a used shortcut: %d %s", r.status, mgMain(r.body))
	}
	if w.published(t).Number != before {
		t.Error("a refused delete published a version")
	}
	r = w.follow(t, c, w.do(t, c, "POST", mgBasePath+"shortcuts/delete", url.Values{"id": {"spare"}, "confirm": {"1"}}))
	if !strings.Contains(r.body, "Deleted shortcut “spare”.") || strings.Contains(r.body, `shortcuts/spare"`) {
		t.Errorf("after deleting: %s", mgMain(r.body))
	}
}

// Renaming a shortcut a trigger sends is refused with the trigger named,
// and its field named as the trigger editor labels it, not by its path in
// the JSON; in French too.
func TestShortcutRenamedWhileUsed(t *testing.T) {
	w := newMGWorld(t)
	w.withUsedShortcut(t)
	c := w.login(t, "ann@example.com")
	for _, tc := range []struct{ lang, want string }{
		{"", "Trigger “Pricing help” — Shortcut: no shortcut with id"},
		{"fr", "Déclencheur « Pricing help » — Raccourci : raccourci inexistant"},
	} {
		page := w.do(t, c, "GET", mgBasePath+"shortcuts/prices"+map[string]string{"": "", "fr": "?lang=fr"}[tc.lang], nil)
		m := regexp.MustCompile(`name="etag" value="([^"]*)"`).FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("no etag in the editor: %s", mgMain(page.body))
		}
		form := url.Values{"op": {"save"}, "etag": {html.UnescapeString(m[1])}, "id": {"prices-2"}, "text": {"Our prices"}}
		if tc.lang != "" {
			form.Set("lang", tc.lang)
		}
		r := w.do(t, c, "POST", mgBasePath+"shortcuts/prices", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), tc.want) || strings.Contains(r.body, "message.shortcut") {
			t.Errorf("lang %q: renaming a used shortcut: %d %s", tc.lang, r.status, mgMain(r.body))
		}
	}
}

func TestInviteAndAccept(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	// A refused invitation keeps what was typed.
	if r := w.do(t, c, "POST", mgBasePath+"members/invite", url.Values{"email": {"not-an-email"}, "role": {"admin"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `value="not-an-email"`) || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("a bad invitation: %d %s", r.status, mgMain(r.body))
	}
	r := w.do(t, c, "POST", mgBasePath+"members/invite", url.Values{"email": {"Cat@Example.com"}, "role": {"admin"}})
	m := regexp.MustCompile(`value="(http://[^"]*/admin/invitation\?token=([^"]+))"`).FindStringSubmatch(r.body)
	if r.status != 200 || m == nil || !strings.Contains(r.body, "shown only once") || !strings.Contains(r.body, `data-copy="invite-link"`) {
		t.Fatalf("invite: %d %s", r.status, mgMain(r.body))
	}
	token, _ := url.QueryUnescape(htmlUnescape(m[2]))
	if list := w.do(t, c, "GET", mgBasePath+"members", nil); !strings.Contains(list.body, "cat@example.com") || strings.Contains(list.body, token) {
		t.Errorf("the pending invitation is not listed, or its secret is shown again")
	}

	cat := w.client()
	page := w.do(t, cat, "GET", "/admin/invitation?token="+url.QueryEscape(token), nil)
	if page.status != 200 || !strings.Contains(page.body, "ann@example.com invites cat@example.com to join Shop &lt;b&gt; as Admin.") ||
		!strings.Contains(page.body, `autocomplete="new-password"`) || !strings.Contains(page.body, ">Join</button>") {
		t.Fatalf("invitation page: %d %s", page.status, mgMain(page.body))
	}
	if r := w.do(t, cat, "POST", "/admin/invitation", url.Values{"token": {token}, "password": {"short"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "10 characters") {
		t.Errorf("a short password: %d %s", r.status, mgMain(r.body))
	}
	r = w.do(t, cat, "POST", "/admin/invitation", url.Values{"token": {token}, "password": {mgPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/p/shop/" {
		t.Fatalf("accept: %d → %q %s", r.status, r.header.Get("Location"), mgMain(r.body))
	}
	if home := w.follow(t, cat, r); home.status != 200 || !strings.Contains(home.body, "<h1>Shop &lt;b&gt;</h1>") || !strings.Contains(home.body, ">Log out</button>") {
		t.Errorf("after accepting: %d %s", home.status, mgMain(home.body))
	}
	if r := w.do(t, cat, "GET", mgBasePath+"history", nil); r.status != 200 {
		t.Errorf("the new Admin opens History: %d", r.status)
	}
	// The link works once.
	if r := w.do(t, w.client(), "GET", "/admin/invitation?token="+url.QueryEscape(token), nil); r.status != http.StatusNotFound || !strings.Contains(r.body, "ask for a new one") {
		t.Errorf("a used invitation: %d", r.status)
	}

	// Roles: demote cat, then the last Admin cannot demote or remove herself.
	members, _ := w.svc.Members(context.Background(), w.owner, "shop")
	ids := map[string]string{}
	for _, m := range members {
		ids[m.Email] = itoa64(m.AccountID)
	}
	if r := w.follow(t, c, w.do(t, c, "POST", mgBasePath+"members/"+ids["cat@example.com"]+"/role", url.Values{"role": {"agent"}})); !strings.Contains(r.body, "cat@example.com is now Agent.") {
		t.Errorf("change of role: %s", mgMain(r.body))
	}
	if r := w.do(t, c, "POST", mgBasePath+"members/"+ids["ann@example.com"]+"/role", url.Values{"role": {"agent"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "at least one Admin") {
		t.Errorf("demoting the last Admin: %d %s", r.status, mgMain(r.body))
	}
	if r := w.do(t, c, "POST", mgBasePath+"members/"+ids["ann@example.com"]+"/remove", url.Values{"confirm": {"1"}}); r.status != http.StatusConflict || !strings.Contains(r.body, "at least one Admin") {
		t.Errorf("removing the last Admin: %d %s", r.status, mgMain(r.body))
	}
	if r := w.follow(t, c, w.do(t, c, "POST", mgBasePath+"members/"+ids["cat@example.com"]+"/remove", url.Values{"confirm": {"1"}})); !strings.Contains(r.body, "Removed cat@example.com.") {
		t.Errorf("removing a member: %s", mgMain(r.body))
	}

	// Withdraw an invitation.
	w.do(t, c, "POST", mgBasePath+"members/invite", url.Values{"email": {"dan@example.com"}, "role": {"agent"}})
	invs, _ := w.svc.Invitations(context.Background(), w.owner, "shop")
	if len(invs) != 1 {
		t.Fatalf("invitations: %+v", invs)
	}
	if r := w.follow(t, c, w.do(t, c, "POST", mgBasePath+"members/invitations/"+itoa64(invs[0].ID)+"/withdraw", url.Values{"confirm": {"1"}})); !strings.Contains(r.body, "Invitation withdrawn.") {
		t.Errorf("withdraw: %s", mgMain(r.body))
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestRestoreCreatesAVersion(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	// Version 2: the status through the Widget page.
	if r := w.follow(t, c, w.do(t, c, "POST", mgBasePath+"widget", url.Values{"status": {"away"}})); !strings.Contains(r.body, "default status is away") {
		t.Errorf("widget status: %s", mgMain(r.body))
	}
	if st, _ := w.svc.Settings(context.Background(), w.owner, "shop"); st.Status != "away" || st.Version != 2 {
		t.Fatalf("settings after the widget page: %+v", st)
	}
	h := w.do(t, c, "GET", mgBasePath+"history", nil)
	if !strings.Contains(h.body, "Changed the settings") || !strings.Contains(h.body, `aria-current="true"`) || !strings.Contains(h.body, "Restore<span class=\"vh\"> Version 1</span>") {
		t.Errorf("history: %s", mgMain(h.body))
	}
	// A stale page's restore is refused.
	if r := w.do(t, c, "POST", mgBasePath+"history/1/restore", url.Values{"confirm": {"1"}, "current": {"1"}}); r.status != http.StatusConflict {
		t.Errorf("a stale restore: %d", r.status)
	}
	r := w.do(t, c, "POST", mgBasePath+"history/1/restore", url.Values{"confirm": {"1"}, "current": {"2"}})
	if page := w.follow(t, c, r); !strings.Contains(page.body, "Restored version 1 as version 3.") {
		t.Errorf("after restoring: %s", mgMain(page.body))
	}
	v := w.published(t)
	if v.Number != 3 || v.Summary != "Restored version 1" {
		t.Errorf("published after restore: %d %q", v.Number, v.Summary)
	}
	if st, _ := w.svc.Settings(context.Background(), w.owner, "shop"); st.Status != "online" {
		t.Errorf("the restored status: %q", st.Status)
	}
	// A version's JSON is shown escaped.
	if r := w.do(t, c, "GET", mgBasePath+"history/2", nil); r.status != 200 || !strings.Contains(r.body, "&#34;status&#34;: &#34;away&#34;") {
		t.Errorf("version 2's JSON: %d %s", r.status, mgMain(r.body))
	}
}

func TestTokenShownOnceAndRevoked(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	if r := w.do(t, c, "POST", mgBasePath+"tokens", url.Values{"name": {" "}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Errorf("a token without a name: %d", r.status)
	}
	r := w.do(t, c, "POST", mgBasePath+"tokens", url.Values{"name": {"CI deploy"}})
	m := regexp.MustCompile(`id="token-secret" readonly value="(twk_[^"]+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || m == nil || !strings.Contains(r.body, "shown only once") {
		t.Fatalf("create token: %d %s", r.status, mgMain(r.body))
	}
	secret := m[1]
	api := func() int {
		req, _ := http.NewRequest("GET", w.srv.URL+"/api/v1/properties/shop/triggerset", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return w.send(t, w.client(), req).status
	}
	if st := api(); st != 200 {
		t.Fatalf("the new token on the API: %d", st)
	}
	list := w.do(t, c, "GET", mgBasePath+"tokens", nil)
	if !strings.Contains(list.body, "CI deploy") || strings.Contains(list.body, secret) || !strings.Contains(list.body, "ann@example.com") {
		t.Errorf("tokens list: %s", mgMain(list.body))
	}
	tokens, _ := w.svc.Tokens(context.Background(), w.owner, "shop")
	if len(tokens) != 1 {
		t.Fatalf("tokens: %+v", tokens)
	}
	path := mgBasePath + "tokens/" + itoa64(tokens[0].ID) + "/revoke"
	if r := w.do(t, c, "POST", path, url.Values{"name": {"CI deploy"}}); r.status != 200 || !strings.Contains(r.body, "will stop working at once") {
		t.Errorf("revoke without confirming: %d", r.status)
	}
	if st := api(); st != 200 {
		t.Errorf("the token stopped working before the revocation was confirmed: %d", st)
	}
	if r := w.follow(t, c, w.do(t, c, "POST", path, url.Values{"name": {"CI deploy"}, "confirm": {"1"}})); !strings.Contains(r.body, "Token “CI deploy” revoked.") {
		t.Errorf("after revoking: %s", mgMain(r.body))
	}
	if st := api(); st != http.StatusUnauthorized {
		t.Errorf("a revoked token on the API: %d, want 401", st)
	}
}

func TestPropertySettingsImportExport(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	// Settings: a refusal marks its field and keeps what was typed.
	r := w.do(t, c, "POST", mgBasePath+"property", url.Values{"name": {"New name"}, "websiteUrl": {"ftp://x"}, "timezone": {"Europe/Paris"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `value="New name"`) || !strings.Contains(r.body, `aria-invalid="true" aria-describedby="p-url-err"`) {
		t.Errorf("a bad website: %d %s", r.status, mgMain(r.body))
	}
	r = w.follow(t, c, w.do(t, c, "POST", mgBasePath+"property", url.Values{"name": {"New name"}, "websiteUrl": {"https://shop.example"}, "timezone": {"America/Toronto"}}))
	if !strings.Contains(r.body, `role="status"`) {
		t.Errorf("after saving settings: %s", mgMain(r.body))
	}
	st, _ := w.svc.Settings(context.Background(), w.owner, "shop")
	if st.Name != "New name" || st.WebsiteURL != "https://shop.example" || st.Timezone != "America/Toronto" {
		t.Errorf("settings: %+v", st)
	}

	// Export.
	exp := w.do(t, c, "GET", mgBasePath+"property/export", nil)
	v := w.published(t)
	if exp.status != 200 || exp.header.Get("Content-Disposition") != `attachment; filename="shop-triggers.json"` || exp.body != string(v.Data) {
		t.Fatalf("export: %d %q", exp.status, exp.header.Get("Content-Disposition"))
	}

	// A bad import: problems with their lines, nothing published.
	bad := strings.Replace(exp.body, `"type": "site"`, `"type": "sight"`, 1)
	bad = strings.Replace(bad, `"delay": 5`, `"delay": 5, "colour": "red"`, 1)
	r = w.multipart(t, c, mgBasePath+"property/import", map[string]string{"version": itoa64(v.Number)}, map[string][2]string{"file": {"set.json", bad}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "The set was not imported: 2 problems. Nothing was published.") ||
		!regexp.MustCompile(`line \d+, column \d+`).MatchString(r.body) || !strings.Contains(r.body, "sight") {
		t.Errorf("a bad import: %d %s", r.status, mgMain(r.body))
	}
	if w.published(t).Number != v.Number {
		t.Error("a bad import published a version")
	}
	// A good one, pasted.
	good := strings.Replace(exp.body, `"delay": 5`, `"delay": 7`, 1)
	r = w.follow(t, c, w.do(t, c, "POST", mgBasePath+"property/import", url.Values{"version": {itoa64(v.Number)}, "json": {good}}))
	if !strings.Contains(r.body, "published as version") {
		t.Errorf("after a good import: %s", mgMain(r.body))
	}
	if nv := w.published(t); nv.Number != v.Number+1 || !strings.Contains(string(nv.Data), `"delay": 7`) {
		t.Errorf("imported: version %d %s", nv.Number, nv.Data)
	}
	// A stale page's import is refused.
	if r := w.do(t, c, "POST", mgBasePath+"property/import", url.Values{"version": {itoa64(v.Number)}, "json": {exp.body}}); r.status != http.StatusConflict {
		t.Errorf("a stale import: %d", r.status)
	}
}

func TestHistoryPages(t *testing.T) {
	w := newMGWorld(t)
	ctx := context.Background()
	for i := range 55 {
		st := []string{"away", "online"}[i%2]
		if _, err := w.svc.UpdateSettings(ctx, w.owner, "shop", admin.SettingsChange{Status: &st}); err != nil {
			t.Fatal(err)
		}
	}
	c := w.login(t, "ann@example.com")
	first := w.do(t, c, "GET", mgBasePath+"history", nil)
	rows := regexp.MustCompile(`<th scope="row"><a href="[^"]*/history/(\d+)"`).FindAllStringSubmatch(first.body, -1)
	if len(rows) != 50 || rows[0][1] != "56" || rows[49][1] != "7" || !strings.Contains(first.body, `history?before=7"`) {
		t.Fatalf("first page: %d rows, %v", len(rows), rows[:1])
	}
	second := w.do(t, c, "GET", mgBasePath+"history?before=7", nil)
	rows = regexp.MustCompile(`<th scope="row"><a href="[^"]*/history/(\d+)"`).FindAllStringSubmatch(second.body, -1)
	if len(rows) != 6 || rows[0][1] != "6" || rows[5][1] != "1" || strings.Contains(second.body, "before=1\"") || !strings.Contains(second.body, "Newest versions") {
		t.Errorf("second page: %v", rows)
	}
}

// Two Admins on the Property page: saving one field does not put back
// the value another Admin saved in another field since the page was
// shown. The page carries what each field held when shown.
func TestPropertySettings_SavesOnlyWhatChanged(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	page := w.do(t, c, "GET", mgBasePath+"property", nil)
	was := map[string]string{}
	for _, k := range []string{"name", "websiteUrl", "timezone"} {
		m := regexp.MustCompile(`name="was-` + k + `" value="([^"]*)"`).FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("the page does not say what %s held: %s", k, mgMain(page.body))
		}
		was[k] = html.UnescapeString(m[1])
	}
	// Another Admin changes the time zone meanwhile.
	tz := "Asia/Tokyo"
	if _, err := w.svc.UpdateSettings(context.Background(), w.owner, "shop", admin.SettingsChange{Timezone: &tz}); err != nil {
		t.Fatal(err)
	}
	// This page saves a new name, its other fields as they were shown.
	form := url.Values{"name": {"Renamed"}, "websiteUrl": {was["websiteUrl"]}, "timezone": {was["timezone"]}}
	for k, v := range was {
		form.Set("was-"+k, v)
	}
	r := w.follow(t, c, w.do(t, c, "POST", mgBasePath+"property", form))
	if !strings.Contains(r.body, `role="status"`) {
		t.Fatalf("after saving: %s", mgMain(r.body))
	}
	st, _ := w.svc.Settings(context.Background(), w.owner, "shop")
	if st.Name != "Renamed" || st.Timezone != tz {
		t.Errorf("settings = name %q, time zone %q; want Renamed and the other Admin's %s", st.Name, st.Timezone, tz)
	}
}

// Accepting an invitation in a browser where someone else is logged in
// logs them out: their session ends with the cookie the new one replaces.
func TestAcceptLogsOutWhoeverWasLoggedIn(t *testing.T) {
	w := newMGWorld(t)
	ann := w.login(t, "ann@example.com")
	r := w.do(t, ann, "POST", mgBasePath+"members/invite", url.Values{"email": {"cat@example.com"}, "role": {"agent"}})
	m := regexp.MustCompile(`/admin/invitation\?token=([^"]+)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("invite: %d %s", r.status, mgMain(r.body))
	}
	token, _ := url.QueryUnescape(htmlUnescape(m[1]))
	// Ann's session, kept aside as a copy of her cookie would be.
	u, _ := url.Parse(w.srv.URL + "/admin/")
	annCookies := ann.Jar.Cookies(u)
	r = w.do(t, ann, "POST", "/admin/invitation", url.Values{"token": {token}, "password": {mgPassword}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.status, mgMain(r.body))
	}
	old := w.client()
	old.Jar.SetCookies(u, annCookies)
	if r := w.do(t, old, "GET", mgBasePath+"members", nil); r.status == http.StatusOK {
		t.Errorf("ann's session still works after cat accepted an invitation in her browser")
	}
}

// A file chosen for an attachment whose kind then became a link (which
// hides the upload field) is left out: the save goes through.
func TestShortcutHiddenUploadIsLeftOut(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	fields := map[string]string{"op": "save", "id": "compare", "text": "Compare our plans",
		"a.0.kind": "link", "a.0.url": "https://example.com/compare", "a.0.title": "Compare"}
	files := map[string][2]string{"a.0.upload": {"guide.pdf", "%PDF-1.4 a guide"}}
	r := w.multipart(t, c, mgBasePath+"shortcuts/new", fields, files)
	page := w.follow(t, c, r)
	if !strings.Contains(page.body, "Saved shortcut “compare”.") {
		t.Fatalf("the save was refused: %s", mgMain(page.body))
	}
	it, err := w.svc.Shortcut(context.Background(), w.owner, "shop", "compare")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(it.Raw), "/u/") {
		t.Errorf("the hidden file was uploaded: %s", it.Raw)
	}
}
