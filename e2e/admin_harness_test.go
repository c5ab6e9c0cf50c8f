//go:build !js

package e2e

// The admin's browser tests drive the pages under /admin/ as a person with
// a screen reader would: every control is found in the browser's
// accessibility tree (Accessibility.queryAXTree) by its role and its
// accessible name, the English names the admin promises to keep. Nothing
// here looks at CSS classes or element ids.
//
// Each test starts its own admin world: an empty SQLite database in a
// temporary directory, the Service, the API and the pages, served with the
// widget (the shipped build TestMain made) by package server on an
// httptest server, and a second server for host pages that embed the
// widget, on another origin.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/admin/web"
	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
)

// The account the admin tests create.
const (
	ownerEmail    = "owner@example.com"
	ownerPassword = "correct horse battery staple"
)

// adminWorld is one test's server: the admin over its own database.
type adminWorld struct {
	t    *testing.T
	svc  *admin.Service
	db   *sqlite.DB
	srv  *httptest.Server // widgetd: /admin/, /api/v1/, /widget/, /p/ID/triggers.json, /u/
	host *httptest.Server // host pages under /t/, another origin

	mu    sync.Mutex
	pages map[string]string // host pages by path
}

// newAdminWorld starts an empty server (no account yet: the admin offers
// Create account).
func newAdminWorld(t *testing.T) *adminWorld {
	t.Helper()
	if env.skip != "" {
		t.Skip("browser test skipped: " + env.skip)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	api := admin.NewHandler(svc, admin.HandlerConfig{})
	pages, err := web.New(svc, api, web.Config{})
	if err != nil {
		t.Fatalf("admin pages: %v", err)
	}
	srv, err := server.New(server.Config{Dist: os.DirFS(env.dist), Sets: svc, Admin: pages})
	if err != nil {
		t.Fatal(err)
	}
	w := &adminWorld{t: t, svc: svc, db: db, pages: map[string]string{}}
	w.srv = httptest.NewServer(srv)
	t.Cleanup(w.srv.Close)
	w.host = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		body, ok := w.pages[r.URL.Path]
		w.mu.Unlock()
		if !ok {
			http.NotFound(rw, r)
			return
		}
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Cache-Control", "no-store")
		_, _ = rw.Write([]byte(body))
	}))
	t.Cleanup(w.host.Close)
	return w
}

// hostPage serves a page embedding the widget of property pid, loaded
// from the admin's server, at path on the host server, and returns its
// URL.
func (w *adminWorld) hostPage(path, pid string) string {
	p := page{Title: "Landing", Property: pid, Src: w.srv.URL + "/widget/widget.js"}
	w.mu.Lock()
	w.pages[path] = p.html()
	w.mu.Unlock()
	return w.host.URL + path
}

// owner creates the first account through the Service (for the tests that
// do not test Create account) and returns it.
func (w *adminWorld) owner() admin.Actor {
	w.t.Helper()
	acc, _, err := w.svc.Setup(context.Background(), ownerEmail, ownerPassword)
	if err != nil {
		w.t.Fatalf("creating the owner: %v", err)
	}
	return admin.Actor{Account: acc}
}

// actor is the account with that email, logged in through the Service.
func (w *adminWorld) actor(email, password string) admin.Actor {
	w.t.Helper()
	acc, _, err := w.svc.Login(context.Background(), email, password, "e2e")
	if err != nil {
		w.t.Fatalf("logging %s in: %v", email, err)
	}
	return admin.Actor{Account: acc}
}

// property creates a property owned by a and returns its id.
func (w *adminWorld) property(a admin.Actor, name string) string {
	w.t.Helper()
	st, err := w.svc.CreateProperty(context.Background(), a, "", admin.NewProperty{Name: name, WebsiteURL: "https://shop.example.com", Timezone: "Europe/Paris", Language: "en"})
	if err != nil {
		w.t.Fatalf("creating property %q: %v", name, err)
	}
	return st.ID
}

