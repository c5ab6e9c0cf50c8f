//go:build js && wasm

package wasm

import (
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// method is an API method's Go side, under its JS name.
type method struct {
	name string
	fn   func(rt *runtime, args []safejs.Value) (any, error)
}

// navigateMethod is the loader's call when the page's address changes.
const navigateMethod = "_navigate"

// apiMethods are the API's methods, in the order of widget.APIMethods
// (the loader's METHODS), then the navigation. A table of functions that
// take the runtime, rather than closures made at start: it is static data,
// neither code nor allocations in the start-up.
var apiMethods = [...]method{
	{"visitorMessage", func(rt *runtime, args []safejs.Value) (any, error) {
		text, err := hostText(arg(args, 0), "the message")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.VisitorMessage(text)
	}},
	{"agentMessage", func(rt *runtime, args []safejs.Value) (any, error) {
		a := arg(args, 0)
		if a.Type() == safejs.TypeString {
			text, err := hostText(a, "the message")
			if err != nil {
				return nil, err
			}
			return nil, rt.engine.AgentMessage("", text)
		}
		if a.Type() != safejs.TypeObject || a.IsNull() {
			return nil, errString("expected the message's text, or an object {name, text, id}, not " + typeName(a))
		}
		id, err := messageID(prop(a, "id"))
		if err != nil {
			return nil, err
		}
		name, err := hostText(prop(a, "name"), "the agent's name")
		if err != nil {
			return nil, err
		}
		text, err := hostText(prop(a, "text"), "the message")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.AgentMessageID(name, text, id)
	}},
	{"agentJoined", func(rt *runtime, args []safejs.Value) (any, error) {
		name, err := hostText(arg(args, 0), "the agent's name")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.AgentJoined(name)
	}},
	{"agentTyping", func(rt *runtime, args []safejs.Value) (any, error) {
		name, err := hostText(arg(args, 0), "the agent's name")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.AgentTyping(name)
	}},
	{"agentStoppedTyping", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.engine.AgentStoppedTyping()
		return nil, nil
	}},
	{"chatEnded", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.engine.ChatEnded()
		return nil, nil
	}},
	{"setStatus", func(rt *runtime, args []safejs.Value) (any, error) {
		status, err := hostText(arg(args, 0), "the status")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.SetStatus(strings.ToLower(strings.TrimSpace(status)))
	}},
	{"maximize", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.engine.SetMaximized(true)
		return nil, nil
	}},
	{"minimize", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.engine.SetMaximized(false)
		return nil, nil
	}},
	{"toggle", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.engine.SetMaximized(!rt.engine.Maximized())
		return nil, nil
	}},
	{"hide", func(rt *runtime, _ []safejs.Value) (any, error) { return nil, rt.ui.setHidden(true) }},
	{"show", func(rt *runtime, _ []safejs.Value) (any, error) { return nil, rt.ui.setHidden(false) }},
	{"setAttributes", func(rt *runtime, args []safejs.Value) (any, error) {
		attrs, err := stringMap(arg(args, 0))
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.SetAttributes(attrs)
	}},
	{"addTags", func(rt *runtime, args []safejs.Value) (any, error) {
		tags, err := stringList(arg(args, 0), widget.MaxTags)
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.AddTags(tags)
	}},
	{"removeTags", func(rt *runtime, args []safejs.Value) (any, error) {
		tags, err := stringList(arg(args, 0), maxRemoved)
		if err != nil {
			return nil, err
		}
		rt.engine.RemoveTags(tags)
		return nil, nil
	}},
	{"addEvent", func(rt *runtime, args []safejs.Value) (any, error) {
		name, err := hostText(arg(args, 0), "the event's name")
		if err != nil {
			return nil, err
		}
		return nil, rt.engine.CustomEvent(name)
	}},
	{"getState", func(rt *runtime, _ []safejs.Value) (any, error) {
		return toJS(rt.engine.Snapshot()), nil
	}},
	{"explain", func(rt *runtime, _ []safejs.Value) (any, error) {
		return toJS(rt.engine.Explain()), nil
	}},
	{"reload", func(rt *runtime, _ []safejs.Value) (any, error) {
		go rt.guard(widget.ErrReload, rt.reload)
		return nil, nil
	}},
	{"shutdown", func(rt *runtime, _ []safejs.Value) (any, error) {
		rt.stop()
		return nil, nil
	}},
	{navigateMethod, func(rt *runtime, args []safejs.Value) (any, error) {
		rt.pageView(page{url: jsString(arg(args, 0)), title: jsString(arg(args, 1))})
		return nil, nil
	}},
}

