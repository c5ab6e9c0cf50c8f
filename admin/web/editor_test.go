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
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/widget"
)

// editorEnv is the admin's pages over a fresh store, with an Admin
// logged in and a property "acme" that has one shortcut.
type editorEnv struct {
	t     *testing.T
	svc   *admin.Service
	srv   *httptest.Server
	c     *http.Client
	actor admin.Actor
}

func newEditorEnv(t *testing.T) *editorEnv {
	t.Helper()
	ctx := context.Background()
	svc := newTestService(t)
	acc, _, err := svc.Setup(ctx, "ann@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	actor := admin.Actor{Account: acc}
	if _, err := svc.CreateProperty(ctx, actor, "", admin.NewProperty{ID: "acme", Name: "Acme", WebsiteURL: "https://acme.example"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AddShortcut(ctx, actor, "acme", []byte(`{"id":"prices","text":"Our prices"}`)); err != nil {
		t.Fatal(err)
	}
	h := newTestHandler(t, svc)
	// As widgetd serves the admin: a copy of each request, with the
	// server's context (server.New).
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(r.Context()))
	}))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	e := &editorEnv{t: t, svc: svc, srv: srv, c: c, actor: actor}
	res := e.post("/admin/login", url.Values{"email": {"ann@example.com"}, "password": {"correct horse battery"}, "next": {"/admin/"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	return e
}

func (e *editorEnv) get(path string) (int, string) {
	e.t.Helper()
	res, err := e.c.Get(e.srv.URL + path + edSep(path) + "lang=en")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func edSep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func (e *editorEnv) post(path string, form url.Values) *http.Response {
	e.t.Helper()
	res, err := e.c.PostForm(e.srv.URL+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

// postMultipart posts the form with a file as "image".
func (e *editorEnv) postMultipart(path string, form url.Values, filename string, file []byte) *http.Response {
	e.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("image", filename)
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := e.c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return res
}

func edBody(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// published is the property's published triggers by id, as JSON values.
func (e *editorEnv) published() map[string]map[string]any {
	e.t.Helper()
	v, err := e.svc.TriggerSet(context.Background(), e.actor, "acme")
	if err != nil {
		e.t.Fatal(err)
	}
	var set struct {
		Triggers []map[string]any `json:"triggers"`
	}
	if err := json.Unmarshal(v.Data, &set); err != nil {
		e.t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, t := range set.Triggers {
		out[t["id"].(string)] = t
	}
	return out
}

func edJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// edFormValues reads the editor's form as a browser would submit it
// (without pressing any button): inputs, checked boxes and radios,
// selected options, textareas; disabled controls and files left out.
func edFormValues(t *testing.T, page string) url.Values {
	t.Helper()
	start := strings.Index(page, `<form class="editor"`)
	end := strings.Index(page[start:], "</form>")
	if start < 0 || end < 0 {
		t.Fatalf("no editor form in the page:\n%s", page)
	}
	form := page[start : start+end]
	attrs := func(tag string) map[string]string {
		m := map[string]string{}
		for _, a := range edReAttr.FindAllStringSubmatch(tag, -1) {
			m[a[1]] = html.UnescapeString(a[3])
			if a[2] == "" {
				m[a[1]] = "\x00" // present, no value
			}
		}
		return m
	}
	vals := url.Values{}
	for _, tag := range edReInput.FindAllString(form, -1) {
		a := attrs(tag)
		if a["name"] == "" || a["disabled"] != "" {
			continue
		}
		switch a["type"] {
		case "submit", "button", "file":
			continue
		case "checkbox", "radio":
			if a["checked"] == "" {
				continue
			}
		}
		vals.Add(a["name"], a["value"])
	}
	for _, m := range edReSelect.FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		if a["name"] == "" || a["disabled"] != "" {
			continue
		}
		opts := edReOption.FindAllStringSubmatch(m[2], -1)
		chosen := ""
		for i, o := range opts {
			oa := attrs(o[1])
			if i == 0 || oa["selected"] != "" {
				chosen = oa["value"]
			}
			if oa["selected"] != "" {
				break
			}
		}
		vals.Add(a["name"], chosen)
	}
	for _, m := range edReTextarea.FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		if a["name"] != "" {
			vals.Add(a["name"], html.UnescapeString(m[2]))
		}
	}
	return vals
}

var (
	edReAttr     = regexp.MustCompile(`\s([a-zA-Z-]+)(="([^"]*)")?`)
	edReInput    = regexp.MustCompile(`<input\b[^>]*>`)
	edReSelect   = regexp.MustCompile(`(?s)(<select\b[^>]*>)(.*?)</select>`)
	edReOption   = regexp.MustCompile(`(<option\b[^>]*>)`)
	edReTextarea = regexp.MustCompile(`(?s)(<textarea\b[^>]*>)(.*?)</textarea>`)
)

// newForm is the editor's form for a new trigger of type typ, as served.
func (e *editorEnv) newForm(typ string) url.Values {
	e.t.Helper()
	code, page := e.get("/admin/p/acme/settings/triggers/new?type=" + typ)
	if code != http.StatusOK {
		e.t.Fatalf("new %s: %d", typ, code)
	}
	return edFormValues(e.t, page)
}

func (e *editorEnv) editForm(id string) (url.Values, string) {
	e.t.Helper()
	code, page := e.get("/admin/p/acme/settings/triggers/" + id)
	if code != http.StatusOK {
		e.t.Fatalf("edit %s: %d\n%s", id, code, page)
	}
	return edFormValues(e.t, page), page
}

// saved checks that a save redirected to the trigger's editor and returns
// its id.
func edSaved(t *testing.T, res *http.Response) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.StatusCode, edBody(res))
	}
	loc := res.Header.Get("Location")
	res.Body.Close()
	rest, ok := strings.CutPrefix(loc, "/admin/p/acme/settings/triggers/")
	id, _, _ := strings.Cut(rest, "?")
	if !ok || !strings.HasSuffix(loc, "?saved=1") {
		t.Fatalf("save redirected to %q", loc)
	}
	return id
}

func edPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, color.RGBA{uint8(x * 30), uint8(y * 30), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestEditorCreatesEveryType(t *testing.T) {
	e := newEditorEnv(t)
	const base = "/admin/p/acme/settings/triggers/new"

	// A site notification with 4 suggestions and a line break.
	f := e.newForm("site")
	f.Set("name", "Hello")
	f.Set("delay", "5")
	f.Set("text", "Hi 👋\r\nSee https://acme.example/x")
	for i, s := range []string{"A", "B", "C", "D"} {
		f.Set("sugg"+string(rune('0'+i)), s)
	}
	f.Set("agentName", "Apollo")
	site := edSaved(t, e.post(base, f))

	// A page notification sending a shortcut.
	f = e.newForm("page")
	f.Set("name", "Pricing")
	f.Set("urlMatch", "starts_with")
	f.Set("url", "/pricing")
	f.Set("msg", "shortcut")
	f.Set("shortcut", "prices")
	f.Set("agentName", "Maya")
	f.Set("avatar", "woman")
	f.Set("once", "1")
	page := edSaved(t, e.post(base, f))

	// A chat rescue with an uploaded agent image.
	f = e.newForm("chat_rescue")
	f.Set("name", "Rescue")
	f.Set("delay", "30")
	f.Set("text", "Sorry for the wait")
	f.Set("agentName", "Support")
	rescue := edSaved(t, e.postMultipart(base, f, "face.png", edPNG(t)))

	// A widget-maximized trigger with a standard avatar, disabled.
	f = e.newForm("maximized")
	f.Set("name", "Opened")
	f.Set("text", "Ask us anything")
	f.Set("agentName", "Leo")
	f.Set("avatar", "robot")
	f.Del("enabled")
	opened := edSaved(t, e.post(base, f))

	// An advanced trigger with conditions of every kind of value, and
	// actions.
	f = e.newForm("advanced")
	f.Set("name", "Hesitant")
	f.Set("event", "page_view")
	f.Set("match", "any")
	conds := [][4]string{
		{"page.path", "", "starts_with", "/pricing"},
		{"visit.time_on_page", "", "gte", "30"},
		{"visitor.returning", "", "eq", "true"},
		{"visitor.tags", "", "in", "vip, gold"},
		{"time.weekday", "", "eq", "1"},
		{"page.query.", "utm_source", "eq", "ads"},
		{"visitor.email", "", "exists", ""},
	}
	for i, c := range conds {
		p := "c" + string(rune('0'+i)) + "_"
		f.Set(p+"field", c[0])
		f.Set(p+"key", c[1])
		f.Set(p+"op", c[2])
		f.Set(p+"value", c[3])
	}
	acts := []map[string]string{
		{"type": "send_message", "text": "Need a hand?", "agent": "Maya", "sugg": "Yes\r\nNo"},
		{"type": "wait", "seconds": "5"},
		{"type": "add_tags", "tags": "pricing, hot"},
		{"type": "set_attr", "key": "plan", "value": "pro"},
		{"type": "emit", "name": "lead", "data": `{"score": 3}`},
	}
	for i, a := range acts {
		for k, v := range a {
			f.Set("a"+string(rune('0'+i))+"_"+k, v)
		}
	}
	adv := edSaved(t, e.post(base, f))

	pub := e.published()
	want := map[string]string{
		site:   `{"agent":{"name":"Apollo"},"delay":5,"id":"hello","message":{"text":"Hi 👋\nSee https://acme.example/x"},"name":"Hello","suggestions":["A","B","C","D"],"type":"site"}`,
		page:   `{"agent":{"image":"avatar:woman","name":"Maya"},"id":"pricing","message":{"shortcut":"prices"},"name":"Pricing","oncePerVisitor":true,"type":"page","url":{"match":"starts_with","value":"/pricing"}}`,
		opened: `{"agent":{"image":"avatar:robot","name":"Leo"},"enabled":false,"id":"opened","message":{"text":"Ask us anything"},"name":"Opened","type":"maximized"}`,
		adv: `{"actions":[{"agent":{"name":"Maya"},"message":{"text":"Need a hand?"},"suggestions":["Yes","No"],"type":"send_message"},{"seconds":5,"type":"wait"},{"tags":["pricing","hot"],"type":"add_tags"},{"key":"plan","type":"set_attr","value":"pro"},{"data":{"score":3},"name":"lead","type":"emit"}],` +
			`"conditions":[{"field":"page.path","op":"starts_with","value":"/pricing"},{"field":"visit.time_on_page","op":"gte","value":30},{"field":"visitor.returning","op":"eq","value":true},{"field":"visitor.tags","op":"in","value":["vip","gold"]},{"field":"time.weekday","op":"eq","value":1},{"field":"page.query.utm_source","op":"eq","value":"ads"},{"field":"visitor.email","op":"exists"}],` +
			`"event":"page_view","id":"hesitant","match":"any","name":"Hesitant","type":"advanced"}`,
	}
	for id, w := range want {
		if got := edJSON(pub[id]); got != w {
			t.Errorf("trigger %s:\n got %s\nwant %s", id, got, w)
		}
	}
	r := pub[rescue]
	img, _ := r["agent"].(map[string]any)["image"].(string)
	if !strings.HasPrefix(img, "/u/") || r["delay"] != float64(30) || r["type"] != "chat_rescue" {
		t.Errorf("rescue trigger: %s", edJSON(r))
	}
	// The editor shows the uploaded image and keeps it on the next save.
	f, page2 := e.editForm(rescue)
	if !strings.Contains(page2, `src="`+img+`"`) || f.Get("avatar") != "image" {
		t.Errorf("the editor does not show the current image %s (avatar=%q)", img, f.Get("avatar"))
	}
	edSaved(t, e.post("/admin/p/acme/settings/triggers/"+rescue, f))
	if got := e.published()[rescue]["agent"].(map[string]any)["image"]; got != img {
		t.Errorf("image after a save: %v, want %s", got, img)
	}
	// The saved page says so.
	if _, page := e.get("/admin/p/acme/settings/triggers/" + site + "?saved=1"); !strings.Contains(page, `role="status" class="notice">Saved<`) {
		t.Errorf("no Saved status")
	}
}

func TestEditorEditKeepsUntouchedFields(t *testing.T) {
	e := newEditorEnv(t)
	raw := `{"id":"adv","name":"Adv","type":"advanced","event":"custom_event","conditions":[` +
		`{"field":"page.title","op":"contains","value":"Shoes","case":true},{"field":"time.weekday","op":"eq","value":"friday"},{"field":"visit.page_views","op":"in","value":[2,3]}],` +
		`"actions":[{"type":"send_message","message":{"text":"Hi"},"agent":{"name":"Maya","image":"avatar:woman"}},{"type":"set_attr","key":"n","value":5}]}`
	if _, _, err := e.svc.AddTrigger(context.Background(), e.actor, "acme", []byte(raw)); err != nil {
		t.Fatal(err)
	}
	before := edJSON(e.published()["adv"])
	f, page := e.editForm("adv")
	// The rows round-trip: the form shows what is stored.
	for k, v := range map[string]string{"c0_field": "page.title", "c0_op": "contains", "c0_value": "Shoes",
		"c1_field": "time.weekday", "c1_value": "5", "c2_field": "visit.page_views", "c2_op": "in", "c2_value": "2, 3",
		"a0_type": "send_message", "a0_text": "Hi", "a0_agent": "Maya", "a1_type": "set_attr", "a1_key": "n", "a1_value": "5",
		"event": "custom_event"} {
		if f.Get(k) != v {
			t.Errorf("form %s = %q, want %q", k, f.Get(k), v)
		}
	}
	if !strings.Contains(page, `id="c3-field"`) || strings.Contains(page, `id="c4-field"`) {
		t.Errorf("the form should have the 3 rows and one empty one")
	}
	edSaved(t, e.post("/admin/p/acme/settings/triggers/adv", f))
	if after := edJSON(e.published()["adv"]); after != before {
		t.Errorf("an unchanged save changed the trigger:\n got %s\nwant %s", after, before)
	}
	// Changing the message keeps the action agent's image; changing a
	// value retypes it.
	f.Set("a0_text", "Hello")
	f.Set("c2_value", "4")
	f.Set("c2_op", "gte")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/adv", f))
	got := e.published()["adv"]
	if s := edJSON(got["actions"]); !strings.Contains(s, `"agent":{"image":"avatar:woman","name":"Maya"}`) || !strings.Contains(s, `"text":"Hello"`) {
		t.Errorf("actions: %s", s)
	}
	if s := edJSON(got["conditions"]); !strings.Contains(s, `{"case":true,"field":"page.title"`) || !strings.Contains(s, `{"field":"visit.page_views","op":"gte","value":4}`) {
		t.Errorf("conditions: %s", s)
	}

	// A basic trigger: the welcome message keeps its fields when only
	// its name changes.
	before = edJSON(e.published()["welcome"])
	f, _ = e.editForm("welcome")
	f.Set("name", "Welcome!")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/welcome", f))
	after := edJSON(e.published()["welcome"])
	if strings.Replace(before, `"name":"Welcome message"`, `"name":"Welcome!"`, 1) != after {
		t.Errorf("edit changed more than the name:\n%s\n%s", before, after)
	}
}

func TestEditorKeepsAnUnlistedDelay(t *testing.T) {
	e := newEditorEnv(t)
	raw := `{"id":"slow","name":"Slow","type":"site","delay":45,"message":{"text":"Hi"},"agent":{"name":"A"}}`
	if _, _, err := e.svc.AddTrigger(context.Background(), e.actor, "acme", []byte(raw)); err != nil {
		t.Fatal(err)
	}
	f, page := e.editForm("slow")
	if !strings.Contains(page, `<option value="45" selected>45 seconds</option>`) || f.Get("delay") != "45" {
		t.Fatalf("the delay 45 is not its own selected option (delay=%q)", f.Get("delay"))
	}
	f.Set("text", "Hello")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/slow", f))
	if d := e.published()["slow"]["delay"]; d != float64(45) {
		t.Errorf("delay after a save: %v", d)
	}
}

func TestEditorRefusedSaveKeepsWhatWasTyped(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("page")
	f.Set("name", "Broken <b>")
	f.Set("urlMatch", "regex")
	f.Set("url", "/pricing(")
	f.Set("text", "")
	f.Set("sugg0", "fine")
	f.Set("sugg1", strings.Repeat("x", 61))
	f.Set("agentName", "")
	res := e.post("/admin/p/acme/settings/triggers/new", f)
	page := edBody(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(page, `<h2>4 problems</h2>`) || !strings.Contains(page, `role="alert" id="problems"`) {
		t.Errorf("no summary of 4 problems:\n%s", page[strings.Index(page, "<main"):][:2000])
	}
	for _, id := range []string{"t-url", "t-text", "t-sugg-1", "t-agent-name"} {
		if !regexp.MustCompile(`id="` + id + `"[^>]*aria-invalid="true" aria-describedby="[^"]*` + id + `-err"`).MatchString(page) {
			t.Errorf("%s is not marked invalid with its error", id)
		}
		if !strings.Contains(page, `<p class="field-error" id="`+id+`-err">`) {
			t.Errorf("no error text for %s", id)
		}
	}
	back := edFormValues(t, page)
	for _, k := range []string{"name", "urlMatch", "url", "sugg0", "sugg1", "type"} {
		if back.Get(k) != f.Get(k) {
			t.Errorf("%s after a refused save: %q, want %q", k, back.Get(k), f.Get(k))
		}
	}
	if strings.Contains(page, "Broken <b>") {
		t.Errorf("typed text is not escaped")
	}
	if len(e.published()) != 1 {
		t.Errorf("a refused save published a trigger")
	}
}

func TestEditorStaleSaveIsAConflict(t *testing.T) {
	e := newEditorEnv(t)
	f, _ := e.editForm("welcome")
	g, _ := e.editForm("welcome")
	f.Set("text", "First")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/welcome", f))
	g.Set("text", "Second")
	res := e.post("/admin/p/acme/settings/triggers/welcome", g)
	page := edBody(res)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("status %d", res.StatusCode)
	}
	if !strings.Contains(page, "Someone else saved this trigger") || !strings.Contains(page, `href="/admin/p/acme/settings/triggers/welcome">Reload</a>`) {
		t.Errorf("no conflict message with a Reload link")
	}
	if edFormValues(t, page).Get("text") != "Second" {
		t.Errorf("the typed text is lost")
	}
	if got := e.published()["welcome"]["message"]; edJSON(got) != `{"text":"First"}` {
		t.Errorf("published message %s", edJSON(got))
	}
}

func TestEditorUnknownTriggerIs404(t *testing.T) {
	e := newEditorEnv(t)
	if code, _ := e.get("/admin/p/acme/settings/triggers/nope"); code != http.StatusNotFound {
		t.Errorf("GET: %d", code)
	}
	if res := e.post("/admin/p/acme/settings/triggers/nope", url.Values{"type": {"site"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST: %d", res.StatusCode)
	}
}

func TestEditorRowsWithoutScript(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("advanced")
	f.Set("c0_field", "page.path")
	f.Set("c0_op", "eq")
	f.Set("c0_value", "/a")
	f.Set("add", "condition")
	res := e.post("/admin/p/acme/settings/triggers/new", f)
	page := edBody(res)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="c1-field"`) || !strings.Contains(page, `id="c2-field"`) {
		t.Fatalf("Add condition did not add a row (%d)", res.StatusCode)
	}
	g := edFormValues(t, page)
	if g.Get("c0_value") != "/a" {
		t.Errorf("the typed row is lost")
	}
	g.Set("remove", "condition:0")
	page = edBody(e.post("/admin/p/acme/settings/triggers/new", g))
	if strings.Contains(page, `value="/a"`) {
		t.Errorf("Remove condition 1 did not remove it")
	}
	if len(e.published()) != 1 {
		t.Errorf("a row change published")
	}
}

func TestEditorPreviewJSON(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("site")
	f.Set("text", "Hi")
	f.Set("agentName", "A")
	f.Set("_preview", "1")
	got := edBody(e.post("/admin/p/acme/settings/triggers/new", f))
	if want := `{"trigger":{"agent":{"name":"A"},"id":"preview","message":{"text":"Hi"},"type":"site"}}`; got != want {
		t.Errorf("preview:\n got %s\nwant %s", got, want)
	}
	if len(e.published()) != 1 {
		t.Errorf("a preview published")
	}
}

func TestTryURL(t *testing.T) {
	e := newEditorEnv(t)
	cases := []struct{ match, value, url, want string }{
		{"exact", "/pricing", "https://acme.example/pricing/", "match"},
		{"exact", "/pricing", "/pricing/pro", "no-match"},
		{"contains", "pric", "https://acme.example/our-prices", "match"},
		{"contains", "blog", "https://acme.example/pricing", "no-match"},
		{"starts_with", "/pricing", "/pricing/pro?x=1", "match"},
		{"starts_with", "/pricing", "/about", "no-match"},
		{"wildcard", "/app*#/returns*", "https://acme.example/app/x#/returns/12", "match"},
		{"wildcard", "/app*#/returns*", "https://acme.example/app/x#/orders", "no-match"},
		{"regex", `/blog/\d+`, "/blog/42", "match"},
		{"regex", `/blog/\d+`, "/blog/new", "no-match"},
		{"regex", `/blog/(`, "/blog/1", "error"},
		{"exact", "", "/x", "error"},
		{"exact", "/x", "", "empty"},
	}
	for _, c := range cases {
		q := url.Values{"match": {c.match}, "value": {c.value}, "url": {c.url}}
		code, out := e.get("/admin/p/acme/settings/triggers/try-url?" + q.Encode())
		var r tryResult
		if code != http.StatusOK || json.Unmarshal([]byte(out), &r) != nil || r.Result != c.want {
			t.Errorf("%s %q on %q: %d %s, want %s", c.match, c.value, c.url, code, out, c.want)
		}
	}
}

// Every label of the editor's tables has its French text.
func TestEditorTablesHaveFrench(t *testing.T) {
	var texts []string
	for _, l := range [][]opt{triggerTypes, urlMatches, events, actionTypes, avatars} {
		for _, o := range l {
			texts = append(texts, o.Label)
		}
	}
	for _, m := range []map[string]string{typeHelp, fieldLabels, opLabels} {
		for _, s := range m {
			texts = append(texts, s)
		}
	}
	texts = append(texts, weekdays...)
	for _, f := range widget.ConditionFields() {
		if _, ok := fieldLabels[f.Name]; !ok {
			t.Errorf("condition field %s has no label", f.Name)
		}
	}
	for _, p := range []string{"field", "key", "operator", "value"} {
		texts = append(texts, "Condition %d "+p)
	}
	for _, p := range []string{"type", "message", "shortcut", "agent", "suggested messages", "seconds", "tags", "key", "value", "name", "data"} {
		texts = append(texts, "Action %d "+p)
	}
	for _, s := range texts {
		if _, ok := fr[s]; !ok {
			t.Errorf("no French text for %q", s)
		}
	}
}

// The editor refuses a trigger without a name (spaces do not count), even
// one that never had a name: the problem is beside the Trigger name
// field and linked from the summary, what was typed stays, and nothing is
// published. A name is saved without the spaces around it.
func TestEditorNeedsAName(t *testing.T) {
	e := newEditorEnv(t)
	ctx := context.Background()
	v, err := e.svc.TriggerSet(ctx, e.actor, "acme")
	if err != nil {
		t.Fatal(err)
	}
	// A set written whole may leave a trigger's name out.
	set := strings.Replace(string(v.Data), `"triggers": [`, `"triggers": [{"id": "old", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}},`, 1)
	if _, err := e.svc.PutSet(ctx, e.actor, "acme", "*", []byte(set)); err != nil {
		t.Fatalf("a set with a trigger without a name: %v", err)
	}

	tests := []struct{ name, path, id, typed string }{
		{"new, empty", "/admin/p/acme/settings/triggers/new", "", ""},
		{"new, spaces", "/admin/p/acme/settings/triggers/new", "", "   "},
		{"edit, name erased", "/admin/p/acme/settings/triggers/welcome", "welcome", ""},
		{"edit of a trigger that never had a name", "/admin/p/acme/settings/triggers/old", "old", " "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f url.Values
			if tt.id == "" {
				f = e.newForm("site")
				f.Set("text", "Hello")
				f.Set("agentName", "Ann")
			} else {
				f, _ = e.editForm(tt.id)
			}
			f.Set("name", tt.typed)
			before := edJSON(e.published())
			res := e.post(tt.path, f)
			page := edBody(res)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !regexp.MustCompile(`id="t-name"[^>]*aria-invalid="true" aria-describedby="t-name-help t-name-err"`).MatchString(page) {
				t.Errorf("Trigger name is not marked invalid and described by its error")
			}
			if !strings.Contains(page, `<p class="field-error" id="t-name-err">Give the trigger a name`) {
				t.Errorf("no error text beside Trigger name")
			}
			if !strings.Contains(page, `<li><a href="#t-name">Trigger name</a>: Give the trigger a name`) {
				t.Errorf("the summary does not link to Trigger name")
			}
			if got := edFormValues(t, page).Get("name"); got != tt.typed {
				t.Errorf("Trigger name after the refused save holds %q, want %q", got, tt.typed)
			}
			if after := edJSON(e.published()); after != before {
				t.Errorf("a refused save changed the published triggers:\n%s\nwant\n%s", after, before)
			}
		})
	}

	f, _ := e.editForm("old")
	f.Set("name", "  Spaced out  ")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/old", f))
	if got := e.published()["old"]["name"]; got != "Spaced out" {
		t.Errorf("the name was saved as %q, want it without the spaces around it", got)
	}
}

// An image far over the limit (a phone's photo) is refused beside its
// field, with everything else typed kept: not the whole form on an error
// page of its own.
func TestEditorHugeImageKeepsTheForm(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("site")
	f.Set("name", "Spring welcome")
	f.Set("text", "Hello there")
	f.Set("agentName", "Ann")
	before := edJSON(e.published())
	// Its temporary file goes with the request.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	res := e.postMultipart("/admin/p/acme/settings/triggers/new", f, "holiday.png", bytes.Repeat([]byte{0x89}, 6<<20))
	page := edBody(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for deadline := time.Now().Add(2 * time.Second); ; {
		left, _ := os.ReadDir(tmp)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the upload left %d temporary files", len(left))
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(page, `<p class="field-error" id="t-upload-err">This image is 6 MiB; the limit is 2 MiB. Choose a smaller one.</p>`) {
		i := strings.Index(page, "t-upload")
		t.Errorf("no size error beside Upload image:\n%s", page[i:min(len(page), i+1200)])
	}
	back := edFormValues(t, page)
	for _, k := range []string{"name", "text", "agentName"} {
		if back.Get(k) != f.Get(k) {
			t.Errorf("%s after the refused save: %q, want %q", k, back.Get(k), f.Get(k))
		}
	}
	if after := edJSON(e.published()); after != before {
		t.Errorf("a refused save changed the published triggers")
	}
	// The page tells editor.js the limit, to refuse such a file when it is
	// chosen.
	if !strings.Contains(page, `data-max-bytes="2097152"`) {
		t.Errorf("the upload field does not carry its limit")
	}
}

// Two triggers of one property cannot share a name: the list, its
// checkboxes and the delete dialog tell them apart by it.
func TestEditorRefusesANameInUse(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("site")
	f.Set("name", "Spring welcome")
	f.Set("text", "Hello")
	f.Set("agentName", "Ann")
	id := edSaved(t, e.post("/admin/p/acme/settings/triggers/new", f))

	again := e.newForm("page")
	again.Set("name", "  spring WELCOME ")
	again.Set("url", "/pricing")
	again.Set("text", "Prices")
	again.Set("agentName", "Ann")
	res := e.post("/admin/p/acme/settings/triggers/new", again)
	page := edBody(res)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, `<p class="field-error" id="t-name-err">Another trigger has this name.`) {
		t.Errorf("a second trigger named like the first: status %d, no name error", res.StatusCode)
	}
	// A trigger that already shares its name (a set written whole) keeps
	// it when it is saved.
	if _, _, err := e.svc.AddTrigger(context.Background(), e.actor, "acme", []byte(`{"id": "twin", "name": "Spring Welcome", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`)); err != nil {
		t.Fatal(err)
	}
	twin, _ := e.editForm("twin")
	twin.Set("text", "Hi again")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/twin", twin))

	// Saving a trigger under its own name is no clash; its editor is
	// titled by it.
	own, ownPage := e.editForm(id)
	if !strings.Contains(ownPage, `<title>Spring welcome · Acme · triggerwidget</title>`) {
		t.Errorf("the editor of Spring welcome is not titled by its name and property")
	}
	own.Set("text", "Hello again")
	edSaved(t, e.post("/admin/p/acme/settings/triggers/"+id, own))
}

// With the property's 20 triggers, the new trigger's editor says so when it
// opens, in the list's words, and a save is refused with the same words.
func TestEditorAtTheLimit(t *testing.T) {
	e := newEditorEnv(t)
	items, _, err := e.svc.Triggers(context.Background(), e.actor, "acme")
	if err != nil {
		t.Fatal(err)
	}
	for i := len(items); i < widget.MaxTriggers; i++ {
		raw := `{"name": "T` + strconv.Itoa(i) + `", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
		if _, _, err := e.svc.AddTrigger(context.Background(), e.actor, "acme", []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	code, page := e.get("/admin/p/acme/settings/triggers/new")
	const say = "A property has at most 20 triggers. Delete one to add another."
	if code != http.StatusOK || !strings.Contains(page, say) {
		t.Errorf("the new trigger's editor at the limit: status %d, without %q", code, say)
	}
	f := edFormValues(t, page)
	f.Set("name", "One more")
	f.Set("text", "Hello")
	f.Set("agentName", "Ann")
	res := e.post("/admin/p/acme/settings/triggers/new", f)
	page = edBody(res)
	if res.StatusCode != http.StatusConflict || !strings.Contains(page, say) || strings.Contains(page, "more than the limit") {
		t.Errorf("a save at the limit: status %d; want 409 with %q and not the validator's words", res.StatusCode, say)
	}
	if got := edFormValues(t, page).Get("name"); got != "One more" {
		t.Errorf("the name typed at the limit came back as %q", got)
	}
}

// A form refused for a problem the editor finds itself (no name, an image
// too large) lists the checker's problems too: every problem in one round.
func TestEditorListsEveryProblemAtOnce(t *testing.T) {
	e := newEditorEnv(t)
	f := e.newForm("site")
	f.Set("name", "")
	f.Set("text", "")
	f.Set("agentName", "")
	res := e.post("/admin/p/acme/settings/triggers/new", f)
	page := edBody(res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	for _, id := range []string{"t-name", "t-text", "t-agent-name"} {
		if !strings.Contains(page, `<p class="field-error" id="`+id+`-err">`) {
			t.Errorf("no error beside %s in the first round", id)
		}
	}
	if n := strings.Count(page, `<p class="field-error" id="t-name-err">`); n != 1 {
		t.Errorf("Trigger name has %d errors, want the editor's one", n)
	}
	if !strings.Contains(page, `<title>Error: New trigger · Acme · triggerwidget</title>`) {
		t.Errorf("the refused page's title does not say Error, the page and the property")
	}
	if !strings.Contains(page, `<h2>3 problems</h2>`) {
		i := strings.Index(page, `id="problems"`)
		t.Errorf("the summary does not count 3 problems:\n%s", page[i:min(len(page), i+800)])
	}
}
