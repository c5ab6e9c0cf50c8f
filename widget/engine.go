package widget

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
)

// VisitTimeout ends a visit after this long without activity.
const VisitTimeout = 30 * time.Minute

// TypingTimeout takes the typing indicator down this long after the last
// AgentTyping call, should the host never say the agent stopped: a dropped
// connection or a closed agent tab must not leave "typing…" up for good.
const TypingTimeout = 30 * time.Second

// MaxTranscript bounds the entries a visit keeps; the oldest go first.
const MaxTranscript = 200

// MaxVisitorMessageLen bounds a visitor's message, in characters.
const MaxVisitorMessageLen = 5000

// MaxMessageIDLen bounds the page's id for an agent's message
// (AgentMessageID), in bytes.
const MaxMessageIDLen = 128

// Storage keys, relative to the property's prefix chosen by the platform.
const (
	KeyVisit   = "visit"
	KeyVisitor = "visitor"
)

// Why a countdown stopped or a due trigger did not fire: the closed set of
// reasons an EffectCancelled carries. CancelReasons words each one.
const (
	HeldStatus    = "status"     // the widget was not online
	HeldOnce      = "once"       // already fired in this visit, chat or ever
	HeldServed    = "served"     // an agent is in the chat
	HeldDisabled  = "disabled"   // enabled is false
	HeldLeftPage  = "left_page"  // the visitor left the matching page first
	HeldAnswered  = "answered"   // an agent answered before chat rescue
	HeldMinimized = "minimized"  // the widget was closed before a maximized trigger fired
	HeldChatEnded = "chat_ended" // the chat ended before chat rescue fired
)

// CancelReasons is every reason with its wording, for people.
var CancelReasons = []struct{ Reason, Text string }{
	{HeldStatus, "the widget is not online"},
	{HeldOnce, "it already fired (once per visit, chat or visitor)"},
	{HeldServed, "an agent is serving the chat"},
	{HeldDisabled, "the trigger is disabled"},
	{HeldLeftPage, "the visitor left the matching page"},
	{HeldAnswered, "an agent answered"},
	{HeldMinimized, "the widget was closed"},
	{HeldChatEnded, "the chat ended"},
}

// ReasonText words a reason, or returns "" for an unknown one.
func ReasonText(reason string) string {
	for _, r := range CancelReasons {
		if r.Reason == reason {
			return r.Text
		}
	}
	return ""
}

// Where a visitor's message came from.
const (
	SourceInput      = "input"      // typed into the widget
	SourceSuggestion = "suggestion" // a suggested-reply button
	SourceHost       = "host"       // the host page's visitorMessage call
)

// EffectKind says what an Effect reports. Effects are the engine's only
// output: a platform renders them, a simulator prints them, and neither
// needs to look inside the engine to learn what it decided.
type EffectKind uint8

// Effect kinds.
const (
	// EffectShow: Entry was added to the transcript; render it.
	EffectShow EffectKind = iota + 1
	// EffectUpdate: Entry changed (its suggestions were retired or its
	// form sent); re-render it.
	EffectUpdate
	// EffectFired: TriggerID fired; Entry is the message it sent (for an
	// advanced trigger, the first one, which may follow later).
	EffectFired
	// EffectArmed: TriggerID's countdown started, due at Due (unix ms); for
	// an advanced trigger, its conditions are checked again at Due.
	EffectArmed
	// EffectCancelled: TriggerID's countdown stopped, or it was due and
	// was held back; Reason (one of CancelReasons) says why.
	EffectCancelled
	// EffectWaiting: TriggerID's actions wait until Due; Step is the next
	// action, counted from 0.
	EffectWaiting
	// EffectStatus: the widget status became Status.
	EffectStatus
	// EffectMaximize: the widget opened (Maximized true) or closed.
	EffectMaximize
	// EffectTags: the visitor's tags are now Tags (Added and Removed say
	// what changed); TriggerID names the trigger whose action did it.
	EffectTags
	// EffectAttributes: the visitor's attributes in Attrs changed to the
	// given values ("" for a removed one); TriggerID names the trigger
	// whose action did it.
	EffectAttributes
	// EffectVisitorMessage: the visitor sent Text, from Source.
	EffectVisitorMessage
	// EffectSuggestion: the visitor used suggestion Index (Text) of Entry,
	// a message of TriggerID; Entry is the message with its suggestions
	// retired.
	EffectSuggestion
	// EffectForm: the visitor sent the form of Entry, a message of
	// TriggerID, with Attrs as its fields.
	EffectForm
	// EffectVisit: a visit began (the visitor's Index-th); the transcript
	// of an earlier one is gone.
	EffectVisit
	// EffectError: Code and Message describe a problem, for the host's
	// error listener; TriggerID names the trigger when there is one.
	EffectError
	// EffectEmit: an advanced trigger's emit action: Name and Data for the
	// host's emit listener.
	EffectEmit
	// EffectTyping: an agent (Name, "" when unknown) started typing
	// (Typing true) or stopped: AgentStoppedTyping, the agent's message,
	// the chat's end, or TypingTimeout after the last AgentTyping.
	EffectTyping
	// EffectOfflineMessage: the visitor left a message while nobody was
	// online; Attrs holds name, email and message.
	EffectOfflineMessage
)

