//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeouts. Waits poll generously (a loaded 2-core machine compiles the wasm
// of several tabs at once). On the test-clock build a test moves time itself
// (advance); on the shipped build fixed sleeps serve only negative
// assertions.
const (
	waitTimeout = 20 * time.Second
	tabTimeout  = 90 * time.Second
	// margin is how long past a trigger's delay a negative assertion waits.
	margin = 1500 * time.Millisecond
)

// tab is one test's browser tab, in its own browser context (cookies,
// localStorage and cache of its own), with the test's property.
type tab struct {
	t    *testing.T
	ctx  context.Context
	prop string // the test's property id, also its page directory /t/<prop>/
	// testClock: the tab's pages load the test-clock build (newClockTab).
	testClock bool

	mu         sync.Mutex
	exceptions []string // Runtime.exceptionThrown
	consoleErr []string // console.error calls
	// leavePrompts counts the "leave the page?" prompts (beforeunload)
	// the tab met; each is answered Leave, as a person leaving would.
	leavePrompts int
}

// newTab skips the test when there is no browser, else opens a tab in a
// fresh browser context. The property id is derived from the test name.
func newTab(t *testing.T) *tab {
	t.Helper()
	if env.skip != "" {
		t.Skip("browser test skipped: " + env.skip)
	}
	return openTab(t, propertyID(t.Name()), env.browserCtx, chromedp.WithNewBrowserContext())
}

// openTab opens a tab for property prop: in a new browser context, or in
// parent's (another tab of the same visitor, see tab.sibling).
func openTab(t *testing.T, prop string, parent context.Context, opts ...chromedp.ContextOption) *tab {
	t.Helper()
	tb := &tab{t: t, prop: prop}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	// The first call creates the target; it must not run under a timeout
	// context, or the tab would close when that context ends.
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			tb.mu.Lock()
			tb.exceptions = append(tb.exceptions, fmt.Sprintf("%s (%s:%d)", msg, d.URL, d.LineNumber))
			tb.mu.Unlock()
		case *cdppage.EventJavascriptDialogOpening:
			if ev.Type != cdppage.DialogTypeBeforeunload {
				return
			}
			tb.mu.Lock()
			tb.leavePrompts++
			tb.mu.Unlock()
			go func() {
				_, _ = chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
			}()
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			tb.mu.Lock()
			tb.consoleErr = append(tb.consoleErr, strings.Join(parts, " "))
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, tabTimeout)
	t.Cleanup(tcancel)
	tb.ctx = tctx
	return tb
}

var nonID = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// newClockTab is newTab for a test that drives the engine's clock: its
// pages load the test-clock build, and tb.advance moves time (see the
// package comment).
func newClockTab(t *testing.T) *tab {
	t.Helper()
	tb := newTab(t)
	tb.testClock = true
	return tb
}

// propertyID turns a test name into a property id ([A-Za-z0-9_.-], at most
// 64 bytes, not starting with '.').
func propertyID(name string) string {
	id := strings.ToLower(nonID.ReplaceAllString(strings.TrimPrefix(name, "Test"), "-"))
	id = strings.Trim(id, "-.")
	if len(id) > 64 {
		id = id[len(id)-64:]
		id = strings.TrimLeft(id, "-.")
	}
	return id
}

// run runs chromedp actions, failing the test on error.
func (tb *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %v%s", what, err, tb.diagnostics())
	}
}

// url returns the absolute URL of path on origin A.
func (tb *tab) url(path string) string { return env.world.a.URL + path }

// dir is the test's page directory, "/t/<prop>".
func (tb *tab) dir() string { return "/t/" + tb.prop }

// navigate loads path (on origin A) and waits for the page's load event.
func (tb *tab) navigate(path string) {
	tb.t.Helper()
	tb.run("navigate to "+path, chromedp.Navigate(tb.url(path)))
}

// reload reloads the page fully and waits for its load event.
func (tb *tab) reload() {
	tb.t.Helper()
	tb.run("reload", chromedp.Reload())
}

// eval evaluates a JS expression and decodes its JSON-serialisable value into
// out (which may be nil). undefined decodes as null.
func (tb *tab) eval(expr string, out any) {
	tb.t.Helper()
	js := "(function(){ const v = (" + expr + "); return v === undefined ? 'null' : JSON.stringify(v); })()"
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v%s", expr, err, tb.diagnostics())
	}
	if out != nil {
		if err := json.Unmarshal([]byte(s), out); err != nil {
			tb.t.Fatalf("decoding the value of %s (%s): %v", expr, s, err)
		}
	}
}

