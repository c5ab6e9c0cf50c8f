package widget_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Delivery rules, type by type.

func TestSite_FiresAfterDelayNotBefore(t *testing.T) {
	t.Parallel()
	tr := with(siteT("welcome", 5), func(t *widget.Trigger) {
		t.Suggestions = []string{"Tarifs", "Parler à un humain"}
		t.Agent = widget.Agent{Name: "Apollo", Image: "avatar:robot"}
	})
	r := newRig(t, tr)
	r.view("/")
	if r.clock.Pending() == 0 {
		t.Errorf("no timer pending after the page view")
	}
	ef := r.firesAt("welcome", 5*s1)

	want := widget.Entry{
		ID: ef.Entry.ID, Kind: widget.EntryTrigger, TriggerID: "welcome", At: ms(5 * s1),
		Text: "Hello from welcome", Agent: &widget.Agent{Name: "Apollo", Image: "avatar:robot"},
		Suggestions: []string{"Tarifs", "Parler à un humain"},
	}
	if !reflect.DeepEqual(ef.Entry, want) {
		t.Errorf("fired entry = %+v, want %+v", ef.Entry, want)
	}
	// EffectFired then EffectShow, with the same entry.
	var kinds []widget.EffectKind
	for _, ef := range r.rec.all() {
		kinds = append(kinds, ef.Kind)
	}
	if !reflect.DeepEqual(kinds, []widget.EffectKind{widget.EffectFired, widget.EffectShow}) {
		t.Errorf("effect kinds = %v, want [Fired Show]", kinds)
	}
	if shows := r.rec.of(widget.EffectShow); len(shows) != 1 || !reflect.DeepEqual(shows[0].Entry, want) || shows[0].TriggerID != "welcome" {
		t.Errorf("EffectShow = %+v", shows)
	}
	if got := r.eng.Transcript(); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("Transcript = %+v, want [%+v]", got, want)
	}
	snap := r.eng.Snapshot()
	if !reflect.DeepEqual(snap.Fired, []widget.FiredRecord{{TriggerID: "welcome", At: ms(5 * s1)}}) {
		t.Errorf("Snapshot.Fired = %+v", snap.Fired)
	}
	if len(snap.Armed) != 0 {
		t.Errorf("Snapshot.Armed = %+v, want none", snap.Armed)
	}
	r.silentUntil(2 * time.Hour)
}

func TestSite_DelayZeroFiresAtPageView(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0))
	r.at(7 * s1)
	r.wantFired()
	r.view("/")
	r.wantFired("welcome")
	if got := r.rec.of(widget.EffectFired)[0].Entry.At; got != ms(7*s1) {
		t.Errorf("fired at %d, want %d", got, ms(7*s1))
	}
}

func TestSite_NothingBeforeFirstPageView(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0), siteT("later", 5))
	r.silentUntil(time.Hour)
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers pending before any page view", n)
	}
}

// TestSite_CountdownRunsAcrossPageViews: page 2 at t=3 with delay 5 fires at
// t=5, and later page views do not fire it again.
func TestSite_CountdownRunsAcrossPageViews(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5))
	r.view("/")
	r.at(3 * s1)
	r.view("/pricing")
	r.at(4 * s1)
	r.view("/about?x=1")
	r.firesAt("welcome", 5*s1)
	for i, p := range []string{"/", "/pricing", "/contact"} {
		r.at(time.Duration(10+i) * s1)
		r.view(p)
	}
	r.silentUntil(time.Minute)
	r.wantFired("welcome")
	if got := r.eng.Snapshot().Visit.PageViews; got != 6 {
		t.Errorf("PageViews = %d, want 6", got)
	}
}

func TestPage_FiresOnMatchingURLAfterDelay(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"))
	r.view("/")
	r.silentUntil(20 * s1)
	r.view("/pricing")
	r.firesAt("pricing-help", 30*s1)
	r.silentUntil(time.Hour)
}

