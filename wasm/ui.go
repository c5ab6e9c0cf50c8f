//go:build js && wasm

package wasm

import (
	"math"
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// ui is the widget's DOM: one host element, #triggerwidget-root, whose open
// shadow root holds the launcher, the preview card and the panel. Every
// string from the trigger set or the host goes in as a text node.
type ui struct {
	d        dom
	rt       *runtime
	host     safejs.Value
	shadow   safejs.Value
	panel    safejs.Value
	log      safejs.Value
	input    safejs.Value
	launcher safejs.Value
	badge    safejs.Value
	preview  safejs.Value
	status   safejs.Value
	entries  map[int]safejs.Value // transcript entry id -> element
	// open is what the DOM shows, set only by setOpen from the engine's
	// EffectMaximize; whether the widget is open is the engine's to decide.
	open   bool
	unread int
	// words are the widget's own texts in its language, lang its code
	// (appearance.go).
	words *[widget.NumPhrases]string
	lang  string
	// tab: the launcher is a tab showing label (else a bubble named by
	// it); label is the set's, "" for the default.
	tab   bool
	label string
	// The visitor's comforts: following the newest message, typing,
	// offline form, times, sound (ux.go, offline.go, times.go).
	uxState
}

// tr returns one of the widget's own texts in its language.
func (u *ui) tr(p widget.Phrase) string { return u.words[p] }

const rootID = "triggerwidget-root"

// markup is the widget's fixed DOM inside its shadow root, built by the
// loader's build in one call (see loader.js for the format): the panel
// (header, transcript, composer), the preview card and the launcher. It
// holds no data from a trigger set or the host, nor any text: ui.go fills
// those in as text nodes, and appearance.go the widget's own words in its
// language. The input's maxlength is widget.MaxVisitorMessageLen (a test
// keeps the two equal).
const markup = `["div",{"class":"tw"},
 ["section",{"data-part":"panel","class":"panel","role":"dialog","hidden":""},
  ["header",{"class":"head"},
   ["div",{"class":"title"},["strong",{"data-part":"title"}],["span",{"class":"subtitle","data-part":"subtitle","hidden":""}],["span",{"class":"status","data-part":"status"}]],
   ["button",{"type":"button","class":"icon close","data-part":"minimize"},"\u2013"]],
  ["div",{"class":"log","role":"log","aria-live":"polite","aria-relevant":"additions","tabindex":"0","data-part":"transcript"}],
  ["form",{"class":"composer","data-part":"composer"},
   ["input",{"type":"text","data-part":"input","maxlength":"5000","autocomplete":"off","enterkeyhint":"send"}],
   ["button",{"type":"submit","class":"icon send","data-part":"send"},"\u27A4"]]],
 ["div",{"data-part":"preview","class":"preview","hidden":"","role":"status","aria-live":"polite"}],
 ["button",{"type":"button","data-part":"launcher","class":"launcher","aria-expanded":"false"},
  ["span",{"class":"bubble","aria-hidden":"true"}],["span",{"class":"label","data-part":"launcher-label","hidden":""}],["span",{"class":"badge","data-part":"badge","id":"tw-unread","aria-hidden":"true","hidden":""}]]]`

func newUI(rt *runtime) (*ui, error) {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return nil, err
	}
	u := &ui{d: dom{doc: doc}, rt: rt, entries: map[int]safejs.Value{}, words: widget.Phrases("en")}
	d := &u.d
	if old := d.call(doc, "getElementById", rootID); !old.IsNull() && !old.IsUndefined() {
		d.remove(old)
	}
	u.host = d.el("div", "id", rootID)
	u.shadow = d.call(u.host, "attachShadow", mustObject("mode", "open"))
	style := u.adoptStyles()

	parts, err := rt.boot.Call("build", markup)
	if err != nil {
		return nil, err
	}
	frame := prop(parts, "root")
	u.panel = prop(parts, "panel")
	u.status = prop(parts, "status")
	closeBtn := prop(parts, "minimize")
	u.log = prop(parts, "transcript")
	form := prop(parts, "composer")
	u.input = prop(parts, "input")
	u.preview = prop(parts, "preview")
	u.launcher = prop(parts, "launcher")
	u.badge = prop(parts, "badge")
	if !style.IsNull() {
		d.append(u.shadow, style)
	}
	d.append(u.shadow, frame)
	u.applyAppearance(rt.set.Widget)

	rt.listen(u.launcher, "click", func(ev safejs.Value) {
		rt.engine.ToggleMaximized()
		u.keepFocus(keyboardClick(ev))
	})
	rt.listen(closeBtn, "click", func(safejs.Value) { rt.engine.SetMaximized(false) })
	rt.listen(form, "submit", func(ev safejs.Value) {
		_, _ = ev.Call("preventDefault")
		text := strings.TrimSpace(jsString(prop(u.input, "value")))
		if text == "" {
			return
		}
		_ = u.input.Set("value", "")
		rt.sendVisitorMessage(text)
	})
	rt.listen(u.panel, "keydown", func(ev safejs.Value) {
		if jsString(prop(ev, "key")) == "Escape" {
			rt.engine.SetMaximized(false)
			_, _ = u.launcher.Call("focus")
		}
	})
	rt.listen(u.preview, "click", func(ev safejs.Value) {
		if t := prop(ev, "target"); jsString(prop(t, "className")) == "icon dismiss" {
			u.hidePreview()
			return
		}
		// A suggestion on the card answers from there; the panel opens
		// on the conversation it starts.
		u.onSuggestionClick(ev)
		rt.engine.SetMaximized(true)
		u.keepFocus(keyboardClick(ev))
	})
	rt.listen(u.log, "click", func(ev safejs.Value) { u.onLogClick(ev) })

	u.buildUX(parts)
	return u, d.reset()
}

