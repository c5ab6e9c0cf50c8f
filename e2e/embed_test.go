//go:build !js

package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The widget and its trigger set may live on another origin than
// the host page; widget.js finds the wasm relative to its own URL.
func TestCrossOrigin_WidgetFromAnotherOrigin(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 1,
		"message": {"text": "Hello from elsewhere"}, "agent": {"name": "Apollo", "image": "avatars/robot.svg"}}`)
	// 127.0.0.1 and localhost are different origins.
	b := strings.Replace(env.world.b.URL, "127.0.0.1", "localhost", 1)
	dir := widgetDir(tb.testClock)
	tb.navigate(tb.page("home", page{Src: b + dir + "widget.js", Property: tb.prop}))
	tb.waitLoad()
	start := tb.state().Visit.Start
	tb.fireAfter(start, time.Second, "welcome")
	tb.assertFiredAfter("welcome", start, 1)

	var res struct {
		Origin    string
		Resources []string
		Avatar    string
	}
	tb.eval(`({
		Origin: location.origin,
		Resources: performance.getEntriesByType('resource').map(e => e.name),
		Avatar: `+shadowQ(msgSel("welcome")+" img[data-part=agent-image]")+`.src,
	})`, &res)
	if res.Origin != env.world.a.URL {
		t.Fatalf("the host page's origin is %s, want server A %s", res.Origin, env.world.a.URL)
	}
	var wasm, set bool
	for _, r := range res.Resources {
		switch {
		case strings.HasPrefix(r, b+dir+"widget.") && strings.HasSuffix(r, ".wasm"):
			wasm = true
		case r == b+"/p/"+tb.prop+"/triggers.json":
			set = true
		case strings.HasPrefix(r, env.world.a.URL+"/widget"), strings.HasPrefix(r, env.world.a.URL+"/p/"):
			t.Errorf("the widget fetched %s from the host page's origin", r)
		}
	}
	if !wasm || !set {
		t.Errorf("the wasm (%v) and the trigger set (%v) must come from %s; resources: %q", wasm, set, b, res.Resources)
	}
	if want := b + "/p/" + tb.prop + "/avatars/robot.svg"; res.Avatar != want {
		t.Errorf("agent image = %q, want %q (relative to the trigger set's URL)", res.Avatar, want)
	}
	var sawCORS bool
	for _, r := range env.world.requests("b", "/p/"+tb.prop+"/triggers.json") {
		sawCORS = sawCORS || r.origin == env.world.a.URL
	}
	if !sawCORS {
		t.Errorf("server B got no cross-origin request for the trigger set from %s", env.world.a.URL)
	}
	if len(env.world.requests("a", "/p/"+tb.prop+"/")) != 0 {
		t.Errorf("server A was asked for the property's files")
	}
	tb.assertNoUncaught()
}

// The wasm and the trigger set are fetched as the widget's own tag is, with
// the cookies of the page's origin when the widget is served from it (so
// the browser may send them over the connection that brought widget.js;
// requests without credentials get connections of their own), and never
// with the cookies of another widget host.
func TestCredentials_CookiesOnlyOnTheSitesOwnOrigin(t *testing.T) {
	t.Parallel()
	// withCookie returns the requests of server to a path with prefix and
	// suffix that carried cookie.
	withCookie := func(server, prefix, suffix, cookie string) (n int) {
		for _, r := range env.world.requests(server, prefix) {
			if strings.HasSuffix(r.path, suffix) && slices.Contains(strings.Split(r.cookie, "; "), cookie) {
				n++
			}
		}
		return n
	}
	t.Run("same origin", func(t *testing.T) {
		t.Parallel()
		tb := newTab(t)
		tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
			"message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
		cookie := "site=" + tb.prop
		tb.navigate(tb.sitePage("home", page{Head: `document.cookie = ` + jsString(cookie+"; path=/")}))
		tb.waitLoad()
		if n := withCookie("a", "/widget/widget.", ".wasm", cookie); n != 1 {
			t.Errorf("the wasm was fetched %d times with the site's cookie %s, want once", n, cookie)
		}
		if n := withCookie("a", "/p/"+tb.prop+"/triggers.json", "", cookie); n != 1 {
			t.Errorf("the trigger set was fetched %d times with the site's cookie %s, want once", n, cookie)
		}
		tb.assertNoUncaught()
	})
	t.Run("another origin", func(t *testing.T) {
		t.Parallel()
		tb := newTab(t)
		tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
			"message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
		// 127.0.0.1 and localhost are different origins and sites.
		b := strings.Replace(env.world.b.URL, "127.0.0.1", "localhost", 1)
		cookie := "widgethost=" + tb.prop
		setter := tb.page("set-cookie", page{Head: `document.cookie = ` + jsString(cookie+"; path=/")})
		tb.run("set a cookie on the widget's host", chromedp.Navigate(b+setter))
		var set string
		tb.eval(`document.cookie`, &set)
		if !strings.Contains(set, cookie) {
			t.Fatalf("the widget's host has no cookie %s to leak (document.cookie = %q)", cookie, set)
		}
		tb.navigate(tb.page("home", page{Src: b + "/widget/widget.js", Property: tb.prop}))
		tb.waitLoad()
		if got := env.world.requests("b", "/p/"+tb.prop+"/triggers.json"); len(got) != 1 {
			t.Fatalf("server B got %d requests for the trigger set, want 1", len(got))
		}
		for _, suffix := range []string{".wasm", ""} {
			prefix := "/widget/widget."
			if suffix == "" {
				prefix = "/p/" + tb.prop + "/triggers.json"
			}
			if n := withCookie("b", prefix, suffix, cookie); n != 0 {
				t.Errorf("%s…%s was fetched from the widget's host %d times with its cookie %s", prefix, suffix, n, cookie)
			}
		}
		tb.assertNoUncaught()
	})
}

// Calls made before the runtime is ready are queued, not lost.
func TestAPI_QueuedMaximizeBeforeReady(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "opened", "name": "Opened", "type": "maximized", "delay": 0,
		"message": {"text": "Hi! Ask us anything."}, "agent": {"name": "Support"}}`)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.maximize()`}))
	tb.waitLoad()
	tb.assertQueued()
	tb.poll("the maximized event", `__events.some(e => e.name === 'maximized')`)
	tb.waitMessage("opened")
	if !tb.visible("[data-part=panel]") {
		t.Errorf("the panel is not open after a queued maximize()")
	}
	if s := tb.state(); !s.Maximized {
		t.Errorf("getState().maximized = false after a queued maximize()")
	}
	tb.assertNoUncaught()
}

// hide() removes the whole widget from view and show() brings it
// back, in the state it was in.
func TestAPI_HideShow(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	hostVisible := func() bool {
		var v bool
		tb.eval(`document.getElementById('triggerwidget-root').checkVisibility()`, &v)
		return v
	}
	if !hostVisible() || !tb.visible("[data-part=launcher]") {
		t.Fatalf("the widget is not visible before hide()")
	}
	tb.exec(`TriggerWidget.hide()`)
	if hostVisible() || tb.visible("[data-part=launcher]") || tb.visible("[data-part=preview]") {
		t.Errorf("the widget is still visible after hide()")
	}
	tb.exec(`TriggerWidget.show()`)
	if !hostVisible() || !tb.visible("[data-part=launcher]") {
		t.Errorf("the widget is not visible again after show()")
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("after hide/show the message is shown %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// Listeners: on(name, fn) listeners get events beside the onXxx
// property; a listener that throws neither stops the others nor throws into
// the host page.
func TestAPI_ListenersAndAThrowingOne(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 1, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	// on() exists once widget.js has run: register from the tag's onload.
	tb.navigate(tb.sitePage("home", page{OnLoad: `
		window.__viaOn = [];
		TriggerWidget.on('triggerFired', function () { throw new Error('a bug in the host listener'); });
		TriggerWidget.on('triggerFired', function (e) { __viaOn.push(e.triggerId); });`}))
	tb.waitLoad()
	tb.fireAfter(tb.state().Visit.Start, time.Second, "welcome")
	var viaOn []string
	tb.eval("__viaOn", &viaOn)
	if !slices.Equal(viaOn, []string{"welcome"}) {
		t.Errorf("on('triggerFired') listener got %q, want [welcome]", viaOn)
	}
	if ids := tb.firedEvents(); !slices.Equal(ids, []string{"welcome"}) {
		t.Errorf("onTriggerFired property got %q, want [welcome]", ids)
	}
	tb.assertNoUncaught()
}

// widget.js wraps Go's wasm_exec.js so that none of its globals (Go, fs,
// process, path) leak into the host page: the only global it adds is
// TriggerWidget.
func TestNoGlobalLeaks(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{Head: `window.__globals = Object.getOwnPropertyNames(window);`}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	var added []string
	tb.eval(`Object.getOwnPropertyNames(window).filter(n => n !== '__globals' && !__globals.includes(n))`, &added)
	if len(added) != 0 {
		t.Errorf("the widget added globals to the host page: %q", added)
	}
	tb.assertNoUncaught()
}

// The loader's guard: a second copy of widget.js does nothing.
func TestIncludedTwice_OneWidget(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{Body: `<script async src="/widget/widget.js" data-property="` + tb.prop + `"></script>`}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.sleep(margin)
	var roots int
	tb.eval(`document.querySelectorAll('#triggerwidget-root').length`, &roots)
	if roots != 1 || tb.count(msgSel("welcome")) != 1 || len(tb.firedEvents()) != 1 || len(tb.events("load")) != 1 {
		t.Errorf("with widget.js included twice: %d roots, %d messages, %d triggerFired, %d load; want one of each",
			roots, tb.count(msgSel("welcome")), len(tb.firedEvents()), len(tb.events("load")))
	}
	tb.assertNoUncaught()
}

// shutdown(): the widget leaves the page, its timers stop and the API
// becomes inert without throwing.
func TestAPI_Shutdown(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "later", "name": "Later", "type": "site", "delay": 1, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{Head: spaNav}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.shutdown()`)
	tb.poll("the widget to leave the page", `document.getElementById('triggerwidget-root') === null`)
	tb.sleep(time.Second + margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q after shutdown()", ids)
	}
	var st any
	tb.eval(`(() => { TriggerWidget.maximize(); TriggerWidget.setStatus('online'); nav('?after=1'); return TriggerWidget.getState(); })()`, &st)
	if st != nil {
		t.Errorf("getState() after shutdown() = %v, want null", st)
	}
	tb.assertNoUncaught()
}

// hide() called before the runtime is ready: the widget comes onto the
// page already hidden, not for a frame or two before the queued call runs.
func TestAPI_HideBeforeReadyNeverShows(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{
		Head: `window.__shownOnArrival = null; new MutationObserver(function () {
			var r = document.getElementById('triggerwidget-root');
			if (r && window.__shownOnArrival === null) window.__shownOnArrival = !r.hidden;
		}).observe(document.documentElement, {childList: true, subtree: true});`,
		OnLoad: `TriggerWidget.hide()`,
	}))
	tb.waitLoad()
	var shown any
	tb.eval(`window.__shownOnArrival`, &shown)
	if shown != false {
		t.Errorf("the widget arrived on the page shown (%v), though hide() came first", shown)
	}
	tb.assertNoUncaught()
}
