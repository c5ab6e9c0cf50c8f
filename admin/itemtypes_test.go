//go:build !js

package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// A value of the wrong JSON type in one trigger or shortcut is reported
// on its field, not as a place in the whole set the client never sent.
func TestItemWrongTypeNamesTheField(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	const pp = "/api/v1/properties/p"
	tests := []struct {
		name, method, path, body string
		trigger, field, message  string
	}{
		{"delay as text", "PUT", pp + "/triggers/welcome",
			`{"name":"W","type":"site","delay":"20","message":{"text":"hi"},"agent":{"name":"A"}}`,
			"welcome", "delay", "must be a whole number, not a string"},
		{"suggestions as text", "POST", pp + "/triggers",
			`{"id":"s","type":"site","suggestions":"yes","message":{"text":"hi"},"agent":{"name":"A"}}`,
			"s", "suggestions", "must be a list, not a string"},
		{"id as a number", "POST", pp + "/triggers",
			`{"id":5,"type":"site","message":{"text":"hi"},"agent":{"name":"A"}}`,
			"", "id", "must be text, not a number"},
		{"shortcut text as a number", "POST", pp + "/shortcuts", `{"id":"x","text":3}`,
			"", "text", `shortcut "x": must be text, not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			er := wantError(t, e.do(t, owner, tt.method, tt.path, tt.body), http.StatusUnprocessableEntity, "invalid")
			if len(er.Error.Problems) != 1 {
				t.Fatalf("problems = %+v, want one", er.Error.Problems)
			}
			p := er.Error.Problems[0]
			if p.TriggerID != tt.trigger || p.Field != tt.field || p.Code != "wrong_type" || !strings.Contains(p.Message, tt.message) {
				t.Errorf("problem = %+v, want trigger %q field %q code wrong_type message %q", p, tt.trigger, tt.field, tt.message)
			}
		})
	}
	// A condition's value may be any JSON: not a type error.
	r := e.do(t, owner, "POST", pp+"/triggers", `{"id":"adv","name":"Adv","type":"advanced","event":"page_view",
		"conditions":[{"field":"page.path","op":"in","value":["/a","/b"]}],"actions":[{"type":"add_tags","tags":["x"]}]}`)
	want(t, r, http.StatusCreated)
}

// An id made from a name avoids the words the admin's URLs use.
func TestMadeIDsAvoidReservedWords(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	r := e.do(t, owner, "POST", "/api/v1/properties/p/triggers", `{"name":"New","type":"site","message":{"text":"hi"},"agent":{"name":"A"}}`)
	want(t, r, http.StatusCreated)
	if loc := r.Header.Get("Location"); !strings.HasSuffix(loc, "/triggers/new-2") {
		t.Errorf("a trigger named New was made at %q, want id new-2", loc)
	}
}

// A duplicated trigger starts switched off, so it never doubles a message.
func TestDuplicateStartsDisabled(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	r := e.do(t, owner, "POST", "/api/v1/properties/p/triggers/welcome/duplicate", nil)
	want(t, r, http.StatusCreated)
	if !strings.Contains(string(r.Body), `"enabled":false`) {
		t.Errorf("duplicate = %s, want it disabled", r.Body)
	}
}