// attach puts the widget on the page: the start-up's last step, so that
// restoring the transcript and the page's queued calls work on elements
// the browser neither styles nor lays out yet (a restored line would
// otherwise have the log measured to keep it in sight), and the page's
// first frame with the widget comes after its load event rather than in
// the middle of the start-up.
func (u *ui) attach() error {
	d := &u.d
	// A hide() the page called before the runtime was ready has run by now
	// (the queued calls come first), so the widget comes onto the page
	// hidden: not a frame of a widget the page asked not to show.
	d.append(d.get(d.doc, "body"), u.host)
	if u.open {
		// Measured now that there is a layout: the newest line in sight.
		_, _ = u.follow.Invoke(false, true)
	}
	return d.reset()
}

// adoptStyles styles the shadow root with the widget's stylesheet, which
// the loader keeps (wasm/widget.css, parsed while the wasm downloads) as a
// constructable stylesheet (new CSSStyleSheet, replaceSync,
// adoptedStyleSheets), which a strict Content-Security-Policy allows under
// style-src 'self': nothing the widget adds is an inline <style> element or
// style attribute (README.md, "Content-Security-Policy"). Only a browser
// without constructable stylesheets gets a <style> element, returned for
// the caller to append (null otherwise).
func (u *ui) adoptStyles() safejs.Value {
	d := &u.d
	if d.err != nil {
		return safejs.Null()
	}
	style, err := u.rt.boot.Call("adopt", u.shadow)
	if err != nil {
		d.err = err
		return safejs.Null()
	}
	if style.IsUndefined() {
		return safejs.Null()
	}
	return style
}

func mustObject(kv ...string) safejs.Value {
	o, err := safejs.Global().Get("Object")
	if err != nil {
		return safejs.Null()
	}
	obj, err := o.New()
	if err != nil {
		return safejs.Null()
	}
	for i := 0; i+1 < len(kv); i += 2 {
		_ = obj.Set(kv[i], kv[i+1])
	}
	return obj
}

// setOpen shows the panel or the launcher. It never moves focus (see
// focusInput).
func (u *ui) setOpen(open bool) error {
	d := &u.d
	u.open = open
	// Closing the panel (its Minimize button, minimize() from the page)
	// while the keyboard is in it would leave the focus nowhere: it goes
	// back to the launcher, as Escape takes it.
	refocus := !open && u.focusIn(u.panel)
	d.hidden(u.panel, !open)
	d.attr(u.launcher, "aria-expanded", strconv.FormatBool(open))
	u.nameLauncher(open)
	d.attr(u.launcher, "data-open", strconv.FormatBool(open))
	u.refreshTimes()
	if open {
		u.hidePreview()
		u.unread = 0
		u.updateBadge()
		// The newest line in sight (a long one from its start).
		_, _ = u.follow.Invoke(false, true)
	}
	if refocus {
		d.call(u.launcher, "focus")
	}
	return d.reset()
}

// focusIn reports whether the keyboard focus is on el or inside it.
func (u *ui) focusIn(el safejs.Value) bool {
	active := prop(u.shadow, "activeElement")
	if active.Type() != safejs.TypeObject || active.IsNull() {
		return false
	}
	in, _ := u.d.call(el, "contains", active).Truthy()
	return in
}

