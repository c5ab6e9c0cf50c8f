package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// The Widget page's Appearance form edits the set's "widget" object: the
// title, colour, corner, language and launcher visitors see. It is a plain
// form: saving posts it, the Service checks the whole set with the
// runtime's validator and publishes it as a new version (or refuses it,
// and the page shows the form as typed with each problem beside its
// field). appearance.js only enhances it: a colour picker beside the
// colour's text field, and the Preview, which the widget runtime draws
// from the form as it is typed (the trigger editor's preview frame, handed
// a sample message and the widget object this form makes).

// apForm is the Appearance form as shown: the stored object with its
// defaults filled in, or what was typed.
type apForm struct {
	Title, Subtitle, Color, Position, Offset, Language, Launcher, Label string
	Sound                                                               bool
}

// apFormOf shows a stored appearance (nil: none) with every default.
func apFormOf(a *widget.Appearance) apForm {
	f := apForm{Color: widget.DefaultColor, Position: widget.PositionRight, Offset: strconv.Itoa(widget.DefaultOffset),
		Language: widget.LanguageAuto, Launcher: widget.LauncherBubble}
	if a == nil {
		return f
	}
	f.Title, f.Subtitle, f.Sound = a.Title, a.Subtitle, a.Sound
	if a.Color != "" {
		f.Color = a.Color
	}
	if a.Position != "" {
		f.Position = a.Position
	}
	if a.Offset != nil {
		f.Offset = strconv.Itoa(*a.Offset)
	}
	if a.Language != "" {
		f.Language = a.Language
	}
	if a.Launcher != nil {
		if a.Launcher.Style != "" {
			f.Launcher = a.Launcher.Style
		}
		f.Label = a.Launcher.Label
	}
	return f
}

// apFormFrom reads a posted Appearance form.
func apFormFrom(r *http.Request) apForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return apForm{Title: v("title"), Subtitle: v("subtitle"), Color: v("color"), Position: v("position"),
		Offset: v("offset"), Language: v("language"), Launcher: v("launcher"), Label: v("label"),
		Sound: r.PostFormValue("sound") != ""}
}

// appearance is the "widget" object the form describes, and the problems
// the form itself finds (an offset that is not a number). A value equal to
// its default is left out, so that saving the form untouched changes
// nothing; whether the others are allowed is the validator's to say.
func (f apForm) appearance() (*widget.Appearance, []widget.FieldError) {
	var problems []widget.FieldError
	a := &widget.Appearance{Title: f.Title, Subtitle: f.Subtitle, Sound: f.Sound}
	if !strings.EqualFold(f.Color, widget.DefaultColor) {
		a.Color = f.Color
	}
	if f.Position != widget.PositionRight {
		a.Position = f.Position
	}
	if f.Offset != "" {
		n, err := strconv.Atoi(f.Offset)
		switch {
		case err != nil:
			problems = append(problems, widget.FieldError{Field: "widget.offset", Code: widget.CodeWrongType,
				Problem: "must be a whole number of pixels"})
		case n != widget.DefaultOffset:
			a.Offset = &n
		}
	}
	if f.Language != widget.LanguageAuto {
		a.Language = f.Language
	}
	l := widget.Launcher{Label: f.Label}
	if f.Launcher != widget.LauncherBubble {
		l.Style = f.Launcher
	}
	if l != (widget.Launcher{}) {
		a.Launcher = &l
	}
	if *a == (widget.Appearance{}) {
		return nil, problems
	}
	return a, problems
}

// apInputs maps the path of a field of the widget object (after
// "widget.") to the id of the form's input, or group of radios, that
// edits it. A path under one of these (a part of a field) is that
// field's too.
var apInputs = map[string]string{
	"title":          "ap-title",
	"subtitle":       "ap-subtitle",
	"color":          "ap-color",
	"position":       "ap-position",
	"offset":         "ap-offset",
	"language":       "ap-language",
	"launcher":       "ap-launcher",
	"launcher.style": "ap-launcher",
	"launcher.label": "ap-label",
	"sound":          "ap-sound",
}

