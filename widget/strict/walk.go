package strict

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/widget"
)

// One walk of the document, guided by the model's types and json tags (so
// it follows the model as it grows), records where every value of the
// model is and finds what the decoder would pass over in silence: keys it
// does not know, keys given twice, verbatim values that are not JSON, and
// bytes that are not UTF-8. It reads bytes itself rather than through a
// JSON decoder so that it knows every offset; the document has already
// been accepted by widget.ParseSet, and on anything else the walk stops
// early, never panics and never loops.

const (
	unknownKeyProblem   = "unknown field, ignored by the runtime"
	duplicateKeyProblem = "duplicate key; only its last value counts"
)

// document is what the walk learns.
type document struct {
	root *node
	// strict lists the strict problems (unknown keys, duplicate keys,
	// verbatim values that are not JSON) in document order, each with
	// its offset.
	strict []Problem
}

// node is one value of the document.
type node struct {
	off, end int // the value's bytes
	// fields holds an object's members by key (the last of a key given
	// twice, as the decoder keeps); set only for objects the model
	// decodes into a struct.
	fields map[string]*node
	// items holds an array's items; non-nil only for arrays the model
	// decodes into a list.
	items []*node
	// raw marks a verbatim value (widget.RawJSON: a condition's value, an
	// emit action's data), which the model keeps as the document's bytes.
	raw bool
}

var (
	setType     = reflect.TypeFor[widget.Set]()
	triggerType = reflect.TypeFor[widget.Trigger]()
	rawJSONType = reflect.TypeFor[widget.RawJSON]()
)

// scan walks data, a trigger-set document.
func scan(data []byte) *document {
	w := &walker{scanner: scanner{data: data}}
	root := w.value(setType, "")
	// The decoder reads any bytes inside strings, and the encoder writes
	// the invalid ones back as U+FFFD: a change the owner did not make.
	if off := invalidUTF8(data); off >= 0 {
		w.strict = append(w.strict, Problem{
			FieldError: widget.FieldError{Field: "(document)", Code: widget.CodeBadText, Problem: "not valid UTF-8, as a JSON document must be"},
			Offset:     off,
		})
		slices.SortStableFunc(w.strict, func(a, b Problem) int { return a.Offset - b.Offset })
	}
	return &document{root: root, strict: w.strict}
}

// invalidUTF8 is the offset of the first byte of data that is not UTF-8,
// or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// offset places a problem of the checker: the value its path names, or
// the nearest enclosing value present in the document.
func (d *document) offset(fe widget.FieldError) int {
	n := d.root
	if fe.Index > 0 {
		if list := n.fields["triggers"]; list != nil {
			n = list
			if fe.Index <= len(list.items) {
				n = list.items[fe.Index-1]
			}
		}
	}
	for _, s := range pathSegments(fe.Field) {
		var next *node
		if s.index >= 0 {
			if s.index < len(n.items) {
				next = n.items[s.index]
			}
		} else {
			next = n.fields[s.name]
		}
		if next == nil {
			break
		}
		n = next
	}
	return n.off
}

// segment is one step of a field path: a key, or a list index (name "").
type segment struct {
	name  string
	index int // -1 for a key
}

// pathSegments splits "conditions[2].value" into conditions, 2, value.
func pathSegments(path string) []segment {
	var out []segment
	for path != "" {
		switch path[0] {
		case '.':
			path = path[1:]
		case '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return out
			}
			i, err := strconv.Atoi(path[1:end])
			if err != nil || i < 0 {
				return out
			}
			out = append(out, segment{index: i})
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			out = append(out, segment{name: path[:end], index: -1})
			path = path[end:]
		}
	}
	return out
}

type walker struct {
	scanner
	strict []Problem
	index  int // the trigger being walked, from 1; 0 outside triggers
}

// value walks the value at the current position, which the model decodes
// into a Go value of type t; path is its field path (trigger-relative
// inside a trigger, as the checker's).
func (w *walker) value(t reflect.Type, path string) *node {
	w.ws()
	n := &node{off: w.pos}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == rawJSONType:
		n.raw = true
		w.skip()
		if raw := w.data[n.off:w.pos]; len(raw) > 0 && !json.Valid(raw) {
			w.add(n.off, path, widget.CodeNotJSON, "not valid JSON (a verbatim value must be JSON itself)")
		}
	case t.Kind() == reflect.Struct && w.peek() == '{':
		w.object(n, t, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 && w.peek() == '[':
		w.array(n, t, path)
	default:
		w.skip()
	}
	n.end = w.pos
	return n
}

// shortKey is how a problem's field path names an unknown key: whole when
// short, else its start, so that a message never grows with the input.
// (The problem's offset still points at the key itself.)
func shortKey(key string) string {
	const most = 40
	if len(key) <= most {
		return key
	}
	end := most - 4
	for end > 0 && !utf8.RuneStart(key[end]) {
		end--
	}
	return key[:end] + "…"
}

