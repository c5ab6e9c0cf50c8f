package widget_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// typing lists the typing effects so far, as "Name" for one that puts the
// indicator up and "-" for one that takes it down.
func typing(r *rig) []string {
	var out []string
	for _, ef := range r.rec.of(widget.EffectTyping) {
		if ef.Typing {
			out = append(out, ef.Name)
		} else {
			out = append(out, "-")
		}
	}
	return out
}

func wantTyping(t *testing.T, r *rig, want ...string) {
	t.Helper()
	if got := typing(r); !reflect.DeepEqual(got, want) {
		t.Errorf("typing effects %q, want %q", got, want)
	}
}

func agentTyping(t *testing.T, r *rig, name string) {
	t.Helper()
	if err := r.eng.AgentTyping(name); err != nil {
		t.Fatal(err)
	}
}

// The indicator goes down by itself TypingTimeout after the call, to the
// millisecond, when the host never says the agent stopped.
func TestAgentTyping_Expires(t *testing.T) {
	t.Parallel()
	if widget.TypingTimeout != 30*time.Second {
		t.Errorf("TypingTimeout = %v; the docs say 30 seconds", widget.TypingTimeout)
	}
	r := newRig(t)
	r.view("/")
	r.at(2 * s1)
	agentTyping(t, r, "Ann")
	r.at(2*s1 + widget.TypingTimeout - ms1)
	wantTyping(t, r, "Ann")
	r.at(2*s1 + widget.TypingTimeout)
	wantTyping(t, r, "Ann", "-")
	r.at(time.Hour)
	wantTyping(t, r, "Ann", "-")
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers left after the indicator expired, want none", n)
	}
}

// Each call starts the countdown again: an agent who keeps typing keeps
// the indicator up.
func TestAgentTyping_RepeatedCallRestartsTheCountdown(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.view("/")
	agentTyping(t, r, "Ann")
	r.at(20 * s1)
	agentTyping(t, r, "Ann")
	r.at(40 * s1)
	agentTyping(t, r, "Bob") // another agent took over
	r.at(40*s1 + widget.TypingTimeout - ms1)
	wantTyping(t, r, "Ann", "Ann", "Bob")
	if n := r.clock.Pending(); n != 1 {
		t.Errorf("%d timers pending, want the last call's only", n)
	}
	r.at(40*s1 + widget.TypingTimeout)
	wantTyping(t, r, "Ann", "Ann", "Bob", "-")
	r.at(time.Hour)
	wantTyping(t, r, "Ann", "Ann", "Bob", "-")
}

// What ends the indicator before it expires also ends its countdown: the
// indicator goes down once, not again TypingTimeout after the call. An
// agent joining says nothing about typing: the indicator stays up and
// expires as usual.
func TestAgentTyping_EndedBeforeItExpires(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		end   func(e *widget.Engine) error
		stays bool // the indicator is still up after end
	}{
		{"stopped typing", func(e *widget.Engine) error { e.AgentStoppedTyping(); return nil }, false},
		{"agent message", func(e *widget.Engine) error { return e.AgentMessage("Ann", "Hello") }, false},
		{"chat ended", func(e *widget.Engine) error { e.ChatEnded(); return nil }, false},
		{"agent joined", func(e *widget.Engine) error { return e.AgentJoined("Ann") }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			r.view("/")
			if err := r.eng.VisitorMessage("Hi"); err != nil {
				t.Fatal(err)
			}
			agentTyping(t, r, "Ann")
			r.at(10 * s1)
			if err := tc.end(r.eng); err != nil {
				t.Fatal(err)
			}
			if tc.stays {
				wantTyping(t, r, "Ann")
				r.at(widget.TypingTimeout)
			}
			wantTyping(t, r, "Ann", "-")
			r.at(time.Hour)
			wantTyping(t, r, "Ann", "-")
		})
	}
}

// The agent's message takes the indicator down before it shows, and a
// message, a chat's end or a stop with no indicator up says nothing of
// typing beyond what it said before (a stop is always reported).
func TestAgentTyping_MessageOrder(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.view("/")
	agentTyping(t, r, "Ann")
	if err := r.eng.AgentMessage("Ann", "Hello"); err != nil {
		t.Fatal(err)
	}
	var kinds []widget.EffectKind
	for _, ef := range r.rec.all() {
		if ef.Kind == widget.EffectTyping || ef.Kind == widget.EffectShow && ef.Entry.Kind == widget.EntryAgent {
			kinds = append(kinds, ef.Kind)
		}
	}
	if want := []widget.EffectKind{widget.EffectTyping, widget.EffectTyping, widget.EffectShow}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("effects %v, want typing up, typing down, then the agent's message", kinds)
	}
	if err := r.eng.AgentMessage("Ann", "Anything else?"); err != nil {
		t.Fatal(err)
	}
	r.eng.ChatEnded()
	wantTyping(t, r, "Ann", "-")
	r.eng.AgentStoppedTyping()
	wantTyping(t, r, "Ann", "-", "-")
}

