//go:build js && wasm

package wasm

import (
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// tabs makes the visitor's tabs share one visit (see widget/sync.go for
// the engine's half):
//
//   - One tab leads: it holds a Web Lock named after the property
//     (navigator.locks.request), runs the countdowns and fires due
//     triggers; the other tabs wait in the lock's queue and take over, in
//     order, when the leader closes. A tab that opens visible leads at
//     once (see follower). A tab that opens or becomes visible
//     steals the lock, so the leader is the tab the visitor looks at, not
//     a background tab whose timers the browser slows down.
//   - Every tab listens to `storage` events: another tab wrote, and the
//     engine adopts it (Engine.Sync), so messages show in every tab.
//   - Writes are coalesced to one per JS task (a microtask after the
//     burst), and flushed when the page hides or unloads.
//
// Without Web Locks (or when the request fails) every tab leads and
// the storage events are the only coordination: a timer re-reads storage
// before it fires, so a trigger another tab already fired is not fired
// again.
//
// Lock callbacks, promise reactions and the deferred write are Go
// functions reached through promises whose rejection is caught by a
// native no-op, so even after shutdown (when the Go program has exited)
// nothing they do can throw into the host page.
type tabs struct {
	rt   *runtime
	name string
	// locks is navigator.locks, or undefined without Web Locks.
	locks safejs.Value
	noop  safejs.Value // Function.prototype: a native function that does nothing

	mu      sync.Mutex
	started bool // the first engine was given its role
	queued  bool // a request without steal is waiting in the lock's queue
	leader  bool
	held    safejs.Value // resolves the promise that holds the lock
	write   func()       // the engine's pending deferred write
	flushFn safejs.Value // calls write; undefined until first needed
	removes []func()     // window listeners to take off at shutdown
}

// follower reports whether the next engine starts without leading. A tab
// that starts visible leads at once: it asks to steal the lock, which
// always succeeds, so it leads from its first event on, and a lone tab
// behaves exactly as if there were no coordination. A tab that starts
// hidden waits in the lock's queue.
func (rt *runtime) follower() bool {
	t := rt.tabState()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.locks.Type() != safejs.TypeObject {
		return false
	}
	if !t.started {
		t.started = true
		t.leader = visible()
	}
	return !t.leader
}

// tabState returns the tabs coordinator, set up on first use.
func (rt *runtime) tabState() *tabs {
	if rt.tabs != nil {
		return rt.tabs
	}
	t := &tabs{rt: rt, name: "triggerwidget:" + rt.property + ":leader", locks: safejs.Undefined(), held: safejs.Undefined(), noop: safejs.Undefined(), flushFn: safejs.Undefined()}
	if fn, err := safejs.Global().Get("Function"); err == nil {
		t.noop = prop(fn, "prototype")
	}
	if nav, err := reflectGet(safejs.Global(), "navigator"); err == nil {
		if l, err := reflectGet(nav, "locks"); err == nil && l.Type() == safejs.TypeObject && prop(l, "request").Type() == safejs.TypeFunction && t.noop.Type() == safejs.TypeFunction {
			t.locks = l
		}
	}
	rt.tabs = t
	return t
}

// deferWrite is the engine's Options.Defer: the write runs in a microtask,
// once the current JS task's burst of events is over.
func (rt *runtime) deferWrite(write func()) {
	t := rt.tabState()
	t.mu.Lock()
	t.write = write
	if t.flushFn.Type() != safejs.TypeFunction {
		f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			t.mu.Lock()
			w := t.write
			t.write = nil
			t.mu.Unlock()
			if w != nil {
				rt.guard(widget.ErrStorage, func() error { w(); return nil })
			}
			return nil
		})
		if err == nil {
			t.flushFn = f.Value() // kept for the page's life
		}
	}
	fn := t.flushFn
	t.mu.Unlock()
	if fn.Type() != safejs.TypeFunction || t.whenDone(resolved(), fn, safejs.Undefined()) != nil {
		write()
	}
}

// resolved returns Promise.resolve(), or undefined.
func resolved() safejs.Value {
	p, err := safejs.Global().Get("Promise")
	if err != nil {
		return safejs.Undefined()
	}
	v, err := p.Call("resolve")
	if err != nil {
		return safejs.Undefined()
	}
	return v
}

// whenDone runs onOK or onFail (either may be undefined) when promise
// settles, and catches whatever they throw.
func (t *tabs) whenDone(promise, onOK, onFail safejs.Value) error {
	if prop(promise, "then").Type() != safejs.TypeFunction {
		return errString("not a promise")
	}
	next, err := promise.Call("then", onOK, onFail)
	if err != nil {
		return err
	}
	_, err = next.Call("catch", t.noop)
	return err
}

// startTabs listens to the other tabs and asks to lead.
func (rt *runtime) startTabs() {
	t := rt.tabState()
	win := safejs.Global()
	t.listen(win, "storage", func(ev safejs.Value) {
		// A null key is localStorage.clear(): the visit may be gone.
		if k := prop(ev, "key"); k.IsNull() || strings.HasPrefix(jsString(k), rt.store.prefix) {
			rt.engine.Sync()
		}
	})
	t.listen(win, "pagehide", func(safejs.Value) { rt.engine.Flush() })
	if doc, err := win.Get("document"); err == nil {
		t.listen(doc, "visibilitychange", func(safejs.Value) {
			if jsString(prop(doc, "visibilityState")) == "hidden" {
				rt.engine.Flush()
				return
			}
			t.mu.Lock()
			lead := t.leader
			t.mu.Unlock()
			if !lead {
				t.request(true)
			}
		})
	}
	if t.locks.Type() != safejs.TypeObject {
		t.lead()
		return
	}
	// The tab the visitor has just opened leads (an admin's preview
	// frame too: it replaces the previous frame, which runs an older set).
	t.mu.Lock()
	steal := t.leader
	t.mu.Unlock()
	t.request(steal)
}

