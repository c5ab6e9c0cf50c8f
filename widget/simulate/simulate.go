package simulate

import (
	"fmt"
	"strings"
	"time"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Line is one entry of the timeline.
type Line struct {
	// At is the time since the journey's start.
	At time.Duration
	// Label says what happened: a step's echo ("page_view", "visitor",
	// "status", …), "armed", "FIRED", "message", "wait", "cancelled",
	// "held back", "widget", "tagged", "untagged", "attribute", "emit",
	// "problem", "warning", "error", "rejected", "end" or, with
	// Options.Explain, "explain".
	Label string
	// TriggerID names the trigger the line is about, if any.
	TriggerID string
	Detail    string
	// State is set on "explain" lines.
	State *State
}

// State is where the widget, the visitor and every trigger stand.
type State struct {
	Status    string
	Chat      string
	Open      bool
	Visits    int
	Returning bool
	Tags      []string
	Attrs     map[string]string
	Triggers  []TriggerState
	// Skipped lists the triggers left out for their problems.
	Skipped []string
}

// TriggerState is one trigger's state, in words.
type TriggerState struct {
	ID, Type, State string
	// Conditions are an advanced trigger's conditions now.
	Conditions []ConditionState
}

// ConditionState is one condition ("page.path starts_with \"/pricing\""),
// whether it holds and the field's actual value.
type ConditionState struct {
	Text   string
	Holds  bool
	Actual string
}

// Options tune a run.
type Options struct {
	// Zone answers the time conditions (time.hour, time.weekday); nil
	// means UTC.
	Zone widget.Zone
	// Explain adds an "explain" line with every trigger's state after
	// each step.
	Explain bool
}

// Result is a finished run.
type Result struct {
	Lines []Line
	// End is when the summary was taken, and Summary the state then.
	End     time.Duration
	Summary State
	// Problems counts the problems of the set (its broken triggers were
	// skipped, as in the browser).
	Problems int
}

// Run plays the journey against the compiled set. After the last step the
// clock runs on for one hour, so pending countdowns play out, unless the
// journey ends with an "end" step.
func Run(set *widget.Compiled, j *Journey, o Options) *Result {
	s := newRun(set, j, o)
	s.play()
	return s.res
}

// run is one simulation. It learns what the engine decided only from the
// effects the engine delivers to sink.
type run struct {
	j     *Journey
	set   *widget.Compiled
	clock *widget.ManualClock
	eng   *widget.Engine
	res   *Result
	o     Options

	cur     *step          // the step being run; nil while timers run
	pending *widget.Effect // an EffectFired whose message may follow
	// What the last engine call or timer reported besides its lines,
	// printed after them in a stable order.
	armed []widget.Effect
	waits []widget.Effect
	// The visitor's tags and attributes as the effects said and, when a
	// trigger's action changed them since the last flush, what they were
	// before: flush prints the net change.
	tags        []string
	attrs       map[string]string
	tagsBefore  []string
	attrsBefore map[string]string
	changed     bool

	open   bool   // the widget, as the effects said
	status string // the status, as the effects said
	// latest is each trigger's last message in this visit, for the steps
	// that name a trigger's suggestion or form.
	latest map[string]widget.Entry
}

func newRun(set *widget.Compiled, j *Journey, o Options) *run {
	s := &run{j: j, set: set, clock: widget.NewManualClock(j.start), res: &Result{}, o: o, status: set.Status,
		tags: j.visitor.tags, attrs: map[string]string{}}
	for k, v := range j.visitor.attrs {
		s.attrs[k] = v
	}
	store := widget.NewMemoryStorage()
	if v := j.visitor; v.earlier > 0 || len(v.tags) > 0 || len(v.attrs) > 0 {
		rec := widget.VisitorState{V: 1, Visits: v.earlier, Tags: v.tags, Attrs: v.attrs}
		var jw jwriter.Writer
		rec.MarshalEasyJSON(&jw)
		b, _ := jw.BuildBytes()
		_ = store.Set(widget.KeyVisitor, string(b))
	}
	s.eng = widget.New(set, widget.Options{
		Clock:      s.clock,
		Storage:    store,
		Sink:       s.sink,
		NewSession: true,
		Env:        j.visitor.env,
		Zone:       o.Zone,
	})
	s.flush()
	return s
}

// play runs the steps, then the summary.
func (s *run) play() {
	ended := false
	for i := range s.j.steps {
		st := &s.j.steps[i]
		s.advanceTo(s.j.start.Add(st.at))
		s.cur = st
		s.do(st)
		s.flush()
		s.cur = nil
		if st.event == "end" {
			ended = true
			break // the summary follows at once
		}
		if s.o.Explain {
			state := s.state()
			s.res.Lines = append(s.res.Lines, Line{At: s.since(), Label: "explain", State: &state})
		}
	}
	if !ended {
		s.advanceTo(s.clock.Now().Add(time.Hour))
		s.line("end", "", "one hour after the last step")
	}
	s.res.End = s.since()
	s.res.Summary = s.state()
}

// advanceTo moves the clock to t one timer at a time, so that what each
// timer reports is flushed right after it, before the next one runs.
func (s *run) advanceTo(t time.Time) {
	for {
		next, ok := s.clock.Next()
		if !ok || next.After(t) {
			break
		}
		s.clock.RunNext()
		s.flush()
	}
	s.clock.Set(t)
}

func (s *run) since() time.Duration { return s.clock.Now().Sub(s.j.start) }

func (s *run) line(label, triggerID, detail string) {
	s.res.Lines = append(s.res.Lines, Line{At: s.since(), Label: label, TriggerID: triggerID, Detail: detail})
}

// do echoes a step and performs it.
func (s *run) do(st *step) {
	e := s.eng
	var err error
	switch st.event {
	case "page_view":
		detail := st.url
		if st.title != "" {
			detail += " " + QuoteText(st.title, 60)
		}
		if st.ref != "" {
			detail += " from " + st.ref
		}
		s.line("page_view", "", detail)
		e.PageView(widget.Page{URL: st.url, Title: st.title, Referrer: st.ref})
	case "visitor_message":
		s.line("visitor", "", QuoteText(st.text, 80))
		err = e.VisitorMessage(st.text)
	case "agent_message":
		who := ""
		if st.name != "" {
			who = st.name + ": "
		}
		s.line("agent", "", who+QuoteText(st.text, 80))
		err = e.AgentMessage(st.name, st.text)
	case "agent_joined":
		name := st.name
		if name == "" {
			name = "(an agent)"
		}
		s.line("joined", "", name)
		err = e.AgentJoined(st.name)
	case "chat_ended":
		s.line("chat ended", "", "")
		e.ChatEnded()
	case "status":
		detail := st.status
		if s.status == st.status {
			detail += " (unchanged)"
		}
		s.line("status", "", detail)
		err = e.SetStatus(st.status)
	case "custom_event":
		s.line("event", "", strings.TrimSpace(st.name+" "+string(st.data)))
		err = e.CustomEvent(st.name)
	case "set_attributes":
		s.line("attributes", "", Pairs(st.attrs))
		err = e.SetAttributes(st.attrs)
	case "add_tags":
		s.line("add tags", "", strings.Join(st.tags, ", "))
		err = e.AddTags(st.tags)
	case "remove_tags":
		s.line("drop tags", "", strings.Join(st.tags, ", "))
		e.RemoveTags(st.tags)
	case "maximize", "minimize":
		open := st.event == "maximize"
		detail := ""
		if s.open == open {
			detail = "(already " + openClosed(open) + ")"
		}
		s.line(st.event, "", detail)
		e.SetMaximized(open)
	case "suggestion":
		label := fmt.Sprintf("%s #%d", st.trigger, st.choice)
		entry, ok := s.latest[st.trigger]
		switch {
		case !ok:
			s.line("suggestion", st.trigger, label)
			err = fmt.Errorf("no message from trigger %q in the transcript", st.trigger)
		case st.choice >= len(entry.Suggestions):
			s.line("suggestion", st.trigger, label)
			err = fmt.Errorf("the last message of %q has %d suggestion buttons left, not a #%d", st.trigger, len(entry.Suggestions), st.choice)
		default:
			s.line("suggestion", st.trigger, label+" "+QuoteText(entry.Suggestions[st.choice], 60))
			_, err = e.UseSuggestion(entry.ID, st.choice)
		}
	case "submit_form":
		s.line("form", st.trigger, strings.TrimSpace(st.trigger+" "+Pairs(st.fields)))
		if entry, ok := s.latest[st.trigger]; ok {
			_, err = e.SubmitForm(entry.ID, st.fields)
		} else {
			err = fmt.Errorf("no message from trigger %q in the transcript", st.trigger)
		}
	case "end":
		s.line("end", "", "")
	}
	if err != nil {
		s.line("rejected", "", fmt.Sprintf("steps[%d] (%s): %v", st.index, st.event, err))
	}
}
