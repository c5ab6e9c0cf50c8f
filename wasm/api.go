//go:build js && wasm

package wasm

import (
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// api builds the object of Go implementations that the loader's
// TriggerWidget methods forward to. Each one is guarded: bad
// arguments are reported through the error event, never thrown.
func (rt *runtime) api() (safejs.Value, error) {
	impl := mustObject()
	methods := map[string]func(args []safejs.Value) (any, error){
		"visitorMessage": func(args []safejs.Value) (any, error) {
			return nil, rt.engine.VisitorMessage(jsString(arg(args, 0)))
		},
		"agentMessage": func(args []safejs.Value) (any, error) {
			a := arg(args, 0)
			if a.Type() == safejs.TypeString {
				return nil, rt.engine.AgentMessage("", jsString(a))
			}
			id, err := messageID(prop(a, "id"))
			if err != nil {
				return nil, err
			}
			return nil, rt.engine.AgentMessageID(jsString(prop(a, "name")), jsString(prop(a, "text")), id)
		},
		"agentJoined": func(args []safejs.Value) (any, error) {
			return nil, rt.engine.AgentJoined(jsString(arg(args, 0)))
		},
		"agentTyping": func(args []safejs.Value) (any, error) {
			return nil, rt.engine.AgentTyping(jsString(arg(args, 0)))
		},
		"agentStoppedTyping": func([]safejs.Value) (any, error) {
			rt.engine.AgentStoppedTyping()
			return nil, nil
		},
		"chatEnded": func([]safejs.Value) (any, error) {
			rt.engine.ChatEnded()
			return nil, nil
		},
		"setStatus": func(args []safejs.Value) (any, error) {
			return nil, rt.engine.SetStatus(strings.ToLower(strings.TrimSpace(jsString(arg(args, 0)))))
		},
		"maximize": func([]safejs.Value) (any, error) {
			rt.engine.SetMaximized(true)
			return nil, nil
		},
		"minimize": func([]safejs.Value) (any, error) {
			rt.engine.SetMaximized(false)
			return nil, nil
		},
		"toggle": func([]safejs.Value) (any, error) {
			rt.engine.SetMaximized(!rt.engine.Maximized())
			return nil, nil
		},
		"hide": func([]safejs.Value) (any, error) { return nil, rt.ui.setHidden(true) },
		"show": func([]safejs.Value) (any, error) { return nil, rt.ui.setHidden(false) },
		"setAttributes": func(args []safejs.Value) (any, error) {
			attrs, err := stringMap(arg(args, 0))
			if err != nil {
				return nil, err
			}
			return nil, rt.engine.SetAttributes(attrs)
		},
		"addTags": func(args []safejs.Value) (any, error) {
			tags, err := stringList(arg(args, 0))
			if err != nil {
				return nil, err
			}
			return nil, rt.engine.AddTags(tags)
		},
		"removeTags": func(args []safejs.Value) (any, error) {
			tags, err := stringList(arg(args, 0))
			if err != nil {
				return nil, err
			}
			rt.engine.RemoveTags(tags)
			return nil, nil
		},
		"addEvent": func(args []safejs.Value) (any, error) {
			return nil, rt.engine.CustomEvent(jsString(arg(args, 0)))
		},
		"getState": func([]safejs.Value) (any, error) {
			return toJS(rt.engine.Snapshot()), nil
		},
		"explain": func([]safejs.Value) (any, error) {
			return toJS(rt.engine.Explain()), nil
		},
		"reload": func([]safejs.Value) (any, error) {
			go rt.guard(widget.ErrReload, rt.reload)
			return nil, nil
		},
		"shutdown": func([]safejs.Value) (any, error) {
			rt.stop()
			return nil, nil
		},
		"_navigate": func(args []safejs.Value) (any, error) {
			rt.pageView(page{url: jsString(arg(args, 0)), title: jsString(arg(args, 1))})
			return nil, nil
		},
	}
	if err := rt.bind(impl, "", methods); err != nil {
		return safejs.Undefined(), err
	}
	return impl, nil
}

// bind sets each method on obj as a JS function. Every call is guarded: an
// error or a panic becomes an error event (code api) naming prefix+name,
// never a throw into the caller; after shutdown the methods do nothing.
func (rt *runtime) bind(obj safejs.Value, prefix string, methods map[string]func(args []safejs.Value) (any, error)) error {
	for name, fn := range methods {
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
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
	case safejs.TypeString, safejs.TypeNumber:
		return jsString(v), nil
	}
	return "", errString("agent message id must be a string or a number")
}

// stringList reads an array of strings, or a single string, from JS.
func stringList(v safejs.Value) ([]string, error) {
	if v.Type() == safejs.TypeString {
		return []string{jsString(v)}, nil
	}
	if v.Type() != safejs.TypeObject || v.IsNull() {
		return nil, errString("expected an array of strings")
	}
	n, err := v.Length()
	if err != nil {
		return nil, errString("expected an array of strings")
	}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		x, err := v.Index(i)
		if err != nil {
			return nil, err
		}
		out = append(out, jsString(x))
	}
	return out, nil
}

// stringMap reads a plain object's own enumerable properties as strings.
func stringMap(v safejs.Value) (map[string]string, error) {
	if v.Type() != safejs.TypeObject || v.IsNull() {
		return nil, errString("expected an object of attributes")
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
	out := make(map[string]string, n)
	for i := 0; i < n; i++ {
		k, err := keys.Index(i)
		if err != nil {
			return nil, err
		}
		key := jsString(k)
		out[key] = jsString(prop(v, key))
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
	rt.engine.Resume()
	rt.loaded()
	return err
}
