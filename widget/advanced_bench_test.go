package widget

import (
	"strconv"
	"testing"
	"time"
)

// advancedBenchSet is 20 advanced triggers of 10 conditions each, over many
// fields and operators. The first nine conditions hold for the benchmark's
// visitor and the tenth does not, so every event evaluates all 200.
func advancedBenchSet(b *testing.B) *Compiled {
	conds := `[
	  {"field": "page.path", "op": "starts_with", "value": "/shop"},
	  {"field": "page.url", "op": "contains", "value": "TENTS"},
	  {"field": "page.query.utm_source", "op": "eq", "value": "newsletter"},
	  {"field": "visitor.attr.plan", "op": "in", "value": ["pro", "team"]},
	  {"field": "visitor.tags", "op": "contains", "value": "vip"},
	  {"field": "visit.page_views", "op": "gte", "value": 1},
	  {"field": "page.title", "op": "regex", "value": ".*alpine.*"},
	  {"field": "device.type", "op": "eq", "value": "desktop"},
	  {"field": "browser", "op": "neq", "value": "safari"},
	  {"field": "visitor.returning", "op": "eq", "value": true}
	]`
	s := `{"version":1,"property":"bench","triggers":[`
	for i := 0; i < 20; i++ {
		if i > 0 {
			s += ","
		}
		s += `{"id":"a` + strconv.Itoa(i) + `","type":"advanced","event":"custom_event","conditions":` + conds +
			`,"actions":[{"type":"add_tags","tags":["x"]}]}`
	}
	set, err := ParseSet([]byte(s + `]}`))
	if err != nil {
		b.Fatal(err)
	}
	c := Compile(set)
	if len(c.Triggers) != 20 {
		b.Fatalf("compiled %d triggers: %v", len(c.Triggers), c.Problems)
	}
	return c
}

// BenchmarkEvaluate20x10 is one event offered to 20 advanced triggers of 10
// conditions: the compiled evaluation alone, without persistence.
func BenchmarkEvaluate20x10(b *testing.B) {
	c := advancedBenchSet(b)
	clock := NewManualClock(time.Unix(1_700_000_000, 0))
	e := New(c, Options{Clock: clock, Env: Env{DeviceType: "desktop", Browser: "chrome", OS: "linux", Language: "fr"}})
	if err := e.SetAttributes(map[string]string{"plan": "pro"}); err != nil {
		b.Fatal(err)
	}
	if err := e.AddTags([]string{"VIP"}); err != nil {
		b.Fatal(err)
	}
	e.PageView(Page{URL: "https://acme.test/shop/tents/alpine-2?utm_source=newsletter", Title: "Alpine 2 tent"})
	now := clock.Now().UnixMilli()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.onEvent(EventCustom, "cart", now)
	if got := e.failed[0]; got != 9 {
		b.Fatalf("first failing condition = %d, want the 10th (index 9): the first nine must hold", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		e.onEvent(EventCustom, "cart", now)
	}
}
