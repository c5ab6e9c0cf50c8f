package widget_test

// Advanced triggers through the public API: validation, every
// condition field as the engine reads it, events, all/any, deferred time
// conditions on the fake clock, actions, and Explain. The condition
// compiler and operators are tested from inside in condition_test.go.

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// ---- builders --------------------------------------------------------------

// cnd is a condition; value is its raw JSON ("" leaves it out).
func cnd(field, op, value string) widget.Condition {
	c := widget.Condition{Field: field, Op: op}
	if value != "" {
		c.Value = widget.RawJSON(value)
	}
	return c
}

// cndCase is a case-sensitive condition ("case": true).
func cndCase(field, op, value string) widget.Condition {
	c := cnd(field, op, value)
	c.Case = true
	return c
}

func conds(cs ...widget.Condition) []widget.Condition { return cs }

func say(text string) widget.Action {
	return widget.Action{Type: widget.ActionSendMessage, Message: &widget.Message{Text: text}, Agent: &widget.Agent{Name: "Maya"}}
}

func waitA(seconds int) widget.Action {
	return widget.Action{Type: widget.ActionWait, Seconds: seconds}
}

func addTagsA(tags ...string) widget.Action {
	return widget.Action{Type: widget.ActionAddTags, Tags: tags}
}

func removeTagsA(tags ...string) widget.Action {
	return widget.Action{Type: widget.ActionRemoveTags, Tags: tags}
}

// setAttrA sets key to value, given as raw JSON.
func setAttrA(key, value string) widget.Action {
	a := widget.Action{Type: widget.ActionSetAttr, Key: key}
	if value != "" {
		a.Value = widget.RawJSON(value)
	}
	return a
}

func maximizeA() widget.Action { return widget.Action{Type: widget.ActionMaximize} }

// emitA emits name with data given as raw JSON.
func emitA(name, data string) widget.Action {
	a := widget.Action{Type: widget.ActionEmit, Name: name}
	if data != "" {
		a.Data = widget.RawJSON(data)
	}
	return a
}

// advT is a valid advanced trigger: on event, when cs hold, it runs
// actions, by default one message.
func advT(id, event string, cs []widget.Condition, actions ...widget.Action) widget.Trigger {
	if len(actions) == 0 {
		actions = []widget.Action{say("Hello from " + id)}
	}
	return widget.Trigger{ID: id, Name: "Advanced " + id, Type: widget.TypeAdvanced, Event: event, Conditions: cs, Actions: actions}
}

// newAdvRig is newRig with Options (Env, Zone) for the engine.
func newAdvRig(t *testing.T, o widget.Options, triggers ...widget.Trigger) *rig {
	t.Helper()
	return newAdvRigSet(t, o, setOf(triggers...))
}

func newAdvRigSet(t *testing.T, o widget.Options, s *widget.Set) *rig {
	t.Helper()
	r := &rig{t: t, clock: widget.NewManualClock(t0), store: widget.NewMemoryStorage(), set: compileOK(t, s), rec: &recorder{}}
	o.Clock, o.Storage, o.Sink = r.clock, r.store, r.rec.sink
	r.eng = widget.New(r.set, o)
	return r
}

// shown lists the texts of the trigger messages shown (EffectShow).
func (r *rig) shown() []string {
	var texts []string
	for _, ef := range r.rec.of(widget.EffectShow) {
		if ef.Entry.Kind == widget.EntryTrigger {
			texts = append(texts, ef.Entry.Text)
		}
	}
	return texts
}

func (r *rig) wantShown(texts ...string) {
	r.t.Helper()
	if got := r.shown(); !reflect.DeepEqual(got, texts) && !(len(got) == 0 && len(texts) == 0) {
		r.t.Errorf("at %v: shown %q, want %q", r.clock.Now().Sub(t0), got, texts)
	}
}

func (r *rig) wantPending(n int) {
	r.t.Helper()
	if got := r.clock.Pending(); got != n {
		r.t.Errorf("at %v: %d timers pending, want %d", r.clock.Now().Sub(t0), got, n)
	}
}

func (r *rig) event(name string) {
	r.t.Helper()
	if err := r.eng.CustomEvent(name); err != nil {
		r.t.Fatalf("CustomEvent(%q): %v", name, err)
	}
}

func (r *rig) explain(id string) widget.Explanation {
	r.t.Helper()
	for _, x := range r.eng.Explain().Triggers {
		if x.TriggerID == id {
			return x
		}
	}
	r.t.Fatalf("Explain has no trigger %q", id)
	return widget.Explanation{}
}

// ---- 1. validation ---------------------------------------------------------

