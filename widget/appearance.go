package widget

import (
	"strings"
	"unicode/utf8"
)

// Appearance is the set's optional "widget" object: how the widget looks
// and which language it speaks on the site. Every field is optional; an
// empty one takes the default given beside it, so a set without the object
// keeps the look it always had.
//
//easyjson:json
type Appearance struct {
	// Title heads the open panel (default: "Chat with us" in the widget's
	// language); Subtitle is a line under it (default: none). A blank text
	// counts as absent.
	Title    string `json:"title,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	// Color is the accent, "#rrggbb" or "#rgb" in either case (default
	// DefaultColor); in Compiled.Widget it is always "#rrggbb" in lower
	// case. The text drawn on it is chosen for contrast (see InkFor), never
	// set separately.
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
//
//easyjson:json
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

// appearance checks the set's widget object and returns it with every
// default filled in. A field that fails its check is reported (a problem
// of the set, never of a trigger) and takes its default, so one mistake
// leaves the rest of the owner's appearance in place.
func (c *checker) appearance(a *Appearance) Appearance {
	var out Appearance
	if a != nil {
		out = *a
		if a.Launcher != nil {
			l := *a.Launcher
			out.Launcher = &l
		}
	}
	out.Title = c.widgetText("widget.title", out.Title, MaxWidgetTitleLen)
	out.Subtitle = c.widgetText("widget.subtitle", out.Subtitle, MaxWidgetSubtitleLen)
	if out.Color != "" {
		if hex, ok := normalColor(out.Color); ok {
			out.Color = hex
		} else {
			c.add("widget.color", CodeBadColor, "must be a hex colour \"#rrggbb\" or \"#rgb\", got "+quote(out.Color))
			out.Color = ""
		}
	}
	if out.Color == "" {
		out.Color = DefaultColor
	}
	switch out.Position {
	case "":
		out.Position = PositionRight
	case PositionRight, PositionLeft:
	default:
		c.add("widget.position", CodeUnknownValue, oneOf("position", out.Position, "right, left"))
		out.Position = PositionRight
	}
	if out.Offset != nil && (*out.Offset < 0 || *out.Offset > MaxOffset) {
		c.add("widget.offset", CodeOutOfRange, "must be between 0 and "+itoa(MaxOffset)+" px, got "+itoa(*out.Offset))
		out.Offset = nil
	}
	if out.Offset == nil {
		n := DefaultOffset
		out.Offset = &n
	}
	switch {
	case out.Language == "":
		out.Language = LanguageAuto
	case out.Language != LanguageAuto && !speaks(out.Language):
		c.add("widget.language", CodeUnknownValue, oneOf("language", out.Language, LanguageAuto+", "+strings.Join(Languages, ", ")))
		out.Language = LanguageAuto
	}
	if out.Launcher == nil {
		out.Launcher = &Launcher{}
	}
	switch out.Launcher.Style {
	case "":
		out.Launcher.Style = LauncherBubble
	case LauncherBubble, LauncherTab:
	default:
		c.add("widget.launcher.style", CodeUnknownValue, oneOf("launcher style", out.Launcher.Style, "bubble, tab"))
		out.Launcher.Style = LauncherBubble
	}
	out.Launcher.Label = c.widgetText("widget.launcher.label", out.Launcher.Label, MaxLauncherLabelLen)
	return out
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
	if n := utf8.RuneCountInString(text); n > limit {
		c.add(field, CodeTooLong, charsOver(n, limit))
		return ""
	}
	return text
}

// normalColor returns a "#rgb" or "#rrggbb" colour (either case) as
// "#rrggbb" in lower case.
func normalColor(s string) (string, bool) {
	rgb, ok := parseHexColor(s)
	if !ok {
		return "", false
	}
	const digits = "0123456789abcdef"
	b := []byte{'#', 0, 0, 0, 0, 0, 0}
	for i, v := range rgb {
		b[1+2*i], b[2+2*i] = digits[v>>4], digits[v&15]
	}
	return string(b), true
}
