package widget

import (
	"testing"
	"time"
)

// sampleValue is a value a condition on a field of kind k may compare with.
func sampleValue(d *fieldDecl, op string) RawJSON {
	if op == OpExists || op == OpNotExists {
		return nil
	}
	list := op == OpIn || op == OpNotIn
	switch d.kind {
	case kindNumber:
		v := "1"
		if d.bounded {
			v = "2"
		}
		if list {
			return RawJSON("[" + v + "]")
		}
		return RawJSON(v)
	case kindBool:
		return RawJSON("true")
	}
	if list {
		return RawJSON(`["x"]`)
	}
	return RawJSON(`"x"`)
}

// fieldName is a usable name for the declaration (a key after a prefix).
func fieldName(d *fieldDecl) string {
	if d.keyed {
		return d.name + "plan"
	}
	return d.name
}

// TestConditionFields_EveryEntry walks the field table: each entry has the
// one accessor of its kind, compiles with every operator of its kind, is
// found by its name, evaluates and renders on a live engine, and says
// truthfully whether time alone changes it.
func TestConditionFields_EveryEntry(t *testing.T) {
	t.Parallel()
	if len(conditionFields) != 24 {
		t.Errorf("the table has %d fields, want the 24 documented ones", len(conditionFields))
	}
	seen := map[string]bool{}
	for i := range conditionFields {
		d := &conditionFields[i]
		t.Run(d.name, func(t *testing.T) {
			if seen[d.name] {
				t.Fatalf("declared twice")
			}
			seen[d.name] = true
			accessors := map[kind]bool{kindString: d.str != nil, kindNumber: d.num != nil, kindBool: d.boolean != nil, kindList: d.list != nil}
			for k, set := range accessors {
				if set != (k == d.kind) {
					t.Errorf("accessor for %s set = %v; a %s field has exactly its own", k, set, d.kind)
				}
			}
			if d.bounded && (d.rangeText == "" || d.kind != kindNumber || d.min > d.max) {
				t.Errorf("bounded field needs a number kind, a range and its wording")
			}
			if d.keyed != (d.name[len(d.name)-1] == '.') {
				t.Errorf("keyed fields, and only they, are prefixes ending in '.'")
			}
			got, key, ok := lookupField(fieldName(d))
			if !ok || got != d || d.keyed != (key != "") {
				t.Fatalf("lookupField(%q) = %v, %q, %v", fieldName(d), got, key, ok)
			}
			if _, _, ok := lookupField(d.name + "x"); ok && !d.keyed {
				if g, _, _ := lookupField(d.name + "x"); g == d {
					t.Errorf("%q also matches a longer name", d.name)
				}
			}

			e := preparedEngine(t)
			clock := e.clock.(*ManualClock)
			for _, op := range opsFor(d.kind) {
				c, err := compileCond(Condition{Field: fieldName(d), Op: op, Value: sampleValue(d, op)}, false)
				if err != nil {
					t.Fatalf("%s %s: %v", d.name, op, err)
				}
				e.mu.Lock()
				x := evalContext{e: e, now: e.now(), eventName: "x", eventNameLower: "x"}
				c.eval(&x)
				if c.actual(&x) == "" {
					t.Errorf("%s %s: actual is empty", d.name, op)
				}
				e.mu.Unlock()
			}

			// Time alone: 25 hours later, with no event in between, the
			// timed fields have moved (hour, weekday, seconds on site and
			// page) and no other field has.
			c, err := compileCond(Condition{Field: fieldName(d), Op: OpExists}, false)
			if err != nil {
				t.Fatal(err)
			}
			read := func() string {
				e.mu.Lock()
				defer e.mu.Unlock()
				x := evalContext{e: e, now: e.now(), eventName: "x", eventNameLower: "x"}
				return c.actual(&x)
			}
			before := read()
			if d.timed() {
				e.mu.Lock()
				now := e.now()
				x := evalContext{e: e, now: now}
				earliest := int64(0)
				v, _ := d.num(&x)
				d.next(&x, v+1, func(at int64) {
					if at > now && (earliest == 0 || at < earliest) {
						earliest = at
					}
				})
				e.mu.Unlock()
				if earliest == 0 || earliest > now+time.Hour.Milliseconds() {
					t.Errorf("next offers %d, want an instant within the hour after %d", earliest, now)
				} else {
					clock.Set(time.UnixMilli(earliest - 1))
					if got := read(); got != before {
						t.Errorf("value changed from %s to %s before the next change %s said", before, got, time.UnixMilli(earliest))
					}
				}
			} else if d.next != nil {
				t.Errorf("untimed field has a next function")
			}
			clock.Advance(25 * time.Hour)
			if changed := read() != before; changed != d.timed() {
				t.Errorf("after 25 h alone the value changed = %v (%s → %s), want %v: timed() must say whether time changes it", changed, before, read(), d.timed())
			}
		})
	}
}

// TestConditionFields_Info: the exported description follows the table.
func TestConditionFields_Info(t *testing.T) {
	t.Parallel()
	info := ConditionFields()
	if len(info) != len(conditionFields) {
		t.Fatalf("%d infos for %d fields", len(info), len(conditionFields))
	}
	for i, f := range info {
		d := &conditionFields[i]
		if f.Name != d.name || f.Kind != d.kind.String() || f.Timed != d.timed() || len(f.Ops) != len(opsFor(d.kind)) {
			t.Errorf("info %+v does not describe %s", f, d.name)
		}
	}
}

// TestEvaluate_DoesNotAllocate: offering an event to advanced triggers
// allocates nothing, though every condition reads its field through the
// table (a context on the stack would escape to the heap at every check).
func TestEvaluate_DoesNotAllocate(t *testing.T) {
	c := Compile(&Set{Version: FormatVersion, Property: "acme", Triggers: []Trigger{{
		ID: "a", Type: TypeAdvanced, Event: EventCustom,
		Conditions: []Condition{
			{Field: "page.path", Op: OpStartsWith, Value: RawJSON(`"/shop"`)},
			{Field: "visit.time_on_page", Op: OpGte, Value: RawJSON(`0`)},
			{Field: "visitor.tags", Op: OpContains, Value: RawJSON(`"vip"`)},
		},
		Actions: []Action{{Type: ActionMaximize}},
	}}})
	if len(c.Problems) > 0 {
		t.Fatal(c.Problems)
	}
	e := New(c, Options{Clock: NewManualClock(condT0)})
	e.PageView(Page{URL: "https://x.test/shop/tents"})
	e.mu.Lock()
	defer e.mu.Unlock()
	now := e.now()
	if n := testing.AllocsPerRun(100, func() { e.onEvent(EventCustom, "cart", now) }); n != 0 {
		t.Errorf("an event offered to one advanced trigger allocates %v times", n)
	}
	if e.failed[0] != 2 {
		t.Errorf("first failing condition = %d, want the tags one (the others hold)", e.failed[0])
	}
}
