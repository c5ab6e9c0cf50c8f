//go:build !js

package e2e

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// site: fires after its delay (counted from the first page view) and
// not before; a full reload neither repeats it nor loses its message.
func TestSiteTrigger_FiresAfterDelay_SurvivesReload(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 2,
		"message": {"text": "Hello 👋 how can we help?"}, "agent": {"name": "Apollo", "image": "avatars/robot.svg"},
		"suggestions": ["Pricing", "Talk to a human"]}`)
	home := tb.sitePage("home", page{})
	tb.navigate(home)
	tb.waitLoad()

	// Not before: nothing was on screen at load, nor 1 ms before the delay
	// ends; at 2 s into the visit it fires, and the engine's own timestamps
	// say so.
	load := tb.events("load")[0]
	if len(load.Msgs) != 0 {
		t.Errorf("messages %q were shown before the delay (at the load event)", load.Msgs)
	}
	tb.fireAfter(tb.state().Visit.Start, 2*time.Second, "welcome")
	s := tb.state()
	tb.assertFiredAfter("welcome", s.Visit.Start, 2)
	fired := tb.events("triggerFired")
	if len(fired) != 1 {
		t.Fatalf("triggerFired emitted %d times, want 1", len(fired))
	}
	var te triggerEvent
	fired[0].decode(t, &te)
	if te.TriggerID != "welcome" || te.Message.Text != "Hello 👋 how can we help?" || te.EntryID == 0 {
		t.Errorf("triggerFired = %s", fired[0].Data)
	}
	if got := fired[0].T - s.Visit.Start; got < 2000 {
		t.Errorf("the host heard triggerFired %d ms into the visit, before the 2 s delay", got)
	}
	if n := len(tb.events("messageShown")); n != 1 {
		t.Errorf("messageShown emitted %d times, want 1", n)
	}

	// The rendered message: agent name, image, text, suggestions.
	var before struct {
		Entry, Name, Text, Img string
		Suggestions            []string
	}
	readMessage := `(() => { const m = ` + shadowQ(msgSel("welcome")) + `; return m && {
		Entry: m.getAttribute('data-entry-id'),
		Name: m.querySelector('[data-part=agent-name]')?.textContent,
		Text: m.querySelector('[data-part=text]')?.textContent,
		Img: m.querySelector('img[data-part=agent-image]')?.src,
		Suggestions: [...m.querySelectorAll('button[data-part=suggestion]')].map(b => b.textContent) }; })()`
	tb.eval(readMessage, &before)
	if before.Name != "Apollo" || before.Text != "Hello 👋 how can we help?" || !slices.Equal(before.Suggestions, []string{"Pricing", "Talk to a human"}) {
		t.Errorf("rendered message = %+v", before)
	}
	if want := env.world.a.URL + "/p/" + tb.prop + "/avatars/robot.svg"; before.Img != want {
		t.Errorf("agent image src = %q, want %q (relative to the trigger set's URL)", before.Img, want)
	}

	// Full reload: same entry shown, no second triggerFired, fired once.
	tb.reload()
	tb.waitLoad()
	tb.waitMessage("welcome")
	var after struct {
		Entry, Name, Text, Img string
		Suggestions            []string
	}
	tb.eval(readMessage, &after)
	if after.Entry != before.Entry || after.Text != before.Text || after.Name != before.Name {
		t.Errorf("after reload the message is %+v, want the same entry as before %+v", after, before)
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("after reload the message is shown %d times, want once", n)
	}
	tb.advance(2*time.Second + margin) // the delay again, plus margin: it must not fire anew
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("after reload triggerFired was emitted again for %q", ids)
	}
	if n := len(tb.events("messageShown")); n != 0 {
		t.Errorf("after reload messageShown was emitted %d times for a message already shown", n)
	}
	s2 := tb.state()
	if at, n := s2.firedAt("welcome"); n != 1 || at != func() int64 { a, _ := s.firedAt("welcome"); return a }() {
		t.Errorf("after reload getState().fired = %+v, want welcome once at its first time", s2.Fired)
	}
	if s2.Visit.Start != s.Visit.Start || s2.Visit.PageViews != 2 {
		t.Errorf("after reload visit = %+v, want the same visit (start %d) with 2 page views", s2.Visit, s.Visit.Start)
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("the message is shown %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// pageTrigger is a page trigger on rule {match, value}, with a 2 s delay.
func pageTrigger(id, match, value string) string {
	return `{"id": ` + jsString(id) + `, "name": "Page", "type": "page", "delay": 2,
		"url": {"match": ` + jsString(match) + `, "value": ` + jsString(value) + `},
		"message": {"text": "Questions about our prices?"}, "agent": {"name": "Maya"}}`
}

// spaNav is a host script for single-page navigation: nav(url) records the
// widget's clock (__now, see recorder) in __navAt and calls
// history.pushState.
const spaNav = `window.nav = function (u) { window.__navAt = __now(); history.pushState({}, '', u); };`

// page: an MPA navigation to a matching page fires after the delay
// counted from landing there.
func TestPageTrigger_MPA(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(pageTrigger("pricing", "starts_with", tb.dir()+"/pricing"))
	home := tb.sitePage("home", page{})
	pricing := tb.sitePage("pricing", page{Title: "Pricing"})

	tb.navigate(home)
	tb.waitLoad()
	// A second on the home page first: a countdown from the visit's start
	// would end a second early.
	left := tb.advance(time.Second)
	tb.navigate(pricing)
	tb.waitLoad()
	// The test clock carries on from page to page and has not moved since,
	// so the page view on /pricing is at `left`; the delay counts from it.
	tb.fireAfter(left, 2*time.Second, "pricing")
	tb.assertFiredAfter("pricing", left, 2)
	if load := tb.events("load")[0]; len(load.Msgs) != 0 {
		t.Errorf("messages %q were shown when the pricing page loaded, before the delay", load.Msgs)
	}
	if s := tb.state(); s.Visit.PageViews != 2 {
		t.Errorf("visit.pageViews = %d, want 2", s.Visit.PageViews)
	}
	tb.assertNoUncaught()
}

// history.pushState to a matching URL is a page view. The page
// trigger test that runs the shipped build in real time (see the package
// comment).
func TestPageTrigger_PushState(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/pricing"))
	app := tb.sitePage("app", page{Head: spaNav})
	tb.navigate(app)
	tb.waitLoad()
	tb.exec(`nav(` + jsString(tb.dir()+"/pricing") + `)`)
	tb.waitMessage("pricing")
	var navAt int64
	tb.eval("__navAt", &navAt)
	tb.assertFiredAfter("pricing", navAt, 2)
	if s := tb.state(); s.Visit.PageViews != 2 || s.Visit.URL != tb.url(tb.dir()+"/pricing") {
		t.Errorf("visit = %+v, want 2 page views, the last on /pricing", s.Visit)
	}
	tb.assertNoUncaught()
}

// URL rules: a rule with '#' targets a hash-routed page.
func TestPageTrigger_HashRoute(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/app#/pricing"))
	app := tb.sitePage("app", page{})
	tb.navigate(app + "#/home")
	tb.waitLoad()
	var at int64
	tb.eval(`(() => { const t = __now(); location.hash = '#/pricing'; return t; })()`, &at)
	// hashchange comes in a task of its own; the clock stands still.
	tb.poll("the pricing countdown", `TriggerWidget.getState().armed.some(a => a.triggerId === 'pricing')`)
	tb.fireAfter(at, 2*time.Second, "pricing")
	tb.assertFiredAfter("pricing", at, 2)
	tb.assertNoUncaught()
}

// page: leaving the matching page before the delay cancels the
// countdown; coming back (popstate) starts it again, in full.
func TestPageTrigger_LeftBeforeDelay_DoesNotFire(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/pricing"))
	app := tb.sitePage("app", page{Head: spaNav})
	tb.navigate(app)
	tb.waitLoad()
	tb.exec(`nav(` + jsString(tb.dir()+"/pricing") + `)`)
	tb.poll("the pricing countdown", `TriggerWidget.getState().armed.some(a => a.triggerId === 'pricing')`)
	tb.advance(time.Second) // half the delay on /pricing
	tb.exec(`nav(` + jsString(tb.dir()+"/about") + `)`)
	if s := tb.state(); s.armed("pricing") {
		t.Errorf("after leaving /pricing its countdown is still armed: %+v", s.Armed)
	}
	tb.advance(2*time.Second + margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q after the visitor left the matching page", ids)
	}
	if n := tb.count("[data-part=message]"); n != 0 {
		t.Errorf("%d trigger messages shown after the visitor left the matching page", n)
	}

	// Control: back on /pricing (popstate), the trigger fires after its full delay.
	var back int64
	tb.eval(`(() => { const t = __now(); history.back(); return t; })()`, &back)
	tb.poll("the pricing countdown again", `TriggerWidget.getState().armed.some(a => a.triggerId === 'pricing')`)
	tb.fireAfter(back, 2*time.Second, "pricing")
	tb.assertFiredAfter("pricing", back, 2)
	tb.assertNoUncaught()
}

// maximized: opening the widget (the launcher) fires the trigger
// after its delay, with its suggestions. It runs the shipped build in real
// time (see the package comment).
func TestMaximizedTrigger_FiresOnLauncher(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "opened", "name": "Widget opened", "type": "maximized", "delay": 1,
		"message": {"text": "Hi! Ask us anything."}, "agent": {"name": "Support"}, "suggestions": ["Shipping", "Returns"]}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	if s := tb.state(); len(s.Armed) != 0 || s.Maximized {
		t.Errorf("before the visitor opens the widget: maximized %v, armed %+v; want closed, nothing armed", s.Maximized, s.Armed)
	}
	if !tb.visible("[data-part=launcher]") || tb.visible("[data-part=panel]") {
		t.Errorf("before opening: want the launcher visible and the panel hidden")
	}
	clicked := tb.now()
	tb.click("[data-part=launcher]")
	tb.waitMessage("opened")

	max := tb.events("maximized")
	if len(max) != 1 {
		t.Fatalf("maximized emitted %d times, want 1", len(max))
	}
	if string(max[0].Data) != `{"maximized":true}` {
		t.Errorf("maximized payload = %s", max[0].Data)
	}
	tb.assertFiredAfter("opened", clicked, 1)
	if !tb.visible("[data-part=panel]") || !tb.visible(msgSel("opened")) {
		t.Errorf("after opening: want the panel and the message visible")
	}
	var sugg []string
	tb.eval(`[...`+shadowQ(msgSel("opened"))+`.querySelectorAll('button[data-part=suggestion]')].map(b => b.textContent)`, &sugg)
	if !slices.Equal(sugg, []string{"Shipping", "Returns"}) {
		t.Errorf("suggestions = %q, want [Shipping Returns]", sugg)
	}
	if s := tb.state(); !s.Maximized {
		t.Errorf("getState().maximized = false after opening")
	}
	tb.assertNoUncaught()
}

// visible reports whether the first match of sel in the shadow root is
// rendered (checkVisibility follows display, the hidden attribute and the
// host's own visibility).
func (tb *tab) visible(sel string) bool {
	tb.t.Helper()
	var v bool
	tb.eval(`!!`+shadowQ(sel)+`?.checkVisibility()`, &v)
	return v
}

// Online gating and queued calls: setStatus('offline') called as
// soon as widget.js has run, before the runtime is ready (so it is queued),
// holds every trigger past its delay; going online re-arms the
// site and matching page triggers with their full delay from that moment.
func TestOffline_QueuedBeforeReady_OnlineRearmsFullDelay(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(
		`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 2, "message": {"text": "Welcome"}, "agent": {"name": "Apollo"}}`,
		pageTrigger("home-help", "exact", tb.dir()+"/home"),
	)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.setStatus('offline')`}))
	tb.waitLoad()
	tb.assertQueued()
	tb.poll("the queued offline status", `TriggerWidget.getState()?.status === 'offline'`)
	tb.advance(2*time.Second + margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q while offline", ids)
	}
	if n := tb.count("[data-part=message]"); n != 0 {
		t.Errorf("%d messages shown while offline", n)
	}
	if s := tb.state(); len(s.Fired) != 0 || len(s.Armed) != 0 {
		t.Errorf("while offline: fired %+v, armed %+v; want none", s.Fired, s.Armed)
	}

	var online int64
	tb.eval(`(() => { const t = __now(); TriggerWidget.setStatus('online'); return t; })()`, &online)
	tb.fireAfter(online, 2*time.Second, "welcome", "home-help")
	tb.assertFiredAfter("welcome", online, 2)
	tb.assertFiredAfter("home-help", online, 2)
	var changes []string
	for _, e := range tb.events("statusChange") {
		changes = append(changes, string(e.Data))
	}
	if !slices.Equal(changes, []string{`{"status":"offline"}`, `{"status":"online"}`}) {
		t.Errorf("statusChange events = %q, want offline then online", changes)
	}
	tb.assertNoUncaught()
}