// api builds the one Go function that the loader's TriggerWidget methods
// forward to, as impl(i, ...args) for the loader's METHODS[i]. Each method
// is guarded: bad arguments are reported through the error event, never
// thrown. One function rather than one per method: every JS function Go
// makes is a value Go tracks with a finalizer, set up during the start-up,
// and V8 counts every such set-up towards recompiling the runtime's
// finalizer code in the background (see skipSpace in internal/jsonlex).
func (rt *runtime) api() (safejs.Value, error) {
	// The loader calls impl(i, ...args) for its METHODS[i], which are
	// widget.APIMethods, and impl(len(METHODS), href, title, "") for a
	// navigation: a number, which crosses into Go without allocating,
	// where a method's name would be a string Go copies and tracks on
	// every call. apiMethods is in that order.
	n := len(widget.APIMethods)
	if len(apiMethods) != n+1 || apiMethods[n].name != navigateMethod {
		return safejs.Undefined(), errString("the runtime's API methods are not the loader's")
	}
	for i, name := range widget.APIMethods {
		if apiMethods[i].name != name {
			return safejs.Undefined(), errString("the API method " + name + " has no implementation in its place")
		}
	}
	f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		i, ok := index(arg(args, 0), len(apiMethods))
		if !ok {
			return rt.callMethod("", "impl", func([]safejs.Value) (any, error) {
				return nil, errString("no method number " + jsString(arg(args, 0)))
			}, nil)
		}
		m := &apiMethods[i]
		return rt.callMethod("", m.name, func(args []safejs.Value) (any, error) { return m.fn(rt, args) }, args[1:])
	})
	if err != nil {
		return safejs.Undefined(), err
	}
	rt.funcs = append(rt.funcs, f)
	return f.Value(), nil
}

// callMethod runs the method fn named prefix+name with args, guarded: an
// error or a panic becomes an error event (code api) naming it, never a
// throw into the caller; after shutdown it does nothing.
func (rt *runtime) callMethod(prefix, name string, fn func(args []safejs.Value) (any, error), args []safejs.Value) any {
	var out any
	rt.guard(widget.ErrAPI, func() error {
		if rt.stopped {
			return nil
		}
		v, err := fn(args)
		if err != nil {
			return errString(prefix + name + ": " + err.Error())
		}
		out = v
		return nil
	})
	return out
}

// index reads v as an index below n, as the loader passes the API's
// methods and the DOM listeners by number. Only a whole number in range
// will do: read as an int, 1.5 would be 1 and NaN 0.
func index(v safejs.Value, n int) (int, bool) {
	if v.Type() != safejs.TypeNumber {
		return 0, false
	}
	f, err := v.Float()
	if err != nil || f < 0 || f >= float64(n) || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

func arg(args []safejs.Value, i int) safejs.Value {
	if i < len(args) {
		return args[i]
	}
	return safejs.Undefined()
}

// messageID reads agentMessage's id: a string, a number (as JS writes
// it), or nothing.
func messageID(v safejs.Value) (string, error) {
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return "", nil
	case safejs.TypeNumber:
		return jsString(v), nil
	case safejs.TypeString:
		return hostText(v, "the message id")
	}
	return "", errString("agent message id must be a string or a number")
}

// The host's arguments are read strictly. A text the visitor may see, a
// name, a tag or a status must be a JS string (or nothing, where the
// engine has a default or says what is missing): String() of anything
// else is "[object Object]", which the widget would show or store rather
// than say what is wrong. An attribute's value may also be a number or a
// boolean. The limits are the engine's, checked exactly once an argument
// is read; an argument that could never pass (a text of megabytes, a
// million tags) never reaches Go: the loader refuses it (oversized in
// loader.js), so copying it cannot freeze the page or grow the runtime's
// memory, which never shrinks, and the calls that pass pay nothing for it.

// hostText reads an API argument that must be a string: "" for null or
// undefined.
func hostText(v safejs.Value, what string) (string, error) {
	switch v.Type() {
	case safejs.TypeUndefined, safejs.TypeNull:
		return "", nil
	case safejs.TypeString:
		return jsString(v), nil
	}
	return "", errString(what + " must be a string, not " + typeName(v))
}

// isArrayFn is the loader's boot.isArray (set at start): one call whose
// answer Go need not track. Without it (the package's tests under Node)
// Array.isArray is looked up each time.
var isArrayFn safejs.Value