// apInputOf is the input a problem of the set belongs to, or "" for a
// problem the form has no field for.
func apInputOf(field string) string {
	rest, ok := strings.CutPrefix(field, "widget.")
	if !ok {
		return ""
	}
	for rest != "" {
		if in, ok := apInputs[rest]; ok {
			return in
		}
		i := strings.LastIndexAny(rest, ".[")
		if i < 0 {
			break
		}
		rest = rest[:i]
	}
	return ""
}

// apFields are the form's inputs in page order, with their labels and
// where a link to one of their problems takes the focus.
var apFields = []struct{ ID, Label, Focus string }{
	{"ap-title", "Title", "ap-title"},
	{"ap-subtitle", "Subtitle", "ap-subtitle"},
	{"ap-color", "Accent color", "ap-color"},
	{"ap-position", "Position", "ap-position-right"},
	{"ap-offset", "Offset", "ap-offset"},
	{"ap-language", "Language", "ap-language"},
	{"ap-launcher", "Launcher", "ap-launcher-bubble"},
	{"ap-label", "Tab label", "ap-label"},
	{"ap-sound", "Play a sound for new messages", "ap-sound"},
}

// apSummaryLine is a problem in the alert above the form, linking to its
// input.
type apSummaryLine struct{ Focus, Label, Text string }

// apSummary lists the problems by input in the order of the form.
func apSummary(lang string, byInput map[string]string) []apSummaryLine {
	var out []apSummaryLine
	for _, f := range apFields {
		if text, ok := byInput[f.ID]; ok {
			out = append(out, apSummaryLine{f.Focus, T(lang, f.Label), text})
		}
	}
	return out
}

// apProblems sorts a refusal's problems: those of a field, by input (the
// first one of each is shown), and the others as lines.
func apProblems(lang string, problems []widget.FieldError) (byInput map[string]string, others []string) {
	byInput = map[string]string{}
	for _, p := range problems {
		in := apInputOf(p.Field)
		if in == "" {
			others = append(others, mgProblemLine(lang, p, nil))
			continue
		}
		if _, seen := byInput[in]; !seen {
			byInput[in] = problemText(lang, p)
		}
	}
	return byInput, others
}

// apSample is the trigger the Preview shows the appearance with.
func apSample(lang string) map[string]any {
	return map[string]any{
		"id": "preview", "name": "Preview", "type": "site",
		"message":     map[string]string{"text": T(lang, "Hello! Can we help you find what you are looking for?")},
		"agent":       map[string]string{"name": "Alex"},
		"suggestions": []string{T(lang, "Yes, please"), T(lang, "Just looking")},
	}
}

// apLanguage is a choice of the Language select.
type apLanguage struct{ Code, Name string }

// apLanguages names each language the widget speaks in that language.
var apLanguages = map[string]string{
	"en": "English", "fr": "Français", "es": "Español", "de": "Deutsch",
	"pt": "Português", "it": "Italiano", "ar": "العربية",
}

func apLanguageChoices() []apLanguage {
	out := make([]apLanguage, 0, len(widget.Languages))
	for _, code := range widget.Languages {
		name := apLanguages[code]
		if name == "" {
			name = code
		}
		out = append(out, apLanguage{code, name})
	}
	return out
}

// apData puts the Appearance form into the Widget page's data: the stored
// appearance unless data holds a form being shown again.
func (h *Handler) apData(c *call, data map[string]any) error {
	if _, ok := data["Appearance"]; !ok {
		a, v, err := h.s.Appearance(c.ctx(), c.actor, c.pid)
		if err != nil {
			return err
		}
		data["Appearance"] = apFormOf(a)
		data["AppearanceVersion"] = v.Number
	}
	if _, ok := data["AppearanceErrors"]; !ok {
		data["AppearanceErrors"] = map[string]string{}
	}
	data["Languages"] = apLanguageChoices()
	f, _ := data["Appearance"].(apForm)
	data["DefaultTitle"] = apDefaultTitle(f.Language, c.lang)
	return nil
}