// Online gating and queued calls: a host that says offline before
// the runtime is ready gets no trigger, not even one with no delay: the
// queued call must take effect before the first page view is evaluated.
func TestOffline_QueuedBeforeReady_NoDelayTriggerHeld(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "instant", "name": "Instant", "type": "site", "delay": 0, "message": {"text": "Hi"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.setStatus('offline')`}))
	tb.waitLoad()
	tb.assertQueued()
	tb.poll("the queued offline status", `TriggerWidget.getState()?.status === 'offline'`)
	tb.advance(margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q although the host set the status offline before the widget loaded", ids)
	}
	if n := tb.count("[data-part=message]"); n != 0 {
		t.Errorf("%d messages shown although the host set the status offline before the widget loaded", n)
	}
}

// site: the countdown starts at the first page view of the visit and
// keeps running across page loads; it does not restart on each page. The
// site trigger test that runs the shipped build in real time (see the
// package comment): the real clock keeps going while the next page loads.
func TestSiteTrigger_CountdownContinuesAcrossPages(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 4, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	home := tb.sitePage("home", page{})
	about := tb.sitePage("about", page{})
	tb.navigate(home)
	tb.waitLoad()
	start := tb.state().Visit.Start
	tb.poll("a second into the visit", "Date.now() - "+strconv.FormatInt(start, 10)+" >= 1000")
	left := tb.now()
	tb.navigate(about)
	tb.waitLoad()
	tb.waitMessage("welcome")
	s := tb.state()
	if s.Visit.Start != start {
		t.Fatalf("the second page started a new visit (start %d, was %d)", s.Visit.Start, start)
	}
	tb.assertFiredAfter("welcome", start, 4)
	if at, _ := s.firedAt("welcome"); at-left >= 4000 {
		t.Errorf("welcome fired %d ms after the second page was requested: the countdown restarted instead of continuing from the first page view", at-left)
	}
	tb.assertNoUncaught()
}

// Order: triggers due at the same instant show in set order.
func TestOrder_SameInstantFollowsSetOrder(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(
		`{"id": "zeta", "name": "First in the set", "type": "site", "delay": 1, "message": {"text": "One"}, "agent": {"name": "Apollo"}}`,
		`{"id": "alpha", "name": "Second in the set", "type": "site", "delay": 1, "message": {"text": "Two"}, "agent": {"name": "Apollo"}}`,
	)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.fireAfter(tb.state().Visit.Start, time.Second, "zeta", "alpha")
	var dom []string
	tb.eval("__msgs()", &dom)
	if !slices.Equal(dom, []string{"zeta", "alpha"}) {
		t.Errorf("messages in the DOM: %q, want set order [zeta alpha]", dom)
	}
	if ids := tb.firedEvents(); !slices.Equal(ids, []string{"zeta", "alpha"}) {
		t.Errorf("triggerFired order: %q, want set order [zeta alpha]", ids)
	}
}

// site, page and maximized triggers do not fire on top of a chat
// an agent has answered.
func TestSiteTrigger_NotDuringServedChat(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 2, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.visitorMessage('Hi, I need help'); TriggerWidget.agentMessage({name: 'Bob', text: 'Hello, Bob here'})`)
	tb.poll("the served chat", `TriggerWidget.getState().chat === 'served'`)
	tb.advance(2*time.Second + margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q on top of a served chat", ids)
	}
	if n := tb.count("[data-part=message]"); n != 0 {
		t.Errorf("%d trigger messages on top of a served chat", n)
	}
}

