package widget

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds of what a stored record may hold beyond the limits a trigger set
// and the API already set. None is near what the engine writes: they keep
// a planted record from growing the state past MaxStateBytes, overflowing
// a counter, or breaking the page's dates.
const (
	// maxTriggerRecords bounds each map keyed by trigger id (fired, armed,
	// pending work, rescued, shown once). A set holds at most MaxTriggers,
	// so only a visit across five versions of a set with new triggers, or
	// a visitor who saw more than 100 once-per-visitor triggers fire over
	// time, comes near; the engine keeps the fired and shown-once records
	// to the newest 100 itself (capRecords), the same way in every tab.
	maxTriggerRecords = 5 * MaxTriggers
	// maxEntryID bounds the numbers of transcript lines (one per line a
	// visit ever shows).
	maxEntryID = 1 << 40
	// maxTime is the latest instant a JavaScript Date holds, in Unix
	// milliseconds: times are shown through Date.
	maxTime = 8_640_000_000_000_000
)

// Stored state is input like a trigger set: any script of the site can
// write localStorage. What the engine reads back is checked with the trigger
// set's own checks (checker.agent, attachment, suggestions, text) before
// anything is rendered, so a link, an image or a form field that a set
// could not hold cannot come from storage either.

// checkVisit drops what a visit record may not hold and returns a problem
// for each thing dropped.
func checkVisit(v *VisitState) []string {
	var problems []string
	if v.Status != "" && !validStatus(v.Status) {
		problems = append(problems, "status: "+oneOf("status", v.Status, "online, away, offline"))
		v.Status = ""
	}
	switch v.Chat.State {
	case "", ChatNone, ChatRequesting, ChatServed, ChatEnded:
	default:
		problems = append(problems, "chat: "+oneOf("chat state", v.Chat.State, "none, requesting, served, ended"))
		v.Chat.State = ChatNone
	}
	for id, st := range v.Adv {
		if st.Kind != advCheck && st.Kind != advRun || st.Step < 0 || st.Step >= MaxActions {
			problems = append(problems, "trigger "+quote(id)+": unknown pending work")
			delete(v.Adv, id)
			delete(v.Armed, id)
		}
	}
	problems = checkRecords(problems, "fired", v.Fired, maxTime)
	problems = checkRecords(problems, "armed", v.Armed, maxTime)
	dropped := 0
	for id := range v.Adv {
		if !ValidID(id) || len(v.Adv) > maxTriggerRecords {
			delete(v.Adv, id)
			delete(v.Armed, id)
			dropped++
		}
	}
	for id, seq := range v.Chat.Rescued {
		if !ValidID(id) || seq < 0 {
			delete(v.Chat.Rescued, id)
			dropped++
		}
	}
	dropped += capRescued(v.Chat.Rescued)
	if dropped > 0 {
		problems = append(problems, itoa(dropped)+" records of pending work or rescued chats dropped (not a trigger id, or too many)")
	}
	if v.NextEntry < 0 || v.NextEntry > maxEntryID {
		problems = append(problems, "next: "+itoa(v.NextEntry)+" is not a line number; counting from the lines kept")
		v.NextEntry = 0
	}
	kept := v.Transcript[:0]
	ids := make(map[int]bool, len(v.Transcript))
	for i := range v.Transcript {
		en := &v.Transcript[i]
		problem := checkEntry(en)
		if problem == "" && ids[en.ID] {
			problem = "id: used twice"
		}
		if problem != "" {
			problems = append(problems, "message "+itoa(en.ID)+" dropped: "+problem)
			continue
		}
		ids[en.ID] = true
		v.NextEntry = max(v.NextEntry, en.ID)
		kept = append(kept, *en)
	}
	clear(v.Transcript[len(kept):])
	v.Transcript = kept
	// A reply retires the suggestions before it, whatever the record
	// says (a record written before retiring existed lacks the mark).
	retireAnswered(v.Transcript)
	for len(v.Transcript) > MaxTranscript {
		dropOldest(v)
	}
	return problems
}

