package widget_test

import (
	"math/rand"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// browser is several tabs of one visitor: engines on one clock and one
// Storage, as the tabs of a browser share localStorage.
type browser struct {
	t     *testing.T
	clock *widget.ManualClock
	store *widget.MemoryStorage
	set   *widget.Compiled
}

func newBrowser(t *testing.T, triggers ...widget.Trigger) *browser {
	t.Helper()
	return &browser{t: t, clock: widget.NewManualClock(t0), store: widget.NewMemoryStorage(), set: compileOK(t, setOf(triggers...))}
}

// open opens a tab; a follower does not lead until told.
func (b *browser) open(follower bool) *rig {
	b.t.Helper()
	r := &rig{t: b.t, clock: b.clock, store: b.store, set: b.set, rec: &recorder{}}
	r.eng = widget.New(b.set, widget.Options{Clock: b.clock, Storage: b.store, Sink: r.rec.sink, Follower: follower})
	return r
}

// at moves the shared clock to t0+d.
func (b *browser) at(d time.Duration) { b.clock.Set(t0.Add(d)) }

// shows returns the texts of the lines a tab was told to show, in order.
func shows(r *rig) []string {
	var out []string
	for _, ef := range r.rec.of(widget.EffectShow) {
		out = append(out, ef.Entry.Text)
	}
	return out
}

func TestTabs_TriggerFiresOnceInTheLeadingTab(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, siteT("welcome", 5))
	a := b.open(false)
	a.view("/")
	b.at(2 * s1)
	// Opened mid-countdown: the deadline is the shared one.
	c := b.open(true)
	c.view("/docs")
	d := b.open(true)
	d.view("/pricing")
	b.at(5*s1 - ms1)
	if n := len(a.rec.fired()) + len(c.rec.fired()) + len(d.rec.fired()); n != 0 {
		t.Fatalf("fired before the delay")
	}
	b.at(5 * s1)
	c.eng.Sync()
	d.eng.Sync()
	a.wantFired("welcome")
	if got := append(c.rec.fired(), d.rec.fired()...); len(got) != 0 {
		t.Errorf("followers fired %q, want nothing: the leading tab fires", got)
	}
	for name, r := range map[string]*rig{"leader": a, "second tab": c, "third tab": d} {
		if got := triggerEntries(r.eng.Transcript()); len(got) != 1 || got[0] != "welcome" {
			t.Errorf("%s: transcript trigger lines = %q, want welcome once", name, got)
		}
		if got := shows(r); len(got) != 1 {
			t.Errorf("%s: shown %q, want the welcome message once", name, got)
		}
	}
	if got := a.eng.Snapshot().Visit.PageViews; got != 3 {
		t.Errorf("page views = %d, want 3 (one per tab)", got)
	}
}

func TestTabs_FollowerTakesOverWhenTheLeaderCloses(t *testing.T) {
	t.Parallel()
	b, a, c := twoTabs(t, siteT("welcome", 5))
	b.at(2 * s1)
	a.eng.Stop() // the leading tab closes
	c.eng.SetLeader(true)
	b.at(5*s1 - ms1)
	c.wantFired()
	b.at(5 * s1)
	c.wantFired("welcome")
}

// Without a leader election (no Web Locks) every tab leads; a tab's timer
// adopts what the others wrote before it fires, so a trigger due in two
// tabs at once still fires once.
func TestTabs_AllLeadingStillFireOnce(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, siteT("welcome", 5))
	a := b.open(false)
	a.view("/")
	c := b.open(false)
	c.view("/")
	b.at(5 * s1)
	if n := len(a.rec.fired()) + len(c.rec.fired()); n != 1 {
		t.Errorf("fired %d times in two tabs, want once", n)
	}
	a.eng.Sync()
	c.eng.Sync()
	for _, r := range []*rig{a, c} {
		if got := triggerEntries(r.eng.Transcript()); len(got) != 1 {
			t.Errorf("transcript trigger lines = %q, want welcome once", got)
		}
	}
}