func TestPage_NonMatchingPagesNeverArm(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 0, "exact", "/pricing"))
	for i, p := range []string{"/", "/pricing/plans", "/en/pricing", "/Pricing"} {
		r.at(time.Duration(i) * s1)
		r.view(p)
	}
	r.silentUntil(time.Hour)
	if got := r.cancelled("pricing-help"); len(got) != 0 {
		t.Errorf("cancelled %q, but it was never armed", got)
	}
}

func TestPage_LeavingForNonMatchingPageCancels(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"))
	r.view("/pricing")
	r.at(9 * s1)
	r.view("/about")
	r.wantCancelled("pricing-help", widget.HeldLeftPage)
	if armed := r.eng.Snapshot().Armed; len(armed) != 0 {
		t.Errorf("Snapshot.Armed = %+v after leaving, want none", armed)
	}
	r.silentUntil(2 * time.Hour)
}

func TestPage_MovingBetweenMatchingPagesKeepsCountdown(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"))
	r.view("/pricing")
	r.at(4 * s1)
	r.view("/pricing/team")
	r.at(7 * s1)
	r.view("/pricing/?plan=pro")
	r.firesAt("pricing-help", 10*s1)
	if got := r.cancelled("pricing-help"); len(got) != 0 {
		t.Errorf("cancelled %q while moving between matching pages", got)
	}
}

// TestPage_ComingBackRestartsDelay: the delay counts from landing on a
// matching page; after leaving, the next landing starts it again.
func TestPage_ComingBackRestartsDelay(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 10, "exact", "/pricing"))
	r.view("/pricing")
	r.at(6 * s1)
	r.view("/about")
	r.at(8 * s1)
	r.view("/pricing")
	r.firesAt("pricing-help", 18*s1)
}

func TestPage_HashRoute(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("spa-pricing", 2, "exact", "/app#/pricing"))
	r.view("/app#/home")
	r.at(1 * s1)
	r.view("/app#/pricing")
	r.at(2 * s1)
	r.view("/app#/home")
	r.wantCancelled("spa-pricing", widget.HeldLeftPage)
	r.at(5 * s1)
	r.view("/app#/pricing")
	r.firesAt("spa-pricing", 7*s1)
}

func TestChatRescue_FiresWhenNoAgentAnswers(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 30))
	r.view("/")
	r.silentUntil(time.Minute)
	if err := r.eng.VisitorMessage("Hello, anyone?"); err != nil {
		t.Fatal(err)
	}
	if got := r.eng.Snapshot().Chat; got != widget.ChatRequesting {
		t.Errorf("chat state = %q, want requesting", got)
	}
	r.firesAt("rescue", time.Minute+30*s1)
	tr := r.eng.Transcript()
	if len(tr) != 2 || tr[0].Kind != widget.EntryVisitor || tr[0].Text != "Hello, anyone?" || tr[1].TriggerID != "rescue" {
		t.Errorf("Transcript = %+v, want the visitor message then the rescue", tr)
	}
}

func TestChatRescue_CancelledByAgent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		agent func(*widget.Engine)
	}{
		{"agent message", func(e *widget.Engine) {
			if err := e.AgentMessage("Sam", "Hi, I'm here"); err != nil {
				panic(err)
			}
		}},
		{"agent joined", func(e *widget.Engine) { e.AgentJoined("Sam") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, rescueT("rescue", 30))
			r.view("/")
			if err := r.eng.VisitorMessage("help"); err != nil {
				t.Fatal(err)
			}
			r.at(29 * s1)
			tc.agent(r.eng)
			r.wantCancelled("rescue", widget.HeldAnswered)
			if got := r.eng.Snapshot().Chat; got != widget.ChatServed {
				t.Errorf("chat state = %q, want served", got)
			}
			r.silentUntil(2 * time.Hour)
		})
	}
}

func TestChatRescue_SecondMessageDoesNotRestart(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 30))
	r.view("/")
	if err := r.eng.VisitorMessage("first"); err != nil {
		t.Fatal(err)
	}
	r.at(20 * s1)
	if err := r.eng.VisitorMessage("second"); err != nil {
		t.Fatal(err)
	}
	r.firesAt("rescue", 30*s1)
}

