package widget

import (
	"strings"
)

// Limits on what the host page may store about the visitor.
const (
	MaxTags         = 50
	MaxTagLen       = 50
	MaxAttrs        = 50
	MaxAttrKeyLen   = 64
	MaxAttrValueLen = 500
	MaxEventNameLen = 64
)

// SetAttributes merges host-page attributes into the visitor (an empty value
// removes the key). Keys are case-insensitive. They persist for good and feed
// the visitor.attr.*, visitor.name and visitor.email conditions.
func (e *Engine) SetAttributes(attrs map[string]string) error {
	for k, v := range attrs {
		switch {
		case strings.TrimSpace(k) == "" || len(k) > MaxAttrKeyLen:
			return errorString("attribute names must be 1 to " + itoa(MaxAttrKeyLen) + " bytes, got " + quote(k))
		case runeCount(v) > MaxAttrValueLen:
			return errorString("attribute " + quote(k) + " is longer than " + itoa(MaxAttrValueLen) + " characters")
		}
	}
	var err error
	e.do(true, func(int64) { err = e.setAttrs(attrs, "") })
	return err
}

// setAttrs merges attrs into the visitor and reports the keys that changed
// (by is the trigger whose action did it, or "").
func (e *Engine) setAttrs(attrs map[string]string, by string) error {
	next := make(map[string]string, len(e.visitor.Attrs)+len(attrs))
	for k, v := range e.visitor.Attrs {
		next[k] = v
	}
	changed := map[string]string{}
	for k, v := range attrs {
		k = strings.ToLower(strings.TrimSpace(k))
		if v == "" {
			delete(next, k)
		} else {
			next[k] = v
		}
		if old, had := e.visitor.Attrs[k]; old != v || had != (v != "") {
			changed[k] = v
		}
	}
	if len(next) > MaxAttrs {
		return errorString("a visitor has at most " + itoa(MaxAttrs) + " attributes")
	}
	e.visitor.Attrs = next
	e.visitorChanged()
	if len(changed) > 0 {
		e.emit(Effect{Kind: EffectAttributes, TriggerID: by, Attrs: changed})
	}
	return nil
}

// AddTags adds tags to the visitor (case-insensitive, kept once each).
func (e *Engine) AddTags(tags []string) error {
	for _, t := range tags {
		if t = strings.TrimSpace(t); t == "" || runeCount(t) > MaxTagLen {
			return errorString("tags must be 1 to " + itoa(MaxTagLen) + " characters, got " + quote(t))
		}
	}
	var err error
	e.do(true, func(int64) { err = e.addTags(tags, "") })
	return err
}

// addTags adds tags the visitor does not have yet and reports them (by is
// the trigger whose action did it, or "").
func (e *Engine) addTags(tags []string, by string) error {
	next := append([]string(nil), e.visitor.Tags...)
	var added []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" && !hasFold(next, t) {
			next = append(next, t)
			added = append(added, t)
		}
	}
	if len(next) > MaxTags {
		return errorString("a visitor has at most " + itoa(MaxTags) + " tags")
	}
	if len(added) == 0 {
		return nil
	}
	e.visitor.Tags = next
	e.visitorChanged()
	e.emit(Effect{Kind: EffectTags, TriggerID: by, Tags: append([]string{}, next...), Added: added})
	return nil
}

// RemoveTags removes tags from the visitor; unknown tags are ignored.
func (e *Engine) RemoveTags(tags []string) {
	e.do(true, func(int64) { e.removeTags(tags, "") })
}

func (e *Engine) removeTags(tags []string, by string) {
	kept := e.visitor.Tags[:0:0]
	var removed []string
	for _, t := range e.visitor.Tags {
		if hasFold(tags, t) {
			removed = append(removed, t)
		} else {
			kept = append(kept, t)
		}
	}
	if len(removed) == 0 {
		return
	}
	e.visitor.Tags = kept
	e.visitorChanged()
	e.emit(Effect{Kind: EffectTags, TriggerID: by, Tags: append([]string{}, kept...), Removed: removed})
}

