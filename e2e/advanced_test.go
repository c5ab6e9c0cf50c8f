//go:build !js

package e2e

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Advanced triggers (README "Advanced triggers", docs/format.md): events,
// all/any conditions, deferred time conditions, the actions, shortcuts sent
// by send_message, and explain(), from a host page's point of view.

// settle is how far a negative assertion moves the test clock after a host
// call whose effects, if any, are delivered synchronously by the runtime:
// whatever the call scheduled on the engine's clock that soon runs too.
const settle = 300 * time.Millisecond

// advTrigger is an advanced trigger's JSON. conditions and actions are
// comma-separated JSON objects (see advCond and say); match "" leaves the
// default (all).
func advTrigger(id, event, match, conditions, actions string) string {
	s := `{"id": ` + jsString(id) + `, "name": "Advanced ` + id + `", "type": "advanced", "event": ` + jsString(event)
	if match != "" {
		s += `, "match": ` + jsString(match)
	}
	if conditions != "" {
		s += `, "conditions": [` + conditions + `]`
	}
	return s + `, "actions": [` + actions + `]}`
}

// advCond is one condition {field, op, value}.
func advCond(field, op string, value any) string {
	v, err := json.Marshal(value)
	if err != nil {
		panic(err)
	}
	return `{"field": ` + jsString(field) + `, "op": ` + jsString(op) + `, "value": ` + string(v) + `}`
}

// say is a send_message action with a text, from Maya.
func say(text string) string {
	return `{"type": "send_message", "message": {"text": ` + jsString(text) + `}, "agent": {"name": "Maya"}}`
}

// explanations is explain()'s value.
type explanations struct {
	Status   string          `json:"status"`
	Chat     string          `json:"chat"`
	Triggers []explanation   `json:"triggers"`
	Skipped  []skippedReport `json:"skipped"`
}

// skippedReport is one validation problem of a skipped trigger.
type skippedReport struct {
	TriggerID string `json:"triggerId"`
	Field     string `json:"field"`
	Message   string `json:"message"`
}

type explanation struct {
	TriggerID  string `json:"triggerId"`
	Type       string `json:"type"`
	State      string `json:"state"`
	Waiting    string `json:"waiting"`
	Due        int64  `json:"due"`
	FiredAt    int64  `json:"firedAt"`
	Reason     string `json:"reason"`
	Conditions []struct {
		Field  string          `json:"field"`
		Op     string          `json:"op"`
		Value  json.RawMessage `json:"value"`
		Actual string          `json:"actual"`
		Holds  bool            `json:"holds"`
	} `json:"conditions"`
}

// explain returns explain() and the explanation of trigger id (failing the
// test when explain() does not list it).
func (tb *tab) explain(id string) (explanations, explanation) {
	tb.t.Helper()
	var all explanations
	tb.eval("TriggerWidget.explain()", &all)
	for _, x := range all.Triggers {
		if x.TriggerID == id {
			return all, x
		}
	}
	tb.t.Fatalf("explain() does not list trigger %q: %+v", id, all)
	return all, explanation{}
}

// explainJSON is explain() as JSON, for failure messages.
func (tb *tab) explainJSON() string {
	tb.t.Helper()
	var raw json.RawMessage
	tb.eval("TriggerWidget.explain()", &raw)
	return "\nexplain(): " + string(raw)
}

// waitFired waits until getState() lists trigger id as fired.
func (tb *tab) waitFired(id string) {
	tb.t.Helper()
	tb.poll("trigger "+id+" to fire", `TriggerWidget.getState().fired.some(f => f.triggerId === `+jsString(id)+`)`)
}

// assertNotFired checks that trigger id has not fired: not in getState(),
// no triggerFired event, no message, and explain() does not say fired.
func (tb *tab) assertNotFired(id, when string) {
	tb.t.Helper()
	if _, n := tb.state().firedAt(id); n != 0 {
		tb.t.Errorf("%s: getState().fired lists %s%s", when, id, tb.explainJSON())
	}
	if slices.Contains(tb.firedEvents(), id) {
		tb.t.Errorf("%s: triggerFired was emitted for %s", when, id)
	}
	if n := tb.count(msgSel(id)); n != 0 {
		tb.t.Errorf("%s: %d messages of %s are shown", when, n, id)
	}
	if _, x := tb.explain(id); x.State == "fired" || x.FiredAt != 0 {
		tb.t.Errorf("%s: explain() says %s is %s (firedAt %d)", when, id, x.State, x.FiredAt)
	}
}

// navAt pushes url (the page must have spaNav) and returns the page clock
// just before the navigation.
func (tb *tab) navAt(url string) int64 {
	tb.t.Helper()
	var at int64
	tb.eval(`(() => { nav(`+jsString(url)+`); return __navAt; })()`, &at)
	return at
}

// tags and attributes read getState().tags and .attributes.
func (tb *tab) tags() []string {
	tb.t.Helper()
	var tags []string
	tb.eval("TriggerWidget.getState().tags", &tags)
	return tags
}

func (tb *tab) attributes() map[string]string {
	tb.t.Helper()
	var attrs map[string]string
	tb.eval("TriggerWidget.getState().attributes", &attrs)
	return attrs
}