// TestChatRescue_OncePerChat: at most once per chat; a new chat (after
// ChatEnded and a new visitor message) may be rescued again.
func TestChatRescue_OncePerChat(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 30))
	r.view("/")
	mustSay(t, r.eng, "first chat")
	r.firesAt("rescue", 30*s1)

	r.at(40 * s1)
	mustSay(t, r.eng, "still there?")
	r.silentUntil(10 * min1)
	r.wantFired("rescue")

	r.eng.ChatEnded()
	if got := r.eng.Snapshot().Chat; got != widget.ChatEnded {
		t.Errorf("chat state = %q, want ended", got)
	}
	r.at(11 * min1)
	mustSay(t, r.eng, "second chat")
	r.firesAt("rescue", 11*min1+30*s1)
	r.wantFired("rescue", "rescue")
}

// TestChatRescue_AfterServedChat: a chat the agent answered and ended does
// not stop the next chat's rescue.
func TestChatRescue_AfterServedChat(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 30))
	r.view("/")
	mustSay(t, r.eng, "first")
	r.at(5 * s1)
	if err := r.eng.AgentMessage("Sam", "Hello!"); err != nil {
		t.Fatal(err)
	}
	r.at(10 * s1)
	r.eng.ChatEnded()
	r.at(20 * s1)
	mustSay(t, r.eng, "one more thing")
	r.firesAt("rescue", 50*s1)
}

func TestChatRescue_NeedsAVisitorMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 0))
	r.view("/")
	r.eng.SetMaximized(true)
	r.eng.ChatEnded() // no chat: ignored
	r.silentUntil(time.Hour)
	if got := r.eng.Snapshot().Chat; got != widget.ChatNone {
		t.Errorf("chat state = %q, want none", got)
	}
}

func TestMaximized_FiresAfterDelay(t *testing.T) {
	t.Parallel()
	r := newRig(t, maxT("opened", 2))
	r.view("/")
	r.silentUntil(3 * s1)
	r.eng.SetMaximized(true)
	if got := r.rec.of(widget.EffectMaximize); len(got) != 1 || !got[0].Maximized {
		t.Errorf("EffectMaximize = %+v, want one with Maximized true", got)
	}
	if !r.eng.Maximized() || !r.eng.Snapshot().Maximized {
		t.Errorf("engine does not report the widget open")
	}
	r.firesAt("opened", 5*s1)
}

func TestMaximized_MinimisingFirstCancels(t *testing.T) {
	t.Parallel()
	r := newRig(t, maxT("opened", 5))
	r.view("/")
	r.eng.SetMaximized(true)
	r.at(4 * s1)
	r.eng.SetMaximized(false)
	if len(r.cancelled("opened")) != 1 {
		t.Errorf("cancellations = %q, want one", r.cancelled("opened"))
	}
	if got := r.rec.of(widget.EffectMaximize); len(got) != 2 || got[1].Maximized {
		t.Errorf("EffectMaximize = %+v, want open then closed", got)
	}
	r.silentUntil(time.Minute)
	// The next maximize is a new event: the delay counts from it.
	r.eng.SetMaximized(true)
	r.firesAt("opened", time.Minute+5*s1)
}

func TestMaximized_ZeroDelayOncePerVisit(t *testing.T) {
	t.Parallel()
	r := newRig(t, maxT("opened", 0))
	r.view("/")
	r.eng.SetMaximized(true)
	r.wantFired("opened")
	r.eng.SetMaximized(true) // already open: nothing new
	r.eng.SetMaximized(false)
	r.at(s1)
	r.eng.SetMaximized(true)
	r.silentUntil(time.Minute)
	r.wantFired("opened")
	if got := len(r.rec.of(widget.EffectMaximize)); got != 3 {
		t.Errorf("%d EffectMaximize, want 3 (open, close, open)", got)
	}
}

// Online gating.