// exec runs JS statements.
func (tb *tab) exec(js string) {
	tb.t.Helper()
	tb.eval("(() => { "+js+" })()", nil)
}

// now is the clock the widget's timestamps use: the test clock on the
// test-clock build, else the page's Date.now() (see __now in recorder).
func (tb *tab) now() int64 {
	tb.t.Helper()
	var ms int64
	tb.eval("__now()", &ms)
	return ms
}

// clockNow is the test clock's time (ms); the page must run the test-clock
// build.
func (tb *tab) clockNow() int64 {
	tb.t.Helper()
	return tb.testClockCall("now()")
}

// advance moves the test clock on by d (whole milliseconds). Every timer
// that falls due runs, and its effects (DOM, events, getState()) are there
// when advance returns. It returns the clock's new time.
func (tb *tab) advance(d time.Duration) int64 {
	tb.t.Helper()
	if d < 0 || d%time.Millisecond != 0 {
		tb.t.Fatalf("advance(%v): want whole milliseconds from 0 up", d)
	}
	return tb.testClockCall("advance(" + strconv.FormatInt(d.Milliseconds(), 10) + ")")
}

// testClockCall calls a method of TriggerWidget.__testClock, which returns
// the clock's time.
func (tb *tab) testClockCall(call string) int64 {
	tb.t.Helper()
	var ms *int64
	tb.eval("TriggerWidget.__testClock ? TriggerWidget.__testClock."+call+" : null", &ms)
	if ms == nil {
		tb.t.Fatalf("TriggerWidget.__testClock.%s returned nothing: the page does not run the test-clock build (newClockTab), or the call failed%s", call, tb.diagnostics())
	}
	return *ms
}

// poll waits until the JS expression is truthy.
func (tb *tab) poll(what, expr string) {
	tb.t.Helper()
	tb.pollFor(what, expr, waitTimeout)
}

func (tb *tab) pollFor(what, expr string, timeout time.Duration) {
	tb.t.Helper()
	err := chromedp.Do(tb.ctx, chromedp.Poll[chromedp.Void]("!!("+expr+")",
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		tb.t.Fatalf("waiting for %s (%s): %v%s", what, expr, err, tb.diagnostics())
	}
}

// sleep waits d; only for negative assertions ("still nothing after …").
func (tb *tab) sleep(d time.Duration) {
	tb.t.Helper()
	tb.run("sleep", chromedp.Sleep(d))
}

// waitLoad waits for the widget's load event. It gives up early when
// something was thrown into the host page, which fails the test.
func (tb *tab) waitLoad() {
	tb.t.Helper()
	tb.poll("the widget's load event", `window.__events && (__events.some(e => e.name === 'load') || __uncaught.length > 0)`)
	var loaded bool
	tb.eval(`__events.some(e => e.name === 'load')`, &loaded)
	if !loaded {
		tb.t.Fatalf("an error was thrown into the host page before the widget's load event%s", tb.diagnostics())
	}
}

// waitMessage waits for trigger id's message in the shadow root.
func (tb *tab) waitMessage(id string) {
	tb.t.Helper()
	tb.poll("the message of trigger "+id, shadowQ(msgSel(id))+" != null")
}

// click clicks an element of the shadow root with a real mouse event.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.run("click "+sel, chromedp.Click(chromedp.JSPath(shadowQ(sel))))
}

// typeInto types text into an element of the shadow root (keys, as a
// visitor would; "\r" is Enter).
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.run("type into "+sel, chromedp.SendKeys(chromedp.JSPath(shadowQ(sel)), text))
}

// shadowQ is a JS expression for the first match of sel in the widget's
// shadow root (null when absent).
func shadowQ(sel string) string {
	return "(document.getElementById('triggerwidget-root')?.shadowRoot?.querySelector(" + jsString(sel) + ") ?? null)"
}

// shadowCount is a JS expression counting sel's matches in the shadow root.
func shadowCount(sel string) string {
	return "(document.getElementById('triggerwidget-root')?.shadowRoot?.querySelectorAll(" + jsString(sel) + ").length ?? 0)"
}

// count returns how many elements of the shadow root match sel.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	var n int
	tb.eval(shadowCount(sel), &n)
	return n
}

// msgSel selects trigger id's message.
func msgSel(id string) string { return "[data-part=message][data-trigger-id=" + jsString(id) + "]" }

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// event is one host-listener call recorded by the page (see pageHTML).
type event struct {
	Name string          `json:"name"`
	Data json.RawMessage `json:"data"`
	T    int64           `json:"t"`    // __now() at the call
	Msgs []string        `json:"msgs"` // trigger messages in the DOM then
}