// agent invites email as an Agent of pid and accepts the invitation, as
// the invited person would.
func (w *adminWorld) agent(a admin.Actor, pid, email, password string) {
	w.t.Helper()
	ctx := context.Background()
	_, secret, err := w.svc.Invite(ctx, a, pid, email, store.RoleAgent)
	if err != nil {
		w.t.Fatalf("inviting %s: %v", email, err)
	}
	if _, _, err := w.svc.Accept(ctx, secret, password, "e2e"); err != nil {
		w.t.Fatalf("accepting the invitation of %s: %v", email, err)
	}
}

// ui is one test's browser tab on an admin world.
type ui struct {
	*tab
	w        *adminWorld
	reported map[string]bool // misnamed controls already reported (under tab.mu)
	// strictNames fails the test on a control found only once the
	// symbols around its name are dropped (see findIn).
	strictNames bool
}

// Viewports the admin is checked at.
const (
	wideW, wideH     = 1440, 900
	tabletW, tabletH = 768, 1024
	phoneW, phoneH   = 400, 860
)

// newUI opens a tab in a fresh browser context (its own cookies), 1440×900.
func (w *adminWorld) newUI(t *testing.T) *ui {
	t.Helper()
	u := &ui{tab: newTab(t), w: w}
	u.viewport(wideW, wideH)
	return u
}

func (u *ui) viewport(width, height int64) {
	u.t.Helper()
	if err := chromedp.Do(u.ctx, chromedp.EmulateViewport(width, height)); err != nil {
		u.t.Fatalf("setting the viewport to %d×%d: %v", width, height, err)
	}
}

// fail stops the test with what the page shows.
func (u *ui) fail(format string, args ...any) {
	u.t.Helper()
	u.t.Fatalf(format+"%s", append(args, u.pageDiag())...)
}

// pageDiag describes the page for a failure message: its URL, title,
// heading, alerts and status messages, and what was thrown.
func (u *ui) pageDiag() string {
	ctx, cancel := context.WithTimeout(u.ctx, 3*time.Second)
	defer cancel()
	js := `JSON.stringify({url: location.href, title: document.title,
		h1: [...document.querySelectorAll('h1')].map(e => e.textContent.trim()),
		alerts: [...document.querySelectorAll('[role=alert],[role=status]')].map(e => e.textContent.trim()).filter(Boolean),
		main: (document.querySelector('main') || document.body || {}).innerText?.slice(0, 1500)})`
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		s = "(page unavailable: " + err.Error() + ")"
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return fmt.Sprintf("\npage: %s\nconsole errors: %q\nexceptions: %q", s, u.consoleErr, u.exceptions)
}

// open loads path of the admin's server and returns the HTTP status of
// the page (after redirects).
func (u *ui) open(path string) int64 {
	u.t.Helper()
	resp, err := chromedp.Run(u.ctx, chromedp.NavigateResponse(u.w.srv.URL+path))
	if err != nil {
		u.fail("opening %s: %v", path, err)
	}
	if resp == nil {
		return 0
	}
	return resp.Status
}

// path is the current page's path and query.
func (u *ui) path() string {
	u.t.Helper()
	var p string
	u.eval("location.pathname + location.search", &p)
	return p
}

// axNode is a node of the accessibility tree, as a screen reader sees it.
type axNode struct {
	Role, Name, Desc, Value string
	Props                   map[string]any
	backend                 cdp.BackendNodeID
}

func (n axNode) String() string { return fmt.Sprintf("%s %q", n.Role, n.Name) }

func (n axNode) is(prop string) bool {
	v, ok := n.Props[prop]
	if !ok {
		return false
	}
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return v == "true" || v == "mixed" || (prop == "invalid" && v != "false")
	}
	return false
}

func (n axNode) invalid() bool  { return n.is("invalid") }
func (n axNode) disabled() bool { return n.is("disabled") }
func (n axNode) checked() bool  { return n.is("checked") || n.is("pressed") }

