//go:build js && wasm

package wasm

import (
	"strings"

	"github.com/hack-pad/safejs"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
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
	// The checker has already put a default in place of anything wrong
	// (and the stylesheet takes any side but "left" for the right); the
	// runtime still never draws with a colour it cannot read.
	color := a.Color
	if widget.ContrastOf(color, widget.InkLight) == 0 {
		color = widget.DefaultColor
	}
	ink := widget.InkFor(color)
	text := color
	if ink == widget.InkDark {
		text = accentTextDark
	}
	offset := widget.DefaultOffset
	if a.Offset != nil {
		offset = *a.Offset
	}
	u.tab = a.Launcher != nil && a.Launcher.Style == widget.LauncherTab
	u.label = ""
	if a.Launcher != nil {
		u.label = a.Launcher.Label
	}
	launcher, label := widget.LauncherBubble, ""
	if u.tab {
		launcher, label = widget.LauncherTab, firstNonEmpty(u.label, u.tr(widget.PhraseTitle))
	}

	// One call into JS for all of it (see boot.appearance in the loader):
	// a crossing per attribute, property and text, with a JS string Go
	// tracks for each name and value, was some sixty of the start-up's.
	var w jwriter.Writer
	w.RawByte('[')
	first := true
	change := func(kind, part, name, value string) {
		if !first {
			w.RawByte(',')
		}
		first = false
		w.RawByte('[')
		for i, s := range [...]string{kind, part, name, value} {
			if i > 0 {
				w.RawByte(',')
			}
			w.String(s)
		}
		w.RawByte(']')
	}
	for _, kv := range [...][2]string{
		{"lang", lang}, {"dir", dir}, {"data-position", a.Position}, {"data-launcher", launcher},
		{"--tw-accent", color}, {"--tw-accent-ink", ink}, {"--tw-accent-text", text}, {"--tw-offset", itoa(offset) + "px"},
	} {
		kind := "a"
		if kv[0][0] == '-' {
			kind = "p"
		}
		change(kind, "", kv[0], kv[1])
	}
	// The parts' attributes, then their texts: each part with a text is
	// shown with it, hidden without.
	for _, p := range [...][3]string{
		{"panel", "aria-label", u.tr(widget.PhraseChat)},
		{"minimize", "aria-label", u.tr(widget.PhraseMinimizeChat)},
		{"input", "aria-label", u.tr(widget.PhraseInputLabel)},
		{"input", "placeholder", u.tr(widget.PhraseInputPlaceholder)},
		{"send", "aria-label", u.tr(widget.PhraseSend)},
		{"title", "", firstNonEmpty(a.Title, u.tr(widget.PhraseTitle))},
		{"subtitle", "", a.Subtitle},
		{"launcher-label", "", label},
	} {
		if p[1] != "" {
			change("a", p[0], p[1], p[2])
		} else {
			change("t", p[0], "", p[2])
		}
	}
	w.RawByte(']')
	changes, _ := w.BuildBytes() // strings only: nothing to fail
	d.call(u.rt.boot, "appearance", u.host, u.shadow, string(changes))
	u.nameLauncher(u.open)
}

// nameLauncher gives the launcher its accessible name. A tab is named by
// the label it shows, whether the panel is open or not (aria-expanded
// tells which); a bubble by the set's label or "Open chat" while closed,
// and "Minimize chat" while open.
func (u *ui) nameLauncher(open bool) {
	if u.tab {
		u.d.removeAttr(u.launcher, "aria-label")
		return
	}
	name := firstNonEmpty(u.label, u.tr(widget.PhraseOpenChat))
	if open {
		name = u.tr(widget.PhraseMinimizeChat)
	}
	u.d.attr(u.launcher, "aria-label", name)
}

// preferredLanguages reads the visitor's languages, most preferred first:
// navigator.languages (as String() joins it, "fr-CA,fr,en": a language tag
// has no comma), else navigator.language.
func preferredLanguages() []string {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return nil
	}
	list := jsString(prop(nav, "languages"))
	if list == "" {
		list = jsString(prop(nav, "language"))
	}
	var out []string
	for list != "" {
		tag, rest, _ := strings.Cut(list, ",")
		out, list = append(out, tag), rest
	}
	return out
}
