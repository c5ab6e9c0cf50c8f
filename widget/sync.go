package widget

import (
	"math/bits"
	"slices"
	"unsafe"
)

// How the engine writes its state, and how the tabs of one visitor share
// one visit.
//
// Every tab runs its own engine over the same Storage. An engine remembers
// the records as it last read or wrote them (seenVisit, seenVisitor). When
// the stored record differs, another tab wrote it, and adopt merges it into
// this engine's state: a three-way merge against what was seen, so that a
// change made here and not written yet survives, and so does the other
// tab's. Messages are merged as a union (an entry is the same entry in two
// tabs when its kind, time, trigger and text are), fired triggers as a
// union, and a value both tabs changed keeps this tab's. Every write merges
// first, so no tab's write loses another's message, even when two tabs
// write at once without seeing each other.
//
// Only the leading tab (the platform elects one; Options.Follower,
// SetLeader) runs countdown timers and fires due triggers, so a trigger
// fires once however many tabs are open; the others show what it wrote.

// stateKeyRoom is the part of MaxStateBytes left for the records' keys.
const stateKeyRoom = 256

// write stores the visit and the visitor, after adopting what another tab
// wrote, with the transcript trimmed to fit MaxStateBytes. Both are encoded
// into the engine's scratch buffer and compared with what storage holds
// before they are copied: a record that did not change is neither copied
// nor written (unless storage lost it: another tab cleared it).
func (e *Engine) write() {
	e.adopt()
	e.dirty, e.scheduled = false, false
	b := encodeInto(e.scratch, e.visitor)
	e.scratch = b
	room := MaxStateBytes - stateKeyRoom - len(b)
	if !e.storedVisitor || string(b) != e.seenVisitor {
		visitor := record(b)
		if err := e.store.Set(KeyVisitor, visitor); err != nil {
			// The visit is still written (below): the record the last
			// write left must not outlive what happened since.
			e.storageFailed(err)
		} else {
			e.seenVisitor = visitor
		}
	}
	b = encodeVisit(e.scratch, &e.visit, room)
	e.scratch = b
	// Room for the next encodings: the power of two above twice this one
	// (a record never exceeds MaxStateBytes), so that the buffer does not
	// grow through append's sizes (see record).
	if want := min(1<<bits.Len(uint(2*len(b))), MaxStateBytes); len(b) > smallRecord && cap(b) < want {
		e.scratch = make([]byte, 0, want)
	}
	if e.storedVisit && string(b) == e.seenVisit {
		return
	}
	visit := record(b)
	if err := e.store.Set(KeyVisit, visit); err != nil {
		e.visitNotStored(err)
		return
	}
	e.seenVisit = visit
}

// smallRecord is the largest record copied as it is: up to it, the
// allocator's size classes take spans of one or two pages, and rounding
// up would only waste.
const smallRecord = 2048

// record copies an encoded record for storage and for the next write's
// comparison. A record of a few KB is copied into a buffer of the next
// power of two: the allocator's size classes for 2 to 32 KB take their
// objects from spans of up to ten pages in a row, and a record that grows
// with the transcript would pass through a dozen of them, where 16 and
// 32 KB take two and four pages. Pages in a row are what a heap whose
// free pages are scattered must grow its linear memory for, and that
// memory never shrinks. The buffer is never written again, so the string
// can share it.
func record(b []byte) string {
	if len(b) <= smallRecord {
		return string(b)
	}
	buf := make([]byte, len(b), 1<<bits.Len(uint(len(b)-1)))
	copy(buf, b)
	return unsafe.String(&buf[0], len(buf))
}

// visitNotStored follows a failed write of the visit. When the site's own
// data fills the origin's storage, the record the last write left stays,
// and would tell the next page that a trigger that has fired since is
// still due: it would fire again on every page. The visit without its
// transcript is small, and the triggers' bookkeeping in it exact; only the
// lines shown are not carried to the next page.
func (e *Engine) visitNotStored(err error) {
	if len(e.visit.Transcript) > 0 {
		lean := e.visit
		lean.Transcript = nil
		if b := encode(lean); e.store.Set(KeyVisit, string(b)) == nil {
			e.seenVisit = string(b)
			if !e.storeErr {
				e.storeErr = true
				e.emit(Effect{Kind: EffectError, Code: ErrStorage, Message: "storage is full: the messages shown are not kept for the next page: " + err.Error()})
			}
			return
		}
	}
	e.storageFailed(err)
}