func TestTabs_MessagesAppearInEveryTab(t *testing.T) {
	t.Parallel()
	_, a, c := twoTabs(t, siteT("welcome", 60))
	mustSay(t, a.eng, "from the first tab")
	c.eng.Sync()
	mustSay(t, c.eng, "from the second tab")
	if err := c.eng.AgentMessage("Ann", "hello both"); err != nil {
		t.Fatal(err)
	}
	a.eng.Sync()
	want := []string{"from the first tab", "from the second tab", "hello both"}
	for name, r := range map[string]*rig{"first": a, "second": c} {
		if got := shows(r); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s tab showed %q, want %q", name, got, want)
		}
	}
	if s := a.eng.Snapshot(); s.Chat != widget.ChatServed {
		t.Errorf("first tab's chat = %q, want served (the agent answered in the other tab)", s.Chat)
	}
}

// Two tabs that write without seeing each other's last write lose
// nothing: each write merges what is stored first. The two new lines took
// the same id; the later one is renumbered, and its tab told so.
func TestTabs_RacingWritesKeepEveryMessage(t *testing.T) {
	t.Parallel()
	b, a, c := twoTabs(t, siteT("welcome", 60))
	a.eng.Sync()
	b.at(time.Second)
	mustSay(t, a.eng, "A1")
	b.at(time.Second + ms1)
	mustSay(t, c.eng, "C1") // c has not seen A1
	b.at(time.Second + 2*ms1)
	mustSay(t, a.eng, "A2") // a has not seen C1
	a.eng.Sync()
	c.eng.Sync()
	want := "A1|C1|A2"
	for name, r := range map[string]*rig{"first": a, "second": c} {
		var got []string
		ids := map[int]bool{}
		for _, en := range r.eng.Transcript() {
			got = append(got, en.Text)
			if ids[en.ID] {
				t.Errorf("%s tab: id %d used twice", name, en.ID)
			}
			ids[en.ID] = true
		}
		if strings.Join(got, "|") != want {
			t.Errorf("%s tab's transcript = %q, want %s", name, got, want)
		}
	}
	var renumbered bool
	for _, ef := range append(a.rec.of(widget.EffectUpdate), c.rec.of(widget.EffectUpdate)...) {
		if ef.OldID != 0 && ef.OldID != ef.Entry.ID {
			renumbered = true
		}
	}
	if !renumbered {
		t.Errorf("no EffectUpdate with OldID: the colliding line kept a duplicate id")
	}
	stored := b.open(true).eng.Transcript()
	if len(stored) != 3 {
		t.Errorf("stored transcript has %d lines, want 3: %+v", len(stored), stored)
	}
}

func TestTabs_UsedSuggestionUpdatesTheOtherTab(t *testing.T) {
	t.Parallel()
	_, a, c := twoTabs(t, with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} }))
	id := a.eng.Transcript()[0].ID
	if _, err := c.eng.UseSuggestion(id, 0); err != nil {
		t.Fatal(err)
	}
	a.eng.Sync()
	ups := a.rec.of(widget.EffectUpdate)
	if len(ups) != 1 || ups[0].Entry.ID != id || !ups[0].Entry.Retired {
		t.Errorf("first tab's updates = %+v, want the message with its suggestions retired", ups)
	}
	if got := shows(a); len(got) != 2 || got[1] != "Yes" {
		t.Errorf("first tab showed %q, want the visitor's Yes after the welcome", got)
	}
}

func TestTabs_StatusAndOpenStateAreShared(t *testing.T) {
	t.Parallel()
	b, a, c := twoTabs(t, siteT("welcome", 60))
	if err := c.eng.SetStatus(widget.StatusAway); err != nil {
		t.Fatal(err)
	}
	c.eng.SetMaximized(true)
	a.eng.Sync()
	if st := a.rec.of(widget.EffectStatus); len(st) != 1 || st[0].Status != widget.StatusAway {
		t.Errorf("first tab's status effects = %+v, want away", st)
	}
	if mx := a.rec.of(widget.EffectMaximize); len(mx) != 1 || !mx[0].Maximized {
		t.Errorf("first tab's maximize effects = %+v, want opened", mx)
	}
	b.at(2 * time.Minute)
	a.wantFired() // the countdown was cancelled with the status
}

