package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/mailru/easyjson/jwriter"
	"github.com/triggerwidget/triggerwidget/widget"
)

const simulateHelp = `Usage: triggers simulate [-explain] SET.json JOURNEY.json

Replays a scripted visitor against a trigger set with the browser's own
engine (package widget) on a manual clock and in-memory storage, and prints
what happens, one line per event, in time order:

	+00:00.0  page_view  https://acme.test/ "Home"
	+00:00.0  armed      welcome (site): fires at +00:05.0
	+00:05.0  FIRED      welcome (site) — Apollo: "Bonjour 👋 …"  [Tarifs | Parler à un humain]
	+00:07.0  cancelled  pricing-help (page): left_page — the visitor left the matching page

then a summary of every trigger as engine.Explain() sees it, with each
condition of an advanced trigger, its actual value and ✓ or ✗.

A journey is a JSON document:

	{
	  "start": "2026-03-02T09:00:00Z",
	  "visitor": {"returning": true, "language": "fr", "device": "mobile"},
	  "steps": [
	    {"at": 0, "event": "page_view", "url": "https://acme.test/pricing", "title": "Pricing"},
	    {"at": 12.5, "event": "visitor_message", "text": "hi"},
	    {"at": 60, "event": "end"}
	  ]
	}

"at" is seconds from the start (fractions allowed), in non-decreasing order.
Events: page_view, visitor_message, agent_message, agent_joined, chat_ended,
status, custom_event, set_attributes, add_tags, remove_tags, maximize,
minimize, suggestion, submit_form, end. The package documentation
(go doc ./cmd/triggers) describes every field.

After the last step the clock runs on for one hour, so pending countdowns
play out, unless the journey ends with an "end" step.

Flags:
	-explain  print engine.Explain() after every step

Exit status: 0 simulated, 1 the set does not parse or the journey is
invalid (every problem is listed), 2 bad usage or an unreadable file.
Triggers with problems are reported as "problem" lines and skipped, and
the rest run, as in the browser.
`

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	explain := fs.Bool("explain", false, "print Explain() after every step")
	files, code, done := parseFlags(fs, simulateHelp, args, stdout, stderr)
	if done {
		return code
	}
	if len(files) != 2 {
		fmt.Fprint(stderr, "triggers simulate: want a trigger set and a journey\nRun \"triggers help simulate\" for usage.\n")
		return exitUsage
	}
	setName, journeyName := files[0], files[1]
	if setName == "-" && journeyName == "-" {
		fmt.Fprint(stderr, "triggers simulate: only one of the set and the journey can come from standard input\n")
		return exitUsage
	}
	setData, err := readInput(setName, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "triggers simulate: %v\n", err)
		return exitUsage
	}
	journeyData, err := readInput(journeyName, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "triggers simulate: %v\n", err)
		return exitUsage
	}
	set, err := widget.ParseSet(setData)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s\n", displayName(setName), parseProblem(err))
		return exitProblem
	}
	j, err := parseJourney(journeyData)
	if err != nil {
		for _, p := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "%s: %s\n", displayName(journeyName), p)
		}
		return exitProblem
	}
	s := newSimulation(set, j, stdout, *explain)
	for _, p := range ignoredKeys(setData) {
		s.line("warning", p.Error())
	}
	s.run()
	return exitOK
}

// simulation runs one journey and writes its timeline.
type simulation struct {
	w       io.Writer
	explain bool
	j       *journey
	src     *widget.Set
	set     *widget.Compiled
	clock   *widget.ManualClock
	zone    *goZone
	eng     *widget.Engine
	idWidth int

	cur     *step          // the step being run; nil while timers run
	pending *widget.Effect // an EffectFired whose message may follow
	tags    []string       // the visitor's tags at the last observation
	attrs   map[string]string
	waits   map[string]int64 // advanced triggers in a wait action: due (ms)
	armed   map[string]int64 // basic triggers counting down: due (ms)
}

// hookClock is the ManualClock with a hook after every timer callback, so
// that the simulation notices what a timer changed without an effect (an
// add_tags action after a wait) at the moment it happened.
type hookClock struct {
	*widget.ManualClock
	after func()
}

