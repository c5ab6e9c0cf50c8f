package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/simulate"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// The Test page ("Test your triggers") plays a visitor journey — pages
// seen at given times, messages, the widget opened or closed, status
// changes, custom events — against the property's published set with the
// simulator (package simulate: the browser's own engine on a manual
// clock), and shows the timeline in plain words: which trigger fires when,
// which is held back and why.
//
// The form is a table of steps, each a time in seconds from the start, an
// action and what the action needs (a URL, a text, an event name). It
// works as a plain form: empty rows are ignored, "Add step" posts and
// comes back with more rows; test.js adds and removes rows in place.

// stepAction is one action a journey step can take.
type stepAction struct {
	Value string // the form's value
	Name  string // English label
	Needs string // what the step's details hold: "url", "text", "name" or ""
	event string // the journey's event
	arg   string // the status, for the status actions
}

var stepActions = []stepAction{
	{"page_view", "Page view", "url", "page_view", ""},
	{"visitor_message", "Visitor message", "text", "visitor_message", ""},
	{"maximize", "Open the widget", "", "maximize", ""},
	{"minimize", "Close the widget", "", "minimize", ""},
	{"agent_message", "Agent message", "text", "agent_message", ""},
	{"status_online", "Status: online", "", "status", "online"},
	{"status_away", "Status: away", "", "status", "away"},
	{"status_offline", "Status: offline", "", "status", "offline"},
	{"custom_event", "Custom event", "name", "custom_event", ""},
	{"end", "End of the journey", "", "end", ""},
}

var devices = []struct{ Value, Name string }{{"desktop", "Desktop"}, {"mobile", "Mobile"}, {"tablet", "Tablet"}}

func actionOf(v string) *stepAction {
	for i := range stepActions {
		if stepActions[i].Value == v {
			return &stepActions[i]
		}
	}
	return nil
}

const (
	maxSteps   = 40
	spareSteps = 2 // empty rows after the last step, for a plain form
	addSteps   = 3 // rows "Add step" adds without JavaScript
	maxStepAt  = 7 * 24 * 3600
)

// journeyStep is one row of the form, as typed.
type journeyStep struct {
	At, Action, Value string
	Error             string // in the page's language
	Field             string // the field at fault: "at", "action" or "value"
}

// journeyForm is the whole form, as typed.
type journeyForm struct {
	Returning bool
	Device    string
	Steps     []journeyStep
}

// exampleJourney is the journey the page starts with: the home page, the
// pricing page 5 seconds later, the widget opened 30 seconds after that.
func exampleJourney(site string) journeyForm {
	return journeyForm{Device: "desktop", Steps: []journeyStep{
		{At: "0", Action: "page_view", Value: site + "/"},
		{At: "5", Action: "page_view", Value: site + "/pricing"},
		{At: "35", Action: "maximize"},
	}}
}

