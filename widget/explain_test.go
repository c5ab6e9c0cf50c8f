package widget

import (
	"testing"
	"time"
)

func TestExplainNamesEveryState(t *testing.T) {
	t.Parallel()
	off := false
	set := Compile(&Set{Version: 1, Property: "acme", Triggers: []Trigger{
		{ID: "welcome", Type: TypeSite, Delay: 5, Message: &Message{Text: "Hi"}, Agent: Agent{Name: "Ann"}},
		{ID: "pricing", Type: TypePage, Delay: 5, URL: &URLRule{Match: MatchStartsWith, Value: "/pricing"}, Message: &Message{Text: "Prices"}, Agent: Agent{Name: "Ann"}},
		{ID: "rescue", Type: TypeChatRescue, Delay: 30, Message: &Message{Text: "Sorry"}, Agent: Agent{Name: "Ann"}},
		{ID: "off", Type: TypeSite, Enabled: &off, Message: &Message{Text: "Never"}, Agent: Agent{Name: "Ann"}},
		{ID: "broken", Type: TypeSite, Delay: -1, Message: &Message{Text: "x"}, Agent: Agent{Name: "Ann"}},
	}})
	clock := NewManualClock(time.Unix(1_700_000_000, 0))
	e := New(set, Options{Clock: clock})
	e.PageView(Page{URL: "https://acme.test/pricing"})
	clock.Advance(2 * time.Second)
	e.PageView(Page{URL: "https://acme.test/"})
	clock.Advance(3 * time.Second) // welcome fires at 5 s

	got := map[string]Explanation{}
	x := e.Explain()
	for _, t := range x.Triggers {
		got[t.TriggerID] = t
	}
	start := time.Unix(1_700_000_000, 0).UnixMilli()
	checks := []struct {
		id, state, reason string
	}{
		{"welcome", StateFired, HeldOnce},
		{"pricing", StateWaiting, HeldLeftPage},
		{"rescue", StateWaiting, ""},
		{"off", StateDisabled, HeldDisabled},
	}
	for _, c := range checks {
		g, ok := got[c.id]
		if !ok {
			t.Errorf("no explanation for %q", c.id)
			continue
		}
		if g.State != c.state || g.Reason != c.reason {
			t.Errorf("%s: state %q reason %q, want %q %q", c.id, g.State, g.Reason, c.state, c.reason)
		}
	}
	if got["welcome"].FiredAt != start+5000 {
		t.Errorf("welcome fired at %d, want %d", got["welcome"].FiredAt, start+5000)
	}
	if _, ok := got["broken"]; ok || len(x.Skipped) != 1 || x.Skipped[0].TriggerID != "broken" || x.Skipped[0].Field != "delay" {
		t.Errorf("skipped = %+v, want the broken trigger's delay problem", x.Skipped)
	}

	if err := e.SetStatus(StatusAway); err != nil {
		t.Fatal(err)
	}
	e.VisitorMessage("hello")
	for _, tr := range e.Explain().Triggers {
		if tr.TriggerID == "rescue" && (tr.State != StateBlocked || tr.Reason != HeldStatus) {
			t.Errorf("rescue while away: %+v, want blocked by status", tr)
		}
	}
	if err := e.SetStatus(StatusOnline); err != nil {
		t.Fatal(err)
	}
	e.PageView(Page{URL: "https://acme.test/pricing/team"})
	for _, tr := range e.Explain().Triggers {
		if tr.TriggerID == "pricing" && (tr.State != StateArmed || tr.Due != clock.Now().UnixMilli()+5000) {
			t.Errorf("pricing on a matching page: %+v, want armed for now+5s", tr)
		}
	}
}