// Effect is one thing the engine decided, for the platform to render or
// report. Which fields are set depends on Kind.
type Effect struct {
	Kind      EffectKind
	TriggerID string
	Entry     Entry
	Due       int64
	Step      int
	Status    string
	Maximized bool
	Reason    string
	Code      string
	Message   string
	Name      string
	Data      RawJSON
	Text      string
	Source    string
	Index     int
	Typing    bool
	// OldID, on an EffectUpdate, is the id the entry was shown with when
	// another tab's line took that id and this one was renumbered (a
	// negative id is a temporary one, for one merge's moves).
	OldID   int
	Tags    []string
	Added   []string
	Removed []string
	Attrs   map[string]string
}

// Page is one page view.
type Page struct {
	URL      string
	Title    string
	Referrer string
}

// Options wires an engine to its platform.
type Options struct {
	Clock   Clock
	Storage Storage
	// Sink receives effects in order, never while the engine's lock is
	// held, so it may call back into the engine.
	Sink func(Effect)
	// NewSession is true when the browser session is new (no session
	// marker was found): the previous visit, if any, has ended.
	NewSession bool
	// Env describes the browser, for device, browser, os and language
	// conditions.
	Env Env
	// Zone gives local time in the set's time zone (default: UTC).
	Zone Zone
	// Defer, when set, coalesces storage writes: the first event that
	// changes the state calls Defer(write) once, and the platform calls
	// write when the current burst of events is over (the browser: at the
	// end of the JS task). Defer is called without the engine's lock held,
	// so it may also call write at once. Without Defer every event writes
	// at once.
	Defer func(write func())
	// Follower starts the engine as a tab that does not lead: it runs no
	// countdown timers and fires no due trigger until SetLeader(true).
	// Another tab of the visitor leads and fires; this one adopts what it
	// wrote (Sync).
	Follower bool
}

// Engine runs one property's triggers for one visitor. Its methods are safe
// for concurrent use; timers run on the injected clock.
type Engine struct {
	set   *Compiled
	clock Clock
	store Storage
	sink  func(Effect)

	mu      sync.Mutex
	visit   VisitState
	visitor VisitorState
	page    PageURL
	timers  map[string]armedTimer
	last    map[string]string // trigger id -> why its last countdown stopped
	failed  []int             // by trigger position: first failing condition, or -1
	// failedName is, by trigger position, the event name of that check.
	failedName []string

	// What advanced conditions read, kept ready so evaluation never
	// allocates.
	env         Env
	envLower    Env
	zone        Zone
	pageCtx     pageContext
	attrsLower  map[string][2]string
	tagsLower   []string
	pageLoads   int // page views seen by this engine (widget_loaded is the first)
	zoneHour    int
	zoneWeekday int
	zoneFrom    int64
	zoneValid   int64
	zoneUntil   int64
	eval        evalContext // see evalAt
	out         []Effect
	delivering  bool
	storeErr    bool
	stopped     bool

	// The typing indicator: the timer that takes it down (nil while it
	// is down) and when it is due.
	typing    Timer
	typingDue int64

	// Storage writes and the other tabs (see sync.go).
	deferWrite  func(func())
	follower    bool
	dirty       bool   // state changed since the last write
	scheduled   bool   // a deferred write is pending
	askDefer    bool   // call deferWrite once the lock is released
	seenVisit   string // the visit record as last read or written
	seenVisitor string // the visitor record as last read or written
	// storedVisit and storedVisitor: the record was in storage when
	// adopt last looked.
	storedVisit, storedVisitor bool
	// scratch is write's encoding buffer, kept from one write to the
	// next: a visit near its cap would otherwise grow a new buffer of
	// that size, by doubling, on every write.
	scratch []byte
}

type armedTimer struct {
	due int64
	t   Timer
}

// New starts an engine for a compiled set: it restores the visit and the
// visitor from storage (ending the visit if it timed out or the browser
// session is new) and reports the set's problems as error effects. Nothing
// fires before the first PageView.
func New(set *Compiled, o Options) *Engine {
	if o.Clock == nil {
		o.Clock = SystemClock{}
	}
	if o.Storage == nil {
		o.Storage = NewMemoryStorage()
	}
	if o.Sink == nil {
		o.Sink = func(Effect) {}
	}
	if o.Zone == nil {
		o.Zone = FixedZone(0)
	}
	e := &Engine{set: set, clock: o.Clock, store: o.Storage, sink: o.Sink, timers: map[string]armedTimer{}, last: map[string]string{}, failed: make([]int, len(set.Triggers)), failedName: make([]string, len(set.Triggers)),
		env: o.Env, zone: o.Zone, deferWrite: o.Defer, follower: o.Follower}
	for i := range e.failed {
		e.failed[i] = -1
	}
	e.envLower = Env{Language: strings.ToLower(o.Env.Language), DeviceType: strings.ToLower(o.Env.DeviceType),
		Browser: strings.ToLower(o.Env.Browser), OS: strings.ToLower(o.Env.OS)}
	e.mu.Lock()
	for _, p := range set.Problems {
		e.emit(Effect{Kind: EffectError, Code: ErrInvalidTrigger, TriggerID: p.TriggerID, Message: p.Error()})
	}
	e.load(o.NewSession)
	e.mu.Unlock()
	e.flush()
	return e
}

func (e *Engine) now() int64 { return e.clock.UnixMilli() }