// siteOf is the property's website without a trailing slash, or an
// example one.
func siteOf(c *call) string {
	if c.prop != nil && c.prop.WebsiteURL != "" {
		if u, err := url.Parse(c.prop.WebsiteURL); err == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return "https://www.example.com"
}

func (h *Handler) testPage(w http.ResponseWriter, r *http.Request, c *call) error {
	f := exampleJourney(siteOf(c))
	h.renderTest(w, c, http.StatusOK, &f, nil, "")
	return nil
}

func (h *Handler) testPost(w http.ResponseWriter, r *http.Request, c *call) error {
	f := readJourneyForm(r)
	if r.PostFormValue("add") != "" {
		for range addSteps {
			if len(f.Steps) < maxSteps {
				f.Steps = append(f.Steps, journeyStep{})
			}
		}
		h.renderTest(w, c, http.StatusOK, &f, nil, "")
		return nil
	}
	if v := r.PostFormValue("remove"); v != "" {
		if i := atoi(v) - 1; i >= 0 && i < len(f.Steps) {
			f.Steps = append(f.Steps[:i], f.Steps[i+1:]...)
		}
		h.renderTest(w, c, http.StatusOK, &f, nil, "")
		return nil
	}
	doc, rows := buildJourney(c, &f)
	if problems(&f) > 0 {
		h.renderTest(w, c, http.StatusUnprocessableEntity, &f, nil, "")
		return nil
	}
	j, err := simulate.ParseJourney(doc)
	if err != nil {
		placeJourneyErrors(c.lang, &f, rows, err)
		h.renderTest(w, c, http.StatusUnprocessableEntity, &f, nil, "")
		return nil
	}
	v, err := h.s.TriggerSet(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	set, loadProblems := widget.Load(v.Data)
	if set == nil {
		msg := T(c.lang, "The published trigger set cannot be read.")
		if len(loadProblems) > 0 {
			msg += " " + problemText(c.lang, loadProblems[0])
		}
		h.renderTest(w, c, http.StatusOK, &f, nil, msg)
		return nil
	}
	res := simulate.Run(set, j, simulate.Options{Zone: strict.NewZone(nil)})
	h.renderTest(w, c, http.StatusOK, &f, timelineOf(c, set, res), "")
	return nil
}

// readJourneyForm reads the posted form; rows are numbered from 1.
func readJourneyForm(r *http.Request) journeyForm {
	_ = r.ParseForm()
	f := journeyForm{Returning: r.PostFormValue("returning") != "", Device: r.PostFormValue("device")}
	switch f.Device {
	case "desktop", "mobile", "tablet":
	default:
		f.Device = "desktop"
	}
	n := atoi(r.PostFormValue("steps"))
	// Rows a script added are numbered past the count it was sent with.
	for i := n + 1; i <= maxSteps; i++ {
		if _, ok := r.PostForm[fmt.Sprintf("step-%d-action", i)]; ok {
			n = i
		}
	}
	n = min(max(n, 0), maxSteps)
	for i := 1; i <= n; i++ {
		f.Steps = append(f.Steps, journeyStep{
			At:     strings.TrimSpace(r.PostFormValue(fmt.Sprintf("step-%d-at", i))),
			Action: r.PostFormValue(fmt.Sprintf("step-%d-action", i)),
			Value:  strings.TrimSpace(r.PostFormValue(fmt.Sprintf("step-%d-value", i))),
		})
	}
	return f
}

func problems(f *journeyForm) int {
	n := 0
	for _, s := range f.Steps {
		if s.Error != "" {
			n++
		}
	}
	return n
}

// buildJourney checks each row and makes the journey document of the
// filled ones; rows[i] is the form row (from 0) of the journey's step i.
func buildJourney(c *call, f *journeyForm) ([]byte, []int) {
	type step map[string]any
	var steps []step
	var rows []int
	last := -1.0
	site := siteOf(c)
	for i := range f.Steps {
		s := &f.Steps[i]
		if s.Action == "" && s.Value == "" && s.At == "" {
			continue
		}
		a := actionOf(s.Action)
		if a == nil {
			s.Error, s.Field = T(c.lang, "Choose what happens at this step."), "action"
			continue
		}
		at, err := strconv.ParseFloat(strings.ReplaceAll(s.At, ",", "."), 64)
		switch {
		case s.At == "":
			s.Error, s.Field = T(c.lang, "Enter when this step happens, in seconds from the start."), "at"
			continue
		case err != nil || math.IsNaN(at) || math.IsInf(at, 0):
			s.Error, s.Field = T(c.lang, "The time must be a number of seconds, like 5 or 2.5."), "at"
			continue
		case at < 0 || at > maxStepAt:
			s.Error, s.Field = T(c.lang, "The time must be between 0 and 604800 seconds (a week)."), "at"
			continue
		case at < last:
			s.Error, s.Field = T(c.lang, "This step comes before the one above it: steps go in time order."), "at"
			continue
		}
		last = at
		st := step{"at": at, "event": a.event}
		switch a.Needs {
		case "url":
			u, msg := stepURL(c.lang, site, s.Value)
			if msg != "" {
				s.Error, s.Field = msg, "value"
				continue
			}
			st["url"] = u
		case "text":
			if s.Value == "" {
				s.Error, s.Field = T(c.lang, "Enter the message's text."), "value"
				continue
			}
			st["text"] = s.Value
		case "name":
			if s.Value == "" {
				s.Error, s.Field = T(c.lang, "Enter the event's name."), "value"
				continue
			}
			st["name"] = s.Value
		}
		if a.arg != "" {
			st["status"] = a.arg
		}
		steps = append(steps, st)
		rows = append(rows, i)
	}
	if len(steps) == 0 && problems(f) == 0 {
		if len(f.Steps) == 0 {
			f.Steps = append(f.Steps, journeyStep{})
		}
		f.Steps[0].Error, f.Steps[0].Field = T(c.lang, "Add at least one step, such as a page view at 0 seconds."), "action"
	}
	visitor := map[string]any{"device": f.Device}
	if f.Returning {
		visitor["returning"] = true
	}
	doc, _ := json.Marshal(map[string]any{
		"start":   time.Now().UTC().Truncate(time.Second).Format(time.RFC3339),
		"visitor": visitor,
		"steps":   steps,
	})
	return doc, rows
}

// stepURL makes a page view's URL: a full http(s) URL, or a path on the
// property's website.
func stepURL(lang, site, v string) (string, string) {
	if v == "" {
		return "", T(lang, "Enter the page's URL, or a path such as /pricing.")
	}
	if strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") {
		return site + v, ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", T(lang, "Enter a full URL (https://…) or a path starting with /.")
	}
	return v, ""
}

var stepPath = regexp.MustCompile(`^steps\[(\d+)\]`)

// placeJourneyErrors puts each of the simulator's problems beside the row
// it is about (at the top row when it is about the whole journey).
func placeJourneyErrors(lang string, f *journeyForm, rows []int, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		row, field := 0, "action"
		if m := stepPath.FindStringSubmatch(line); m != nil {
			switch rest := line[len(m[0]):]; {
			case strings.HasPrefix(rest, ".at"):
				field = "at"
			case strings.HasPrefix(rest, ".url"), strings.HasPrefix(rest, ".text"), strings.HasPrefix(rest, ".name"):
				field = "value"
			}
			if n, _ := strconv.Atoi(m[1]); n < len(rows) {
				row = rows[n]
			}
		}
		if row >= len(f.Steps) {
			f.Steps = append(f.Steps, journeyStep{})
			row = len(f.Steps) - 1
		}
		msg := T(lang, "This step cannot be played:") + " " + line
		if f.Steps[row].Error != "" {
			f.Steps[row].Error += " " + msg
		} else {
			f.Steps[row].Error, f.Steps[row].Field = msg, field
		}
	}
}

// timelineRow is one line of the timeline as the page shows it.
type timelineRow struct {
	At          string
	Kind        string // a CSS class: step, fired, held, problem, info
	What        string
	TriggerID   string
	TriggerName string
	Detail      string
}

// timelineEnd is where each trigger stands when the journey is over.
type timelineEnd struct {
	ID, Name, Type, State string
	Fired                 bool
}

type timeline struct {
	Rows  []timelineRow
	End   []timelineEnd
	Fired int
	Start string
	Zone  string
}

// labels words the simulator's line labels, and says their kind.
var labels = map[string]struct{ what, kind string }{
	"page_view":  {"Page view", "step"},
	"visitor":    {"Visitor message", "step"},
	"agent":      {"Agent message", "step"},
	"joined":     {"Agent joined", "step"},
	"chat ended": {"Chat ended", "step"},
	"status":     {"Status", "step"},
	"event":      {"Custom event", "step"},
	"attributes": {"Visitor attributes", "step"},
	"add tags":   {"Tags added", "step"},
	"drop tags":  {"Tags removed", "step"},
	"maximize":   {"Widget opened", "step"},
	"minimize":   {"Widget closed", "step"},
	"suggestion": {"Suggestion clicked", "step"},
	"form":       {"Form sent", "step"},
	"armed":      {"Countdown started", "info"},
	"FIRED":      {"Fired", "fired"},
	"message":    {"Message shown", "fired"},
	"wait":       {"Waiting", "info"},
	"cancelled":  {"Cancelled", "held"},
	"held back":  {"Held back", "held"},
	"widget":     {"Widget", "info"},
	"tagged":     {"Tag added", "info"},
	"untagged":   {"Tag removed", "info"},
	"attribute":  {"Attribute set", "info"},
	"emit":       {"Event sent to the page", "info"},
	"problem":    {"Problem", "problem"},
	"warning":    {"Warning", "problem"},
	"error":      {"Error", "problem"},
	"rejected":   {"Step refused", "problem"},
	"end":        {"End", "step"},
}

func timelineOf(c *call, set *widget.Compiled, res *simulate.Result) *timeline {
	tl := &timeline{Zone: set.Timezone}
	if tl.Zone == "" {
		tl.Zone = "UTC"
	}
	name := func(id string) string {
		if t := set.Trigger(id); t != nil && t.Name != "" {
			return t.Name
		}
		return id
	}
	for _, l := range res.Lines {
		if l.Label == "explain" {
			continue
		}
		lb, ok := labels[l.Label]
		if !ok {
			lb = struct{ what, kind string }{l.Label, "info"}
		}
		row := timelineRow{At: simulate.RelTime(l.At), Kind: lb.kind, What: T(c.lang, lb.what), TriggerID: l.TriggerID}
		if l.TriggerID != "" {
			row.TriggerName = name(l.TriggerID)
		}
		row.Detail = lineDetail(c.lang, l, set)
		if l.Label == "FIRED" {
			tl.Fired++
		}
		tl.Rows = append(tl.Rows, row)
	}
	for _, t := range res.Summary.Triggers {
		tl.End = append(tl.End, timelineEnd{ID: t.ID, Name: name(t.ID), Type: T(c.lang, typeWords(t.Type)),
			State: stateWords(c.lang, t.State), Fired: strings.HasPrefix(t.State, "fired")})
	}
	return tl
}

// lineDetail is what a line says besides its label and trigger, in the
// page's language where it can be.
func lineDetail(lang string, l simulate.Line, set *widget.Compiled) string {
	d := l.Detail
	if id := l.TriggerID; id != "" {
		// "id (type)…" or "id: …": the trigger has its own column.
		if rest, ok := strings.CutPrefix(d, id); ok {
			d = rest
			if t := set.Trigger(id); t != nil {
				d = strings.TrimPrefix(d, " ("+t.Type+")")
			}
			d = strings.TrimLeft(strings.TrimPrefix(strings.TrimPrefix(d, " —"), ":"), " ")
		}
	}
	switch l.Label {
	case "FIRED", "message", "visitor", "agent":
		return unquoteTexts(d)
	case "cancelled", "held back":
		code, _, _ := strings.Cut(d, " — ")
		if txt := widget.ReasonText(code); txt != "" {
			return T(lang, txt)
		}
	case "armed":
		if rest, ok := strings.CutPrefix(d, "fires at "); ok {
			return T(lang, "fires at") + " " + rest
		}
	case "widget":
		if d == "opened" {
			return T(lang, "opened")
		} else if d == "closed" {
			return T(lang, "closed")
		}
	case "end":
		if d == "one hour after the last step" {
			return T(lang, "one hour after the last step")
		}
	case "maximize", "minimize":
		if d == "(already open)" || d == "(already closed)" {
			return T(lang, d)
		}
	case "wait":
		if dur, at, ok := strings.Cut(d, ", its next action at "); ok {
			return fmt.Sprintf(T(lang, "%s, then its next action at %s"), dur, at)
		}
	}
	return d
}

// unquoteTexts shows the texts the simulator quoted (as Go strings, line
// breaks as \n) as they read, in curly quotes, each line break as " ↵ ".
func unquoteTexts(d string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(d, '"')
		if i < 0 {
			break
		}
		q, err := strconv.QuotedPrefix(d[i:])
		if err != nil {
			break
		}
		text, _ := strconv.Unquote(q)
		b.WriteString(d[:i] + "“" + strings.ReplaceAll(text, "\n", " ↵ ") + "”")
		d = d[i+len(q):]
	}
	return b.String() + d
}