// A stopped engine never takes the indicator down (the page is going
// away) and leaves no countdown behind; a call after Stop does nothing.
func TestAgentTyping_EngineStop(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.view("/")
	agentTyping(t, r, "Ann")
	r.at(5 * s1)
	r.eng.Stop()
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers pending after Stop, want none", n)
	}
	agentTyping(t, r, "Bob")
	r.at(time.Hour)
	wantTyping(t, r, "Ann")
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers pending after a call on a stopped engine, want none", n)
	}
}

// A tab that does not lead runs no trigger countdowns, but the indicator
// is its own page's: it expires there too.
func TestAgentTyping_ExpiresInAFollower(t *testing.T) {
	t.Parallel()
	clock := widget.NewManualClock(t0)
	r := &rig{t: t, clock: clock, store: widget.NewMemoryStorage(), rec: &recorder{}}
	r.eng = widget.New(compileOK(t, setOf(siteT("welcome", 5))), widget.Options{Clock: clock, Storage: r.store, Sink: r.rec.sink, Follower: true})
	r.view("/")
	agentTyping(t, r, "Ann")
	r.at(widget.TypingTimeout)
	wantTyping(t, r, "Ann", "-")
	r.wantFired()
}

// lateClock is a clock whose timers cannot be stopped: each callback is
// already on its way when Stop is called, as a system timer's can be. The
// test sets the time and runs them by hand.
type lateClock struct {
	mu  sync.Mutex
	now time.Duration // since t0
	fns []func()
}

func (c *lateClock) UnixMilli() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return t0.Add(c.now).UnixMilli()
}

func (c *lateClock) AfterFunc(_ time.Duration, f func()) widget.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fns = append(c.fns, f)
	return lateTimer{}
}

// run sets the time to t0+at and runs the i-th callback set.
func (c *lateClock) run(at time.Duration, i int) {
	c.mu.Lock()
	c.now = at
	f := c.fns[i]
	c.mu.Unlock()
	f()
}

type lateTimer struct{}

func (lateTimer) Stop() bool { return false }

// A countdown that runs although it was replaced or stopped does
// nothing: only the last call's takes the indicator down, at its time.
func TestAgentTyping_LateTimerDoesNothing(t *testing.T) {
	t.Parallel()
	clock := &lateClock{}
	rec := &recorder{}
	eng := widget.New(compileOK(t, setOf()), widget.Options{Clock: clock, Sink: rec.sink})
	r := &rig{t: t, rec: rec, eng: eng}
	agentTyping(t, r, "Ann")
	clock.mu.Lock()
	clock.now = 20 * s1
	clock.mu.Unlock()
	agentTyping(t, r, "Ann")
	clock.run(widget.TypingTimeout, 0) // the first call's, replaced by the second
	wantTyping(t, r, "Ann", "Ann")
	clock.run(20*s1+widget.TypingTimeout, 1)
	wantTyping(t, r, "Ann", "Ann", "-")
	clock.run(20*s1+widget.TypingTimeout, 1) // never twice
	wantTyping(t, r, "Ann", "Ann", "-")

	agentTyping(t, r, "Bob")
	eng.AgentStoppedTyping()
	clock.run(time.Hour, 2) // stopped before it ran
	wantTyping(t, r, "Ann", "Ann", "-", "Bob", "-")
}

// A new visit takes the indicator down: it belonged to the last visit's
// chat, even kept up by a host that says every 20 s that the agent types
// while the visitor does nothing for half an hour.
func TestAgentTyping_EndsWithTheVisit(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.view("/")
	var at time.Duration
	for at = s1; at <= widget.VisitTimeout+time.Minute; at += 20 * s1 {
		r.at(at)
		agentTyping(t, r, "Ann")
	}
	wantTyping(t, r, typingCalls(int((widget.VisitTimeout+time.Minute)/(20*s1)))...)
	before := len(r.rec.of(widget.EffectVisit))
	r.at(at)
	if err := r.eng.VisitorMessage("back again"); err != nil {
		t.Fatal(err)
	}
	if got := len(r.rec.of(widget.EffectVisit)); got != before+1 {
		t.Fatalf("%d visits began after the timeout, want one", got-before)
	}
	if got := typing(r); len(got) == 0 || got[len(got)-1] != "-" {
		t.Errorf("typing effects end with %q after the new visit, want the indicator taken down", got[len(got)-1:])
	}
	if n := r.clock.Pending(); n != 0 {
		t.Errorf("%d timers left once the new visit began, want none (the typing countdown ended)", n)
	}
}

// typingCalls is n indicators put up by agentTyping("Ann").
func typingCalls(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "Ann"
	}
	return out
}