// load restores state. Unreadable state is reported and replaced, never
// allowed to stop the widget.
func (e *Engine) load(newSession bool) {
	if raw, ok := e.get(KeyVisitor); ok {
		e.seenVisitor = raw
		if v, ok := e.readVisitor(raw); ok {
			e.visitor = v
		}
	}
	e.visitor.V = stateVersion
	if raw, ok := e.get(KeyVisit); ok {
		if v, ok := e.readVisit(raw); ok {
			if newSession {
				// A new browser session starts a new visit, but the status
				// set with setStatus describes the desk, not the visit.
				e.visit = VisitState{Status: v.Status}
			} else {
				e.seenVisit = raw
				e.visit = v
			}
		} else if !newSession {
			e.seenVisit = raw
		}
	}
	if e.visit.Start != 0 && e.now()-e.visit.LastActive > VisitTimeout.Milliseconds() {
		e.visit = VisitState{Status: e.visit.Status}
	}
	if e.visit.URL != "" {
		e.page = ParsePageURL(e.visit.URL)
	}
	for id := range e.visit.Armed {
		if e.set.Trigger(id) == nil {
			delete(e.visit.Armed, id)
			delete(e.visit.Adv, id)
		}
	}
	e.visitorChanged()
}

// decodeVisit reads a stored visit record as it is.
func decodeVisit(raw string) (VisitState, bool) {
	var v VisitState
	l := jlexer.Lexer{Data: []byte(raw)}
	v.UnmarshalEasyJSON(&l)
	return v, l.Error() == nil && v.V == stateVersion
}

func decodeVisitor(raw string) (VisitorState, bool) {
	var v VisitorState
	l := jlexer.Lexer{Data: []byte(raw)}
	v.UnmarshalEasyJSON(&l)
	return v, l.Error() == nil && v.V == stateVersion
}

// readVisit decodes a stored visit record and checks it as a trigger set
// is checked (checkVisit): anything refused is dropped and reported.
func (e *Engine) readVisit(raw string) (VisitState, bool) {
	return readRecord(e, "visit", raw, decodeVisit, checkVisit)
}

// readVisitor is readVisit for the visitor record.
func (e *Engine) readVisitor(raw string) (VisitorState, bool) {
	return readRecord(e, "visitor", raw, decodeVisitor, checkVisitor)
}

func readRecord[T any](e *Engine, what, raw string, decode func(string) (T, bool), check func(*T) []string) (T, bool) {
	var zero T
	if len(raw) > MaxStateBytes {
		// Not the engine's: it never writes that much. Not even read.
		e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "stored " + what + " state is " + itoa(len(raw)) +
			" bytes, more than the " + itoa(MaxStateBytes) + " the widget ever writes, and has been reset"})
		return zero, false
	}
	v, ok := decode(raw)
	if !ok {
		e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "stored " + what + " state was unreadable and has been reset"})
		return zero, false
	}
	problems := check(&v)
	for i, p := range problems {
		if i == maxStoredProblems {
			more := "1 more problem"
			if n := len(problems) - i; n > 1 {
				more = itoa(n) + " more problems"
			}
			e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "stored " + what + " state: " + more})
			break
		}
		e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "stored " + what + " state: " + p})
	}
	return v, true
}

// maxStoredProblems bounds the error events one stored record raises: a
// record planted with thousands of bad items gets a count, not thousands
// of events.
const maxStoredProblems = 10

// easyMarshaler is what encode needs. (Decoding calls each type's method
// directly: an UnmarshalEasyJSON called through an interface would keep the
// decoder of every marshalled type alive in the wasm binary.)
type easyMarshaler interface{ MarshalEasyJSON(*jwriter.Writer) }

// encode writes v as JSON. The writer keeps '<', '>' and '&' as they are
// (nothing here is ever parsed as HTML), not as 6-byte escapes.
func encode(v easyMarshaler) string {
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	b, _ := w.BuildBytes()
	return string(b)
}

// encodeInto is encode into buf's storage; the result is only valid until
// buf is written to again.
func encodeInto(buf []byte, v easyMarshaler) []byte {
	var w jwriter.Writer
	// Only our writer (internal/jsonwrite) can reuse a buffer. go generate
	// compiles this package against easyjson's own writer, which has no
	// Reset: there, the state is simply encoded into a new buffer.
	if r, ok := any(&w).(interface{ Reset([]byte) }); ok {
		r.Reset(buf)
	}
	v.MarshalEasyJSON(&w)
	b, _ := w.BuildBytes()
	return b
}

func (e *Engine) get(key string) (string, bool) {
	v, ok, err := e.store.Get(key)
	if err != nil {
		e.storageFailed(err)
		return "", false
	}
	return v, ok
}

// save marks the state changed and writes it: at once, or once the
// platform says the burst of events is over (Options.Defer).
func (e *Engine) save() {
	e.dirty = true
	if e.deferWrite == nil {
		e.write()
		return
	}
	if !e.scheduled {
		e.scheduled = true
		e.askDefer = true
	}
}

func (e *Engine) storageFailed(err error) {
	if !e.storeErr {
		e.storeErr = true
		e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "storage unavailable, keeping the visit in memory: " + err.Error()})
	}
}

// emit queues an effect for flush. It is kept out of line: inlined at each
// of its fifty call sites, the append of an Effect cost the wasm 8 KB
// brotli.
//
//go:noinline
func (e *Engine) emit(ef Effect) { e.out = append(e.out, ef) }

// flush delivers queued effects in order. A sink that calls back into the
// engine queues more effects, which the outer flush delivers after the
// current batch.
func (e *Engine) flush() {
	e.mu.Lock()
	ask := e.askDefer
	e.askDefer = false
	e.mu.Unlock()
	if ask {
		e.deferWrite(e.Flush)
	}
	for {
		e.mu.Lock()
		if e.delivering || len(e.out) == 0 {
			e.mu.Unlock()
			return
		}
		batch := e.out
		e.out = nil
		e.delivering = true
		e.mu.Unlock()
		func() {
			defer func() {
				e.mu.Lock()
				e.delivering = false
				if e.out == nil {
					// Nothing new arrived while delivering: keep the
					// batch's storage for the next event.
					clear(batch)
					e.out = batch[:0]
				}
				e.mu.Unlock()
			}()
			for i := range batch {
				e.sink(batch[i])
			}
		}()
	}
}