func (c hookClock) AfterFunc(d time.Duration, f func()) widget.Timer {
	return c.ManualClock.AfterFunc(d, func() {
		f()
		c.after()
	})
}

func newSimulation(set *widget.Set, j *journey, w io.Writer, explain bool) *simulation {
	s := &simulation{w: w, explain: explain, j: j, src: set, set: widget.Compile(set), clock: widget.NewManualClock(j.start), waits: map[string]int64{}, armed: map[string]int64{}}
	for _, t := range s.set.Triggers {
		s.idWidth = max(s.idWidth, len(t.ID))
	}
	s.zone = newGoZone(func(tz string, _ error) {
		s.line("warning", fmt.Sprintf("time zone %q is not in Go's zone database; time conditions use UTC", tz))
	})
	store := widget.NewMemoryStorage()
	if v := j.visitor; v.earlier > 0 || len(v.tags) > 0 || len(v.attrs) > 0 {
		rec := widget.VisitorState{V: 1, Visits: v.earlier, Tags: v.tags, Attrs: v.attrs}
		var jw jwriter.Writer
		rec.MarshalEasyJSON(&jw)
		_ = store.Set(widget.KeyVisitor, string(jw.Buffer.BuildBytes()))
	}
	s.eng = widget.New(s.set, widget.Options{
		Clock:      hookClock{s.clock, s.observe},
		Storage:    store,
		Sink:       s.sink,
		NewSession: true,
		Env:        j.visitor.env,
		Zone:       s.zone,
	})
	s.zone.location(s.set.Timezone) // warn now, not at the first time condition
	snap := s.eng.Snapshot()
	s.tags, s.attrs = snap.Tags, snap.Attrs
	return s
}

// run plays the journey, then prints the summary.
func (s *simulation) run() {
	ended := false
	for i := range s.j.steps {
		st := &s.j.steps[i]
		s.clock.Set(s.j.start.Add(st.at))
		s.cur = st
		s.do(st)
		s.observe()
		s.cur = nil
		if st.event == "end" {
			ended = true
			break // the summary follows at once
		}
		if s.explain {
			s.printExplain("          ")
		}
	}
	if !ended {
		s.clock.Advance(time.Hour)
		s.line("end", "one hour after the last step")
	}
	fmt.Fprintf(s.w, "\nsummary at %s\n", s.clock2(s.clock.Now()))
	s.printExplain("  ")
}