// encodeVisit encodes v into buf's storage in at most budget bytes,
// dropping transcript lines as dropOldest orders them until it fits.
func encodeVisit(buf []byte, v *VisitState, budget int) []byte {
	out := encodeInto(buf, *v)
	for len(out) > budget && len(v.Transcript) > 0 {
		over := len(out) - budget
		for over > 0 && len(v.Transcript) > 0 {
			over -= entrySize(dropOldest(v))
		}
		out = encodeInto(out, *v)
	}
	return out
}

// entrySize is about the bytes en takes in an encoded visit (a few more,
// never fewer, so encodeVisit never drops more than it must).
func entrySize(en Entry) int {
	return len(encode(VisitState{Transcript: []Entry{en}})) - len(encode(VisitState{})) - len(`,"transcript":[]`) + 1
}

// dropOldest removes and returns the oldest transcript line that is not a
// trigger's message, or the oldest line when all are: a shown trigger
// message stays as long as the visit's budget can hold it.
func dropOldest(v *VisitState) Entry {
	i := 0
	for j := range v.Transcript {
		if v.Transcript[j].Kind != EntryTrigger {
			i = j
			break
		}
	}
	en := v.Transcript[i]
	v.Transcript = append(v.Transcript[:i], v.Transcript[i+1:]...)
	return en
}

// adopt merges what another tab wrote since this engine last read or
// wrote storage; when this engine holds something the stored records lack,
// it marks the state for writing.
func (e *Engine) adopt() {
	raw, ok := e.get(KeyVisitor)
	e.storedVisitor = ok
	if ok && raw != e.seenVisitor {
		base, _ := decodeVisitor(mergeBase(e.seenVisitor))
		e.seenVisitor = raw
		if s, ok := e.readVisitor(raw); !ok || e.mergeVisitor(&base, &s) {
			e.dirty = true
		}
	}
	raw, ok = e.get(KeyVisit)
	e.storedVisit = ok
	if ok && raw != e.seenVisit {
		base, _ := decodeVisit(mergeBase(e.seenVisit))
		e.seenVisit = raw
		if s, ok := e.readVisit(raw); !ok || e.mergeVisit(&base, &s) {
			e.dirty = true
		}
	}
}

// mergeBase is the record last seen, as the base of a three-way merge; one
// larger than the engine ever writes was not read and is no base either.
func mergeBase(seen string) string {
	if len(seen) > MaxStateBytes {
		return ""
	}
	return seen
}

// Sync adopts what another tab of the visitor wrote: its messages are
// shown (EffectShow) or re-rendered (EffectUpdate), a status or open state
// it changed is reported, and in the leading tab the countdowns follow the
// shared visit. The platform calls it when storage says another tab wrote;
// it writes only when this tab holds something the stored state lacks.
func (e *Engine) Sync() { e.shared(e.adopt) }

// SetLeader makes this tab the one that runs countdowns and fires due
// triggers (after adopting the shared state), or a follower that does not.
func (e *Engine) SetLeader(lead bool) {
	e.shared(func() {
		e.follower = !lead
		if lead {
			e.adopt()
		}
	})
}

// shared runs fn, which changes how this tab stands to the shared visit,
// then fires what is due, follows the countdowns and writes what changed.
func (e *Engine) shared(fn func()) {
	e.locking(func() {
		if !e.stopped {
			fn()
			e.fireAndReconcile(e.now())
			if e.dirty {
				e.save()
			}
		}
	})
	e.flush()
}

// Flush writes the state now if it changed since the last write: a
// deferred write (Options.Defer) calls it, and so does the platform before
// the page hides or unloads.
func (e *Engine) Flush() {
	e.locking(func() {
		// First: a write that fails half-way (a bug) must not leave the
		// next change waiting for a deferred write never asked for.
		e.scheduled = false
		if e.dirty && !e.stopped {
			e.write()
		}
	})
	e.flush()
}

