// Package simulate replays a scripted visitor (a journey) against a trigger
// set with the browser's own engine, on a manual clock and in-memory
// storage, and records what happens as a timeline. It learns what the
// engine decided only from the engine's effects. The triggers command
// prints the timeline; a server can show it to a site owner.
//
// It is for native tools and servers (it uses encoding/json); the wasm
// runtime never links it.
package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// defaultStart is when a journey starts unless it says otherwise: a fixed
// Monday morning, so that timelines never depend on the wall clock.
var defaultStart = time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)

// maxAt bounds a step's time: a week of simulated time is plenty (a visit
// ends after 30 idle minutes).
const maxAt = 7 * 24 * 3600

// Journey is a scripted visitor: who they are and what they do when. Make
// one with ParseJourney.
type Journey struct {
	start   time.Time
	visitor visitorSpec
	steps   []step
}

// visitorSpec describes the visitor before the journey starts.
type visitorSpec struct {
	earlier  int // visits before this one
	env      widget.Env
	attrs    map[string]string
	tags     []string
	returned bool // "returning" or "visits" was given
}

// step is one thing the visitor, an agent, the desk or the host page does.
type step struct {
	index   int
	at      time.Duration
	event   string
	url     string
	title   string
	ref     string
	text    string
	name    string
	status  string
	trigger string
	choice  int
	data    json.RawMessage
	attrs   map[string]string
	tags    []string
	fields  map[string]string
}

// Step events and the fields each takes besides "at" and "event"; a
// trailing "?" marks an optional field. The order is the documented one.
var stepEvents = []struct {
	name   string
	fields []string
}{
	{"page_view", []string{"url", "title?", "referrer?"}},
	{"visitor_message", []string{"text"}},
	{"agent_message", []string{"name?", "text"}},
	{"agent_joined", []string{"name?"}},
	{"chat_ended", nil},
	{"status", []string{"status"}},
	{"custom_event", []string{"name", "data?"}},
	{"set_attributes", []string{"attrs"}},
	{"add_tags", []string{"tags"}},
	{"remove_tags", []string{"tags"}},
	{"maximize", nil},
	{"minimize", nil},
	{"suggestion", []string{"trigger", "index"}},
	{"submit_form", []string{"trigger", "fields"}},
	{"end", nil},
}

func eventNames() string {
	var names []string
	for _, e := range stepEvents {
		names = append(names, e.name)
	}
	return strings.Join(names, ", ")
}

// journeyErrors collects every problem of a journey document.
type journeyErrors []string

func (e journeyErrors) Error() string { return strings.Join(e, "\n") }

func (e *journeyErrors) add(path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	*e = append(*e, msg)
}