// visitorChanged refreshes the lower-cased copies conditions read.
func (e *Engine) visitorChanged() {
	e.tagsLower = e.tagsLower[:0]
	for _, t := range e.visitor.Tags {
		e.tagsLower = append(e.tagsLower, strings.ToLower(t))
	}
	e.attrsLower = make(map[string][2]string, len(e.visitor.Attrs))
	for k, v := range e.visitor.Attrs {
		e.attrsLower[strings.ToLower(k)] = [2]string{v, strings.ToLower(v)}
	}
}

// CustomEvent records a host-page event (addEvent): advanced triggers on
// custom_event see it, with its name as event.name.
func (e *Engine) CustomEvent(name string) error {
	if name = strings.TrimSpace(name); name == "" || len(name) > MaxEventNameLen {
		return errorString("event names must be 1 to " + itoa(MaxEventNameLen) + " bytes, got " + quote(name))
	}
	e.do(true, func(now int64) { e.onEvent(EventCustom, name, now) })
	return nil
}

// Resume re-arms the current page's triggers and timers without counting a
// page view, after the trigger set was reloaded.
func (e *Engine) Resume() {
	e.do(false, func(now int64) {
		if e.visit.PageViews > 0 {
			e.armForPage(now)
		}
	})
}

func hasFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(s)) {
			return true
		}
	}
	return false
}

// Limits on a form submission.
const (
	MaxFormValueLen = 2000
)

// SubmitForm records the visitor's submission of the form in transcript
// entry entryID: the entry is marked submitted (its form is not shown again),
// a thank-you line is added, and fields named name and email also become the
// visitor's name and email. It returns the trigger id of the entry.
func (e *Engine) SubmitForm(entryID int, fields map[string]string) (string, error) {
	for k, v := range fields {
		if runeCount(v) > MaxFormValueLen {
			return "", errorString("form field " + quote(k) + " is longer than " + itoa(MaxFormValueLen) + " characters")
		}
	}
	// Unlike a suggestion button, a form is checked after the event has
	// counted as activity: a form left open past the end of the visit
	// belongs to a transcript that is gone, and is refused.
	var sent Entry
	var err error
	e.do(true, func(now int64) {
		en := e.entry(entryID)
		switch {
		case en == nil:
			err = errorString("no message " + itoa(entryID) + " in the transcript")
			return
		case en.Submitted:
			err = errorString("the form of message " + itoa(entryID) + " was already sent")
			return
		}
		form := formOf(en)
		if form == nil {
			err = errorString("message " + itoa(entryID) + " has no form")
			return
		}
		for _, f := range form.Fields {
			if f.Required && strings.TrimSpace(fields[f.Name]) == "" {
				err = errorString("form field " + quote(f.Name) + " is required")
				return
			}
		}
		en.Submitted = true
		sent = *en
		e.emit(Effect{Kind: EffectUpdate, TriggerID: sent.TriggerID, Entry: sent})
		e.emit(Effect{Kind: EffectForm, TriggerID: sent.TriggerID, Entry: sent, Attrs: fields})
		attrs := map[string]string{}
		for _, k := range []string{"name", "email"} {
			if v := strings.TrimSpace(fields[k]); v != "" {
				attrs[k] = v
			}
		}
		if len(attrs) > 0 {
			_ = e.setAttrs(attrs, "")
		}
		e.emit(Effect{Kind: EffectShow, Entry: e.addEntry(Entry{Kind: EntrySystem, At: now, Text: "Thank you! We received your details."})})
	})
	if err != nil {
		return "", err
	}
	return sent.TriggerID, nil
}

// formOf returns the form attachment of an entry, or nil.
func formOf(en *Entry) *Attachment {
	for i := range en.Attachments {
		if en.Attachments[i].Kind == AttachForm {
			return &en.Attachments[i]
		}
	}
	return nil
}