// A stored visit another tab wrote is checked like one read at start.
func TestTabs_AdoptedStateIsChecked(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, siteT("welcome", 60))
	a := b.open(false)
	a.view("/")
	raw, _, _ := b.store.Get(widget.KeyVisit)
	bad := `{"id":50,"kind":"trigger","triggerId":"t","at":1,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"link","url":"javascript:alert(1)","title":"x"}]}`
	raw = strings.Replace(raw, `"next":`, `"transcript":[`+bad+`],"next":`, 1)
	if err := b.store.Set(widget.KeyVisit, raw); err != nil {
		t.Fatal(err)
	}
	a.eng.Sync()
	if got := shows(a); len(got) != 0 {
		t.Errorf("shown %q from planted state", got)
	}
	if errs := a.errorsWithCode(widget.ErrStorage); len(errs) != 1 || !strings.Contains(errs[0].Message, "attachments[0].url") {
		t.Errorf("storage errors = %+v, want the planted link named", errs)
	}
}

// fakeUI renders effects as the browser's UI does: elements in order, a map
// from entry id to element, Show appends, Update replaces in place (after
// moving the element to its new id when OldID is set).
type fakeUI struct {
	elems []string // texts, in DOM order; "" for a replaced (gone) element
	byID  map[int]int
}

func (u *fakeUI) apply(ef widget.Effect) {
	switch ef.Kind {
	case widget.EffectShow:
		u.byID[ef.Entry.ID] = len(u.elems)
		u.elems = append(u.elems, ef.Entry.Text)
	case widget.EffectUpdate:
		if ef.OldID != 0 {
			if i, ok := u.byID[ef.OldID]; ok {
				delete(u.byID, ef.OldID)
				u.byID[ef.Entry.ID] = i
			}
		}
		if i, ok := u.byID[ef.Entry.ID]; ok {
			u.elems[i] = ef.Entry.Text
		}
	}
}

func (u *fakeUI) texts() []string {
	out := append([]string(nil), u.elems...)
	sort.Strings(out)
	return out
}

// deferred collects an engine's coalesced writes (Options.Defer), for a
// test to run when it likes.
type deferred []func()

func (d *deferred) add(w func()) { *d = append(*d, w) }

// run runs the writes collected, and any they defer in turn.
func (d *deferred) run() {
	for len(*d) > 0 {
		w := (*d)[0]
		*d = (*d)[1:]
		w()
	}
}

// uiTab is a tab of b with coalesced writes and a fakeUI, on a page.
type uiTab struct {
	eng     *widget.Engine
	ui      *fakeUI
	pending deferred
}

func openUITab(b *browser, follower bool) *uiTab {
	tt := &uiTab{ui: &fakeUI{byID: map[int]int{}}}
	tt.eng = widget.New(b.set, widget.Options{Clock: b.clock, Storage: b.store, Sink: tt.ui.apply, Follower: follower, Defer: tt.pending.add})
	tt.eng.PageView(widget.Page{URL: "https://x.test/"})
	return tt
}

// settle writes and syncs every tab, three rounds.
func settle(tabs []*uiTab) {
	for range 3 {
		for _, tt := range tabs {
			tt.pending.run()
			tt.eng.Sync()
		}
	}
}

