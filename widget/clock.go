package widget

import (
	"cmp"
	"slices"
	"sync"
	"time"
)

// Clock is the engine's only source of time. The browser build uses the
// system clock; tests and the simulator use a ManualClock.
//
// Its methods take and give no time.Time: a time.Time in an interface's
// method set links Go's whole time formatting into the wasm, which never
// prints a time.
type Clock interface {
	// UnixMilli is the current time in Unix milliseconds.
	UnixMilli() int64
	// AfterFunc calls f once, on its own goroutine or from Advance, after d.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not happened yet and reports
	// whether it did so.
	Stop() bool
}

// SystemClock is the real clock.
type SystemClock struct{}

// UnixMilli returns the current time.
func (SystemClock) UnixMilli() int64 { return time.Now().UnixMilli() }

// AfterFunc wraps time.AfterFunc.
func (SystemClock) AfterFunc(d time.Duration, f func()) Timer {
	return stopFunc(time.AfterFunc(d, f).Stop)
}

// stopFunc is a Timer that is its Stop method (holding no *time.Timer,
// whose channel of time.Time would have the same effect as above).
type stopFunc func() bool

func (f stopFunc) Stop() bool { return f() }

// ManualClock is a clock that moves only when told to. Timers run inside
// Advance, in deadline order (then in the order they were set), each seeing
// Now() equal to its own deadline. It is safe for concurrent use; callbacks
// run without the clock's lock held, so they may set or stop timers.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*manualTimer
}

type manualTimer struct {
	c    *ManualClock
	when time.Time
	seq  int
	f    func()
	done bool
}

// NewManualClock returns a clock set to start.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// UnixMilli returns the clock's current time in Unix milliseconds.
func (c *ManualClock) UnixMilli() int64 { return c.Now().UnixMilli() }

// AfterFunc schedules f at Now()+d. A d of zero or less runs at the next
// Advance, even Advance(0).
func (c *ManualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d < 0 {
		d = 0
	}
	c.seq++
	t := &manualTimer{c: c, when: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *manualTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Advance moves the clock forward by d, running every timer that falls due
// on the way, including timers those timers set.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		t := c.nextDue(end, false)
		if t == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		t.done = true
		if t.when.After(c.now) {
			c.now = t.when
		}
		c.mu.Unlock()
		t.f()
	}
}

// Set moves the clock to an absolute time (never backwards).
func (c *ManualClock) Set(at time.Time) {
	if d := at.Sub(c.Now()); d > 0 {
		c.Advance(d)
	}
}

// Next returns the earliest deadline of a waiting timer, false when none
// waits. Stepping from one deadline to the next lets a caller see what each
// timer did before the next one runs.
func (c *ManualClock) Next() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next time.Time
	found := false
	for _, t := range c.timers {
		if !t.done && (!found || t.when.Before(next)) {
			next, found = t.when, true
		}
	}
	return next, found
}

// RunNext moves the clock to the earliest waiting timer's deadline (never
// backwards) and runs that one timer alone; it reports false when no timer
// waits. Timers it sets for the same instant wait for the next call.
func (c *ManualClock) RunNext() bool {
	c.mu.Lock()
	t := c.nextDue(time.Time{}, true)
	if t == nil {
		c.mu.Unlock()
		return false
	}
	t.done = true
	if t.when.After(c.now) {
		c.now = t.when
	}
	c.mu.Unlock()
	t.f()
	return true
}

// Pending reports how many timers are waiting.
func (c *ManualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// nextDue returns the earliest live timer due by end (any, with anyTime).
func (c *ManualClock) nextDue(end time.Time, anyTime bool) *manualTimer {
	live := c.timers[:0]
	for _, t := range c.timers {
		if !t.done {
			live = append(live, t)
		}
	}
	c.timers = live
	slices.SortStableFunc(live, func(a, b *manualTimer) int {
		return cmp.Or(a.when.Compare(b.when), cmp.Compare(a.seq, b.seq))
	})
	if len(live) == 0 || !anyTime && live[0].when.After(end) {
		return nil
	}
	return live[0]
}