func (e event) decode(t *testing.T, out any) {
	t.Helper()
	if err := json.Unmarshal(e.Data, out); err != nil {
		t.Fatalf("decoding %s event %s: %v", e.Name, e.Data, err)
	}
}

// events returns the events recorded on the current page, of the given
// name or all when name is "".
func (tb *tab) events(name string) []event {
	tb.t.Helper()
	var all []event
	tb.eval("window.__events || []", &all)
	if name == "" {
		return all
	}
	var out []event
	for _, e := range all {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// triggerEvent is the payload of triggerFired and messageShown.
type triggerEvent struct {
	TriggerID string `json:"triggerId"`
	EntryID   int    `json:"entryId"`
	Message   struct {
		Text        string   `json:"text"`
		Suggestions []string `json:"suggestions"`
		Agent       *struct {
			Name  string `json:"name"`
			Image string `json:"image"`
		} `json:"agent"`
	} `json:"message"`
}

type errorEvent struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	TriggerID string `json:"triggerId"`
}

// firedEvents returns the trigger ids of the page's triggerFired events.
func (tb *tab) firedEvents() []string {
	tb.t.Helper()
	var ids []string
	for _, e := range tb.events("triggerFired") {
		var te triggerEvent
		e.decode(tb.t, &te)
		ids = append(ids, te.TriggerID)
	}
	return ids
}

// errorEvents returns the page's error events.
func (tb *tab) errorEvents() []errorEvent {
	tb.t.Helper()
	var out []errorEvent
	for _, e := range tb.events("error") {
		var ee errorEvent
		e.decode(tb.t, &ee)
		out = append(out, ee)
	}
	return out
}

// state is getState()'s snapshot (the parts the tests read).
type state struct {
	Property  string `json:"property"`
	Status    string `json:"status"`
	Maximized bool   `json:"maximized"`
	Chat      string `json:"chat"`
	Visit     struct {
		Start     int64  `json:"start"`
		PageViews int    `json:"pageViews"`
		URL       string `json:"url"`
	} `json:"visit"`
	Fired []struct {
		TriggerID string `json:"triggerId"`
		At        int64  `json:"at"`
	} `json:"fired"`
	Armed []struct {
		TriggerID string `json:"triggerId"`
		Due       int64  `json:"due"`
	} `json:"armed"`
	Messages []struct {
		ID          int      `json:"id"`
		Kind        string   `json:"kind"`
		TriggerID   string   `json:"triggerId"`
		At          int64    `json:"at"`
		Text        string   `json:"text"`
		Suggestions []string `json:"suggestions"`
		Retired     bool     `json:"retired"`
	} `json:"messages"`
}

func (tb *tab) state() state {
	tb.t.Helper()
	var s state
	tb.eval("TriggerWidget.getState()", &s)
	return s
}

// firedAt returns when trigger id fired according to getState() and how
// many times it is listed.
func (s state) firedAt(id string) (at int64, n int) {
	for _, f := range s.Fired {
		if f.TriggerID == id {
			at, n = f.At, n+1
		}
	}
	return at, n
}

func (s state) armed(id string) bool {
	_, ok := s.armedDue(id)
	return ok
}

// armedDue returns when trigger id's countdown ends, if it is armed.
func (s state) armedDue(id string) (int64, bool) {
	for _, a := range s.Armed {
		if a.TriggerID == id {
			return a.Due, true
		}
	}
	return 0, false
}

// fireAfter checks a delay to the millisecond on the test clock: the
// triggers ids are armed to fire delay after from (the engine time of the
// event that armed them); with the clock 1 ms short of that they have not
// fired; 1 ms later each has, once, exactly then (see assertFiredAt). It
// returns that time.
func (tb *tab) fireAfter(from int64, delay time.Duration, ids ...string) int64 {
	tb.t.Helper()
	due := from + delay.Milliseconds()
	s := tb.state()
	for _, id := range ids {
		if got, ok := s.armedDue(id); !ok || got != due {
			tb.t.Fatalf("%s is armed: %v, due at %d; want due at %d, %v after %d; armed = %+v", id, ok, got, due, delay, from, s.Armed)
		}
	}
	now := tb.clockNow()
	if now >= due {
		tb.t.Fatalf("the test clock is at %d, already past the due time %d: the test cannot check that %q wait", now, due, ids)
	}
	tb.advance(time.Duration(due-1-now) * time.Millisecond)
	for _, id := range ids {
		tb.assertNotFired(id, fmt.Sprintf("%v - 1 ms after the event that arms it", delay))
	}
	if got := tb.advance(time.Millisecond); got != due {
		tb.t.Fatalf("the test clock is at %d after reaching the due time %d", got, due)
	}
	for _, id := range ids {
		tb.assertFiredAt(id, due)
	}
	return due
}

// assertFiredAt checks that trigger id has fired once, at exactly at, with
// its message shown once and one triggerFired event. On the test-clock build
// all that is done when the advance that fired it returns.
func (tb *tab) assertFiredAt(id string, at int64) {
	tb.t.Helper()
	s := tb.state()
	if got, n := s.firedAt(id); n != 1 || got != at {
		tb.t.Fatalf("getState().fired = %+v; want %s once, at %d%s", s.Fired, id, at, tb.diagnostics())
	}
	if n := tb.count(msgSel(id)); n != 1 {
		tb.t.Errorf("%s's message is shown %d times when it fires, want once", id, n)
	}
	var n int
	for _, f := range tb.firedEvents() {
		if f == id {
			n++
		}
	}
	if n != 1 {
		tb.t.Errorf("triggerFired was emitted %d times for %s, want once", n, id)
	}
}

// assertFiredAfter checks, on the engine's own timestamps, that trigger id
// fired once, at least delay seconds after since (ms, the engine's clock:
// tb.now()) and not absurdly late.
func (tb *tab) assertFiredAfter(id string, since int64, delay int) {
	tb.t.Helper()
	s := tb.state()
	at, n := s.firedAt(id)
	if n != 1 {
		tb.t.Fatalf("getState().fired lists %s %d times, want once; fired = %+v", id, n, s.Fired)
	}
	got := at - since
	if want := int64(delay) * 1000; got < want {
		tb.t.Errorf("%s fired %d ms after the event that arms it, before its delay of %d ms", id, got, want)
	}
	if max := int64(delay)*1000 + 8000; got > max {
		tb.t.Errorf("%s fired %d ms after the event that arms it; its delay is %d s", id, got, delay)
	}
}

// assertNoUncaught checks that nothing was thrown into the host page.
func (tb *tab) assertNoUncaught() {
	tb.t.Helper()
	var uncaught []string
	tb.eval("window.__uncaught || []", &uncaught)
	if len(uncaught) > 0 {
		tb.t.Errorf("uncaught errors in the host page: %q", uncaught)
	}
	tb.mu.Lock()
	ex := append([]string(nil), tb.exceptions...)
	tb.mu.Unlock()
	if len(ex) > 0 {
		tb.t.Errorf("Runtime.exceptionThrown: %q", ex)
	}
}

// diagnostics describes the page for a failure message.
func (tb *tab) diagnostics() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 3*time.Second)
	defer cancel()
	js := `JSON.stringify({url: location.href, events: (window.__events || []).map(e => [e.name, e.data]), uncaught: window.__uncaught,
		state: window.TriggerWidget && TriggerWidget.getState ? TriggerWidget.getState() : null,
		testClock: window.TriggerWidget && TriggerWidget.__testClock ? TriggerWidget.__testClock.now() : null,
		shadow: document.getElementById('triggerwidget-root')?.shadowRoot?.querySelector('[data-part=transcript]')?.innerHTML ?? null})`
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		s = "(page unavailable: " + err.Error() + ")"
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(s) > 6000 {
		s = s[:6000] + "…"
	}
	return fmt.Sprintf("\npage: %s\nconsole errors: %q\nexceptions: %q", s, tb.consoleErr, tb.exceptions)
}