// fireAndReconcile fires due triggers and keeps one timer per countdown,
// in the leading tab; a follower runs none. Nothing fires, and no timer
// runs, before this page's first view: a countdown restored from the last
// page and due by now belongs to that page until this one says where the
// visitor is (a page trigger is then cancelled, not fired, when the page
// does not match), whatever call comes first (tab coordination, the
// host's queued calls, another tab's write).
func (e *Engine) fireAndReconcile(now int64) {
	if e.follower || e.pageLoads == 0 {
		e.stopTimers()
		return
	}
	e.fireDue(now)
	e.reconcile(now)
}

// mergeVisit merges s, the visit another tab stored, into this engine's
// visit; b is the stored visit as this engine last saw it. It reports
// whether the result holds something s lacks.
func (e *Engine) mergeVisit(b, s *VisitState) (ours bool) {
	m := &e.visit
	status, open := e.status(), m.Maximized
	defer e.reportShared(status, open)
	if s.Start != m.Start {
		if m.Start != 0 && e.now()-m.LastActive <= VisitTimeout.Milliseconds() {
			// Another visit while this one lasts: the stored state was
			// cleared (an admin's preview does it for each new frame) and
			// another page started afresh. The two go their own ways.
			return false
		}
		// Another tab started a new visit after this one ended: it is
		// this tab's too.
		*m = *s
		m.Transcript = nil
		e.endTyping()
		e.emit(Effect{Kind: EffectVisit, Index: e.visitor.Visits})
		e.mergeTranscript(s.Transcript)
		return false
	}
	if d := m.PageViews - b.PageViews; d > 0 {
		m.PageViews, ours = s.PageViews+d, true
	} else {
		m.PageViews = s.PageViews
	}
	if s.LastActive > m.LastActive {
		m.LastActive = s.LastActive
	}
	m.NextEntry = max(m.NextEntry, s.NextEntry)
	ours = take3(&m.URL, b.URL, s.URL) || ours
	ours = take3(&m.Status, b.Status, s.Status) || ours
	ours = take3(&m.Maximized, b.Maximized, s.Maximized) || ours
	if m.Chat.State == b.Chat.State && m.Chat.Seq == b.Chat.Seq {
		m.Chat.State, m.Chat.Seq = s.Chat.State, s.Chat.Seq
	} else if m.Chat.State != s.Chat.State || m.Chat.Seq != s.Chat.Seq {
		ours = true
	}
	var o [5]bool
	m.Chat.Rescued, o[0] = unionMax(m.Chat.Rescued, s.Chat.Rescued)
	m.Fired, o[1] = unionMin(m.Fired, s.Fired)
	m.Armed, o[2] = merge3(m.Armed, b.Armed, s.Armed)
	m.Adv, o[3] = merge3(m.Adv, b.Adv, s.Adv)
	o[4] = e.mergeTranscript(s.Transcript)
	return ours || o[0] || o[1] || o[2] || o[3] || o[4]
}

// reportShared reports a status or open state that another tab changed.
func (e *Engine) reportShared(status string, open bool) {
	if now := e.status(); now != status {
		e.emit(Effect{Kind: EffectStatus, Status: now})
	}
	if e.visit.Maximized != open {
		e.emit(Effect{Kind: EffectMaximize, Maximized: e.visit.Maximized})
	}
}

// take3 is a three-way merge of one value: this tab's *m if it changed it
// since base b, else the stored s. It reports whether *m differs from s.
func take3[V comparable](m *V, b, s V) bool {
	if *m == b {
		*m = s
	}
	return *m != s
}

// merge3 merges maps key by key as take3 does.
func merge3[V comparable](m, b, s map[string]V) (map[string]V, bool) {
	out := make(map[string]V, len(s))
	ours := false
	// One loop over the three maps' keys: each generic loop costs the wasm
	// a copy per value type. A key decided before is decided alike again.
	for _, from := range [...]map[string]V{m, s, b} {
		for k := range from {
			mv, mok := m[k]
			bv, bok := b[k]
			sv, sok := s[k]
			if mok != bok || mv != bv {
				if mok {
					out[k] = mv
				}
				ours = ours || mok != sok || mv != sv
			} else if sok {
				out[k] = sv
			}
		}
	}
	if len(out) == 0 {
		return nil, ours
	}
	return out, ours
}