func axString(v *accessibility.Value) string {
	if v == nil || len(v.Value) == 0 {
		return ""
	}
	var s any
	if err := json.Unmarshal([]byte(v.Value), &s); err != nil {
		return string(v.Value)
	}
	if str, ok := s.(string); ok {
		return str
	}
	return fmt.Sprint(s)
}

// query returns the nodes of the accessibility tree with that role and
// name ("" matches any), under within (nil: the whole page), that are not
// ignored (hidden nodes, a closed dialog's content, are ignored).
func (u *ui) query(role, name string, within *axNode) ([]axNode, error) {
	var out []axNode
	err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// With a role, the names are compared here: Chromium's own name
		// filter misses some nodes (the button of a file input).
		p := accessibility.QueryAXTreeParams{Role: role}
		if role == "" {
			p.AccessibleName = name
		}
		if within != nil {
			p.BackendNodeID = within.backend
		} else {
			doc, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document", ObjectGroup: "tw-ax"})
			if err != nil {
				return err
			}
			if doc.Result == nil || doc.Result.ObjectID == "" {
				return fmt.Errorf("no document")
			}
			p.ObjectID = doc.Result.ObjectID
			defer cdp.Call(ctx, t, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "tw-ax"})
		}
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, p)
		if err != nil {
			return err
		}
		for _, n := range res.Nodes {
			if n.Ignored || n.BackendDOMNodeID == 0 {
				continue
			}
			a := axNode{Role: axString(n.Role), Name: axString(n.Name), Desc: axString(n.Description), Value: axString(n.Value),
				Props: map[string]any{}, backend: n.BackendDOMNodeID}
			if role != "" && name != "" && a.Name != name {
				continue
			}
			for _, pr := range n.Properties {
				if pr.Value == nil {
					continue
				}
				var v any
				if json.Unmarshal([]byte(pr.Value.Value), &v) == nil {
					a.Props[string(pr.Name)] = v
				}
			}
			out = append(out, a)
		}
		return nil
	}))
	return out, err
}

// all returns every node with that role and name now (no wait).
func (u *ui) all(role, name string) []axNode {
	u.t.Helper()
	ns, err := u.query(role, name, nil)
	if err != nil {
		u.fail("querying the accessibility tree for %s %q: %v", role, name, err)
	}
	return ns
}

// find waits for the one node with that role and name (the first when
// there are several) and returns it.
func (u *ui) find(role, name string) axNode {
	u.t.Helper()
	return u.findIn(nil, role, name)
}

