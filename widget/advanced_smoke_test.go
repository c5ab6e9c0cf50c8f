package widget

import (
	"testing"
	"time"
)

// TestAdvancedSpecExample runs the documented hesitant-buyer example: returning
// visitor, 30 s on /pricing, then a message, a 5 s wait and a tag.
func TestAdvancedSpecExample(t *testing.T) {
	t.Parallel()
	s, err := ParseSet([]byte(`{"version":1,"property":"acme","triggers":[{
	  "id": "hesitant-buyer", "type": "advanced", "oncePerVisitor": true, "event": "page_view", "match": "all",
	  "conditions": [
	    { "field": "page.path", "op": "starts_with", "value": "/pricing" },
	    { "field": "visit.time_on_page", "op": "gte", "value": 30 },
	    { "field": "visitor.returning", "op": "eq", "value": true }
	  ],
	  "actions": [
	    { "type": "send_message", "message": { "text": "Need a hand choosing a plan?" }, "agent": { "name": "Maya" }, "suggestions": ["Yes please", "Just looking"] },
	    { "type": "wait", "seconds": 5 },
	    { "type": "add_tags", "tags": ["pricing-interest"] }
	  ]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	set := Compile(s)
	if len(set.Problems) > 0 {
		t.Fatalf("problems: %v", set.Problems)
	}
	clock := NewManualClock(time.Unix(1_700_000_000, 0))
	store := NewMemoryStorage()
	var fired []int64
	sink := func(ef Effect) {
		if ef.Kind == EffectFired {
			fired = append(fired, clock.Now().Unix()-1_700_000_000)
		}
	}
	// First visit: not returning, nothing fires.
	e := New(set, Options{Clock: clock, Storage: store, Sink: sink})
	e.PageView(Page{URL: "https://acme.test/pricing"})
	clock.Advance(40 * time.Second)
	if len(fired) != 0 {
		t.Fatalf("fired for a first-time visitor at %v", fired)
	}
	// 31 idle minutes later: a returning visitor. Leaves after 20 s: no fire.
	clock.Advance(31 * time.Minute)
	base := clock.Now().Unix() - 1_700_000_000
	e.PageView(Page{URL: "https://acme.test/pricing"})
	clock.Advance(20 * time.Second)
	e.PageView(Page{URL: "https://acme.test/about"})
	clock.Advance(20 * time.Second)
	if len(fired) != 0 {
		t.Fatalf("fired although the visitor left the page first: %v", fired)
	}
	e.PageView(Page{URL: "https://acme.test/pricing/teams"})
	clock.Advance(29 * time.Second)
	if len(fired) != 0 {
		t.Fatalf("fired before 30 s on the page: %v", fired)
	}
	clock.Advance(1 * time.Second)
	if want := base + 70; len(fired) != 1 || fired[0] != want {
		t.Fatalf("fired at %v, want [%d]", fired, want)
	}
	if tags := e.Snapshot().Tags; len(tags) != 0 {
		t.Fatalf("tagged before the wait: %v", tags)
	}
	clock.Advance(5 * time.Second)
	if tags := e.Snapshot().Tags; len(tags) != 1 || tags[0] != "pricing-interest" {
		t.Fatalf("tags after the wait = %v", tags)
	}
}