// page describes a host page.
type page struct {
	Title    string
	Property string // data-property; "" to leave it out
	Triggers string // data-triggers; "" to leave it out
	// Src is the widget's URL; default widget.js of the shipped build
	// (/widget/) on the page's origin, or of the test-clock build
	// (/widget-tc/) with TestClock.
	Src string
	// TestClock loads the test-clock build, whose clock the test drives
	// (set for every page of a newClockTab).
	TestClock bool
	Head      string // host script run before the widget's tag
	// OnLoad is host script for the widget tag's onload attribute: it runs
	// right after widget.js has run, before the runtime is ready, so its
	// TriggerWidget calls are queued. The page records in
	// window.__queued whether the runtime was indeed not ready yet.
	OnLoad string
	Body   string // host markup and scripts
	Debug  bool   // data-debug on the widget's tag
}

// recorder installs the event listeners before the widget loads, as the API
// allows, and catches what reaches the host page uncaught. __now() is the
// clock of the widget's timestamps: the test clock when the page runs the
// test-clock build, else Date.now().
const recorder = `<script>
window.__events = [];
window.__uncaught = [];
window.__now = function () {
  var c = window.TriggerWidget && TriggerWidget.__testClock, t = c && typeof c.now === 'function' ? c.now() : undefined;
  return typeof t === 'number' ? t : Date.now();
};
window.addEventListener('error', function (e) { __uncaught.push('error: ' + e.message); });
window.addEventListener('unhandledrejection', function (e) { __uncaught.push('unhandledrejection: ' + (e.reason && e.reason.stack || e.reason)); });
window.__msgs = function () {
  var r = document.getElementById('triggerwidget-root'), s = r && r.shadowRoot;
  return s ? Array.prototype.map.call(s.querySelectorAll('[data-part=message]'), function (m) { return m.getAttribute('data-trigger-id'); }) : [];
};
window.TriggerWidget = {};
['load', 'triggerFired', 'messageShown', 'suggestionClicked', 'visitorMessage', 'maximized', 'minimized', 'statusChange', 'error', 'emit', 'formSubmitted', 'offlineMessage'].forEach(function (n) {
  TriggerWidget['on' + n[0].toUpperCase() + n.slice(1)] = function (e) {
    __events.push({ name: n, data: JSON.parse(JSON.stringify(e === undefined ? null : e)), t: __now(), msgs: __msgs() });
  };
});
</script>`

