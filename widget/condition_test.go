package widget

// The condition compiler and evaluator from inside: fields and
// their kinds, type errors as *RuleError, every operator on every kind
// against a prepared engine, and FuzzCondition. The engine-level behaviour
// (events, timers, actions) is in advanced_test.go.

import (
	"strings"
	"testing"
	"time"
)

// condT0 is Monday 2025-03-03 09:00 UTC.
var condT0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// preparedEngine is a visit whose every field is known, in the zone UTC+2
// (11:00:25 local, a Monday): the home page at 0 s, then at 10 s
//
//	https://x.test/Shop/Tents/?utm_source=News%20Letter&q=red+tent&empty=&flag#top
//
// titled "Alpine Tents" from https://search.test/, attributes Plan=Pro,
// name and email, tags VIP and Newsletter, read at 25 s.
func preparedEngine(t testing.TB) *Engine {
	t.Helper()
	clock := NewManualClock(condT0)
	e := New(Compile(&Set{Version: FormatVersion, Property: "acme"}), Options{
		Clock: clock,
		Env:   Env{Language: "fr-FR", DeviceType: "Mobile", Browser: "safari", OS: "ios"},
		Zone:  FixedZone(2 * time.Hour),
	})
	e.PageView(Page{URL: "https://x.test/", Title: "Home"})
	clock.Advance(10 * time.Second)
	e.PageView(Page{
		URL:      "https://x.test/Shop/Tents/?utm_source=News%20Letter&q=red+tent&empty=&flag#top",
		Title:    "Alpine Tents",
		Referrer: "https://search.test/",
	})
	if err := e.SetAttributes(map[string]string{"Plan": "Pro", "name": "Ann Lee", "email": "ann@x.test"}); err != nil {
		t.Fatal(err)
	}
	if err := e.AddTags([]string{"VIP", "Newsletter"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(15 * time.Second)
	return e
}

// emptyEngine has seen nothing: no visit, no page, no tags, no attributes.
func emptyEngine() *Engine {
	return New(Compile(&Set{Version: FormatVersion, Property: "acme"}), Options{Clock: NewManualClock(condT0)})
}

// evalOn evaluates c on e now, as during the custom event eventName.
func evalOn(e *Engine, c *cond, eventName string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := evalContext{e: e, now: e.now(), eventName: eventName, eventNameLower: strings.ToLower(eventName)}
	return c.eval(&x)
}

func mustCompileCond(t testing.TB, c Condition) *cond {
	t.Helper()
	cc, err := compileCondition(c)
	if err != nil {
		t.Fatalf("compileCondition(%s %s %s): %v", c.Field, c.Op, c.Value, err)
	}
	return cc
}

func rawCond(field, op, value string, caseSensitive bool) Condition {
	c := Condition{Field: field, Op: op, Case: caseSensitive}
	if value != "" {
		c.Value = RawJSON(value)
	}
	return c
}

// TestCompileCondition_FieldKinds: every condition field compiles with the
// kind its values have, and exactly the four time fields are deferred.
func TestCompileCondition_FieldKinds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		field string
		kind  kind
		time  bool
	}{
		{"page.url", kindString, false},
		{"page.path", kindString, false},
		{"page.title", kindString, false},
		{"page.referrer", kindString, false},
		{"page.query.utm_source", kindString, false},
		{"visit.time_on_site", kindNumber, true},
		{"visit.time_on_page", kindNumber, true},
		{"visit.page_views", kindNumber, false},
		{"visitor.visits", kindNumber, false},
		{"visitor.returning", kindBool, false},
		{"visitor.name", kindString, false},
		{"visitor.email", kindString, false},
		{"visitor.tags", kindList, false},
		{"visitor.attr.plan", kindString, false},
		{"visitor.language", kindString, false},
		{"device.type", kindString, false},
		{"browser", kindString, false},
		{"os", kindString, false},
		{"time.hour", kindNumber, true},
		{"time.weekday", kindNumber, true},
		{"widget.status", kindString, false},
		{"widget.maximized", kindBool, false},
		{"chat.state", kindString, false},
		{"event.name", kindString, false},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			t.Parallel()
			c := mustCompileCond(t, rawCond(tc.field, OpExists, "", false))
			if c.kind != tc.kind {
				t.Errorf("kind = %v, want %v", c.kind, tc.kind)
			}
			if c.isTime() != tc.time {
				t.Errorf("isTime = %v, want %v", c.isTime(), tc.time)
			}
		})
	}
}