// do echoes a step and performs it.
func (s *simulation) do(st *step) {
	e := s.eng
	var err error
	switch st.event {
	case "page_view":
		detail := st.url
		if st.title != "" {
			detail += " " + quoteText(st.title, 60)
		}
		if st.ref != "" {
			detail += " from " + st.ref
		}
		s.line("page_view", detail)
		e.PageView(widget.Page{URL: st.url, Title: st.title, Referrer: st.ref})
	case "visitor_message":
		s.line("visitor", quoteText(st.text, 80))
		err = e.VisitorMessage(st.text)
	case "agent_message":
		who := ""
		if st.name != "" {
			who = st.name + ": "
		}
		s.line("agent", who+quoteText(st.text, 80))
		err = e.AgentMessage(st.name, st.text)
	case "agent_joined":
		name := st.name
		if name == "" {
			name = "(an agent)"
		}
		s.line("joined", name)
		e.AgentJoined(st.name)
	case "chat_ended":
		s.line("chat ended", "")
		e.ChatEnded()
	case "status":
		detail := st.status
		if e.Status() == st.status {
			detail += " (unchanged)"
		}
		s.line("status", detail)
		err = e.SetStatus(st.status)
	case "custom_event":
		s.line("event", strings.TrimSpace(st.name+" "+string(st.data)))
		err = e.CustomEvent(st.name)
	case "set_attributes":
		s.line("attributes", pairs(st.attrs))
		err = e.SetAttributes(st.attrs)
	case "add_tags":
		s.line("add tags", strings.Join(st.tags, ", "))
		err = e.AddTags(st.tags)
	case "remove_tags":
		s.line("drop tags", strings.Join(st.tags, ", "))
		e.RemoveTags(st.tags)
	case "maximize", "minimize":
		open := st.event == "maximize"
		detail := ""
		if e.Maximized() == open {
			detail = "(already " + openClosed(open) + ")"
		}
		s.line(st.event, detail)
		e.SetMaximized(open)
	case "suggestion":
		entry, ok := s.latestEntry(st.trigger)
		label := fmt.Sprintf("%s #%d", st.trigger, st.choice)
		switch {
		case !ok:
			s.line("suggestion", label)
			err = fmt.Errorf("no message from trigger %q in the transcript", st.trigger)
		case st.choice >= len(entry.Suggestions):
			s.line("suggestion", label)
			err = fmt.Errorf("the last message of %q has %d suggestion buttons left, not a #%d", st.trigger, len(entry.Suggestions), st.choice)
		default:
			s.line("suggestion", label+" "+quoteText(entry.Suggestions[st.choice], 60))
			_, err = e.UseSuggestion(entry.ID, st.choice)
		}
	case "submit_form":
		s.line("form", strings.TrimSpace(st.trigger+" "+pairs(st.fields)))
		if entry, ok := s.latestEntry(st.trigger); ok {
			_, err = e.SubmitForm(entry.ID, st.fields)
		} else {
			err = fmt.Errorf("no message from trigger %q in the transcript", st.trigger)
		}
	case "end":
		s.line("end", "")
	}
	if err != nil {
		s.line("rejected", fmt.Sprintf("steps[%d] (%s): %v", st.index, st.event, err))
	}
}

// latestEntry finds the last transcript message of a trigger.
func (s *simulation) latestEntry(triggerID string) (widget.Entry, bool) {
	tr := s.eng.Transcript()
	for i := len(tr) - 1; i >= 0; i-- {
		if tr[i].Kind == widget.EntryTrigger && tr[i].TriggerID == triggerID {
			return tr[i], true
		}
	}
	return widget.Entry{}, false
}

// sink prints the engine's effects as they happen.
func (s *simulation) sink(ef widget.Effect) {
	if p := s.pending; p != nil {
		s.pending = nil
		if ef.Kind == widget.EffectShow && ef.TriggerID == p.TriggerID {
			s.line("FIRED", s.describe(p.TriggerID, true, ef.Entry))
			return
		}
		s.firedAlone(p)
	}
	switch ef.Kind {
	case widget.EffectFired:
		s.pending = &ef // a basic trigger's message follows at once; an advanced one's maybe later
	case widget.EffectShow:
		if ef.TriggerID != "" { // visitor, agent and system lines are the steps' own echo
			s.line("message", s.describe(ef.TriggerID, false, ef.Entry))
		}
	case widget.EffectCancelled:
		label := "cancelled"
		switch ef.Reason {
		case widget.HeldOnce, widget.HeldServed, widget.HeldDisabled:
			label = "held back"
		case widget.HeldStatus:
			if s.cur == nil || s.cur.event != "status" {
				label = "held back"
			}
		}
		s.line(label, fmt.Sprintf("%s (%s): %s", ef.TriggerID, s.typeOf(ef.TriggerID), reasonText(ef.Reason)))
	case widget.EffectMaximize:
		if s.cur != nil && (s.cur.event == "maximize" && ef.Maximized || s.cur.event == "minimize" && !ef.Maximized) {
			return // the step's own echo said it
		}
		if ef.Maximized {
			s.line("widget", "opened")
		} else {
			s.line("widget", "closed")
		}
	case widget.EffectStatus:
		// Only a status step changes the status; its echo said it.
	case widget.EffectError:
		if ef.Code == "invalid_trigger" {
			s.line("problem", ef.Message)
		} else {
			s.line("error", ef.Code+": "+ef.Message)
		}
	case widget.EffectEmit:
		detail := ef.TriggerID + ": " + ef.Name
		if len(ef.Data) > 0 && string(ef.Data) != "null" {
			detail += " " + compactJSON(ef.Data)
		}
		s.line("emit", detail)
	}
}

