//go:build js && wasm

package wasm

import (
	"github.com/triggerwidget/triggerwidget/widget"
)

// The leave-a-message form (uxMarkup) shows in place of the message input
// while the status is not online: nobody would answer a chat message then,
// so none can be sent. Its submit goes to the host (offlineMessage)
// through the engine (LeaveMessage).

// sendOffline hands the form's fields to the engine and, once accepted,
// thanks the visitor in its place.
func (u *ui) sendOffline() {
	d := &u.d
	if !u.rt.filled(u.offlineForm) {
		return
	}
	els := prop(u.offlineForm, "elements")
	field := func(name string) string { return jsString(prop(prop(els, name), "value")) }
	if err := u.rt.engine.LeaveMessage(field("name"), field("email"), field("message")); err != nil {
		u.rt.reportError(widget.ErrForm, err.Error(), "")
		return
	}
	d.hidden(u.offlineForm, true)
	d.hidden(u.offlineSent, false)
	d.call(u.offlineSent, "focus")
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