func typeWords(t string) string {
	switch t {
	case widget.TypeSite:
		return "Site notification"
	case widget.TypePage:
		return "Page notification"
	case widget.TypeChatRescue:
		return "Chat rescue"
	case widget.TypeMaximized:
		return "Widget maximized"
	case widget.TypeAdvanced:
		return "Advanced"
	}
	return t
}

// stateWords words the simulator's summary of a trigger in the page's
// language: its known openings are translated, the rest is kept.
func stateWords(lang, s string) string {
	if rest, ok := strings.CutPrefix(s, "waiting for "); ok {
		if _, known := waitingWords[rest]; known {
			return T(lang, "waiting for") + " " + T(lang, rest)
		}
		if ev, ok := strings.CutPrefix(rest, "its event, "); ok && !strings.ContainsAny(ev, " ;(") {
			return T(lang, "waiting for its event,") + " " + ev
		}
		return s
	}
	for _, p := range []string{"fired at", "armed, fires at", "conditions re-checked at", "blocked:", "disabled",
		"fired in an earlier visit (once per visitor)"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			if p == "blocked:" {
				code, _, _ := strings.Cut(strings.TrimSpace(rest), " — ")
				if txt := widget.ReasonText(code); txt != "" {
					return T(lang, "held back:") + " " + T(lang, txt)
				}
				return s
			}
			if strings.ContainsAny(rest, ";(,") {
				return s // more than a time: kept as the simulator words it
			}
			return T(lang, p) + rest
		}
	}
	return s
}