// Once: a trigger fires once per visit, and a visit ends with the
// browser session (the tw_<property> session cookie); with oncePerVisitor it
// fires once ever for that browser. State lives in localStorage under
// triggerwidget:<property>:visit|visitor.
func TestOnce_PerVisitAndPerVisitor(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(
		`{"id": "per-visit", "name": "Per visit", "type": "site", "delay": 0, "message": {"text": "Welcome"}, "agent": {"name": "Apollo"}}`,
		`{"id": "once-ever", "name": "Once ever", "type": "site", "delay": 0, "oncePerVisitor": true, "message": {"text": "First time here?"}, "agent": {"name": "Apollo"}}`,
	)
	home := tb.sitePage("home", page{})
	tb.navigate(home)
	tb.waitLoad()
	tb.waitMessage("per-visit")
	tb.waitMessage("once-ever")

	var stored struct {
		Visit, Visitor, Cookie bool
	}
	prefix := "triggerwidget:" + tb.prop + ":"
	tb.eval(`({Visit: localStorage.getItem(`+jsString(prefix+"visit")+`) !== null,
		Visitor: localStorage.getItem(`+jsString(prefix+"visitor")+`) !== null,
		Cookie: document.cookie.split('; ').some(c => c.startsWith(`+jsString("tw_"+strings.ReplaceAll(tb.prop, ".", "_")+"=")+`))})`, &stored)
	if !stored.Visit || !stored.Visitor || !stored.Cookie {
		t.Errorf("storage after the first page: %+v, want the visit and visitor keys and the session cookie", stored)
	}

	// Same session: neither fires again.
	tb.navigate(home)
	tb.waitLoad()
	tb.advance(margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q again in the same visit", ids)
	}

	// New browser session (the session cookie is gone): a new visit.
	tb.exec(`document.cookie.split('; ').forEach(c => { document.cookie = c.split('=')[0] + '=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'; })`)
	tb.navigate(home)
	tb.waitLoad()
	tb.waitMessage("per-visit")
	tb.advance(margin)
	if ids := tb.firedEvents(); !slices.Equal(ids, []string{"per-visit"}) {
		t.Errorf("in a new browser session triggerFired %q, want only per-visit (once-ever is once per visitor)", ids)
	}
	if n := tb.count(msgSel("once-ever")); n != 0 {
		t.Errorf("once-ever is shown in the new visit")
	}
	tb.assertNoUncaught()
}

