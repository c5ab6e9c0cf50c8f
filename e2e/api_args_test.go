//go:build !js

package e2e

import (
	"slices"
	"strings"
	"testing"
)

// The first event is load, before the first page view's triggers: a page
// that adds its listeners from its onLoad hears a no-delay trigger too.
func TestAPI_LoadComesFirst(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.onLoad = function () {
		window.__late = [];
		TriggerWidget.on('triggerFired', function (e) { __late.push(e.triggerId); });
	};`}))
	tb.poll("the listener added from onLoad to hear the welcome", `window.__late && __late.length === 1`)
	var late []string
	tb.eval(`__late`, &late)
	if !slices.Equal(late, []string{"welcome"}) {
		t.Errorf("the listener added in onLoad heard %q, want [welcome]", late)
	}
	tb.assertNoUncaught()
}

// A page that replaces window.TriggerWidget after widget.js has run (a late
// window.TriggerWidget = {}) gets the API on its new object: its onLoad is
// called and its methods work.
func TestAPI_ReplacedObjectGetsTheAPI(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{OnLoad: `window.__old = TriggerWidget;
		window.TriggerWidget = {};
		TriggerWidget.onLoad = function (e) { window.__newLoad = e.property; };`}))
	tb.poll("the new object's onLoad", `window.__newLoad !== undefined`)
	var prop string
	tb.eval(`__newLoad`, &prop)
	if prop != tb.prop {
		t.Errorf("the new object's onLoad got property %q, want %q", prop, tb.prop)
	}
	tb.exec(`TriggerWidget.maximize()`)
	tb.poll("the panel opened from the new object", shadowQ("[data-part=panel]")+"?.hidden === false")
	tb.exec(`__old.minimize()`)
	tb.poll("the panel closed from the old object", shadowQ("[data-part=panel]")+"?.hidden === true")
	tb.assertNoUncaught()
}

// Arguments of the wrong type are refused with an error naming the method
// and what it got, not shown or stored as "[object Object]".
func TestAPI_ArgumentsOfTheWrongType(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	calls := []struct{ js, want string }{
		{`TriggerWidget.visitorMessage({})`, "visitorMessage: the message must be a string, not an object"},
		{`TriggerWidget.visitorMessage(Symbol('s'))`, "visitorMessage: the message must be a string, not a symbol"},
		{`TriggerWidget.agentMessage(42)`, "agentMessage: expected the message's text, or an object {name, text, id}, not a number"},
		{`TriggerWidget.agentMessage({name: {}, text: 'Hi'})`, "agentMessage: the agent's name must be a string, not an object"},
		{`TriggerWidget.agentMessage({name: 'Ann', text: ['Hi']})`, "agentMessage: the message must be a string, not an array"},
		{`TriggerWidget.agentJoined(function () {})`, "agentJoined: the agent's name must be a string, not a function"},
		{`TriggerWidget.addTags(new Set(['s']))`, "addTags: expected a tag or an array of tags, not an object"},
		{`TriggerWidget.addTags([{}])`, "addTags: tag 0 must be a string, not an object"},
		{`TriggerWidget.removeTags(7)`, "removeTags: expected a tag or an array of tags, not a number"},
		{`TriggerWidget.setAttributes(['p', 'q'])`, "setAttributes: expected an object of attributes, not an array"},
		{`TriggerWidget.setAttributes({plan: {tier: 2}})`, `setAttributes: attribute "plan" must be a string, a number or a boolean, not an object`},
		{`TriggerWidget.addEvent({})`, "addEvent: the event's name must be a string, not an object"},
		{`TriggerWidget.setStatus(true)`, "setStatus: the status must be a string, not a boolean"},
	}
	for _, c := range calls {
		tb.exec(c.js)
	}
	tb.poll("an error for each call", `__events.filter(e => e.name === 'error').length >= `+itoa(len(calls)))
	errs := tb.errorEvents()
	for i, c := range calls {
		if i >= len(errs) {
			break
		}
		if errs[i].Code != "api" || errs[i].Message != c.want {
			t.Errorf("%s: error %s %q, want api %q", c.js, errs[i].Code, errs[i].Message, c.want)
		}
	}
	if len(errs) != len(calls) {
		t.Errorf("%d error events for %d bad calls", len(errs), len(calls))
	}
	// Numbers and booleans are attribute values; nothing else reached the visit.
	tb.exec(`TriggerWidget.setAttributes({items: 3, returning: true})`)
	var attrs map[string]string
	tb.poll("the attributes", `TriggerWidget.getState().attributes.items === '3'`)
	tb.eval(`TriggerWidget.getState().attributes`, &attrs)
	if len(attrs) != 2 || attrs["returning"] != "true" {
		t.Errorf("attributes %v, want items 3 and returning true only", attrs)
	}
	var tags []string
	tb.eval(`TriggerWidget.getState().tags`, &tags)
	if st := tb.state(); len(st.Messages) != 0 || len(tags) != 0 {
		t.Errorf("bad calls left %d transcript lines and tags %q", len(st.Messages), tags)
	}
	tb.assertNoUncaught()
}

// A huge argument is refused from its length, before it is copied into the
// runtime: the wasm's memory does not grow.
func TestAPI_HugeArgumentsAreNotRead(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	var before float64
	tb.eval(`TriggerWidget.__stats().memory`, &before)
	tb.exec(`TriggerWidget.visitorMessage('x'.repeat(2e7));
		TriggerWidget.agentMessage({name: 'Ann', text: 'y'.repeat(2e7)});
		TriggerWidget.addTags(new Array(1e5).fill('t'));
		const attrs = {}; for (let i = 0; i < 2e5; i++) attrs['k' + i] = 'v';
		TriggerWidget.setAttributes(attrs);
		TriggerWidget.addEvent('e'.repeat(1e7));`)
	want := []string{
		"visitorMessage: a text of 20000000 characters, far past the limit; it was not read",
		`agentMessage: "text" holds a text far past the limit; it was not read`,
		"addTags: too many items in one call: 100000 (at most 1000 are read)",
		"setAttributes: too many items in one call: 200000 (at most 1000 are read)",
		"addEvent: a text of 10000000 characters, far past the limit; it was not read",
	}
	tb.poll("an error for each call", `__events.filter(e => e.name === 'error').length >= `+itoa(len(want)))
	var got []string
	for _, e := range tb.errorEvents() {
		got = append(got, e.Message)
	}
	if !slices.Equal(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var after float64
	tb.eval(`TriggerWidget.__stats().memory`, &after)
	// Copying any of the strings in would take 20 MB or more; the error
	// events themselves may take a few KB.
	if after-before >= 1<<20 {
		t.Errorf("the wasm's memory went from %.0f to %.0f bytes: a refused argument was copied in", before, after)
	}
	tb.assertNoUncaught()
}

// A call queued before ready takes its arguments as they were when the page
// made it, not as the page changed them afterwards.
func TestAPI_QueuedArgumentsAreTakenAtTheCall(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{OnLoad: `var m = {name: 'Ann', text: 'as sent'};
		TriggerWidget.agentMessage(m); m.text = 'changed afterwards';
		var a = ['first']; TriggerWidget.addTags(a); a[0] = 'second';
		var o = {plan: 'pro'}; TriggerWidget.setAttributes(o); o.plan = 'free';`})
	tb.waitLoad()
	var queued bool
	tb.eval(`window.__queued`, &queued)
	if !queued {
		t.Fatal("the calls were not queued: the runtime was ready already")
	}
	var got struct {
		Text  string            `json:"text"`
		Tags  []string          `json:"tags"`
		Attrs map[string]string `json:"attributes"`
	}
	tb.poll("the agent's line", `TriggerWidget.getState().messages.length === 1`)
	tb.eval(`(() => { const s = TriggerWidget.getState(); return {text: s.messages[0].text, tags: s.tags, attributes: s.attributes}; })()`, &got)
	if got.Text != "as sent" || !slices.Equal(got.Tags, []string{"first"}) || got.Attrs["plan"] != "pro" {
		t.Errorf("queued calls ran with %+v, want the text, tag and plan as they were at the call", got)
	}
	tb.assertNoUncaught()
}

// An error listener that reports errors through the API does not recurse:
// the error its own call causes goes to the console, not to the listeners.
func TestAPI_ErrorListenerDoesNotRecurse(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	tb.exec(`window.__calls = 0;
		TriggerWidget.on('error', function (e) { __calls++; TriggerWidget.addEvent('widget error: ' + e.message); });
		TriggerWidget.addEvent('x'.repeat(65));`)
	tb.poll("the error", `__events.some(e => e.name === 'error')`)
	var calls int
	tb.eval(`__calls`, &calls)
	if n := len(tb.errorEvents()); calls != 1 || n != 1 {
		t.Errorf("the error listener ran %d times and the recorder saw %d errors, want 1 and 1", calls, n)
	}
	// The next error, outside any listener, is delivered again.
	tb.exec(`TriggerWidget.addEvent('')`)
	tb.poll("the next error", `__events.filter(e => e.name === 'error').length === 2`)
	tb.assertNoUncaught()
}

// off() during an event's delivery stops a listener not yet called for it;
// the methods that answer nothing return undefined, and getState() and
// explain() null after shutdown().
func TestAPI_ListenersAndReturnValues(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	var heard []string
	tb.eval(`(() => { const heard = [];
		const b = () => heard.push('b');
		TriggerWidget.on('statusChange', () => { heard.push('a'); TriggerWidget.off('statusChange', b); });
		TriggerWidget.on('statusChange', b);
		TriggerWidget.setStatus('away');
		return heard; })()`, &heard)
	if !slices.Equal(heard, []string{"a"}) {
		t.Errorf("listeners heard %q, want [a]: b was removed by a", heard)
	}
	var ok bool
	tb.eval(`typeof TriggerWidget.maximize() === 'undefined' && typeof TriggerWidget.setStatus('online') === 'undefined' && TriggerWidget.getState() !== null`, &ok)
	if !ok {
		t.Errorf("maximize() or setStatus() answered something, or getState() null, while running")
	}
	tb.eval(`(() => { TriggerWidget.shutdown(); return TriggerWidget.getState() === null && TriggerWidget.explain() === null && typeof TriggerWidget.toggle() === 'undefined'; })()`, &ok)
	if !ok {
		t.Errorf("after shutdown(): getState() and explain() are not null, or toggle() answers")
	}
	tb.assertNoUncaught()
}

// After shutdown(), adding the tag again starts a new widget: a
// single-page app after a log-out and a log-in.
func TestAPI_TagAgainAfterShutdown(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.exec(`TriggerWidget.shutdown()`)
	tb.poll("the widget to leave", `document.getElementById('triggerwidget-root') === null`)
	tb.exec(`(() => { const old = document.querySelector('script[data-property]'), s = document.createElement('script');
		s.src = old.src; s.setAttribute('data-property', old.getAttribute('data-property')); document.head.appendChild(s); })()`)
	tb.poll("a second load event", `__events.filter(e => e.name === 'load').length === 2`)
	tb.poll("the widget back on the page", `document.querySelectorAll('#triggerwidget-root').length === 1`)
	tb.exec(`TriggerWidget.maximize()`)
	tb.poll("the new widget's panel", shadowQ("[data-part=panel]")+"?.hidden === false")
	tb.assertNoUncaught()
}

// The page's onLoad runs after the first page view: its calls see the
// page's own context, and an event it adds meets the page's conditions.
func TestAPI_OnLoadCallsSeeThePage(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "go", "name": "Go", "type": "advanced", "event": "custom_event",
		"conditions": [{"field": "event.name", "op": "eq", "value": "go"}, {"field": "page.path", "op": "contains", "value": "/t/"}],
		"actions": [{"type": "send_message", "message": {"text": "Went"}, "agent": {"name": "Apollo"}}]}`)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.onLoad = function () {
		window.__pageViews = TriggerWidget.getState().visit.pageViews;
		TriggerWidget.addEvent('go');
	};`}))
	tb.waitMessage("go")
	var views int
	tb.eval(`window.__pageViews`, &views)
	if views != 1 {
		t.Errorf("onLoad saw %d page views, want 1", views)
	}
	tb.assertNoUncaught()
}

// A hide() queued before ready and a show() from a listener of an event a
// queued call caused: the last one wins, as the page called them.
func TestAPI_ShowAfterAQueuedHide(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{OnLoad: `TriggerWidget.hide();
		TriggerWidget.on('statusChange', function () { TriggerWidget.show(); });
		TriggerWidget.setStatus('away');`})
	tb.waitLoad()
	tb.poll("the status change", `__events.some(e => e.name === 'statusChange')`)
	var hidden bool
	tb.eval(`document.getElementById('triggerwidget-root').hidden`, &hidden)
	if hidden {
		t.Errorf("the widget stays hidden after a show() that came after the hide()")
	}
	tb.assertNoUncaught()
}

// After load too, a page that replaces window.TriggerWidget can call the
// API on its new object at once; lenient arguments the engine trims or
// ignores are read.
func TestAPI_ReplacedAfterLoadAndLenientArguments(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	tb.exec(`window.TriggerWidget = {}; TriggerWidget.maximize();`)
	tb.poll("the panel opened from the new object", shadowQ("[data-part=panel]")+"?.hidden === false")
	var st struct {
		Status string   `json:"status"`
		Tags   []string `json:"tags"`
	}
	tb.exec(`TriggerWidget.setStatus('\n          away\n        ');
		TriggerWidget.addTags(['a', 'b']);
		TriggerWidget.removeTags(Array.from({length: 60}, (_, i) => 'segment-' + i).concat(['a']));`)
	tb.eval(`TriggerWidget.getState()`, &st)
	if st.Status != "away" || !slices.Equal(st.Tags, []string{"b"}) {
		t.Errorf("status %q and tags %q, want away and [b]", st.Status, st.Tags)
	}
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Errorf("errors: %+v", errs)
	}
	tb.assertNoUncaught()
}

// A second tag for another property is a configuration error the running
// widget reports: one page runs one widget.
func TestAPI_SecondTagForAnotherProperty(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	tb.exec(`(() => { const s = document.createElement('script'); s.src = '/widget/widget.js';
		s.setAttribute('data-property', 'someone-else'); document.head.appendChild(s); })()`)
	tb.poll("the config error", `__events.some(e => e.name === 'error' && e.data.code === 'config')`)
	var msg string
	tb.eval(`__events.find(e => e.name === 'error').data.message`, &msg)
	if !strings.Contains(msg, `"someone-else"`) || !strings.Contains(msg, "one page runs one widget") {
		t.Errorf("the config error says %q", msg)
	}
	var roots int
	tb.eval(`document.querySelectorAll('#triggerwidget-root').length`, &roots)
	if roots != 1 {
		t.Errorf("%d widgets on the page", roots)
	}
	tb.assertNoUncaught()
}

// Events held until load are delivered in order, and what their listeners
// cause comes after them: a page that follows the state from events ends
// where the widget is.
func TestAPI_HeldEventsInOrder(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{OnLoad: `window.__order = [];
		['load', 'statusChange', 'maximized', 'minimized'].forEach(function (n) {
			TriggerWidget.on(n, function (e) { __order.push(n + (n === 'statusChange' ? ':' + e.status : '')); });
		});
		TriggerWidget.setStatus('away'); TriggerWidget.maximize();
		TriggerWidget.on('load', function () { TriggerWidget.setStatus('online'); TriggerWidget.minimize(); });`})
	tb.poll("the four events after load", `window.__order && __order.length === 5`)
	var order []string
	tb.eval(`__order`, &order)
	want := []string{"load", "statusChange:away", "maximized", "statusChange:online", "minimized"}
	if !slices.Equal(order, want) {
		t.Errorf("events in the order %q, want %q", order, want)
	}
	if st := tb.state(); st.Status != "online" || st.Maximized {
		t.Errorf("the widget ends %s, maximized %v; the events said online, minimized", st.Status, st.Maximized)
	}
	tb.assertNoUncaught()
}

// A replacement of window.TriggerWidget that throws on every read (a
// Proxy) neither throws into the page nor silences the events.
func TestAPI_ReplacedByAThrowingProxy(t *testing.T) {
	t.Parallel()
	tb := quietPage(t, page{})
	tb.waitLoad()
	var threw string
	tb.eval(`(() => { const old = TriggerWidget;
		// It throws on the widget's own names (the recorder's clock reads
		// another through window.TriggerWidget).
		const trap = new Proxy({}, {get(t, k) { if (k === '__triggerwidget' || k === 'on' || k === 'maximize') throw new Error('trap'); return undefined; }});
		try { window.TriggerWidget = trap; } catch (e) { return String(e); }
		old.setStatus('away'); return ''; })()`, &threw)
	if threw != "" {
		t.Errorf("the assignment threw %s into the page", threw)
	}
	tb.poll("the status change, heard on the first object", `__events.some(e => e.name === 'statusChange')`)
	tb.assertNoUncaught()
}

// quietPage opens a page of the test's property whose one trigger waits
// ten minutes: a widget that shows nothing of its own accord, for tests of
// what the page's calls do.
func quietPage(t *testing.T, p page) *tab {
	t.Helper()
	tb := newTab(t)
	tb.publish(`{"id": "later", "name": "Later", "type": "site", "delay": 600, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", p))
	return tb
}
