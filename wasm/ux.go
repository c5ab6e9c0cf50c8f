//go:build js && wasm

package wasm

import (
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// uxState is what the widget keeps for the visitor's comfort: the
// transcript following the newest message, the typing indicator, the
// offline form, the messages' times and the sound.
type uxState struct {
	pill    safejs.Value // "New message", for a visitor who scrolled up
	typing  safejs.Value // "Maya is typing…"
	close   safejs.Value // the full-screen panel's close button (phones)
	phoneMQ safejs.Value // matchMedia(phoneQuery)
	// stick: the transcript shows its end, so new lines and images that
	// load keep it there. Only the visitor's scrolling clears it.
	stick bool

	previewID      int    // the entry on the preview card, 0 for none
	previewTrigger string // its trigger

	offline     bool
	offlineBox  safejs.Value
	offlineForm safejs.Value
	composer    safejs.Value

	times timesState
	audio safejs.Value // the AudioContext, made on the first chime
}

// phoneQuery is the width up to which the open panel fills the screen
// (widget.css has the same figure).
const phoneQuery = "(max-width: 480px)"

// buildUX adds the parts of the panel that come and go (the new-message
// pill, the typing line, the phone's close button, the offline form) and
// their listeners. minimize is the header's minimize button, composer the
// message form.
func (u *ui) buildUX(minimize, composer safejs.Value) {
	d, rt := &u.d, u.rt
	u.stick = true
	u.composer = composer
	u.pill = d.el("button", "type", "button", "class", "pill", "data-part", "new-message", "hidden", "")
	d.text(u.pill, u.tr(widget.PhraseNewMessage))
	u.typing = d.el("div", "class", "typing", "data-part", "typing", "role", "status", "hidden", "")
	u.close = d.el("button", "type", "button", "class", "icon x", "data-part", "close", "aria-label", u.tr(widget.PhraseCloseChat))
	d.text(u.close, "\u00D7")
	d.call(d.get(minimize, "parentNode"), "insertBefore", u.close, minimize)
	u.buildOffline()
	for _, el := range []safejs.Value{u.typing, u.pill, u.offlineBox} {
		d.call(u.panel, "insertBefore", el, composer)
	}
	if mm, err := safejs.Global().Get("matchMedia"); err == nil && mm.Type() == safejs.TypeFunction {
		u.phoneMQ, _ = mm.Invoke(phoneQuery)
	}

	rt.listen(u.close, "click", func(safejs.Value) {
		rt.engine.SetMaximized(false)
		_, _ = u.launcher.Call("focus")
	})
	rt.listen(u.pill, "click", func(safejs.Value) {
		u.scrollToEnd()
		_, _ = u.log.Call("focus", mustObject())
	})
	rt.listen(u.log, "scroll", func(safejs.Value) {
		top, _ := prop(u.log, "scrollTop").Float()
		h, _ := prop(u.log, "scrollHeight").Float()
		c, _ := prop(u.log, "clientHeight").Float()
		if u.stick = h-top-c < 24; u.stick {
			u.d.hidden(u.pill, true)
		}
	})
	// Images load after their message is in place and make it taller:
	// a transcript that showed its end shows it again. (load and error
	// do not bubble: they are caught on the way down.)
	rt.listenCapture(u.log, "load", func(safejs.Value) {
		if u.open && u.stick {
			u.scrollToEnd()
		}
	})
	rt.listenCapture(u.shadow, "error", func(ev safejs.Value) { u.brokenImage(prop(ev, "target")) })
}

// follow keeps the newest message in view when the transcript showed its
// end (or the visitor sent it); a visitor who scrolled up to read stays
// where they are and sees the new-message pill.
func (u *ui) follow(own bool) {
	if own || u.stick {
		u.scrollToEnd()
		return
	}
	u.d.hidden(u.pill, false)
}

// brokenImage replaces an image that failed to load: an agent's picture by
// the standard avatar, an attachment's by its alt text.
func (u *ui) brokenImage(img safejs.Value) {
	d := &u.d
	defer d.reset()
	if jsString(prop(img, "tagName")) != "IMG" {
		return
	}
	if jsString(d.call(img, "getAttribute", "data-part")) == "agent-image" {
		if jsString(d.call(img, "getAttribute", "data-fallback")) == "" {
			d.attr(img, "data-fallback", "")
			d.attr(img, "src", u.rt.imageURL(""))
		}
		return
	}
	if box := d.call(img, "closest", "[data-part=attachment]"); d.err == nil && !box.IsNull() {
		alt := d.el("span", "class", "alt", "data-part", "image-alt")
		src := jsString(d.call(img, "getAttribute", "src"))
		d.text(alt, firstNonEmpty(jsString(d.call(img, "getAttribute", "alt")), src[strings.LastIndexByte(src, '/')+1:]))
		d.call(img, "replaceWith", alt)
	}
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
	switch {
	case !u.open:
	case u.offline:
		_, _ = u.log.Call("focus", mustObject())
	case keyboard || !u.phone():
		_, _ = u.input.Call("focus")
	default:
		_, _ = u.close.Call("focus")
	}
}

// setTyping shows or hides "NAME is typing…".
func (u *ui) setTyping(on bool, name string) {
	d := &u.d
	text := u.tr(widget.PhraseSomeoneTyping)
	if name != "" {
		text = strings.ReplaceAll(u.tr(widget.PhraseTyping), "{name}", name)
	}
	d.call(u.typing, "replaceChildren")
	if on {
		dots := d.el("span", "class", "dots", "aria-hidden", "true")
		d.append(dots, d.el("i"), d.el("i"), d.el("i"))
		label := d.el("span")
		d.text(label, text)
		d.append(u.typing, dots, label)
	}
	d.hidden(u.typing, !on)
	_ = d.reset()
}

// chime plays a short tone for a new message while the panel is closed,
// when the trigger set asks for it (widget.sound). The tone is made with
// WebAudio: no sound file to download. A browser that refuses (no
// WebAudio, or no sound before the visitor has touched the page) stays
// silent.
func (u *ui) chime() {
	if u.rt.set == nil || !u.rt.set.Widget.Sound {
		return
	}
	if u.audio.Type() != safejs.TypeObject {
		ctor, err := safejs.Global().Get("AudioContext")
		if err != nil || ctor.Type() != safejs.TypeFunction {
			return
		}
		if u.audio, err = ctor.New(); err != nil {
			return
		}
	}
	ac := u.audio
	d := &u.d
	defer d.reset()
	osc := d.call(ac, "createOscillator")
	gain := d.call(ac, "createGain")
	t, _ := d.get(ac, "currentTime").Float()
	d.set(d.get(osc, "frequency"), "value", 880)
	g := d.get(gain, "gain")
	d.call(g, "setValueAtTime", 0.0001, t)
	d.call(g, "exponentialRampToValueAtTime", 0.15, t+0.02)
	d.call(g, "exponentialRampToValueAtTime", 0.0001, t+0.3)
	d.call(osc, "connect", gain)
	d.call(gain, "connect", d.get(ac, "destination"))
	d.call(osc, "start", t)
	d.call(osc, "stop", t+0.35)
}