func visible() bool {
	doc, err := safejs.Global().Get("document")
	return err == nil && jsString(prop(doc, "visibilityState")) != "hidden"
}

// listen adds a guarded listener to a target that outlives the widget
// (window, document), to be taken off at shutdown.
func (t *tabs) listen(target safejs.Value, event string, fn func(ev safejs.Value)) {
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		t.rt.guard(widget.ErrStorage, func() error {
			if !t.rt.stopped {
				fn(arg(args, 0))
			}
			return nil
		})
		return nil
	})
	if err != nil {
		return
	}
	if _, err := target.Call("addEventListener", event, f.Value()); err != nil {
		f.Release()
		return
	}
	t.removes = append(t.removes, func() {
		_, _ = target.Call("removeEventListener", event, f.Value())
		f.Release()
	})
}

// request asks for the lock (stealing it from the current leader when
// steal is set). The callback holds the lock with a promise that only
// stopTabs resolves; losing it to a steal makes this tab follow and queue
// again. Any other failure leaves the tab leading on its own.
func (t *tabs) request(steal bool) {
	t.mu.Lock()
	if !steal {
		if t.queued {
			t.mu.Unlock()
			return // one place in the queue is enough
		}
		t.queued = true
	}
	t.mu.Unlock()
	var funcs []safejs.Func
	release := func() {
		if !steal {
			t.mu.Lock()
			t.queued = false
			t.mu.Unlock()
		}
		for _, f := range funcs {
			f.Release()
		}
		funcs = nil
	}
	cb, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		var out any
		t.rt.guard(widget.ErrStorage, func() error {
			p, resolve, err := newPromise()
			if err != nil || !t.granted(resolve) {
				return err // returning nothing releases the lock at once
			}
			out = p
			return nil
		})
		return out
	})
	if err != nil {
		t.lead()
		return
	}
	funcs = append(funcs, cb)
	onOK, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any { release(); return nil })
	if err != nil {
		release()
		t.lead()
		return
	}
	funcs = append(funcs, onOK)
	onFail, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		release()
		t.rt.guard(widget.ErrStorage, func() error {
			if t.rt.stopped {
				return nil
			}
			if jsString(prop(arg(args, 0), "name")) == "AbortError" {
				t.lost() // another tab stole the lock
				t.request(false)
				return nil
			}
			t.lead()
			return nil
		})
		return nil
	})
	if err != nil {
		release()
		t.lead()
		return
	}
	funcs = append(funcs, onFail)
	opts := mustObject()
	if steal {
		_ = opts.Set("steal", true)
	}
	p, err := t.locks.Call("request", t.name, opts, cb.Value())
	if err != nil || t.whenDone(p, onOK.Value(), onFail.Value()) != nil {
		release()
		t.lead()
	}
}

// granted makes this tab lead with the lock resolve holds; it reports
// false (release at once) when the tab already leads or has stopped.
func (t *tabs) granted(resolve safejs.Value) bool {
	t.mu.Lock()
	if t.rt.stopped || !t.held.IsUndefined() {
		t.mu.Unlock()
		return false
	}
	t.held, t.leader = resolve, true
	t.mu.Unlock()
	t.rt.engine.SetLeader(true)
	return true
}

// lead makes this tab lead without a lock.
func (t *tabs) lead() {
	t.mu.Lock()
	t.leader = true
	t.mu.Unlock()
	t.rt.engine.SetLeader(true)
}

// lost makes this tab follow: another tab took the lock.
func (t *tabs) lost() {
	t.mu.Lock()
	t.held, t.leader = safejs.Undefined(), false
	t.mu.Unlock()
	t.rt.engine.SetLeader(false)
}

// stopTabs releases the lock and the listeners.
func (rt *runtime) stopTabs() {
	t := rt.tabs
	if t == nil {
		return
	}
	t.mu.Lock()
	held := t.held
	t.held = safejs.Undefined()
	removes := t.removes
	t.removes = nil
	t.mu.Unlock()
	if held.Type() == safejs.TypeFunction {
		_, _ = held.Invoke()
	}
	for _, r := range removes {
		r()
	}
}

// newPromise returns a pending promise and its resolve function.
func newPromise() (p, resolve safejs.Value, err error) {
	ctor, err := safejs.Global().Get("Promise")
	if err != nil {
		return safejs.Undefined(), safejs.Undefined(), err
	}
	resolve = safejs.Undefined()
	exec, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolve = arg(args, 0)
		return nil
	})
	if err != nil {
		return safejs.Undefined(), safejs.Undefined(), err
	}
	defer exec.Release()
	p, err = ctor.New(exec.Value())
	if err != nil || resolve.Type() != safejs.TypeFunction {
		return safejs.Undefined(), safejs.Undefined(), errString("could not make a promise")
	}
	return p, resolve, nil
}

// rekey moves a rendered entry to the id another tab's merge gave it.
func (u *ui) rekey(oldID, newID int) {
	if el, ok := u.entries[oldID]; ok {
		delete(u.entries, oldID)
		u.entries[newID] = el
	}
}