// do runs one event: fn mutates state under the lock; then due triggers
// fire, timers are reconciled, state is saved and effects delivered.
func (e *Engine) do(activity bool, fn func(now int64)) { _ = e.doChecked(activity, nil, fn) }

// doChecked is do for an event that may be refused: check runs first under
// the same lock and, when it returns an error, nothing happens (no
// activity, no save) and the error is returned. A nil check accepts.
func (e *Engine) doChecked(activity bool, check func() error, act func(now int64)) error {
	ran, err := e.locked(activity, check, act)
	if ran {
		e.flush()
	}
	return err
}

// locking runs fn under the engine's lock, which it releases however fn
// ends: a panic (a bug, which the platform recovers from and reports)
// leaves an engine the next event can still use.
func (e *Engine) locking(fn func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fn()
}

// locked is doChecked's part under the lock (released as locking does).
func (e *Engine) locked(activity bool, check func() error, act func(now int64)) (ran bool, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return false, nil
	}
	if check != nil {
		if err := check(); err != nil {
			return false, err
		}
	}
	now := e.now()
	e.touch(now, activity)
	act(now)
	e.fireAndReconcile(now)
	e.save()
	return true, nil
}

// touch starts a new visit when there is none or the last one timed out.
func (e *Engine) touch(now int64, activity bool) {
	// The status and whether the widget is open belong to the page, not
	// the visit: a new visit keeps them (the page still shows the widget
	// as it was).
	if activity && e.visit.Start != 0 && now-e.visit.LastActive > VisitTimeout.Milliseconds() {
		e.visit = VisitState{Status: e.visit.Status, Maximized: e.visit.Maximized, NextEntry: e.visit.NextEntry}
		e.stopTimers()
		e.endTyping() // an agent of the last visit's chat
	}
	if e.visit.Start == 0 {
		e.visitor.Visits++
		e.visit = VisitState{V: stateVersion, Start: now, LastActive: now, Chat: ChatState{State: ChatNone},
			Status: e.visit.Status, Maximized: e.visit.Maximized, NextEntry: e.visit.NextEntry}
		e.emit(Effect{Kind: EffectVisit, Index: e.visitor.Visits})
	}
	if activity {
		e.visit.LastActive = now
	}
}

// Status is the widget's current status.
func (e *Engine) status() string {
	if e.visit.Status != "" {
		return e.visit.Status
	}
	return e.set.Status
}

func (e *Engine) online() bool { return e.status() == StatusOnline }

// eligible reports whether t may still fire, and why not.
func (e *Engine) eligible(t *CompiledTrigger) (bool, string) {
	if !t.Enabled {
		return false, HeldDisabled
	}
	if t.OncePerVisitor {
		if _, ok := e.visitor.FiredOnce[t.ID]; ok {
			return false, HeldOnce
		}
	}
	if t.Type == TypeChatRescue {
		if seq, ok := e.visit.Chat.Rescued[t.ID]; ok && seq == e.visit.Chat.Seq {
			return false, HeldOnce
		}
		return true, ""
	}
	if _, ok := e.visit.Fired[t.ID]; ok {
		return false, HeldOnce
	}
	return true, ""
}

// arm starts t's countdown unless it is already counting or may not fire.
func (e *Engine) arm(t *CompiledTrigger, now int64) {
	if _, ok := e.visit.Armed[t.ID]; ok {
		return
	}
	if ok, _ := e.eligible(t); !ok || !e.online() {
		return
	}
	if e.visit.Armed == nil {
		e.visit.Armed = map[string]int64{}
	}
	e.visit.Armed[t.ID] = now + t.Delay
}

func (e *Engine) cancel(t *CompiledTrigger, reason string) {
	delete(e.visit.Adv, t.ID)
	if _, ok := e.visit.Armed[t.ID]; ok {
		delete(e.visit.Armed, t.ID)
		e.last[t.ID] = reason
		e.emit(Effect{Kind: EffectCancelled, TriggerID: t.ID, Reason: reason})
	}
}

func (e *Engine) cancelType(typ, reason string) {
	for _, t := range e.set.Triggers {
		if t.Type == typ {
			e.cancel(t, reason)
		}
	}
}

// fireDue fires every armed trigger whose time has come, earliest first and,
// for the same instant, in set order.
func (e *Engine) fireDue(now int64) { e.fireDueAhead(now, nil) }

// fireDueAhead is fireDue, or with next, as advanced trigger next starts
// at now, fires only the basic triggers due ahead of it: those due
// earlier, and those due at now that come before it in the set (a page
// view's delay-0 welcome placed first shows before an advanced page-view
// message placed after it); fireDue fires the rest once the event is
// over, and neither fires where fireAndReconcile would not.
func (e *Engine) fireDueAhead(now int64, next *CompiledTrigger) {
	if next != nil && (e.follower || e.pageLoads == 0) {
		return
	}
	var due []*CompiledTrigger
	for _, t := range e.set.Triggers {
		at, ok := e.visit.Armed[t.ID]
		if ok && at <= now && (next == nil || t.Type != TypeAdvanced && (at < now || t.pos < next.pos)) {
			due = append(due, t)
		}
	}
	if len(due) == 0 {
		return
	}
	e.dirty = true
	slices.SortStableFunc(due, e.byArmed)
	for _, t := range due {
		if t.Type == TypeAdvanced {
			e.advance(t, now)
		} else {
			e.fire(t, now)
		}
	}
}