// findIn is find under a node. A node whose name matches only once the
// symbols around it are dropped ("＋ Add trigger" for "Add trigger": a
// screen reader reads the symbol too) is used, so that the test goes on,
// but fails the test: the names are a contract.
func (u *ui) findIn(within *axNode, role, name string) axNode {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ns, err := u.query(role, name, within)
		if err == nil && len(ns) > 0 {
			return ns[0]
		}
		if err == nil && name != "" {
			all, _ := u.query(role, "", within)
			for _, n := range all {
				if trimIcons(n.Name) == name {
					u.misnamed(n, name)
					return n
				}
			}
		}
		if time.Now().After(deadline) {
			where := "on the page"
			if within != nil {
				where = "in " + within.String()
			}
			u.fail("no %s named %q %s (err %v)", role, name, where, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// misnamed reports, once per test and name, a control whose accessible
// name is not exactly the promised one.
func (u *ui) misnamed(n axNode, want string) {
	u.t.Helper()
	key := n.Role + "\x00" + n.Name
	u.mu.Lock()
	if u.reported == nil {
		u.reported = map[string]bool{}
	}
	seen := u.reported[key]
	u.reported[key] = true
	u.mu.Unlock()
	if seen {
		return
	}
	if !u.strictNames {
		// TestAdminNames holds the names to the contract; elsewhere a
		// misnamed control is noted and the walk goes on.
		u.t.Logf("note: on %s the %s is named %q, not exactly %q", u.path(), n.Role, n.Name, want)
		return
	}
	{
		u.t.Errorf("on %s the %s is named %q; its accessible name must be exactly %q (hide the symbol from screen readers with aria-hidden)", u.path(), n.Role, n.Name, want)
	}
}

// has says whether a node with that role and name is there now.
func (u *ui) has(role, name string) bool {
	u.t.Helper()
	return len(u.all(role, name)) > 0
}

// fieldRoles are the roles of the controls a person types into.
var fieldRoles = []string{"textbox", "searchbox", "combobox", "spinbutton"}

// field waits for the text field (or select) labelled name.
func (u *ui) field(name string) axNode {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		var ns []axNode
		var err error
		for _, role := range fieldRoles {
			var got []axNode
			if got, err = u.query(role, name, nil); err != nil {
				break
			}
			ns = append(ns, got...)
		}
		if err == nil && len(ns) > 0 {
			return ns[0]
		}
		if err == nil {
			ns, err = u.query("", name, nil)
		}
		if time.Now().After(deadline) {
			var roles []string
			for _, n := range ns {
				roles = append(roles, n.Role)
			}
			u.fail("no text field or select labelled %q (nodes with that name: %q; err %v)", name, roles, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// call runs the JS function fn with this = the node's element and the
// given arguments, and decodes its JSON-serialisable result into out
// (which may be nil).
func (u *ui) call(n axNode, fn string, out any, args ...any) {
	u.t.Helper()
	var res *runtime.RemoteObject
	err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.backend, ObjectGroup: "tw-call"})
		if err != nil {
			return err
		}
		defer cdp.Call(ctx, t, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "tw-call"})
		var cargs []*runtime.CallArgument
		for _, a := range args {
			b, err := json.Marshal(a)
			if err != nil {
				return err
			}
			cargs = append(cargs, &runtime.CallArgument{Value: b})
		}
		yes := true
		r, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
			FunctionDeclaration: fn, ObjectID: obj.Object.ObjectID, Arguments: cargs,
			ReturnByValue: &yes, AwaitPromise: &yes, UserGesture: &yes,
		})
		if err != nil {
			return err
		}
		if r.ExceptionDetails != nil {
			return &chromedp.ExceptionError{ExceptionDetails: r.ExceptionDetails}
		}
		res = r.Result
		return nil
	}))
	if err != nil {
		u.fail("on %s, running %s: %v", n, fn, err)
	}
	if out != nil && res != nil && len(res.Value) > 0 {
		if err := json.Unmarshal([]byte(res.Value), out); err != nil {
			u.fail("decoding %s: %v", res.Value, err)
		}
	}
}

// text is the text content of a node's element.
func (u *ui) text(n axNode) string {
	u.t.Helper()
	var s string
	u.call(n, `function() { return (this.innerText ?? this.textContent ?? "").trim(); }`, &s)
	return s
}

// attr is an attribute of a node's element ("" when absent).
func (u *ui) attr(n axNode, name string) string {
	u.t.Helper()
	var s string
	u.call(n, `function(a) { return this.getAttribute(a) ?? ""; }`, &s, name)
	return s
}

// value is a control's current value (for a select, the label of the
// selected option).
func (u *ui) value(n axNode) string {
	u.t.Helper()
	var s string
	u.call(n, `function() { return this.tagName === "SELECT" ? (this.selectedOptions[0]?.label ?? "") : (this.value ?? ""); }`, &s)
	return s
}