// TestAdvanced_ValidateRefuses: every broken part of an advanced trigger is
// a problem naming the trigger and the field, and only that trigger is
// skipped.
func TestAdvanced_ValidateRefuses(t *testing.T) {
	t.Parallel()
	onView := func(cs ...widget.Condition) widget.Trigger { return advT("t", widget.EventPageView, cs) }
	doing := func(as ...widget.Action) widget.Trigger { return advT("t", widget.EventPageView, nil, as...) }
	eleven := make([]widget.Condition, widget.MaxConditions+1)
	for i := range eleven {
		eleven[i] = cnd("visit.page_views", "gte", "1")
	}
	sendWith := func(f func(*widget.Action)) widget.Action {
		a := say("hi")
		f(&a)
		return a
	}
	cases := []struct {
		name    string
		trigger widget.Trigger
		field   string
	}{
		// Conditions: fields.
		{"unknown field", onView(cnd("page.colour", "eq", `"red"`)), "conditions[0].field"},
		{"missing field", onView(cnd("", "eq", `"red"`)), "conditions[0].field"},
		{"page.query. without a name", onView(cnd("page.query.", "eq", `"x"`)), "conditions[0].field"},
		{"visitor.attr. without a key", onView(cnd("visitor.attr.", "eq", `"x"`)), "conditions[0].field"},
		{"field in upper case", onView(cnd("PAGE.PATH", "eq", `"/"`)), "conditions[0].field"},
		// Conditions: operators.
		{"missing op", onView(cnd("page.path", "", `"/x"`)), "conditions[0].op"},
		{"unknown op", onView(cnd("page.path", "like", `"/x"`)), "conditions[0].op"},
		{"number op on a text field", onView(cnd("page.path", "eq", `"/"`), cnd("page.title", "lt", "3")), "conditions[1].op"},
		{"text op on a number field", onView(cnd("visit.page_views", "contains", "1")), "conditions[0].op"},
		{"regex on a number field", onView(cnd("time.hour", "regex", `"9"`)), "conditions[0].op"},
		{"gt on a true/false field", onView(cnd("visitor.returning", "gt", "0")), "conditions[0].op"},
		{"in on a true/false field", onView(cnd("widget.maximized", "in", "[true]")), "conditions[0].op"},
		{"eq on the tag list", onView(cnd("visitor.tags", "eq", `"vip"`)), "conditions[0].op"},
		{"starts_with on the tag list", onView(cnd("visitor.tags", "starts_with", `"v"`)), "conditions[0].op"},
		// Conditions: values.
		{"text for a number field", onView(cnd("visit.time_on_page", "gte", `"30"`)), "conditions[0].value"},
		{"number for a text field", onView(cnd("page.title", "eq", "3")), "conditions[0].value"},
		{"text for a true/false field", onView(cnd("visitor.returning", "eq", `"true"`)), "conditions[0].value"},
		{"number for a true/false field", onView(cnd("widget.maximized", "eq", "1")), "conditions[0].value"},
		{"number for the tag list", onView(cnd("visitor.tags", "contains", "1")), "conditions[0].value"},
		{"list for eq", onView(cnd("page.path", "eq", `["/a"]`)), "conditions[0].value"},
		{"object value", onView(cnd("page.path", "eq", `{"a":1}`)), "conditions[0].value"},
		{"missing value", onView(cnd("page.path", "eq", "")), "conditions[0].value"},
		{"null value", onView(cnd("visit.page_views", "gt", "null")), "conditions[0].value"},
		{"value not JSON", onView(cnd("page.path", "eq", "{")), "conditions[0].value"},
		{"in with an empty list", onView(cnd("browser", "in", "[]")), "conditions[0].value"},
		{"not_in with an empty list", onView(cnd("visit.page_views", "not_in", "[]")), "conditions[0].value"},
		{"in with a text, not a list", onView(cnd("browser", "in", `"chrome"`)), "conditions[0].value"},
		{"in with numbers on a text field", onView(cnd("browser", "in", "[1, 2]")), "conditions[0].value"},
		{"in with texts on a number field", onView(cnd("visit.page_views", "in", `["1"]`)), "conditions[0].value"},
		{"not_in with a mixed list", onView(cnd("visit.page_views", "not_in", `[1, "2"]`)), "conditions[0].value"},
		{"in with numbers on the tag list", onView(cnd("visitor.tags", "in", "[1]")), "conditions[0].value"},
		{"exists with a value", onView(cnd("visitor.email", "exists", `"x"`)), "conditions[0].value"},
		{"not_exists with a value", onView(cnd("visitor.attr.plan", "not_exists", "true")), "conditions[0].value"},
		{"bad regex", onView(cnd("page.path", "regex", `"/(unclosed"`)), "conditions[0].value"},
		{"bad regex, case-sensitive", onView(cndCase("page.title", "regex", `"[z-a]"`)), "conditions[0].value"},
		// A pattern that is not a regex on its own must not be accepted
		// because it happens to compile inside the engine's ^(?:…)$.
		{"regex that closes the anchoring group", onView(cnd("page.path", "regex", `"/a)|(.*"`)), "conditions[0].value"},
		{"unknown weekday name", onView(cnd("time.weekday", "eq", `"funday"`)), "conditions[0].value"},
		{"weekday name for time.hour", onView(cnd("time.hour", "eq", `"monday"`)), "conditions[0].value"},
		{"weekday list with an unknown name", onView(cnd("time.weekday", "in", `["sat", "caturday"]`)), "conditions[0].value"},
		{"bad third condition", onView(cnd("page.path", "eq", `"/"`), cnd("browser", "eq", `"x"`), cnd("os", "gt", "1")), "conditions[2].op"},
		{"11 conditions", onView(eleven...), "conditions"},
		// Trigger fields.
		{"match neither all nor any", with(onView(), func(t *widget.Trigger) { t.Match = "most" }), "match"},
		{"missing event", advT("t", "", nil), "event"},
		{"unknown event", advT("t", "page_load", nil), "event"},
		{"event in upper case", advT("t", "PAGE_VIEW", nil), "event"},
		{"delay", with(onView(), func(t *widget.Trigger) { t.Delay = 5 }), "delay"},
		{"top-level message", with(onView(), func(t *widget.Trigger) { t.Message = &widget.Message{Text: "Hi"} }), "message"},
		{"top-level suggestions", with(onView(), func(t *widget.Trigger) { t.Suggestions = []string{"Yes"} }), "suggestions"},
		{"top-level url", with(onView(), func(t *widget.Trigger) { t.URL = &widget.URLRule{Match: "exact", Value: "/"} }), "url"},
		// Actions.
		{"no actions", with(onView(), func(t *widget.Trigger) { t.Actions = nil }), "actions"},
		{"six actions", doing(say("1"), say("2"), say("3"), say("4"), say("5"), say("6")), "actions"},
		{"action without a type", doing(say("1"), widget.Action{}), "actions[1].type"},
		{"unknown action type", doing(widget.Action{Type: "send_email"}), "actions[0].type"},
		{"send_message without agent", doing(sendWith(func(a *widget.Action) { a.Agent = nil })), "actions[0].agent"},
		{"send_message with a blank agent name", doing(sendWith(func(a *widget.Action) { a.Agent = &widget.Agent{Name: " "} })), "actions[0].agent.name"},
		{"send_message with a javascript: agent image", doing(sendWith(func(a *widget.Action) { a.Agent.Image = "javascript:alert(1)" })), "actions[0].agent.image"},
		{"send_message without message", doing(sendWith(func(a *widget.Action) { a.Message = nil })), "actions[0].message"},
		{"send_message with empty text", doing(sendWith(func(a *widget.Action) { a.Message = &widget.Message{} })), "actions[0].message.text"},
		{"send_message with text and shortcut", doing(sendWith(func(a *widget.Action) { a.Message.Shortcut = "price-list" })), "actions[0].message"},
		{"send_message with an unknown shortcut", doing(sendWith(func(a *widget.Action) { a.Message = &widget.Message{Shortcut: "nope"} })), "actions[0].message.shortcut"},
		{"send_message with five suggestions", doing(sendWith(func(a *widget.Action) { a.Suggestions = []string{"a", "b", "c", "d", "e"} })), "actions[0].suggestions"},
		{"send_message with a suggestion of 61 characters", doing(sendWith(func(a *widget.Action) { a.Suggestions = []string{strings.Repeat("s", 61)} })), "actions[0].suggestions[0]"},
		{"wait 0", doing(say("1"), waitA(0), say("2")), "actions[1].seconds"},
		{"wait 3601", doing(say("1"), waitA(3601), say("2")), "actions[1].seconds"},
		{"wait negative", doing(waitA(-5), say("2")), "actions[0].seconds"},
		{"add_tags without tags", doing(addTagsA()), "actions[0].tags"},
		{"add_tags with a blank tag", doing(addTagsA("ok", "  ")), "actions[0].tags[1]"},
		{"add_tags with a tag of 51 characters", doing(addTagsA(strings.Repeat("t", 51))), "actions[0].tags[0]"},
		{"remove_tags without tags", doing(removeTagsA()), "actions[0].tags"},
		{"set_attr without key", doing(setAttrA("", `"pro"`)), "actions[0].key"},
		{"set_attr with a blank key", doing(setAttrA("  ", `"pro"`)), "actions[0].key"},
		{"set_attr with an object value", doing(setAttrA("plan", `{"name":"pro"}`)), "actions[0].value"},
		{"set_attr with a list value", doing(setAttrA("plan", `["pro"]`)), "actions[0].value"},
		{"set_attr without a value", doing(setAttrA("plan", "")), "actions[0].value"},
		{"set_attr with a text of 501 characters", doing(setAttrA("plan", `"`+strings.Repeat("v", 501)+`"`)), "actions[0].value"},
		{"emit without name", doing(emitA("", `{}`)), "actions[0].name"},
		{"emit with a blank name", doing(emitA("   ", `{}`)), "actions[0].name"},
		{"emit with 4097 bytes of data", doing(emitA("lead", `"`+strings.Repeat("d", widget.MaxEmitDataBytes-1)+`"`)), "actions[0].data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := withCompanion(tc.trigger)
			ve := asValidation(t, widget.Validate(s))
			if !hasProblem(ve.Problems, "t", tc.field) {
				t.Errorf("problems %v do not name trigger %q field %q", ve.Problems, "t", tc.field)
			}
			for _, p := range ve.Problems {
				if p.TriggerID != "t" || p.Field == "" || p.Problem == "" {
					t.Errorf("problem %+v: want trigger %q, a field and a message", p, "t")
				}
			}
			c := widget.Compile(s)
			if got := triggerIDs(c); !reflect.DeepEqual(got, []string{"companion"}) {
				t.Errorf("compiled %q, want only the companion", got)
			}
		})
	}
}

