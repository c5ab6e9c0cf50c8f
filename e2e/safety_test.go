//go:build !js

package e2e

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// mustJSON encodes v for a trigger set, failing the test on error.
func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Everything from a trigger set (text, agent name, suggestions,
// trigger name) and from the host page (agentMessage, visitorMessage) is
// shown as text; no markup becomes HTML or script.
func TestXSS_PayloadsShownAsText(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	const (
		img    = `<img src=x onerror="window.__pwned=1">`
		script = `<script>window.__pwned=1</script>`
		svg    = `"><svg onload="window.__pwned=1">`
		iframe = `<iframe src="javascript:parent.__pwned=1"></iframe>`
		name   = `<b>owner</b>` + script + img
	)
	text := img + "\n" + script + "\n" + svg + "\n" + iframe + "\nhttps://evil.example/x"
	tb.publish(
		mustJSON(t, map[string]any{
			"id": "xss", "name": name, "type": "site", "delay": 0,
			"message": map[string]any{"text": text}, "agent": map[string]any{"name": svg},
			"suggestions": []string{img, script, svg},
		}),
		mustJSON(t, map[string]any{
			"id": "xss2", "name": svg, "type": "site", "delay": 0,
			"message": map[string]any{"text": script}, "agent": map[string]any{"name": img},
		}),
	)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("xss")
	tb.waitMessage("xss2")
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Fatalf("the payload set was not accepted as valid: %+v", errs)
	}
	tb.exec(`TriggerWidget.agentMessage({name: ` + jsString(svg) + `, text: ` + jsString(img) + `}); TriggerWidget.visitorMessage(` + jsString(iframe) + `);`)
	tb.poll("the host's lines", shadowCount("[data-part=chat-message]")+" >= 2")
	tb.click("[data-part=launcher]")
	tb.typeInto("[data-part=input]", script+"\n")
	tb.poll("the typed line", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 2")

	var got struct {
		Text, Name, Text2, Name2, AgentName, AgentText string
		Suggestions, Visitor                           []string
		Links                                          int
	}
	tb.eval(`(() => {
		const m = `+shadowQ(msgSel("xss"))+`, m2 = `+shadowQ(msgSel("xss2"))+`;
		const r = document.getElementById('triggerwidget-root').shadowRoot;
		const a = r.querySelector('[data-part=chat-message][data-kind=agent]');
		return {
			Text: m.querySelector('[data-part=text]').textContent,
			Name: m.querySelector('[data-part=agent-name]').textContent,
			Text2: m2.querySelector('[data-part=text]').textContent,
			Name2: m2.querySelector('[data-part=agent-name]').textContent,
			AgentName: a.querySelector('[data-part=agent-name]')?.textContent,
			AgentText: a.querySelector('[data-part=text]')?.textContent,
			Suggestions: [...m.querySelectorAll('[data-part=suggestion], [data-part=suggestion-retired]')].map(b => b.textContent),
			Visitor: [...r.querySelectorAll('[data-part=chat-message][data-kind=visitor]')].map(v => v.textContent),
			Links: m.querySelectorAll('a').length,
		};
	})()`, &got)
	if got.Text != text {
		t.Errorf("message text = %q, want the payload %q as text", got.Text, text)
	}
	if got.Name != svg || got.Name2 != img || got.Text2 != script {
		t.Errorf("agent names %q, %q and text %q, want the payloads as text", got.Name, got.Name2, got.Text2)
	}
	if !slices.Equal(got.Suggestions, []string{img, script, svg}) {
		t.Errorf("suggestions = %q, want the payloads as text", got.Suggestions)
	}
	if got.AgentName != svg || got.AgentText != img {
		t.Errorf("agentMessage line = %q / %q, want the payloads as text", got.AgentName, got.AgentText)
	}
	if !slices.Equal(got.Visitor, []string{iframe, script}) {
		t.Errorf("visitor lines = %q, want the payloads as text", got.Visitor)
	}
	if got.Links != 0 {
		t.Errorf("%d links in the message; URLs in text must stay plain text", got.Links)
	}

	tb.sleep(time.Second) // let any injected onerror/onload run
	var pwned any
	tb.eval("window.__pwned", &pwned)
	if pwned != nil {
		t.Errorf("window.__pwned = %v: a payload ran", pwned)
	}
	var foreign []string
	tb.eval(`(() => {
		const out = [];
		const r = document.getElementById('triggerwidget-root').shadowRoot;
		const allowed = new Set(['STYLE', 'DIV', 'SECTION', 'HEADER', 'STRONG', 'SPAN', 'BUTTON', 'FORM', 'INPUT', 'IMG', 'TIME', 'LABEL', 'TEXTAREA', 'P', 'I']);
		for (const el of r.querySelectorAll('*')) {
			if (!allowed.has(el.tagName)) out.push('element ' + el.tagName);
			for (const at of el.attributes) if (at.name.startsWith('on')) out.push(el.tagName + ' has ' + at.name);
			if (el.tagName === 'IMG' && (el.getAttribute('data-part') !== 'agent-image' || /\/x$|^x$/.test(el.getAttribute('src')))) out.push('img ' + el.outerHTML);
		}
		for (const el of document.querySelectorAll('img, svg, iframe, b')) out.push('host page ' + el.outerHTML);
		if (r.textContent.includes(`+jsString(name)+`)) out.push('the trigger name is shown to the visitor');
		return out;
	})()`, &foreign)
	if len(foreign) != 0 {
		t.Errorf("markup from the payloads became DOM:\n%s", strings.Join(foreign, "\n"))
	}
	tb.assertNoUncaught()
}

// The runtime skips only the broken triggers, reports each through
// the error event (code invalid_trigger, naming the trigger) and the
// console, and runs the rest.
func TestInvalidTrigger_SkippedOthersRun(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(
		`{"id": "good", "name": "Good", "type": "site", "delay": 0, "message": {"text": "Valid"}, "agent": {"name": "Apollo"}}`,
		`{"id": "too-slow", "name": "Delay", "type": "site", "delay": 99999, "message": {"text": "Never"}, "agent": {"name": "Apollo"}}`,
		`{"id": "too-many", "name": "Suggestions", "type": "site", "delay": 0, "message": {"text": "Never"}, "agent": {"name": "Apollo"},
			"suggestions": ["a", "b", "c", "d", "e"]}`,
		`{"id": "good-page", "name": "Good page", "type": "page", "delay": 1, "url": {"match": "contains", "value": "/home"},
			"message": {"text": "Also valid"}, "agent": {"name": "Apollo"}}`,
	)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("good")
	tb.fireAfter(tb.state().Visit.Start, time.Second, "good-page")

	byTrigger := map[string][]errorEvent{}
	for _, e := range tb.errorEvents() {
		byTrigger[e.TriggerID] = append(byTrigger[e.TriggerID], e)
	}
	for _, id := range []string{"too-slow", "too-many"} {
		errs := byTrigger[id]
		if len(errs) == 0 {
			t.Errorf("no error event names trigger %q; error events: %+v", id, tb.errorEvents())
			continue
		}
		for _, e := range errs {
			if e.Code != "invalid_trigger" || !strings.Contains(e.Message, id) {
				t.Errorf("error event for %s = %+v, want code invalid_trigger and a message naming it", id, e)
			}
		}
	}
	for id := range byTrigger {
		if id != "too-slow" && id != "too-many" {
			t.Errorf("unexpected error events for %q: %+v", id, byTrigger[id])
		}
	}
	var load struct {
		Triggers int      `json:"triggers"`
		Skipped  []string `json:"skipped"`
	}
	tb.events("load")[0].decode(t, &load)
	slices.Sort(load.Skipped)
	if load.Triggers != 2 || !slices.Equal(load.Skipped, []string{"too-many", "too-slow"}) {
		t.Errorf("load = %+v, want 2 triggers and too-many, too-slow skipped", load)
	}
	if n := tb.count("[data-part=message]"); n != 2 {
		t.Errorf("%d messages shown, want the 2 valid ones", n)
	}
	tb.mu.Lock()
	console := strings.Join(tb.consoleErr, "\n")
	tb.mu.Unlock()
	if !strings.Contains(console, "too-slow") || !strings.Contains(console, "too-many") {
		t.Errorf("the console does not report both broken triggers; console errors:\n%s", console)
	}
	tb.assertNoUncaught()
}

// hostApp is a host page's own script: a ticking counter and a button.
const hostApp = `<button id="btn" style="position:fixed;left:20px;top:80px;width:120px;height:40px">Host button</button>
<script>
window.__ticks = 0; setInterval(function () { __ticks++; }, 20);
window.__clicks = 0; document.getElementById('btn').addEventListener('click', function () { __clicks++; });
</script>`

// An unreachable or garbage trigger set leaves the host page
// working: its scripts run, nothing is thrown into it, an error event is
// emitted, and no widget appears.
func TestBadTriggerSet_HostPageKeepsWorking(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tag  func(tb *tab) page // the widget tag's attributes
	}{
		{"404", func(tb *tab) page { return page{Triggers: tb.dir() + "/missing.json"} }},
		{"unpublished-property", func(tb *tab) page { return page{Property: tb.prop} }},
		{"closed-port", func(tb *tab) page { return page{Triggers: closedPortURL(tb.t, "/triggers.json")} }},
		{"garbage", func(tb *tab) page {
			env.world.serve(tb.t, tb.dir()+"/garbage.json", "application/json", `<html>this is { not JSON`)
			return page{Triggers: tb.dir() + "/garbage.json"}
		}},
		{"unknown-version", func(tb *tab) page {
			env.world.serve(tb.t, tb.dir()+"/v2.json", "application/json", `{"version": 2, "property": "x", "triggers": []}`)
			return page{Triggers: tb.dir() + "/v2.json"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			p := tc.tag(tb)
			p.Body = hostApp
			tb.navigate(tb.page("home", p))
			tb.poll("an error event", `__events.some(e => e.name === 'error')`)
			errs := tb.errorEvents()
			if errs[0].Code != "load" || errs[0].Message == "" {
				t.Errorf("error event = %+v, want the code load and a message", errs[0])
			}
			if n := len(tb.events("load")); n != 0 {
				t.Errorf("load emitted %d times for a set that could not be used", n)
			}

			var ticks int
			tb.eval("__ticks", &ticks)
			tb.poll("the host page's timer", "__ticks > "+strconv.Itoa(ticks+5))
			tb.run("click the host button", chromedp.Click(chromedp.CSS("#btn")))
			tb.poll("the host page's click handler", "__clicks === 1")
			var rest struct {
				Root   bool
				Pushed bool
			}
			tb.eval(`(() => {
				TriggerWidget.maximize(); TriggerWidget.setStatus('online'); TriggerWidget.getState();
				history.pushState({}, '', '?after=1');
				return {Root: document.getElementById('triggerwidget-root') !== null, Pushed: location.search === '?after=1'};
			})()`, &rest)
			if rest.Root {
				t.Errorf("#triggerwidget-root is present although the set could not be used")
			}
			if !rest.Pushed {
				t.Errorf("history.pushState no longer works in the host page")
			}
			tb.assertNoUncaught()
		})
	}
}

// When storage is unavailable (blocked by privacy settings, a
// sandboxed frame, private mode, quota) the runtime keeps going in memory,
// and nothing is thrown into the host page.
func TestStorageUnavailable_RunsInMemory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, block string }{
		// What Chrome does when site data is blocked: the getter throws.
		{"localStorage-getter-throws", `Object.defineProperty(window, 'localStorage', { get: function () { throw new DOMException('blocked', 'SecurityError'); } });`},
		{"setItem-quota", `Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };`},
		{"cookie-throws", `Object.defineProperty(Document.prototype, 'cookie', {
			get: function () { throw new DOMException('blocked', 'SecurityError'); },
			set: function () { throw new DOMException('blocked', 'SecurityError'); } });`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newClockTab(t)
			tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 1, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
			tb.navigate(tb.sitePage("home", page{Head: tc.block}))
			tb.waitLoad()
			start := tb.state().Visit.Start
			tb.fireAfter(start, time.Second, "welcome")
			tb.assertFiredAfter("welcome", start, 1)
			tb.assertNoUncaught()
		})
	}
}