func (e *Engine) fire(t *CompiledTrigger, now int64) {
	delete(e.visit.Armed, t.ID)
	// A run of actions left by the trigger's advanced version, if a set
	// changed its type meanwhile, ends with the time it was waiting for.
	e.clearAdv(t)
	reason := ""
	if ok, why := e.eligible(t); !ok {
		reason = why
	} else if !e.online() {
		reason = HeldStatus
	} else if t.Type != TypeChatRescue && e.visit.Chat.State == ChatServed {
		reason = HeldServed
	}
	if reason != "" {
		e.last[t.ID] = reason
		e.emit(Effect{Kind: EffectCancelled, TriggerID: t.ID, Reason: reason})
		return
	}
	delete(e.last, t.ID)
	e.markFired(t, now)
	agent := t.Agent
	entry := e.addEntry(Entry{
		Kind: EntryTrigger, TriggerID: t.ID, At: now, Text: t.Text, Agent: &agent,
		Attachments: t.Attachments, Suggestions: t.Suggestions,
	})
	e.emit(Effect{Kind: EffectFired, TriggerID: t.ID, Entry: entry})
	e.emit(Effect{Kind: EffectShow, TriggerID: t.ID, Entry: entry})
}

// markFired records that t fired: once per visit (per chat for chat
// rescue), and for good with oncePerVisitor.
func (e *Engine) markFired(t *CompiledTrigger, now int64) {
	if t.Type == TypeChatRescue {
		if e.visit.Chat.Rescued == nil {
			e.visit.Chat.Rescued = map[string]int{}
		}
		e.visit.Chat.Rescued[t.ID] = e.visit.Chat.Seq
		capRescued(e.visit.Chat.Rescued)
	}
	if e.visit.Fired == nil {
		e.visit.Fired = map[string]int64{}
	}
	e.visit.Fired[t.ID] = now // chat rescue's once-per-chat rule is Rescued
	capRecords(e.visit.Fired)
	if t.OncePerVisitor {
		if e.visitor.FiredOnce == nil {
			e.visitor.FiredOnce = map[string]int64{}
		}
		e.visitor.FiredOnce[t.ID] = now
		capRecords(e.visitor.FiredOnce)
	}
}

func (e *Engine) addEntry(en Entry) Entry { return e.addEntryID(en, 0) }

// addEntryID adds en with a transcript id reserved earlier, or a new one.
func (e *Engine) addEntryID(en Entry, id int) Entry {
	if id == 0 {
		e.visit.NextEntry++
		id = e.visit.NextEntry
	}
	en.ID = id
	e.visit.Transcript = append(roomForOne(e.visit.Transcript), en)
	for len(e.visit.Transcript) > MaxTranscript {
		dropOldest(&e.visit)
	}
	return en
}

// roomForOne returns t with room for one more entry: 16 entries, then
// MaxTranscript+1. The transcript is capped at MaxTranscript entries, and
// one more comes in before the oldest goes. Append would grow it through
// a size class for each doubling and past 256 entries (37 KB and more on
// wasm), blocks of pages in a row that the runtime, its free pages
// scattered by then, grows its linear memory for (see record); 201
// entries fit the allocator's 32 KB class, four pages. A transcript read
// from storage or merged from another tab's keeps the room its decoder or
// the merge gave it: those come once per page, or when another tab wrote.
func roomForOne(t []Entry) []Entry {
	if len(t) < cap(t) || cap(t) > MaxTranscript {
		return t
	}
	n := MaxTranscript + 1
	if len(t) < 16 {
		n = 16
	}
	grown := make([]Entry, len(t), n)
	copy(grown, t)
	return grown
}

// byArmed orders armed triggers by their due time (a stable sort keeps set
// order for the same instant). The engine sorts with package slices, not
// sort.Slice, whose reflection-based swapper the start-up would otherwise
// call (docs/design.md, "Code compiled on first call").
func (e *Engine) byArmed(a, b *CompiledTrigger) int {
	return cmp.Compare(e.visit.Armed[a.ID], e.visit.Armed[b.ID])
}

// reconcile keeps exactly one timer per armed trigger, due at its
// deadline, and reports each timer it sets (earliest first, then in set
// order): a countdown (EffectArmed) or an advanced trigger's wait
// (EffectWaiting).
func (e *Engine) reconcile(now int64) {
	for id, at := range e.timers {
		if due, ok := e.visit.Armed[id]; !ok || due != at.due {
			at.t.Stop()
			delete(e.timers, id)
		}
	}
	var set []*CompiledTrigger
	for _, t := range e.set.Triggers {
		due, armed := e.visit.Armed[t.ID]
		if _, ok := e.timers[t.ID]; !armed || ok {
			continue
		}
		id := t.ID
		e.timers[id] = armedTimer{due: due, t: e.clock.AfterFunc(timerDelay(due-now), func() { e.onTimer(id, due) })}
		set = append(set, t)
	}
	if len(set) > 1 {
		slices.SortStableFunc(set, e.byArmed)
	}
	for _, t := range set {
		ef := Effect{Kind: EffectArmed, TriggerID: t.ID, Due: e.visit.Armed[t.ID]}
		if st, ok := e.running(t); ok && t.Type == TypeAdvanced {
			ef.Kind, ef.Step = EffectWaiting, st.Step
		}
		e.emit(ef)
	}
}