// pricingTimeTrigger fires 3 s into a page under dir/pricing.
func pricingTimeTrigger(dir string) string {
	return advTrigger("pricing-3s", "page_view", "all",
		advCond("page.path", "starts_with", dir+"/pricing")+", "+advCond("visit.time_on_page", "gte", 3),
		say("Need a hand choosing a plan?"))
}

// Deferred time conditions: "path starts with /pricing and time on
// page ≥ 3" fires 3 s into the page (the engine schedules one re-check for
// that instant), and not at all when the visitor leaves first. "fires" is the
// advanced trigger test that runs the shipped build in real time (see the
// package comment).
func TestAdvanced_TimeOnPage(t *testing.T) {
	t.Parallel()
	t.Run("fires", func(t *testing.T) {
		t.Parallel()
		tb := newTab(t)
		tb.publish(pricingTimeTrigger(tb.dir()))
		tb.navigate(tb.sitePage("pricing", page{Title: "Pricing"}))
		tb.waitLoad()
		// The page view is the visit's first: its time is visit.start.
		start := tb.state().Visit.Start
		// Before 3 s it is armed for the instant the condition becomes true
		// (read with the page clock, in case the load took that long).
		var early struct {
			X   explanations `json:"x"`
			Now int64        `json:"now"`
		}
		tb.eval(`({now: Date.now(), x: TriggerWidget.explain()})`, &early)
		for _, x := range early.X.Triggers {
			if early.Now-start < 2900 && (x.State != "armed" || x.Due < start+3000 || x.Due > start+3100) {
				t.Errorf("%d ms into the page: explain() = %+v, want armed, due 3 s after the page view at %d", early.Now-start, x, start)
			}
		}
		tb.waitMessage("pricing-3s")
		s := tb.state()
		at, n := s.firedAt("pricing-3s")
		if n != 1 {
			t.Fatalf("getState().fired = %+v, want pricing-3s once", s.Fired)
		}
		d := at - start
		t.Logf("pricing-3s fired %d ms after the page view", d)
		if d < 3000 || d >= 3000+margin.Milliseconds() {
			t.Errorf("pricing-3s fired %d ms after the page view; want from 3000 ms, within %v", d, margin)
		}
		if load := tb.events("load")[0]; len(load.Msgs) != 0 {
			t.Errorf("messages %q were shown at load, before 3 s on the page", load.Msgs)
		}
		fired := tb.events("triggerFired")
		if len(fired) != 1 || fired[0].T-start < 3000 {
			t.Errorf("triggerFired events %+v, want one, 3 s or more after the page view at %d", fired, start)
		}
		if _, x := tb.explain("pricing-3s"); x.State != "fired" || x.FiredAt != at {
			t.Errorf("after firing: explain() = %+v, want fired at %d", x, at)
		}
		tb.assertNoUncaught()
	})
	t.Run("left-first", func(t *testing.T) {
		t.Parallel()
		tb := newClockTab(t)
		tb.publish(pricingTimeTrigger(tb.dir()))
		tb.navigate(tb.sitePage("pricing", page{Title: "Pricing", Head: spaNav}))
		tb.waitLoad()
		start := tb.state().Visit.Start
		if _, x := tb.explain("pricing-3s"); x.State != "armed" || x.Due != start+3000 {
			t.Errorf("on landing: explain() = %+v, want armed, due 3 s after the page view at %d", x, start)
		}
		tb.advance(time.Second) // a second on the pricing page
		tb.navAt(tb.dir() + "/about")
		if left := tb.now() - start; left >= 3000 {
			t.Fatalf("the visitor left the pricing page %d ms after landing, not before 3 s; the test proves nothing", left)
		}
		_, x := tb.explain("pricing-3s")
		if x.State != "waiting" || x.Due != 0 {
			t.Errorf("after leaving: explain() = %+v, want waiting (not armed)", x)
		}
		if !strings.Contains(x.Reason, "condition 1") || !strings.Contains(x.Reason, "page.path") {
			t.Errorf("after leaving: explain() reason %q, want it to name condition 1 (page.path)", x.Reason)
		}
		if len(x.Conditions) != 2 || x.Conditions[0].Holds || x.Conditions[0].Actual != strconv.Quote(tb.dir()+"/about") {
			t.Errorf("after leaving: explain() conditions = %+v, want page.path false with actual %q", x.Conditions, tb.dir()+"/about")
		}
		if now := tb.advance(2*time.Second + margin); now-start < 3000+margin.Milliseconds() {
			t.Fatalf("the test clock is %d ms past the page view, want 3 s plus margin", now-start)
		}
		tb.assertNotFired("pricing-3s", "3 s after landing on /pricing, having left at 1 s")
		if _, x := tb.explain("pricing-3s"); x.State != "waiting" {
			t.Errorf("explain() = %+v, want waiting", x)
		}
		tb.assertNoUncaught()
	})
}

