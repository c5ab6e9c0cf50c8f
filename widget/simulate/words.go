package simulate

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

// RelTime writes a time since the journey's start as +MM:SS.s below an
// hour and +HH:MM:SS from an hour on.
func RelTime(d time.Duration) string {
	if d < 0 {
		return "-" + strings.TrimPrefix(RelTime(-d), "+")
	}
	tenths := int64((d + 50*time.Millisecond) / (100 * time.Millisecond))
	if tenths < 36000 {
		return fmt.Sprintf("+%02d:%02d.%d", tenths/600, tenths/10%60, tenths%10)
	}
	sec := int64(d / time.Second)
	return fmt.Sprintf("+%02d:%02d:%02d", sec/3600, sec/60%60, sec%60)
}

// QuoteText quotes a text for one line (line breaks as \n), cut to at most
// n characters with "…".
func QuoteText(text string, n int) string {
	if utf8.RuneCountInString(text) > n {
		r := []rune(text)
		text = string(r[:n-1]) + "…"
	}
	return strconv.Quote(text)
}

// Pairs writes key=value pairs in key order; an empty value removes the
// key ("-key").
func Pairs(m map[string]string) string {
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

// CompactJSON writes a JSON value on one line.
func CompactJSON(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// ReasonText is a cancel reason with its wording: "left_page — the visitor
// left the matching page".
func ReasonText(r string) string {
	if g := widget.ReasonText(r); g != "" {
		return r + " — " + g
	}
	return r
}

// describe writes a trigger message: who sends it, its text cut to about
// 80 characters, its suggestion buttons and its attachments.
func (s *run) describe(id string, withType bool, e widget.Entry) string {
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
		b.WriteString(" " + QuoteText(e.Text, 80))
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

// state reads where everything stands, through the engine's inspection
// methods (Explain and Snapshot), and words each trigger's state.
func (s *run) state() State {
	ex := s.eng.Explain()
	snap := s.eng.Snapshot()
	armed := map[string]int64{}
	for _, a := range snap.Armed {
		armed[a.TriggerID] = a.Due
	}
	st := State{Status: ex.Status, Chat: ex.Chat, Open: snap.Maximized, Visits: snap.Visit.Visits, Returning: snap.Visit.Returning,
		Tags: snap.Tags, Attrs: snap.Attrs, Skipped: s.set.Skipped}
	for _, x := range ex.Triggers {
		ts := TriggerState{ID: x.TriggerID, Type: x.Type, State: s.word(x, armed)}
		for _, c := range x.Conditions {
			text := c.Field + " " + c.Op
			if len(c.Value) > 0 {
				text += " " + CompactJSON(c.Value)
			}
			ts.Conditions = append(ts.Conditions, ConditionState{Text: text, Holds: c.Holds, Actual: c.Actual})
		}
		st.Triggers = append(st.Triggers, ts)
	}
	return st
}

// word words one trigger's Explanation.
func (s *run) word(x widget.Explanation, armed map[string]int64) string {
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
			// triggers too, but the engine does not hold them back: say
			// what the engine will actually do.
			return s.advancedWaiting(x)
		}
		return "blocked: " + ReasonText(x.Reason)
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
			b.WriteString("; last stopped: " + ReasonText(x.Reason))
		}
	}
	return b.String()
}

// advancedWaiting words an advanced trigger that waits for its event, with
// its first failing condition, as Explain does for a waiting trigger.
func (s *run) advancedWaiting(x widget.Explanation) string {
	event := ""
	if t := s.set.Trigger(x.TriggerID); t != nil {
		event = t.Event()
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
