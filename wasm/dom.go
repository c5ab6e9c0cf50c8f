//go:build js && wasm

package wasm

import (
	"github.com/hack-pad/safejs"
)

// dom builds and changes DOM nodes through safejs. It keeps the first error
// and turns every later call into a no-op, so rendering code reads straight
// through and checks once at the end (see err and reset). Its methods are
// never inlined: a copy of one at each of the UI's many call sites cost the
// wasm far more than the call does.
type dom struct {
	doc safejs.Value
	err error
}

func (d *dom) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// reset returns the first error since the last reset, and clears it.
func (d *dom) reset() error {
	err := d.err
	d.err = nil
	return err
}

//go:noinline
func (d *dom) el(tag string, attrs ...string) safejs.Value {
	if d.err != nil {
		return safejs.Null()
	}
	v, err := d.doc.Call("createElement", tag)
	d.fail(err)
	for i := 0; i+1 < len(attrs); i += 2 {
		d.attr(v, attrs[i], attrs[i+1])
	}
	return v
}

//go:noinline
func (d *dom) attr(v safejs.Value, name, value string) {
	if d.err != nil {
		return
	}
	_, err := v.Call("setAttribute", name, value)
	d.fail(err)
}

//go:noinline
func (d *dom) removeAttr(v safejs.Value, name string) {
	if d.err != nil {
		return
	}
	_, err := v.Call("removeAttribute", name)
	d.fail(err)
}

// text sets v's content to s as a text node: nothing in s is ever parsed as
// markup.
//
//go:noinline
func (d *dom) text(v safejs.Value, s string) {
	if d.err != nil {
		return
	}
	d.fail(v.Set("textContent", s))
}

//go:noinline
func (d *dom) get(v safejs.Value, prop string) safejs.Value {
	if d.err != nil {
		return safejs.Undefined()
	}
	r, err := v.Get(prop)
	d.fail(err)
	return r
}

//go:noinline
func (d *dom) call(v safejs.Value, method string, args ...any) safejs.Value {
	if d.err != nil {
		return safejs.Undefined()
	}
	r, err := v.Call(method, args...)
	d.fail(err)
	return r
}

//go:noinline
func (d *dom) append(parent safejs.Value, children ...safejs.Value) {
	for _, c := range children {
		d.call(parent, "appendChild", c)
	}
}

//go:noinline
func (d *dom) remove(v safejs.Value) {
	if v.IsNull() || v.IsUndefined() {
		return
	}
	d.call(v, "remove")
}

// hidden shows or hides v with the hidden attribute.
//
//go:noinline
func (d *dom) hidden(v safejs.Value, hide bool) {
	if hide {
		d.attr(v, "hidden", "")
	} else {
		d.removeAttr(v, "hidden")
	}
}