// Match any: one condition holding is enough, whichever.
func TestAdvanced_MatchAny(t *testing.T) {
	t.Parallel()
	anyTrigger := advTrigger("ads-or-vip", "page_view", "any",
		advCond("page.query.utm_source", "eq", "ads")+", "+advCond("visitor.tags", "contains", "vip"),
		say("Welcome, special guest"))
	t.Run("query", func(t *testing.T) {
		t.Parallel()
		tb := newTab(t)
		tb.publish(anyTrigger)
		tb.navigate(tb.sitePage("landing", page{}) + "?utm_source=ADS&x=1")
		tb.waitLoad()
		tb.waitMessage("ads-or-vip")
		_, x := tb.explain("ads-or-vip")
		if x.State != "fired" || len(x.Conditions) != 2 || !x.Conditions[0].Holds || x.Conditions[1].Holds {
			t.Errorf("explain() = %+v, want fired, the query condition holding and the tag one not", x)
		}
		if got := tb.tags(); len(got) != 0 {
			t.Errorf("tags = %q, want none", got)
		}
		tb.assertNoUncaught()
	})
	t.Run("tag", func(t *testing.T) {
		t.Parallel()
		tb := newClockTab(t)
		tb.publish(anyTrigger)
		tb.navigate(tb.sitePage("landing", page{Head: spaNav}) + "?utm_source=newsletter")
		tb.waitLoad()
		tb.advance(settle)
		tb.assertNotFired("ads-or-vip", "neither condition holds")
		if _, x := tb.explain("ads-or-vip"); x.State != "waiting" || len(x.Conditions) != 2 || x.Conditions[0].Holds || x.Conditions[1].Holds {
			t.Errorf("explain() = %+v, want waiting with both conditions false", x)
		}
		tb.exec(`TriggerWidget.addTags(['VIP'])`)
		at := tb.navAt(tb.dir() + "/landing?utm_source=newsletter&page=2")
		tb.waitMessage("ads-or-vip")
		s := tb.state()
		if got, _ := s.firedAt("ads-or-vip"); got < at {
			t.Errorf("fired at %d, before the page view at %d", got, at)
		}
		if !slices.Equal(tb.tags(), []string{"VIP"}) {
			t.Errorf("tags = %q, want [VIP]", tb.tags())
		}
		tb.assertNoUncaught()
	})
}