func TestOnline_NothingFiresWhileAwayOrOffline(t *testing.T) {
	t.Parallel()
	for _, status := range []string{widget.StatusAway, widget.StatusOffline} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, siteT("welcome", 0), pageT("pricing-help", 0, "exact", "/pricing"),
				rescueT("rescue", 0), maxT("opened", 0))
			if err := r.eng.SetStatus(status); err != nil {
				t.Fatal(err)
			}
			if got := r.rec.of(widget.EffectStatus); len(got) != 1 || got[0].Status != status {
				t.Errorf("EffectStatus = %+v", got)
			}
			r.view("/pricing")
			r.eng.SetMaximized(true)
			mustSay(t, r.eng, "hello")
			r.silentUntil(2 * time.Hour)
			if got := r.eng.Status(); got != status {
				t.Errorf("Status() = %q, want %q", got, status)
			}
		})
	}
}

func TestOnline_SetStatusFromTheSet(t *testing.T) {
	t.Parallel()
	s := setOf(siteT("welcome", 0))
	s.Status = widget.StatusAway
	r := startRig(t, compileOK(t, s), widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	if got := r.eng.Status(); got != widget.StatusAway {
		t.Fatalf("Status() = %q, want the set's away", got)
	}
	r.view("/")
	r.silentUntil(time.Minute)
	if err := r.eng.SetStatus(widget.StatusOnline); err != nil {
		t.Fatal(err)
	}
	r.wantFired("welcome") // delay 0, re-armed on the current page
}

// TestOnline_LeavingCancelsComingBackRearmsFullDelay covers the site and the
// page triggers: cancelled when the status leaves online, re-armed with their
// full delay when it comes back, from that moment.
func TestOnline_LeavingCancelsComingBackRearmsFullDelay(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 10), pageT("pricing-help", 20, "starts_with", "/pricing"),
		pageT("contact-help", 5, "exact", "/contact"))
	r.view("/pricing")
	r.at(8 * s1)
	if err := r.eng.SetStatus(widget.StatusAway); err != nil {
		t.Fatal(err)
	}
	r.wantCancelled("welcome", widget.HeldStatus)
	r.wantCancelled("pricing-help", widget.HeldStatus)
	if armed := r.eng.Snapshot().Armed; len(armed) != 0 {
		t.Errorf("Snapshot.Armed = %+v while away, want none", armed)
	}
	r.silentUntil(60 * s1)
	if err := r.eng.SetStatus(widget.StatusOnline); err != nil {
		t.Fatal(err)
	}
	want := []widget.ArmedRecord{{TriggerID: "welcome", Due: ms(70 * s1)}, {TriggerID: "pricing-help", Due: ms(80 * s1)}}
	if got := r.eng.Snapshot().Armed; !reflect.DeepEqual(got, want) {
		t.Errorf("Snapshot.Armed = %+v, want %+v (full delays from t=60)", got, want)
	}
	r.firesAt("welcome", 70*s1)
	r.firesAt("pricing-help", 80*s1)
	r.silentUntil(time.Hour) // contact-help's page was never viewed
}

// TestOnline_ComingBackOnNonMatchingPage: a page trigger is re-armed only
// when the current page matches.
func TestOnline_ComingBackOnNonMatchingPage(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 5, "exact", "/pricing"))
	r.view("/pricing")
	r.at(s1)
	mustStatus(t, r.eng, widget.StatusOffline)
	r.view("/about")
	r.at(2 * s1)
	mustStatus(t, r.eng, widget.StatusOnline)
	r.silentUntil(time.Hour)
}

func TestOnline_ChatRescueAndMaximizedWaitForNextEvent(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 10), maxT("opened", 10))
	r.view("/")
	r.eng.SetMaximized(true)
	mustSay(t, r.eng, "hello")
	r.at(5 * s1)
	mustStatus(t, r.eng, widget.StatusAway)
	r.wantCancelled("rescue", widget.HeldStatus)
	r.wantCancelled("opened", widget.HeldStatus)
	r.at(6 * s1)
	mustStatus(t, r.eng, widget.StatusOnline)
	if armed := r.eng.Snapshot().Armed; len(armed) != 0 {
		t.Errorf("Snapshot.Armed = %+v, want none: chat rescue and maximized wait for their next event", armed)
	}
	r.silentUntil(time.Hour)

	// Their next events arm them again.
	r.eng.SetMaximized(false)
	r.eng.SetMaximized(true)
	r.firesAt("opened", time.Hour+10*s1)
	r.eng.ChatEnded()
	mustSay(t, r.eng, "new chat")
	r.firesAt("rescue", time.Hour+20*s1)
}