func (u *ui) setHidden(hide bool) error {
	u.d.hidden(u.host, hide)
	return u.d.reset()
}

func (u *ui) setStatus(status string) error {
	d := &u.d
	label := u.tr(map[string]widget.Phrase{widget.StatusOnline: widget.PhraseOnline, widget.StatusAway: widget.PhraseAway, widget.StatusOffline: widget.PhraseOffline}[status])
	d.text(u.status, label)
	d.attr(u.status, "data-status", status)
	u.setOffline(status != widget.StatusOnline)
	return d.reset()
}

// add renders a transcript entry; restored entries come in with restored
// true and do not count as unread or open a preview.
func (u *ui) add(e widget.Entry, restored bool) error {
	d := &u.d
	el := u.render(e)
	u.place(el)
	if err := d.reset(); err != nil {
		return err
	}
	u.entries[e.ID] = el
	if e.Kind == widget.EntryAgent {
		u.setTyping(false, "")
	}
	if u.open {
		u.refreshTimes() // first: a time's wording takes room
		_, _ = u.follow.Invoke(e.Kind == widget.EntryVisitor && !restored)
	} else if !restored && (e.Kind == widget.EntryTrigger || e.Kind == widget.EntryAgent) {
		u.unread++
		u.updateBadge()
		u.showPreview(e)
		u.chime()
	}
	return d.reset()
}

// place puts a line in the transcript in time order: a line adopted from
// another tab may be older than this tab's last.
func (u *ui) place(el safejs.Value) {
	if _, err := u.rt.boot.Call("place", u.log, el); err != nil {
		u.d.append(u.log, el)
	}
}

// update re-renders an entry (its suggestions were used, or another tab
// had the same agent message earlier): in place, or where its new time
// puts it.
func (u *ui) update(e widget.Entry) error {
	old, ok := u.entries[e.ID]
	if !ok {
		return nil
	}
	d := &u.d
	el := u.render(e)
	if t := d.call(old, "querySelector", "time[data-at]"); t.Type() == safejs.TypeObject && !t.IsNull() &&
		jsString(d.call(t, "getAttribute", "data-at")) != strconv.FormatInt(e.At, 10) {
		d.remove(old)
		u.place(el)
	} else if kept, err := u.rt.boot.Call("morph", old, el); err == nil && kept.Type() == safejs.TypeObject {
		el = kept
	} else {
		d.call(old, "replaceWith", el)
	}
	u.entries[e.ID] = el
	if u.previewID == e.ID && !u.open {
		u.showPreview(e)
	}
	u.refreshTimes()
	return d.reset()
}

func (u *ui) render(e widget.Entry) safejs.Value {
	d := &u.d
	switch e.Kind {
	case widget.EntryVisitor:
		el := d.el("div", "class", "msg visitor", "data-part", "chat-message", "data-kind", "visitor", "data-entry-id", itoa(e.ID))
		t := d.el("div", "class", "text", "data-part", "text")
		d.text(t, e.Text)
		d.append(el, t, u.timeEl(e.At))
		return el
	case widget.EntrySystem:
		el := d.el("div", "class", "msg system", "data-part", "chat-message", "data-kind", "system", "data-entry-id", itoa(e.ID))
		d.text(el, e.Text)
		d.append(el, u.timeEl(e.At))
		return el
	}
	el := d.el("div", "class", "msg agent", "data-entry-id", itoa(e.ID))
	if e.Kind == widget.EntryTrigger {
		d.attr(el, "data-part", "message")
		d.attr(el, "data-trigger-id", e.TriggerID)
	} else {
		d.attr(el, "data-part", "chat-message")
		d.attr(el, "data-kind", "agent")
	}
	var agent widget.Agent
	if e.Agent != nil {
		agent = *e.Agent
	}
	img := d.el("img", "data-part", "agent-image", "class", "avatar", "alt", "", "width", "32", "height", "32", "loading", "lazy", "decoding", "async")
	d.attr(img, "src", u.rt.imageURL(agent.Image))
	body := d.el("div", "class", "body")
	name := d.el("div", "class", "name", "data-part", "agent-name")
	d.text(name, agent.Name)
	if e.At != 0 {
		d.append(name, u.timeEl(e.At))
	}
	text := d.el("div", "class", "text", "data-part", "text")
	d.text(text, e.Text)
	d.append(body, name)
	if e.Text != "" {
		d.append(body, text)
	}
	for i, a := range e.Attachments {
		d.append(body, u.attachment(e, i, a))
	}
	if len(e.Suggestions) > 0 {
		group := d.el("div", "class", "suggestions", "role", "group", "aria-label", u.tr(widget.PhraseSuggestedReplies))
		for i, s := range e.Suggestions {
			// A retired suggestion stays as text: the visitor has replied
			// since, and it belongs to the conversation's past.
			var b safejs.Value
			if e.Retired {
				b = d.el("span", "class", "retired", "data-part", "suggestion-retired")
			} else {
				b = d.el("button", "type", "button", "data-part", "suggestion", "data-index", itoa(i), "data-entry-id", itoa(e.ID))
			}
			d.text(b, s)
			d.append(group, b)
		}
		d.append(body, group)
	}
	d.append(el, img, body)
	return el
}

