//go:build !js

package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

const apPath = mgBasePath + "widget/appearance"

// apTag is the opening tag of the element with that id in a page, or "".
func apTag(body, id string) string {
	return regexp.MustCompile(`<(?:input|select|fieldset)\b[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
}

// apPost is the form as a person fills it, on top of the defaults the
// page shows.
func apPost(version int64, fields map[string]string) url.Values {
	f := url.Values{"version": {strconv.FormatInt(version, 10)}, "title": {""}, "subtitle": {""},
		"color": {widget.DefaultColor}, "position": {"right"}, "offset": {"20"}, "language": {"auto"},
		"launcher": {"bubble"}, "label": {""}}
	for k, v := range fields {
		f.Set(k, v)
	}
	return f
}

func (w *mgWorld) widgetObject(t *testing.T) (map[string]any, bool) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(w.published(t).Data, &doc); err != nil {
		t.Fatal(err)
	}
	obj, ok := doc["widget"].(map[string]any)
	return obj, ok
}

// The form shows the defaults; saving it publishes the widget object as a
// new version and says so; the page then shows what was saved.
func TestAppearanceSave(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	page := w.do(t, c, "GET", mgBasePath+"widget", nil)
	if page.status != http.StatusOK {
		t.Fatalf("the Widget page: %d", page.status)
	}
	for id, want := range map[string]string{"ap-color": `value="` + widget.DefaultColor + `"`, "ap-offset": `value="20"`} {
		if tag := apTag(page.body, id); !strings.Contains(tag, want) {
			t.Errorf("the new page's %s is %q, want %s", id, tag, want)
		}
	}
	for _, want := range []string{`value="right" checked`, `value="bubble" checked`, `<option value="auto" selected>`, "Save appearance", `<option value="ar" lang="ar">العربية</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the new page lacks %s", want)
		}
	}

	// Untouched: nothing to publish.
	v0 := w.published(t).Number
	r := w.do(t, c, "POST", apPath, apPost(v0, nil))
	if got := w.follow(t, c, r); !strings.Contains(got.body, "Saved: nothing changed.") {
		t.Errorf("saving the untouched form: %s", mgMain(got.body))
	}
	if _, ok := w.widgetObject(t); ok || w.published(t).Number != v0 {
		t.Errorf("saving the untouched form published version %d with a widget object", w.published(t).Number)
	}

	r = w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"title": " Hi there ", "subtitle": "Fast answers",
		"color": "#aa3300", "position": "left", "offset": "0", "language": "fr", "launcher": "tab", "label": "Questions?", "sound": "on"}))
	if r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "/settings/widget") {
		t.Fatalf("saving: %d to %q: %s", r.status, r.header.Get("Location"), mgMain(r.body))
	}
	v := w.published(t)
	if v.Number != v0+1 || v.Summary != "Edited widget appearance" || v.Author != "ann@example.com" {
		t.Errorf("published version %d %q by %s; want %d \"Edited widget appearance\" by ann", v.Number, v.Summary, v.Author, v0+1)
	}
	obj, _ := w.widgetObject(t)
	want := `{"color":"#aa3300","language":"fr","launcher":{"label":"Questions?","style":"tab"},"offset":0,"position":"left","sound":true,"subtitle":"Fast answers","title":"Hi there"}`
	if got, _ := json.Marshal(obj); string(got) != want {
		t.Errorf("the widget object is %s, want %s", got, want)
	}
	page = w.follow(t, c, r)
	if !strings.Contains(page.body, "Saved: the widget&#39;s appearance is published as version "+strconv.FormatInt(v.Number, 10)+".") {
		t.Errorf("no notice after saving: %s", mgMain(page.body))
	}
	for id, want := range map[string]string{"ap-title": `value="Hi there"`, "ap-color": `value="#aa3300"`, "ap-offset": `value="0"`, "ap-label": `value="Questions?"`, "ap-sound": "checked"} {
		if tag := apTag(page.body, id); !strings.Contains(tag, want) {
			t.Errorf("after saving, %s is %q, want %s", id, tag, want)
		}
	}
	for _, want := range []string{`value="left" checked`, `value="tab" checked`, `<option value="fr" lang="fr" selected>`, `name="version" value="` + strconv.FormatInt(v.Number, 10) + `"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("after saving, the page lacks %s", want)
		}
	}

	// Back to the defaults: the object goes.
	r = w.do(t, c, "POST", apPath, apPost(v.Number, nil))
	w.follow(t, c, r)
	if obj, ok := w.widgetObject(t); ok {
		t.Errorf("after saving the defaults the widget object is %v", obj)
	}
}

// A refused save publishes nothing and shows the form as typed, the
// problem beside its field.
func TestAppearanceRefusedKeepsInput(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	v0 := w.published(t).Number
	r := w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"title": "Kept title", "offset": "1.5", "color": "#010203", "launcher": "tab"}))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("an offset of 1.5: %d, want 422", r.status)
	}
	if w.published(t).Number != v0 {
		t.Errorf("a refused save published version %d", w.published(t).Number)
	}
	if !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "There is 1 problem; nothing was saved.") {
		t.Errorf("no alert: %s", mgMain(r.body))
	}
	tag := apTag(r.body, "ap-offset")
	if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, "ap-offset-err") || !strings.Contains(tag, `value="1.5"`) {
		t.Errorf("the offset input is %q; want it invalid, described by its error, holding 1.5", tag)
	}
	if !strings.Contains(r.body, `<li><a href="#ap-offset">Offset</a>: must be a whole number of pixels</li>`) {
		t.Errorf("the alert does not link the offset's problem to its input: %s", mgMain(r.body))
	}
	if !regexp.MustCompile(`<p class="field-error" id="ap-offset-err">[^<]*whole number`).MatchString(r.body) {
		t.Errorf("no error beside the offset: %s", mgMain(r.body))
	}
	for id, want := range map[string]string{"ap-title": `value="Kept title"`, "ap-color": `value="#010203"`} {
		if tag := apTag(r.body, id); !strings.Contains(tag, want) || strings.Contains(tag, "aria-invalid") {
			t.Errorf("%s is %q, want %s and valid", id, tag, want)
		}
	}
	if !strings.Contains(r.body, `value="tab" checked`) {
		t.Error("the launcher chosen is lost")
	}
}

// A save based on an old version is refused with what was typed kept, and
// the form then names the new version, so that saving again publishes.
func TestAppearanceConflict(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	v0 := w.published(t).Number
	w.follow(t, c, w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"title": "First"})))
	r := w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"title": "Second"}))
	if r.status != http.StatusConflict || !strings.Contains(r.body, "Someone published a new version since you opened this page.") {
		t.Fatalf("a stale save: %d %s", r.status, mgMain(r.body))
	}
	if tag := apTag(r.body, "ap-title"); !strings.Contains(tag, `value="Second"`) {
		t.Errorf("the title typed is lost: %q", tag)
	}
	now := w.published(t).Number
	if !strings.Contains(r.body, `name="version" value="`+strconv.FormatInt(now, 10)+`"`) {
		t.Errorf("the form does not name version %d", now)
	}
	w.follow(t, c, w.do(t, c, "POST", apPath, apPost(now, map[string]string{"title": "Second"})))
	if obj, _ := w.widgetObject(t); obj["title"] != "Second" {
		t.Errorf("saving again: the widget object is %v", obj)
	}
}

// The Preview's request answers with the object the form describes, the
// sample trigger and the problems by input, and publishes nothing.
func TestAppearancePreviewAnswer(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	v0 := w.published(t).Number
	r := w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"_preview": "1", "title": "Live", "position": "left", "offset": "x"}))
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d %s", r.status, r.body)
	}
	var got struct {
		Widget       map[string]any
		DefaultTitle string
		Errors       map[string]string
		Trigger      struct {
			Message struct{ Text string }
			Agent   struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatalf("preview answer %s: %v", r.body, err)
	}
	if got.Widget["title"] != "Live" || got.Widget["position"] != "left" || got.Widget["offset"] != nil {
		t.Errorf("preview widget object %v; want the title, the position and no offset (not a number)", got.Widget)
	}
	if len(got.Errors) != 1 || !strings.Contains(got.Errors["ap-offset"], "whole number") {
		t.Errorf("preview problems %v; want the offset's only", got.Errors)
	}
	if got.DefaultTitle != widget.Phrases("en")[widget.PhraseTitle] {
		t.Errorf("preview default title %q, want the widget's own in English (automatic, English admin)", got.DefaultTitle)
	}
	if got.Trigger.Message.Text == "" || got.Trigger.Agent.Name == "" {
		t.Errorf("preview trigger %s: no sample message", r.body)
	}
	if w.published(t).Number != v0 {
		t.Error("the preview published a version")
	}
}

// Each problem of the widget object goes beside the input its field path
// names, a part of a field to that field's input; any other problem is a
// line of the alert.
func TestAppearanceProblemPlaces(t *testing.T) {
	for field, want := range map[string]string{
		"widget.title":          "ap-title",
		"widget.subtitle":       "ap-subtitle",
		"widget.color":          "ap-color",
		"widget.position":       "ap-position",
		"widget.offset":         "ap-offset",
		"widget.language":       "ap-language",
		"widget.launcher":       "ap-launcher",
		"widget.launcher.style": "ap-launcher",
		"widget.launcher.label": "ap-label",
		"widget.launcher.extra": "ap-launcher",
		"widget.sound":          "ap-sound",
		"widget":                "",
		"widget.shadow":         "",
		"title":                 "",
		"triggers[0].message":   "",
	} {
		if got := apInputOf(field); got != want {
			t.Errorf("apInputOf(%q) = %q, want %q", field, got, want)
		}
	}
	byInput, others := apProblems("en", []widget.FieldError{
		{Field: "widget.color", Code: widget.CodeUnknownValue, Problem: "is not a colour"},
		{Field: "widget.color", Code: widget.CodeUnknownValue, Problem: "second problem"},
		{Field: "widget.launcher.label", Code: widget.CodeTooLong, Problem: "is too long"},
		{Field: "widget.shadow", Code: widget.CodeUnknownKey, Problem: "is not a field of the widget object"},
	})
	if byInput["ap-color"] != "is not a colour" || byInput["ap-label"] != "is too long" || len(byInput) != 2 {
		t.Errorf("problems by input: %v", byInput)
	}
	if len(others) != 1 || !strings.Contains(others[0], "widget.shadow") {
		t.Errorf("other problems: %q", others)
	}
	fr, _ := apProblems("fr", []widget.FieldError{{Field: "widget.title", Code: widget.CodeTooLong, Problem: "is too long"}})
	if !strings.HasPrefix(fr["ap-title"], "trop long") {
		t.Errorf("in French the title's problem is %q", fr["ap-title"])
	}
}

// The page in French.
func TestAppearanceFrench(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	for _, f := range apFields {
		if T("fr", f.Label) == f.Label && f.Label != "Position" {
			t.Errorf("no French label for %s", f.Label)
		}
	}
	page := w.do(t, c, "GET", mgBasePath+"widget?lang=fr", nil)
	for _, want := range []string{"Apparence", "Couleur d&#39;accent", "Automatique (navigateur du visiteur)", "Enregistrer l&#39;apparence", "Aperçu"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the French page lacks %s", want)
		}
	}
}

// The validator's problems with the widget object come back beside their
// inputs, with everything typed kept. (It needs the validator to check the
// widget object.)
func TestAppearanceValidatorProblems(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	v0 := w.published(t).Number
	long := strings.Repeat("a", 500)
	r := w.do(t, c, "POST", apPath, apPost(v0, map[string]string{"title": long, "color": "navy", "offset": "100000", "subtitle": "Kept"}))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a title of 500 letters, colour navy, offset 100000: %d, want 422: %s", r.status, mgMain(r.body))
	}
	if w.published(t).Number != v0 {
		t.Errorf("a refused save published version %d", w.published(t).Number)
	}
	for id, value := range map[string]string{"ap-title": long, "ap-color": "navy", "ap-offset": "100000"} {
		tag := apTag(r.body, id)
		if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, `value="`+value+`"`) {
			t.Errorf("%s is %q; want it invalid, holding what was typed", id, tag)
		}
		if !regexp.MustCompile(`<p class="field-error" id="` + id + `-err">[^<]+</p>`).MatchString(r.body) {
			t.Errorf("no error beside %s", id)
		}
	}
	if tag := apTag(r.body, "ap-subtitle"); !strings.Contains(tag, `value="Kept"`) || strings.Contains(tag, "aria-invalid") {
		t.Errorf("the subtitle is %q", tag)
	}
}

// A problem the form finds itself (an offset that is not a number) does
// not hide the validator's: both show at once. (It needs the validator to
// check the widget object.)
func TestAppearanceAllProblemsAtOnce(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	r := w.do(t, c, "POST", apPath, apPost(w.published(t).Number, map[string]string{"offset": "1.5", "color": "navy"}))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("offset 1.5, colour navy: %d, want 422", r.status)
	}
	if !strings.Contains(r.body, "There are 2 problems; nothing was saved.") {
		t.Errorf("the alert does not count 2 problems: %s", mgMain(r.body))
	}
	for _, id := range []string{"ap-offset", "ap-color"} {
		if tag := apTag(r.body, id); !strings.Contains(tag, `aria-invalid="true"`) {
			t.Errorf("%s is %q, want it invalid", id, tag)
		}
	}
}