// ParseJourney decodes and checks a journey document. Its error lists every
// problem, one per line, each naming the step and field.
func ParseJourney(data []byte) (*Journey, error) {
	var errs journeyErrors
	root, err := objectOf(data)
	if err != nil {
		errs.add("", "not a valid journey JSON document: %s", jsonProblem(data, err))
		return nil, errs
	}
	j := &Journey{start: defaultStart}
	top := fieldsOf(root, "", &errs)
	if raw, ok := top.take("start"); ok {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			errs.add("start", "must be a text like \"2026-03-02T09:00:00Z\"")
		} else if t, err := time.Parse(time.RFC3339Nano, s); err != nil {
			errs.add("start", "must be an RFC 3339 time like \"2026-03-02T09:00:00Z\", got %q", s)
		} else {
			j.start = t.Truncate(time.Millisecond)
		}
	}
	if raw, ok := top.take("visitor"); ok {
		j.visitor = parseVisitor(raw, &errs)
	}
	raw, ok := top.take("steps")
	var items []json.RawMessage
	switch {
	case !ok:
		errs.add("steps", "missing: a journey is a list of steps")
	case json.Unmarshal(raw, &items) != nil:
		errs.add("steps", "must be a list of steps")
	case len(items) == 0:
		errs.add("steps", "must have at least one step")
	}
	top.rest("the journey", "start, visitor, steps")
	var prev *step
	for i, item := range items {
		s := parseStep(i, item, &errs)
		if s == nil {
			continue
		}
		if prev != nil && s.at < prev.at {
			errs.add(fmt.Sprintf("steps[%d].at", i), "%s is before steps[%d].at (%s): steps must be in time order",
				seconds(s.at), prev.index, seconds(prev.at))
		}
		if prev != nil && prev.event == "end" {
			errs.add(fmt.Sprintf("steps[%d]", prev.index), "an end step must be the last step")
		}
		j.steps = append(j.steps, *s)
		prev = s
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return j, nil
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

func parseVisitor(raw json.RawMessage, errs *journeyErrors) visitorSpec {
	var v visitorSpec
	m, err := objectOf(raw)
	if err != nil {
		errs.add("visitor", "must be an object")
		return v
	}
	f := fieldsOf(m, "visitor", errs)
	var returning *bool
	if b, ok := f.boolean("returning"); ok {
		returning = &b
	}
	visits, hasVisits := f.integer("visits")
	switch {
	case hasVisits && visits < 0:
		errs.add("visitor.visits", "must not be negative")
	case hasVisits && visits > 0 && returning != nil && !*returning:
		errs.add("visitor.visits", "a visitor with earlier visits is returning; drop \"returning\": false")
	case hasVisits:
		v.earlier = visits
	case returning != nil && *returning:
		v.earlier = 1
	}
	v.returned = hasVisits || returning != nil
	v.env.Language = f.text("language", false)
	v.env.DeviceType = f.oneOf("device", "desktop", "mobile", "tablet")
	v.env.Browser = f.oneOf("browser", "chrome", "firefox", "safari", "edge", "opera", "samsung", "other")
	v.env.OS = f.oneOf("os", "windows", "macos", "ios", "android", "linux", "chromeos", "other")
	v.attrs = map[string]string{}
	for k, val := range f.scalars("attrs", false) {
		if val != "" {
			v.attrs[strings.ToLower(strings.TrimSpace(k))] = val
		}
	}
	for _, k := range []string{"name", "email"} {
		if s := strings.TrimSpace(f.text(k, false)); s != "" {
			v.attrs[k] = s
		}
	}
	for _, t := range f.list("tags", false) {
		if t = strings.TrimSpace(t); t != "" && !slices.ContainsFunc(v.tags, func(x string) bool { return strings.EqualFold(x, t) }) {
			v.tags = append(v.tags, t)
		}
	}
	f.rest("the visitor", "returning, visits, language, device, browser, os, name, email, attrs, tags")
	return v
}

// parseStep decodes steps[i]; it returns nil when the step is unusable.
func parseStep(i int, raw json.RawMessage, errs *journeyErrors) *step {
	path := fmt.Sprintf("steps[%d]", i)
	m, err := objectOf(raw)
	if err != nil {
		errs.add(path, "must be an object like {\"at\": 0, \"event\": \"page_view\", \"url\": \"https://acme.test/\"}")
		return nil
	}
	f := fieldsOf(m, path, errs)
	s := &step{index: i}
	before := len(*errs)
	given := func(name string) bool { _, ok := m[name]; return ok && string(m[name]) != "null" }
	hasAt := given("at")
	at, ok := f.number("at")
	switch {
	case !hasAt:
		errs.add(path+".at", "missing: seconds from the start of the journey")
	case !ok:
	case at < 0 || at > maxAt || math.IsNaN(at):
		errs.add(path+".at", "must be between 0 and %d seconds, got %s", maxAt, strconv.FormatFloat(at, 'f', -1, 64))
	default:
		s.at = time.Duration(math.Round(at*1000)) * time.Millisecond
	}
	s.event = f.text("event", true)
	if s.event == "" {
		return nil
	}
	var fields []string
	known := false
	for _, e := range stepEvents {
		if e.name == s.event {
			fields, known = e.fields, true
		}
	}
	if !known {
		errs.add(path+".event", "unknown event %q (one of %s)", s.event, eventNames())
		return nil
	}
	path += " (" + s.event + ")"
	f.path = path
	for _, name := range fields {
		name, optional := strings.CutSuffix(name, "?")
		required := !optional
		switch name {
		case "url":
			s.url = f.text(name, required)
		case "title":
			s.title = f.text(name, required)
		case "referrer":
			s.ref = f.text(name, required)
		case "text":
			s.text = f.text(name, required)
		case "name":
			s.name = f.text(name, required)
		case "trigger":
			s.trigger = f.text(name, required)
		case "status":
			if !given(name) {
				errs.add(f.at(name), "missing (one of online, away, offline)")
			}
			s.status = f.oneOf(name, widget.StatusOnline, widget.StatusAway, widget.StatusOffline)
		case "index":
			has := given(name)
			n, ok := f.integer(name)
			switch {
			case !has:
				errs.add(f.at(name), "missing: which suggestion, counting from 0")
			case !ok:
			case n < 0 || n >= widget.MaxSuggestions:
				errs.add(f.at(name), "must be between 0 and %d, got %d", widget.MaxSuggestions-1, n)
			default:
				s.choice = n
			}
		case "data":
			if raw, ok := f.take(name); ok {
				var buf bytes.Buffer
				_ = json.Compact(&buf, raw)
				s.data = buf.Bytes()
			}
		case "attrs":
			s.attrs = f.scalars(name, required)
		case "fields":
			s.fields = f.scalars(name, required)
		case "tags":
			has := given(name)
			s.tags = f.list(name, required)
			if has && len(s.tags) == 0 {
				errs.add(f.at(name), "must list at least one tag")
			}
		}
	}
	var allowed []string
	for _, name := range fields {
		allowed = append(allowed, strings.TrimSuffix(name, "?"))
	}
	takes := "at and event only"
	if len(allowed) > 0 {
		takes = "at, event, " + strings.Join(allowed, ", ")
	}
	f.rest("a "+s.event+" step", takes)
	if len(*errs) > before {
		return nil
	}
	return s
}

// objectOf decodes a JSON object into its members.
func objectOf(data []byte) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	return m, nil
}

