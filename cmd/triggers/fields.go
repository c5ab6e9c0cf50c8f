package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/widget"
)

// ParseSet, like every easyjson decoder, skips keys it does not know and
// keeps the last of duplicated keys, silently. That is right for the
// browser (newer sets may carry fields an older runtime ignores) but a
// command-line tool should say so: "dealy" is a typo that makes a delay
// vanish, and fmt would erase it for good. ignoredKeys finds those keys by
// walking the document against the model's own json tags, so it follows
// the model as it grows.

// ignoredKeys lists, in document order, the keys of a trigger set that
// ParseSet ignores (unknown) or overrides (duplicated). data must already
// have been accepted by widget.ParseSet.
func ignoredKeys(data []byte) []widget.FieldError {
	w := keyWalker{}
	w.value(data, reflect.TypeFor[widget.Set](), "")
	return w.found
}

type keyWalker struct {
	found   []widget.FieldError
	trigger string // label of the trigger being walked, "" at set level
}

var rawJSONType = reflect.TypeFor[widget.RawJSON]()

// value walks one JSON value that decodes into a Go value of type t.
func (w *keyWalker) value(raw []byte, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == rawJSONType:
		return // kept verbatim: any content is fine
	case t.Kind() == reflect.Struct:
		w.object(raw, t, path)
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		items := arrayItems(raw)
		for i, item := range items {
			p := path + "[" + strconv.Itoa(i) + "]"
			if path == "triggers" && t.Elem() == reflect.TypeFor[widget.Trigger]() {
				w.trigger, p = triggerLabel(item, i), ""
			}
			w.value(item, t.Elem(), p)
		}
		if path == "triggers" {
			w.trigger = ""
		}
	}
}

// object walks an object decoded into struct type t.
func (w *keyWalker) object(raw []byte, t reflect.Type, path string) {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fields[name] = f.Type
	}
	seen := map[string]bool{}
	for _, m := range objectMembers(raw) {
		p := m.key
		if path != "" {
			p = path + "." + m.key
		}
		ft, known := fields[m.key]
		switch {
		case !known:
			w.add(p, "unknown field, ignored by the runtime")
		case seen[m.key]:
			w.add(p, "duplicate key; only its last value counts")
		}
		seen[m.key] = true
		if known {
			w.value(m.raw, ft, p)
		}
	}
}

func (w *keyWalker) add(field, problem string) {
	w.found = append(w.found, widget.FieldError{TriggerID: w.trigger, Field: field, Problem: problem})
}

type member struct {
	key string
	raw json.RawMessage
}

// objectMembers returns an object's members in order, duplicates included;
// nil when raw is not an object.
func objectMembers(raw []byte) []member {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var out []member
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, member{key, v})
	}
	return out
}

// arrayItems returns an array's items; nil when raw is not an array.
func arrayItems(raw []byte) []json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil
	}
	var out []json.RawMessage
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return out
		}
		out = append(out, v)
	}
	return out
}

// triggerLabel names the i-th trigger as the validator does: by its id, or
// by its position ("#3") when the id is missing or too long.
func triggerLabel(raw []byte, i int) string {
	id := ""
	for _, m := range objectMembers(raw) {
		if m.key == "id" {
			id = ""
			_ = json.Unmarshal(m.raw, &id)
		}
	}
	if id != "" && len(id) <= widget.MaxIDLen {
		return id
	}
	return "#" + strconv.Itoa(i+1)
}
