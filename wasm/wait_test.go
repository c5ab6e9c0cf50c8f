//go:build js && wasm

package wasm

import (
	goruntime "runtime"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// A shutdown() while the start-up waits between two steps (the loader's
// wake-up not yet come) ends the wait: pause reports the runtime stopped.
func TestPause_ShutdownWakesTheStartUp(t *testing.T) {
	rt := &runtime{done: make(chan struct{}), resumed: make(chan struct{}, 1), boot: safejs.Undefined(),
		// The loader's yieldTo, here one that keeps the wake-up and never
		// calls it.
		yieldTo: evalJS(t, `function (fn) { globalThis.__twWake = fn; }`)}
	got := make(chan bool, 1)
	go func() { got <- rt.pause() }()
	for i := 0; ; i++ {
		if w, _ := safejs.Global().Get("__twWake"); w.Type() == safejs.TypeFunction {
			break // the start-up has handed the thread back and waits
		}
		if i > 1000 {
			t.Fatal("pause never called yieldTo")
		}
		goruntime.Gosched()
	}
	rt.stop()
	select {
	case ok := <-got:
		if ok {
			t.Errorf("pause() = true after shutdown, want false")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the start-up still waits after shutdown")
	}
}
