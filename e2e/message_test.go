//go:build !js

package e2e

import (
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shortcutSet is a set whose page trigger sends a shortcut with one
// attachment of each kind (docs/format.md).
func shortcutSet(prop string) string {
	return `{"version": 1, "property": ` + jsString(prop) + `,
	"triggers": [{"id": "prices", "name": "Prices", "type": "site", "delay": 0,
		"message": {"shortcut": "price-list"}, "agent": {"name": "Maya"}}],
	"shortcuts": [{"id": "price-list", "text": "Here is our price list:", "attachments": [
		{"kind": "file", "url": "prices.pdf", "name": "prices.pdf", "size": 183000},
		{"kind": "image", "url": "avatars/robot.svg", "alt": "Plans"},
		{"kind": "link", "url": "https://example.com/compare", "title": "Compare plans"},
		{"kind": "form", "submit": "Send", "fields": [{"name": "email", "label": "Email", "type": "email", "required": true}]}
	]}]}`
}

// shortcutTab is a tab on a page showing shortcutSet's "prices" message.
func shortcutTab(t *testing.T) *tab {
	t.Helper()
	tb := newTab(t)
	env.world.publish(t, tb.prop, shortcutSet(tb.prop))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("prices")
	return tb
}

// A shortcut's text and attachments are shown; the link card is the
// one place a URL becomes a link; relative URLs resolve against the set.
func TestShortcut_Attachments(t *testing.T) {
	t.Parallel()
	tb := shortcutTab(t)
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Fatalf("the shortcut set was not accepted: %+v", errs)
	}
	var got struct {
		Text, FileText, FileHref, ImageSrc, ImageAlt, LinkHref, LinkText, LinkRel string
		Kinds                                                                     []string
		FormFields                                                                []string
	}
	tb.eval(`(() => {
		const m = `+shadowQ(msgSel("prices"))+`;
		const a = k => m.querySelector('[data-part=attachment][data-kind=' + k + ']');
		return {
			Text: m.querySelector('[data-part=text]')?.textContent,
			Kinds: [...m.querySelectorAll('[data-part=attachment]')].map(e => e.getAttribute('data-kind')),
			FileText: a('file')?.textContent, FileHref: a('file')?.querySelector('a')?.href,
			ImageSrc: a('image')?.querySelector('img')?.src, ImageAlt: a('image')?.querySelector('img')?.alt,
			LinkHref: a('link')?.querySelector('a')?.href, LinkText: a('link')?.textContent, LinkRel: a('link')?.querySelector('a')?.rel,
			FormFields: [...(a('form')?.querySelectorAll('input, textarea') ?? [])].map(e => e.name),
		};
	})()`, &got)
	base := env.world.a.URL + "/p/" + tb.prop + "/"
	if got.Text != "Here is our price list:" {
		t.Errorf("text = %q", got.Text)
	}
	if want := []string{"file", "image", "link", "form"}; !slices.Equal(got.Kinds, want) {
		t.Errorf("attachments = %q, want %q", got.Kinds, want)
	}
	if got.FileHref != base+"prices.pdf" || !containsAll(got.FileText, "prices.pdf", "183 kB") {
		t.Errorf("file attachment: href %q, text %q; want %sprices.pdf with its name and size", got.FileHref, got.FileText, base)
	}
	if got.ImageSrc != base+"avatars/robot.svg" || got.ImageAlt != "Plans" {
		t.Errorf("image attachment: src %q alt %q", got.ImageSrc, got.ImageAlt)
	}
	if got.LinkHref != "https://example.com/compare" || got.LinkText != "Compare plans" || !strings.Contains(got.LinkRel, "noopener") {
		t.Errorf("link attachment: href %q text %q rel %q", got.LinkHref, got.LinkText, got.LinkRel)
	}
	if len(got.FormFields) != 1 || got.FormFields[0] != "email" {
		t.Errorf("form fields = %q, want [email]", got.FormFields)
	}
	tb.assertNoUncaught()
}