// TestAdvanced_ValidateAccepts: every condition field with a fitting
// operator and value, every event, and the limits themselves are valid.
func TestAdvanced_ValidateAccepts(t *testing.T) {
	t.Parallel()
	onView := func(cs ...widget.Condition) widget.Trigger { return advT("t", widget.EventPageView, cs) }
	doing := func(as ...widget.Action) widget.Trigger { return advT("t", widget.EventPageView, nil, as...) }
	ten := make([]widget.Condition, widget.MaxConditions)
	for i := range ten {
		ten[i] = cnd("visit.page_views", "gte", "1")
	}
	fields := []widget.Condition{
		cnd("page.url", "contains", `"pricing"`),
		cnd("page.path", "starts_with", `"/pricing"`),
		cnd("page.title", "regex", `".*plans.*"`),
		cnd("page.referrer", "wildcard", `"https://*.google.*"`),
		cnd("page.query.utm_source", "eq", `"newsletter"`),
		cnd("visit.time_on_site", "gte", "60"),
		cnd("visit.time_on_page", "gt", "30"),
		cnd("visit.page_views", "lte", "3"),
		cnd("visitor.visits", "lt", "5"),
		cnd("visitor.returning", "eq", "true"),
		cnd("visitor.name", "exists", ""),
		cnd("visitor.email", "ends_with", `"@example.com"`),
		cnd("visitor.tags", "contains", `"vip"`),
		cnd("visitor.attr.plan", "in", `["pro", "team"]`),
		cnd("visitor.language", "starts_with", `"fr"`),
		cnd("device.type", "eq", `"mobile"`),
		cnd("browser", "not_in", `["safari", "edge"]`),
		cnd("os", "neq", `"ios"`),
		cnd("time.hour", "gte", "9"),
		cnd("time.weekday", "lte", "5"),
		cnd("widget.status", "eq", `"online"`),
		cnd("widget.maximized", "eq", "false"),
		cnd("chat.state", "in", `["none", "ended"]`),
		cnd("event.name", "eq", `"added_to_cart"`),
	}
	type acceptCase struct {
		name    string
		trigger widget.Trigger
	}
	cases := []acceptCase{
		{"no conditions", onView()},
		{"ten conditions", onView(ten...)},
		{"match all", with(onView(fields[0]), func(t *widget.Trigger) { t.Match = "all" })},
		{"match any", with(onView(fields[0]), func(t *widget.Trigger) { t.Match = "any" })},
		{"exists with null", onView(cnd("visitor.email", "exists", "null"))},
		{"not_exists", onView(cnd("page.referrer", "not_exists", ""))},
		{"case-sensitive text", onView(cndCase("page.title", "eq", `"Plans"`))},
		{"not_contains", onView(cnd("page.url", "not_contains", `"admin"`))},
		{"tags in", onView(cnd("visitor.tags", "in", `["a", "b"]`))},
		{"tags not_in", onView(cnd("visitor.tags", "not_in", `["a"]`))},
		{"tags not_contains", onView(cnd("visitor.tags", "not_contains", `"a"`))},
		{"tags exists", onView(cnd("visitor.tags", "exists", ""))},
		{"attr key with dots", onView(cnd("visitor.attr.cart.total", "eq", `"3"`))},
		{"fractional number", onView(cnd("visit.time_on_page", "gte", "2.5"))},
		{"five actions", doing(say("1"), waitA(1), say("2"), waitA(3600), addTagsA("x"))},
		{"every action type", doing(say("1"), removeTagsA("x"), setAttrA("plan", `"pro"`), maximizeA(), emitA("lead", `{"a":[1,2]}`))},
		{"set_attr with a number", doing(setAttrA("n", "3"))},
		{"set_attr with true", doing(setAttrA("b", "true"))},
		{"emit without data", doing(emitA("lead", ""))},
		{"emit with 4096 bytes of data", doing(emitA("lead", `"`+strings.Repeat("d", widget.MaxEmitDataBytes-2)+`"`))},
		{"send_message with a shortcut", doing(widget.Action{Type: widget.ActionSendMessage, Message: &widget.Message{Shortcut: "price-list"}, Agent: &widget.Agent{Name: "Maya", Image: "avatar:robot"}, Suggestions: []string{"a", "b", "c", "d"}})},
	}
	for i, c := range fields {
		cases = append(cases, acceptCase{"field " + c.Field + " " + c.Op, onView(fields[i])})
	}
	for _, day := range []string{"1", "2", "3", "4", "5", "6", "7", `"monday"`, `"Tuesday"`, `"wed"`, `"thu"`, `"friday"`, `"sat"`, `"SUNDAY"`, `["sat", "sun"]`, `[6, "sunday"]`} {
		op := "eq"
		if strings.HasPrefix(day, "[") {
			op = "in"
		}
		cases = append(cases, acceptCase{"time.weekday " + op + " " + day, onView(cnd("time.weekday", op, day))})
	}
	for _, ev := range []string{widget.EventPageView, widget.EventWidgetLoaded, widget.EventChatRequested, widget.EventVisitorMessage, widget.EventWidgetMaximized, widget.EventCustom} {
		cases = append(cases, acceptCase{"event " + ev, advT("t", ev, nil)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := setOf(tc.trigger)
			s.Shortcuts = []widget.Shortcut{priceList}
			if err := widget.Validate(s); err != nil {
				t.Errorf("Validate: %v, want no problem", err)
			}
		})
	}
}

// ---- 2. fields -------------------------------------------------------------

// advEnv is the browser of the prepared visit.
var advEnv = widget.Env{Language: "fr-FR", DeviceType: "mobile", Browser: "safari", OS: "ios"}

// prepareVisit is the visit the field table reads, in the zone UTC+2
// (t0 = Monday 09:00 UTC = 11:00 local): a home page at 0 s, the tents page
// at 10 s, attributes and tags set, and the probe at 25 s.
func prepareVisit(r *rig) {
	r.t.Helper()
	r.eng.PageView(widget.Page{URL: "https://x.test/", Title: "Home"})
	r.at(10 * s1)
	r.eng.PageView(widget.Page{
		URL:      "https://x.test/Shop/Tents/?utm_source=News%20Letter&q=red+tent&plus=a%2Bb&bad=%zz&dup=1&dup=2#reviews",
		Title:    "Alpine Tents",
		Referrer: "https://search.test/?q=tents",
	})
	if err := r.eng.SetAttributes(map[string]string{"Name": "Ann Lee", "email": "Ann@Example.test", "Plan": "Pro"}); err != nil {
		r.t.Fatal(err)
	}
	if err := r.eng.AddTags([]string{"VIP", "newsletter"}); err != nil {
		r.t.Fatal(err)
	}
	r.at(25 * s1)
}

// probe reports whether an advanced trigger on custom_event with the single
// condition c fires when the event "probe" happens after prep.
func probe(t *testing.T, o widget.Options, prep func(*rig), c widget.Condition) bool {
	t.Helper()
	r := newAdvRig(t, o, advT("probe", widget.EventCustom, conds(c)))
	if prep != nil {
		prep(r)
	}
	before := len(r.rec.fired())
	r.event("probe")
	return len(r.rec.fired()) > before
}

// TestAdvanced_FieldsRead: the engine reads every condition field of a
// prepared visit, and a condition on it holds or not accordingly.
func TestAdvanced_FieldsRead(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    widget.Condition
		want bool
	}{
		{"page.url is the URL as given", cnd("page.url", "eq", `"https://x.test/Shop/Tents/?utm_source=News%20Letter&q=red+tent&plus=a%2Bb&bad=%zz&dup=1&dup=2#reviews"`), true},
		{"page.url contains the query", cnd("page.url", "contains", `"utm_source=news%20letter"`), true},
		{"page.url is not the previous page", cnd("page.url", "eq", `"https://x.test/"`), false},
		{"page.path without trailing slash", cnd("page.path", "eq", `"/shop/tents"`), true},
		{"page.path keeps its case", cndCase("page.path", "eq", `"/Shop/Tents"`), true},
		{"page.path has no query", cnd("page.path", "contains", `"utm"`), false},
		{"page.title", cnd("page.title", "eq", `"alpine tents"`), true},
		{"page.title is the current page's", cnd("page.title", "eq", `"home"`), false},
		{"page.referrer", cnd("page.referrer", "starts_with", `"https://search.test/"`), true},
		{"page.query with %20", cnd("page.query.utm_source", "eq", `"News Letter"`), true},
		{"page.query with +", cnd("page.query.q", "eq", `"red tent"`), true},
		{"page.query with %2B", cnd("page.query.plus", "eq", `"a+b"`), true},
		{"page.query keeps a bad escape", cnd("page.query.bad", "eq", `"%zz"`), true},
		{"page.query first of duplicates", cnd("page.query.dup", "eq", `"1"`), true},
		{"page.query not in the fragment", cnd("page.query.reviews", "exists", ""), false},
		{"page.query missing", cnd("page.query.gclid", "not_exists", ""), true},
		{"visit.time_on_site from the first page", cnd("visit.time_on_site", "eq", "25"), true},
		{"visit.time_on_page from this page", cnd("visit.time_on_page", "eq", "15"), true},
		{"visit.page_views", cnd("visit.page_views", "eq", "2"), true},
		{"visitor.visits", cnd("visitor.visits", "eq", "1"), true},
		{"visitor.returning on a first visit", cnd("visitor.returning", "eq", "false"), true},
		{"visitor.name from the attribute name", cnd("visitor.name", "eq", `"ann lee"`), true},
		{"visitor.email from the attribute email", cnd("visitor.email", "eq", `"ann@example.test"`), true},
		{"visitor.email case-sensitive", cndCase("visitor.email", "eq", `"ann@example.test"`), false},
		{"visitor.tags", cnd("visitor.tags", "contains", `"vip"`), true},
		{"visitor.tags other tag", cnd("visitor.tags", "contains", `"newsletter"`), true},
		{"visitor.tags absent tag", cnd("visitor.tags", "contains", `"buyer"`), false},
		{"visitor.attr", cnd("visitor.attr.plan", "eq", `"pro"`), true},
		{"visitor.attr key is case-insensitive", cnd("visitor.attr.PLAN", "eq", `"pro"`), true},
		{"visitor.attr value case-sensitive", cndCase("visitor.attr.Plan", "eq", `"Pro"`), true},
		{"visitor.attr unset", cnd("visitor.attr.company", "exists", ""), false},
		{"visitor.language", cnd("visitor.language", "eq", `"fr-fr"`), true},
		{"visitor.language prefix", cnd("visitor.language", "starts_with", `"fr"`), true},
		{"device.type", cnd("device.type", "eq", `"mobile"`), true},
		{"device.type is not desktop", cnd("device.type", "eq", `"desktop"`), false},
		{"browser", cnd("browser", "eq", `"safari"`), true},
		{"os", cnd("os", "eq", `"ios"`), true},
		{"time.hour in the set's zone", cnd("time.hour", "eq", "11"), true},
		{"time.hour is not UTC's", cnd("time.hour", "eq", "9"), false},
		{"time.weekday number", cnd("time.weekday", "eq", "1"), true},
		{"time.weekday name", cnd("time.weekday", "eq", `"monday"`), true},
		{"time.weekday short name", cnd("time.weekday", "eq", `"mon"`), true},
		{"time.weekday other day", cnd("time.weekday", "eq", `"tue"`), false},
		{"widget.status", cnd("widget.status", "eq", `"online"`), true},
		{"widget.maximized", cnd("widget.maximized", "eq", "false"), true},
		{"chat.state", cnd("chat.state", "eq", `"none"`), true},
		{"event.name", cnd("event.name", "eq", `"probe"`), true},
		{"event.name other", cnd("event.name", "eq", `"cart"`), false},
	}
	o := widget.Options{Env: advEnv, Zone: widget.FixedZone(2 * time.Hour)}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := probe(t, o, prepareVisit, tc.c); got != tc.want {
				t.Errorf("%s %s %s: holds = %v, want %v", tc.c.Field, tc.c.Op, tc.c.Value, got, tc.want)
			}
		})
	}
}

