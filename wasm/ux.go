//go:build js && wasm

package wasm

import (
	"strings"

	"github.com/hack-pad/safejs"

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

	previewID      int    // the entry on the preview card, 0 for none
	previewTrigger string // its trigger

	offline     bool
	offlineBox  safejs.Value
	offlineForm safejs.Value
	offlineSent safejs.Value
	composer    safejs.Value

	timer   widget.Timer // the next refresh of the message times
	units   safejs.Value // widget.TimeUnits for the loader's times
	unitsOK bool
}

// uxMarkup is the panel's parts that come and go, built by the loader in
// one call like the fixed markup (ui.go): the phone's close button, the
// typing line, the new-message pill and the leave-a-message form with its
// thank-you line. A number is a phrase (widget.Phrase): the loader puts
// the phrase in the widget's language in its place.
const uxMarkup = `["div",{},
 ["button",{"type":"button","class":"icon x","data-part":"close","aria-label":4},"\u00d7"],
 ["div",{"class":"typing","data-part":"typing","role":"status","hidden":""},
  ["span",{"class":"dots","aria-hidden":"true"},["i",{}],["i",{}],["i",{}]],["span",{"data-part":"typing-text"}]],
 ["button",{"type":"button","class":"pill","data-part":"new-message","hidden":""},14],
 ["div",{"class":"offline","data-part":"offline","hidden":""},["strong",{},17],["p",{},18],
  ["form",{"data-part":"offline-form"},
   ["label",{},["span",{},19],["input",{"name":"name","type":"text","autocomplete":"name","maxlength":"500"}]],
   ["label",{},["span",{},20],["input",{"name":"email","type":"email","autocomplete":"email","required":"","maxlength":"500"}]],
   ["label",{},["span",{},21],["textarea",{"name":"message","rows":"3","required":"","maxlength":"5000"}]],
   ["button",{"type":"submit"},22]],
  ["p",{"class":"form-done","data-part":"offline-sent","role":"status","tabindex":"-1","hidden":""},23]]]`

// wordsJS is the widget's phrases as a JS array, for the loader's build.
func (u *ui) wordsJS() safejs.Value {
	words := make([]any, len(u.words))
	for i, w := range u.words {
		words[i] = w
	}
	array, _ := safejs.Global().Get("Array")
	v, _ := array.Call("of", words...)
	return v
}

// buildUX adds the parts of the panel that come and go (uxMarkup) among
// fixed, the fixed markup's parts, with their behaviour.
func (u *ui) buildUX(fixed safejs.Value) {
	rt := u.rt
	parts, err := rt.boot.Call("build", uxMarkup, u.wordsJS())
	if err != nil {
		return
	}
	u.follow, _ = rt.boot.Call("comforts", parts, fixed, u.shadow, rt.imageURL(""))
	u.composer = prop(fixed, "composer")
	u.close, u.typing, u.typingText = prop(parts, "close"), prop(parts, "typing"), prop(parts, "typing-text")
	u.offlineBox, u.offlineForm, u.offlineSent = prop(parts, "offline"), prop(parts, "offline-form"), prop(parts, "offline-sent")
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
// fills the screen and the stylesheet shows the × close button.
func (u *ui) phone() bool {
	// A short window shows the × too (full screen at 200 % zoom on a
	// laptop), where typing at once is what the visitor expects: only the
	// phone's width counts.
	if prop(u.close, "offsetParent").IsNull() {
		return false
	}
	mq, err := safejs.Global().Call("matchMedia", "(max-width: 480px)")
	if err != nil {
		return true
	}
	narrow, _ := prop(mq, "matches").Truthy()
	return narrow
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
