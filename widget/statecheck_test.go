package widget_test

import (
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// plantVisit stores a visit of the given transcript lines (JSON objects),
// as a script of the site could.
func plantVisit(t *testing.T, store widget.Storage, entries ...string) {
	t.Helper()
	raw := `{"v":1,"start":` + itoa64(ms(0)) + `,"last":` + itoa64(ms(0)) + `,"pages":1,"chat":{"state":"none","seq":0},"next":100,"transcript":[` + strings.Join(entries, ",") + `]}`
	if err := store.Set(widget.KeyVisit, raw); err != nil {
		t.Fatal(err)
	}
}

func itoa64(n int64) string { return itoa(int(n)) }

const goodLine = `{"id":1,"kind":"trigger","triggerId":"welcome","at":0,"text":"Hello","agent":{"name":"Ann","image":"avatar:robot"}}`

// Stored state is checked like a trigger set before anything is shown: a
// line a set could not hold is dropped and reported, the rest is kept.
func TestStoredState_CheckedLikeATriggerSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, line string
		want       string // in the error message
	}{
		{"javascript link", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"link","url":"javascript:alert(1)","title":"x"}]}`, "attachments[0].url"},
		{"javascript file", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"file","url":"JavaScript:alert(1)","name":"x"}]}`, "attachments[0].url"},
		{"data image", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"image","url":"data:image/svg+xml,<svg/onload=alert(1)>"}]}`, "attachments[0].url"},
		{"agent image javascript", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A","image":"javascript:alert(1)"}}`, "agent.image"},
		{"agent image http", `{"id":2,"kind":"agent","at":0,"text":"x","agent":{"name":"A","image":"http://evil.example/a.png"}}`, "agent.image"},
		{"form field type", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"form","fields":[{"name":"e","type":"hidden"}]}]}`, "fields[0].type"},
		{"agent name too long", `{"id":2,"kind":"agent","at":0,"text":"x","agent":{"name":"` + strings.Repeat("a", widget.MaxAgentNameLen+1) + `"}}`, "agent.name"},
		{"text too long", `{"id":2,"kind":"agent","at":0,"text":"` + strings.Repeat("a", widget.MaxTextLen+1) + `"}`, "text"},
		{"visitor text too long", `{"id":2,"kind":"visitor","at":0,"text":"` + strings.Repeat("a", widget.MaxVisitorMessageLen+1) + `"}`, "text"},
		{"too many suggestions", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"suggestions":["1","2","3","4","5"]}`, "suggestions"},
		{"unknown kind", `{"id":2,"kind":"html","at":0,"text":"x"}`, "kind"},
		{"attachments on a visitor line", `{"id":2,"kind":"visitor","at":0,"text":"x","attachments":[{"kind":"link","url":"https://ok.example/","title":"x"}]}`, "attachments"},
		{"retired on a visitor line", `{"id":2,"kind":"visitor","at":0,"text":"x","retired":true}`, "attachments"},
		{"duplicate id", `{"id":1,"kind":"visitor","at":0,"text":"again"}`, "id"},
		{"no id", `{"kind":"visitor","at":0,"text":"x"}`, "id"},
		{"page's id on a visitor line", `{"id":2,"kind":"visitor","at":0,"text":"x","ref":"m1"}`, "ref"},
		{"page's id on a trigger line", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"ref":"m1"}`, "ref"},
		{"page's id with a line break", `{"id":2,"kind":"agent","at":0,"text":"x","ref":"m\n1"}`, "ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := widget.NewMemoryStorage()
			plantVisit(t, store, goodLine, tc.line)
			r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
			tr := r.eng.Transcript()
			if len(tr) != 1 || tr[0].ID != 1 || tr[0].Text != "Hello" {
				t.Errorf("transcript = %+v, want only the valid line", tr)
			}
			errs := r.errorsWithCode(widget.ErrStorage)
			if len(errs) != 1 || !strings.Contains(errs[0].Message, "message ") || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("storage errors = %+v, want one naming the dropped message and %q", errs, tc.want)
			}
			// Nothing refused reaches the renderer.
			for _, ef := range r.rec.every() {
				if ef.Kind == widget.EffectShow || ef.Kind == widget.EffectUpdate {
					t.Errorf("unexpected %v of %+v", ef.Kind, ef.Entry)
				}
			}
		})
	}
}

func TestStoredState_ValidLinesKept(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	plantVisit(t, store, goodLine,
		`{"id":2,"kind":"visitor","at":1,"text":"<b>hi</b>"}`,
		`{"id":3,"kind":"agent","at":2,"text":"hello","agent":{"name":""}}`,
		`{"id":4,"kind":"trigger","triggerId":"t","at":3,"agent":{"name":"A"},"attachments":[{"kind":"link","url":"https://ok.example/","title":"ok"},{"kind":"image","url":"img/a.png"},{"kind":"form","fields":[{"name":"email","type":"email"}]}],"suggestions":["Yes"]}`,
		`{"id":5,"kind":"system","at":4,"text":"The chat has ended"}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	if tr := r.eng.Transcript(); len(tr) != 5 {
		t.Errorf("transcript has %d lines, want the 5 valid ones: %+v", len(tr), tr)
	}
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 0 {
		t.Errorf("storage errors for valid lines: %+v", errs)
	}
}

