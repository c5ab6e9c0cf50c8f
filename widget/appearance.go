package widget

// Appearance is the set's optional "widget" object: how the widget looks
// and which language it speaks on the site. Every field is optional; an
// empty one takes the default given beside it, so a set without the object
// keeps the look it always had.
//
//easyjson:json
type Appearance struct {
	// Title heads the open panel (default: "Chat with us" in the widget's
	// language); Subtitle is a line under it (default: none).
	Title    string `json:"title,omitempty"`
	Subtitle string `json:"subtitle,omitempty"`
	// Color is the accent, "#rrggbb" (default DefaultColor). The text drawn
	// on it is chosen for contrast (see InkFor), never set separately.
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

// appearance returns a with every default filled in.
func appearance(a *Appearance) Appearance {
	var out Appearance
	if a != nil {
		out = *a
		if a.Launcher != nil {
			l := *a.Launcher
			out.Launcher = &l
		}
	}
	if out.Color == "" {
		out.Color = DefaultColor
	}
	if out.Position == "" {
		out.Position = PositionRight
	}
	if out.Offset == nil {
		n := DefaultOffset
		out.Offset = &n
	}
	if out.Language == "" {
		out.Language = LanguageAuto
	}
	if out.Launcher == nil {
		out.Launcher = &Launcher{}
	}
	if out.Launcher.Style == "" {
		out.Launcher.Style = LauncherBubble
	}
	return out
}
