package widget_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Survives navigation: a full page load is a new engine on the same storage.

func TestReload_KeepsTranscriptAndDoesNotRepeat(t *testing.T) {
	t.Parallel()
	a := newRig(t, with(siteT("welcome", 5), func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} }))
	a.view("/")
	a.firesAt("welcome", 5*s1)
	a.at(10 * s1)
	before := a.eng.Transcript()

	b := a.reload(false)
	if got := b.rec.all(); len(got) != 0 {
		t.Errorf("New on a good stored state emitted %+v, want nothing", got)
	}
	if got := b.eng.Transcript(); !reflect.DeepEqual(got, before) {
		t.Errorf("transcript after reload = %+v\nwant %+v", got, before)
	}
	b.view("/about")
	b.silentUntil(20 * min1)
	snap := b.eng.Snapshot()
	if !reflect.DeepEqual(snap.Fired, []widget.FiredRecord{{TriggerID: "welcome", At: ms(5 * s1)}}) {
		t.Errorf("Snapshot.Fired after reload = %+v", snap.Fired)
	}
	if snap.Visit.Visits != 1 || snap.Visit.PageViews != 2 || snap.Visit.Start != ms(0) || snap.Visit.URL != "https://x.test/about" {
		t.Errorf("visit after reload = %+v, want the same visit with 2 page views", snap.Visit)
	}
	if len(snap.Messages) != 1 || snap.Messages[0].TriggerID != "welcome" {
		t.Errorf("Snapshot.Messages = %+v", snap.Messages)
	}
}

// TestReload_SiteCountdownResumes: a site countdown interrupted by a reload
// at t=2 (delay 5) fires in the new page at t=5, not at t=7.
func TestReload_SiteCountdownResumes(t *testing.T) {
	t.Parallel()
	a := newRig(t, siteT("welcome", 5))
	a.view("/")
	a.at(2 * s1)
	b := a.reload(false)
	b.view("/next")
	b.firesAt("welcome", 5*s1)
	b.silentUntil(time.Minute)
	a.wantFired() // the unloaded page never fires
}

func TestReload_PageCountdown(t *testing.T) {
	t.Parallel()
	t.Run("same matching page keeps the countdown", func(t *testing.T) {
		t.Parallel()
		a := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"))
		a.view("/pricing")
		a.at(4 * s1)
		b := a.reload(false)
		b.view("/pricing")
		b.firesAt("pricing-help", 10*s1)
	})
	t.Run("non-matching page cancels", func(t *testing.T) {
		t.Parallel()
		a := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"))
		a.view("/pricing")
		a.at(4 * s1)
		b := a.reload(false)
		b.view("/about")
		b.wantCancelled("pricing-help", widget.HeldLeftPage)
		b.silentUntil(time.Hour)
	})
}

func TestReload_ChatRescueResumes(t *testing.T) {
	t.Parallel()
	a := newRig(t, rescueT("rescue", 30))
	a.view("/")
	mustSay(t, a.eng, "hello")
	a.at(10 * s1)
	b := a.reload(false)
	if got := b.eng.Snapshot().Chat; got != widget.ChatRequesting {
		t.Errorf("chat state after reload = %q, want requesting", got)
	}
	b.view("/other")
	b.firesAt("rescue", 30*s1)
}

// TestReload_OverdueTriggersFireInTimeOrder: two countdowns that ran out
// while no page was loaded fire at the next page view, earliest deadline
// first, whatever their set order.
func TestReload_OverdueTriggersFireInTimeOrder(t *testing.T) {
	t.Parallel()
	a := newRig(t, siteT("late", 10), siteT("early", 3))
	a.view("/")
	a.at(s1)
	a.eng.Stop()
	a.at(20 * s1)
	b := a.reload(false)
	b.view("/next")
	b.wantFired("early", "late")
	for _, ef := range b.rec.of(widget.EffectFired) {
		if ef.Entry.At != ms(20*s1) {
			t.Errorf("%s fired at %d, want now (%d)", ef.TriggerID, ef.Entry.At, ms(20*s1))
		}
	}
}