func TestStoredState_OtherFieldsChecked(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	raw := `{"v":1,"start":` + itoa64(ms(0)) + `,"last":` + itoa64(ms(0)) + `,"pages":1,"status":"<img>","chat":{"state":"hacked","seq":0},"next":0}`
	_ = store.Set(widget.KeyVisit, raw)
	_ = store.Set(widget.KeyVisitor, `{"v":1,"visits":1,"tags":["ok","`+strings.Repeat("t", widget.MaxTagLen+1)+`"],"attrs":{"plan":"pro","x":"`+strings.Repeat("v", widget.MaxAttrValueLen+1)+`"}}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	s := r.eng.Snapshot()
	if s.Status != widget.StatusOnline || s.Chat != widget.ChatNone {
		t.Errorf("status %q, chat %q: want the planted values refused", s.Status, s.Chat)
	}
	if len(s.Tags) != 1 || s.Tags[0] != "ok" || len(s.Attrs) != 1 || s.Attrs["plan"] != "pro" {
		t.Errorf("tags %q, attributes %v: want the over-long ones dropped", s.Tags, s.Attrs)
	}
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 4 {
		t.Errorf("storage errors = %+v, want 4 (status, chat, a tag, an attribute)", errs)
	}
}

// startPlanted starts an engine over set on storage that holds the given
// records (key, value, key, value…), as another script could have
// written them.
func startPlanted(t *testing.T, set *widget.Set, records ...string) *rig {
	t.Helper()
	store := widget.NewMemoryStorage()
	for i := 0; i+1 < len(records); i += 2 {
		_ = store.Set(records[i], records[i+1])
	}
	return startRig(t, compileOK(t, set), widget.NewManualClock(t0), store, false)
}

// plantedRecords is a JSON object of n trigger ids to times, the newest
// first at t0-1s, one second apart, and the given extra members.
func plantedRecords(n int, extra ...string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"t` + itoa(i) + `":` + itoa64(ms(-time.Duration(i+1)*time.Second)))
	}
	for _, m := range extra {
		b.WriteString("," + m)
	}
	return b.String() + "}"
}