// TestAdvanced_FieldReturningVisitor: a new browser session is a new visit:
// visitor.visits counts it and visitor.returning becomes true.
func TestAdvanced_FieldReturningVisitor(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("first", widget.EventPageView, conds(cnd("visitor.visits", "eq", "1"), cnd("visitor.returning", "eq", "false"))),
		advT("returning", widget.EventPageView, conds(cnd("visitor.visits", "eq", "2"), cnd("visitor.returning", "eq", "true"))),
	)
	r.view("/")
	r.wantFired("first")
	r.at(min1)
	r2 := r.reload(true)
	r2.view("/")
	r2.wantFired("returning")
}

// TestAdvanced_FieldNameEmailFromForm: a shortcut form's name and email
// fields become visitor.name and visitor.email.
func TestAdvanced_FieldNameEmailFromForm(t *testing.T) {
	t.Parallel()
	form := widget.Shortcut{ID: "leave-details", Text: "Leave your details", Attachments: []widget.Attachment{{
		Kind: widget.AttachForm, Submit: "Send",
		Fields: []widget.FormField{{Name: "name", Label: "Name"}, {Name: "email", Label: "Email", Type: "email", Required: true}},
	}}}
	ask := advT("ask", widget.EventPageView, nil, widget.Action{Type: widget.ActionSendMessage, Message: &widget.Message{Shortcut: "leave-details"}, Agent: &widget.Agent{Name: "Maya"}})
	known := advT("known", widget.EventCustom, conds(cnd("visitor.name", "eq", `"bob stone"`), cnd("visitor.email", "ends_with", `"@shop.test"`)))
	s := setOf(ask, known)
	s.Shortcuts = []widget.Shortcut{form}
	r := newAdvRigSet(t, widget.Options{}, s)
	r.view("/")
	r.event("probe")
	r.wantFired("ask")
	shows := r.rec.of(widget.EffectShow)
	if len(shows) != 1 || len(shows[0].Entry.Attachments) != 1 || shows[0].Entry.Attachments[0].Kind != widget.AttachForm {
		t.Fatalf("ask showed %+v, want one message with the form", shows)
	}
	if _, err := r.eng.SubmitForm(shows[0].Entry.ID, map[string]string{"name": " Bob Stone ", "email": "Bob@Shop.test"}); err != nil {
		t.Fatalf("SubmitForm: %v", err)
	}
	r.event("probe")
	r.wantFired("ask", "known")
	if got := r.eng.Snapshot().Attrs; got["name"] != "Bob Stone" || got["email"] != "Bob@Shop.test" {
		t.Errorf("attributes %v, want name and email from the form", got)
	}
}