// TestCompileCondition_Errors: each type error is a *RuleError naming
// "field", "op" or "value", with a problem a site owner can act on.
func TestCompileCondition_Errors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		c        Condition
		field    string
		mentions string // a word the problem must contain
	}{
		{"unknown field", rawCond("page.colour", OpEq, `"x"`, false), "field", "page.colour"},
		{"missing field", rawCond(" ", OpEq, `"x"`, false), "field", "missing"},
		{"missing op", rawCond("page.path", "", `"x"`, false), "op", "missing"},
		{"unknown op", rawCond("page.path", "matches", `"x"`, false), "op", "matches"},
		{"lt on a text field", rawCond("page.title", OpLt, "3", false), "op", "text"},
		{"contains on a number field", rawCond("visit.page_views", OpContains, "3", false), "op", "number"},
		{"gt on a true/false field", rawCond("visitor.returning", OpGt, "1", false), "op", "true/false"},
		{"eq on the tag list", rawCond("visitor.tags", OpEq, `"vip"`, false), "op", "list"},
		{"text for a number", rawCond("visit.time_on_page", OpGte, `"30"`, false), "value", "number"},
		{"number for a text", rawCond("page.title", OpEq, "3", false), "value", "text"},
		{"number for true/false", rawCond("visitor.returning", OpEq, "1", false), "value", "true or false"},
		{"missing value", rawCond("page.title", OpEq, "", false), "value", "missing"},
		{"in without a list", rawCond("browser", OpIn, `"chrome"`, false), "value", "list"},
		{"in with an empty list", rawCond("browser", OpIn, `[]`, false), "value", "non-empty"},
		{"in with numbers for a text field", rawCond("browser", OpIn, `[1]`, false), "value", "texts"},
		{"in with texts for a number field", rawCond("time.hour", OpIn, `["9"]`, false), "value", "numbers"},
		{"exists with a value", rawCond("visitor.email", OpExists, `"a"`, false), "value", "no value"},
		{"bad regex", rawCond("page.path", OpRegex, `"a(b"`, false), "value", "RE2"},
		{"unknown weekday", rawCond("time.weekday", OpEq, `"someday"`, false), "value", "number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := compileCondition(tc.c)
			if err == nil {
				t.Fatalf("compiled to %+v, want a %s error", c, tc.field)
			}
			re, ok := err.(*RuleError)
			if !ok {
				t.Fatalf("error %v is a %T, want *RuleError", err, err)
			}
			if re.Field != tc.field {
				t.Errorf("error names %q (%v), want %q", re.Field, re.Problem, tc.field)
			}
			if !strings.Contains(re.Problem, tc.mentions) {
				t.Errorf("problem %q does not mention %q", re.Problem, tc.mentions)
			}
		})
	}
}