// TestReload_SetChangedDropsRemovedTriggers: the site owner deleted a
// trigger while a visitor's countdown for it was stored. After the next page
// load the engine must not keep (or report through getState) a countdown for
// a trigger that no longer exists.
func TestReload_SetChangedDropsRemovedTriggers(t *testing.T) {
	t.Parallel()
	a := newRig(t, siteT("removed", 10), siteT("kept", 10))
	a.view("/")
	a.at(2 * s1)
	a.eng.Stop()
	b := startRig(t, compileOK(t, setOf(siteT("kept", 10))), a.clock, a.store, false)
	b.view("/")
	b.firesAt("kept", 10*s1)
	b.at(time.Hour)
	if armed := b.eng.Snapshot().Armed; len(armed) != 0 {
		t.Errorf("Snapshot.Armed = %+v, want none: %q is not in the set any more", armed, "removed")
	}
}

func TestReload_AfterIdleTimeoutIsNewVisit(t *testing.T) {
	t.Parallel()
	a := newRig(t, siteT("welcome", 0), onceEver(siteT("intro", 0)))
	a.view("/")
	a.wantFired("welcome", "intro")
	a.at(45 * min1)
	b := a.reload(false)
	b.view("/")
	b.wantFired("welcome")
	snap := b.eng.Snapshot()
	if snap.Visit.Visits != 2 || !snap.Visit.Returning || snap.Visit.PageViews != 1 {
		t.Errorf("visit = %+v, want the second visit with 1 page view", snap.Visit)
	}
	if got := triggerEntries(snap.Messages); !reflect.DeepEqual(got, []string{"welcome"}) {
		t.Errorf("messages = %q, want only the new visit's", got)
	}
}

// Visit lifetime. The format allows delays up to an hour and ends a visit
// after 30 minutes without activity: activity is the visitor's, so neither a
// trigger's own timer nor an agent's status change ends a visit or counts a
// new one; and the widget status is the property's, not the visit's.

func TestVisit_LongDelayFiresForVisitorOnThePage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		trigger widget.Trigger
	}{
		{"site, delay 3600", siteT("welcome", widget.MaxDelay)},
		{"page, delay 2400", pageT("pricing-help", 2400, "exact", "/pricing")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, tc.trigger)
			r.view("/pricing")
			r.firesAt(tc.trigger.ID, time.Duration(tc.trigger.Delay)*s1)
			if got := r.eng.Snapshot().Visit.Visits; got != 1 {
				t.Errorf("Visits = %d, want 1: the visitor never left", got)
			}
		})
	}
}

func TestVisit_StatusChangeWhileIdleIsNotAVisit(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5))
	r.view("/")
	r.at(45 * min1)
	mustStatus(t, r.eng, widget.StatusAway)
	mustStatus(t, r.eng, widget.StatusOnline)
	if got := r.eng.Snapshot().Visit.Visits; got != 1 {
		t.Errorf("Visits = %d after status changes, want 1: the visitor did nothing", got)
	}
}

func TestVisit_StatusSurvivesIdleTimeout(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5))
	r.view("/")
	r.firesAt("welcome", 5*s1)
	r.at(10 * s1)
	mustStatus(t, r.eng, widget.StatusOffline)
	r.at(10*s1 + widget.VisitTimeout + min1)
	r.view("/") // a new visit begins; nobody is at the desk still
	if got := r.eng.Status(); got != widget.StatusOffline {
		t.Errorf("Status() = %q after a new visit began, want offline (the host set it)", got)
	}
	r.silentUntil(2 * time.Hour)
}

// UseSuggestion.

// TestUseSuggestion_AfterIdleTimeout: a visitor who reads for 31 minutes
// and then clicks a suggestion button still on screen sends its text; the
// click is the activity that starts the new visit, it must not fail because
// that new visit forgot the message.
func TestUseSuggestion_AfterIdleTimeout(t *testing.T) {
	t.Parallel()
	welcome := with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} })
	r := newRig(t, welcome, rescueT("rescue", 30))
	r.view("/")
	entry := r.rec.of(widget.EffectFired)[0].Entry
	r.at(widget.VisitTimeout + min1)
	text, err := r.eng.UseSuggestion(entry.ID, 0)
	if err != nil || text != "Yes" {
		t.Fatalf("UseSuggestion after 31 min idle = %q, %v; want \"Yes\", nil", text, err)
	}
	if got := r.eng.Snapshot().Chat; got != widget.ChatRequesting {
		t.Errorf("chat state = %q, want requesting", got)
	}
}