// unionMin merges fired triggers: fired in either tab, at the earlier time.
func unionMin(m, s map[string]int64) (map[string]int64, bool) {
	for k, v := range s {
		if mv, ok := m[k]; !ok || v < mv {
			if m == nil {
				m = map[string]int64{}
			}
			m[k] = v
		}
	}
	// Kept to the newest records, as every tab and the stored state's
	// check keep them; then this tab holds something storage lacks only
	// if a record it keeps is not stored, or stored later.
	capRecords(m)
	for k, v := range m {
		if sv, ok := s[k]; !ok || v < sv {
			return m, true
		}
	}
	return m, false
}

// unionMax merges rescued chats: the later chat number wins; kept to the
// latest, as unionMin keeps the fired records.
func unionMax(m, s map[string]int) (map[string]int, bool) {
	for k, v := range s {
		if mv, ok := m[k]; !ok || v > mv {
			if m == nil {
				m = map[string]int{}
			}
			m[k] = v
		}
	}
	capRescued(m)
	for k, mv := range m {
		if sv, ok := s[k]; !ok || mv > sv {
			return m, true
		}
	}
	return m, false
}

// entryKey identifies a transcript line across tabs: two tabs number the
// lines they add at the same moment alike, so the id cannot.
type entryKey struct {
	kind, trigger, text, ref string
	at                       int64
}

// keyOf is what makes two tabs' lines one: the same kind, trigger, text
// and time, or, for an agent's message with the page's id, the same id
// (two tabs relaying it stamp it with their own times).
func keyOf(en *Entry) entryKey {
	if en.Ref != "" {
		return entryKey{kind: en.Kind, ref: en.Ref}
	}
	return entryKey{kind: en.Kind, trigger: en.TriggerID, text: en.Text, at: en.At}
}

// entryLess orders merged lines: by time, then by what they are, so that
// every tab orders and numbers a merge alike.
func entryLess(a, b *Entry) bool {
	switch {
	case a.At != b.At:
		return a.At < b.At
	case a.ID != b.ID:
		return a.ID < b.ID
	case a.Kind != b.Kind:
		return a.Kind < b.Kind
	case a.TriggerID != b.TriggerID:
		return a.TriggerID < b.TriggerID
	}
	return a.Text < b.Text
}