// A record planted with thousands of trigger records cannot grow the state
// past its cap or push the visit's trigger message out of it: the maps
// keyed by trigger id keep trigger ids and times only, the newest 100, and
// each thing dropped is reported once, not once per record.
func TestStoredState_TriggerRecordsBounded(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	bad := []string{`"<img src=x onerror=alert(1)>":1`, `"negative":-5`, `"late":9000000000000000`}
	_ = store.Set(widget.KeyVisitor, `{"v":1,"visits":1,"once":`+plantedRecords(8000, bad...)+`}`)
	_ = store.Set(widget.KeyVisit, `{"v":1,"start":`+itoa64(ms(0))+`,"last":`+itoa64(ms(0))+`,"pages":1,"chat":{"state":"none","seq":0,"rescued":`+
		plantedRecords(3000, `"<b>":1`)+`},"fired":`+plantedRecords(8000, bad...)+`,"armed":`+plantedRecords(200)+`,"next":0}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 0))), widget.NewManualClock(t0), store, false)
	r.view("/")
	if err := r.eng.VisitorMessage("Hello?"); err != nil {
		t.Fatal(err)
	}
	r.at(time.Second)

	errs := r.errorsWithCode(widget.ErrStorage)
	if len(errs) == 0 || len(errs) > 10 {
		t.Errorf("%d storage errors, want a few naming what was dropped: %+v", len(errs), errs)
	}
	var total int
	for _, key := range []string{widget.KeyVisit, widget.KeyVisitor} {
		v, _, _ := store.Get(key)
		total += len(v)
		if strings.Contains(v, "<img") || strings.Contains(v, "<b>") || strings.Contains(v, "negative") || strings.Contains(v, `"late"`) {
			t.Errorf("%s still holds a planted record that is not a trigger id and a time", key)
		}
	}
	if total > widget.MaxStateBytes {
		t.Errorf("stored state is %d bytes, over the cap of %d", total, widget.MaxStateBytes)
	}
	visitor, _, _ := store.Get(widget.KeyVisitor)
	if n := strings.Count(visitor, `":`) - strings.Count(visitor, `"v":`) - strings.Count(visitor, `"visits":`) - strings.Count(visitor, `"once":`); n != 100 {
		t.Errorf("the visitor keeps %d records shown once, want 100", n)
	}
	if !strings.Contains(visitor, `"t0":`) || !strings.Contains(visitor, `"t99":`) || strings.Contains(visitor, `"t100":`) {
		t.Errorf("the visitor's records are not the newest 100: %.300s", visitor)
	}
	r = r.reload(false)
	tr := r.eng.Transcript()
	if len(tr) != 2 || tr[0].TriggerID != "welcome" || tr[1].Text != "Hello?" {
		t.Errorf("transcript after a reload = %+v, want the trigger's message and the visitor's", tr)
	}
	r.wantFired() // shown this visit already
}

// Line numbers and times come back as numbers the engine and the page can
// use: a planted next line number past the limit no longer overflows into
// negative ids that a reload drops, and a line whose time a browser cannot
// show is dropped.
func TestStoredState_LineNumbersAndTimesBounded(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	raw := `{"v":1,"start":` + itoa64(ms(0)) + `,"last":` + itoa64(ms(0)) + `,"pages":1,"chat":{"state":"none","seq":0},"next":9223372036854775807,"transcript":[` +
		goodLine + `,{"id":2,"kind":"visitor","at":-9000000000000000,"text":"from the past"},{"id":9223372036854775807,"kind":"visitor","at":0,"text":"huge id"}]}`
	_ = store.Set(widget.KeyVisit, raw)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	if err := r.eng.VisitorMessage("new line"); err != nil {
		t.Fatal(err)
	}
	tr := r.eng.Transcript()
	if len(tr) != 2 || tr[0].ID != 1 || tr[1].Text != "new line" || tr[1].ID <= 1 {
		t.Fatalf("transcript = %+v, want the valid line and the new one numbered after it", tr)
	}
	errs := r.errorsWithCode(widget.ErrStorage)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Message)
	}
	for _, want := range []string{"next:", "message 2 dropped: at:", "dropped: id:"} {
		if !strings.Contains(strings.Join(msgs, "\n"), want) {
			t.Errorf("storage errors %q, want one with %q", msgs, want)
		}
	}
	r.at(time.Second)
	if got := r.reload(false).eng.Transcript(); len(got) != 2 || got[1].ID != tr[1].ID {
		t.Errorf("after a reload: %+v, want the same two lines", got)
	}
}