func TestUseSuggestion(t *testing.T) {
	t.Parallel()
	welcome := with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Tarifs", "Parler à un humain"} })
	a := newRig(t, welcome, rescueT("rescue", 30))
	a.view("/")
	entry := a.rec.of(widget.EffectFired)[0].Entry
	a.at(3 * s1)
	n := len(a.rec.all())

	text, err := a.eng.UseSuggestion(entry.ID, 1)
	if err != nil || text != "Parler à un humain" {
		t.Fatalf("UseSuggestion = %q, %v; want the suggestion text", text, err)
	}
	effects := a.rec.all()[n:]
	if len(effects) < 2 {
		t.Fatalf("effects after UseSuggestion = %+v, want an update and the visitor message", effects)
	}
	if up := effects[0]; up.Kind != widget.EffectUpdate || up.TriggerID != "welcome" || up.Entry.ID != entry.ID || !up.Entry.Retired || len(up.Entry.Suggestions) != 2 {
		t.Errorf("first effect = %+v, want EffectUpdate of entry %d with its suggestions retired", up, entry.ID)
	}
	if sh := effects[1]; sh.Kind != widget.EffectShow || sh.Entry.Kind != widget.EntryVisitor || sh.Entry.Text != "Parler à un humain" {
		t.Errorf("second effect = %+v, want EffectShow of the visitor message", sh)
	}
	tr := a.eng.Transcript()
	if len(tr) != 2 || !tr[0].Retired || tr[1].Kind != widget.EntryVisitor || tr[1].Text != "Parler à un humain" || tr[1].At != ms(3*s1) {
		t.Errorf("Transcript = %+v", tr)
	}
	if got := a.eng.Snapshot().Chat; got != widget.ChatRequesting {
		t.Errorf("chat state = %q, want requesting: a suggestion starts a chat", got)
	}
	if _, err := a.eng.UseSuggestion(entry.ID, 0); err == nil {
		t.Errorf("second UseSuggestion on the same message = nil error, want an error (its suggestions are retired)")
	}

	// The retirement is persisted: a reload shows the suggestions as text
	// only; chat rescue still counts from the suggestion.
	a.at(10 * s1)
	b := a.reload(false)
	if tr := b.eng.Transcript(); len(tr) != 2 || !tr[0].Retired || len(tr[0].Suggestions) != 2 {
		t.Errorf("Transcript after reload = %+v, want the suggestions kept and still retired", tr)
	}
	b.view("/")
	b.firesAt("rescue", 33*s1)
}

// TestEntryIDs_UniqueAcrossVisits: entry ids name messages on screen (the
// UI updates and clicks them by id). When a new visit starts on the same page
// after 30 idle minutes, the old messages are still shown, so new entries must
// not reuse their ids: a click on the old welcome's button must not send the
// new welcome's suggestion.
func TestEntryIDs_UniqueAcrossVisits(t *testing.T) {
	t.Parallel()
	r := newRig(t, with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} }))
	r.view("/")
	r.at(widget.VisitTimeout + min1)
	r.view("/")
	fired := r.rec.of(widget.EffectFired)
	if len(fired) != 2 {
		t.Fatalf("fired %q, want welcome in each visit", r.rec.fired())
	}
	if first, second := fired[0].Entry.ID, fired[1].Entry.ID; first == second {
		t.Errorf("both visits' welcome messages have entry id %d; ids must stay unique on the page", first)
	}
}

