package widget

import (
	"strings"
	"unicode/utf8"
)

// Appearance is the set's optional "widget" object: how the widget looks
// and which language it speaks on the site. Every field is optional; an
// empty one takes the default given beside it, so a set without the object
// keeps the look it always had.
type Appearance struct {
	// Title heads the open panel (default: "Chat with us" in the widget's
	// language); Subtitle is a line under it (default: none). A blank text
	// counts as absent.
	Title    string `json:"title,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	// Color is the accent, "#rrggbb" or "#rgb" in either case (default
	// DefaultColor). The text drawn on it is chosen for contrast (see
	// InkFor), never set separately.
	Color string `json:"color,omitempty"`
	// Position is the corner: PositionRight (default) or PositionLeft.
	Position string `json:"position,omitempty"`
	// Offset is the distance in px from the side and the bottom edge
	// (default DefaultOffset); 0 is a real value, hence the pointer.
	Offset *int `json:"offset,omitempty"`
	// Language is LanguageAuto (default: the visitor's browser language
	// when the widget speaks it, else English) or one of Languages.
	Language string `json:"language,omitempty"`
	// Launcher is the button that opens the widget (default: a bubble).
	Launcher *Launcher `json:"launcher,omitempty"`
	// Sound plays a short tone for a new message while the panel is
	// closed (default off).
	Sound bool `json:"sound,omitempty"`
}

// Launcher is the button that opens the widget.
type Launcher struct {
	// Style is LauncherBubble (default) or LauncherTab.
	Style string `json:"style,omitempty"`
	// Label is the tab's text (default: "Chat with us" in the widget's
	// language); a bubble uses it as its accessible name.
	Label string `json:"label,omitempty"`
}

// Appearance values and defaults.
const (
	DefaultColor   = "#2f5bea"
	DefaultOffset  = 20
	PositionRight  = "right"
	PositionLeft   = "left"
	LanguageAuto   = "auto"
	LauncherBubble = "bubble"
	LauncherTab    = "tab"
)

// Limits of the widget object, in characters for texts and px for the
// offset (docs/format.md).
const (
	MaxWidgetTitleLen    = 60
	MaxWidgetSubtitleLen = 100
	MaxLauncherLabelLen  = 40
	MaxOffset            = 200
)

// The closed lists of the widget object, each with its default first
// (the languages are LanguageAuto and Languages, spelt out so that the
// list costs no start-up code).
var (
	positions        = []string{PositionRight, PositionLeft}
	languageSettings = []string{LanguageAuto, "en", "fr", "es", "de", "pt", "it", "ar"}
	launcherStyles   = []string{LauncherBubble, LauncherTab}
)

// appearance checks the set's widget object and returns it with every
// default filled in. A field that fails its check is reported (a problem
// of the set, never of a trigger) and takes its default, so one mistake
// leaves the rest of the owner's appearance in place.
func (c *checker) appearance(a *Appearance) Appearance {
	var out Appearance
	var l Launcher
	if a != nil {
		out = *a
		if a.Launcher != nil {
			l = *a.Launcher
		}
	}
	out.Launcher = &l
	out.Title = c.widgetText("widget.title", out.Title, MaxWidgetTitleLen)
	out.Subtitle = c.widgetText("widget.subtitle", out.Subtitle, MaxWidgetSubtitleLen)
	if _, ok := parseHexColor(out.Color); !ok && out.Color != "" {
		c.add("widget.color", CodeBadColor, "must be a hex colour \"#rrggbb\" or \"#rgb\", got "+quote(out.Color))
		out.Color = ""
	}
	if out.Color == "" {
		out.Color = DefaultColor
	}
	out.Position = c.choice("widget.position", "position", out.Position, positions)
	if o := out.Offset; o == nil || *o < 0 || *o > MaxOffset {
		if o != nil {
			c.add("widget.offset", CodeOutOfRange, "must be between 0 and "+itoa(MaxOffset)+" px, got "+itoa(*o))
		}
		n := DefaultOffset
		out.Offset = &n
	}
	out.Language = c.choice("widget.language", "language", out.Language, languageSettings)
	l.Style = c.choice("widget.launcher.style", "launcher style", l.Style, launcherStyles)
	l.Label = c.widgetText("widget.launcher.label", l.Label, MaxLauncherLabelLen)
	return out
}

// choice returns v, a value of the widget object from a closed list, or
// the list's default (its first value) when v is empty or not in it.
func (c *checker) choice(field, what, v string, list []string) string {
	if v == "" {
		return list[0]
	}
	if !contains(list, v) {
		c.add(field, CodeUnknownValue, oneOf(what, v, strings.Join(list, ", ")))
		return list[0]
	}
	return v
}

// widgetText checks an optional text of the widget object and returns it
// as the widget shows it: "" (the default) when it is blank or refused.
func (c *checker) widgetText(field, text string, limit int) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	if !utf8.ValidString(text) {
		c.add(field, CodeBadText, "is not valid UTF-8")
		return ""
	}
	if n := runeCount(text); n > limit {
		c.add(field, CodeTooLong, charsOver(n, limit))
		return ""
	}
	return text
}