// clickNode clicks the middle of a node's box with the mouse.
func (u *ui) clickNode(n axNode) {
	u.t.Helper()
	err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, dom.ScrollIntoViewIfNeeded, dom.ScrollIntoViewIfNeededParams{BackendNodeID: n.backend}); err != nil {
			return err
		}
		q, err := cdp.Call(ctx, t, dom.GetContentQuads, dom.GetContentQuadsParams{BackendNodeID: n.backend})
		if err != nil {
			return err
		}
		if len(q.Quads) == 0 || len(q.Quads[0]) < 8 {
			return fmt.Errorf("it has no box on screen (hidden?)")
		}
		c := q.Quads[0]
		x, y := (c[0]+c[2]+c[4]+c[6])/4, (c[1]+c[3]+c[5]+c[7])/4
		_, err = chromedp.MouseClickXY(x, y)(ctx, t)
		return err
	}))
	if err != nil {
		u.fail("clicking %s: %v", n, err)
	}
}

// press focuses a node and presses a key on it (" " for Space, "Enter").
func (u *ui) press(n axNode, key string) {
	u.t.Helper()
	err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, dom.Focus, dom.FocusParams{BackendNodeID: n.backend}); err != nil {
			return err
		}
		_, err := chromedp.KeyEvent(key)(ctx, t)
		return err
	}))
	if err != nil {
		u.fail("pressing %q on %s: %v", key, n, err)
	}
}

// click clicks the button or link named name (waiting for it).
func (u *ui) click(role, name string) {
	u.t.Helper()
	u.clickNode(u.find(role, name))
}

// follow runs act, which must load a new page (a link, a form's submit
// button), and waits for that page's load event.
func (u *ui) follow(what string, act func()) {
	u.t.Helper()
	ctx, cancel := context.WithTimeout(u.ctx, waitTimeout)
	defer cancel()
	// Events subscribes when it is called: before act.
	events := chromedp.Events(ctx, cdppage.LoadEventFired)
	loaded := make(chan struct{})
	var lerr error
	go func() {
		defer close(loaded)
		for _, err := range events {
			lerr = err
			return
		}
		lerr = ctx.Err()
	}()
	act()
	<-loaded
	if lerr != nil {
		u.fail("%s: no new page loaded (%v)", what, lerr)
	}
}

// submit clicks the button named name and waits for the page it loads.
func (u *ui) submit(name string) {
	u.t.Helper()
	n := u.find("button", name)
	u.follow("submitting with "+name, func() { u.clickNode(n) })
}

// link follows the link named name.
func (u *ui) link(name string) {
	u.t.Helper()
	n := u.find("link", name)
	u.follow("following the link "+name, func() { u.clickNode(n) })
}

// fill types value into the text field labelled name, replacing what it
// held, as a person would.
func (u *ui) fill(name, value string) {
	u.t.Helper()
	n := u.field(name)
	u.call(n, `function() { this.focus(); this.select?.(); this.value = ""; this.dispatchEvent(new Event("input", {bubbles: true})); }`, nil)
	if value != "" {
		u.typeText(n, value)
	}
	u.call(n, `function() { this.dispatchEvent(new Event("change", {bubbles: true})); }`, nil)
}

// typeText types text into a focused node, key by key (Input.insertText
// for what a keyboard has no key for, such as emojis).
func (u *ui) typeText(n axNode, text string) {
	u.t.Helper()
	err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, dom.Focus, dom.FocusParams{BackendNodeID: n.backend}); err != nil {
			return err
		}
		_, err := chromedp.KeyEvent(text)(ctx, t)
		return err
	}))
	if err != nil {
		u.fail("typing into %s: %v", n, err)
	}
}

// choose selects the option labelled option in the select named name.
func (u *ui) choose(name, option string) {
	u.t.Helper()
	n := u.field(name)
	var ok bool
	u.call(n, `function(label) {
		const o = [...(this.options || [])].find(o => o.label === label || o.textContent.trim() === label);
		if (!o) return false;
		this.focus();
		this.value = o.value;
		this.dispatchEvent(new Event("input", {bubbles: true}));
		this.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	}`, &ok, option)
	if !ok {
		var opts []string
		u.call(n, `function() { return [...(this.options || [])].map(o => o.label); }`, &opts)
		u.fail("the select %q has no option %q; its options: %q", name, option, opts)
	}
}

