package widget_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// t0 is when every engine test starts.
var t0 = time.Date(2025, time.March, 3, 9, 0, 0, 0, time.UTC)

// ms is the engine timestamp (Unix milliseconds) of t0+d.
func ms(d time.Duration) int64 { return t0.Add(d).UnixMilli() }

const (
	ms1  = time.Millisecond
	s1   = time.Second
	min1 = time.Minute
)

// recorder is a Sink that keeps every effect.
type recorder struct {
	mu      sync.Mutex
	effects []widget.Effect
}

func (r *recorder) sink(ef widget.Effect) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.effects = append(r.effects, ef)
}

// all returns the effects a renderer acts on, in delivery order: the
// reports that only inform (countdowns set, waits, visitor changes, sent
// messages, used suggestions and forms) are left out, so that tests of
// rendering read as they always have; every returns those too.
func (r *recorder) all() []widget.Effect {
	var out []widget.Effect
	for _, ef := range r.every() {
		if !isReport(ef.Kind) {
			out = append(out, ef)
		}
	}
	return out
}

// every returns every effect in delivery order.
func (r *recorder) every() []widget.Effect {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]widget.Effect(nil), r.effects...)
}

func isReport(k widget.EffectKind) bool {
	switch k {
	case widget.EffectArmed, widget.EffectWaiting, widget.EffectTags, widget.EffectAttributes,
		widget.EffectVisitorMessage, widget.EffectSuggestion, widget.EffectForm, widget.EffectVisit:
		return true
	}
	return false
}

func (r *recorder) of(kind widget.EffectKind) []widget.Effect {
	var out []widget.Effect
	for _, ef := range r.every() {
		if ef.Kind == kind {
			out = append(out, ef)
		}
	}
	return out
}

// fired lists the ids of EffectFired in delivery order.
func (r *recorder) fired() []string {
	var ids []string
	for _, ef := range r.of(widget.EffectFired) {
		ids = append(ids, ef.TriggerID)
	}
	return ids
}

// rig is an engine on a ManualClock and a Storage, recording its effects.
type rig struct {
	t     *testing.T
	clock *widget.ManualClock
	store widget.Storage
	set   *widget.Compiled
	rec   *recorder
	eng   *widget.Engine
}

// newRig starts an engine at t0 on an empty MemoryStorage for a set of
// valid triggers.
func newRig(t *testing.T, triggers ...widget.Trigger) *rig {
	t.Helper()
	return startRig(t, compileOK(t, setOf(triggers...)), widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
}

func startRig(t *testing.T, set *widget.Compiled, clock *widget.ManualClock, store widget.Storage, newSession bool) *rig {
	t.Helper()
	r := &rig{t: t, clock: clock, store: store, set: set, rec: &recorder{}}
	r.eng = widget.New(set, widget.Options{Clock: clock, Storage: store, Sink: r.rec.sink, NewSession: newSession})
	return r
}

// reload stops this engine, as a page unload does, and starts another on
// the same clock and storage, as the next page load does.
func (r *rig) reload(newSession bool) *rig {
	r.t.Helper()
	r.eng.Stop()
	return startRig(r.t, r.set, r.clock, r.store, newSession)
}

// at moves the clock to t0+d, running the timers due on the way.
func (r *rig) at(d time.Duration) {
	r.t.Helper()
	if now := r.clock.Now().Sub(t0); d < now {
		r.t.Fatalf("test bug: at(%v) is before now (%v)", d, now)
	}
	r.clock.Set(t0.Add(d))
}

// view is a page view of https://x.test + path.
func (r *rig) view(path string) {
	r.eng.PageView(widget.Page{URL: "https://x.test" + path, Title: path})
}

func (r *rig) wantFired(ids ...string) {
	r.t.Helper()
	got := r.rec.fired()
	if len(ids) == 0 && len(got) == 0 {
		return
	}
	if !reflect.DeepEqual(got, ids) {
		r.t.Errorf("at %v: fired %q, want %q", r.clock.Now().Sub(t0), got, ids)
	}
}

// firesAt checks that trigger id, not fired yet, stays silent until t0+d
// and fires exactly then, and returns its EffectFired.
func (r *rig) firesAt(id string, d time.Duration) widget.Effect {
	r.t.Helper()
	before := len(r.rec.fired())
	r.at(d - ms1)
	if got := r.rec.fired(); len(got) != before {
		r.t.Fatalf("%q fired at %v or earlier (fired %q), want exactly at %v", id, d-ms1, got, d)
	}
	r.at(d)
	got := r.rec.of(widget.EffectFired)
	if len(got) != before+1 || got[before].TriggerID != id {
		r.t.Fatalf("at %v: fired %q, want %q to fire", d, r.rec.fired(), id)
	}
	ef := got[before]
	if ef.Entry.At != ms(d) {
		r.t.Errorf("%q entry time = %d, want %d (t0+%v)", id, ef.Entry.At, ms(d), d)
	}
	return ef
}

// silentUntil checks that nothing fires until t0+d.
func (r *rig) silentUntil(d time.Duration) {
	r.t.Helper()
	before := r.rec.fired()
	r.at(d)
	if got := r.rec.fired(); len(got) != len(before) {
		r.t.Errorf("fired %q by %v, want nothing more than %q", got, d, before)
	}
}

// cancelled returns the reasons of EffectCancelled for id.
func (r *rig) cancelled(id string) []string {
	var reasons []string
	for _, ef := range r.rec.of(widget.EffectCancelled) {
		if ef.TriggerID == id {
			reasons = append(reasons, ef.Reason)
		}
	}
	return reasons
}

func (r *rig) wantCancelled(id, reason string) {
	r.t.Helper()
	for _, got := range r.cancelled(id) {
		if got == reason {
			return
		}
	}
	r.t.Errorf("no EffectCancelled{%q, reason %q}; got reasons %q", id, reason, r.cancelled(id))
}

// triggerEntries lists the trigger ids of the transcript's trigger entries.
func triggerEntries(entries []widget.Entry) []string {
	var ids []string
	for _, e := range entries {
		if e.Kind == widget.EntryTrigger {
			ids = append(ids, e.TriggerID)
		}
	}
	return ids
}

func (r *rig) errorsWithCode(code string) []widget.Effect {
	var out []widget.Effect
	for _, ef := range r.rec.of(widget.EffectError) {
		if ef.Code == code {
			out = append(out, ef)
		}
	}
	return out
}

// failingStorage fails every call, as a blocked localStorage does.
type failingStorage struct{ gets, sets int }

type storageError string

func (e storageError) Error() string { return string(e) }

func (s *failingStorage) Get(string) (string, bool, error) {
	s.gets++
	return "", false, storageError("SecurityError: access denied")
}

func (s *failingStorage) Set(string, string) error {
	s.sets++
	return storageError("QuotaExceededError")
}

func (s *failingStorage) Remove(string) error { return storageError("SecurityError: access denied") }

// writeOnlyFailing reads fine (nothing stored) but cannot write.
type writeOnlyFailing struct{ *widget.MemoryStorage }

func (writeOnlyFailing) Set(string, string) error { return storageError("QuotaExceededError") }