// maxTimerDelay is the longest a timer is set for (2^31-1 ms, about 24.8
// days, what a browser's setTimeout takes): a time condition can be years
// away, and its delay in nanoseconds past time.Duration's range wrapped
// round to a timer due at once, set again every time it ran. A timer that
// runs before its trigger is due is followed by another for the time that
// remains (onTimer).
const maxTimerDelay = (1<<31 - 1) * time.Millisecond

// timerDelay is the timer's delay for ms milliseconds from now.
func timerDelay(ms int64) time.Duration {
	if ms > int64(maxTimerDelay/time.Millisecond) {
		return maxTimerDelay
	}
	return time.Duration(max(ms, 0)) * time.Millisecond
}

func (e *Engine) stopTimers() {
	for id, at := range e.timers {
		at.t.Stop()
		delete(e.timers, id)
	}
}

// onTimer runs due triggers. Another tab may have fired them or changed the
// visit since this engine last looked: what it wrote is adopted first.
// The timer of trigger id, due at due, has run: it is forgotten, so that
// if the trigger is not due yet after all (the wall clock, which due is
// read on, stepped back while the timer ran on the monotonic one)
// reconcile sets another for the time that remains.
func (e *Engine) onTimer(id string, due int64) {
	e.do(false, func(int64) {
		if at, ok := e.timers[id]; ok && at.due == due {
			delete(e.timers, id)
		}
		e.adopt()
	})
}

// PageView is a page load or a single-page-app navigation.
func (e *Engine) PageView(p Page) {
	e.do(true, func(now int64) {
		e.visit.PageViews++
		e.visit.URL = p.URL
		e.page = ParsePageURL(p.URL)
		e.pageCtx = newPageContext(p, &e.page, now)
		e.pageLoads++
		e.armForPage(now)
		e.onEvent(EventPageView, "", now)
		if e.pageLoads == 1 {
			e.onEvent(EventWidgetLoaded, "", now)
		}
	})
}

// armForPage arms site triggers and the page triggers the current page
// matches, and cancels page triggers it does not match.
func (e *Engine) armForPage(now int64) {
	for _, t := range e.set.Triggers {
		switch t.Type {
		case TypeSite:
			e.arm(t, now)
		case TypePage:
			if e.matchesURL(t) {
				e.arm(t, now)
			} else {
				e.cancel(t, HeldLeftPage)
			}
		}
	}
}

// VisitorMessage records a message the host page says the visitor sent;
// the first message of a chat starts the chat and arms chat rescue.
func (e *Engine) VisitorMessage(text string) error { return e.sendMessage(text, SourceHost) }

// SendInput records a message the visitor typed into the widget.
func (e *Engine) SendInput(text string) error { return e.sendMessage(text, SourceInput) }

func (e *Engine) sendMessage(text, src string) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return errorString("visitor message is empty")
	case runeCount(text) > MaxVisitorMessageLen:
		return errorString("visitor message is longer than " + itoa(MaxVisitorMessageLen) + " characters")
	}
	e.do(true, func(now int64) { e.visitorMessage(text, src, now) })
	return nil
}

func (e *Engine) visitorMessage(text, src string, now int64) {
	e.retireSuggestions()
	e.emit(Effect{Kind: EffectShow, Entry: e.addEntry(Entry{Kind: EntryVisitor, At: now, Text: text})})
	e.emit(Effect{Kind: EffectVisitorMessage, Text: text, Source: src})
	if s := e.visit.Chat.State; s == ChatNone || s == ChatEnded || s == "" {
		e.visit.Chat.State = ChatRequesting
		e.visit.Chat.Seq++
		for _, t := range e.set.Triggers {
			if t.Type == TypeChatRescue {
				e.arm(t, now)
			}
		}
		e.onEvent(EventChatRequested, "", now)
	}
	e.onEvent(EventVisitorMessage, "", now)
}

// retireSuggestions retires the suggestions of every message shown so
// far: the visitor is replying, and suggested replies belong to the
// conversation's present. Each message changed is re-rendered
// (EffectUpdate); its suggestions stay as text.
func (e *Engine) retireSuggestions() {
	for i := range e.visit.Transcript {
		if en := &e.visit.Transcript[i]; len(en.Suggestions) > 0 && !en.Retired {
			en.Retired = true
			e.emit(Effect{Kind: EffectUpdate, TriggerID: en.TriggerID, Entry: *en})
		}
	}
}

// retireAnswered retires the suggestions of every message a visitor's
// message follows in tr, and reports whether it changed one. What is
// stored or merged from another tab obeys the same rule as what happens
// here: a reply retires the suggestions before it.
func retireAnswered(tr []Entry) (changed bool) {
	replied := false
	for i := len(tr) - 1; i >= 0; i-- {
		en := &tr[i]
		switch {
		case en.Kind == EntryVisitor:
			replied = true
		case replied && len(en.Suggestions) > 0 && !en.Retired:
			en.Retired, changed = true, true
		}
	}
	return changed
}

// UseSuggestion sends suggestion index of transcript entry entryID as the
// visitor's message, which retires the suggestions of that entry and of
// every earlier one. Finding the entry and acting on it happen under one
// lock, so two clicks on one button send once. It returns the text.
func (e *Engine) UseSuggestion(entryID, index int) (string, error) {
	var clicked Entry
	var text string
	err := e.doChecked(true, func() error {
		en := e.entry(entryID)
		switch {
		case en == nil:
			return errorString("no message " + itoa(entryID) + " in the transcript")
		case index < 0 || index >= len(en.Suggestions):
			return errorString("message " + itoa(entryID) + " has no suggestion " + itoa(index))
		case en.Retired:
			return errorString("the suggestions of message " + itoa(entryID) + " are retired: the visitor has replied since")
		}
		clicked, text = *en, en.Suggestions[index]
		return nil
	}, func(now int64) {
		// The click may have started a new visit (after a long idle time)
		// that no longer holds the message: the text is sent all the same.
		e.retireSuggestions()
		clicked.Retired = true
		e.emit(Effect{Kind: EffectSuggestion, TriggerID: clicked.TriggerID, Entry: clicked, Index: index, Text: text})
		e.visitorMessage(text, SourceSuggestion, now)
	})
	if err != nil {
		return "", err
	}
	return text, nil
}