// options lists the labels of the select named name.
func (u *ui) options(name string) []string {
	u.t.Helper()
	var opts []string
	u.call(u.field(name), `function() { return [...(this.options || [])].map(o => o.label); }`, &opts)
	return opts
}

// setChecked ticks (or unticks) the checkbox or switch named name, with
// the keyboard.
func (u *ui) setChecked(name string, want bool) {
	u.t.Helper()
	var n axNode
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, role := range []string{"checkbox", "switch"} {
			if ns := u.all(role, name); len(ns) > 0 {
				n = ns[0]
			}
		}
		if n.backend != 0 {
			break
		}
		if time.Now().After(deadline) {
			u.fail("no checkbox or switch named %q", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n.checked() != want {
		u.press(n, " ")
	}
}

// radio selects the radio button named name, with the keyboard.
func (u *ui) radio(name string) {
	u.t.Helper()
	n := u.find("radio", name)
	if !n.checked() {
		u.press(n, " ")
	}
}

// upload sets the files of the file input labelled name (a screen reader
// finds it as a button with that name; the accessibility tree may point at
// the button inside the input, so the input is its host).
func (u *ui) upload(name string, files ...string) {
	u.t.Helper()
	const fileInput = `function() {
		for (let e = this; e; e = e.parentNode || e.host) {
			if (e.tagName === "INPUT" && e.type === "file") return e;
		}
		return null;
	}`
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, n := range u.all("button", name) {
			var done bool
			err := chromedp.Do(u.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				obj, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: n.backend, ObjectGroup: "tw-upload"})
				if err != nil {
					return err
				}
				defer cdp.Call(ctx, t, runtime.ReleaseObjectGroup, runtime.ReleaseObjectGroupParams{ObjectGroup: "tw-upload"})
				r, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{FunctionDeclaration: fileInput, ObjectID: obj.Object.ObjectID})
				if err != nil || r.Result == nil || r.Result.ObjectID == "" {
					return err
				}
				if _, err := cdp.Call(ctx, t, dom.SetFileInputFiles, dom.SetFileInputFilesParams{Files: files, ObjectID: r.Result.ObjectID}); err != nil {
					return err
				}
				done = true
				return nil
			}))
			if err != nil {
				u.fail("choosing %q in %q: %v", files, name, err)
			}
			if done {
				return
			}
		}
		if time.Now().After(deadline) {
			u.fail("no file input labelled %q", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// messages returns the texts of the page's role=status and role=alert
// elements that are not empty.
func (u *ui) messages(role string) []string {
	u.t.Helper()
	var out []string
	for _, n := range u.all(role, "") {
		if s := u.text(n); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// waitMessage waits for a role (status or alert) element whose text
// contains want.
func (u *ui) waitMessage(role, want string) string {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, s := range u.messages(role) {
			if strings.Contains(s, want) {
				return s
			}
		}
		if time.Now().After(deadline) {
			u.fail("no role=%s saying %q (role=%s now: %q)", role, want, role, u.messages(role))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// describedBy is the text of the elements a node's aria-describedby names.
func (u *ui) describedBy(n axNode) string {
	u.t.Helper()
	var s string
	u.call(n, `function() {
		return (this.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
			.map(id => document.getElementById(id)?.textContent.trim() ?? "").join(" ");
	}`, &s)
	return s
}

// focusOnAlert checks that the keyboard focus is on one of the page's
// alerts or inside it: a refused form opens on its error summary.
func (u *ui) focusOnAlert(what string) {
	u.t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		for _, n := range u.all("alert", "") {
			var in bool
			u.call(n, `function() { return this === document.activeElement || this.contains(document.activeElement); }`, &in)
			if in {
				return
			}
		}
		if time.Now().After(deadline) {
			var focused string
			u.eval(`(() => { const e = document.activeElement; return e ? e.tagName.toLowerCase() + " " + (e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 60) : "nothing"; })()`, &focused)
			u.t.Errorf("%s: the keyboard focus is on %q, not on the error summary (the alerts: %q)", what, focused, u.messages("alert"))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// login logs in through the form.
func (u *ui) login(email, password string) {
	u.t.Helper()
	u.open("/admin/login?lang=en")
	u.fill("Email", email)
	u.fill("Password", password)
	u.submit("Log in")
	if strings.HasPrefix(u.path(), "/admin/login") {
		u.fail("still on the login page after logging in")
	}
}

// noHorizontalScroll checks that the page fits the viewport's width.
func (u *ui) noHorizontalScroll(what string) {
	u.t.Helper()
	var r struct{ SW, IW int }
	u.eval(`({SW: document.documentElement.scrollWidth, IW: window.innerWidth})`, &r)
	if r.SW > r.IW {
		var wide []string
		u.eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
			.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.getAttribute("aria-label") ? "[" + e.getAttribute("aria-label") + "]" : "") + " " + (e.textContent || "").trim().slice(0, 40))`, &wide)
		u.t.Errorf("%s at %d px wide scrolls sideways: the document is %d px wide; wider elements: %q", what, r.IW, r.SW, wide)
	}
}

// screenshot saves the viewport to <dir>/admin-<name>.png when
// TRIGGERWIDGET_SCREENSHOTS names a directory (relative to the repository's
// root), so that ordinary runs never rewrite the committed pictures.
func (u *ui) screenshot(name string) {
	u.t.Helper()
	dir := os.Getenv("TRIGGERWIDGET_SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		wd, _ := os.Getwd()
		root, err := distbuild.FindRoot(wd)
		if err != nil {
			u.t.Fatal(err)
		}
		dir = filepath.Join(root, dir)
	}
	// Let the fonts and the preview settle.
	u.eval(`document.fonts.ready.then(() => true)`, nil)
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(u.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		u.fail("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "admin-"+name+".png"), png, 0o644); err != nil {
		u.t.Fatal(err)
	}
}

// axeSource is axe-core, which `make deps` installs.
var axeSource = sync.OnceValues(func() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(wd, "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("axe-core is missing (%v): run `make deps`, which installs it into e2e/axe", err)
	}
	return string(b), nil
})

// axeViolation is one rule axe-core found broken.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRuns counts the pages checked, for the report at the end.
var axeRuns struct {
	sync.Mutex
	pages []string
}

// axe runs axe-core on the current page (WCAG 2.1 A and AA, and best
// practices) and fails the test on every serious or critical violation.
// DevTools' evaluation is not bound by the page's Content-Security-Policy,
// so the page needs no change to be checked.
func (u *ui) axe(what string) {
	u.t.Helper()
	src, err := axeSource()
	if err != nil {
		u.t.Fatal(err)
	}
	var loaded bool
	u.eval(`typeof window.axe === "object"`, &loaded)
	if !loaded {
		if _, err := chromedp.Run(u.ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
			u.fail("loading axe-core into %s: %v", what, err)
		}
	}
	js := `axe.run(document, {iframes: false, resultTypes: ["violations"],
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.map(n => n.target.join(" ") + (n.failureSummary ? " — " + n.failureSummary.replace(/\s+/g, " ").slice(0, 200) : ""))}))))`
	s, err := chromedp.Run(u.ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		u.fail("running axe-core on %s: %v", what, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(s), &vs); err != nil {
		u.t.Fatalf("axe-core's answer on %s: %v", what, err)
	}
	axeRuns.Lock()
	axeRuns.pages = append(axeRuns.pages, what)
	axeRuns.Unlock()
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			u.t.Logf("axe on %s (%s, not failing): %s — %s: %q", what, v.Impact, v.ID, v.Help, v.Targets)
			continue
		}
		u.t.Errorf("axe on %s (%s at %s): %s — %s: %q", what, v.Impact, u.path(), v.ID, v.Help, v.Targets)
	}
}
