package widget_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Trigger builders. Each returns a valid trigger of its type; tests change
// what they are about.

func trig(id, typ string, delay int) widget.Trigger {
	return widget.Trigger{
		ID: id, Name: "Trigger " + id, Type: typ, Delay: delay,
		Message: &widget.Message{Text: "Hello from " + id},
		Agent:   widget.Agent{Name: "Maya"},
	}
}

func siteT(id string, delay int) widget.Trigger { return trig(id, widget.TypeSite, delay) }

func pageT(id string, delay int, match, value string) widget.Trigger {
	t := trig(id, widget.TypePage, delay)
	t.URL = &widget.URLRule{Match: match, Value: value}
	return t
}

func rescueT(id string, delay int) widget.Trigger { return trig(id, widget.TypeChatRescue, delay) }

func maxT(id string, delay int) widget.Trigger { return trig(id, widget.TypeMaximized, delay) }

// with returns t changed by f.
func with(t widget.Trigger, f func(*widget.Trigger)) widget.Trigger {
	f(&t)
	return t
}

func onceEver(t widget.Trigger) widget.Trigger {
	t.OncePerVisitor = true
	return t
}

func disabled(t widget.Trigger) widget.Trigger {
	f := false
	t.Enabled = &f
	return t
}

func setOf(triggers ...widget.Trigger) *widget.Set {
	return &widget.Set{Version: widget.FormatVersion, Property: "acme", Triggers: triggers}
}

// compileOK compiles a set that must have no problems.
func compileOK(t *testing.T, s *widget.Set) *widget.Compiled {
	t.Helper()
	c := widget.Compile(s)
	if len(c.Problems) != 0 {
		t.Fatalf("test set has problems: %v", c.Problems)
	}
	return c
}

func triggerIDs(c *widget.Compiled) []string {
	ids := make([]string, 0, len(c.Triggers))
	for _, t := range c.Triggers {
		ids = append(ids, t.ID)
	}
	return ids
}

// asValidation asserts err is a *ValidationError and returns it.
func asValidation(t *testing.T, err error) *widget.ValidationError {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want a *ValidationError")
	}
	var ve *widget.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	return ve
}

// hasProblem reports whether problems name the trigger and field.
func hasProblem(problems []widget.FieldError, triggerID, field string) bool {
	for _, p := range problems {
		if p.TriggerID == triggerID && p.Field == field {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
