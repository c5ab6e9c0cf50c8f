package widget_test

import (
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// lazySet has a page trigger and an advanced trigger whose regular
// expressions do not compile, and one of each that is fine.
const lazySet = `{"version": 1, "property": "acme", "triggers": [
  {"id": "bad-page", "type": "page", "url": {"match": "regex", "value": "/docs/(x"},
   "message": {"text": "bad page"}, "agent": {"name": "Maya"}},
  {"id": "bad-adv", "type": "advanced", "event": "page_view", "match": "any",
   "conditions": [{"field": "page.path", "op": "regex", "value": "[z-a]"},
                  {"field": "page.path", "op": "starts_with", "value": "/"}],
   "actions": [{"type": "send_message", "message": {"text": "bad adv"}, "agent": {"name": "Maya"}}]},
  {"id": "good-page", "type": "page", "url": {"match": "regex", "value": "/docs/.*"},
   "message": {"text": "good page"}, "agent": {"name": "Maya"}},
  {"id": "good-adv", "type": "advanced", "event": "page_view",
   "conditions": [{"field": "page.path", "op": "regex", "value": "/DOCS/.*"}],
   "actions": [{"type": "send_message", "message": {"text": "good adv"}, "agent": {"name": "Maya"}}]}
]}`

// TestLoad_BadRegexIsAProblem: the tools' road (Load, and so the admin and
// the validator) compiles every pattern at once and names a bad one.
func TestLoad_BadRegexIsAProblem(t *testing.T) {
	t.Parallel()
	c, problems := widget.Load([]byte(lazySet))
	if c == nil {
		t.Fatalf("Load refused the document: %v", problems)
	}
	for _, want := range []struct{ id, field string }{{"bad-page", "url.value"}, {"bad-adv", "conditions[0].value"}} {
		found := false
		for _, p := range problems {
			if p.TriggerID == want.id && p.Field == want.field && p.Code == widget.CodeBadRegex {
				found = true
			}
		}
		if !found {
			t.Errorf("problems %v do not name %s's %s as %s", problems, want.id, want.field, widget.CodeBadRegex)
		}
	}
	if got := triggerIDs(c); strings.Join(got, ",") != "good-page,good-adv" {
		t.Errorf("runnable triggers = %q, want only the good ones", got)
	}
}

// TestLoadLazy_BadRegexDisablesItsTriggerOnFirstUse: the runtime's road
// leaves patterns to their first use. A bad one then disables just its
// trigger, reported once as an error naming the field and bad_regex; the
// good ones run.
func TestLoadLazy_BadRegexDisablesItsTriggerOnFirstUse(t *testing.T) {
	t.Parallel()
	c, problems := widget.LoadLazy([]byte(lazySet))
	if c == nil || len(problems) != 0 {
		t.Fatalf("LoadLazy = %v, %v; want all four triggers and no problem yet", c, problems)
	}
	if got := triggerIDs(c); len(got) != 4 {
		t.Fatalf("runnable triggers = %q, want all four until their patterns are used", got)
	}
	r := startRig(t, c, widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	if errs := r.errorsWithCode(widget.ErrInvalidTrigger); len(errs) != 0 {
		t.Fatalf("errors before any pattern was used: %+v", errs)
	}
	r.view("/docs/intro")
	r.wantFired("good-page", "good-adv") // same instant: set order
	errs := r.errorsWithCode(widget.ErrInvalidTrigger)
	if len(errs) != 2 {
		t.Fatalf("invalid_trigger errors = %+v, want one for bad-page and one for bad-adv", errs)
	}
	for i, want := range []struct{ id, field string }{{"bad-page", "url.value"}, {"bad-adv", "conditions[0].value"}} {
		if errs[i].TriggerID != want.id || !strings.Contains(errs[i].Message, want.field) || !strings.Contains(errs[i].Message, "RE2") {
			t.Errorf("error %d = %+v, want trigger %s, naming %s and the bad pattern", i, errs[i], want.id, want.field)
		}
	}
	// Later page views: still disabled, and not reported again.
	r.view("/docs/other")
	r.view("/docs/intro")
	r.wantFired("good-page", "good-adv")
	if n := len(r.errorsWithCode(widget.ErrInvalidTrigger)); n != 2 {
		t.Errorf("%d invalid_trigger errors after more page views, want still 2", n)
	}
	for _, x := range r.eng.Explain().Triggers {
		if strings.HasPrefix(x.TriggerID, "bad-") && (x.State != widget.StateBlocked || x.Reason != widget.HeldInvalid) {
			t.Errorf("Explain: %s is %s (%s), want %s (%s)", x.TriggerID, x.State, x.Reason, widget.StateBlocked, widget.HeldInvalid)
		}
	}
}