// attachment renders one shortcut attachment. A link card is the
// only place a URL becomes a link.
func (u *ui) attachment(e widget.Entry, i int, a widget.Attachment) safejs.Value {
	d := &u.d
	el := d.el("div", "class", "attachment "+a.Kind, "data-part", "attachment", "data-kind", a.Kind)
	switch a.Kind {
	case widget.AttachImage:
		img := d.el("img", "alt", a.Alt, "loading", "lazy")
		d.attr(img, "src", u.rt.resolve(a.URL))
		d.append(el, img)
	case widget.AttachFile:
		link := d.el("a", "href", u.rt.resolve(a.URL), "download", a.Name, "rel", "noopener noreferrer", "target", "_blank")
		name := d.el("span", "class", "file-name")
		d.text(name, fileName(a))
		// Isolated (bdi): a size in a right-to-left language's words beside
		// a left-to-right file name, or the other way round.
		size := d.el("bdi", "class", "file-size")
		d.text(size, u.fileSize(a.Size))
		d.append(link, name, size)
		d.append(el, link)
	case widget.AttachLink:
		link := d.el("a", "href", u.rt.resolve(a.URL), "rel", "noopener noreferrer nofollow", "target", "_blank")
		title := d.el("span", "class", "link-title")
		d.text(title, firstNonEmpty(a.Title, a.URL))
		d.append(link, title)
		d.append(el, link)
	case widget.AttachForm:
		if e.Submitted {
			done := d.el("p", "class", "form-done", "data-part", "form-done")
			d.text(done, u.tr(widget.PhraseFormSent))
			d.append(el, done)
			break
		}
		form := d.el("form", "data-entry-id", itoa(e.ID), "data-index", itoa(i))
		for _, f := range a.Fields {
			label := d.el("label")
			caption := d.el("span")
			d.text(caption, firstNonEmpty(f.Label, f.Name))
			typ := firstNonEmpty(f.Type, "text")
			var input safejs.Value
			if typ == "textarea" {
				input = d.el("textarea", "name", f.Name, "rows", "3")
			} else {
				input = d.el("input", "name", f.Name, "type", typ)
			}
			if f.Required {
				d.attr(input, "required", "")
			}
			d.append(label, caption, input)
			d.append(form, label)
		}
		submit := d.el("button", "type", "submit")
		d.text(submit, firstNonEmpty(a.Submit, u.tr(widget.PhraseSend)))
		d.append(form, submit)
		d.append(el, form)
		u.rt.listen(form, "submit", func(ev safejs.Value) {
			_, _ = ev.Call("preventDefault")
			// The line's id as it is now: a line renumbered (another tab
			// had taken its id) keeps its form element (morph).
			at := e
			if line := u.d.call(form, "closest", "[data-entry-id]"); line.Type() == safejs.TypeObject && !line.IsNull() {
				if id, err := strconv.Atoi(jsString(u.d.call(line, "getAttribute", "data-entry-id"))); err == nil {
					at.ID = id
				}
			}
			u.rt.submitForm(at, form)
		})
	}
	return el
}

func fileName(a widget.Attachment) string {
	if a.Name != "" {
		return a.Name
	}
	if i := strings.LastIndexByte(a.URL, '/'); i >= 0 && i+1 < len(a.URL) {
		return a.URL[i+1:]
	}
	return a.URL
}