func (p page) html() string {
	var b strings.Builder
	title := p.Title
	if title == "" {
		title = "host page"
	}
	fmt.Fprintf(&b, "<!doctype html>\n<html><head><meta charset=utf-8><title>%s</title>\n%s\n", html.EscapeString(title), recorder)
	if p.Head != "" {
		b.WriteString("<script>\n" + p.Head + "\n</script>\n")
	}
	src := p.Src
	if src == "" {
		src = widgetDir(p.TestClock) + "widget.js"
	}
	b.WriteString(`<script async src="` + html.EscapeString(src) + `"`)
	if p.Property != "" {
		b.WriteString(` data-property="` + html.EscapeString(p.Property) + `"`)
	}
	if p.Triggers != "" {
		b.WriteString(` data-triggers="` + html.EscapeString(p.Triggers) + `"`)
	}
	if p.Debug {
		b.WriteString(` data-debug`)
	}
	if p.OnLoad != "" {
		b.WriteString(` onload="` + html.EscapeString("window.__queued = TriggerWidget.getState() === null; "+p.OnLoad) + `"`)
	}
	b.WriteString("></script>\n")
	b.WriteString("</head><body>\n<h1>" + html.EscapeString(title) + "</h1>\n" + p.Body + "\n</body></html>\n")
	return b.String()
}

// widgetDir is where the world serves the shipped build, or the test-clock
// one.
func widgetDir(testClock bool) string {
	if testClock {
		return tcPrefix
	}
	return "/widget/"
}

// page registers a host page at /t/<prop>/<name> and returns its path.
func (tb *tab) page(name string, p page) string {
	tb.t.Helper()
	p.TestClock = p.TestClock || tb.testClock
	path := tb.dir() + "/" + name
	env.world.serve(tb.t, path, "text/html; charset=utf-8", p.html())
	return path
}

// sitePage registers a page embedding the widget for the test's property.
func (tb *tab) sitePage(name string, p page) string {
	tb.t.Helper()
	if p.Property == "" && p.Triggers == "" {
		p.Property = tb.prop
	}
	return tb.page(name, p)
}

// publish publishes the test's trigger set, made of the given trigger JSON
// objects.
func (tb *tab) publish(triggers ...string) {
	tb.t.Helper()
	env.world.publish(tb.t, tb.prop, triggerSet(tb.prop, triggers...))
}

// triggerSet is a version-1 trigger set of the given trigger JSON objects.
func triggerSet(prop string, triggers ...string) string {
	return `{"version": 1, "property": ` + jsString(prop) + `, "triggers": [` + strings.Join(triggers, ",\n") + `]}`
}

// assertQueued checks that the page's OnLoad calls ran before the runtime
// was ready, so they went through the queue.
func (tb *tab) assertQueued() {
	tb.t.Helper()
	var queued bool
	tb.eval("window.__queued === true", &queued)
	if !queued {
		tb.t.Fatalf("the OnLoad calls did not run before the runtime was ready; the test does not test the queue")
	}
}
