package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/widget"
)

// The timeline's layout: the time, two spaces, a label padded to ten
// characters, a space and the details.

// line prints one timeline line at the clock's current time.
func (s *simulation) line(label, detail string) {
	text := fmt.Sprintf("%s  %-10s %s", s.clock2(s.clock.Now()), label, detail)
	fmt.Fprintln(s.w, strings.TrimRight(text, " "))
}

// clock2 is a time relative to the journey's start.
func (s *simulation) clock2(t time.Time) string { return relTime(t.Sub(s.j.start)) }

// rel is an engine timestamp (Unix ms) relative to the journey's start.
func (s *simulation) rel(ms int64) string { return relTime(time.UnixMilli(ms).Sub(s.j.start)) }

// relTime writes +MM:SS.s below an hour and +HH:MM:SS from an hour on.
func relTime(d time.Duration) string {
	if d < 0 {
		return "-" + strings.TrimPrefix(relTime(-d), "+")
	}
	tenths := int64((d + 50*time.Millisecond) / (100 * time.Millisecond))
	if tenths < 36000 {
		return fmt.Sprintf("+%02d:%02d.%d", tenths/600, tenths/10%60, tenths%10)
	}
	sec := int64(d / time.Second)
	return fmt.Sprintf("+%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// quoteText quotes a text for one line (line breaks as \n), cut to at most
// n characters with "…".
func quoteText(text string, n int) string {
	if utf8.RuneCountInString(text) > n {
		r := []rune(text)
		text = string(r[:n-1]) + "…"
	}
	return strconv.Quote(text)
}

// pairs writes key=value pairs in key order; an empty value removes the
// key ("-key").
func pairs(m map[string]string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] == "" {
			out = append(out, "-"+k)
		} else {
			out = append(out, k+"="+m[k])
		}
	}
	return strings.Join(out, ", ")
}