// custom_event: addEvent(name) is the event; event.name is its name.
func TestAdvanced_CustomEvent(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(advTrigger("cart", "custom_event", "", advCond("event.name", "eq", "cart_abandoned"), say("Anything stopping you?")))
	tb.navigate(tb.sitePage("shop", page{}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.addEvent('checkout_started', {items: 1})`)
	tb.advance(settle)
	tb.assertNotFired("cart", "after addEvent('checkout_started')")
	if _, x := tb.explain("cart"); x.State != "waiting" || len(x.Conditions) != 1 || x.Conditions[0].Field != "event.name" || x.Conditions[0].Holds || !strings.Contains(x.Reason, "condition 1") {
		t.Errorf("explain() = %+v, want waiting, event.name false, the reason naming condition 1", x)
	}
	at := tb.now()
	tb.exec(`TriggerWidget.addEvent('cart_abandoned', {items: 2, total: 49.5})`)
	tb.waitMessage("cart")
	if got, n := tb.state().firedAt("cart"); n != 1 || got < at {
		t.Errorf("cart fired %d times, at %d; want once, after addEvent at %d", n, got, at)
	}
	if ids := tb.firedEvents(); !slices.Equal(ids, []string{"cart"}) {
		t.Errorf("triggerFired %q, want [cart]", ids)
	}
	// Once per visit: the same event again does nothing.
	tb.exec(`TriggerWidget.addEvent('cart_abandoned')`)
	tb.advance(settle)
	if n := tb.count(msgSel("cart")); n != 1 {
		t.Errorf("after a second cart_abandoned the message is shown %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// README explain(): the reason names the failing condition "with its actual
// value". For event.name that is the name of the event that was checked:
// after addEvent('checkout_started') a site owner must read
// checkout_started there, not "(none)", to see why the trigger did not fire.
func TestAdvanced_ExplainReasonShowsEventName(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(advTrigger("cart", "custom_event", "", advCond("event.name", "eq", "cart_abandoned"), say("Anything stopping you?")))
	tb.navigate(tb.sitePage("shop", page{}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.addEvent('checkout_started')`)
	tb.advance(settle)
	tb.assertNotFired("cart", "after addEvent('checkout_started')")
	if _, x := tb.explain("cart"); !strings.Contains(x.Reason, "condition 1") || !strings.Contains(x.Reason, "checkout_started") {
		t.Errorf("explain() reason = %q, want condition 1 (event.name) with the checked event's name, checkout_started", x.Reason)
	}
}

// visitor.attr.<key>, set by the host with setAttributes, read on
// the next event.
func TestAdvanced_VisitorAttribute(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(advTrigger("pro-plan", "page_view", "", advCond("visitor.attr.plan", "eq", "pro"), say("Pro tip: priority support is one click away")))
	tb.navigate(tb.sitePage("app", page{Head: spaNav}))
	tb.waitLoad()
	tb.navAt(tb.dir() + "/app/settings")
	tb.advance(settle)
	tb.assertNotFired("pro-plan", "before setAttributes")
	if _, x := tb.explain("pro-plan"); len(x.Conditions) != 1 || x.Conditions[0].Holds || x.Conditions[0].Actual != "(none)" {
		t.Errorf("before setAttributes: explain() = %+v, want visitor.attr.plan false with no value", x)
	}
	tb.exec(`TriggerWidget.setAttributes({plan: 'pro', seats: 5})`)
	if got := tb.attributes(); got["plan"] != "pro" || got["seats"] != "5" {
		t.Errorf("getState().attributes = %v, want plan pro and seats 5", got)
	}
	at := tb.navAt(tb.dir() + "/app/billing")
	tb.waitMessage("pro-plan")
	if got, _ := tb.state().firedAt("pro-plan"); got < at {
		t.Errorf("pro-plan fired at %d, before the page view at %d", got, at)
	}
	if _, x := tb.explain("pro-plan"); x.State != "fired" || len(x.Conditions) != 1 || !x.Conditions[0].Holds || x.Conditions[0].Actual != `"pro"` {
		t.Errorf("after firing: explain() = %+v, want fired with visitor.attr.plan = \"pro\"", x)
	}
	tb.assertNoUncaught()
}

// twoStep is an advanced trigger that sends a message, waits 2 s and sends
// another.
const twoStep = `{"id": "two-step", "name": "Two steps", "type": "advanced", "event": "widget_loaded",
	"actions": [
		{"type": "send_message", "message": {"text": "First"}, "agent": {"name": "Maya"}},
		{"type": "wait", "seconds": 2},
		{"type": "send_message", "message": {"text": "Second"}, "agent": {"name": "Maya"}}]}`

// twoStepTimes returns the transcript times of two-step's messages, in
// order.
func (tb *tab) twoStepTimes() (texts []string, ats []int64) {
	tb.t.Helper()
	for _, m := range tb.state().Messages {
		if m.TriggerID == "two-step" {
			texts, ats = append(texts, m.Text), append(ats, m.At)
		}
	}
	return texts, ats
}

// wait: the second message comes 2 s after the first; a full page
// load during the wait neither loses nor repeats anything.
func TestAdvanced_WaitBetweenMessages(t *testing.T) {
	t.Parallel()
	t.Run("same-page", func(t *testing.T) {
		t.Parallel()
		tb := newClockTab(t)
		tb.publish(twoStep)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.poll("the first message", shadowCount(msgSel("two-step"))+" === 1")
		// Mid-run the trigger has fired (triggerFired was emitted); explain()
		// says what it waits for and until when.
		_, ats := tb.twoStepTimes()
		if _, x := tb.explain("two-step"); x.Waiting != "its wait action to end" || x.Due != ats[0]+2000 {
			t.Errorf("during the wait: explain() = %+v, want it waiting for its wait action, due at %d", x, ats[0]+2000)
		}
		tb.secondStepAfter(ats[0])
		texts, ats := tb.twoStepTimes()
		if !slices.Equal(texts, []string{"First", "Second"}) {
			t.Fatalf("two-step's messages = %q, want [First Second]", texts)
		}
		if d := ats[1] - ats[0]; d != 2000 {
			t.Errorf("the second message came %d ms after the first, want 2000 ms", d)
		}
		var dom []string
		tb.eval(`[...`+shadowQ("[data-part=transcript]")+`.querySelectorAll(`+jsString(msgSel("two-step")+" [data-part=text]")+`)].map(e => e.textContent)`, &dom)
		if !slices.Equal(dom, []string{"First", "Second"}) {
			t.Errorf("rendered two-step messages = %q, want [First Second]", dom)
		}
		if n := len(tb.events("triggerFired")); n != 1 {
			t.Errorf("triggerFired emitted %d times, want once for the run", n)
		}
		if n := len(tb.events("messageShown")); n != 2 {
			t.Errorf("messageShown emitted %d times, want 2", n)
		}
		tb.assertNoUncaught()
	})
	t.Run("across-reload", func(t *testing.T) {
		t.Parallel()
		tb := newClockTab(t)
		tb.publish(twoStep)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.poll("the first message", shadowCount(msgSel("two-step"))+" === 1")
		_, ats := tb.twoStepTimes()
		tb.reload()
		tb.waitLoad()
		tb.secondStepAfter(ats[0])
		texts, ats := tb.twoStepTimes()
		if !slices.Equal(texts, []string{"First", "Second"}) {
			t.Fatalf("two-step's messages = %q, want [First Second] (the first restored, the second once)", texts)
		}
		if d := ats[1] - ats[0]; d != 2000 {
			t.Errorf("the second message came %d ms after the first, want 2000 ms (a reload in between)", d)
		}
		if ids := tb.firedEvents(); len(ids) != 0 {
			t.Errorf("after the reload triggerFired %q again", ids)
		}
		tb.advance(settle)
		if n := tb.count(msgSel("two-step")); n != 2 {
			t.Errorf("%d two-step messages shown, want 2", n)
		}
		tb.assertNoUncaught()
	})
}

// secondStepAfter moves the test clock to 1 ms before two-step's wait ends
// (2 s after its first message, at first) and checks that only the first
// message is shown, then 1 ms on and checks that the second one is.
func (tb *tab) secondStepAfter(first int64) {
	tb.t.Helper()
	due := first + 2000
	now := tb.clockNow()
	if now >= due {
		tb.t.Fatalf("the test clock is at %d, already past the end of the wait at %d", now, due)
	}
	tb.advance(time.Duration(due-1-now) * time.Millisecond)
	if n := tb.count(msgSel("two-step")); n != 1 {
		tb.t.Fatalf("1 ms before the wait ends %d two-step messages are shown, want the first only", n)
	}
	tb.advance(time.Millisecond)
	if n := tb.count(msgSel("two-step")); n != 2 {
		tb.t.Fatalf("when the wait ends %d two-step messages are shown, want 2%s", n, tb.diagnostics())
	}
}

// add_tags / remove_tags actions, and a trigger on visitor.tags that
// fires on the next event.
func TestAdvanced_Tags(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(
		advTrigger("tagger", "custom_event", "", advCond("event.name", "eq", "tag_me"),
			`{"type": "add_tags", "tags": ["vip-x", "temp"]}`),
		advTrigger("untagger", "custom_event", "", advCond("event.name", "eq", "untag"),
			`{"type": "remove_tags", "tags": ["TEMP"]}`),
		advTrigger("vip-welcome", "page_view", "", advCond("visitor.tags", "contains", "vip-x"), say("Welcome back, VIP")),
	)
	tb.navigate(tb.sitePage("home", page{Head: spaNav}))
	tb.waitLoad()
	tb.assertNotFired("vip-welcome", "before tagging")

	tb.exec(`TriggerWidget.addEvent('tag_me')`)
	tb.waitFired("tagger")
	if got := tb.tags(); !slices.Equal(got, []string{"vip-x", "temp"}) {
		t.Errorf("after add_tags: getState().tags = %q, want [vip-x temp]", got)
	}
	tb.exec(`TriggerWidget.addEvent('untag')`)
	tb.waitFired("untagger")
	if got := tb.tags(); !slices.Equal(got, []string{"vip-x"}) {
		t.Errorf("after remove_tags [TEMP]: getState().tags = %q, want [vip-x]", got)
	}
	tb.assertNotFired("vip-welcome", "after tagging, before the next page view")

	at := tb.navAt(tb.dir() + "/products")
	tb.waitMessage("vip-welcome")
	if got, _ := tb.state().firedAt("vip-welcome"); got < at {
		t.Errorf("vip-welcome fired at %d, before the page view at %d", got, at)
	}
	if n := tb.count("[data-part=message]"); n != 1 {
		t.Errorf("%d trigger messages shown, want only vip-welcome's (tag actions send none)", n)
	}
	tb.assertNoUncaught()
}

// emit: the host's emit listener gets {triggerId, name, data}
// with data as written in the set.
func TestAdvanced_Emit(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	data := `{"score": 2, "plan": "pro", "ratio": 0.75, "ok": true, "none": null,
		"tags": ["a", "b"], "nested": {"deep": [1, {"x": "é 👋 <b>bold</b>"}]}}`
	tb.publish(advTrigger("lead", "custom_event", "", advCond("event.name", "eq", "signup"),
		`{"type": "emit", "name": "lead", "data": `+data+`}`))
	// on() exists once widget.js has run: register from the tag's onload.
	tb.navigate(tb.sitePage("home", page{OnLoad: `window.__emits = []; TriggerWidget.on('emit', function (e) { __emits.push(JSON.parse(JSON.stringify(e))); });`}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.addEvent('signup')`)
	tb.poll("the emit listener", `__emits.length > 0`)
	tb.advance(settle)
	var got []struct {
		TriggerID string `json:"triggerId"`
		Name      string `json:"name"`
		Data      any    `json:"data"`
	}
	tb.eval("__emits", &got)
	var want any
	if err := json.Unmarshal([]byte(data), &want); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("the on('emit') listener was called %d times, want once: %+v", len(got), got)
	}
	if got[0].TriggerID != "lead" || got[0].Name != "lead" || !reflect.DeepEqual(got[0].Data, want) {
		t.Errorf("emit = %+v, want {triggerId: lead, name: lead, data: %v}", got[0], want)
	}
	if n := len(tb.events("emit")); n != 1 {
		t.Errorf("the onEmit property listener was called %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// kitSet is a set whose advanced trigger sends a shortcut with one
// attachment of each kind, and whose second trigger sends a shortcut with a
// javascript: link, which validation must refuse.
func kitSet(prop string) string {
	return `{"version": 1, "property": ` + jsString(prop) + `,
	"triggers": [
		{"id": "kit-msg", "name": "Kit", "type": "advanced", "event": "widget_loaded",
			"actions": [{"type": "send_message", "message": {"shortcut": "kit"}, "agent": {"name": "Maya"}, "suggestions": ["Thanks"]}]},
		{"id": "bad-link", "name": "Bad link", "type": "advanced", "event": "widget_loaded",
			"actions": [{"type": "send_message", "message": {"shortcut": "evil"}, "agent": {"name": "Mallory"}}]}
	],
	"shortcuts": [
		{"id": "kit", "text": "Everything you need:", "attachments": [
			{"kind": "image", "url": "img/plans.png", "alt": "Our plans"},
			{"kind": "file", "url": "docs/brochure.pdf", "name": "brochure.pdf", "size": 2500000},
			{"kind": "link", "url": "https://example.com/compare?from=widget", "title": "Compare plans"},
			{"kind": "form", "submit": "Call me back", "fields": [
				{"name": "email", "label": "Email", "type": "email", "required": true},
				{"name": "name", "label": "Name"},
				{"name": "note", "label": "Note", "type": "textarea"}]}]},
		{"id": "evil", "text": "Click me", "attachments": [
			{"kind": "link", "url": "javascript:window.__pwned=1", "title": "Free stuff"}]}
	]}`
}

// An advanced send_message: a shortcut's four attachment kinds
// are rendered, the form's submit is an event with a thank-you line, and a
// javascript: link is refused by validation (the trigger is skipped and
// named in an error event).
func TestAdvanced_ShortcutAttachments(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	env.world.publish(t, tb.prop, kitSet(tb.prop))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("kit-msg")

	// Validation: bad-link is skipped and named; kit-msg runs.
	var badNamed, schemeNamed bool
	for _, e := range tb.errorEvents() {
		if e.TriggerID == "bad-link" && e.Code == "invalid_trigger" && strings.Contains(e.Message, "bad-link") {
			badNamed = true
		}
		if e.TriggerID == "kit-msg" {
			t.Errorf("error event names kit-msg, a valid trigger: %+v", e)
		}
		if strings.Contains(e.Message, "javascript:") {
			schemeNamed = true
		}
	}
	if !badNamed || !schemeNamed {
		t.Errorf("error events %+v: want one naming bad-link (code invalid_trigger) and one naming the javascript: URL", tb.errorEvents())
	}
	var load struct {
		Triggers int      `json:"triggers"`
		Skipped  []string `json:"skipped"`
	}
	tb.events("load")[0].decode(t, &load)
	if load.Triggers != 1 || !slices.Equal(load.Skipped, []string{"bad-link"}) {
		t.Errorf("load = %+v, want 1 trigger with bad-link skipped", load)
	}
	all, _ := tb.explain("kit-msg")
	if !slices.ContainsFunc(all.Skipped, func(s skippedReport) bool { return s.TriggerID == "bad-link" }) {
		t.Errorf("explain().skipped = %+v, want bad-link listed", all.Skipped)
	}
	for _, x := range all.Triggers {
		if x.TriggerID == "bad-link" {
			t.Errorf("explain() lists the skipped bad-link as a running trigger: %+v", x)
		}
	}

	// Rendering.
	var got struct {
		Text, Agent, ImageSrc, ImageAlt, FileHref, FileDownload, FileText string
		LinkHref, LinkText, LinkRel, LinkTarget, Submit, Entry            string
		Kinds, FormFields, FormTypes, Suggestions                         []string
		EmailRequired                                                     bool
		Links                                                             int
	}
	tb.eval(`(() => {
		const m = `+shadowQ(msgSel("kit-msg"))+`;
		const a = k => m.querySelector('[data-part=attachment][data-kind=' + k + ']');
		const fields = [...(a('form')?.querySelectorAll('input, textarea') ?? [])];
		return {
			Text: m.querySelector('[data-part=text]')?.textContent,
			Agent: m.querySelector('[data-part=agent-name]')?.textContent,
			Entry: m.getAttribute('data-entry-id'),
			Kinds: [...m.querySelectorAll('[data-part=attachment]')].map(e => e.getAttribute('data-kind')),
			ImageSrc: a('image')?.querySelector('img')?.src, ImageAlt: a('image')?.querySelector('img')?.alt,
			FileHref: a('file')?.querySelector('a')?.href, FileDownload: a('file')?.querySelector('a')?.getAttribute('download'),
			FileText: a('file')?.textContent,
			LinkHref: a('link')?.querySelector('a')?.href, LinkText: a('link')?.textContent,
			LinkRel: a('link')?.querySelector('a')?.rel, LinkTarget: a('link')?.querySelector('a')?.target,
			FormFields: fields.map(e => e.name), FormTypes: fields.map(e => e.type),
			EmailRequired: !!a('form')?.querySelector('input[name=email]')?.required,
			Submit: a('form')?.querySelector('button[type=submit]')?.textContent,
			Suggestions: [...m.querySelectorAll('button[data-part=suggestion]')].map(b => b.textContent),
			Links: m.querySelectorAll('a[href]').length,
		};
	})()`, &got)
	base := env.world.a.URL + "/p/" + tb.prop + "/"
	if got.Text != "Everything you need:" || got.Agent != "Maya" || !slices.Equal(got.Suggestions, []string{"Thanks"}) {
		t.Errorf("message: text %q, agent %q, suggestions %q", got.Text, got.Agent, got.Suggestions)
	}
	if want := []string{"image", "file", "link", "form"}; !slices.Equal(got.Kinds, want) {
		t.Errorf("attachments = %q, want %q", got.Kinds, want)
	}
	if got.ImageSrc != base+"img/plans.png" || got.ImageAlt != "Our plans" {
		t.Errorf("image: src %q alt %q, want %simg/plans.png and \"Our plans\"", got.ImageSrc, got.ImageAlt, base)
	}
	if got.FileHref != base+"docs/brochure.pdf" || got.FileDownload != "brochure.pdf" || !containsAll(got.FileText, "brochure.pdf", "2.5 MB") {
		t.Errorf("file: href %q download %q text %q, want a download of %sdocs/brochure.pdf named with its size", got.FileHref, got.FileDownload, got.FileText, base)
	}
	if got.LinkHref != "https://example.com/compare?from=widget" || got.LinkText != "Compare plans" || !strings.Contains(got.LinkRel, "noopener") {
		t.Errorf("link: href %q text %q rel %q", got.LinkHref, got.LinkText, got.LinkRel)
	}
	if got.Links != 2 {
		t.Errorf("%d links in the message, want 2 (the file download and the link card)", got.Links)
	}
	if !slices.Equal(got.FormFields, []string{"email", "name", "note"}) || !slices.Equal(got.FormTypes, []string{"email", "text", "textarea"}) || !got.EmailRequired || got.Submit != "Call me back" {
		t.Errorf("form: fields %q types %q email required %v submit %q", got.FormFields, got.FormTypes, got.EmailRequired, got.Submit)
	}
	entry, _ := strconv.Atoi(got.Entry)
	shown := tb.events("messageShown")
	if len(shown) != 1 {
		t.Fatalf("messageShown emitted %d times, want once", len(shown))
	}
	var se struct {
		TriggerID string `json:"triggerId"`
		EntryID   int    `json:"entryId"`
		Message   struct {
			Attachments []struct {
				Kind string `json:"kind"`
			} `json:"attachments"`
		} `json:"message"`
	}
	shown[0].decode(t, &se)
	if se.TriggerID != "kit-msg" || se.EntryID != entry || len(se.Message.Attachments) != 4 {
		t.Errorf("messageShown = %s, want kit-msg, entry %d, 4 attachments", shown[0].Data, entry)
	}

	// The form: the browser refuses an empty required email; a filled one
	// is sent.
	tb.click("[data-part=launcher]")
	form := msgSel("kit-msg") + " [data-part=attachment][data-kind=form]"
	tb.click(form + " button[type=submit]")
	tb.advance(settle)
	if n := len(tb.events("formSubmitted")); n != 0 {
		t.Fatalf("formSubmitted emitted %d times with the required email empty", n)
	}
	tb.click(form + " input[name=email]")
	tb.typeInto(form+" input[name=email]", "ada@example.com")
	tb.click(form + " input[name=name]")
	tb.typeInto(form+" input[name=name]", "Ada")
	tb.click(form + " button[type=submit]")
	tb.poll("formSubmitted or error", `__events.some(e => e.name === 'formSubmitted' || (e.name === 'error' && e.data.code === 'form'))`)
	fs := tb.events("formSubmitted")
	if len(fs) != 1 {
		t.Fatalf("formSubmitted emitted %d times, want 1; error events: %+v", len(fs), tb.errorEvents())
	}
	var sub struct {
		TriggerID string            `json:"triggerId"`
		EntryID   int               `json:"entryId"`
		Fields    map[string]string `json:"fields"`
	}
	fs[0].decode(t, &sub)
	if want := map[string]string{"email": "ada@example.com", "name": "Ada", "note": ""}; sub.TriggerID != "kit-msg" || sub.EntryID != entry || !reflect.DeepEqual(sub.Fields, want) {
		t.Errorf("formSubmitted = %s, want kit-msg, entry %d, fields %v", fs[0].Data, entry, want)
	}
	tb.poll("the thank-you line", shadowCount("[data-part=chat-message][data-kind=system]")+" === 1")
	var thanks string
	tb.eval(shadowQ("[data-part=chat-message][data-kind=system]")+".textContent", &thanks)
	if !strings.Contains(strings.ToLower(thanks), "thank") {
		t.Errorf("the line after the submit is %q, want a thank-you", thanks)
	}
	if n := tb.count(form + " form"); n != 0 {
		t.Errorf("the form is still shown after it was sent")
	}
	if a := tb.attributes(); a["email"] != "ada@example.com" || a["name"] != "Ada" {
		t.Errorf("attributes after the form = %v, want its name and email", a)
	}

	// The refused link never reached the page.
	if n := tb.count(msgSel("bad-link")); n != 0 {
		t.Errorf("the skipped bad-link trigger shows %d messages", n)
	}
	var pwned bool
	tb.eval(`window.__pwned === 1 || `+shadowQ(`a[href^="javascript:"]`)+` !== null`, &pwned)
	if pwned {
		t.Errorf("a javascript: URL reached the page")
	}
	tb.assertNoUncaught()
}

// triggerFired for an advanced trigger: its payload names the entry
// of the message the run sent, as for the other types (README: triggerFired
// → {triggerId, entryId, message}), so a host can tie the two together.
func TestAdvanced_TriggerFiredEntryID(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(advTrigger("hello", "widget_loaded", "", "", say("Hello there")))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("hello")
	var entry int
	tb.eval(shadowQ(msgSel("hello"))+".getAttribute('data-entry-id') * 1", &entry)
	fired, shown := tb.events("triggerFired"), tb.events("messageShown")
	if len(fired) != 1 || len(shown) != 1 {
		t.Fatalf("triggerFired %d times, messageShown %d times; want once each", len(fired), len(shown))
	}
	var fe, me triggerEvent
	fired[0].decode(t, &fe)
	shown[0].decode(t, &me)
	if me.EntryID != entry {
		t.Errorf("messageShown.entryId = %d, want the rendered entry %d", me.EntryID, entry)
	}
	if fe.TriggerID != "hello" || fe.Message.Text != "Hello there" || fe.EntryID != entry {
		t.Errorf("triggerFired = %s; want triggerId hello, the message, and entryId %d (the entry messageShown and the DOM name)", fired[0].Data, entry)
	}
}

// README explain(): the failing condition is named with its actual
// value; a returning visitor (a new browser session) makes it hold.
func TestAdvanced_ExplainFailingCondition(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(advTrigger("returning", "page_view", "", advCond("visitor.returning", "eq", true), say("Welcome back!")))
	home := tb.sitePage("home", page{})
	tb.navigate(home)
	tb.waitLoad()
	tb.advance(settle)
	tb.assertNotFired("returning", "on a first visit")
	all, x := tb.explain("returning")
	if all.Status != "online" || all.Chat != "none" || len(all.Skipped) != 0 {
		t.Errorf("explain() = {status %q, chat %q, skipped %+v}, want online, none, none skipped", all.Status, all.Chat, all.Skipped)
	}
	if x.Type != "advanced" || x.State != "waiting" || !strings.Contains(x.Waiting, "page_view") {
		t.Errorf("explain() = %+v, want an advanced trigger waiting for page_view", x)
	}
	if len(x.Conditions) != 1 {
		t.Fatalf("explain() conditions = %+v, want 1", x.Conditions)
	}
	c := x.Conditions[0]
	if c.Field != "visitor.returning" || c.Op != "eq" || string(c.Value) != "true" || c.Actual != "false" || c.Holds {
		t.Errorf("explain() condition = %+v (value %s), want visitor.returning eq true, actual \"false\", holds false", c, c.Value)
	}
	if !strings.Contains(x.Reason, "condition 1") || !strings.Contains(x.Reason, "visitor.returning") || !strings.Contains(x.Reason, "false") {
		t.Errorf("explain() reason = %q, want it to name condition 1 (visitor.returning) and its value", x.Reason)
	}

	// Control: a new browser session is a second visit; the visitor returns.
	tb.exec(`document.cookie.split('; ').forEach(c => { document.cookie = c.split('=')[0] + '=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/'; })`)
	tb.navigate(home)
	tb.waitLoad()
	tb.waitMessage("returning")
	if _, x := tb.explain("returning"); x.State != "fired" || len(x.Conditions) != 1 || x.Conditions[0].Actual != "true" || !x.Conditions[0].Holds {
		t.Errorf("on the second visit: explain() = %+v, want fired with visitor.returning true", x)
	}
	tb.assertNoUncaught()
}

// Maximize and set_attr actions.
func TestAdvanced_MaximizeAndSetAttr(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(advTrigger("open-up", "custom_event", "", advCond("event.name", "eq", "need_help"),
		say("Let's talk")+`,
		{"type": "set_attr", "key": "Segment", "value": "hot"},
		{"type": "set_attr", "key": "score", "value": 3},
		{"type": "maximize"}`))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	if tb.visible("[data-part=panel]") || tb.state().Maximized {
		t.Fatalf("the panel is open before the trigger ran")
	}
	tb.exec(`TriggerWidget.addEvent('need_help')`)
	tb.poll("the maximized event", `__events.some(e => e.name === 'maximized')`)
	tb.waitMessage("open-up")
	if !tb.visible("[data-part=panel]") || !tb.visible(msgSel("open-up")) {
		t.Errorf("after the maximize action: want the panel and the message visible")
	}
	max := tb.events("maximized")
	if len(max) != 1 || string(max[0].Data) != `{"maximized":true}` {
		t.Errorf("maximized events = %+v, want one {maximized: true}", max)
	}
	if s := tb.state(); !s.Maximized {
		t.Errorf("getState().maximized = false after the maximize action")
	}
	if a := tb.attributes(); a["segment"] != "hot" || a["score"] != "3" {
		t.Errorf("getState().attributes = %v, want segment hot and score 3", a)
	}
	tb.assertNoUncaught()
}

// docs/design.md: "Focus moves into the widget only when the visitor opens
// it, never on a page load." A maximize action run on widget_loaded opens
// the panel at page load; the host's focused field must keep the focus (a
// visitor typing into the host's search box must not be cut off).
func TestAdvanced_MaximizeOnLoadKeepsHostFocus(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(advTrigger("greet-open", "widget_loaded", "", "", say("Hi, we are here")+`, {"type": "maximize"}`))
	tb.navigate(tb.sitePage("home", page{Body: `<input id="search" placeholder="Search the site">
<script>document.getElementById('search').focus(); window.__hostFocus = document.activeElement.id;</script>`}))
	tb.waitLoad()
	var hostFocus string
	tb.eval("window.__hostFocus", &hostFocus)
	if hostFocus != "search" {
		t.Fatalf("the host page could not focus its own field (active: %q); the test proves nothing", hostFocus)
	}
	tb.poll("the maximized event", `__events.some(e => e.name === 'maximized')`)
	if !tb.visible("[data-part=panel]") {
		t.Errorf("the maximize action did not open the panel")
	}
	var focus struct{ Active, InShadow string }
	tb.eval(`({Active: document.activeElement?.id || document.activeElement?.tagName,
		InShadow: document.getElementById('triggerwidget-root')?.shadowRoot?.activeElement?.getAttribute('data-part') ?? ''})`, &focus)
	if focus.Active != "search" {
		t.Errorf("after the maximize action at page load the focus is on %+v, want the host's #search field to keep it", focus)
	}
	tb.assertNoUncaught()
}
