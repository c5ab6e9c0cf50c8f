package widget_test

import (
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

func intp(n int) *int { return &n }

// ownerLook is an appearance with every field set to a valid value other
// than its default, so that a test can see which fields fell back.
func ownerLook() *widget.Appearance {
	return &widget.Appearance{
		Title: "Une question ?", Subtitle: "Nous répondons en 2 minutes",
		Color: "#0A7D3B", Position: widget.PositionLeft, Offset: intp(32),
		Language: "fr", Launcher: &widget.Launcher{Style: widget.LauncherTab, Label: "Discuter"},
		Sound: true,
	}
}

// The owner's appearance as the compiled set carries it.
var ownerCompiled = widget.Appearance{
	Title: "Une question ?", Subtitle: "Nous répondons en 2 minutes",
	Color: "#0A7D3B", Position: widget.PositionLeft, Offset: intp(32),
	Language: "fr", Launcher: &widget.Launcher{Style: widget.LauncherTab, Label: "Discuter"},
	Sound: true,
}

// The defaults, as the compiled set of a set without a widget object
// carries them.
var defaultCompiled = widget.Appearance{
	Color: widget.DefaultColor, Position: widget.PositionRight, Offset: intp(widget.DefaultOffset),
	Language: widget.LanguageAuto, Launcher: &widget.Launcher{Style: widget.LauncherBubble},
}

// sameLook compares two appearances field by field and returns the names
// of the fields that differ.
func sameLook(got, want widget.Appearance) []string {
	var diff []string
	add := func(name string, equal bool) {
		if !equal {
			diff = append(diff, name)
		}
	}
	add("title", got.Title == want.Title)
	add("subtitle", got.Subtitle == want.Subtitle)
	add("color", got.Color == want.Color)
	add("position", got.Position == want.Position)
	add("offset", got.Offset != nil && want.Offset != nil && *got.Offset == *want.Offset)
	add("language", got.Language == want.Language)
	add("launcher", got.Launcher != nil && want.Launcher != nil && *got.Launcher == *want.Launcher)
	add("sound", got.Sound == want.Sound)
	return diff
}

func TestAppearance_Defaults(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]*widget.Appearance{
		"no widget object":    nil,
		"empty widget object": {},
		"blank texts":         {Title: "  ", Subtitle: "\n", Launcher: &widget.Launcher{Label: " "}},
	} {
		c := compileOK(t, withLook(a))
		if d := sameLook(c.Widget, defaultCompiled); d != nil {
			t.Errorf("%s: compiled widget %+v differs from the defaults in %v", name, c.Widget, d)
		}
	}
}

func TestAppearance_OwnerValuesKept(t *testing.T) {
	t.Parallel()
	s := withLook(ownerLook())
	c := compileOK(t, s)
	if d := sameLook(c.Widget, ownerCompiled); d != nil {
		t.Errorf("compiled widget %+v differs from the owner's in %v", c.Widget, d)
	}
	// The compiled set has its own copy: the set is not changed.
	if c.Widget.Launcher == s.Widget.Launcher {
		t.Errorf("compiling changed or shared the set's widget object: %+v", s.Widget)
	}
}

// TestAppearance_Limits: the values at each limit are accepted.
func TestAppearance_Limits(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]func(*widget.Appearance){
		"offset 0":                   func(a *widget.Appearance) { a.Offset = intp(0) },
		"offset at the limit":        func(a *widget.Appearance) { a.Offset = intp(widget.MaxOffset) },
		"title at the limit":         func(a *widget.Appearance) { a.Title = strings.Repeat(emoji, widget.MaxWidgetTitleLen) },
		"subtitle at the limit":      func(a *widget.Appearance) { a.Subtitle = strings.Repeat("s", widget.MaxWidgetSubtitleLen) },
		"label at the limit":         func(a *widget.Appearance) { a.Launcher.Label = strings.Repeat("é", widget.MaxLauncherLabelLen) },
		"short colour in upper case": func(a *widget.Appearance) { a.Color = "#F0A" },
		"language auto":              func(a *widget.Appearance) { a.Language = widget.LanguageAuto },
		"right and bubble":           func(a *widget.Appearance) { a.Position, a.Launcher.Style = widget.PositionRight, widget.LauncherBubble },
	} {
		a := ownerLook()
		f(a)
		c := widget.Compile(withLook(a))
		if len(c.Problems) != 0 {
			t.Errorf("%s: problems %+v", name, c.Problems)
		}
	}
	// Every language the widget speaks is a setting.
	for _, lang := range widget.Languages {
		a := ownerLook()
		a.Language = lang
		if c := widget.Compile(withLook(a)); len(c.Problems) != 0 || c.Widget.Language != lang {
			t.Errorf("language %q: problems %+v, compiled %q", lang, c.Problems, c.Widget.Language)
		}
	}
}