func compactJSON(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// reasons glosses the engine's reasons for a countdown that stopped or a
// trigger that did not fire.
var reasons = map[string]string{
	widget.HeldStatus:   "the widget is not online",
	widget.HeldOnce:     "it already fired (once per visit, chat or visitor)",
	widget.HeldServed:   "an agent is serving the chat",
	widget.HeldDisabled: "the trigger is disabled",
	widget.HeldLeftPage: "the visitor left the matching page",
	widget.HeldAnswered: "an agent answered",
	"minimized":         "the widget was closed",
	"chat_ended":        "the chat ended",
}

func reasonText(r string) string {
	if g, ok := reasons[r]; ok {
		return r + " — " + g
	}
	return r
}

// describe writes a trigger message: who sends it, its text cut to about
// 80 characters, its suggestion buttons and its attachments.
func (s *simulation) describe(id string, withType bool, e widget.Entry) string {
	var b strings.Builder
	b.WriteString(id)
	if withType {
		b.WriteString(" (" + s.typeOf(id) + ")")
	}
	if e.Agent != nil && e.Agent.Name != "" {
		b.WriteString(" — " + e.Agent.Name + ":")
	} else {
		b.WriteString(":")
	}
	if e.Text != "" {
		b.WriteString(" " + quoteText(e.Text, 80))
	}
	if len(e.Suggestions) > 0 {
		b.WriteString("  [" + strings.Join(e.Suggestions, " | ") + "]")
	}
	if len(e.Attachments) > 0 {
		var parts []string
		for _, a := range e.Attachments {
			switch a.Kind {
			case widget.AttachFile:
				parts = append(parts, "file "+strconv.Quote(a.Name))
			case widget.AttachLink:
				parts = append(parts, "link "+strconv.Quote(a.Title))
			case widget.AttachForm:
				var names []string
				for _, f := range a.Fields {
					names = append(names, f.Name)
				}
				parts = append(parts, "form ("+strings.Join(names, ", ")+")")
			default:
				parts = append(parts, a.Kind)
			}
		}
		b.WriteString("  + " + strings.Join(parts, ", "))
	}
	return b.String()
}

// printExplain prints engine.Explain(): the widget and the visitor, then
// each trigger's state and, for advanced triggers, each condition now.
func (s *simulation) printExplain(indent string) {
	ex := s.eng.Explain()
	snap := s.eng.Snapshot()
	armed := map[string]int64{}
	for _, a := range snap.Armed {
		armed[a.TriggerID] = a.Due
	}
	visitor := plural(snap.Visit.Visits, "visit")
	if snap.Visit.Returning {
		visitor += " (returning)"
	}
	tags := "[" + strings.Join(snap.Tags, ", ") + "]"
	attrs := "{" + pairs(snap.Attrs) + "}"
	fmt.Fprintf(s.w, "%sstatus %s, chat %s, widget %s; visitor: %s, tags %s, attributes %s\n",
		indent, ex.Status, ex.Chat, openClosed(snap.Maximized), visitor, tags, attrs)
	for _, x := range ex.Triggers {
		fmt.Fprintf(s.w, "%s%-*s  %-11s  %s\n", indent, s.idWidth, x.TriggerID, x.Type, s.state(x, armed))
		for _, c := range x.Conditions {
			mark := "✗"
			if c.Holds {
				mark = "✓"
			}
			cond := c.Field + " " + c.Op
			if len(c.Value) > 0 {
				cond += " " + compactJSON(c.Value)
			}
			fmt.Fprintf(s.w, "%s    %s %s — actual %s\n", indent, mark, cond, c.Actual)
		}
	}
	if len(s.set.Skipped) > 0 {
		fmt.Fprintf(s.w, "%sskipped: %s (see the problems)\n", indent, strings.Join(s.set.Skipped, ", "))
	}
}

// state words one trigger's Explanation.
func (s *simulation) state(x widget.Explanation, armed map[string]int64) string {
	var b strings.Builder
	switch x.State {
	case widget.StateFired:
		if x.FiredAt != 0 {
			b.WriteString("fired at " + s.rel(x.FiredAt))
		} else {
			b.WriteString("fired in an earlier visit (once per visitor)")
		}
		if due, ok := armed[x.TriggerID]; ok && x.Waiting != "" {
			b.WriteString(", waiting for " + x.Waiting + " at " + s.rel(due))
		}
		return b.String()
	case widget.StateArmed:
		if x.Type == widget.TypeAdvanced {
			b.WriteString("conditions re-checked at " + s.rel(x.Due))
		} else {
			b.WriteString("armed, fires at " + s.rel(x.Due))
		}
	case widget.StateBlocked:
		if x.Type == widget.TypeAdvanced && x.Reason == widget.HeldServed {
			// Explain applies the basic types' served-chat rule to advanced
			// triggers too, but the engine does not hold them back (see
			// docs/design.md): say what the engine will actually do.
			return s.advancedWaiting(x)
		}
		return "blocked: " + reasonText(x.Reason)
	case widget.StateDisabled:
		return "disabled"
	default:
		b.WriteString("waiting for " + x.Waiting)
	}
	if x.FiredAt != 0 {
		b.WriteString(" (fired at " + s.rel(x.FiredAt) + ")")
	}
	if x.Reason != "" && (x.State == widget.StateWaiting || x.Type == widget.TypeAdvanced) {
		if x.Type == widget.TypeAdvanced {
			b.WriteString("; " + x.Reason)
		} else {
			b.WriteString("; last stopped: " + reasonText(x.Reason))
		}
	}
	return b.String()
}

// advancedWaiting words an advanced trigger that waits for its event, with
// its first failing condition, as Explain does for a waiting trigger.
func (s *simulation) advancedWaiting(x widget.Explanation) string {
	event := ""
	for _, t := range s.src.Triggers {
		if t.ID == x.TriggerID {
			event = t.Event
		}
	}
	out := "waiting for its event, " + event
	if x.FiredAt != 0 {
		out += " (fired at " + s.rel(x.FiredAt) + ")"
	}
	for i, c := range x.Conditions {
		if !c.Holds {
			out += fmt.Sprintf("; condition %d (%s %s) is false: %s", i+1, c.Field, c.Op, c.Actual)
			break
		}
	}
	return out
}