// appearancePost saves the Appearance form, or answers the Preview's
// request (_preview) with the widget object the form describes.
func (h *Handler) appearancePost(w http.ResponseWriter, r *http.Request, c *call) error {
	f := apFormFrom(r)
	a, local := f.appearance()
	if r.PostFormValue("_preview") != "" {
		return h.appearancePreview(w, c, f, a, local)
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	data := mgPage("widget")
	data["Appearance"] = f
	data["AppearanceVersion"] = version
	problems := local
	status := http.StatusUnprocessableEntity
	if len(problems) > 0 {
		// The form's own problems stop the save; the validator still
		// says what it thinks of the rest, so that every problem shows
		// at once.
		if err := h.s.CheckAppearance(c.ctx(), c.actor, c.pid, a); err != nil {
			if _, ok := mgRefusal(err); !ok {
				return err
			}
			problems = append(problems, mgProblemsOf(err)...)
		}
	} else {
		ifMatch := ""
		if version > 0 {
			ifMatch = admin.SetETag(version)
		}
		wr, err := h.s.PutAppearance(c.ctx(), c.actor, c.pid, ifMatch, a)
		if err == nil {
			msg := T(c.lang, "Saved: nothing changed.")
			if wr.Changed {
				msg = fmt.Sprintf(T(c.lang, "Saved: the widget's appearance is published as version %d."), wr.Version.Number)
			}
			h.mgNotify(w, r, mgBase(c)+"widget", msg)
			return nil
		}
		var ok bool
		if status, ok = mgRefusal(err); !ok {
			return err
		}
		var se *store.Error
		switch {
		case errors.As(err, &se) && se.Code == store.Invalid && len(se.Problems) > 0:
			problems = se.Problems
		case store.IsCode(err, store.Conflict):
			// What was typed stays; saving again publishes it over the
			// version someone else published meanwhile.
			if _, v, rerr := h.s.Appearance(c.ctx(), c.actor, c.pid); rerr == nil {
				data["AppearanceVersion"] = v.Number
			}
			data["AppearanceAlert"] = T(c.lang, "Someone published a new version since you opened this page. What you typed is still below: save again to publish it over theirs.")
		default:
			data["AppearanceAlert"] = localizeMessage(c.lang, err)
		}
	}
	if len(problems) > 0 {
		byInput, others := apProblems(c.lang, problems)
		data["AppearanceAlert"] = mgProblems(c.lang, len(problems))
		data["AppearanceErrors"] = byInput
		data["AppearanceSummary"] = apSummary(c.lang, byInput)
		data["AppearanceProblems"] = others
	}
	data["Unsaved"] = true // a refused save: leaving asks first (admin.js)
	return h.renderWidget(w, r, c, status, data, c.prop.Status)
}

// appearancePreview answers the Preview's request: the widget object the
// form describes, the sample trigger, the default title in the language
// chosen, and the problems Save would meet, by input (appearance.js marks
// them as the owner types, the way a refused save would).
func (h *Handler) appearancePreview(w http.ResponseWriter, c *call, f apForm, a *widget.Appearance, local []widget.FieldError) error {
	problems := local
	if err := h.s.CheckAppearance(c.ctx(), c.actor, c.pid, a); err != nil {
		if _, ok := mgRefusal(err); !ok {
			return err
		}
		problems = append(problems, mgProblemsOf(err)...)
	}
	byInput, _ := apProblems(c.lang, problems)
	obj := any(a)
	if a == nil {
		obj = struct{}{}
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(map[string]any{"widget": obj, "trigger": apSample(c.lang),
		"defaultTitle": apDefaultTitle(f.Language, c.lang), "errors": byInput})
}

// apKnownLanguage says whether the Language select has code among its
// choices (a set written through the API may name another; the page
// shows it as it is, for the validator to judge).
func apKnownLanguage(code string) bool {
	if code == widget.LanguageAuto {
		return true
	}
	_, ok := apLanguages[code]
	return ok
}

func init() { funcs["apKnownLanguage"] = apKnownLanguage }

// apDefaultTitle is the title the widget shows when none is set, in the
// language chosen (for automatic, in the admin's: an example of it), shown
// as the Title and Tab label inputs' placeholder.
func apDefaultTitle(language, adminLang string) string {
	if !slices.Contains(widget.Languages, language) {
		language = adminLang
	}
	return widget.Phrases(language)[widget.PhraseTitle]
}
