package widget_test

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Compile-time checks that both clocks satisfy Clock.
var (
	_ widget.Clock   = widget.SystemClock{}
	_ widget.Clock   = (*widget.ManualClock)(nil)
	_ widget.Storage = (*widget.MemoryStorage)(nil)
)

// log records callback names and the clock time each one saw.
type clockLog struct {
	mu    sync.Mutex
	names []string
	at    []time.Duration
}

func (l *clockLog) fn(c *widget.ManualClock, name string) func() {
	return func() {
		now := c.Now()
		l.mu.Lock()
		defer l.mu.Unlock()
		l.names = append(l.names, name)
		l.at = append(l.at, now.Sub(t0))
	}
}

func TestManualClock_DeadlineOrder(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var l clockLog
	c.AfterFunc(3*s1, l.fn(c, "c"))
	c.AfterFunc(1*s1, l.fn(c, "a"))
	c.AfterFunc(2*s1, l.fn(c, "b"))
	if c.Pending() != 3 {
		t.Errorf("Pending = %d, want 3", c.Pending())
	}
	c.Advance(10 * s1)
	if want := []string{"a", "b", "c"}; !reflect.DeepEqual(l.names, want) {
		t.Errorf("order = %q, want %q", l.names, want)
	}
	if want := []time.Duration{s1, 2 * s1, 3 * s1}; !reflect.DeepEqual(l.at, want) {
		t.Errorf("each callback saw Now = %v, want its own deadline %v", l.at, want)
	}
	if got := c.Now(); !got.Equal(t0.Add(10 * s1)) {
		t.Errorf("Now after Advance = %v, want t0+10s", got)
	}
	if c.Pending() != 0 {
		t.Errorf("Pending = %d after running all, want 0", c.Pending())
	}
}

func TestManualClock_SameDeadlineInCreationOrder(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var l clockLog
	names := []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}
	for _, n := range names {
		c.AfterFunc(2*s1, l.fn(c, n))
	}
	c.AfterFunc(1*s1, l.fn(c, "first"))
	c.Advance(2 * s1)
	if want := append([]string{"first"}, names...); !reflect.DeepEqual(l.names, want) {
		t.Errorf("order = %q, want %q", l.names, want)
	}
}

func TestManualClock_NotBeforeDeadline(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	ran := 0
	c.AfterFunc(s1, func() { ran++ })
	c.Advance(999 * ms1)
	if ran != 0 {
		t.Fatalf("ran at 999ms, want at 1s")
	}
	c.Advance(ms1)
	if ran != 1 {
		t.Fatalf("ran %d times at 1s, want once", ran)
	}
	c.Advance(time.Hour)
	if ran != 1 {
		t.Errorf("ran %d times, want once", ran)
	}
}

func TestManualClock_Stop(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var l clockLog
	keep := c.AfterFunc(s1, l.fn(c, "keep"))
	drop := c.AfterFunc(s1, l.fn(c, "drop"))
	if !drop.Stop() {
		t.Errorf("Stop of a pending timer = false, want true")
	}
	if drop.Stop() {
		t.Errorf("second Stop = true, want false")
	}
	if c.Pending() != 1 {
		t.Errorf("Pending = %d, want 1", c.Pending())
	}
	c.Advance(time.Minute)
	if !reflect.DeepEqual(l.names, []string{"keep"}) {
		t.Errorf("ran %q, want only keep", l.names)
	}
	if keep.Stop() {
		t.Errorf("Stop after the call = true, want false")
	}
}

func TestManualClock_TimersSetFromCallbacks(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var l clockLog
	c.AfterFunc(s1, func() {
		l.fn(c, "outer")()
		c.AfterFunc(s1, l.fn(c, "inner-due"))     // at 2s: within this Advance
		c.AfterFunc(0, l.fn(c, "inner-now"))      // at 1s, right away
		c.AfterFunc(10*s1, l.fn(c, "inner-late")) // at 11s: after it
	})
	var stopMe widget.Timer
	c.AfterFunc(1500*ms1, func() { stopMe.Stop() })
	stopMe = c.AfterFunc(3*s1, l.fn(c, "stopped-by-callback"))
	c.Advance(5 * s1)
	if want := []string{"outer", "inner-now", "inner-due"}; !reflect.DeepEqual(l.names, want) {
		t.Errorf("ran %q, want %q", l.names, want)
	}
	if want := []time.Duration{s1, s1, 2 * s1}; !reflect.DeepEqual(l.at, want) {
		t.Errorf("times %v, want %v", l.at, want)
	}
	if c.Pending() != 1 {
		t.Errorf("Pending = %d, want 1 (inner-late)", c.Pending())
	}
	c.Advance(6 * s1)
	if l.names[len(l.names)-1] != "inner-late" || l.at[len(l.at)-1] != 11*s1 {
		t.Errorf("last ran %q at %v, want inner-late at 11s", l.names[len(l.names)-1], l.at[len(l.at)-1])
	}
}

