//go:build !js

package admin_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// The set's widget object goes through the API whole: a PUT of a set that
// has one publishes it, and GET gives it back.
func TestTriggerSetCarriesWidget(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	set := `{"version": 1, "property": "p", "triggers": [` + siteTrigger("welcome", "Welcome", "Hello") + `],
		"widget": {"title": "Bonjour", "color": "#aa3300", "position": "left", "offset": 0,
			"language": "fr", "launcher": {"style": "tab", "label": "Une question ?"}, "sound": true}}`
	e.putSet(t, owner, "p", set)
	r := e.do(t, owner, "GET", pp+"/triggerset", nil)
	want(t, r, http.StatusOK)
	var got struct{ Widget *widget.Appearance }
	decodeJSON(t, r, &got)
	if got.Widget == nil {
		t.Fatalf("GET answered %s, without the widget object", r.Body)
	}
	a := got.Widget
	if a.Title != "Bonjour" || a.Color != "#aa3300" || a.Position != "left" || a.Offset == nil || *a.Offset != 0 ||
		a.Language != "fr" || a.Launcher == nil || *a.Launcher != (widget.Launcher{Style: "tab", Label: "Une question ?"}) || !a.Sound {
		t.Errorf("GET gave back the widget object %s", mustMarshal(t, a))
	}
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// PutAppearance publishes the widget object as a new version with its own
// summary, leaves the rest of the set as it was, refuses a change based on
// an old version, and removes the object when given none.
func TestPutAppearance(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	acc, err := e.svc.Session(ctx, owner.session)
	if err != nil {
		t.Fatal(err)
	}
	actor := admin.Actor{Account: acc}
	before := e.storedSet(t, "p")
	beforeSet := parseSet(t, before.Data)

	off := 8
	ap := &widget.Appearance{Title: "Help", Color: "#123456", Offset: &off, Launcher: &widget.Launcher{Style: widget.LauncherTab}}
	wr, err := e.svc.PutAppearance(ctx, actor, "p", admin.SetETag(before.Number), ap)
	if err != nil {
		t.Fatal(err)
	}
	if !wr.Changed || wr.Version.Number != before.Number+1 || wr.Version.Summary != "Edited widget appearance" {
		t.Errorf("PutAppearance wrote version %d (changed %v) %q; want version %d, \"Edited widget appearance\"",
			wr.Version.Number, wr.Changed, wr.Version.Summary, before.Number+1)
	}
	got, v, err := e.svc.Appearance(ctx, actor, "p")
	if err != nil {
		t.Fatal(err)
	}
	if v.Number != wr.Version.Number || got == nil || got.Title != "Help" || got.Color != "#123456" ||
		got.Offset == nil || *got.Offset != 8 || got.Launcher == nil || got.Launcher.Style != widget.LauncherTab {
		t.Errorf("Appearance = %s at version %d", mustMarshal(t, got), v.Number)
	}
	after := parseSet(t, e.published(t, "p"))
	if mustMarshal(t, after.Triggers) != mustMarshal(t, beforeSet.Triggers) || after.Timezone != beforeSet.Timezone {
		t.Errorf("the rest of the set changed: triggers %s, time zone %q", mustMarshal(t, after.Triggers), after.Timezone)
	}

	// Based on the version before: refused, nothing published.
	_, err = e.svc.PutAppearance(ctx, actor, "p", admin.SetETag(before.Number), &widget.Appearance{Title: "Late"})
	if !store.IsCode(err, store.Conflict) {
		t.Errorf("a change based on version %d: err %v, want a conflict", before.Number, err)
	}
	if n := e.storedSet(t, "p").Number; n != wr.Version.Number {
		t.Errorf("after the refused change the set is at version %d, want %d", n, wr.Version.Number)
	}

	// None: the object goes, every default applies again.
	wr, err = e.svc.PutAppearance(ctx, actor, "p", admin.SetETag(wr.Version.Number), nil)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(wr.Version.Data, &doc); err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["widget"]; ok || !wr.Changed {
		t.Errorf("after removing the appearance the set is %s (changed %v)", wr.Version.Data, wr.Changed)
	}
}
