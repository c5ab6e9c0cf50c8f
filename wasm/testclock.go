//go:build js && wasm && triggerwidget_testclock

// The test clock. Built with the tag triggerwidget_testclock, the engine
// runs on a widget.ManualClock instead of the system clock, and the host page
// gets TriggerWidget.__testClock to drive it:
//
//	TriggerWidget.__testClock.now()        the engine's time, in ms since 1970
//	TriggerWidget.__testClock.advance(ms)  moves it on, running every timer
//	                                       that falls due on the way, and
//	                                       returns the new now()
//
// Why: the browser tests (package e2e) then decide to the millisecond when a
// trigger's delay ends instead of sleeping through it with a margin for a
// loaded machine, so "nothing 1 ms before the delay, fired at it" is an
// exact assertion and the suite spends no time waiting. The first page of a
// tab starts the clock at the real time; later pages in the same tab carry
// on from where the previous one left it (sessionStorage keeps it), so the
// time a page load takes does not count either.
//
// Never in dist/: `make build` does not set the tag, internal/distbuild
// refuses a wasm that has the hook without asking for it, and its tests
// check that the shipped wasm has no trace of this file. Its counterpart for
// the shipped build is systemclock.go.

package wasm

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

const (
	// testClockName is the hook's property on the TriggerWidget object.
	testClockName = "__testClock"
	// testClockKey is where sessionStorage keeps the clock between pages.
	testClockKey = "triggerwidget:testclock"
)

// testClock is the one clock of this wasm instance: a reload() builds a new
// engine on it, so it must outlive any engine.
var testClock struct {
	once      sync.Once
	c         *widget.ManualClock
	advancing bool // advance() runs; a host listener called during it must not advance again
}

// engineClock is the engine's clock: the test clock.
func engineClock() widget.Clock { return manualClock() }

// manualClock returns the test clock, starting it on first use.
func manualClock() *widget.ManualClock {
	testClock.once.Do(func() {
		start, ok := savedTestClock()
		if !ok {
			start = time.Now().UnixMilli()
		}
		testClock.c = widget.NewManualClock(time.UnixMilli(start))
		saveTestClock()
	})
	return testClock.c
}

// installTestClock puts the hook on the TriggerWidget object. Like the API,
// every call is guarded: a bad argument is an error event, never a throw.
func installTestClock(rt *runtime, api safejs.Value) error {
	hook := mustObject()
	err := rt.bind(hook, testClockName+".", map[string]func(args []safejs.Value) (any, error){
		"now": func([]safejs.Value) (any, error) {
			return float64(manualClock().Now().UnixMilli()), nil
		},
		"advance": func(args []safejs.Value) (any, error) { return advanceTestClock(args) },
	})
	if err != nil {
		return err
	}
	return api.Set(testClockName, hook)
}

// advanceTestClock moves the clock on by args[0] ms. The timers it runs
// render and dispatch synchronously, on this JS call: nothing they do waits
// for the event loop, so the caller sees every effect when it returns.
func advanceTestClock(args []safejs.Value) (float64, error) {
	v := arg(args, 0)
	if v.Type() != safejs.TypeNumber {
		return 0, errString("expected a number of milliseconds")
	}
	ms, err := v.Float()
	if err != nil {
		return 0, err
	}
	if math.IsNaN(ms) || ms < 0 || ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return 0, errString("expected a number of milliseconds from 0 up, not " + strconv.FormatFloat(ms, 'g', -1, 64))
	}
	if testClock.advancing {
		return 0, errString("called while the clock is advancing (from an event listener?)")
	}
	c := manualClock()
	testClock.advancing = true
	defer func() { testClock.advancing = false }()
	c.Advance(time.Duration(math.Round(ms * float64(time.Millisecond))))
	saveTestClock()
	return float64(c.Now().UnixMilli()), nil
}

// savedTestClock reads the time the previous page of this tab left the
// clock at.
func savedTestClock() (int64, bool) {
	store, err := sessionStorage()
	if err != nil {
		return 0, false
	}
	v, err := store.Call("getItem", testClockKey)
	if err != nil || v.Type() != safejs.TypeString {
		return 0, false
	}
	ms, err := strconv.ParseInt(jsString(v), 10, 64)
	return ms, err == nil
}

// saveTestClock keeps the clock's time for the next page. Without
// sessionStorage (a test blocking storage) each page starts at the real
// time, which is the best it can do.
func saveTestClock() {
	store, err := sessionStorage()
	if err != nil {
		return
	}
	_, _ = store.Call("setItem", testClockKey, strconv.FormatInt(testClock.c.Now().UnixMilli(), 10))
}

func sessionStorage() (safejs.Value, error) {
	// The getter throws when site data is blocked; see reflectGet.
	return reflectGet(safejs.Global(), "sessionStorage")
}

// bind sets each method on obj as a JS function, guarded as callMethod
// guards it.
func (rt *runtime) bind(obj safejs.Value, prefix string, methods map[string]func(args []safejs.Value) (any, error)) error {
	for name, fn := range methods {
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			return rt.callMethod(prefix, name, fn, args)
		})
		if err != nil {
			return err
		}
		rt.funcs = append(rt.funcs, f)
		if err := obj.Set(name, f.Value()); err != nil {
			return err
		}
	}
	return nil
}
