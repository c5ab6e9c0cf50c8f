//go:build js && wasm

package wasm

import (
	"strings"

	"github.com/hack-pad/safejs"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
	"github.com/triggerwidget/triggerwidget/widget"
)

// uxState is what the widget keeps for the visitor's comfort: the
// transcript following the newest message, the typing indicator, the
// offline form, the messages' times.
type uxState struct {
	// follow(own) keeps the transcript at its newest line (the loader's
	// boot.follow), or shows the new-message pill to a visitor who
	// scrolled up.
	follow     safejs.Value
	typing     safejs.Value // the typing line, and its text
	typingText safejs.Value
	close      safejs.Value // the full-screen panel's close button (phones)
	phoneMQ    safejs.Value // matchMedia(phoneQuery)

	previewID      int    // the entry on the preview card, 0 for none
	previewTrigger string // its trigger

	offline     bool
	offlineBox  safejs.Value
	offlineForm safejs.Value
	offlineSent safejs.Value
	composer    safejs.Value

	times []timeRef
	timer widget.Timer
}

// phoneQuery is the width up to which the open panel fills the screen
// (widget.css has the same figure).
const phoneQuery = "(max-width: 480px)"

// jsonText is s as a JSON string, for markup built with the loader.
func jsonText(s string) string {
	var w jwriter.Writer
	w.String(s)
	b, _ := w.BuildBytes()
	return string(b)
}

// uxMarkup is the panel's parts that come and go, built by the loader in
// one call like the fixed markup (ui.go): the phone's close button, the
// typing line, the new-message pill and the leave-a-message form with its
// thank-you line. Its only texts are the widget's own phrases.
func (u *ui) uxMarkup() string {
	t := func(p widget.Phrase) string { return jsonText(u.tr(p)) }
	field := func(name string, label widget.Phrase, input string) string {
		return `["label",{},["span",{},` + t(label) + `],` + input + `]`
	}
	return `["div",{},` +
		`["button",{"type":"button","class":"icon x","data-part":"close","aria-label":` + t(widget.PhraseCloseChat) + `},"\u00d7"],` +
		`["div",{"class":"typing","data-part":"typing","role":"status","hidden":""},["span",{"class":"dots","aria-hidden":"true"},["i",{}],["i",{}],["i",{}]],["span",{"data-part":"typing-text"}]],` +
		`["button",{"type":"button","class":"pill","data-part":"new-message","hidden":""},` + t(widget.PhraseNewMessage) + `],` +
		`["div",{"class":"offline","data-part":"offline","hidden":""},["strong",{},` + t(widget.PhraseOfflineTitle) + `],["p",{},` + t(widget.PhraseOfflineIntro) + `],` +
		`["form",{"data-part":"offline-form"},` +
		field("name", widget.PhraseName, `["input",{"name":"name","type":"text","autocomplete":"name","maxlength":"500"}]`) + `,` +
		field("email", widget.PhraseEmail, `["input",{"name":"email","type":"email","autocomplete":"email","required":"","maxlength":"500"}]`) + `,` +
		field("message", widget.PhraseMessage, `["textarea",{"name":"message","rows":"3","required":"","maxlength":"5000"}]`) + `,` +
		`["button",{"type":"submit"},` + t(widget.PhraseSendMessage) + `]],` +
		`["p",{"class":"form-done","data-part":"offline-sent","role":"status","tabindex":"-1","hidden":""},` + t(widget.PhraseOfflineThanks) + `]]]`
}

// buildUX adds the parts of the panel that come and go and their
// listeners. minimize is the header's minimize button, composer the
// message form.
func (u *ui) buildUX(minimize, composer safejs.Value) {
	d, rt := &u.d, u.rt
	u.composer = composer
	parts, err := rt.boot.Call("build", u.uxMarkup())
	if err != nil {
		return
	}
	u.close, u.typing, u.typingText = prop(parts, "close"), prop(parts, "typing"), prop(parts, "typing-text")
	pill := prop(parts, "new-message")
	u.offlineBox = prop(parts, "offline")
	u.offlineForm, u.offlineSent = prop(parts, "offline-form"), prop(parts, "offline-sent")
	d.call(minimize, "before", u.close)
	d.call(composer, "before", u.typing, pill, u.offlineBox)
	u.follow = d.call(rt.boot, "follow", u.log, pill)
	d.call(rt.boot, "images", u.shadow, rt.imageURL(""))
	if mm, err := safejs.Global().Get("matchMedia"); err == nil {
		u.phoneMQ, _ = mm.Invoke(phoneQuery)
	}
	rt.listen(u.close, "click", func(safejs.Value) {
		rt.engine.SetMaximized(false)
		_, _ = u.launcher.Call("focus")
	})
	rt.listen(u.offlineForm, "submit", func(ev safejs.Value) {
		_, _ = ev.Call("preventDefault")
		u.sendOffline()
	})
}

// phone reports whether the screen is a phone's, where the open panel
// fills it.
func (u *ui) phone() bool {
	ok, _ := prop(u.phoneMQ, "matches").Truthy()
	return ok
}

// keyboardClick reports whether a click came from the keyboard (Enter or
// Space on a button), which has no pointer position (detail 0).
func keyboardClick(ev safejs.Value) bool {
	n, err := prop(ev, "detail").Int()
	return err == nil && n == 0
}

// keepFocus moves focus into the open panel after the visitor's own
// action: to the input, except on a phone touched with a finger, where the
// keyboard would pop up over the conversation (the close button takes it
// there), and while offline, where the input is hidden (the transcript
// takes it).
func (u *ui) keepFocus(keyboard bool) {
	el := u.input
	switch {
	case !u.open:
		return
	case u.offline:
		el = u.log
	case !keyboard && u.phone():
		el = u.close
	}
	_, _ = el.Call("focus")
}

// setTyping shows or hides "NAME is typing…".
func (u *ui) setTyping(on bool, name string) {
	text := u.tr(widget.PhraseSomeoneTyping)
	if before, after, ok := strings.Cut(u.tr(widget.PhraseTyping), "{name}"); ok && name != "" {
		text = before + name + after
	}
	u.d.text(u.typingText, text)
	u.d.hidden(u.typing, !on)
	_ = u.d.reset()
}

// chime plays a short tone (the loader's, made with WebAudio: no sound
// file) for a new message while the panel is closed, when the trigger set
// asks for it (widget.sound).
func (u *ui) chime() {
	if u.rt.set != nil && u.rt.set.Widget.Sound {
		_, _ = u.rt.boot.Call("chime")
	}
}