// wantTexts checks that each tab shows, and holds, exactly the texts of
// want (in any order).
func wantTexts(t *testing.T, seed int64, tabs []*uiTab, want []string) {
	t.Helper()
	want = slices.Sorted(slices.Values(want))
	for i, tt := range tabs {
		shown := slices.DeleteFunc(tt.ui.texts(), func(s string) bool { return s == "" })
		if strings.Join(shown, ",") != strings.Join(want, ",") {
			t.Fatalf("seed %d: tab %d shows %q, want %q", seed, i+1, shown, want)
		}
		var model []string
		for _, en := range tt.eng.Transcript() {
			model = append(model, en.Text)
		}
		sort.Strings(model)
		if strings.Join(model, ",") != strings.Join(want, ",") {
			t.Fatalf("seed %d: tab %d's transcript %q, want %q", seed, i+1, model, want)
		}
	}
}

// Two tabs send messages, sync and write in random interleavings, with
// coalesced writes: every tab ends up showing every message exactly once.
func TestTabs_RandomInterleavingsConverge(t *testing.T) {
	t.Parallel()
	for seed := int64(1); seed <= 200; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		b := newBrowser(t, siteT("later", 3600))
		tabs := []*uiTab{openUITab(b, false), openUITab(b, true)}
		var want []string
		for step := 0; step < 60; step++ {
			tt := tabs[rnd.Intn(2)]
			switch rnd.Intn(4) {
			case 0, 1:
				msg := "m" + strconv.Itoa(step)
				want = append(want, msg)
				mustSay(t, tt.eng, msg)
			case 2:
				tt.pending.run()
			case 3:
				tt.eng.Sync()
			}
			if rnd.Intn(3) == 0 {
				b.clock.Set(b.clock.Now().Add(time.Millisecond))
			}
		}
		settle(tabs)
		wantTexts(t, seed, tabs, want)
	}
}

// A tab that loses the lead (another tab was shown and took it) stops its
// timers; the new leader fires.
func TestTabs_LeadMovesToAnotherTab(t *testing.T) {
	t.Parallel()
	b, a, c := twoTabs(t, siteT("welcome", 5))
	b.at(2 * s1)
	a.eng.SetLeader(false)
	c.eng.SetLeader(true)
	b.at(5 * s1)
	a.wantFired()
	c.wantFired("welcome")
	a.eng.Sync()
	if got := shows(a); len(got) != 1 {
		t.Errorf("the former leader shows %q, want the welcome message", got)
	}
}

// twoTabs opens two tabs of one browser on "/": a first, in the
// background, then c, shown (so c leads).
func twoTabs(t *testing.T, triggers ...widget.Trigger) (b *browser, a, c *rig) {
	t.Helper()
	b = newBrowser(t, triggers...)
	a = b.open(false)
	a.view("/")
	c = b.open(true)
	c.view("/")
	return b, a, c
}

// A page whose chat connection runs in every tab relays each agent message
// from every tab, with the chat platform's id: in random interleavings of
// the relays, syncs and coalesced writes, every tab shows each message
// once, and a message without an id sent twice stays twice.
func TestTabs_RelayedAgentMessageShownOnce(t *testing.T) {
	t.Parallel()
	for seed := int64(1); seed <= 200; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		b := newBrowser(t, siteT("later", 3600))
		tabs := []*uiTab{openUITab(b, false), openUITab(b, true)}
		const chat = 12 // messages the platform sends, each to both tabs
		relayed := make([]int, len(tabs))
		relay := func(i int) {
			k := strconv.Itoa(relayed[i])
			relayed[i]++
			if err := tabs[i].eng.AgentMessageID("Ann", "msg "+k, "platform-"+k); err != nil {
				t.Fatal(err)
			}
		}
		for step := 0; step < 80; step++ {
			i := rnd.Intn(2)
			switch rnd.Intn(3) {
			case 0:
				if relayed[i] < chat {
					relay(i)
				}
			case 1:
				tabs[i].pending.run()
			case 2:
				tabs[i].eng.Sync()
			}
			if rnd.Intn(3) == 0 {
				b.clock.Set(b.clock.Now().Add(time.Millisecond))
			}
		}
		for i := range tabs {
			for relayed[i] < chat {
				relay(i)
			}
		}
		if err := tabs[0].eng.AgentMessage("Ann", "ok"); err != nil { // no id: shown
			t.Fatal(err)
		}
		if err := tabs[0].eng.AgentMessage("Ann", "ok"); err != nil { // each time
			t.Fatal(err)
		}
		settle(tabs)
		var want []string
		for k := range chat {
			want = append(want, "msg "+strconv.Itoa(k))
		}
		wantTexts(t, seed, tabs, append(want, "ok", "ok"))
	}
}

