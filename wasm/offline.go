//go:build js && wasm

package wasm

import (
	"strconv"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// buildOffline makes the leave-a-message form shown in place of the
// message input while the status is not online: nobody would answer a
// chat message then, so none can be sent. Its submit goes to the host
// (offlineMessage) through the engine (LeaveMessage).
func (u *ui) buildOffline() {
	d := &u.d
	u.offlineBox = d.el("div", "class", "offline", "data-part", "offline", "hidden", "")
	title := d.el("strong")
	d.text(title, u.tr(widget.PhraseOfflineTitle))
	intro := d.el("p")
	d.text(intro, u.tr(widget.PhraseOfflineIntro))
	u.offlineForm = d.el("form", "data-part", "offline-form")
	for _, f := range []struct {
		name, typ, auto string
		label           widget.Phrase
	}{
		{"name", "text", "name", widget.PhraseName},
		{"email", "email", "email", widget.PhraseEmail},
		{"message", "", "off", widget.PhraseMessage},
	} {
		label := d.el("label")
		caption := d.el("span")
		d.text(caption, u.tr(f.label))
		input := d.el("textarea", "name", f.name, "rows", "3", "required", "", "maxlength", strconv.Itoa(widget.MaxVisitorMessageLen))
		if f.typ != "" {
			input = d.el("input", "name", f.name, "type", f.typ, "autocomplete", f.auto, "maxlength", strconv.Itoa(widget.MaxAttrValueLen))
			if f.name == "email" {
				d.attr(input, "required", "")
			}
		}
		d.append(label, caption, input)
		d.append(u.offlineForm, label)
	}
	submit := d.el("button", "type", "submit")
	d.text(submit, u.tr(widget.PhraseSendMessage))
	d.append(u.offlineForm, submit)
	d.append(u.offlineBox, title, intro, u.offlineForm)
	u.rt.listen(u.offlineForm, "submit", func(ev safejs.Value) {
		_, _ = ev.Call("preventDefault")
		u.sendOffline()
	})
}

// sendOffline hands the form's fields to the engine and, once accepted,
// thanks the visitor in its place.
func (u *ui) sendOffline() {
	d := &u.d
	field := func(name string) string {
		return jsString(prop(d.call(u.offlineForm, "querySelector", "[name="+name+"]"), "value"))
	}
	name, email, text := field("name"), field("email"), field("message")
	if err := d.reset(); err != nil {
		return
	}
	if err := u.rt.engine.LeaveMessage(name, email, text); err != nil {
		u.rt.reportError(widget.ErrForm, err.Error(), "")
		return
	}
	sent := d.el("p", "class", "form-done", "data-part", "offline-sent", "role", "status", "tabindex", "-1")
	d.text(sent, u.tr(widget.PhraseOfflineThanks))
	d.call(u.offlineForm, "replaceWith", sent)
	d.call(sent, "focus")
	_ = d.reset()
}

// setOffline shows the offline form instead of the message input while
// the status is not online.
func (u *ui) setOffline(off bool) {
	d := &u.d
	u.offline = off
	d.hidden(u.offlineBox, !off)
	d.hidden(u.composer, off)
	if off {
		d.attr(u.panel, "data-offline", "")
	} else {
		d.removeAttr(u.panel, "data-offline")
	}
}