// waitingWords are what a trigger may wait for, as the engine words it.
var waitingWords = map[string]bool{
	"a page view": true, "a page matching its URL rule": true, "the visitor's first message of a chat": true,
	"the widget to be opened": true, "the widget to be opened again": true, "its wait action to end": true,
}

func (h *Handler) renderTest(w http.ResponseWriter, c *call, status int, f *journeyForm, tl *timeline, alert string) {
	// Spare empty rows after the steps, for a plain form.
	filled := 0
	for i, s := range f.Steps {
		if s.Action != "" || s.Value != "" || s.At != "" || s.Error != "" {
			filled = i + 1
		}
	}
	for len(f.Steps) < filled+spareSteps && len(f.Steps) < maxSteps {
		f.Steps = append(f.Steps, journeyStep{})
	}
	var actions []map[string]string
	for _, a := range stepActions {
		actions = append(actions, map[string]string{"Value": a.Value, "Name": T(c.lang, a.Name), "Needs": a.Needs})
	}
	h.render(w, c, status, "test", map[string]any{
		"Admin": true, "Section": "test",
		"Form": f, "Actions": actions, "Problems": problems(f), "Timeline": tl, "Alert": alert,
		"MaxSteps": maxSteps, "Devices": devices, "Editor": triggersPath(c.pid) + "/",
	})
}