// mergeTranscript merges s, another tab's transcript, into this engine's.
// A line used here (its suggestions retired, its form sent) stays used,
// and a reply retires the suggestions before it (retireAnswered). A
// line of this tab's that s lacks is kept: s may come from a tab that had
// not seen it yet. (A line s dropped as old is dropped again when this tab
// writes: dropping is deterministic.) An id two
// tabs gave to different lines stays with the first (entryLess); the other
// line gets a new id. It emits EffectShow for lines new to this tab and
// EffectUpdate for lines that changed (OldID when the id did), and reports
// whether the result holds something s lacks.
func (e *Engine) mergeTranscript(s []Entry) (ours bool) {
	m := e.visit.Transcript
	mine := make(map[entryKey][]int, len(m))
	for i := range m {
		k := keyOf(&m[i])
		mine[k] = append(mine[k], i)
	}
	from := make([]int, 0, len(s)+len(m)) // index in m, or -1
	out := make([]Entry, 0, len(s)+len(m))
	matched := make([]bool, len(m))
	resort := false
	for _, en := range s {
		at := -1
		if list := mine[keyOf(&en)]; len(list) > 0 {
			at, mine[keyOf(&en)] = list[0], list[1:]
			matched[at] = true
			mi := &m[at]
			if en.Ref != "" && mi.At < en.At {
				// Two tabs relayed the message: it came when the first
				// one had it, so it stays before what followed there.
				en.At, ours, resort = mi.At, true, true
			}
			if len(mi.Suggestions) == 0 && len(en.Suggestions) > 0 {
				en.Suggestions, ours = nil, true
			}
			if mi.Submitted && !en.Submitted {
				en.Submitted, ours = true, true
			}
			if mi.Retired && !en.Retired {
				en.Retired, ours = true, true
			}
		}
		out = append(out, en)
		from = append(from, at)
	}
	extra := false
	for i := range m {
		if matched[i] {
			continue
		}
		out = append(out, m[i])
		from = append(from, i)
		extra, ours = true, true
	}
	if extra || resort {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case entryLess(&out[a], &out[b]):
				return -1
			case entryLess(&out[b], &out[a]):
				return 1
			}
			return 0
		})
		sorted, src := make([]Entry, len(out)), make([]int, len(out))
		for i, j := range idx {
			sorted[i], src[i] = out[j], from[j]
		}
		out, from = sorted, src
	}
	taken := make(map[int]bool, len(out))
	var again []int
	for i := range out {
		if id := out[i].ID; id <= 0 || taken[id] {
			again = append(again, i)
		} else {
			taken[id] = true
			e.visit.NextEntry = max(e.visit.NextEntry, id)
		}
	}
	for _, i := range again {
		e.visit.NextEntry++
		out[i].ID = e.visit.NextEntry
		ours = true
	}
	retireAnswered(out)
	e.moveRenumbered(out, from, m)
	for i := range out {
		en := out[i]
		switch j := from[i]; {
		case j < 0:
			e.emit(Effect{Kind: EffectShow, TriggerID: en.TriggerID, Entry: en})
		case m[j].ID == en.ID && (len(m[j].Suggestions) != len(en.Suggestions) || m[j].Submitted != en.Submitted || m[j].Retired != en.Retired || m[j].At != en.At):
			e.emit(Effect{Kind: EffectUpdate, TriggerID: en.TriggerID, Entry: en})
		}
	}
	e.visit.Transcript = out
	for len(e.visit.Transcript) > MaxTranscript {
		dropOldest(&e.visit)
	}
	return ours
}

// moveRenumbered tells the renderer about lines shown here whose id
// changed (EffectUpdate with OldID), before any line is shown under a freed
// id. When a new id is one another line here still has (the other tab
// renumbered first), the lines move through temporary negative ids, so
// that no two lines ever share an id on screen.
func (e *Engine) moveRenumbered(out []Entry, from []int, m []Entry) {
	var moved []int
	shown := make(map[int]bool, len(m))
	for j := range m {
		shown[m[j].ID] = true
	}
	clash := false
	for i := range out {
		if j := from[i]; j >= 0 && m[j].ID != out[i].ID {
			moved = append(moved, i)
			clash = clash || shown[out[i].ID]
		}
	}
	for k, i := range moved {
		en, old := out[i], m[from[i]].ID
		if clash {
			tmp := en
			tmp.ID = -(k + 1)
			e.emit(Effect{Kind: EffectUpdate, TriggerID: en.TriggerID, Entry: tmp, OldID: old})
			continue
		}
		e.emit(Effect{Kind: EffectUpdate, TriggerID: en.TriggerID, Entry: en, OldID: old})
	}
	if clash {
		for k, i := range moved {
			e.emit(Effect{Kind: EffectUpdate, TriggerID: out[i].TriggerID, Entry: out[i], OldID: -(k + 1)})
		}
	}
}

// mergeVisitor merges s, the visitor record another tab stored, into this
// engine's; b is the stored record as this engine last saw it.
func (e *Engine) mergeVisitor(b, s *VisitorState) (ours bool) {
	m := &e.visitor
	if s.Visits > m.Visits {
		m.Visits = s.Visits
	} else if m.Visits > s.Visits {
		ours = true
	}
	var o [2]bool
	m.FiredOnce, o[0] = unionMin(m.FiredOnce, s.FiredOnce)
	m.Attrs, o[1] = merge3(m.Attrs, b.Attrs, s.Attrs)
	if equalStrings(m.Tags, b.Tags) {
		m.Tags = s.Tags
	} else if !equalStrings(m.Tags, s.Tags) {
		ours = true
	}
	e.visitorChanged()
	return ours || o[0] || o[1]
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
