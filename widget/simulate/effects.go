package simulate

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// sink turns the engine's effects into timeline lines as they happen.
// Countdowns, waits and visitor changes are kept until flush, which writes
// them after the lines of the step or timer that caused them.
func (s *run) sink(ef widget.Effect) {
	if p := s.pending; p != nil && !buffered(ef.Kind) {
		s.pending = nil
		if ef.Kind == widget.EffectShow && ef.TriggerID == p.TriggerID {
			s.remember(ef.Entry)
			s.line("FIRED", p.TriggerID, s.describe(p.TriggerID, true, ef.Entry))
			return
		}
		s.firedAlone(p)
	}
	switch ef.Kind {
	case widget.EffectFired:
		s.pending = &ef // a basic trigger's message follows at once; an advanced one's maybe later
	case widget.EffectShow:
		if ef.TriggerID != "" { // visitor, agent and system lines are the steps' own echo
			s.remember(ef.Entry)
			s.line("message", ef.TriggerID, s.describe(ef.TriggerID, false, ef.Entry))
		}
	case widget.EffectUpdate:
		s.remember(ef.Entry)
	case widget.EffectArmed:
		// A countdown of a basic trigger; an advanced trigger's deferred
		// re-check is not news (its state says it).
		if t := s.set.Trigger(ef.TriggerID); t != nil && t.Type != widget.TypeAdvanced && ef.Due > s.clock.Now().UnixMilli() {
			s.armed = append(s.armed, ef)
		}
	case widget.EffectWaiting:
		s.waits = append(s.waits, ef)
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
		s.line(label, ef.TriggerID, fmt.Sprintf("%s (%s): %s", ef.TriggerID, s.typeOf(ef.TriggerID), ReasonText(ef.Reason)))
	case widget.EffectMaximize:
		s.open = ef.Maximized
		if s.cur != nil && (s.cur.event == "maximize" && ef.Maximized || s.cur.event == "minimize" && !ef.Maximized) {
			return // the step's own echo said it
		}
		if ef.Maximized {
			s.line("widget", "", "opened")
		} else {
			s.line("widget", "", "closed")
		}
	case widget.EffectStatus:
		s.status = ef.Status // only a status step changes it; its echo said so
	case widget.EffectTags:
		// Changes the host page or the visitor made are the steps' own
		// echo; trigger actions' are news.
		if ef.TriggerID != "" && !s.changed {
			s.changed = true
			s.tagsBefore, s.attrsBefore = s.tags, maps.Clone(s.attrs)
		}
		s.tags = ef.Tags
	case widget.EffectAttributes:
		if ef.TriggerID != "" && !s.changed {
			s.changed = true
			s.tagsBefore, s.attrsBefore = s.tags, maps.Clone(s.attrs)
		}
		for k, v := range ef.Attrs {
			if v == "" {
				delete(s.attrs, k)
			} else {
				s.attrs[k] = v
			}
		}
	case widget.EffectVisit:
		s.latest = nil // the transcript of the last visit is gone
	case widget.EffectError:
		if ef.Code == widget.ErrInvalidTrigger {
			s.res.Problems++
			s.line("problem", ef.TriggerID, ef.Message)
		} else {
			s.line("error", ef.TriggerID, ef.Code+": "+ef.Message)
		}
	case widget.EffectEmit:
		detail := ef.TriggerID + ": " + ef.Name
		if len(ef.Data) > 0 && string(ef.Data) != "null" {
			detail += " " + CompactJSON(ef.Data)
		}
		s.line("emit", ef.TriggerID, detail)
	}
}

// remember keeps the latest message of each trigger, for the suggestion and
// form steps that name a trigger.
func (s *run) remember(e widget.Entry) {
	if e.TriggerID == "" {
		return
	}
	if s.latest == nil {
		s.latest = map[string]widget.Entry{}
	}
	if old, ok := s.latest[e.TriggerID]; !ok || old.ID <= e.ID {
		s.latest[e.TriggerID] = e
	}
}

// firedAlone writes a FIRED whose message did not show with it: an
// advanced trigger that waits or acts before its first send_message (which
// gets a "message" line), or sends none.
func (s *run) firedAlone(p *widget.Effect) {
	s.line("FIRED", p.TriggerID, p.TriggerID+" ("+s.typeOf(p.TriggerID)+")")
}

// flush writes what the last engine call or timer reported besides its
// lines: a FIRED still waiting for its message, the countdowns it started
// (earliest first, then in set order), the waits, and the tags and
// attributes trigger actions changed.
func (s *run) flush() {
	if p := s.pending; p != nil {
		s.pending = nil
		s.firedAlone(p)
	}
	sort.SliceStable(s.armed, func(i, j int) bool { return s.armed[i].Due < s.armed[j].Due })
	for _, ef := range s.armed {
		s.line("armed", ef.TriggerID, fmt.Sprintf("%s (%s): fires at %s", ef.TriggerID, s.typeOf(ef.TriggerID), s.rel(ef.Due)))
	}
	now := s.clock.Now().UnixMilli()
	for _, ef := range s.waits {
		s.line("wait", ef.TriggerID, fmt.Sprintf("%s: %s, its next action at %s", ef.TriggerID, time.Duration(ef.Due-now)*time.Millisecond, s.rel(ef.Due)))
	}
	if s.changed {
		s.visitorChanges()
	}
	s.armed, s.waits, s.changed = nil, nil, false
}

// buffered tells the effects flush reports, which do not end a FIRED line
// waiting for its message.
func buffered(k widget.EffectKind) bool {
	switch k {
	case widget.EffectArmed, widget.EffectWaiting, widget.EffectTags, widget.EffectAttributes,
		widget.EffectVisit, widget.EffectVisitorMessage, widget.EffectSuggestion, widget.EffectForm:
		return true
	}
	return false
}

// visitorChanges prints the net change trigger actions made to the
// visitor's tags and attributes since the last flush: a tag added and
// removed again, or an attribute set back to its value, is no news.
func (s *run) visitorChanges() {
	has := func(list []string, t string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, t) })
	}
	for _, t := range s.tags {
		if !has(s.tagsBefore, t) {
			s.line("tagged", "", t)
		}
	}
	for _, t := range s.tagsBefore {
		if !has(s.tags, t) {
			s.line("untagged", "", t)
		}
	}
	keys := slices.Sorted(maps.Keys(s.attrs))
	for k := range s.attrsBefore {
		if _, ok := s.attrs[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range slices.Compact(keys) {
		switch was, now := s.attrsBefore[k], s.attrs[k]; {
		case was == now:
		case now == "":
			s.line("attribute", "", k+" removed")
		default:
			s.line("attribute", "", k+"="+now)
		}
	}
}

func (s *run) typeOf(id string) string {
	if t := s.set.Trigger(id); t != nil {
		return t.Type
	}
	return "?"
}

// rel is an engine timestamp (unix ms) relative to the journey's start.
func (s *run) rel(ms int64) string { return RelTime(time.UnixMilli(ms).Sub(s.j.start)) }

func openClosed(open bool) string {
	if open {
		return "open"
	}
	return "closed"
}