// A record larger than the widget ever writes is not even read: one error,
// and a fresh record.
func TestStoredState_OversizedRecordReset(t *testing.T) {
	t.Parallel()
	r := startPlanted(t, setOf(siteT("welcome", 60)), widget.KeyVisitor, `{"v":1,"visits":3,"tags":[`+strings.Repeat(`"x",`, widget.MaxStateBytes/4)+`"x"]}`)
	errs := r.errorsWithCode(widget.ErrStorage)
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "more than the 262144") {
		t.Fatalf("storage errors = %+v, want one saying the record was too large", errs)
	}
	if tags := r.eng.Snapshot().Tags; len(tags) != 0 {
		t.Errorf("tags %q from a record that was not read", tags)
	}
}

// Thousands of bad items in a record raise ten error events and a count,
// not one event each.
func TestStoredState_ProblemsCounted(t *testing.T) {
	t.Parallel()
	r := startPlanted(t, setOf(siteT("welcome", 60)), widget.KeyVisitor, `{"v":1,"visits":1,"tags":[`+strings.Repeat(`" ",`, 5000)+`"ok"]}`)
	errs := r.errorsWithCode(widget.ErrStorage)
	if len(errs) != 11 || !strings.Contains(errs[10].Message, "4990 more problems") {
		t.Errorf("%d storage errors, the last %+v; want 10 and a count of the other 4990", len(errs), errs[len(errs)-1])
	}
	if tags := r.eng.Snapshot().Tags; len(tags) != 1 || tags[0] != "ok" {
		t.Errorf("tags %q, want the valid one kept", tags)
	}
}

// panickyStorage panics on its next Set (armed) or Get (armedGet), as a
// bug below the engine would.
type panickyStorage struct {
	*widget.MemoryStorage
	armed, armedGet bool
}

func (s *panickyStorage) Set(key, value string) error {
	if s.armed {
		s.armed = false
		panic("storage bug")
	}
	return s.MemoryStorage.Set(key, value)
}

func (s *panickyStorage) Get(key string) (string, bool, error) {
	if s.armedGet {
		s.armedGet = false
		panic("storage bug")
	}
	return s.MemoryStorage.Get(key)
}

// wantWrittenAfterwards runs the deferred writes and checks that the
// second message ("two") reached storage.
func wantWrittenAfterwards(t *testing.T, store widget.Storage, pending *deferred) {
	t.Helper()
	pending.run()
	if v, _, _ := store.Get(widget.KeyVisit); !strings.Contains(v, `"two"`) {
		t.Errorf("stored visit %.200q, want the second message written", v)
	}
}

// notBlocked runs call, which must return (without an error) rather than
// wait for a lock held for ever.
func notBlocked(t *testing.T, call func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- call() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second): // a failure detector, not a timing
		t.Fatal("the engine stayed locked after the panic")
	}
}

// A panic inside an event (a bug the platform recovers from and reports)
// does not leave the engine locked: the next event runs.
func TestEngine_UsableAfterAPanic(t *testing.T) {
	t.Parallel()
	store := &panickyStorage{MemoryStorage: widget.NewMemoryStorage()}
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	store.armed = true
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the storage's panic did not reach the caller")
			}
		}()
		_ = r.eng.VisitorMessage("one")
	}()
	notBlocked(t, func() error { return r.eng.VisitorMessage("two") })
	if tr := r.eng.Transcript(); len(tr) == 0 || tr[len(tr)-1].Text != "two" {
		t.Errorf("transcript %+v, want the second message last", tr)
	}
}

// coalescingEngine starts an engine on a panickyStorage whose writes wait
// in pending until the test runs them, as the browser's coalesced ones do.
func coalescingEngine(t *testing.T) (*panickyStorage, *widget.Engine, *deferred) {
	t.Helper()
	store := &panickyStorage{MemoryStorage: widget.NewMemoryStorage()}
	pending := &deferred{}
	set := compileOK(t, setOf(siteT("welcome", 60)))
	eng := widget.New(set, widget.Options{Clock: widget.NewManualClock(t0), Storage: store, Sink: func(widget.Effect) {}, Defer: pending.add})
	pending.run()
	return store, eng, pending
}