// TestAppearance_Problems: each mistake in the widget object is a problem
// of the set with its field path and code; that field falls back to its
// default, the owner's other fields stay, and every trigger still runs.
func TestAppearance_Problems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*widget.Appearance)
		field  string
		code   string
		// fell is the compiled field that takes its default.
		fell string
	}{
		{"colour name", func(a *widget.Appearance) { a.Color = "red" }, "widget.color", widget.CodeBadColor, "color"},
		{"colour without #", func(a *widget.Appearance) { a.Color = "2f5bea" }, "widget.color", widget.CodeBadColor, "color"},
		{"colour of 4 digits", func(a *widget.Appearance) { a.Color = "#2f5b" }, "widget.color", widget.CodeBadColor, "color"},
		{"colour with alpha", func(a *widget.Appearance) { a.Color = "#2f5beaff" }, "widget.color", widget.CodeBadColor, "color"},
		{"colour not hex", func(a *widget.Appearance) { a.Color = "#2g5bea" }, "widget.color", widget.CodeBadColor, "color"},
		{"colour function", func(a *widget.Appearance) { a.Color = "rgb(1,2,3)" }, "widget.color", widget.CodeBadColor, "color"},
		{"css injection in colour", func(a *widget.Appearance) { a.Color = "#fff;background:url(x)" }, "widget.color", widget.CodeBadColor, "color"},
		{"unknown position", func(a *widget.Appearance) { a.Position = "top" }, "widget.position", widget.CodeUnknownValue, "position"},
		{"position in upper case", func(a *widget.Appearance) { a.Position = "Left" }, "widget.position", widget.CodeUnknownValue, "position"},
		{"negative offset", func(a *widget.Appearance) { a.Offset = intp(-1) }, "widget.offset", widget.CodeOutOfRange, "offset"},
		{"offset over the limit", func(a *widget.Appearance) { a.Offset = intp(widget.MaxOffset + 1) }, "widget.offset", widget.CodeOutOfRange, "offset"},
		{"unknown language", func(a *widget.Appearance) { a.Language = "nl" }, "widget.language", widget.CodeUnknownValue, "language"},
		{"language with a region", func(a *widget.Appearance) { a.Language = "fr-CA" }, "widget.language", widget.CodeUnknownValue, "language"},
		{"unknown launcher style", func(a *widget.Appearance) { a.Launcher.Style = "icon" }, "widget.launcher.style", widget.CodeUnknownValue, "launcher"},
		{"title too long", func(a *widget.Appearance) { a.Title = strings.Repeat("t", widget.MaxWidgetTitleLen+1) }, "widget.title", widget.CodeTooLong, "title"},
		{"title of too many emojis", func(a *widget.Appearance) { a.Title = strings.Repeat(emoji, widget.MaxWidgetTitleLen+1) }, "widget.title", widget.CodeTooLong, "title"},
		{"title not UTF-8", func(a *widget.Appearance) { a.Title = "Hi \xff" }, "widget.title", widget.CodeBadText, "title"},
		{"subtitle too long", func(a *widget.Appearance) { a.Subtitle = strings.Repeat("s", widget.MaxWidgetSubtitleLen+1) }, "widget.subtitle", widget.CodeTooLong, "subtitle"},
		{"subtitle not UTF-8", func(a *widget.Appearance) { a.Subtitle = "\xc3" }, "widget.subtitle", widget.CodeBadText, "subtitle"},
		{"label too long", func(a *widget.Appearance) { a.Launcher.Label = strings.Repeat("l", widget.MaxLauncherLabelLen+1) }, "widget.launcher.label", widget.CodeTooLong, "launcher"},
		{"label not UTF-8", func(a *widget.Appearance) { a.Launcher.Label = "\xff" }, "widget.launcher.label", widget.CodeBadText, "launcher"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := ownerLook()
			tc.change(a)
			c := widget.Compile(withLook(a))
			if len(c.Problems) != 1 {
				t.Fatalf("problems %+v, want one", c.Problems)
			}
			p := c.Problems[0]
			if p.Field != tc.field || p.Code != tc.code || p.TriggerID != "" || p.Index != 0 || p.Problem == "" {
				t.Errorf("problem %+v, want a set problem at %s with code %s", p, tc.field, tc.code)
			}
			if !isProblemCode(p.Code) {
				t.Errorf("code %q is not in ProblemCodes", p.Code)
			}
			if len(c.Triggers) != 1 || len(c.Skipped) != 0 {
				t.Errorf("triggers %v, skipped %v: a widget problem stopped a trigger", triggerIDs(c), c.Skipped)
			}
			// The field that fell back has its default; the others keep
			// the owner's values. (The launcher is one field: a bad
			// style or label resets only itself, checked below.)
			want := ownerCompiled
			switch tc.fell {
			case "title":
				want.Title = ""
			case "subtitle":
				want.Subtitle = ""
			case "color":
				want.Color = widget.DefaultColor
			case "position":
				want.Position = widget.PositionRight
			case "offset":
				want.Offset = intp(widget.DefaultOffset)
			case "language":
				want.Language = widget.LanguageAuto
			case "launcher":
				l := *ownerCompiled.Launcher
				if tc.field == "widget.launcher.style" {
					l.Style = widget.LauncherBubble
				} else {
					l.Label = ""
				}
				want.Launcher = &l
			}
			if d := sameLook(c.Widget, want); d != nil {
				t.Errorf("compiled widget %+v differs from the expected %+v in %v", c.Widget, want, d)
			}
		})
	}
}