// TestCondition_Operators: every operator on every kind of field, on the
// prepared visit (or an empty engine for missing values). Text comparisons
// ignore case unless "case": true.
func TestCondition_Operators(t *testing.T) {
	t.Parallel()
	prepared := preparedEngine(t)
	empty := emptyEngine()
	type opCase struct {
		name  string
		c     Condition
		want  bool
		empty bool // evaluate on the empty engine
	}
	c := func(field, op, value string) Condition { return rawCond(field, op, value, false) }
	cs := func(field, op, value string) Condition { return rawCond(field, op, value, true) }
	cases := []opCase{
		// Text: page.title is "Alpine Tents".
		{"eq ignores case", c("page.title", OpEq, `"alpine TENTS"`), true, false},
		{"eq whole text", c("page.title", OpEq, `"alpine"`), false, false},
		{"eq case-sensitive", cs("page.title", OpEq, `"Alpine Tents"`), true, false},
		{"eq case-sensitive differs", cs("page.title", OpEq, `"alpine tents"`), false, false},
		{"neq same", c("page.title", OpNeq, `"ALPINE TENTS"`), false, false},
		{"neq other", c("page.title", OpNeq, `"boats"`), true, false},
		{"neq case-sensitive", cs("page.title", OpNeq, `"alpine tents"`), true, false},
		{"contains", c("page.title", OpContains, `"TENT"`), true, false},
		{"contains case-sensitive", cs("page.title", OpContains, `"TENT"`), false, false},
		{"contains absent", c("page.title", OpContains, `"boat"`), false, false},
		{"not_contains absent", c("page.title", OpNotContains, `"boat"`), true, false},
		{"not_contains present", c("page.title", OpNotContains, `"tent"`), false, false},
		{"starts_with", c("page.title", OpStartsWith, `"ALP"`), true, false},
		{"starts_with case-sensitive", cs("page.title", OpStartsWith, `"alp"`), false, false},
		{"starts_with middle", c("page.title", OpStartsWith, `"tents"`), false, false},
		{"ends_with", c("page.title", OpEndsWith, `"TENTS"`), true, false},
		{"ends_with start", c("page.title", OpEndsWith, `"alpine"`), false, false},
		{"wildcard", c("page.title", OpWildcard, `"alp*ts"`), true, false},
		{"wildcard contains", c("page.title", OpWildcard, `"*TENT*"`), true, false},
		{"wildcard case-sensitive", cs("page.title", OpWildcard, `"*TENT*"`), false, false},
		{"wildcard is whole", c("page.title", OpWildcard, `"alp*"`), true, false},
		{"wildcard is whole, no match", c("page.title", OpWildcard, `"*alpine"`), false, false},
		{"wildcard star alone", c("page.title", OpWildcard, `"*"`), true, false},
		{"regex is whole", c("page.title", OpRegex, `"alp.*"`), true, false},
		{"regex is not a search", c("page.title", OpRegex, `"tents"`), false, false},
		{"regex ignores case", c("page.title", OpRegex, `".*TENT.*"`), true, false},
		{"regex case-sensitive", cs("page.title", OpRegex, `".*TENT.*"`), false, false},
		{"regex case-sensitive with (?i)", cs("page.title", OpRegex, `"(?i).*TENT.*"`), true, false},
		{"regex alternation is whole", c("page.title", OpRegex, `"boats|alpine tents"`), true, false},
		{"regex class", c("page.title", OpRegex, `"[a-z]+ [a-z]+"`), true, false},
		{"in", c("page.title", OpIn, `["boats", "ALPINE TENTS"]`), true, false},
		{"in absent", c("page.title", OpIn, `["boats"]`), false, false},
		{"in case-sensitive", cs("page.title", OpIn, `["ALPINE TENTS"]`), false, false},
		{"not_in absent", c("page.title", OpNotIn, `["boats"]`), true, false},
		{"not_in present", c("page.title", OpNotIn, `["alpine tents"]`), false, false},
		{"exists", c("page.title", OpExists, ""), true, false},
		{"not_exists", c("page.title", OpNotExists, ""), false, false},
		{"env text ignores case", c("device.type", OpEq, `"MOBILE"`), true, false},
		{"env text case-sensitive", cs("device.type", OpEq, `"mobile"`), false, false},
		{"query value", c("page.query.utm_source", OpEq, `"news letter"`), true, false},
		// Text with no value: visitor.attr.company is not set, the empty
		// engine has no page (and so no referrer). Per docs/design.md, a
		// condition on a value that is not there is false, except neq,
		// not_in, not_contains and not_exists.
		{"missing eq", c("visitor.attr.company", OpEq, `"acme"`), false, false},
		{"missing neq", c("visitor.attr.company", OpNeq, `"acme"`), true, false},
		{"missing contains", c("visitor.attr.company", OpContains, `"a"`), false, false},
		{"missing not_contains", c("visitor.attr.company", OpNotContains, `"a"`), true, false},
		{"missing starts_with", c("visitor.attr.company", OpStartsWith, `"a"`), false, false},
		{"missing ends_with", c("visitor.attr.company", OpEndsWith, `"a"`), false, false},
		{"missing in", c("visitor.attr.company", OpIn, `["acme"]`), false, false},
		{"missing not_in", c("visitor.attr.company", OpNotIn, `["acme"]`), true, false},
		{"missing exists", c("visitor.attr.company", OpExists, ""), false, false},
		{"missing not_exists", c("visitor.attr.company", OpNotExists, ""), true, false},
		{"missing page title not_exists", c("page.title", OpNotExists, ""), true, true},
		{"missing regex matching anything", c("visitor.attr.company", OpRegex, `".*"`), false, false},
		{"missing wildcard matching anything", c("visitor.attr.company", OpWildcard, `"*"`), false, false},
		{"missing referrer regex", c("page.referrer", OpRegex, `".*"`), false, true},
		{"missing query regex", c("page.query.gclid", OpRegex, `"^.*$"`), false, false},
		// Number: visit.page_views is 2.
		{"number eq", c("visit.page_views", OpEq, "2"), true, false},
		{"number eq other", c("visit.page_views", OpEq, "3"), false, false},
		{"number neq", c("visit.page_views", OpNeq, "2"), false, false},
		{"number neq other", c("visit.page_views", OpNeq, "3"), true, false},
		{"number lt", c("visit.page_views", OpLt, "3"), true, false},
		{"number lt equal", c("visit.page_views", OpLt, "2"), false, false},
		{"number lte equal", c("visit.page_views", OpLte, "2"), true, false},
		{"number lte below", c("visit.page_views", OpLte, "1"), false, false},
		{"number gt", c("visit.page_views", OpGt, "1"), true, false},
		{"number gt equal", c("visit.page_views", OpGt, "2"), false, false},
		{"number gte equal", c("visit.page_views", OpGte, "2"), true, false},
		{"number gte above", c("visit.page_views", OpGte, "3"), false, false},
		{"number gt fraction", c("visit.page_views", OpGt, "1.5"), true, false},
		{"number lt fraction", c("visit.page_views", OpLt, "2.5"), true, false},
		{"number in", c("visit.page_views", OpIn, "[1, 2]"), true, false},
		{"number in absent", c("visit.page_views", OpIn, "[3, 4]"), false, false},
		{"number not_in absent", c("visit.page_views", OpNotIn, "[3]"), true, false},
		{"number not_in present", c("visit.page_views", OpNotIn, "[2]"), false, false},
		{"number exists", c("visit.page_views", OpExists, ""), true, false},
		{"number not_exists", c("visit.page_views", OpNotExists, ""), false, false},
		{"seconds on site", c("visit.time_on_site", OpEq, "25"), true, false},
		{"seconds on page", c("visit.time_on_page", OpEq, "15"), true, false},
		{"hour in the zone", c("time.hour", OpEq, "11"), true, false},
		{"weekday name", c("time.weekday", OpEq, `"MONDAY"`), true, false},
		{"weekday names in", c("time.weekday", OpIn, `["sat", "sun"]`), false, false},
		{"weekday names not_in", c("time.weekday", OpNotIn, `["sat", "sun"]`), true, false},
		{"weekday numbers and names", c("time.weekday", OpIn, `[7, "mon"]`), true, false},
		// Number with no value: no page yet, so no time on page.
		{"missing number eq", c("visit.time_on_page", OpEq, "0"), false, true},
		{"missing number neq", c("visit.time_on_page", OpNeq, "0"), true, true},
		{"missing number lt", c("visit.time_on_page", OpLt, "5"), false, true},
		{"missing number gte", c("visit.time_on_page", OpGte, "0"), false, true},
		{"missing number in", c("visit.time_on_page", OpIn, "[0]"), false, true},
		{"missing number not_in", c("visit.time_on_page", OpNotIn, "[0]"), true, true},
		{"missing number exists", c("visit.time_on_page", OpExists, ""), false, true},
		{"missing number not_exists", c("visit.time_on_page", OpNotExists, ""), true, true},
		// True/false: visitor.returning is false.
		{"bool eq", c("visitor.returning", OpEq, "false"), true, false},
		{"bool eq other", c("visitor.returning", OpEq, "true"), false, false},
		{"bool neq", c("visitor.returning", OpNeq, "true"), true, false},
		{"bool neq same", c("visitor.returning", OpNeq, "false"), false, false},
		{"bool exists", c("widget.maximized", OpExists, ""), true, false},
		{"bool not_exists", c("widget.maximized", OpNotExists, ""), false, false},
		// List: visitor.tags is [VIP, Newsletter].
		{"tags contains ignores case", c("visitor.tags", OpContains, `"vip"`), true, false},
		{"tags contains case-sensitive", cs("visitor.tags", OpContains, `"vip"`), false, false},
		{"tags contains case-sensitive exact", cs("visitor.tags", OpContains, `"VIP"`), true, false},
		{"tags contains is a whole tag", c("visitor.tags", OpContains, `"news"`), false, false},
		{"tags not_contains", c("visitor.tags", OpNotContains, `"buyer"`), true, false},
		{"tags not_contains present", c("visitor.tags", OpNotContains, `"NEWSLETTER"`), false, false},
		{"tags in is any of", c("visitor.tags", OpIn, `["buyer", "vip"]`), true, false},
		{"tags in none", c("visitor.tags", OpIn, `["buyer", "lead"]`), false, false},
		{"tags in case-sensitive", cs("visitor.tags", OpIn, `["vip"]`), false, false},
		{"tags not_in is none of", c("visitor.tags", OpNotIn, `["buyer", "lead"]`), true, false},
		{"tags not_in one present", c("visitor.tags", OpNotIn, `["buyer", "newsletter"]`), false, false},
		{"tags exists", c("visitor.tags", OpExists, ""), true, false},
		{"tags not_exists", c("visitor.tags", OpNotExists, ""), false, false},
		{"no tags contains", c("visitor.tags", OpContains, `"vip"`), false, true},
		{"no tags not_contains", c("visitor.tags", OpNotContains, `"vip"`), true, true},
		{"no tags in", c("visitor.tags", OpIn, `["vip"]`), false, true},
		{"no tags not_in", c("visitor.tags", OpNotIn, `["vip"]`), true, true},
		{"no tags exists", c("visitor.tags", OpExists, ""), false, true},
		{"no tags not_exists", c("visitor.tags", OpNotExists, ""), true, true},
		// Event name: the event is "Cart" on the prepared engine, none on
		// the empty one.
		{"event name ignores case", c("event.name", OpEq, `"cart"`), true, false},
		{"event name case-sensitive", cs("event.name", OpEq, `"cart"`), false, false},
		{"no event name", c("event.name", OpNotExists, ""), true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cc := mustCompileCond(t, tc.c)
			e, event := prepared, "Cart"
			if tc.empty {
				e, event = empty, ""
			}
			if got := evalOn(e, cc, event); got != tc.want {
				t.Errorf("%s %s %s (case %v) = %v, want %v", tc.c.Field, tc.c.Op, tc.c.Value, tc.c.Case, got, tc.want)
			}
		})
	}
}