func (w *walker) add(off int, field, code, problem string) {
	w.strict = append(w.strict, Problem{
		FieldError: widget.FieldError{Index: w.index, Field: field, Code: code, Problem: problem},
		Offset:     off,
	})
}

// object walks an object decoded into struct type t.
func (w *walker) object(n *node, t reflect.Type, path string) {
	model := modelOf(t)
	n.fields = map[string]*node{}
	w.pos++ // {
	for {
		w.ws()
		if w.peek() != '"' {
			if w.peek() == '}' {
				w.pos++
			} else {
				w.stop()
			}
			return
		}
		keyOff := w.pos
		key := w.str()
		w.ws()
		if w.peek() != ':' {
			w.stop()
			return
		}
		w.pos++
		p := key
		if path != "" {
			p = path + "." + key
		}
		ft, known := model.types[key]
		var child *node
		if known {
			if n.fields[key] != nil {
				w.add(keyOff, p, widget.CodeDuplicateKey, duplicateKeyProblem)
			}
			child = w.value(ft, p)
		} else {
			msg := unknownKeyProblem
			if s := suggest(key, model.names); s != "" {
				msg += "; did you mean " + strconv.Quote(s) + "?"
			}
			if long := shortKey(key); long != key {
				p = long
				if path != "" {
					p = path + "." + long
				}
			}
			w.add(keyOff, p, widget.CodeUnknownKey, msg)
			w.ws()
			child = &node{off: w.pos}
			w.skip()
			child.end = w.pos
		}
		if child.end == child.off { // no value: not a document ParseSet accepts
			w.stop()
			return
		}
		n.fields[key] = child
		w.ws()
		if w.peek() == ',' {
			w.pos++
		}
	}
}

// array walks an array decoded into slice type t. The items of the set's
// list of triggers are walked as triggers: paths inside start afresh,
// and problems name the trigger as the checker does.
func (w *walker) array(n *node, t reflect.Type, path string) {
	triggers := t.Elem() == triggerType
	n.items = []*node{}
	w.pos++ // [
	for {
		w.ws()
		switch w.peek() {
		case ']':
			w.pos++
			return
		case 0:
			w.stop()
			return
		}
		i := len(n.items)
		p := path + "[" + strconv.Itoa(i) + "]"
		first := len(w.strict)
		if triggers {
			w.index, p = i+1, ""
		}
		item := w.value(t.Elem(), p)
		if triggers {
			label := w.triggerLabel(item, i)
			for k := first; k < len(w.strict); k++ {
				w.strict[k].TriggerID = label
			}
			w.index = 0
		}
		if item.end == item.off {
			w.stop()
			return
		}
		n.items = append(n.items, item)
		w.ws()
		if w.peek() == ',' {
			w.pos++
		}
	}
}

// triggerLabel names the i-th trigger as the checker does.
func (w *walker) triggerLabel(item *node, i int) string {
	id := ""
	if n := item.fields["id"]; n != nil && n.off < len(w.data) && w.data[n.off] == '"' {
		s := scanner{data: w.data, pos: n.off}
		id = s.str()
	}
	return widget.TriggerLabel(id, i)
}

// model is what the walk needs of a struct type: its JSON keys.
type model struct {
	types map[string]reflect.Type
	names []string // in declaration order, for suggestions
}

var models sync.Map // reflect.Type -> *model

func modelOf(t reflect.Type) *model {
	if m, ok := models.Load(t); ok {
		return m.(*model)
	}
	m := &model{types: map[string]reflect.Type{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m.types[name] = f.Type
		m.names = append(m.names, name)
	}
	models.Store(t, m)
	return m
}

// scanner reads JSON bytes without validating them.
type scanner struct {
	data []byte
	pos  int
}

// stop ends the walk: what follows is not what ParseSet accepted.
func (s *scanner) stop() { s.pos = len(s.data) }

func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// rawString moves past the string at the current position (a '"') and
// reports whether it has escapes and whether it ends before the document.
func (s *scanner) rawString() (escaped, closed bool) {
	s.pos++
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			escaped = true
			s.pos += 2
			continue
		case '"':
			s.pos++
			return escaped, true
		}
		s.pos++
	}
	s.pos = len(s.data)
	return escaped, false
}

// str reads the string at the current position (a '"'), unescaped.
func (s *scanner) str() string {
	start := s.pos
	escaped, closed := s.rawString()
	raw := s.data[start:s.pos]
	if !closed {
		return string(raw[1:])
	}
	if escaped {
		var v string
		if json.Unmarshal(raw, &v) == nil {
			return v
		}
	}
	return string(raw[1 : len(raw)-1])
}

// skip moves past one value of any kind.
func (s *scanner) skip() {
	depth := 0
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '"':
			s.rawString()
		case '{', '[':
			depth++
			s.pos++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			s.pos++
		case ',', ':', ' ', '\t', '\n', '\r':
			if depth == 0 {
				return
			}
			s.pos++
			continue
		default: // a number or a literal: up to the next delimiter
			s.pos++
			continue
		}
		if depth == 0 {
			return
		}
	}
}