// TestAdvanced_FieldTimeInZone: time.hour and time.weekday are read in the
// set's time zone, with ISO weekdays (1 = Monday … 7 = Sunday).
func TestAdvanced_FieldTimeInZone(t *testing.T) {
	t.Parallel()
	// t0 is Monday 2025-03-03 09:00 UTC; each zone offset moves local time.
	cases := []struct {
		name    string
		zone    time.Duration
		hour    string
		weekday string
		dayName string
	}{
		{"UTC", 0, "9", "1", `"monday"`},
		{"UTC+5:30", 5*time.Hour + 30*time.Minute, "14", "1", `"mon"`},
		{"UTC-10 is still Sunday", -10 * time.Hour, "23", "7", `"sunday"`},
		{"Sunday 23:59:59", -9*time.Hour - s1, "23", "7", `"sun"`},
		{"Monday 00:00:00", -9 * time.Hour, "0", "1", `"Monday"`},
		{"UTC+15 is already Tuesday", 15 * time.Hour, "0", "2", `"tuesday"`},
		{"Saturday afternoon", -43 * time.Hour, "14", "6", `"sat"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := widget.Options{Zone: widget.FixedZone(tc.zone)}
			prep := func(r *rig) { r.view("/") }
			for _, c := range []widget.Condition{
				cnd("time.hour", "eq", tc.hour),
				cnd("time.weekday", "eq", tc.weekday),
				cnd("time.weekday", "eq", tc.dayName),
				cnd("time.weekday", "in", "["+tc.weekday+"]"),
			} {
				if !probe(t, o, prep, c) {
					t.Errorf("%s %s %s does not hold", c.Field, c.Op, c.Value)
				}
			}
			for _, c := range []widget.Condition{
				cnd("time.weekday", "neq", tc.weekday),
				cnd("time.hour", "neq", tc.hour),
			} {
				if probe(t, o, prep, c) {
					t.Errorf("%s %s %s holds", c.Field, c.Op, c.Value)
				}
			}
		})
	}
}

// TestAdvanced_FieldWidgetAndChatState: widget.maximized, widget.status and
// chat.state (none → requesting → served → ended) as the visit goes on.
func TestAdvanced_FieldWidgetAndChatState(t *testing.T) {
	t.Parallel()
	on := func(id, field, value string) widget.Trigger {
		return advT(id, widget.EventCustom, conds(cnd(field, "eq", value)))
	}
	r := newRig(t,
		on("none", "chat.state", `"none"`),
		on("requesting", "chat.state", `"requesting"`),
		on("served", "chat.state", `"served"`),
		on("ended", "chat.state", `"ended"`),
		on("open", "widget.maximized", "true"),
		on("online", "widget.status", `"online"`),
	)
	r.view("/")
	steps := []struct {
		name string
		do   func()
		want string
	}{
		{"no chat yet", func() {}, "none"},
		{"visitor's first message", func() { mustSay(t, r.eng, "hello") }, "requesting"},
		{"agent answers", func() {
			if err := r.eng.AgentMessage("Ann", "Hi!"); err != nil {
				t.Fatal(err)
			}
		}, "served"},
		{"chat ends", r.eng.ChatEnded, "ended"},
		{"widget opened", func() { r.eng.SetMaximized(true) }, "open"},
	}
	for _, st := range steps {
		before := len(r.rec.fired())
		st.do()
		r.event("probe")
		got := r.rec.fired()[before:]
		want := []string{st.want}
		if st.want == "none" {
			want = []string{"none", "online"}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fired %q, want %q", st.name, got, want)
		}
	}
	// widget.status while away: no trigger fires then, so read it through
	// Explain's condition results.
	r2 := newRig(t, advT("away", widget.EventCustom, conds(cnd("widget.status", "eq", `"away"`))))
	r2.view("/")
	mustStatus(t, r2.eng, widget.StatusAway)
	x := r2.explain("away")
	if len(x.Conditions) != 1 || !x.Conditions[0].Holds || x.Conditions[0].Actual != `"away"` {
		t.Errorf("widget.status while away: %+v, want it to hold with actual \"away\"", x.Conditions)
	}
}

// TestAdvanced_FieldEventName: event.name is the custom event's name,
// compared case-insensitively unless "case": true; it is absent for other
// events.
func TestAdvanced_FieldEventName(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("cart", widget.EventCustom, conds(cnd("event.name", "eq", `"Added_To_Cart"`))),
		advT("exact", widget.EventCustom, conds(cndCase("event.name", "eq", `"Added_To_Cart"`))),
		advT("prefix", widget.EventCustom, conds(cnd("event.name", "starts_with", `"checkout"`))),
		advT("no-name", widget.EventPageView, conds(cnd("event.name", "not_exists", ""))),
	)
	r.view("/")
	r.wantFired("no-name")
	r.event("search")
	r.wantFired("no-name")
	r.event("added_to_cart")
	r.wantFired("no-name", "cart")
	r.event("Added_To_Cart")
	r.wantFired("no-name", "cart", "exact")
	r.event("Checkout-Step-2")
	r.wantFired("no-name", "cart", "exact", "prefix")
}

// ---- 4. events -------------------------------------------------------------

// TestAdvanced_EventsReachOnlyTheirTriggers: each engine event is offered
// only to the advanced triggers waiting for it.
func TestAdvanced_EventsReachOnlyTheirTriggers(t *testing.T) {
	t.Parallel()
	events := []string{widget.EventPageView, widget.EventWidgetLoaded, widget.EventChatRequested, widget.EventVisitorMessage, widget.EventWidgetMaximized, widget.EventCustom}
	var triggers []widget.Trigger
	for _, ev := range events {
		// The tag "go" is added after the preparation, so that only the
		// step under test can fire them.
		triggers = append(triggers, advT(ev, ev, conds(cnd("visitor.tags", "contains", `"go"`))))
	}
	view := func(path string) func(*rig) *rig { return func(r *rig) *rig { r.view(path); return r } }
	steps := func(fs ...func(*rig) *rig) func(*rig) *rig {
		return func(r *rig) *rig {
			for _, f := range fs {
				r = f(r)
			}
			return r
		}
	}
	message := func(text string) func(*rig) *rig {
		return func(r *rig) *rig { mustSay(r.t, r.eng, text); return r }
	}
	maximize := func(open bool) func(*rig) *rig {
		return func(r *rig) *rig { r.eng.SetMaximized(open); return r }
	}
	cases := []struct {
		name string
		prep func(*rig) *rig
		act  func(*rig) *rig
		want []string
	}{
		{"first page view (the first load)", nil, view("/"), []string{"page_view", "widget_loaded"}},
		{"single-page-app page view", view("/"), view("/b"), []string{"page_view"}},
		{"page load of a new engine", steps(view("/"), func(r *rig) *rig { r.at(s1); return r.reload(false) }), view("/b"), []string{"page_view", "widget_loaded"}},
		{"visitor's first message", view("/"), message("hi"), []string{"chat_requested", "visitor_message"}},
		{"second message of the chat", steps(view("/"), message("hi")), message("again"), []string{"visitor_message"}},
		{"message while an agent serves", steps(view("/"), message("hi"), func(r *rig) *rig { _ = r.eng.AgentMessage("Ann", "Hello"); return r }), message("thanks"), []string{"visitor_message"}},
		{"first message of a new chat", steps(view("/"), message("hi"), func(r *rig) *rig { r.eng.ChatEnded(); return r }), message("me again"), []string{"chat_requested", "visitor_message"}},
		{"suggestion clicked", func(r *rig) *rig { r.view("/"); return r }, func(r *rig) *rig {
			for _, en := range r.eng.Transcript() {
				if len(en.Suggestions) > 0 {
					if _, err := r.eng.UseSuggestion(en.ID, 0); err != nil {
						r.t.Fatal(err)
					}
				}
			}
			return r
		}, []string{"chat_requested", "visitor_message"}},
		{"widget maximized", view("/"), maximize(true), []string{"widget_maximized"}},
		{"widget maximized again while open", steps(view("/"), maximize(true)), maximize(true), nil},
		{"widget minimized", steps(view("/"), maximize(true)), maximize(false), nil},
		{"custom event", view("/"), func(r *rig) *rig { r.event("cart"); return r }, []string{"custom_event"}},
		{"agent message", view("/"), func(r *rig) *rig { _ = r.eng.AgentMessage("Ann", "Hello"); return r }, nil},
		{"agent joined", view("/"), func(r *rig) *rig { r.eng.AgentJoined("Ann"); return r }, nil},
		{"status change", view("/"), func(r *rig) *rig {
			mustStatus(r.t, r.eng, widget.StatusAway)
			mustStatus(r.t, r.eng, widget.StatusOnline)
			return r
		}, nil},
		{"attributes set", view("/"), func(r *rig) *rig { _ = r.eng.SetAttributes(map[string]string{"a": "b"}); return r }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := append([]widget.Trigger(nil), triggers...)
			// A site trigger with suggestions, for the suggestion case.
			ts = append(ts, with(siteT("hello", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes"} }))
			r := newRig(t, ts...)
			if tc.prep != nil {
				r = tc.prep(r)
			}
			if err := r.eng.AddTags([]string{"go"}); err != nil {
				t.Fatal(err)
			}
			before := len(r.rec.fired())
			r = tc.act(r)
			var got []string
			for _, id := range r.rec.fired()[before:] {
				if id != "hello" {
					got = append(got, id)
				}
			}
			if !reflect.DeepEqual(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("fired %q, want %q", got, tc.want)
			}
		})
	}
}

// TestAdvanced_WidgetLoadedOncePerEngine: widget_loaded happens with the
// first page view of each page load, never on single-page-app navigation.
func TestAdvanced_WidgetLoadedOncePerEngine(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("loaded-on-3rd-view", widget.EventWidgetLoaded, conds(cnd("visit.page_views", "gte", "3"))))
	r.view("/")
	r.view("/b")
	r.view("/c") // SPA navigation: the third view, but no widget_loaded
	r.wantFired()
	r.at(s1)
	r2 := r.reload(false)
	r2.view("/d")
	r2.wantFired("loaded-on-3rd-view")
}

// ---- 5. all / any ----------------------------------------------------------

func TestAdvanced_MatchAllAny(t *testing.T) {
	t.Parallel()
	yes, no := cnd("page.path", "eq", `"/pricing"`), cnd("page.path", "eq", `"/other"`)
	yes2 := cnd("visit.page_views", "eq", "1")
	cases := []struct {
		name  string
		match string
		cs    []widget.Condition
		want  bool
	}{
		{"no conditions", "", nil, true},
		{"no conditions, any", "any", nil, true},
		{"all, every one holds", "all", conds(yes, yes2), true},
		{"all, one fails", "all", conds(yes, no), false},
		{"default is all", "", conds(no, yes), false},
		{"default, every one holds", "", conds(yes, yes2), true},
		{"any, one holds", "any", conds(no, yes), true},
		{"any, none holds", "any", conds(no, no), false},
		{"any, all hold", "any", conds(yes, yes2), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, with(advT("t", widget.EventPageView, tc.cs), func(t *widget.Trigger) { t.Match = tc.match }))
			r.view("/pricing")
			if got := len(r.rec.fired()) == 1; got != tc.want {
				t.Errorf("fired = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAdvanced_NoConditionsFiresOnItsEventOnly: a trigger without
// conditions fires on its event and on nothing else.
func TestAdvanced_NoConditionsFiresOnItsEventOnly(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("on-max", widget.EventWidgetMaximized, nil))
	r.view("/")
	mustSay(t, r.eng, "hi")
	r.event("x")
	r.at(10 * min1)
	r.wantFired()
	r.eng.SetMaximized(true)
	r.wantFired("on-max")
	r.wantShown("Hello from on-max")
}

// ---- 6. deferred time conditions -------------------------------------------

// TestAdvanced_TimeOnPageFiresAt30s: "time on page ≥ 30" with page_view
// fires exactly 30 s into the page, from one timer, and leaves none behind.
func TestAdvanced_TimeOnPageFiresAt30s(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("hesitant", widget.EventPageView, conds(
		cnd("page.path", "starts_with", `"/pricing"`),
		cnd("visit.time_on_page", "gte", "30"),
	)))
	r.view("/pricing")
	r.wantFired()
	r.wantPending(1)
	r.at(15 * s1)
	r.wantPending(1)
	ef := r.firesAt("hesitant", 30*s1)
	if ef.Entry.Text != "Hello from hesitant" {
		t.Errorf("fired with text %q", ef.Entry.Text)
	}
	r.wantPending(0)
	r.view("/pricing/teams") // fired once this visit: no new timer
	r.wantPending(0)
	r.silentUntil(10 * min1)
	r.wantPending(0)
}

// TestAdvanced_TimeOnPageGreaterThan: "> 30" in whole seconds is 31 s.
func TestAdvanced_TimeOnPageGreaterThan(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, conds(cnd("visit.time_on_page", "gt", "30"))))
	r.view("/")
	r.at(30*s1 + 500*ms1)
	r.wantFired()
	r.wantPending(1)
	r.firesAt("t", 31*s1)
	r.wantPending(0)
}

// TestAdvanced_TimeOnPageOtherOperators: "= 20" becomes true at 20 s, "< 20"
// holds at once, "in [40, 45]" at 40 s; "= 5" evaluated at 10 s can never
// hold and sets no timer.
func TestAdvanced_TimeOnPageOtherOperators(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("eq20", widget.EventPageView, conds(cnd("visit.time_on_page", "eq", "20"))),
		advT("lt20", widget.EventPageView, conds(cnd("visit.time_on_page", "lt", "20"))),
		advT("in", widget.EventPageView, conds(cnd("visit.time_on_page", "in", "[40, 45]"))),
		advT("never", widget.EventCustom, conds(cnd("visit.time_on_page", "eq", "5"))),
	)
	r.view("/")
	r.wantFired("lt20")
	r.at(10 * s1)
	r.event("late")
	r.wantPending(2) // eq20 and in; never has none
	r.firesAt("eq20", 20*s1)
	r.firesAt("in", 40*s1)
	r.wantPending(0)
}

// TestAdvanced_TimeOnPageLeavingStops: a non-matching page view before
// 30 s stops the deferred check.
func TestAdvanced_TimeOnPageLeavingStops(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("hesitant", widget.EventPageView, conds(
		cnd("page.path", "starts_with", `"/pricing"`),
		cnd("visit.time_on_page", "gte", "30"),
	)))
	r.view("/pricing")
	r.at(20 * s1)
	r.view("/about")
	r.wantPending(0)
	r.silentUntil(2 * min1)
	// Coming back starts the 30 s again, from the new page view.
	r.view("/pricing")
	r.firesAt("hesitant", 2*min1+30*s1)
}

// TestAdvanced_TimeOnPageOtherConditionStopsHolding: at +30 s the other
// conditions are checked again; one that no longer holds stops it for good.
func TestAdvanced_TimeOnPageOtherConditionStopsHolding(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, conds(
		cnd("visitor.tags", "not_contains", `"busy"`),
		cnd("visit.time_on_page", "gte", "30"),
	)))
	r.view("/")
	r.at(10 * s1)
	if err := r.eng.AddTags([]string{"busy"}); err != nil {
		t.Fatal(err)
	}
	r.silentUntil(30 * s1)
	r.wantPending(0)
	r.silentUntil(5 * min1)
}

// TestAdvanced_TimeOnPageNewPageRestarts: a second matching page view
// restarts "time on page" (one timer, moved).
func TestAdvanced_TimeOnPageNewPageRestarts(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, conds(cnd("visit.time_on_page", "gte", "30"))))
	r.view("/a")
	r.at(20 * s1)
	r.view("/b")
	r.wantPending(1)
	r.firesAt("t", 50*s1)
	r.wantPending(0)
}

// TestAdvanced_TimeOnSiteAcrossPages: "time on site" counts from the visit
// start, whatever page the visitor is on.
func TestAdvanced_TimeOnSiteAcrossPages(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("shopper", widget.EventPageView, conds(
		cnd("page.path", "starts_with", `"/shop"`),
		cnd("visit.time_on_site", "gte", "60"),
	)))
	r.view("/")
	r.wantPending(0) // page.path fails: no timer at all
	r.at(20 * s1)
	r.view("/shop/a")
	r.wantPending(1)
	r.at(40 * s1)
	r.view("/shop/b")
	r.wantPending(1)
	r.firesAt("shopper", 60*s1)
	r.wantPending(0)
}

// TestAdvanced_TimeHourInZone: "time.hour ≥ 9" at 08:59:30 local fires at
// 09:00:00 local.
func TestAdvanced_TimeHourInZone(t *testing.T) {
	t.Parallel()
	// UTC-1: t0 (09:00 UTC) is 08:00 local.
	r := newAdvRig(t, widget.Options{Zone: widget.FixedZone(-time.Hour)},
		advT("morning", widget.EventPageView, conds(cnd("time.hour", "gte", "9"))))
	r.at(59*min1 + 30*s1) // 08:59:30 local
	r.view("/")
	r.wantFired()
	r.wantPending(1)
	r.firesAt("morning", time.Hour) // 09:00:00 local
	r.wantPending(0)
}

// TestAdvanced_TimeWeekdayInZone: "time.weekday = sunday" on Saturday
// evening fires at local midnight.
func TestAdvanced_TimeWeekdayInZone(t *testing.T) {
	t.Parallel()
	// A zone 34 h 30 min behind UTC makes t0 (Monday 09:00 UTC) Saturday
	// 22:30 local; FixedZone is only arithmetic.
	r := newAdvRig(t, widget.Options{Zone: widget.FixedZone(-(34*time.Hour + 30*time.Minute))},
		advT("sunday", widget.EventCustom, conds(cnd("time.weekday", "eq", `"sunday"`))))
	r.view("/") // Saturday 22:30 local
	r.event("x")
	r.wantFired()
	r.wantPending(1)
	r.at(20 * min1)
	r.wantPending(1)
	r.firesAt("sunday", 90*min1) // Sunday 00:00 local
	r.wantPending(0)
}

// TestAdvanced_AnyWithTimeCondition: with "any", a time condition that
// becomes true fires the trigger although the others stay false.
func TestAdvanced_AnyWithTimeCondition(t *testing.T) {
	t.Parallel()
	r := newRig(t, with(advT("t", widget.EventPageView, conds(
		cnd("page.path", "eq", `"/contact"`),
		cnd("visit.time_on_page", "gte", "30"),
	)), func(t *widget.Trigger) { t.Match = "any" }))
	r.view("/pricing")
	r.wantPending(1)
	r.firesAt("t", 30*s1)
	r.wantPending(0)
}

// TestAdvanced_OneTimerPerTrigger: several time conditions and repeated
// events keep exactly one timer per trigger, moved from deadline to
// deadline, and none once it fired.
func TestAdvanced_OneTimerPerTrigger(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("both", widget.EventPageView, conds(cnd("visit.time_on_page", "gte", "30"), cnd("visit.time_on_site", "gte", "45"))),
		advT("custom", widget.EventCustom, conds(cnd("visit.time_on_site", "gte", "60"))),
	)
	r.view("/")
	r.wantPending(1)
	for _, at := range []time.Duration{5 * s1, 10 * s1, 15 * s1} {
		r.at(at)
		r.event("again")
		r.wantPending(2)
	}
	r.at(30 * s1) // time on page holds, time on site not yet
	r.wantFired()
	r.wantPending(2)
	r.firesAt("both", 45*s1)
	r.wantPending(1)
	r.firesAt("custom", 60*s1)
	r.wantPending(0)
	r.silentUntil(20 * min1)
	r.wantPending(0)
}

// TestAdvanced_NonTimeFailureSetsNoTimer: when a condition that time cannot
// change fails, nothing is scheduled.
func TestAdvanced_NonTimeFailureSetsNoTimer(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("all", widget.EventPageView, conds(cnd("page.path", "eq", `"/x"`), cnd("visit.time_on_page", "gte", "30"))),
		advT("past", widget.EventCustom, conds(cnd("visit.time_on_page", "lt", "5"))),
	)
	r.view("/y")
	r.wantPending(0)
	r.at(10 * s1)
	r.event("e") // time on page is 10: "< 5" can never hold again
	r.wantPending(0)
	r.silentUntil(10 * min1)
}

// TestAdvanced_DeferredCheckNeedsOnline: leaving online cancels a pending
// check; coming back does not restart it (it waits for its next
// event).
func TestAdvanced_DeferredCheckNeedsOnline(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, conds(cnd("visit.time_on_page", "gte", "30"))))
	r.view("/")
	r.at(10 * s1)
	mustStatus(t, r.eng, widget.StatusAway)
	r.wantPending(0)
	r.at(20 * s1)
	mustStatus(t, r.eng, widget.StatusOnline)
	r.silentUntil(2 * min1)
	r.view("/next")
	r.firesAt("t", 2*min1+30*s1)
}

// TestAdvanced_DeferredCheckSurvivesReload: a pending check of a
// custom_event trigger is kept with the visit and runs on the next page.
func TestAdvanced_DeferredCheckSurvivesReload(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventCustom, conds(cnd("event.name", "eq", `"cart"`), cnd("visit.time_on_site", "gte", "60"))))
	r.view("/")
	r.at(10 * s1)
	r.event("cart")
	r.at(20 * s1)
	r2 := r.reload(false)
	r2.view("/checkout")
	r2.firesAt("t", 60*s1)
}

// ---- 7. actions ------------------------------------------------------------

// TestAdvanced_SendMessage: a send_message action shows its text, agent and
// suggestions; the trigger's EffectFired carries the first message.
func TestAdvanced_SendMessage(t *testing.T) {
	t.Parallel()
	a := say("Need a hand choosing a plan?")
	a.Agent = &widget.Agent{Name: "Maya", Image: "avatar:woman"}
	a.Suggestions = []string{"Yes please", "Just looking"}
	r := newRig(t, advT("t", widget.EventPageView, nil, a))
	r.view("/")
	effects := r.rec.all()
	var kinds []widget.EffectKind
	for _, ef := range effects {
		if ef.TriggerID == "t" {
			kinds = append(kinds, ef.Kind)
		}
	}
	if want := []widget.EffectKind{widget.EffectFired, widget.EffectShow}; !reflect.DeepEqual(kinds, want) {
		t.Fatalf("effects for t: %v, want %v (fired, show)", kinds, want)
	}
	fired, show := r.rec.of(widget.EffectFired)[0], r.rec.of(widget.EffectShow)[0]
	for name, en := range map[string]widget.Entry{"fired": fired.Entry, "show": show.Entry} {
		if en.Text != "Need a hand choosing a plan?" || en.Agent == nil || *en.Agent != *a.Agent ||
			!reflect.DeepEqual(en.Suggestions, a.Suggestions) || en.TriggerID != "t" || en.At != ms(0) {
			t.Errorf("%s entry %+v, want the message, its agent and suggestions at t0", name, en)
		}
	}
	msgs := r.eng.Snapshot().Messages
	if len(msgs) != 1 || msgs[0].Text != "Need a hand choosing a plan?" || msgs[0].ID != show.Entry.ID {
		t.Errorf("transcript %+v, want the shown message", msgs)
	}
}

// TestAdvanced_SendMessageShortcut: a shortcut's text and attachments are
// shown.
func TestAdvanced_SendMessageShortcut(t *testing.T) {
	t.Parallel()
	sc := widget.Shortcut{ID: "plans", Text: "Our plans:", Attachments: []widget.Attachment{
		{Kind: widget.AttachLink, URL: "https://x.test/compare", Title: "Compare plans"},
		{Kind: widget.AttachFile, URL: "https://x.test/prices.pdf", Name: "prices.pdf", Size: 1234},
	}}
	s := setOf(advT("t", widget.EventPageView, nil, widget.Action{Type: widget.ActionSendMessage, Message: &widget.Message{Shortcut: "plans"}, Agent: &widget.Agent{Name: "Maya"}}))
	s.Shortcuts = []widget.Shortcut{sc}
	r := newAdvRigSet(t, widget.Options{}, s)
	r.view("/")
	shows := r.rec.of(widget.EffectShow)
	if len(shows) != 1 || shows[0].Entry.Text != "Our plans:" || !reflect.DeepEqual(shows[0].Entry.Attachments, sc.Attachments) {
		t.Fatalf("shown %+v, want the shortcut's text and attachments", shows)
	}
}

// TestAdvanced_WaitBetweenMessages: the message after a wait comes exactly
// when the wait ends.
func TestAdvanced_WaitBetweenMessages(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, nil, say("one"), waitA(10), say("two"), waitA(5), say("three")))
	r.view("/")
	r.wantShown("one")
	r.wantPending(1)
	r.at(10*s1 - ms1)
	r.wantShown("one")
	r.at(10 * s1)
	r.wantShown("one", "two")
	r.at(15*s1 - ms1)
	r.wantShown("one", "two")
	r.at(15 * s1)
	r.wantShown("one", "two", "three")
	r.wantPending(0)
	r.wantFired("t") // one EffectFired for the whole run
	msgs := r.eng.Transcript()
	want := []int64{ms(0), ms(10 * s1), ms(15 * s1)}
	for i, en := range msgs {
		if i < len(want) && en.At != want[i] {
			t.Errorf("message %d at %d, want %d", i, en.At, want[i])
		}
	}
}

// TestAdvanced_WaitDoesNotRestart: while a run waits, its event happening
// again neither restarts nor duplicates it.
func TestAdvanced_WaitDoesNotRestart(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, nil, say("one"), waitA(10), say("two")))
	r.view("/")
	r.at(5 * s1)
	r.view("/b")
	r.wantPending(1)
	r.at(10 * s1)
	r.wantShown("one", "two")
	r.view("/c")
	r.at(time.Hour)
	r.wantShown("one", "two")
}

// TestAdvanced_Tags: add_tags and remove_tags change Snapshot().Tags, and
// later conditions see them.
func TestAdvanced_Tags(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("tag", widget.EventCustom, conds(cnd("event.name", "eq", `"tag"`)), addTagsA("pricing-interest", "VIP", "vip ")),
		advT("untag", widget.EventCustom, conds(cnd("event.name", "eq", `"untag"`)), removeTagsA("vip", "unknown")),
		advT("vip", widget.EventCustom, conds(cnd("event.name", "eq", `"check"`), cnd("visitor.tags", "contains", `"vip"`))),
		advT("not-vip", widget.EventCustom, conds(cnd("event.name", "eq", `"check2"`), cnd("visitor.tags", "not_contains", `"vip"`))),
	)
	if err := r.eng.AddTags([]string{"returning"}); err != nil {
		t.Fatal(err)
	}
	r.view("/")
	r.event("tag")
	if got, want := r.eng.Snapshot().Tags, []string{"returning", "pricing-interest", "VIP"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tags after add_tags %q, want %q", got, want)
	}
	r.event("check")
	r.event("untag")
	if got, want := r.eng.Snapshot().Tags, []string{"returning", "pricing-interest"}; !reflect.DeepEqual(got, want) {
		t.Errorf("tags after remove_tags %q, want %q", got, want)
	}
	r.event("check2")
	r.wantFired("tag", "vip", "untag", "not-vip")
}

// TestAdvanced_SetAttr: set_attr changes Snapshot().Attrs (keys lower-cased,
// numbers and booleans as text) and feeds visitor.attr conditions of later
// events.
func TestAdvanced_SetAttr(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("pro", widget.EventCustom, conds(cnd("event.name", "eq", `"upgrade"`)), setAttrA("Plan", `"Pro"`), setAttrA("seats", "12"), setAttrA("trial", "false")),
		advT("is-pro", widget.EventCustom, conds(cnd("event.name", "eq", `"check"`), cnd("visitor.attr.plan", "eq", `"pro"`), cnd("visitor.attr.SEATS", "in", `["12"]`), cnd("visitor.attr.trial", "eq", `"false"`))),
	)
	r.view("/")
	r.event("check")
	r.wantFired()
	r.event("upgrade")
	want := map[string]string{"plan": "Pro", "seats": "12", "trial": "false"}
	if got := r.eng.Snapshot().Attrs; !reflect.DeepEqual(got, want) {
		t.Errorf("attributes %v, want %v", got, want)
	}
	r.event("check")
	r.wantFired("pro", "is-pro")
}

// TestAdvanced_Maximize: the maximize action opens the widget
// (EffectMaximize), arms the maximized triggers and is a widget_maximized
// event for advanced triggers.
func TestAdvanced_Maximize(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("opener", widget.EventCustom, conds(cnd("event.name", "eq", `"open"`)), maximizeA()),
		maxT("basic-opened", 0),
		maxT("basic-later", 5),
		advT("on-max", widget.EventWidgetMaximized, nil),
	)
	r.view("/")
	r.event("open")
	if !r.eng.Maximized() {
		t.Error("widget not maximized after the maximize action")
	}
	maxes := r.rec.of(widget.EffectMaximize)
	if len(maxes) != 1 || !maxes[0].Maximized {
		t.Errorf("EffectMaximize %+v, want one with Maximized true", maxes)
	}
	got := r.rec.fired()
	for _, id := range []string{"opener", "basic-opened", "on-max"} {
		found := false
		for _, g := range got {
			found = found || g == id
		}
		if !found {
			t.Errorf("fired %q, want %q among them", got, id)
		}
	}
	r.firesAt("basic-later", 5*s1)
}

// TestAdvanced_Emit: the emit action passes its name and data, verbatim,
// to the host (EffectEmit).
func TestAdvanced_Emit(t *testing.T) {
	t.Parallel()
	data := `{ "plan": "pro", "seats": [1, 2.5e3], "note": "caf\u00e9 <b>" }`
	s, err := widget.ParseSet([]byte(`{"version":1,"property":"acme","triggers":[{"id":"lead","type":"advanced","event":"page_view",
	  "actions":[{"type":"emit","name":"lead","data":` + data + `},{"type":"emit","name":" bare "}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := newAdvRigSet(t, widget.Options{}, s)
	r.view("/")
	emits := r.rec.of(widget.EffectEmit)
	if len(emits) != 2 {
		t.Fatalf("EffectEmit %+v, want two", emits)
	}
	if e := emits[0]; e.TriggerID != "lead" || e.Name != "lead" || string(e.Data) != data {
		t.Errorf("emit = {%q %q %s}, want {lead lead %s}", e.TriggerID, e.Name, e.Data, data)
	}
	if e := emits[1]; e.Name != "bare" || len(e.Data) != 0 {
		t.Errorf("emit without data = {%q %s}, want {bare, no data}", e.Name, e.Data)
	}
	r.wantFired("lead")
	if n := len(r.rec.of(widget.EffectShow)); n != 0 {
		t.Errorf("%d messages shown by a trigger without send_message", n)
	}
}

// TestAdvanced_RunCancelledWhenOffline: a run waiting when the status
// leaves online never runs its remaining actions.
func TestAdvanced_RunCancelledWhenOffline(t *testing.T) {
	t.Parallel()
	r := newRig(t, advT("t", widget.EventPageView, nil, say("one"), waitA(10), say("two"), addTagsA("after-wait")))
	r.view("/")
	r.at(5 * s1)
	mustStatus(t, r.eng, widget.StatusAway)
	r.wantPending(0)
	r.at(20 * s1)
	mustStatus(t, r.eng, widget.StatusOnline)
	r.view("/b")
	r.at(10 * min1)
	r.wantShown("one")
	if tags := r.eng.Snapshot().Tags; len(tags) != 0 {
		t.Errorf("tags %q: the actions after the wait ran", tags)
	}
	r.wantFired("t")
}

// TestAdvanced_OncePerVisit: an advanced trigger fires at most once per
// visit, again in a new visit, and never again with oncePerVisitor.
func TestAdvanced_OncePerVisit(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("visit", widget.EventCustom, nil),
		onceEver(advT("ever", widget.EventCustom, nil)),
	)
	r.view("/")
	r.event("a")
	r.event("b")
	r.wantFired("visit", "ever")
	r.at(31 * min1) // idle: the next event starts a new visit
	r.event("c")
	r.wantFired("visit", "ever", "visit")
	r.at(40 * min1)
	r2 := r.reload(true) // new browser session
	r2.view("/")
	r2.event("d")
	r2.wantFired("visit")
}

// TestAdvanced_WaitSurvivesReload: engine A starts a run with a 10 s wait;
// at +3 s a page load starts engine B on the same storage, which sends the
// second message at +10 s, once.
// midWait starts an advanced trigger "t" that says "one", waits 10 s and
// says "two", and leaves it 3 s into its wait.
func midWait(t *testing.T) *rig {
	t.Helper()
	r := newRig(t, advT("t", widget.EventPageView, nil, say("one"), waitA(10), say("two")))
	r.view("/")
	r.wantShown("one")
	r.at(3 * s1)
	return r
}

func TestAdvanced_WaitSurvivesReload(t *testing.T) {
	t.Parallel()
	r := midWait(t)
	r2 := r.reload(false)
	r2.view("/next")
	r2.at(10*s1 - ms1)
	r2.wantShown()
	r2.at(10 * s1)
	r2.wantShown("two")
	r.wantShown("one") // the stopped engine A did nothing more
	if got := triggerEntries(r2.eng.Transcript()); !reflect.DeepEqual(got, []string{"t", "t"}) {
		t.Errorf("transcript trigger entries %q, want both messages once", got)
	}
	texts := []string{}
	for _, en := range r2.eng.Transcript() {
		texts = append(texts, en.Text)
	}
	if !reflect.DeepEqual(texts, []string{"one", "two"}) {
		t.Errorf("transcript %q, want [one two]", texts)
	}
	r2.wantFired() // it fired in engine A, not again
	r2.wantPending(0)
}

// ---- 8. explain ------------------------------------------------------------

// TestAdvanced_ExplainConditions: a waiting advanced trigger lists each
// condition with its actual value and whether it holds.
func TestAdvanced_ExplainConditions(t *testing.T) {
	t.Parallel()
	cs := conds(
		cnd("page.path", "starts_with", `"/pricing"`),
		cnd("visit.time_on_page", "gte", "30"),
		cnd("visitor.returning", "eq", "true"),
		cnd("visitor.tags", "contains", `"vip"`),
		cnd("visitor.attr.plan", "exists", ""),
		cnd("device.type", "eq", `"mobile"`),
	)
	r := newAdvRig(t, widget.Options{Env: widget.Env{DeviceType: "desktop"}}, advT("t", widget.EventCustom, cs))
	r.view("/pricing/teams")
	if err := r.eng.AddTags([]string{"VIP", "beta"}); err != nil {
		t.Fatal(err)
	}
	r.at(12 * s1)
	x := r.explain("t")
	if x.State != widget.StateWaiting || x.Reason != "" {
		t.Errorf("state %q reason %q, want waiting with no reason", x.State, x.Reason)
	}
	want := []widget.ConditionResult{
		{Field: "page.path", Op: "starts_with", Value: widget.RawJSON(`"/pricing"`), Actual: `"/pricing/teams"`, Holds: true},
		{Field: "visit.time_on_page", Op: "gte", Value: widget.RawJSON(`30`), Actual: "12", Holds: false},
		{Field: "visitor.returning", Op: "eq", Value: widget.RawJSON(`true`), Actual: "false", Holds: false},
		{Field: "visitor.tags", Op: "contains", Value: widget.RawJSON(`"vip"`), Actual: "[VIP, beta]", Holds: true},
		{Field: "visitor.attr.plan", Op: "exists", Actual: "(none)", Holds: false},
		{Field: "device.type", Op: "eq", Value: widget.RawJSON(`"mobile"`), Actual: `"desktop"`, Holds: false},
	}
	if len(x.Conditions) != len(want) {
		t.Fatalf("conditions %+v, want %d", x.Conditions, len(want))
	}
	for i, w := range want {
		g := x.Conditions[i]
		if g.Field != w.Field || g.Op != w.Op || string(g.Value) != string(w.Value) || g.Actual != w.Actual || g.Holds != w.Holds {
			t.Errorf("condition %d = %+v (value %s), want %+v (value %s)", i+1, g, g.Value, w, w.Value)
		}
	}
}

// TestAdvanced_ExplainReason: after a check fails, Reason names the first
// failing condition with its actual value.
func TestAdvanced_ExplainReason(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		advT("timed", widget.EventCustom, conds(cnd("page.path", "starts_with", `"/pricing"`), cnd("visit.time_on_page", "gte", "30"))),
		advT("wrong-page", widget.EventCustom, conds(cnd("visit.time_on_page", "gte", "5"), cnd("page.path", "eq", `"/contact"`))),
	)
	r.view("/pricing")
	r.at(12 * s1)
	r.event("e")
	timed := r.explain("timed")
	if want := "condition 2 (visit.time_on_page gte) is false: 12"; timed.Reason != want {
		t.Errorf("timed reason %q, want %q", timed.Reason, want)
	}
	if timed.State != widget.StateArmed || timed.Due != ms(30*s1) {
		t.Errorf("timed state %q due %d, want armed for %d", timed.State, timed.Due, ms(30*s1))
	}
	wrong := r.explain("wrong-page")
	if want := `condition 2 (page.path eq) is false: "/pricing"`; wrong.Reason != want {
		t.Errorf("wrong-page reason %q, want %q", wrong.Reason, want)
	}
	if wrong.State != widget.StateWaiting {
		t.Errorf("wrong-page state %q, want waiting", wrong.State)
	}
	r.firesAt("timed", 30*s1)
	if x := r.explain("timed"); x.State != widget.StateFired || strings.HasPrefix(x.Reason, "condition") {
		t.Errorf("after firing: state %q reason %q, want fired without a failing condition", x.State, x.Reason)
	}
}

// A set published mid-wait that makes the advanced trigger a site trigger
// (same id): the new engine does not report it waiting at an action step,
// and once its time has come the old run's record is gone from the visit.
func TestAdvanced_TypeChangedMidWait(t *testing.T) {
	t.Parallel()
	r := midWait(t)
	r.eng.Stop()
	r2 := startRig(t, compileOK(t, setOf(siteT("t", 60))), r.clock, r.store, false)
	r2.view("/next")
	if waits := r2.rec.of(widget.EffectWaiting); len(waits) != 0 {
		t.Errorf("a site trigger reported waiting at an action step: %+v", waits)
	}
	r2.at(11 * s1)
	if v, _, _ := r2.store.Get(widget.KeyVisit); strings.Contains(v, `"adv"`) {
		t.Errorf("the visit still holds the old run after the trigger's time: %.300s", v)
	}
}

// Triggers due at the same instant fire in set order, advanced ones
// included: a page view's delay-0 welcome placed before an advanced
// page-view trigger shows first, one placed after it shows after; an
// overdue countdown (restored from the last page) goes before both.
func TestAdvanced_SameInstantInSetOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("before", 0), advT("adv", widget.EventPageView, nil), siteT("after", 0))
	r.view("/")
	r.wantFired("before", "adv", "after")
	if got := r.shown(); len(got) != 3 || got[1] != "Hello from adv" {
		t.Errorf("messages shown %q, want the advanced one second", got)
	}

	onNext := []widget.Condition{{Field: "page.path", Op: "eq", Value: widget.RawJSON(`"/next"`)}}
	r = newRig(t, advT("adv", widget.EventPageView, onNext), siteT("welcome", 5))
	r.view("/")
	r.at(4 * time.Second)
	r = r.reload(false)
	r.at(6 * time.Second)
	r.view("/next") // the welcome is overdue by a second
	r.wantFired("welcome", "adv")
}

// A time condition that comes true in more than the longest timer a
// browser sets (2^31-1 ms, about 24.8 days) is waited for in steps: the
// trigger fires when it comes true, and one timer at most is pending.
func TestAdvanced_TimeConditionBeyondTheLongestTimer(t *testing.T) {
	t.Parallel()
	later := []widget.Condition{{Field: "visit.time_on_page", Op: "gt", Value: widget.RawJSON(`3456000`)}} // 40 days
	r := newRig(t, advT("patient", widget.EventPageView, later))
	r.view("/")
	for day := 1; day <= 39; day++ {
		r.at(time.Duration(day) * 24 * time.Hour)
		if n := r.clock.Pending(); n > 1 {
			t.Fatalf("day %d: %d timers pending", day, n)
		}
	}
	r.wantFired()
	r.at(40*24*time.Hour + time.Second)
	r.wantFired("patient")

	// Thousands of years away: the delay in nanoseconds is past
	// time.Duration's range (uncapped, it wrapped round to a timer due at
	// once, set again every time it ran: a hang).
	never := []widget.Condition{{Field: "visit.time_on_page", Op: "gt", Value: widget.RawJSON(`2e11`)}}
	r = newRig(t, advT("never", widget.EventPageView, never))
	r.view("/")
	for i := 1; i <= 3; i++ {
		r.at(time.Duration(i) * 97 * time.Minute)
		if n := r.clock.Pending(); n != 1 {
			t.Fatalf("after %d×97 min: %d timers pending, want the one", i, n)
		}
	}
	r.wantFired()
}