// entry finds a transcript entry by id (the last one, should ids repeat).
func (e *Engine) entry(id int) *Entry {
	for i := len(e.visit.Transcript) - 1; i >= 0; i-- {
		if e.visit.Transcript[i].ID == id {
			return &e.visit.Transcript[i]
		}
	}
	return nil
}

// AgentMessage records an agent's message: the chat is served, chat rescue
// is cancelled.
// The name may be empty; name and text have the limits of a trigger's
// agent name and message text.
func (e *Engine) AgentMessage(name, text string) error { return e.AgentMessageID(name, text, "") }

// AgentMessageID is AgentMessage with the page's own id for the message
// (its chat platform's, say; "" for none). A message whose id the visit's
// transcript already holds is not shown again, and when two tabs add the
// same id at once, their transcripts merge it into one line: a page whose
// chat connection runs in every tab may relay each message from every tab.
func (e *Engine) AgentMessageID(name, text, id string) error {
	text, name = strings.TrimSpace(text), strings.TrimSpace(name)
	if err := checkAgentName(name); err != nil {
		return err
	}
	switch {
	case text == "":
		return errorString("agent message is empty")
	case !utf8.ValidString(text):
		return errorString("agent message is not valid UTF-8")
	case runeCount(text) > MaxTextLen:
		return errorString("agent message " + charsOver(runeCount(text), MaxTextLen))
	}
	if problem := messageIDProblem(id); problem != "" {
		return errorString("agent message id " + problem)
	}
	e.do(true, func(now int64) {
		// A message already in the transcript (relayed by another tab, or
		// the host replaying its history) is not news: it neither serves
		// the chat again (a later chat's rescue stays armed) nor ends the
		// agent's typing.
		if id != "" && e.hasMessageID(id) {
			return
		}
		e.served()
		e.endTyping()
		e.emit(Effect{Kind: EffectShow, Entry: e.addEntry(Entry{Kind: EntryAgent, At: now, Text: text, Agent: &Agent{Name: name}, Ref: id})})
	})
	return nil
}

// messageIDProblem says what is wrong with an agent message's id, or "".
func messageIDProblem(id string) string {
	switch {
	case len(id) > MaxMessageIDLen:
		return "is longer than " + itoa(MaxMessageIDLen) + " bytes"
	case !utf8.ValidString(id):
		return "is not valid UTF-8"
	}
	for _, c := range id {
		if c < 0x20 || c == 0x7f {
			return "has a control character"
		}
	}
	return ""
}

func (e *Engine) hasMessageID(id string) bool {
	for i := range e.visit.Transcript {
		if e.visit.Transcript[i].Ref == id {
			return true
		}
	}
	return false
}

func checkAgentName(name string) error {
	if !utf8.ValidString(name) {
		return errorString("agent name is not valid UTF-8")
	}
	if n := runeCount(name); n > MaxAgentNameLen {
		return errorString("agent name " + charsOver(n, MaxAgentNameLen))
	}
	return nil
}

// AgentTyping tells the visitor that an agent is typing; the name (may be
// empty) has the limit of an agent's name. It changes no stored state: the
// platform shows an indicator until AgentStoppedTyping, the agent's next
// message, the chat's end, or TypingTimeout after the last AgentTyping
// call (each call starts the countdown again). The countdown is this
// tab's own, run by a follower too: the indicator is the page's, not the
// visit's.
func (e *Engine) AgentTyping(name string) error {
	name = strings.TrimSpace(name)
	if err := checkAgentName(name); err != nil {
		return err
	}
	e.locking(func() {
		if !e.stopped {
			e.stopTyping()
			e.typingDue = e.now() + TypingTimeout.Milliseconds()
			e.typing = e.clock.AfterFunc(TypingTimeout, e.typingExpired)
			e.emit(Effect{Kind: EffectTyping, Name: name, Typing: true})
		}
	})
	e.flush()
	return nil
}

// AgentStoppedTyping ends what AgentTyping began.
func (e *Engine) AgentStoppedTyping() {
	e.locking(func() {
		if !e.stopped {
			e.stopTyping()
			e.emit(Effect{Kind: EffectTyping})
		}
	})
	e.flush()
}

// stopTyping cancels the typing indicator's countdown and reports whether
// the indicator was up.
func (e *Engine) stopTyping() bool {
	if e.typing == nil {
		return false
	}
	e.typing.Stop()
	e.typing = nil
	return true
}

// endTyping takes the typing indicator down, if it is up: the agent
// answered, the chat ended or the indicator expired.
func (e *Engine) endTyping() {
	if e.stopTyping() {
		e.emit(Effect{Kind: EffectTyping})
	}
}

// typingExpired takes the indicator down once its time has come. Like a
// trigger's timer, it goes by the deadline, not by which timer ran: one
// that was already running when a later call replaced it, or when the
// indicator went down, finds the deadline ahead or no indicator, and does
// nothing.
func (e *Engine) typingExpired() {
	e.locking(func() {
		if !e.stopped && e.typing != nil && e.now() >= e.typingDue {
			e.endTyping()
		}
	})
	e.flush()
}

