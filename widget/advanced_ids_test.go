package widget

import (
	"testing"
	"time"
)

// TestAdvancedFiredNamesTheShownEntry: triggerFired and messageShown of an
// advanced trigger name the same transcript entry, even when an action in
// between (maximize) makes another trigger add an entry first.
func TestAdvancedFiredNamesTheShownEntry(t *testing.T) {
	t.Parallel()
	s, err := ParseSet([]byte(`{"version":1,"property":"acme","triggers":[
	  {"id":"opened","type":"maximized","message":{"text":"Opened"},"agent":{"name":"Ann"}},
	  {"id":"adv","type":"advanced","event":"page_view","actions":[
	    {"type":"maximize"},
	    {"type":"send_message","message":{"text":"Hello"},"agent":{"name":"Bo"}},
	    {"type":"wait","seconds":2},
	    {"type":"send_message","message":{"text":"Still there?"},"agent":{"name":"Bo"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	clock := NewManualClock(time.Unix(1_700_000_000, 0))
	fired := map[string]int{}
	shown := map[string][]int{}
	e := New(Compile(s), Options{Clock: clock, Sink: func(ef Effect) {
		switch ef.Kind {
		case EffectFired:
			fired[ef.TriggerID] = ef.Entry.ID
		case EffectShow:
			shown[ef.TriggerID] = append(shown[ef.TriggerID], ef.Entry.ID)
		}
	}})
	e.PageView(Page{URL: "https://acme.test/"})
	clock.Advance(3 * time.Second)
	if len(shown["adv"]) != 2 || fired["adv"] == 0 || fired["adv"] != shown["adv"][0] {
		t.Fatalf("adv fired entry %d, shown %v: the fired entry must be the first shown", fired["adv"], shown["adv"])
	}
	if fired["opened"] != shown["opened"][0] || fired["opened"] == fired["adv"] {
		t.Fatalf("opened fired %d shown %v; ids must be distinct", fired["opened"], shown["opened"])
	}
	seen := map[int]bool{}
	for _, en := range e.Transcript() {
		if seen[en.ID] {
			t.Fatalf("transcript id %d used twice: %+v", en.ID, e.Transcript())
		}
		seen[en.ID] = true
	}
}