// An agent message's id is checked like the rest of the call.
func TestAgentMessageID_Checked(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("later", 3600))
	for _, id := range []string{strings.Repeat("x", widget.MaxMessageIDLen+1), "a\nb", "\xff"} {
		if err := r.eng.AgentMessageID("Ann", "Hi", id); err == nil || !strings.Contains(err.Error(), "agent message id") {
			t.Errorf("id %q: error %v, want one naming the id", id, err)
		}
	}
	if err := r.eng.AgentMessageID("Ann", "Hi", "m-1"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.AgentMessageID("Ann", "Hi again", "m-1"); err != nil {
		t.Fatal(err)
	}
	if tr := r.eng.Transcript(); len(tr) != 1 || tr[0].Text != "Hi" || tr[0].Ref != "m-1" {
		t.Errorf("transcript %+v, want the first message with id m-1 only", tr)
	}
}

// A visitor who has seen 100 once-per-visitor triggers fire keeps the
// newest 100 records, in every tab alike: when one more fires, two tabs
// settle on the same records after one write each, instead of rewriting
// each other's state for ever; and nothing is reported as a problem of
// stored state.
func TestTabs_ShownOnceRecordsCappedAlikeInEveryTab(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, with(siteT("new", 0), func(t *widget.Trigger) { t.OncePerVisitor = true }))
	store := newCountingStorage()
	open := func(follower bool) *rig {
		r := &rig{t: t, clock: b.clock, store: store, set: b.set, rec: &recorder{}}
		r.eng = widget.New(b.set, widget.Options{Clock: b.clock, Storage: store, Sink: r.rec.sink, Follower: follower})
		return r
	}
	// What the engine wrote after 100 such triggers of older sets fired,
	// the two oldest at one time (ties are broken by id, alike in every
	// tab).
	if err := store.MemoryStorage.Set(widget.KeyVisitor, `{"v":1,"visits":1,"once":`+plantedRecords(99, `"old-tie":`+itoa64(ms(-99*time.Second)))+`}`); err != nil {
		t.Fatal(err)
	}
	a := open(false)
	c := open(true)
	c.view("/")
	b.at(time.Second)
	a.view("/") // the leader fires "new": 101 records, capped to 100
	for range 10 {
		a.eng.Sync()
		c.eng.Sync()
	}
	if n := store.writes(widget.KeyVisitor); n > 3 {
		t.Errorf("%d writes of the visitor record, want the tabs to settle after a few", n)
	}
	for name, r := range map[string]*rig{"first": a, "second": c} {
		if errs := r.errorsWithCode(widget.ErrStorage); len(errs) > 0 {
			t.Errorf("%s tab: storage errors %+v", name, errs)
		}
	}
	visitor, _, _ := store.Get(widget.KeyVisitor)
	// t98 and old-tie are the oldest, at one time: "old-tie" < "t98".
	if !strings.Contains(visitor, `"new":`) || !strings.Contains(visitor, `"old-tie":`) || strings.Contains(visitor, `"t98":`) {
		t.Errorf("stored records are not the newest 100 (ties by id): %.200s", visitor)
	}
	r := open(true)
	r.view("/")
	r.wantFired() // "new" was shown to this visitor already
}