// The same with the browser's coalesced writes (Options.Defer), where the
// write, and so the storage's panic, comes in the deferred Flush.
func TestEngine_UsableAfterAPanicInADeferredWrite(t *testing.T) {
	t.Parallel()
	store, eng, pending := coalescingEngine(t)
	store.armed = true
	if err := eng.VisitorMessage("one"); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the storage's panic did not reach the deferred write's caller")
			}
		}()
		pending.run()
	}()
	notBlocked(t, func() error { return eng.VisitorMessage("two") })
	wantWrittenAfterwards(t, store, pending)
}

// One tab alone: a visitor with 100 shown-once records sees one more
// trigger fire; the engine keeps the newest 100 itself, so the record it
// writes is read back without a problem.
func TestStoredState_ShownOnceCappedByTheEngine(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	_ = store.Set(widget.KeyVisitor, `{"v":1,"visits":1,"once":`+plantedRecords(100)+`}`)
	r := startRig(t, compileOK(t, setOf(with(siteT("new", 0), func(t *widget.Trigger) { t.OncePerVisitor = true }))), widget.NewManualClock(t0), store, false)
	r.view("/")
	r.wantFired("new")
	r = r.reload(false)
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 0 {
		t.Errorf("storage errors after a reload: %+v", errs)
	}
	visitor, _, _ := store.Get(widget.KeyVisitor)
	if !strings.Contains(visitor, `"new":`) || strings.Contains(visitor, `"t99":`) || !strings.Contains(visitor, `"t98":`) {
		t.Errorf("stored records are not the newest 100: %.200s", visitor)
	}
}

// A deferred write that panics before it writes (reading what another tab
// stored) still lets the next change ask for a deferred write of its own.
func TestEngine_DefersAgainAfterAPanicInAMerge(t *testing.T) {
	t.Parallel()
	store, eng, pending := coalescingEngine(t)
	if err := eng.VisitorMessage("one"); err != nil {
		t.Fatal(err)
	}
	store.armedGet = true
	func() {
		defer func() { _ = recover() }()
		pending.run()
	}()
	if store.armedGet {
		t.Fatal("the deferred write did not read storage: the test tests nothing")
	}
	if err := eng.VisitorMessage("two"); err != nil {
		t.Fatal(err)
	}
	if len(*pending) == 0 {
		t.Fatal("no deferred write asked for after the panic")
	}
	wantWrittenAfterwards(t, store, pending)
}

// A condition on a time on the site longer than any date (a valid set may
// say so) arms its trigger with a due time the check reads back: no
// problem on a reload.
func TestStoredState_FarDueTimeReadBack(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	set := compileOK(t, setOf(advT("far", widget.EventPageView, conds(cnd("visit.time_on_site", "gte", "10000000000000")))))
	r := startRig(t, set, widget.NewManualClock(t0), store, false)
	r.view("/")
	if armed := r.eng.Snapshot().Armed; len(armed) != 1 {
		t.Fatalf("armed %+v, want the far trigger armed", armed)
	}
	r = r.reload(false)
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 0 {
		t.Errorf("storage errors after a reload: %+v", errs)
	}
	if armed := r.eng.Snapshot().Armed; len(armed) != 1 {
		t.Errorf("armed after a reload %+v, want the far trigger still armed", armed)
	}
}

// An advanced trigger's pending run counts only with the time it resumes
// at. Left without one (here a planted time dropped as invalid, and one
// never there), it would count as still running for the rest of the visit,
// and the trigger would never answer its event again.
func TestStoredState_PendingRunWithoutATimeHoldsNothing(t *testing.T) {
	t.Parallel()
	r := startPlanted(t, setOf(advT("a1", widget.EventCustom, nil), advT("a2", widget.EventCustom, nil)), widget.KeyVisit, `{"v":1,"start":`+itoa64(ms(0))+`,"last":`+itoa64(ms(0))+
		`,"pages":1,"chat":{"state":"none","seq":0},"adv":{"a1":{"kind":"run","step":1},"a2":{"kind":"run","step":1}},"armed":{"a1":-5},"next":0}`)
	r.view("/")
	r.event("go")
	r.wantShown("Hello from a1", "Hello from a2")
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 1 {
		t.Errorf("storage errors = %+v, want one, for the planted time", errs)
	}
}