// firedAlone prints a FIRED whose message did not show with it: an
// advanced trigger that waits or acts before its first send_message (which
// gets a "message" line), or sends none.
func (s *simulation) firedAlone(p *widget.Effect) {
	s.line("FIRED", p.TriggerID+" ("+s.typeOf(p.TriggerID)+")")
}

// observe runs after every step and every timer: it flushes a pending
// FIRED and prints what changed without an effect of its own — a
// countdown starting, a wait action starting, tags and attributes set by
// actions.
func (s *simulation) observe() {
	if p := s.pending; p != nil {
		s.pending = nil
		s.firedAlone(p)
	}
	snap := s.eng.Snapshot()
	armed := map[string]int64{}
	for _, a := range snap.Armed {
		armed[a.TriggerID] = a.Due
	}
	now := s.clock.Now().UnixMilli()
	// Countdowns of basic triggers, earliest first, then in set order.
	next := map[string]int64{}
	var started []*widget.CompiledTrigger
	for _, t := range s.set.Triggers {
		due, ok := armed[t.ID]
		if !ok || t.Type == widget.TypeAdvanced {
			continue
		}
		next[t.ID] = due
		if s.armed[t.ID] != due && due > now {
			started = append(started, t)
		}
	}
	sort.SliceStable(started, func(i, j int) bool { return next[started[i].ID] < next[started[j].ID] })
	for _, t := range started {
		s.line("armed", fmt.Sprintf("%s (%s): fires at %s", t.ID, t.Type, s.rel(next[t.ID])))
	}
	s.armed = next
	for _, x := range s.eng.Explain().Triggers {
		// A fired advanced trigger that is armed is in a wait action: a
		// fired trigger is never armed for a deferred re-check.
		due, ok := armed[x.TriggerID]
		if x.Type != widget.TypeAdvanced || x.State != widget.StateFired || !ok {
			delete(s.waits, x.TriggerID)
			continue
		}
		if s.waits[x.TriggerID] != due {
			s.waits[x.TriggerID] = due
			s.line("wait", fmt.Sprintf("%s: %s, its next action at %s", x.TriggerID, time.Duration(due-now)*time.Millisecond, s.rel(due)))
		}
	}
	s.visitorChanges(snap.Tags, snap.Attrs)
}

// visitorChanges prints tag and attribute changes that the current step
// does not explain by itself: those made by trigger actions.
func (s *simulation) visitorChanges(tags []string, attrs map[string]string) {
	st := s.cur
	if st == nil {
		st = &step{}
	}
	has := func(list []string, t string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(strings.TrimSpace(x), t) })
	}
	for _, t := range tags {
		if !has(s.tags, t) && !(st.event == "add_tags" && has(st.tags, t)) {
			s.line("tagged", t)
		}
	}
	for _, t := range s.tags {
		if !has(tags, t) && !(st.event == "remove_tags" && has(st.tags, t)) {
			s.line("untagged", t)
		}
	}
	stepAttrs := map[string]string{}
	switch st.event {
	case "set_attributes":
		for k, v := range st.attrs {
			stepAttrs[strings.ToLower(strings.TrimSpace(k))] = v
		}
	case "submit_form":
		for _, k := range []string{"name", "email"} {
			if v := strings.TrimSpace(st.fields[k]); v != "" {
				stepAttrs[k] = v
			}
		}
	}
	keys := slices.Sorted(maps.Keys(attrs))
	for k := range s.attrs {
		if _, ok := attrs[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range slices.Compact(keys) {
		was, now := s.attrs[k], attrs[k]
		if was == now {
			continue
		}
		if v, ok := stepAttrs[k]; ok && v == now {
			continue
		}
		if now == "" {
			s.line("attribute", k+" removed")
		} else {
			s.line("attribute", k+"="+now)
		}
	}
	s.tags, s.attrs = tags, attrs
}

func openClosed(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}

func (s *simulation) typeOf(id string) string {
	if t := s.set.Trigger(id); t != nil {
		return t.Type
	}
	return "?"
}