// relayLate has the agent's question relayed by a at 1 s, the visitor
// answer in a at 3 s, and c relay the same question at 6 s.
func relayLate(t *testing.T, b *browser, a, c *rig) {
	t.Helper()
	b.at(time.Second)
	if err := a.eng.AgentMessageID("Ann", "Which size?", "m1"); err != nil {
		t.Fatal(err)
	}
	b.at(3 * time.Second)
	mustSay(t, a.eng, "Large, please")
	b.at(6 * time.Second)
	if err := c.eng.AgentMessageID("Ann", "Which size?", "m1"); err != nil {
		t.Fatal(err)
	}
}

// wantQuestionThenReply checks that both tabs hold the relayed question
// at the time the first tab had it, then the visitor's reply.
func wantQuestionThenReply(t *testing.T, a, c *rig) {
	t.Helper()
	for name, r := range map[string]*rig{"first": a, "second": c} {
		var got []string
		for _, en := range r.eng.Transcript() {
			got = append(got, en.Text+"@"+itoa64(en.At-ms(0)))
		}
		if want := "Which size?@1000|Large, please@3000"; strings.Join(got, "|") != want {
			t.Errorf("%s tab's transcript = %q, want %s", name, got, want)
		}
	}
}

// A relayed message keeps the time the first tab had it: a tab that relays
// it late, before it sees the first tab's write, does not move it after
// the visitor's reply to it, and its screen is told the earlier time.
func TestTabs_RelayedMessageKeepsItsFirstTime(t *testing.T) {
	t.Parallel()
	b, a, c := twoTabs(t, siteT("later", 3600))
	relayLate(t, b, a, c) // c has not seen a's write
	a.eng.Sync()
	c.eng.Sync()
	wantQuestionThenReply(t, a, c)
	var moved bool
	for _, ef := range c.rec.of(widget.EffectUpdate) {
		if ef.Entry.Ref == "m1" && ef.Entry.At == ms(time.Second) {
			moved = true
		}
	}
	if !moved {
		t.Errorf("the second tab was not told the relayed message's earlier time: %+v", c.rec.of(widget.EffectUpdate))
	}
}

// coalescingAndPlainTab opens two tabs on a page: a, whose writes wait in
// pending until the test runs them, and c, which writes at once.
func coalescingAndPlainTab(t *testing.T) (b *browser, a, c *rig, pending *deferred) {
	t.Helper()
	b = newBrowser(t, siteT("later", 3600))
	pending = &deferred{}
	a = &rig{t: t, clock: b.clock, store: b.store, set: b.set, rec: &recorder{}}
	a.eng = widget.New(b.set, widget.Options{Clock: b.clock, Storage: b.store, Sink: a.rec.sink, Defer: pending.add})
	a.view("/")
	c = b.open(true)
	c.view("/")
	pending.run()
	return b, a, c, pending
}

// The other way round: the first tab's copy is not written yet (its writes
// are coalesced) when the late tab writes its own; the first tab's write
// keeps the earlier time, and the late tab follows.
func TestTabs_RelayedMessageKeepsItsFirstTimeWhenWrittenLast(t *testing.T) {
	t.Parallel()
	b, a, c, pending := coalescingAndPlainTab(t)
	relayLate(t, b, a, c) // c's copy is written at once
	pending.run()         // a's write merges c's copy
	c.eng.Sync()
	wantQuestionThenReply(t, a, c)
}

// A relayed message written last by the first tab, whose copy is its only
// new line, still lands before the visitor's reply the late tab stored.
func TestTabs_RelayedMessageMovesBeforeAStoredReply(t *testing.T) {
	t.Parallel()
	b, a, c, pending := coalescingAndPlainTab(t)
	b.at(time.Second)
	if err := a.eng.AgentMessageID("Ann", "Which size?", "m1"); err != nil { // not written yet
		t.Fatal(err)
	}
	b.at(3 * time.Second)
	mustSay(t, c.eng, "Large, please") // stored at once
	b.at(6 * time.Second)
	if err := c.eng.AgentMessageID("Ann", "Which size?", "m1"); err != nil {
		t.Fatal(err)
	}
	pending.run()
	c.eng.Sync()
	wantQuestionThenReply(t, a, c)
}