func TestOnline_SetStatusRejectsUnknown(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5))
	for _, s := range []string{"", "busy", "Online", "ONLINE"} {
		if err := r.eng.SetStatus(s); err == nil {
			t.Errorf("SetStatus(%q) = nil, want an error", s)
		}
	}
	if got := r.eng.Status(); got != widget.StatusOnline {
		t.Errorf("Status() = %q after rejected calls, want online", got)
	}
	if got := r.rec.of(widget.EffectStatus); len(got) != 0 {
		t.Errorf("EffectStatus = %+v for rejected statuses", got)
	}
}

func TestOnline_SameStatusIsNoChange(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 10))
	r.view("/")
	r.at(5 * s1)
	mustStatus(t, r.eng, widget.StatusOnline)
	if got := r.rec.of(widget.EffectStatus); len(got) != 0 {
		t.Errorf("EffectStatus = %+v, want none for online→online", got)
	}
	r.firesAt("welcome", 10*s1) // countdown untouched
}

// Once per visit, once per visitor.

func TestOnce_PerVisit(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0), pageT("pricing-help", 0, "exact", "/pricing"))
	for i := 0; i < 3; i++ {
		r.at(time.Duration(i) * min1)
		r.view("/pricing")
		r.view("/")
	}
	r.wantFired("welcome", "pricing-help")
}

func TestOnce_NewVisitAfterIdleTimeout(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5), onceEver(siteT("intro", 5)))
	r.view("/")
	r.at(5 * s1)
	r.wantFired("welcome", "intro")
	snap := r.eng.Snapshot()
	if snap.Visit.Visits != 1 || snap.Visit.Returning || snap.Visit.Start != ms(0) {
		t.Errorf("first visit summary = %+v, want visits 1, not returning, start t0", snap.Visit)
	}

	// 29 minutes idle: same visit.
	r.at(29 * min1)
	r.view("/about")
	r.silentUntil(30 * min1)
	if got := r.eng.Snapshot().Visit.Visits; got != 1 {
		t.Errorf("Visits = %d after 29 min idle, want 1", got)
	}

	// 31 minutes after the last activity: a new visit.
	idleFrom := 29 * min1
	r.at(idleFrom + widget.VisitTimeout + s1)
	r.view("/")
	snap = r.eng.Snapshot()
	if snap.Visit.Visits != 2 || !snap.Visit.Returning || snap.Visit.PageViews != 1 || snap.Visit.Start != ms(idleFrom+widget.VisitTimeout+s1) {
		t.Errorf("second visit summary = %+v, want visits 2, returning, 1 page view, new start", snap.Visit)
	}
	if len(snap.Fired) != 0 {
		t.Errorf("new visit starts with fired %+v, want none", snap.Fired)
	}
	r.firesAt("welcome", idleFrom+widget.VisitTimeout+6*s1)
	r.silentUntil(3 * time.Hour)
	r.wantFired("welcome", "intro", "welcome") // intro is once per visitor
}

func TestOnce_NewBrowserSessionIsNewVisit(t *testing.T) {
	t.Parallel()
	a := newRig(t, siteT("welcome", 0), onceEver(siteT("intro", 0)))
	a.view("/")
	a.wantFired("welcome", "intro")

	a.at(time.Minute)
	b := a.reload(true)
	b.view("/")
	b.wantFired("welcome")
	snap := b.eng.Snapshot()
	if snap.Visit.Visits != 2 || !snap.Visit.Returning || snap.Visit.PageViews != 1 {
		t.Errorf("visit after new session = %+v, want visits 2, returning, 1 page view", snap.Visit)
	}
	if got := triggerEntries(b.eng.Transcript()); !reflect.DeepEqual(got, []string{"welcome"}) {
		t.Errorf("new visit transcript = %q, want only its own welcome", got)
	}
}