// jsonProblem words a decoding error with its line and column.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := widget.LineCol(data, int(se.Offset)-1) // Offset is just past the bad byte
		return fmt.Sprintf("%s at line %d, column %d", se.Error(), line, col)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "the document must be a JSON object"
	}
	return err.Error()
}

// fields reads the members of one object, reporting each problem with the
// member's path, and what is left over as unknown.
type fields struct {
	m    map[string]json.RawMessage
	path string
	errs *journeyErrors
}

func fieldsOf(m map[string]json.RawMessage, path string, errs *journeyErrors) *fields {
	return &fields{m: m, path: path, errs: errs}
}

func (f *fields) at(name string) string {
	if f.path == "" {
		return name
	}
	// "steps[3] (page_view)" + ".url" reads better as "steps[3].url (page_view)"
	if base, ev, ok := strings.Cut(f.path, " ("); ok {
		return base + "." + name + " (" + ev
	}
	return f.path + "." + name
}

// take returns and consumes a member.
func (f *fields) take(name string) (json.RawMessage, bool) {
	raw, ok := f.m[name]
	delete(f.m, name)
	if ok && string(raw) == "null" {
		return nil, false
	}
	return raw, ok
}

func (f *fields) text(name string, required bool) string {
	raw, ok := f.take(name)
	if !ok {
		if required {
			f.errs.add(f.at(name), "missing")
		}
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		f.errs.add(f.at(name), "must be a text")
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		f.errs.add(f.at(name), "must not be empty")
	}
	return s
}

func (f *fields) oneOf(name string, values ...string) string {
	raw, ok := f.take(name)
	if !ok {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil || !slices.Contains(values, s) {
		f.errs.add(f.at(name), "must be one of %s, got %s", strings.Join(values, ", "), raw)
		return ""
	}
	return s
}

func (f *fields) number(name string) (float64, bool) {
	raw, ok := f.take(name)
	if !ok {
		return 0, false
	}
	var n float64
	if json.Unmarshal(raw, &n) != nil {
		f.errs.add(f.at(name), "must be a number, got %s", raw)
		return 0, false
	}
	return n, true
}

func (f *fields) integer(name string) (int, bool) {
	raw, ok := f.take(name)
	if !ok {
		return 0, false
	}
	var n int
	if json.Unmarshal(raw, &n) != nil {
		f.errs.add(f.at(name), "must be a whole number, got %s", raw)
		return 0, false
	}
	return n, true
}

func (f *fields) boolean(name string) (bool, bool) {
	raw, ok := f.take(name)
	if !ok {
		return false, false
	}
	var b bool
	if json.Unmarshal(raw, &b) != nil {
		f.errs.add(f.at(name), "must be true or false, got %s", raw)
		return false, false
	}
	return b, true
}

func (f *fields) list(name string, required bool) []string {
	raw, ok := f.take(name)
	if !ok {
		if required {
			f.errs.add(f.at(name), "missing")
		}
		return nil
	}
	var l []string
	if json.Unmarshal(raw, &l) != nil {
		f.errs.add(f.at(name), "must be a list of texts")
		return nil
	}
	return l
}

// scalars reads an object of texts, numbers, booleans or null (""), as the
// host page's setAttributes does.
func (f *fields) scalars(name string, required bool) map[string]string {
	raw, ok := f.take(name)
	if !ok {
		if required {
			f.errs.add(f.at(name), "missing")
		}
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		f.errs.add(f.at(name), "must be an object of names and values")
		return nil
	}
	out := make(map[string]string, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var v any
		_ = json.Unmarshal(m[k], &v)
		switch v := v.(type) {
		case nil:
			out[k] = ""
		case string:
			out[k] = v
		case bool:
			out[k] = strconv.FormatBool(v)
		case float64:
			out[k] = string(m[k])
		default:
			f.errs.add(f.at(name+"."+k), "must be a text, a number, true/false or null")
		}
	}
	return out
}

// rest reports the members nobody took.
func (f *fields) rest(what, takes string) {
	keys := make([]string, 0, len(f.m))
	for k := range f.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.errs.add(f.at(k), "unknown field: %s takes %s", what, takes)
	}
}
