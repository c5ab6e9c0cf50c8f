//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"
)

// The test clock's hook (wasm/testclock.go) is test machinery, but it runs in
// the host page like the API and must behave like it: only the test-clock
// build has it, and a refused call is an error event, never an exception,
// and leaves the clock where it was.
func TestTestClock_Hook(t *testing.T) {
	t.Parallel()
	const welcome = `{"id": "welcome", "name": "Welcome", "type": "site", "delay": 1, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`
	t.Run("not-shipped", func(t *testing.T) {
		t.Parallel()
		tb := newTab(t)
		tb.publish(welcome)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		var has bool
		tb.eval(`'__testClock' in TriggerWidget`, &has)
		if has {
			t.Errorf("the shipped build put TriggerWidget.__testClock on the page")
		}
	})
	t.Run("refused-calls", func(t *testing.T) {
		t.Parallel()
		tb := newClockTab(t)
		tb.publish(welcome)
		// A listener that advances the clock while the clock is advancing.
		tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.on('triggerFired', function () { window.__nested = TriggerWidget.__testClock.advance(5000); });`}))
		tb.waitLoad()
		start := tb.clockNow()
		var got []any
		tb.eval(`['1000', -1, NaN, Infinity, undefined].map(ms => TriggerWidget.__testClock.advance(ms))`, &got)
		for i, v := range got {
			if v != nil {
				t.Errorf("refused call %d returned %v, want undefined", i, v)
			}
		}
		if now := tb.clockNow(); now != start {
			t.Errorf("refused calls moved the clock from %d to %d", start, now)
		}
		tb.fireAfter(start, time.Second, "welcome")
		var nested any
		tb.eval(`window.__nested`, &nested)
		if nested != nil {
			t.Errorf("advance() from a listener during advance() returned %v, want undefined", nested)
		}
		if now := tb.clockNow(); now != start+1000 {
			t.Errorf("after the nested advance() the clock is %d ms past the start, want 1000", now-start)
		}
		errs := tb.errorEvents()
		if len(errs) != len(got)+1 {
			t.Errorf("%d error events for %d refused calls: %+v", len(errs), len(got)+1, errs)
		}
		for _, e := range errs {
			if e.Code != "api" || !strings.Contains(e.Message, "__testClock.advance") {
				t.Errorf("error event %+v, want code api naming __testClock.advance", e)
			}
		}
		tb.assertNoUncaught()
	})
}