func TestUseSuggestion_Errors(t *testing.T) {
	t.Parallel()
	welcome := with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"A", "B"} })
	r := newRig(t, welcome, siteT("plain", 0), rescueT("rescue", 0))
	r.view("/")
	fired := r.rec.of(widget.EffectFired)
	welcomeID, plainID := fired[0].Entry.ID, fired[1].Entry.ID
	cases := []struct {
		name         string
		entry, index int
	}{
		{"unknown entry", 999, 0},
		{"entry zero", 0, 0},
		{"negative index", welcomeID, -1},
		{"index past the end", welcomeID, 2},
		{"message without suggestions", plainID, 0},
	}
	for _, tc := range cases {
		n := len(r.rec.all())
		text, err := r.eng.UseSuggestion(tc.entry, tc.index)
		if err == nil || text != "" {
			t.Errorf("%s: UseSuggestion(%d, %d) = %q, %v; want \"\" and an error", tc.name, tc.entry, tc.index, text, err)
		}
		if extra := r.rec.all()[n:]; len(extra) != 0 {
			t.Errorf("%s: effects %+v, want none", tc.name, extra)
		}
	}
	if got := r.eng.Snapshot().Chat; got != widget.ChatNone {
		t.Errorf("chat state = %q, want none: failed clicks send nothing", got)
	}
	if tr := r.eng.Transcript(); len(tr) != 2 || len(tr[0].Suggestions) != 2 {
		t.Errorf("Transcript = %+v, want both trigger messages untouched", tr)
	}
}

// TestNew_DefaultOptions: with no clock, storage or sink given, the engine
// runs on the system clock and in memory.
func TestNew_DefaultOptions(t *testing.T) {
	t.Parallel()
	e := widget.New(compileOK(t, setOf(siteT("welcome", 0), siteT("later", 3600))), widget.Options{})
	defer e.Stop()
	e.PageView(widget.Page{URL: "https://x.test/"})
	snap := e.Snapshot()
	if len(snap.Fired) != 1 || snap.Fired[0].TriggerID != "welcome" {
		t.Errorf("Snapshot.Fired = %+v, want welcome", snap.Fired)
	}
	if len(snap.Armed) != 1 || snap.Armed[0].TriggerID != "later" {
		t.Errorf("Snapshot.Armed = %+v, want later", snap.Armed)
	}
}

// Storage failures.

func TestStorage_FailingStorageKeepsWorkingInMemory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		store widget.Storage
	}{
		{"get and set fail", &failingStorage{}},
		{"set fails", writeOnlyFailing{widget.NewMemoryStorage()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := compileOK(t, setOf(siteT("welcome", 5), rescueT("rescue", 10), maxT("opened", 0)))
			r := startRig(t, set, widget.NewManualClock(t0), tc.store, false)
			r.view("/")
			r.view("/pricing")
			r.eng.SetMaximized(true)
			mustSay(t, r.eng, "hi")
			r.at(time.Minute)
			r.view("/")
			r.wantFired("opened", "welcome", "rescue")
			errs := r.errorsWithCode("storage")
			if len(errs) != 1 {
				t.Fatalf("%d storage error effects, want exactly one: %+v", len(errs), errs)
			}
			if errs[0].Message == "" {
				t.Errorf("storage error effect has no message")
			}
			snap := r.eng.Snapshot()
			if snap.Visit.PageViews != 3 || len(snap.Messages) != 4 || snap.Visit.Visits != 1 {
				t.Errorf("in-memory state = %+v, want 3 page views and 4 messages", snap)
			}
		})
	}
}