// AgentJoined records that an agent joined the chat. The name has the
// limit of an agent's name.
func (e *Engine) AgentJoined(name string) error {
	name = strings.TrimSpace(name)
	if err := checkAgentName(name); err != nil {
		return err
	}
	if name == "" {
		name = "An agent"
	}
	e.do(true, func(now int64) {
		e.served()
		e.emit(Effect{Kind: EffectShow, Entry: e.addEntry(Entry{Kind: EntrySystem, At: now, Text: name + " joined the chat"})})
	})
	return nil
}

func (e *Engine) served() {
	if e.visit.Chat.State != ChatServed && e.visit.Chat.State != ChatRequesting {
		e.visit.Chat.Seq++ // an agent opened a new chat
	}
	e.visit.Chat.State = ChatServed
	e.cancelType(TypeChatRescue, HeldAnswered)
}

// ChatEnded ends the current chat.
func (e *Engine) ChatEnded() {
	e.do(true, func(now int64) {
		e.endTyping() // nobody types in a chat that is over
		if e.visit.Chat.State == ChatNone || e.visit.Chat.State == ChatEnded {
			return
		}
		e.visit.Chat.State = ChatEnded
		e.cancelType(TypeChatRescue, HeldChatEnded)
		e.emit(Effect{Kind: EffectShow, Entry: e.addEntry(Entry{Kind: EntrySystem, At: now, Text: "The chat has ended"})})
	})
}

// SetMaximized records the widget opening or closing. Opening arms the
// maximized triggers; closing cancels their countdowns.
func (e *Engine) SetMaximized(open bool) {
	e.do(true, func(now int64) { e.setMaximized(open, now) })
}

// ToggleMaximized opens the widget if it is closed and closes it if it is
// open, deciding under the engine's lock: the engine is the one place that
// knows whether the widget is open.
func (e *Engine) ToggleMaximized() {
	e.do(true, func(now int64) { e.setMaximized(!e.visit.Maximized, now) })
}

func (e *Engine) setMaximized(open bool, now int64) {
	if e.visit.Maximized == open {
		return
	}
	e.visit.Maximized = open
	e.emit(Effect{Kind: EffectMaximize, Maximized: open})
	for _, t := range e.set.Triggers {
		if t.Type != TypeMaximized {
			continue
		}
		if open {
			e.arm(t, now)
		} else {
			e.cancel(t, HeldMinimized)
		}
	}
	if open {
		e.onEvent(EventWidgetMaximized, "", now)
	}
}

// SetStatus changes the widget status. Leaving online cancels every
// countdown; coming back re-arms the site and matching page triggers of the
// current page with their full delay.
func (e *Engine) SetStatus(status string) error {
	if !validStatus(status) {
		return errorString("unknown status " + quote(status) + " (one of online, away, offline)")
	}
	e.do(false, func(now int64) {
		was := e.status()
		if was == status {
			return
		}
		e.visit.Status = status
		e.emit(Effect{Kind: EffectStatus, Status: status})
		if status != StatusOnline {
			for _, t := range e.set.Triggers {
				e.cancel(t, HeldStatus)
			}
			return
		}
		if e.visit.PageViews > 0 {
			e.armForPage(now)
		}
	})
	return nil
}

// Stop writes what is not written yet and cancels every timer; the engine
// ignores events afterwards.
func (e *Engine) Stop() {
	e.locking(func() {
		if e.dirty && !e.stopped {
			e.write()
		}
		e.stopped = true
		e.stopTimers()
		e.stopTyping()
	})
	e.flush()
}

// Snapshot returns the engine state for getState().
func (e *Engine) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	s := Snapshot{
		Property:  e.set.Property,
		Status:    e.status(),
		Maximized: e.visit.Maximized,
		Chat:      e.visit.Chat.State,
		Visit: VisitSummary{
			Start: e.visit.Start, PageViews: e.visit.PageViews, URL: e.visit.URL,
			Visits: e.visitor.Visits, Returning: e.visitor.Visits > 1,
		},
		Tags:     append([]string{}, e.visitor.Tags...),
		Attrs:    map[string]string{},
		Fired:    []FiredRecord{},
		Armed:    []ArmedRecord{},
		Messages: append([]Entry{}, e.visit.Transcript...),
	}
	for k, v := range e.visitor.Attrs {
		s.Attrs[k] = v
	}
	if s.Chat == "" {
		s.Chat = ChatNone
	}
	for id, at := range e.visit.Fired {
		s.Fired = append(s.Fired, FiredRecord{TriggerID: id, At: at})
	}
	slices.SortFunc(s.Fired, func(a, b FiredRecord) int {
		return cmp.Or(cmp.Compare(a.At, b.At), strings.Compare(a.TriggerID, b.TriggerID))
	})
	for id, at := range e.visit.Armed {
		s.Armed = append(s.Armed, ArmedRecord{TriggerID: id, Due: at})
	}
	order := map[string]int{}
	for _, t := range e.set.Triggers {
		order[t.ID] = t.Index
	}
	slices.SortFunc(s.Armed, func(a, b ArmedRecord) int {
		return cmp.Or(cmp.Compare(a.Due, b.Due), cmp.Compare(order[a.TriggerID], order[b.TriggerID]))
	})
	return s
}

// Transcript returns the visit's messages, for rendering after a reload.
func (e *Engine) Transcript() []Entry {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Entry(nil), e.visit.Transcript...)
}

// Status returns the widget status.
func (e *Engine) Status() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.status()
}

// Maximized reports whether the widget is open.
func (e *Engine) Maximized() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.visit.Maximized
}