// cookieSpy records, before widget.js runs, each access to document.cookie
// as "loader" (before the runtime runs) or "runtime" (after: the loader
// defines TriggerWidget.__stats as it starts the program).
const cookieSpy = `(function () {
  var d = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  var who = function () { return window.TriggerWidget && TriggerWidget.__stats ? 'runtime' : 'loader'; };
  window.__cookieAccess = [];
  Object.defineProperty(document, 'cookie', {configurable: true,
    get: function () { window.__cookieAccess.push(who() + ' read'); return d.get.call(document); },
    set: function (v) { window.__cookieAccess.push(who() + ' write'); d.set.call(document, v); }});
})();`

// The session cookie is the loader's, asked while the wasm downloads, when
// the script tag names the property: the runtime's start-up does not wait
// for the browser process over document.cookie. With only data-triggers,
// the property is known from the set, and the runtime asks itself. Either
// way the session cookie is set, once.
func TestSessionCookie_AskedWhileTheWasmDownloads(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "later", "type": "site", "delay": 3600, "message": {"text": "x"}, "agent": {"name": "Ann"}}`)
	for _, tc := range []struct {
		name        string
		p           page
		runtimeUses bool
	}{
		{"data-property", page{Head: cookieSpy}, false},
		{"data-triggers only", page{Head: cookieSpy, Triggers: "/p/" + tb.prop + "/triggers.json"}, true},
	} {
		tb.navigate(tb.sitePage(strings.ReplaceAll(tc.name, " ", "-")+".html", tc.p))
		tb.waitLoad()
		var access []string
		tb.eval(`window.__cookieAccess`, &access)
		runtime, writes := 0, 0
		for _, a := range access {
			if strings.HasPrefix(a, "runtime") {
				runtime++
			}
			if strings.HasSuffix(a, "write") {
				writes++
			}
		}
		if tc.runtimeUses != (runtime > 0) || writes != 1 {
			t.Errorf("%s: document.cookie accesses %q; want one write, and the runtime's own only without data-property", tc.name, access)
		}
		var session bool
		tb.eval(`document.cookie.split('; ').some(c => c.startsWith(`+jsString("tw_"+strings.ReplaceAll(tb.prop, ".", "_")+"=")+`))`, &session)
		if !session {
			t.Errorf("%s: no session cookie", tc.name)
		}
		tb.assertNoUncaught()
		// The next case starts a browser session afresh.
		tb.exec(`document.cookie.split('; ').forEach(c => { document.cookie = c.split('=')[0] + '=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'; })`)
	}
}
