//go:build js && wasm

package wasm

import (
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// A panic in one of the engine's timers (a bug) becomes an error event with
// code "runtime", as a panic in an API call does, instead of ending the
// program; the timers after it still run.
func TestGuardedClock_PanicIsAnErrorEvent(t *testing.T) {
	rt := &runtime{ready: true, dispatchFn: evalJS(t, `function (name, payload) { this.push(name + ":" + payload.code + ":" + payload.message); }.bind(globalThis.__twGot = [])`)} // a widget past its load
	clock := widget.NewManualClock(time.Unix(1_700_000_000, 0))
	c := guardedClock{clock, rt}
	ran := false
	c.AfterFunc(time.Second, func() { panic("timer bug") })
	c.AfterFunc(2*time.Second, func() { ran = true })
	clock.Advance(3 * time.Second)
	if !ran {
		t.Errorf("the timer after the one that panicked did not run")
	}
	got := evalJS(t, `globalThis.__twGot.join("\n")`)
	if s, _ := got.String(); s != "error:runtime:internal error: timer bug" {
		t.Errorf("events %q, want one error event, code runtime, naming the panic", s)
	}
}