// Not on top of a live conversation.

func TestServed_HoldsSitePageAndMaximized(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 10), pageT("pricing-help", 10, "exact", "/pricing"), maxT("opened", 10))
	r.view("/pricing")
	r.eng.SetMaximized(true)
	mustSay(t, r.eng, "hi")
	r.at(2 * s1)
	if err := r.eng.AgentMessage("Sam", "Hello, how can I help?"); err != nil {
		t.Fatal(err)
	}
	r.silentUntil(10 * min1)
	for _, id := range []string{"welcome", "pricing-help", "opened"} {
		r.wantCancelled(id, widget.HeldServed)
	}
	// Still served: page views do not fire them either.
	r.view("/pricing")
	r.silentUntil(20 * min1)

	// Once the chat is over, the next page view may fire them again.
	r.eng.ChatEnded()
	r.at(21 * min1)
	r.view("/pricing")
	r.silentUntil(21*min1 + 9*s1)
	r.at(21*min1 + 10*s1)
	r.wantFired("welcome", "pricing-help")
}

func TestServed_AgentWithoutVisitorMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 10))
	r.view("/")
	r.eng.AgentJoined("")
	tr := r.eng.Transcript()
	if len(tr) != 1 || tr[0].Kind != widget.EntrySystem || tr[0].Text == "" {
		t.Errorf("Transcript = %+v, want one system entry", tr)
	}
	r.silentUntil(time.Hour)
	r.wantCancelled("welcome", widget.HeldServed)
}

// Ordering.

func TestOrder_SameInstantInSetOrder(t *testing.T) {
	t.Parallel()
	// Ids deliberately out of alphabetical order; repeated to catch any
	// dependence on map iteration order.
	ids := []string{"zeta", "alpha", "mid", "beta"}
	for i := 0; i < 20; i++ {
		var triggers []widget.Trigger
		for _, id := range ids {
			triggers = append(triggers, siteT(id, 5))
		}
		r := newRig(t, triggers...)
		r.view("/")
		r.at(5 * s1)
		r.wantFired(ids...)
		if got := triggerEntries(r.eng.Transcript()); !reflect.DeepEqual(got, ids) {
			t.Fatalf("transcript order = %q, want %q", got, ids)
		}
		if t.Failed() {
			return
		}
	}
}

func TestOrder_DifferentInstantsInTimeOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("late", 8), siteT("early", 3), siteT("middle", 5))
	r.view("/")
	r.at(time.Hour) // one jump past every deadline
	r.wantFired("early", "middle", "late")
	if got := triggerEntries(r.eng.Transcript()); !reflect.DeepEqual(got, []string{"early", "middle", "late"}) {
		t.Errorf("transcript order = %q", got)
	}
	var at []int64
	for _, ef := range r.rec.of(widget.EffectFired) {
		at = append(at, ef.Entry.At)
	}
	if want := []int64{ms(3 * s1), ms(5 * s1), ms(8 * s1)}; !reflect.DeepEqual(at, want) {
		t.Errorf("fire times = %v, want %v", at, want)
	}
}

// TestOrder_SameInstantArmedAtDifferentTimes: triggers armed by different
// events but due at the same instant still fire in set order.
func TestOrder_SameInstantArmedAtDifferentTimes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		triggers []widget.Trigger
		want     []string
	}{
		{"maximized first in set", []widget.Trigger{maxT("opened", 2), siteT("welcome", 5)}, []string{"opened", "welcome"}},
		{"site first in set", []widget.Trigger{siteT("welcome", 5), maxT("opened", 2)}, []string{"welcome", "opened"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, tc.triggers...)
			r.view("/")
			r.at(3 * s1)
			r.eng.SetMaximized(true)
			r.silentUntil(5*s1 - ms1)
			r.at(5 * s1)
			r.wantFired(tc.want...)
		})
	}
}

func TestOrder_DelayZeroOnSamePageView(t *testing.T) {
	t.Parallel()
	r := newRig(t, pageT("pricing-help", 0, "exact", "/pricing"), siteT("welcome", 0))
	r.view("/pricing")
	r.wantFired("pricing-help", "welcome")
}

