//go:build js && wasm

package wasm

import (
	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// accentTextDark is the text colour a link or a suggestion takes instead of
// an accent too light to read on the widget's white (the body text colour
// of widget.css).
const accentTextDark = "#1c2330"

// applyAppearance puts the set's appearance on the widget: the language
// (its words, and lang and dir on the host element), the accent and the
// corner as inline custom properties and attributes of the host element,
// the launcher's style, and every text of the fixed markup. The custom
// properties go in through the CSSOM (style.setProperty), which a strict
// Content-Security-Policy allows, unlike a style attribute written as
// text. It runs before the widget is first shown, and again when reload()
// brings a set with another appearance.
func (u *ui) applyAppearance(a widget.Appearance) {
	d := &u.d
	lang := widget.ResolveLanguage(a.Language, preferredLanguages())
	u.lang = lang
	u.words = widget.Phrases(lang)
	dir := "ltr"
	if widget.RTL(lang) {
		dir = "rtl"
	}
	// The checker has already put a default in place of anything wrong;
	// the runtime still draws nothing from a value it cannot use.
	color := a.Color
	if widget.ContrastOf(color, widget.InkLight) == 0 {
		color = widget.DefaultColor
	}
	ink := widget.InkFor(color)
	text := color
	if ink == widget.InkDark {
		text = accentTextDark
	}
	position := widget.PositionRight
	if a.Position == widget.PositionLeft {
		position = widget.PositionLeft
	}
	offset := widget.DefaultOffset
	if a.Offset != nil && *a.Offset >= 0 {
		offset = *a.Offset
	}
	u.tab = a.Launcher != nil && a.Launcher.Style == widget.LauncherTab
	u.label = ""
	if a.Launcher != nil {
		u.label = a.Launcher.Label
	}
	launcher := widget.LauncherBubble
	if u.tab {
		launcher = widget.LauncherTab
	}

	d.attr(u.host, "lang", lang)
	d.attr(u.host, "dir", dir)
	d.attr(u.host, "data-position", position)
	d.attr(u.host, "data-launcher", launcher)
	style := d.get(u.host, "style")
	d.call(style, "setProperty", "--tw-accent", color)
	d.call(style, "setProperty", "--tw-accent-ink", ink)
	d.call(style, "setProperty", "--tw-accent-text", text)
	d.call(style, "setProperty", "--tw-offset", itoa(offset)+"px")

	d.attr(u.panel, "aria-label", u.tr(widget.PhraseChat))
	d.text(u.part("title"), firstNonEmpty(a.Title, u.tr(widget.PhraseTitle)))
	subtitle := u.part("subtitle")
	d.text(subtitle, a.Subtitle)
	d.hidden(subtitle, a.Subtitle == "")
	d.attr(u.part("minimize"), "aria-label", u.tr(widget.PhraseMinimizeChat))
	d.attr(u.input, "aria-label", u.tr(widget.PhraseInputLabel))
	d.attr(u.input, "placeholder", u.tr(widget.PhraseInputPlaceholder))
	d.attr(u.part("send"), "aria-label", u.tr(widget.PhraseSend))
	label := u.part("launcher-label")
	d.text(label, firstNonEmpty(u.label, u.tr(widget.PhraseTitle)))
	d.hidden(label, !u.tab)
	u.nameLauncher(u.open)
}

// nameLauncher gives the launcher its accessible name. A tab is named by
// the label it shows, whether the panel is open or not (aria-expanded
// tells which); a bubble by the set's label or "Open chat" while closed,
// and "Minimize chat" while open.
func (u *ui) nameLauncher(open bool) {
	d := &u.d
	switch {
	case u.tab:
		d.removeAttr(u.launcher, "aria-label")
	case open:
		d.attr(u.launcher, "aria-label", u.tr(widget.PhraseMinimizeChat))
	default:
		d.attr(u.launcher, "aria-label", firstNonEmpty(u.label, u.tr(widget.PhraseOpenChat)))
	}
}

// part returns the element of the shadow root with data-part name.
func (u *ui) part(name string) safejs.Value {
	return u.d.call(u.shadow, "querySelector", "[data-part="+name+"]")
}

// preferredLanguages reads the visitor's languages, most preferred first:
// navigator.languages, else navigator.language.
func preferredLanguages() []string {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return nil
	}
	var out []string
	list := prop(nav, "languages")
	if n, err := list.Length(); err == nil {
		for i := 0; i < n && i < 16; i++ {
			if v, err := list.Index(i); err == nil {
				out = append(out, jsString(v))
			}
		}
	}
	if len(out) == 0 {
		if l := jsString(prop(nav, "language")); l != "" {
			out = append(out, l)
		}
	}
	return out
}