// typeName names a JS value's type for an error message.
func typeName(v safejs.Value) string {
	switch v.Type() {
	case safejs.TypeUndefined:
		return "undefined"
	case safejs.TypeNull:
		return "null"
	case safejs.TypeBoolean:
		return "a boolean"
	case safejs.TypeNumber:
		return "a number"
	case safejs.TypeString:
		return "a string"
	case safejs.TypeSymbol:
		return "a symbol"
	case safejs.TypeFunction:
		return "a function"
	}
	if isArray(v) {
		return "an array"
	}
	return "an object"
}

func isArray(v safejs.Value) bool {
	if v.Type() != safejs.TypeObject {
		return false
	}
	f := isArrayFn
	if f.Type() != safejs.TypeFunction {
		a, err := safejs.Global().Get("Array")
		if err != nil {
			return false
		}
		if f, err = a.Get("isArray"); err != nil {
			return false
		}
	}
	r, err := f.Invoke(v)
	if err != nil {
		return false
	}
	ok, _ := r.Truthy()
	return ok
}

// maxRemoved is the most tags one removeTags call may name: a page may
// remove more than a visitor can have (a list of every segment it uses).
const maxRemoved = 1000

// stringList reads tags: an array of strings, or a single string. An
// array of more than max is refused before it is read.
func stringList(v safejs.Value, max int) ([]string, error) {
	if v.Type() == safejs.TypeString {
		return []string{jsString(v)}, nil
	}
	if !isArray(v) {
		return nil, errString("expected a tag or an array of tags, not " + typeName(v))
	}
	n, err := v.Length()
	if err != nil {
		return nil, err
	}
	if n > max {
		return nil, errString("too many tags in one call: " + itoa(n) + " (at most " + itoa(max) + ")")
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		x, err := v.Index(i)
		if err != nil {
			return nil, err
		}
		s, err := hostText(x, "tag "+itoa(i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// stringMap reads attributes: a plain object's own enumerable properties,
// each a string, a number or a boolean (null and undefined read as "").
// An object of more than widget.MaxAttrs keys is refused before its values
// are read.
func stringMap(v safejs.Value) (map[string]string, error) {
	if v.Type() != safejs.TypeObject || v.IsNull() || isArray(v) {
		return nil, errString("expected an object of attributes, not " + typeName(v))
	}
	obj, err := safejs.Global().Get("Object")
	if err != nil {
		return nil, err
	}
	keys, err := obj.Call("keys", v)
	if err != nil {
		return nil, err
	}
	n, err := keys.Length()
	if err != nil {
		return nil, err
	}
	if n > widget.MaxAttrs {
		return nil, errString("too many attributes in one call: " + itoa(n) + " (at most " + itoa(widget.MaxAttrs) + ")")
	}
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		k, err := keys.Index(i)
		if err != nil {
			return nil, err
		}
		key, err := hostText(k, "an attribute's name")
		if err != nil {
			return nil, err
		}
		x, err := v.Get(key)
		if err != nil {
			return nil, err
		}
		switch x.Type() {
		case safejs.TypeNumber, safejs.TypeBoolean:
			out[key] = jsString(x)
		case safejs.TypeString, safejs.TypeNull, safejs.TypeUndefined:
			s, err := hostText(x, "attribute "+strconv.Quote(key))
			if err != nil {
				return nil, err
			}
			out[key] = s
		default:
			return nil, errString("attribute " + strconv.Quote(key) + " must be a string, a number or a boolean, not " + typeName(x))
		}
	}
	return out, nil
}

// reload fetches the trigger set again and restarts the engine on it,
// keeping the visit.
func (rt *runtime) reload() error {
	promise, err := rt.boot.Call("refetch")
	if err != nil {
		return err
	}
	set, err := rt.loadSet(promise)
	if err != nil {
		return err
	}
	rt.engine.Stop()
	rt.set = set
	rt.engine = widget.New(set, rt.options(false))
	if rt.ui != nil {
		// The new set may look or speak otherwise.
		rt.ui.applyAppearance(set.Widget)
		err = rt.ui.d.reset()
		// The typing line's countdown stopped with the old engine, and
		// the new one has none: the line goes, until the host's next
		// agentTyping.
		rt.ui.setTyping(false, "")
		_ = rt.ui.setStatus(rt.engine.Status())
	}
	// load before the new engine's countdowns resume.
	rt.loaded()
	if !rt.stopped {
		rt.engine.Resume()
	}
	return err
}
