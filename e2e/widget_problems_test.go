//go:build !js

package e2e

import (
	"strings"
	"testing"
)

// A set whose widget object has mistakes still runs: each mistake reaches
// the host page's error listeners as a problem of the set (no trigger
// named), and the triggers fire as usual.
func TestWidgetObjectProblems_ReportedTriggersRun(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	env.world.publish(t, tb.prop, `{"version": 1, "property": `+jsString(tb.prop)+`,
		"triggers": [{"id": "good", "type": "site", "delay": 0, "message": {"text": "Valid"}, "agent": {"name": "Apollo"}}],
		"widget": {"color": "teal", "offset": 900, "title": "Hello"}}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("good")
	want := map[string]bool{"widget.color": false, "widget.offset": false}
	for _, e := range tb.errorEvents() {
		field, _, _ := strings.Cut(e.Message, ":")
		if _, ok := want[field]; !ok {
			t.Errorf("unexpected error event %+v", e)
			continue
		}
		want[field] = true
		if e.Code != "invalid_trigger" || e.TriggerID != "" {
			t.Errorf("error event %+v: want code invalid_trigger and no trigger id", e)
		}
	}
	for field, seen := range want {
		if !seen {
			t.Errorf("no error event names %s; error events: %+v", field, tb.errorEvents())
		}
	}
	tb.assertNoUncaught()
}