func TestStorage_CorruptStateIsReset(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, key, value string
	}{
		{"visit not JSON", widget.KeyVisit, "{not json"},
		{"visit truncated", widget.KeyVisit, `{"v":1,"start":1741000000000,"last":17410`},
		{"visit wrong types", widget.KeyVisit, `{"v":1,"fired":["welcome"],"pages":"two"}`},
		{"visit of another version", widget.KeyVisit, `{"v":99,"start":1,"last":1}`},
		{"visit null", widget.KeyVisit, `null`},
		{"visit a list", widget.KeyVisit, `[]`},
		{"visit empty", widget.KeyVisit, ``},
		{"visitor not JSON", widget.KeyVisitor, "\x00\xff"},
		{"visitor wrong types", widget.KeyVisitor, `{"v":1,"visits":"many"}`},
		{"visitor of another version", widget.KeyVisitor, `{"v":0,"visits":3}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := widget.NewMemoryStorage()
			if err := store.Set(tc.key, tc.value); err != nil {
				t.Fatal(err)
			}
			set := compileOK(t, setOf(siteT("welcome", 0)))
			clock := widget.NewManualClock(t0)
			r := startRig(t, set, clock, store, false)
			if errs := r.errorsWithCode("storage"); len(errs) != 1 {
				t.Errorf("%d storage error effects on a corrupt %s, want one: %+v", len(errs), tc.key, r.rec.all())
			}
			r.view("/")
			r.wantFired("welcome")
			// What was written back is readable.
			b := r.reload(false)
			if got := b.rec.of(widget.EffectError); len(got) != 0 {
				t.Errorf("state written after the reset is unreadable: %+v", got)
			}
			if got := triggerEntries(b.eng.Transcript()); !reflect.DeepEqual(got, []string{"welcome"}) {
				t.Errorf("transcript after reset and reload = %q", got)
			}
		})
	}
}

// TestNew_ReportsInvalidTriggers: New reports each skipped trigger as an
// invalid_trigger error naming it, and runs the valid ones.
func TestNew_ReportsInvalidTriggers(t *testing.T) {
	t.Parallel()
	s := setOf(
		with(siteT("too-slow", 0), func(t *widget.Trigger) { t.Delay = 5000 }),
		siteT("good", 0),
		trig("page-no-url", widget.TypePage, 0),
		trig("adv", widget.TypeAdvanced, 0),
		pageT("good-page", 0, "exact", "/"),
	)
	c := widget.Compile(s)
	r := startRig(t, c, widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	named := map[string]bool{}
	for _, ef := range r.errorsWithCode("invalid_trigger") {
		named[ef.TriggerID] = true
		if !strings.Contains(ef.Message, ef.TriggerID) {
			t.Errorf("error message %q does not name %q", ef.Message, ef.TriggerID)
		}
	}
	for _, id := range []string{"too-slow", "page-no-url", "adv"} {
		if !named[id] {
			t.Errorf("no invalid_trigger error names %q; got %+v", id, r.rec.all())
		}
	}
	for _, id := range []string{"good", "good-page"} {
		if named[id] {
			t.Errorf("valid trigger %q reported invalid", id)
		}
	}
	r.view("/")
	r.wantFired("good", "good-page")
}

// A Sink that calls back into the engine.

func TestSink_ReentrantCallsKeepOrder(t *testing.T) {
	t.Parallel()
	for _, delay := range []int{0, 5} {
		t.Run("welcome delay "+itoaDelay(delay), func(t *testing.T) {
			t.Parallel()
			set := compileOK(t, setOf(siteT("welcome", delay), maxT("opened", 0)))
			clock := widget.NewManualClock(t0)
			var (
				mu  sync.Mutex
				got []string
				eng *widget.Engine
			)
			sink := func(ef widget.Effect) {
				mu.Lock()
				if !isReport(ef.Kind) {
					got = append(got, effectLabel(ef))
				}
				e := eng
				mu.Unlock()
				if e == nil {
					return
				}
				_ = e.Snapshot()
				_ = e.Transcript()
				if ef.Kind == widget.EffectFired && ef.TriggerID == "welcome" {
					e.SetMaximized(true)
				}
			}
			e := widget.New(set, widget.Options{Clock: clock, Storage: widget.NewMemoryStorage(), Sink: sink})
			mu.Lock()
			eng = e
			mu.Unlock()
			noDeadlock(t, func() {
				e.PageView(widget.Page{URL: "https://x.test/"})
				clock.Advance(time.Duration(delay) * s1)
			})
			want := []string{"fired welcome", "show welcome", "maximize true", "fired opened", "show opened"}
			mu.Lock()
			defer mu.Unlock()
			if !reflect.DeepEqual(got, want) {
				t.Errorf("effects = %q, want %q", got, want)
			}
			if tr := triggerEntries(e.Transcript()); !reflect.DeepEqual(tr, []string{"welcome", "opened"}) {
				t.Errorf("transcript = %q", tr)
			}
		})
	}
}

func TestSink_CanUseSuggestionFromInside(t *testing.T) {
	t.Parallel()
	set := compileOK(t, setOf(with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes"} })))
	var (
		eng     *widget.Engine
		clicked string
		err     error
	)
	rec := &recorder{}
	sink := func(ef widget.Effect) {
		rec.sink(ef)
		if ef.Kind == widget.EffectShow && ef.TriggerID == "welcome" && eng != nil {
			clicked, err = eng.UseSuggestion(ef.Entry.ID, 0)
		}
	}
	eng = widget.New(set, widget.Options{Clock: widget.NewManualClock(t0), Storage: widget.NewMemoryStorage(), Sink: sink})
	noDeadlock(t, func() { eng.PageView(widget.Page{URL: "https://x.test/"}) })
	if clicked != "Yes" || err != nil {
		t.Errorf("UseSuggestion from the sink = %q, %v", clicked, err)
	}
	var labels []string
	for _, ef := range rec.all() {
		labels = append(labels, effectLabel(ef))
	}
	want := []string{"fired welcome", "show welcome", "update welcome", "show visitor"}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("effects = %q, want %q", labels, want)
	}
}

// TestEngine_ConcurrentUse drives one engine from several goroutines while
// the clock advances; run with -race. Each once-per-visit trigger fires at
// most once.
func TestEngine_ConcurrentUse(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 1), pageT("pricing-help", 1, "exact", "/pricing"), maxT("opened", 1), rescueT("rescue", 2))
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 40; i++ {
				switch (g + i) % 6 {
				case 0:
					r.view("/pricing")
				case 1:
					_ = r.eng.VisitorMessage("hi")
				case 2:
					r.eng.SetMaximized(i%2 == 0)
				case 3:
					_ = r.eng.Snapshot()
				case 4:
					r.view("/")
				case 5:
					_ = r.eng.Transcript()
				}
			}
		}(g)
	}
	for i := 0; i < 40; i++ {
		r.clock.Advance(100 * ms1)
	}
	wg.Wait()
	r.clock.Advance(time.Minute)
	count := map[string]int{}
	for _, id := range r.rec.fired() {
		count[id]++
	}
	for _, id := range []string{"welcome", "pricing-help", "opened", "rescue"} {
		if count[id] > 1 {
			t.Errorf("%s fired %d times, want at most once", id, count[id])
		}
	}
	if count["welcome"] != 1 {
		t.Errorf("welcome fired %d times, want 1", count["welcome"])
	}
}

func TestSnapshot_JSONShape(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5))
	marshal := func() string {
		var w jwriter.Writer
		r.eng.Snapshot().MarshalEasyJSON(&w)
		b, err := w.BuildBytes()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fresh := marshal()
	for _, want := range []string{`"property":"acme"`, `"status":"online"`, `"maximized":false`, `"chat":"none"`, `"visit":{`, `"fired":[]`, `"armed":[]`, `"messages":[]`} {
		if !strings.Contains(fresh, want) {
			t.Errorf("fresh snapshot JSON lacks %s:\n%s", want, fresh)
		}
	}
	r.view("/pricing")
	r.at(5 * s1)
	later := marshal()
	for _, want := range []string{`"pageViews":1`, `"visits":1`, `"returning":false`, `"url":"https://x.test/pricing"`, `"fired":[{"triggerId":"welcome"`, `"messages":[{`} {
		if !strings.Contains(later, want) {
			t.Errorf("snapshot JSON lacks %s:\n%s", want, later)
		}
	}
}

func effectLabel(ef widget.Effect) string {
	switch ef.Kind {
	case widget.EffectFired:
		return "fired " + ef.TriggerID
	case widget.EffectShow:
		if ef.TriggerID == "" {
			return "show " + ef.Entry.Kind
		}
		return "show " + ef.TriggerID
	case widget.EffectUpdate:
		return "update " + ef.TriggerID
	case widget.EffectMaximize:
		if ef.Maximized {
			return "maximize true"
		}
		return "maximize false"
	case widget.EffectCancelled:
		return "cancelled " + ef.TriggerID + " " + ef.Reason
	case widget.EffectStatus:
		return "status " + ef.Status
	case widget.EffectError:
		return "error " + ef.Code
	}
	return "unknown"
}

func itoaDelay(d int) string { return time.Duration(d * int(time.Second)).String() }

// noDeadlock runs f and fails the test if it does not return: a deadlocked
// engine must fail fast, not hang the package.
func noDeadlock(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("deadlock: the call did not return")
	}
}

// A countdown restored from the last page and overdue by the time the
// next page starts waits for that page's first view, whatever the runtime
// or the host calls first: a page trigger whose page the visitor left is
// cancelled then, not fired; a site trigger fires then.
func TestRestoredCountdown_WaitsForTheFirstPageView(t *testing.T) {
	t.Parallel()
	for name, before := range map[string]func(*widget.Engine){
		"tab coordination": func(e *widget.Engine) { e.SetLeader(true) },
		"host attributes":  func(e *widget.Engine) { _ = e.SetAttributes(map[string]string{"plan": "pro"}) },
		"host status":      func(e *widget.Engine) { _ = e.SetStatus("online") },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, pageT("pricing-help", 10, "starts_with", "/pricing"), siteT("welcome", 10))
			r.view("/pricing")
			r.at(9500 * time.Millisecond)
			r = r.reload(false) // the visitor followed a link to /about
			r.at(10500 * time.Millisecond)
			before(r.eng)
			r.wantFired()
			r.view("/about")
			r.wantFired("welcome")
			r.wantCancelled("pricing-help", widget.HeldLeftPage)
		})
	}
}

// An agent message whose id is already in the transcript (another tab's
// late relay, the host replaying its chat history) changes nothing: the
// rescue of a later chat stays armed, and an ended chat stays ended.
func TestAgentMessage_KnownIDChangesNothing(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 30))
	r.view("/")
	_ = r.eng.VisitorMessage("hi")
	_ = r.eng.AgentMessageID("Maya", "hello", "m1")
	r.eng.ChatEnded()
	r.at(5 * time.Second)
	_ = r.eng.VisitorMessage("one more question") // a second chat: the rescue is armed
	before := len(r.cancelled("rescue"))          // the first chat's answer cancelled its own
	r.at(10 * time.Second)
	_ = r.eng.AgentMessageID("Maya", "hello", "m1")
	if got := r.cancelled("rescue"); len(got) != before {
		t.Errorf("the rescue was cancelled (%q) by a message of the first chat", got[before:])
	}
	r.firesAt("rescue", 35*time.Second)

	r2 := newRig(t, siteT("welcome", 10))
	r2.view("/")
	_ = r2.eng.VisitorMessage("hi")
	_ = r2.eng.AgentMessageID("Maya", "hello", "m1")
	r2.eng.ChatEnded()
	_ = r2.eng.AgentMessageID("Maya", "hello", "m1")
	if chat := r2.eng.Snapshot().Chat; chat != widget.ChatEnded {
		t.Errorf("chat = %q after a known message, want %q", chat, widget.ChatEnded)
	}
	r2.firesAt("welcome", 10*time.Second)
}

// The status set with setStatus describes the desk, not the visit: a new
// visit (after the idle timeout, or in a new browser session) keeps it, so
// a welcome is not shown while the desk is offline.
func TestStatus_OutlivesTheVisit(t *testing.T) {
	t.Parallel()
	for name, newSession := range map[string]bool{"idle timeout": false, "new browser session": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t, siteT("welcome", 0))
			if err := r.eng.SetStatus(widget.StatusOffline); err != nil {
				t.Fatal(err)
			}
			r.view("/")
			r.at(31 * time.Minute)
			r = r.reload(newSession)
			if got := r.eng.Status(); got != widget.StatusOffline {
				t.Errorf("status after the new visit's page load = %q, want %q", got, widget.StatusOffline)
			}
			r.view("/")
			r.wantFired()
			if err := r.eng.SetStatus(widget.StatusOnline); err != nil {
				t.Fatal(err)
			}
			r.wantFired("welcome")
		})
	}
}

// skewClock is a ManualClock whose wall clock (UnixMilli) reads skew ms
// behind its timers' clock, as after the system clock stepped back.
type skewClock struct {
	*widget.ManualClock
	skew int64
}

func (c *skewClock) UnixMilli() int64 { return c.ManualClock.UnixMilli() - c.skew }

// A countdown whose timer runs a moment before its due time by the wall
// clock (the system clock stepped back meanwhile) is not dropped: the
// engine waits for the time that remains.
func TestCountdown_WallClockSteppedBack(t *testing.T) {
	t.Parallel()
	mc := widget.NewManualClock(t0)
	c := &skewClock{ManualClock: mc}
	rec := &recorder{}
	eng := widget.New(compileOK(t, setOf(siteT("welcome", 5))), widget.Options{Clock: c, Storage: widget.NewMemoryStorage(), Sink: rec.sink})
	eng.PageView(widget.Page{URL: "https://x.test/"})
	c.skew = 1500 // the wall clock steps back 1.5 s
	mc.Advance(5 * time.Second)
	if got := rec.fired(); len(got) != 0 {
		t.Fatalf("fired %q with 1.5 s of the countdown left by the wall clock", got)
	}
	mc.Advance(1499 * time.Millisecond)
	if got := rec.fired(); len(got) != 0 {
		t.Fatalf("fired %q 1 ms early", got)
	}
	mc.Advance(time.Millisecond)
	if got := rec.fired(); len(got) != 1 || got[0] != "welcome" {
		t.Errorf("fired %q once the wall clock reached the due time, want [welcome]", got)
	}
}

// quotaStorage refuses values longer than limit, as localStorage does when
// the site's own data fills most of the origin's quota: the old value
// stays.
type quotaStorage struct {
	*widget.MemoryStorage
	limit int
}

func (q quotaStorage) Set(k, v string) error {
	if len(v) > q.limit {
		return errQuota
	}
	return q.MemoryStorage.Set(k, v)
}

var errQuota = quotaError{}

type quotaError struct{}

func (quotaError) Error() string { return "QuotaExceededError" }

// When the visit with its transcript no longer fits, the record the last
// write left must not make the next page fire a trigger again: the visit
// is stored without its transcript, and a fired trigger stays fired.
func TestFullStorage_FiredTriggerStaysFired(t *testing.T) {
	t.Parallel()
	clock := widget.NewManualClock(t0)
	store := quotaStorage{widget.NewMemoryStorage(), 200}
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 5))), clock, store, false)
	r.view("/")
	r.at(6 * time.Second) // fires; the visit with its message no longer fits
	r.wantFired("welcome")
	var storageErrs int
	for _, ef := range r.rec.of(widget.EffectError) {
		if ef.Code == widget.ErrStorage {
			storageErrs++
		}
	}
	if storageErrs != 1 {
		t.Errorf("%d storage errors reported, want 1", storageErrs)
	}
	r.noRefireOnNextPages(3)
}

// originQuota refuses a write that would make the two records together
// longer than limit, as an origin's storage quota does.
type originQuota struct {
	*widget.MemoryStorage
	limit int
}

func (q originQuota) Set(k, v string) error {
	total := len(v)
	for _, other := range []string{widget.KeyVisit, widget.KeyVisitor} {
		if other != k {
			s, _, _ := q.Get(other)
			total += len(s)
		}
	}
	if total > q.limit {
		return errQuota
	}
	return q.MemoryStorage.Set(k, v)
}

// The same when the origin's quota refuses the visitor record first (a
// trigger shown once per visitor adds to it): the visit is still written.
func TestFullStorage_VisitorRecordRefusedFirst(t *testing.T) {
	t.Parallel()
	clock := widget.NewManualClock(t0)
	mem := widget.NewMemoryStorage()
	welcome := siteT("welcome", 5)
	welcome.OncePerVisitor = true
	set := compileOK(t, setOf(welcome))
	r := startRig(t, set, clock, mem, false)
	r.view("/")
	used := 0
	for _, k := range []string{widget.KeyVisit, widget.KeyVisitor} {
		s, _, _ := mem.Get(k)
		used += len(s)
	}
	r.eng.Stop()
	// The same visit again, on storage with 30 bytes to spare.
	r = startRig(t, set, clock, originQuota{mem, used + 30}, false)
	r.view("/")
	r.at(6 * time.Second)
	r.wantFired("welcome")
	r.noRefireOnNextPages(3)
}

// noRefireOnNextPages loads n more pages, a second apart, and checks that
// none fires anything.
func (r *rig) noRefireOnNextPages(n int) {
	r.t.Helper()
	for i := range n {
		r = r.reload(false)
		r.view("/next")
		r.at(r.clock.Now().Sub(t0) + time.Second)
		if got := r.rec.fired(); len(got) != 0 {
			r.t.Fatalf("page load %d fired %q again", i+2, got)
		}
	}
}