// TestCondition_EvalDoesNotAllocate: evaluation runs on every event for up
// to 200 conditions; it must not allocate.
func TestCondition_EvalDoesNotAllocate(t *testing.T) {
	e := preparedEngine(t)
	var cs []*cond
	for _, c := range []Condition{
		rawCond("page.path", OpStartsWith, `"/shop"`, false),
		rawCond("page.query.utm_source", OpEq, `"news letter"`, false),
		rawCond("visitor.attr.plan", OpIn, `["pro", "team"]`, false),
		rawCond("visitor.tags", OpContains, `"vip"`, false),
		rawCond("page.title", OpRegex, `".*alpine.*"`, false),
		rawCond("page.url", OpWildcard, `"*tents*"`, false),
		rawCond("visit.time_on_page", OpGte, "10", false),
		rawCond("time.hour", OpLt, "18", false),
		rawCond("visitor.returning", OpEq, "false", false),
		rawCond("event.name", OpEq, `"cart"`, false),
	} {
		cs = append(cs, mustCompileCond(t, c))
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x := evalContext{e: e, now: e.now(), eventName: "Cart", eventNameLower: "cart"}
	allocs := testing.AllocsPerRun(100, func() {
		for _, c := range cs {
			c.eval(&x)
		}
	})
	if allocs != 0 {
		t.Errorf("eval allocates %v times per run, want 0", allocs)
	}
}

// negation pairs an operator with its opposite: on any value, exactly one
// of the two holds.
var negation = map[string]string{
	OpEq: OpNeq, OpNeq: OpEq,
	OpContains: OpNotContains, OpNotContains: OpContains,
	OpIn: OpNotIn, OpNotIn: OpIn,
	OpExists: OpNotExists, OpNotExists: OpExists,
}

// FuzzCondition feeds arbitrary conditions to compileCondition and, when one
// compiles, evaluates it on a prepared engine and runs it in an advanced
// trigger. Nothing may panic; a refused condition names field, op or value
// (and Validate says the same); opposite operators disagree; a condition on
// a value that is not there holds only for the negative operators; the
// engine keeps at most one timer for the trigger and none once it fired.
// Seeds: the f.Add calls below and testdata/fuzz/FuzzCondition.
func FuzzCondition(f *testing.F) {
	f.Add("page.path", "starts_with", []byte(`"/shop"`), false)
	f.Add("visit.time_on_page", "gte", []byte(`30`), false)
	f.Add("time.weekday", "in", []byte(`["sat", 7, "Monday"]`), false)
	f.Add("visitor.tags", "not_in", []byte(`["vip"]`), true)
	f.Add("page.title", "regex", []byte(`".*(?-i:Tents).*"`), false)
	f.Add("visitor.attr.company", "regex", []byte(`".*"`), false)
	f.Add("page.query.flag", "exists", []byte(`null`), false)
	f.Add("event.name", "wildcard", []byte(`"c*t"`), true)
	f.Add("time.hour", "gt", []byte(`1e300`), false)
	f.Add("visit.time_on_site", "lt", []byte(`-1`), false)
	f.Add("os", "in", []byte(`[]`), false)
	f.Add("", "", []byte(``), false)
	e := preparedEngine(f)
	f.Fuzz(func(t *testing.T, field, op string, value []byte, caseSensitive bool) {
		in := Condition{Field: field, Op: op, Value: RawJSON(value), Case: caseSensitive}
		c, err := compileCondition(in)
		problems := check(&Set{Version: FormatVersion, Property: "acme", Triggers: []Trigger{{
			ID: "t", Type: TypeAdvanced, Event: EventCustom, Conditions: []Condition{in},
			Actions: []Action{{Type: ActionAddTags, Tags: []string{"fuzzed"}}},
		}}}, false).Problems
		if err != nil {
			re, ok := err.(*RuleError)
			if !ok {
				t.Fatalf("error %v is a %T, want *RuleError", err, err)
			}
			if (re.Field != "field" && re.Field != "op" && re.Field != "value") || re.Problem == "" {
				t.Fatalf("RuleError %+v: want field, op or value and a problem", re)
			}
			if c != nil {
				t.Fatalf("compileCondition returned %+v with error %v", c, err)
			}
			if len(problems) != 1 || problems[0].TriggerID != "t" || problems[0].Field != "conditions[0]."+re.Field {
				t.Fatalf("Validate problems %v, want one naming conditions[0].%s", problems, re.Field)
			}
			return
		}
		if len(problems) != 0 {
			t.Fatalf("compileCondition accepts it but Validate says %v", problems)
		}

		e.mu.Lock()
		x := evalContext{e: e, now: e.now(), eventName: "Cart", eventNameLower: "cart"}
		got := c.eval(&x)
		if again := c.eval(&x); again != got {
			e.mu.Unlock()
			t.Fatalf("eval is not deterministic: %v then %v", got, again)
		}
		if c.actual(&x) == "" {
			e.mu.Unlock()
			t.Fatalf("actual is empty")
		}
		present := true
		switch c.kind {
		case kindString:
			_, present = c.decl.str(&x, c.key, false)
		case kindNumber:
			_, present = c.decl.num(&x)
		case kindBool:
			_, present = c.decl.boolean(&x)
		case kindList:
			present = len(c.decl.list(&x, false)) > 0
		}
		var opposite *cond
		if neg, ok := negation[c.op]; ok {
			partner := in
			partner.Op = neg
			if neg == OpExists || neg == OpNotExists {
				partner.Value = nil
			}
			if c.op == OpExists || c.op == OpNotExists {
				partner.Value = nil
			}
			opposite, err = compileCondition(partner)
			if err != nil {
				e.mu.Unlock()
				t.Fatalf("%s compiles but its opposite %s does not: %v", c.op, neg, err)
			}
		}
		oppositeHolds := opposite != nil && opposite.eval(&x)
		e.mu.Unlock()

		if opposite != nil && oppositeHolds == got {
			t.Fatalf("%s and %s both = %v", c.op, opposite.op, got)
		}
		switch c.op {
		case OpNeq, OpNotIn, OpNotContains, OpNotExists:
		default:
			if !present && got {
				t.Fatalf("%s %s holds although the value is not there", field, op)
			}
		}

		// The same condition in an engine: at most one timer for the
		// trigger, and none left once it fired.
		clock := NewManualClock(condT0)
		set := Compile(&Set{Version: FormatVersion, Property: "acme", Triggers: []Trigger{{
			ID: "t", Type: TypeAdvanced, Event: EventCustom, Conditions: []Condition{in},
			Actions: []Action{{Type: ActionAddTags, Tags: []string{"fuzzed"}}},
		}}})
		fired := false
		eng := New(set, Options{Clock: clock, Zone: FixedZone(2 * time.Hour), Sink: func(ef Effect) {
			if ef.Kind == EffectFired {
				fired = true
			}
		}})
		eng.PageView(Page{URL: "https://x.test/shop?utm_source=x", Title: "Shop"})
		clock.Advance(7 * time.Second)
		if err := eng.CustomEvent("Cart"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 30; i++ {
			if n := clock.Pending(); n > 1 {
				t.Fatalf("%d timers pending for one trigger", n)
			}
			if fired && clock.Pending() != 0 {
				t.Fatalf("fired but %d timers pending", clock.Pending())
			}
			clock.Advance(97 * time.Minute)
		}
		eng.Stop()
	})
}