// TestAppearance_AllProblemsAtOnce: every bad field is reported in one
// pass, in the object's order, after the triggers' problems.
func TestAppearance_AllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	s := withLook(&widget.Appearance{
		Title: strings.Repeat("t", 61), Subtitle: strings.Repeat("s", 101), Color: "blue", Position: "middle",
		Offset: intp(500), Language: "xx", Launcher: &widget.Launcher{Style: "round", Label: strings.Repeat("l", 41)},
	})
	s.Triggers = append(s.Triggers, with(siteT("bad", 0), func(t *widget.Trigger) { t.Delay = -1 }))
	c := widget.Compile(s)
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.Field+" "+p.Code)
	}
	want := []string{"delay out_of_range", "widget.title too_long", "widget.subtitle too_long", "widget.color bad_color",
		"widget.position unknown_value", "widget.offset out_of_range", "widget.language unknown_value",
		"widget.launcher.style unknown_value", "widget.launcher.label too_long"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := sameLook(c.Widget, defaultCompiled); d != nil {
		t.Errorf("compiled widget %+v is not all defaults: %v differ", c.Widget, d)
	}
	err := widget.Validate(s)
	if ve := asValidation(t, err); len(ve.Problems) != len(want) {
		t.Errorf("Validate reports %d problems, want %d", len(ve.Problems), len(want))
	}
	if msg := err.Error(); !strings.Contains(msg, `widget.color: must be a hex colour "#rrggbb" or "#rgb", got "blue"`) ||
		!strings.Contains(msg, `widget.language: unknown language "xx" (one of auto, en, fr, es, de, pt, it, ar)`) ||
		!strings.Contains(msg, "widget.offset: must be between 0 and 200 px, got 500") {
		t.Errorf("Validate's message does not word the widget problems as expected:\n%s", msg)
	}
}

// TestAppearance_FromJSON: the runtime's path, a document decoded and
// checked in one pass, reports the same problems and compiles the same
// appearance; a document without the object still loads as before.
func TestAppearance_FromJSON(t *testing.T) {
	t.Parallel()
	doc := `{"version": 1, "property": "acme", "triggers": [
		{"id": "hi", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}],
		"widget": {"title": "Hola", "color": "#ABCDEF", "position": "left", "offset": 0,
			"language": "es", "launcher": {"style": "tab", "label": "Chat"}, "sound": true}}`
	c, problems := widget.LoadLazy([]byte(doc))
	if c == nil || len(problems) != 0 {
		t.Fatalf("LoadLazy = %v, %+v", c, problems)
	}
	want := widget.Appearance{Title: "Hola", Color: "#ABCDEF", Position: widget.PositionLeft, Offset: intp(0),
		Language: "es", Launcher: &widget.Launcher{Style: widget.LauncherTab, Label: "Chat"}, Sound: true}
	if d := sameLook(c.Widget, want); d != nil {
		t.Errorf("compiled widget %+v differs in %v", c.Widget, d)
	}
	c, problems = widget.LoadLazy([]byte(strings.Replace(doc, `"offset": 0`, `"offset": 999`, 1)))
	if c == nil || len(problems) != 1 || problems[0].Field != "widget.offset" || *c.Widget.Offset != widget.DefaultOffset || len(c.Triggers) != 1 {
		t.Errorf("offset 999: problems %+v", problems)
	}
	c, problems = widget.Load([]byte(`{"version": 1, "property": "acme", "triggers": []}`))
	if c == nil || len(problems) != 0 || sameLook(c.Widget, defaultCompiled) != nil {
		t.Errorf("set without a widget object: %+v, %+v", c, problems)
	}
}

// TestAppearance_ProblemReachesErrorEvent: the engine reports a widget
// problem like every other problem of the set, as an error naming the
// field, and runs the triggers.
func TestAppearance_ProblemReachesErrorEvent(t *testing.T) {
	t.Parallel()
	a := ownerLook()
	a.Color = "teal"
	c := widget.Compile(withLook(a))
	r := startRig(t, c, widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	errs := r.errorsWithCode(widget.ErrInvalidTrigger)
	if len(errs) != 1 || errs[0].TriggerID != "" || !strings.Contains(errs[0].Message, "widget.color") || !strings.Contains(errs[0].Message, `"teal"`) {
		t.Fatalf("error effects %+v, want one naming widget.color and the value", errs)
	}
	r.view("/")
	r.wantFired("hi")
}

// withLook is a set of one valid site trigger, "hi", with appearance a.
func withLook(a *widget.Appearance) *widget.Set {
	s := setOf(siteT("hi", 0))
	s.Widget = a
	return s
}