// checkEntry checks one transcript line as the trigger set's checks would
// and returns its first problem ("field: problem"), or "".
func checkEntry(en *Entry) string {
	c := &checker{out: &Compiled{}}
	if en.ID <= 0 || en.ID > maxEntryID {
		return "id: must be a positive number up to " + itoa(maxEntryID)
	}
	if en.At < 0 || en.At > maxTime {
		return "at: not a time a browser can show"
	}
	switch en.Kind {
	case EntryTrigger:
		if !ValidID(en.TriggerID) {
			c.add("triggerId", CodeBadID, idRule)
		}
		if en.Ref != "" {
			c.add("ref", CodeNotAllowed, "only agent messages have the page's id")
		}
		if en.Agent == nil {
			c.add("agent", CodeMissing, "missing")
		} else {
			c.agent("agent", en.Agent)
		}
		if en.Text != "" || len(en.Attachments) == 0 {
			c.text("text", en.Text)
		}
		if len(en.Attachments) > MaxAttachments {
			c.add("attachments", CodeTooMany, countOver(len(en.Attachments), MaxAttachments, "attachments"))
		}
		for j := range en.Attachments {
			c.attachment("attachments["+itoa(j)+"]", &en.Attachments[j])
		}
		c.suggestions("suggestions", en.Suggestions)
	case EntryAgent, EntryVisitor, EntrySystem:
		limit := MaxTextLen
		if en.Kind == EntryVisitor {
			limit = MaxVisitorMessageLen
		}
		if strings.TrimSpace(en.Text) == "" {
			c.add("text", CodeMissing, "must not be empty")
		} else if !utf8.ValidString(en.Text) {
			c.add("text", CodeBadText, "is not valid UTF-8")
		} else if n := runeCount(en.Text); n > limit {
			c.add("text", CodeTooLong, charsOver(n, limit))
		}
		if a := en.Agent; a != nil {
			if en.Kind != EntryAgent {
				c.add("agent", CodeNotAllowed, "only agent and trigger messages have an agent")
			} else if a.Name != "" || a.Image != "" {
				c.agent("agent", a)
			}
		}
		if len(en.Attachments) > 0 || len(en.Suggestions) > 0 || en.Retired || en.TriggerID != "" {
			c.add("attachments", CodeNotAllowed, "only trigger messages have attachments, suggestions or a trigger")
		}
		if en.Ref != "" {
			if en.Kind != EntryAgent {
				c.add("ref", CodeNotAllowed, "only agent messages have the page's id")
			} else if p := messageIDProblem(en.Ref); p != "" {
				c.add("ref", CodeBadText, p)
			}
		}
	default:
		c.add("kind", CodeUnknownValue, oneOf("kind", en.Kind, "trigger, visitor, agent, system"))
	}
	if len(c.out.Problems) == 0 {
		return ""
	}
	p := c.out.Problems[0]
	return p.Field + ": " + p.Problem
}

// checkRecords drops the entries of a map of trigger ids to times that the
// engine could not have written (a key that is not an id, a negative time
// or one past limit) and, past maxTriggerRecords, the oldest; it adds a
// problem for each kind of entry dropped. The fired and shown-once records
// are kept to the newest by the engine too, so only a planted record
// loses any here.
func checkRecords(problems []string, what string, m map[string]int64, limit int64) []string {
	bad := 0
	for id, at := range m {
		if !ValidID(id) || at < 0 || at > limit {
			delete(m, id)
			bad++
		}
	}
	if bad > 0 {
		problems = append(problems, what+": "+itoa(bad)+" records dropped (not a trigger id and a time)")
	}
	if over := capRecords(m); over > 0 {
		problems = append(problems, what+": the oldest "+itoa(over)+" records dropped (more than "+itoa(maxTriggerRecords)+")")
	}
	return problems
}

// capRecords keeps the maxTriggerRecords newest records of m, by time and
// then by id, so that every tab keeps the same ones, and returns how many
// it dropped.
func capRecords(m map[string]int64) int {
	return capBy(m, func(a, b string) bool { return m[a] > m[b] })
}

// capRescued is capRecords for the rescued chats: the latest chats kept.
func capRescued(m map[string]int) int {
	return capBy(m, func(a, b string) bool { return m[a] > m[b] })
}

// capBy keeps the first maxTriggerRecords ids of m in the order of first
// (then by id: the same in every tab) and returns how many it dropped.
func capBy[V any](m map[string]V, first func(a, b string) bool) int {
	over := len(m) - maxTriggerRecords
	if over <= 0 {
		return 0
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		switch {
		case first(a, b):
			return -1
		case first(b, a):
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, id := range ids[maxTriggerRecords:] {
		delete(m, id)
	}
	return over
}

// checkVisitor drops what a visitor record may not hold (the limits of
// addTags and setAttributes) and returns a problem for each thing dropped.
func checkVisitor(v *VisitorState) []string {
	var problems []string
	problems = checkRecords(problems, "once", v.FiredOnce, maxTime)
	kept := v.Tags[:0]
	for _, t := range v.Tags {
		if t = strings.TrimSpace(t); t == "" || !utf8.ValidString(t) || runeCount(t) > MaxTagLen || len(kept) >= MaxTags {
			problems = append(problems, "tag "+quote(t)+" dropped")
			continue
		}
		kept = append(kept, t)
	}
	v.Tags = kept
	for k, val := range v.Attrs {
		if strings.TrimSpace(k) == "" || len(k) > MaxAttrKeyLen || !utf8.ValidString(val) || runeCount(val) > MaxAttrValueLen {
			problems = append(problems, "attribute "+quote(k)+" dropped")
			delete(v.Attrs, k)
		}
	}
	for len(v.Attrs) > MaxAttrs {
		for k := range v.Attrs {
			problems = append(problems, "attribute "+quote(k)+" dropped: more than "+itoa(MaxAttrs))
			delete(v.Attrs, k)
			break
		}
	}
	return problems
}
