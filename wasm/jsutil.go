//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"
	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
)

// errString is an error that needs no fmt.
type errString string

func (e errString) Error() string { return string(e) }

// jsString reads a JS value as a string, "" for null/undefined or on error.
func jsString(v safejs.Value) string {
	if v.IsNull() || v.IsUndefined() {
		return ""
	}
	if v.Type() != safejs.TypeString {
		s, err := safejs.Global().Call("String", v)
		if err != nil {
			return ""
		}
		v = s
	}
	s, err := v.String()
	if err != nil {
		return ""
	}
	return s
}

func prop(v safejs.Value, name string) safejs.Value {
	if v.IsNull() || v.IsUndefined() {
		return safejs.Undefined()
	}
	r, err := v.Get(name)
	if err != nil {
		return safejs.Undefined()
	}
	return r
}

// reflectGet reads a property that may throw (localStorage when site data
// is blocked, document.cookie in a sandboxed frame). Go's wasm_exec.js does
// not catch exceptions from plain property reads, which would take the whole
// runtime down; a call through Reflect.get is caught and becomes an error.
func reflectGet(obj safejs.Value, name string) (safejs.Value, error) {
	r, err := safejs.Global().Get("Reflect")
	if err != nil {
		return safejs.Undefined(), err
	}
	return r.Call("get", obj, name)
}

// reflectSet is reflectGet's counterpart for a setter that may throw.
func reflectSet(obj safejs.Value, name string, v any) error {
	r, err := safejs.Global().Get("Reflect")
	if err != nil {
		return err
	}
	_, err = r.Call("set", obj, name, v)
	return err
}

// jsErrorText describes a rejected promise's reason or a thrown value.
func jsErrorText(v safejs.Value) string {
	if m := prop(v, "message"); m.Type() == safejs.TypeString {
		return jsString(m)
	}
	return jsString(v)
}

// await waits for a promise, at most timeout. It must not be called from a
// JS callback (FuncOf): it blocks its goroutine until the promise settles.
func await(p safejs.Value, timeout time.Duration) (safejs.Value, error) {
	type result struct {
		v       safejs.Value
		err     error
		expired bool
	}
	// One channel for the promise's two outcomes and the timeout, which
	// never blocks a sender (a promise settles once, the timer fires once):
	// a plain receive, not a select, so that the start-up, its only caller,
	// does not call (and have V8 compile) the runtime's select.
	ch := make(chan result, 3)
	arg := func(args []safejs.Value) safejs.Value {
		if len(args) == 0 {
			return safejs.Undefined()
		}
		return args[0]
	}
	ok, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{v: arg(args)}
		return nil
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	fail, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		ch <- result{err: errString(jsErrorText(arg(args)))}
		return nil
	})
	if err != nil {
		ok.Release()
		return safejs.Undefined(), err
	}
	if _, err := p.Call("then", ok.Value(), fail.Value()); err != nil {
		ok.Release()
		fail.Release()
		return safejs.Undefined(), err
	}
	// A time.AfterFunc, not a time.Timer: the latter's channel of
	// time.Time would link Go's time formatting into the wasm.
	t := time.AfterFunc(timeout, func() { ch <- result{expired: true} })
	defer t.Stop()
	r := <-ch
	if r.expired {
		// The functions stay alive: the promise may still settle, and
		// calling a released function would log an error in the page.
		return safejs.Undefined(), errString("timed out after " + itoa(int(timeout/time.Second)) + " s")
	}
	ok.Release()
	fail.Release()
	return r.v, r.err
}

// parseJSON turns JSON text made by easyjson into a plain JS object.
func parseJSON(b []byte) (safejs.Value, error) {
	j, err := safejs.Global().Get("JSON")
	if err != nil {
		return safejs.Undefined(), err
	}
	return j.Call("parse", string(b))
}

type easyMarshaler interface{ MarshalEasyJSON(*jwriter.Writer) }

// toJS converts a Go value with an easyjson marshaler to a JS object.
func toJS(v easyMarshaler) safejs.Value {
	var w jwriter.Writer
	v.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		return safejs.Null()
	}
	o, err := parseJSON(b)
	if err != nil {
		return safejs.Null()
	}
	return o
}

// itoa is strconv.Itoa kept out of line (smaller wasm).
//
//go:noinline
func itoa(n int) string { return strconv.Itoa(n) }

// console writes to the browser console; it never fails.
func console(level string, args ...any) {
	c, err := safejs.Global().Get("console")
	if err != nil {
		return
	}
	_, _ = c.Call(level, append([]any{"[triggerwidget]"}, args...)...)
}