func TestManualClock_ZeroAndNegativeDelays(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var l clockLog
	c.AfterFunc(0, l.fn(c, "zero"))
	c.AfterFunc(-time.Hour, l.fn(c, "negative"))
	if len(l.names) != 0 {
		t.Fatalf("AfterFunc ran its function synchronously")
	}
	c.Advance(0)
	if want := []string{"zero", "negative"}; !reflect.DeepEqual(l.names, want) {
		t.Errorf("Advance(0) ran %q, want %q", l.names, want)
	}
	if want := []time.Duration{0, 0}; !reflect.DeepEqual(l.at, want) {
		t.Errorf("times %v, want now (a negative delay does not move time back)", l.at)
	}
}

func TestManualClock_Set(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	ran := 0
	c.AfterFunc(5*s1, func() { ran++ })
	c.Set(t0.Add(4 * s1))
	if ran != 0 || !c.Now().Equal(t0.Add(4*s1)) {
		t.Fatalf("Set(t0+4s): ran %d, now %v", ran, c.Now().Sub(t0))
	}
	c.Set(t0.Add(5 * s1))
	if ran != 1 {
		t.Fatalf("Set(t0+5s): ran %d, want 1", ran)
	}
	c.Set(t0) // never backwards
	if !c.Now().Equal(t0.Add(5 * s1)) {
		t.Errorf("Set backwards moved the clock to %v", c.Now().Sub(t0))
	}
}

func TestManualClock_ConcurrentUse(t *testing.T) {
	t.Parallel()
	c := widget.NewManualClock(t0)
	var mu sync.Mutex
	ran := 0
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				tm := c.AfterFunc(time.Duration(i)*ms1, func() { mu.Lock(); ran++; mu.Unlock() })
				if i%10 == 0 {
					tm.Stop()
				}
				_ = c.Now()
			}
		}()
	}
	wg.Wait()
	c.Advance(time.Second)
	if ran != 8*45 {
		t.Errorf("ran %d callbacks, want %d", ran, 8*45)
	}
}

func TestSystemClock(t *testing.T) {
	t.Parallel()
	var c widget.SystemClock
	before := time.Now().UnixMilli()
	if now := c.UnixMilli(); now < before {
		t.Errorf("SystemClock.UnixMilli() = %d, before %d", now, before)
	}
	done := make(chan struct{})
	c.AfterFunc(0, func() { close(done) })
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("SystemClock.AfterFunc(0) never ran")
	}
	tm := c.AfterFunc(time.Hour, func() { t.Error("stopped timer ran") })
	if !tm.Stop() {
		t.Errorf("Stop = false, want true")
	}
}

func TestMemoryStorage(t *testing.T) {
	t.Parallel()
	s := widget.NewMemoryStorage()
	if _, ok, err := s.Get("k"); ok || err != nil {
		t.Errorf("Get(missing) = ok %v, err %v", ok, err)
	}
	if err := s.Set("k", "v1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("k", "v2"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := s.Get("k"); v != "v2" || !ok || err != nil {
		t.Errorf("Get = %q %v %v, want v2", v, ok, err)
	}
	if err := s.Set("empty", ""); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Get("empty"); v != "" || !ok {
		t.Errorf("Get(empty) = %q %v, want \"\" true", v, ok)
	}
	if err := s.Remove("k"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("k"); ok {
		t.Errorf("Get after Remove: ok")
	}
	if err := s.Remove("never-set"); err != nil {
		t.Errorf("Remove(missing) = %v", err)
	}
}
