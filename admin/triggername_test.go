//go:build !js

package admin_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// A trigger added or replaced one at a time needs a name (spaces do not
// count): the admin's list names each trigger by it. The API refuses a
// nameless one as it refuses every other problem of a trigger, on its
// field, listed with the set's other problems, and publishes nothing.
func TestTriggerNeedsAName(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	want(t, e.do(t, owner, "POST", pp+"/triggers", pageTrigger("pricing", "Pricing page", "/pricing")), http.StatusCreated)

	type problem struct{ trigger, field, code string }
	tests := []struct {
		name, method, path, body string
		want                     []problem
	}{
		{"added without a name", "POST", pp + "/triggers",
			`{"id": "hello", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`,
			[]problem{{"hello", "name", "missing"}}},
		{"added with spaces for a name", "POST", pp + "/triggers",
			`{"id": "hello", "name": "   ", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`,
			[]problem{{"hello", "name", "missing"}}},
		{"added without a name or an id", "POST", pp + "/triggers",
			`{"type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`,
			[]problem{{"trigger", "name", "missing"}}},
		{"name emptied by an edit", "PUT", pp + "/triggers/pricing",
			`{"name": "", "type": "page", "url": {"match": "starts_with", "value": "/pricing"}, "message": {"text": "Questions?"}, "agent": {"name": "Maya"}}`,
			[]problem{{"pricing", "name", "missing"}}},
		{"name left out of an edit, with another problem", "PUT", pp + "/triggers/pricing",
			`{"type": "page", "delay": 4000, "url": {"match": "starts_with", "value": "/pricing"}, "message": {"text": "Questions?"}, "agent": {"name": "Maya"}}`,
			[]problem{{"pricing", "delay", "out_of_range"}, {"pricing", "name", "missing"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.published(t, "p")
			er := wantError(t, e.do(t, owner, tt.method, tt.path, tt.body), http.StatusUnprocessableEntity, "invalid")
			var got []problem
			for _, p := range er.Error.Problems {
				got = append(got, problem{p.TriggerID, p.Field, p.Code})
				if p.Field == "name" && (p.Index == 0 || !strings.Contains(p.Message, "name")) {
					t.Errorf("the name's problem %+v has no index, or a message that does not say what is missing", p)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems = %+v, want %+v", got, tt.want)
			}
			if !strings.Contains(er.Error.Message, "name: must not be empty") && len(tt.want) == 1 {
				t.Errorf("message = %q, want it to name the empty name", er.Error.Message)
			}
			if after := e.published(t, "p"); !bytes.Equal(after, before) {
				t.Errorf("a refused trigger changed the published set:\n%s", after)
			}
		})
	}

	// A set written whole may leave names out, as the format allows; such
	// a trigger can still be replaced one at a time without being named
	// (switched off here), but not another one's name taken away.
	unnamed := `{"id": "legacy", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
	want(t, e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{unnamed, pageTrigger("pricing", "Pricing page", "/pricing")}), "If-Match", "*"), http.StatusOK)
	off := `{"id": "legacy", "enabled": false, "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
	want(t, e.do(t, owner, "PUT", pp+"/triggers/legacy", off), http.StatusOK)
	if set := string(e.published(t, "p")); !strings.Contains(set, `"enabled": false`) {
		t.Errorf("switching off a trigger that never had a name was not published:\n%s", set)
	}
}

// A copy of a trigger that never had a name is named after the original's
// id, so that the list can show it and the editor save it as it is.
func TestDuplicateNamesTheCopyOfAnUnnamedTrigger(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	pp := "/api/v1/properties/p"
	unnamed := `{"id": "legacy", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
	want(t, e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{unnamed}), "If-Match", "*"), http.StatusOK)
	r := e.do(t, owner, "POST", pp+"/triggers/legacy/duplicate", nil)
	want(t, r, http.StatusCreated)
	var copied struct{ ID, Name string }
	if err := json.Unmarshal(r.Body, &copied); err != nil {
		t.Fatalf("duplicate answered %s: %v", r.Body, err)
	}
	if copied.Name != "legacy (copy)" {
		t.Errorf("the copy of an unnamed trigger is named %q, want %q", copied.Name, "legacy (copy)")
	}
	// A name of spaces is no name.
	spaces := `{"id": "blank", "name": "   ", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}}`
	want(t, e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{spaces}), "If-Match", "*"), http.StatusOK)
	r = e.do(t, owner, "POST", pp+"/triggers/blank/duplicate", nil)
	want(t, r, http.StatusCreated)
	if err := json.Unmarshal(r.Body, &copied); err != nil {
		t.Fatalf("duplicate answered %s: %v", r.Body, err)
	}
	if copied.Name != "blank (copy)" {
		t.Errorf("the copy of a trigger named with spaces is named %q, want %q", copied.Name, "blank (copy)")
	}
	// The copy can be saved back as it is, one at a time.
	body, _ := json.Marshal(map[string]any{"id": copied.ID, "name": copied.Name, "enabled": false, "type": "site",
		"message": map[string]string{"text": "Hi"}, "agent": map[string]string{"name": "A"}})
	want(t, e.do(t, owner, "PUT", pp+"/triggers/"+copied.ID, string(body)), http.StatusOK)
}

// Copies of one trigger are numbered, so that the list and the delete
// dialog can tell them apart; a long name gives way to the suffix.
func TestDuplicateNumbersTheCopies(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	pp := "/api/v1/properties/p"
	long := strings.Repeat("n", widget.MaxTriggerNameLen)
	want(t, e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{pageTrigger("pricing", "Pricing page", "/pricing"), pageTrigger("long", long, "/long")}), "If-Match", "*"), http.StatusOK)
	var names []string
	for _, id := range []string{"pricing", "pricing", "pricing", "long", "long"} {
		r := e.do(t, owner, "POST", pp+"/triggers/"+id+"/duplicate", nil)
		want(t, r, http.StatusCreated)
		var copied struct{ Name string }
		if err := json.Unmarshal(r.Body, &copied); err != nil {
			t.Fatalf("duplicate answered %s: %v", r.Body, err)
		}
		names = append(names, copied.Name)
	}
	cut := strings.Repeat("n", widget.MaxTriggerNameLen-len(" (copy)")-1) + "…"
	cut2 := strings.Repeat("n", widget.MaxTriggerNameLen-len(" (copy 2)")-1) + "…"
	wantNames := []string{"Pricing page (copy)", "Pricing page (copy 2)", "Pricing page (copy 3)", cut + " (copy)", cut2 + " (copy 2)"}
	if !slices.Equal(names, wantNames) {
		t.Errorf("copies named %q\nwant %q", names, wantNames)
	}
}