func TestDisabled_NeverFires(t *testing.T) {
	t.Parallel()
	r := newRig(t,
		disabled(siteT("welcome", 0)),
		disabled(pageT("pricing-help", 0, "starts_with", "/")),
		disabled(rescueT("rescue", 0)),
		disabled(maxT("opened", 0)),
		siteT("enabled", 1),
	)
	r.view("/pricing")
	r.eng.SetMaximized(true)
	mustSay(t, r.eng, "hi")
	mustStatus(t, r.eng, widget.StatusAway)
	mustStatus(t, r.eng, widget.StatusOnline)
	r.at(10 * min1)
	r.view("/")
	r.at(20 * min1)
	r.wantFired("enabled")
}

func TestMessages_ValidateInput(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 0))
	r.view("/")
	for _, text := range []string{"", "   ", "\n\t", strings.Repeat("x", widget.MaxVisitorMessageLen+1)} {
		if err := r.eng.VisitorMessage(text); err == nil {
			t.Errorf("VisitorMessage(%.10q…) = nil, want an error", text)
		}
	}
	if err := r.eng.AgentMessage("Sam", "  "); err == nil {
		t.Errorf("AgentMessage(blank) = nil, want an error")
	}
	if tr := r.eng.Transcript(); len(tr) != 0 {
		t.Errorf("rejected messages reached the transcript: %+v", tr)
	}
	if got := r.eng.Snapshot().Chat; got != widget.ChatNone {
		t.Errorf("chat state = %q after rejected messages, want none", got)
	}
	r.wantFired()
	if err := r.eng.VisitorMessage("  padded  "); err != nil {
		t.Fatal(err)
	}
	if tr := r.eng.Transcript(); len(tr) == 0 || tr[0].Text != "padded" {
		t.Errorf("Transcript = %+v, want the trimmed message first", tr)
	}
	if err := r.eng.VisitorMessage(strings.Repeat("😀", widget.MaxVisitorMessageLen)); err != nil {
		t.Errorf("a message of %d emojis: %v", widget.MaxVisitorMessageLen, err)
	}
}

func TestTranscript_IsBounded(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0))
	r.view("/")
	total := widget.MaxTranscript + 50
	for i := 2; i <= total; i++ {
		mustSay(t, r.eng, "message "+strconv.Itoa(i))
	}
	tr := r.eng.Transcript()
	if len(tr) != widget.MaxTranscript {
		t.Fatalf("transcript has %d entries, want %d", len(tr), widget.MaxTranscript)
	}
	if last := tr[len(tr)-1]; last.Text != "message "+strconv.Itoa(total) || last.ID != total {
		t.Errorf("last entry = %+v, want message %d with id %d", last, total, total)
	}
	// The oldest lines went first, but the trigger's message stays.
	if tr[0].ID != 1 || tr[0].TriggerID != "welcome" {
		t.Errorf("first entry = %+v, want the welcome message (id 1) kept", tr[0])
	}
	for i := 2; i < len(tr); i++ {
		if tr[i].ID != tr[i-1].ID+1 {
			t.Fatalf("entry ids not consecutive at %d: %d then %d", i, tr[i-1].ID, tr[i].ID)
		}
	}
}

func TestStop_IgnoresEventsAndTimers(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5), maxT("opened", 0))
	r.view("/")
	r.eng.Stop()
	r.eng.SetMaximized(true)
	r.view("/pricing")
	r.silentUntil(time.Hour)
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers still pending after Stop", n)
	}
}

func mustSay(t *testing.T, e *widget.Engine, text string) {
	t.Helper()
	if err := e.VisitorMessage(text); err != nil {
		t.Fatalf("VisitorMessage(%q): %v", text, err)
	}
}

func mustStatus(t *testing.T, e *widget.Engine, status string) {
	t.Helper()
	if err := e.SetStatus(status); err != nil {
		t.Fatalf("SetStatus(%q): %v", status, err)
	}
}