// A shortcut form's submit is an event for the host
// (formSubmitted {triggerId, entryId, fields}).
func TestShortcut_FormSubmitted(t *testing.T) {
	t.Parallel()
	tb := shortcutTab(t)
	tb.click("[data-part=launcher]")
	form := msgSel("prices") + " [data-part=attachment][data-kind=form]"
	tb.click(form + " input[name=email]")
	tb.typeInto(form+" input[name=email]", "visitor@example.com")
	tb.click(form + " button[type=submit]")
	tb.poll("formSubmitted or error", `__events.some(e => e.name === 'formSubmitted' || e.name === 'error')`)
	fs := tb.events("formSubmitted")
	if len(fs) != 1 {
		t.Fatalf("formSubmitted emitted %d times, want 1; error events: %+v", len(fs), tb.errorEvents())
	}
	var got struct {
		TriggerID string            `json:"triggerId"`
		EntryID   int               `json:"entryId"`
		Fields    map[string]string `json:"fields"`
	}
	fs[0].decode(t, &got)
	if got.TriggerID != "prices" || got.EntryID == 0 || got.Fields["email"] != "visitor@example.com" {
		t.Errorf("formSubmitted = %s", fs[0].Data)
	}
	tb.assertNoUncaught()
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// A file's size is worded in the widget's language with the browser's
// units, isolated from the file name's direction.
func TestShortcut_FileSizeInTheWidgetsLanguage(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	set := strings.Replace(shortcutSet(tb.prop), `"triggers":`, `"widget": {"language": "fr"}, "triggers":`, 1)
	env.world.publish(t, tb.prop, set)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("prices")
	var size struct{ Tag, Text string }
	tb.eval(`(() => { const s = `+shadowQ(msgSel("prices")+" .file-size")+`; return {Tag: s.tagName, Text: s.textContent}; })()`, &size)
	if size.Tag != "BDI" || !strings.Contains(size.Text, "183") || !strings.Contains(size.Text, "ko") {
		t.Errorf("the file size is <%s>%q</…>, want a bdi saying 183 ko", size.Tag, size.Text)
	}
	tb.assertNoUncaught()
}

// A line renumbered after another tab took its id keeps its form element
// (it changes in place), and that form still submits as the line it now
// is.
func TestShortcut_FormOfARenumberedLine(t *testing.T) {
	t.Parallel()
	tb := shortcutTab(t)
	tb.open()
	var before string
	tb.eval(shadowQ(msgSel("prices"))+`.getAttribute('data-entry-id')`, &before)
	// Another tab of the visitor, on a page without the widget, stores a
	// line of its own under the same id, a moment earlier.
	env.world.serve(t, tb.dir()+"/plain", "text/html; charset=utf-8", "<!doctype html><title>plain</title><p>plain")
	s := tb.sibling()
	s.navigate(tb.dir() + "/plain")
	s.exec(`(() => { const k = 'triggerwidget:` + tb.prop + `:visit'; const v = JSON.parse(localStorage.getItem(k));
		const tr = v.transcript; const i = tr.findIndex(l => l.triggerId === 'prices'); const line = tr[i];
		tr.splice(i, 1); tr.unshift({id: line.id, kind: 'visitor', at: line.at - 1, text: 'hi from another tab'});
		localStorage.setItem(k, JSON.stringify(v)); })()`)
	tb.poll("the renumbered line", shadowQ(msgSel("prices"))+`.getAttribute('data-entry-id') !== `+jsString(before))
	form := msgSel("prices") + " form "
	tb.click(form + "input[name=email]")
	tb.typeInto(form+"input[name=email]", "ann@example.com")
	tb.click(form + "button[type=submit]")
	tb.poll("formSubmitted", `__events.some(e => e.name === 'formSubmitted')`)
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Errorf("error events: %+v", errs)
	}
	var got struct {
		EntryID int `json:"entryId"`
	}
	tb.events("formSubmitted")[0].decode(t, &got)
	var now string
	tb.eval(shadowQ(msgSel("prices"))+`.getAttribute('data-entry-id')`, &now)
	if strconv.Itoa(got.EntryID) != now {
		t.Errorf("formSubmitted names entry %d, the line is now %s", got.EntryID, now)
	}
	tb.assertNoUncaught()
}
