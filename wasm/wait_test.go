//go:build js && wasm

package wasm

import (
	goruntime "runtime"
	"runtime/debug"
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

// The lower GOGC, and a collection, wait for the loader's idleTo to call
// back, and a shutdown() meanwhile ends the wait with GOGC as it was.
func TestSettle_LowersGOGCWhenIdle(t *testing.T) {
	gogc := func() int {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	defer debug.SetGCPercent(debug.SetGCPercent(gcStartPercent))
	for _, shutdown := range []bool{false, true} {
		debug.SetGCPercent(gcStartPercent)
		_ = safejs.Global().Delete("__twIdle")
		rt := &runtime{done: make(chan struct{}), resumed: make(chan struct{}, 1), boot: safejs.Undefined(),
			// The loader's idleTo, here one that keeps the callback.
			idleTo: evalJS(t, `function (fn) { globalThis.__twIdle = fn; }`)}
		settled := make(chan struct{})
		go func() { rt.settle(); close(settled) }()
		var idle safejs.Value
		for i := 0; ; i++ {
			if w, _ := safejs.Global().Get("__twIdle"); w.Type() == safejs.TypeFunction {
				idle = w
				break
			}
			if i > 1000 {
				t.Fatal("settle never called idleTo")
			}
			goruntime.Gosched()
		}
		if got := gogc(); got != gcStartPercent {
			t.Fatalf("GOGC %d before the idle moment, want %d", got, gcStartPercent)
		}
		var gcs debug.GCStats
		debug.ReadGCStats(&gcs)
		before := gcs.NumGC
		if shutdown {
			rt.stop()
		} else if _, err := idle.Invoke(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-settled:
		case <-time.After(5 * time.Second):
			t.Fatalf("settle still waits (shutdown: %v)", shutdown)
		}
		want := gcPercent
		if shutdown {
			want = gcStartPercent
		}
		if got := gogc(); got != want {
			t.Errorf("shutdown %v: GOGC %d after settle, want %d", shutdown, got, want)
		}
		// The first collection at the lower GOGC runs in the idle moment's
		// task, not in whichever task next needs memory.
		debug.ReadGCStats(&gcs)
		if !shutdown && gcs.NumGC == before {
			t.Error("no collection ran in the idle moment")
		}
	}
}