// fileSize words a file's size in the widget's language, with the
// browser's own units (Intl: "12 ko", "1,5 Mo"); in B, kB and MB where the
// browser has none (the loader then answers "12 kilobyte").
func (u *ui) fileSize(n int64) string {
	var v float64
	var unit, short string
	switch {
	case n <= 0:
		return ""
	case n < 1000:
		v, unit, short = float64(n), "byte", "B"
	case n < 1000*1000:
		v, unit, short = float64((n+500)/1000), "kilobyte", "kB"
	default:
		v, unit, short = math.Round(float64(n)/1e5)/10, "megabyte", "MB"
	}
	if s, err := u.rt.boot.Call("unit", v, unit, u.lang); err == nil {
		if w := jsString(s); w != "" && !strings.HasSuffix(w, " "+unit) {
			return w
		}
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " " + short
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func (u *ui) onLogClick(ev safejs.Value) {
	if u.onSuggestionClick(ev) {
		// The button is gone (its message re-rendered): focus stays in
		// the widget rather than falling back to the page's <body>.
		u.keepFocus(keyboardClick(ev))
	}
}

// onSuggestionClick uses the suggestion a click landed on, if any, and
// reports whether there was one. Offline, nobody would answer it: the
// buttons are hidden and a click does nothing.
func (u *ui) onSuggestionClick(ev safejs.Value) bool {
	target := prop(ev, "target")
	if u.offline || jsString(prop(target, "tagName")) != "BUTTON" || jsString(u.d.call(target, "getAttribute", "data-part")) != "suggestion" {
		u.d.reset()
		return false
	}
	u.d.reset()
	entry, err1 := strconv.Atoi(jsString(u.d.call(target, "getAttribute", "data-entry-id")))
	index, err2 := strconv.Atoi(jsString(u.d.call(target, "getAttribute", "data-index")))
	if err := u.d.reset(); err != nil || err1 != nil || err2 != nil {
		return false
	}
	// The message the button belongs to names its trigger, for the error
	// event should the click be refused.
	triggerID := ""
	if msg := u.d.call(target, "closest", "[data-trigger-id]"); u.d.reset() == nil && !msg.IsNull() && !msg.IsUndefined() {
		triggerID = jsString(u.d.call(msg, "getAttribute", "data-trigger-id"))
		_ = u.d.reset()
	}
	if triggerID == "" && entry == u.previewID {
		triggerID = u.previewTrigger
	}
	u.rt.useSuggestion(entry, index, triggerID)
	return true
}

func (u *ui) showPreview(e widget.Entry) {
	d := &u.d
	d.call(u.preview, "replaceChildren")
	// The card shows the message's suggestions too (up to 4, as a
	// message has), so the visitor can answer from it; offline they are
	// left out like in the panel.
	card := widget.Entry{ID: e.ID, Kind: widget.EntryAgent, Agent: e.Agent, Text: e.Text}
	if !e.Retired && !u.offline {
		card.Suggestions = e.Suggestions
	}
	el := u.render(card)
	d.attr(el, "data-part", "preview-message")
	d.removeAttr(el, "data-entry-id")
	u.previewID, u.previewTrigger = e.ID, e.TriggerID
	dismiss := d.el("button", "type", "button", "class", "icon dismiss", "aria-label", u.tr(widget.PhraseDismiss))
	d.text(dismiss, "\u00D7")
	d.append(u.preview, dismiss, el)
	d.hidden(u.preview, false)
}

func (u *ui) hidePreview() {
	u.previewID = 0
	refocus := u.focusIn(u.preview) // its Dismiss button: the launcher next
	u.d.hidden(u.preview, true)
	u.d.call(u.preview, "replaceChildren")
	if refocus && !u.open {
		u.d.call(u.launcher, "focus")
	}
}

// newVisit takes down what an earlier visit left on screen when a new one
// begins in a page that stayed open (after VisitTimeout without activity,
// in this tab or another): its lines, the preview card and the unread
// count. The engine has dropped them from the visit already, and ended
// the typing line with its own effect; the panel stays open or closed as
// it was.
func (u *ui) newVisit() {
	u.d.call(u.log, "replaceChildren")
	clear(u.entries)
	u.hidePreview()
	u.unread = 0
	u.updateBadge()
	u.scrollToEnd()
	_ = u.d.reset()
}

// updateBadge shows the unread count on the launcher. The badge is not
// part of the launcher's name (a tab launcher, named by its label, read
// "Write to us1"): it describes it.
func (u *ui) updateBadge() {
	d := &u.d
	d.text(u.badge, itoa(u.unread))
	d.hidden(u.badge, u.unread == 0)
	if u.unread == 0 {
		d.removeAttr(u.launcher, "aria-describedby")
	} else {
		d.attr(u.launcher, "aria-describedby", "tw-unread")
	}
}

func (u *ui) scrollToEnd() {
	_, _ = u.follow.Invoke(true)
}

func (u *ui) destroy() {
	u.stopTimes()
	u.d.remove(u.host)
	u.d.reset()
}
