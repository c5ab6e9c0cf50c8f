//go:build !js

package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// Several tabs of one visitor (one browser context: cookies and
// localStorage shared) share one visit: a trigger fires once in total and
// shows in every tab, and messages reach every tab. These tests run on the
// shipped build and its real clock: each tab would have its own test clock.

// sibling opens another tab of the same visitor: the same browser context,
// the same property.
func (tb *tab) sibling() *tab {
	tb.t.Helper()
	s := openTab(tb.t, tb.prop, tb.ctx)
	s.testClock = tb.testClock
	return s
}

// triggerFiredCount is how many triggerFired events of id the page saw.
func (tb *tab) triggerFiredCount(id string) int {
	tb.t.Helper()
	var n int
	tb.eval(`__events.filter(e => e.name === 'triggerFired' && e.data.triggerId === `+jsString(id)+`).length`, &n)
	return n
}

// chatTexts lists the texts of the visitor and agent lines shown.
func (tb *tab) chatTexts() []string {
	tb.t.Helper()
	var out []string
	tb.eval(`Array.from(document.getElementById('triggerwidget-root')?.shadowRoot?.querySelectorAll('[data-part=chat-message][data-kind=visitor]') ?? []).map(e => e.textContent)`, &out)
	return out
}

func TestTabs_TriggerFiresOnceInEveryTab(t *testing.T) {
	t.Parallel()
	const delay = 6
	first := newTab(t)
	first.publish(`{"id": "welcome", "type": "site", "delay": 6, "message": {"text": "Hello from one visit"}, "agent": {"name": "Ann"}}`)
	a := first.sitePage("a.html", page{Title: "page A"})
	b := first.sitePage("b.html", page{Title: "page B"})
	first.navigate(a)
	first.waitLoad()

	second, third := first.sibling(), first.sibling()
	second.navigate(b)
	second.waitLoad()
	// The third tab opens mid-countdown.
	third.navigate(a)
	third.waitLoad()
	var armed bool
	third.eval(`TriggerWidget.getState().armed.some(a => a.triggerId === 'welcome') && TriggerWidget.getState().fired.length === 0`, &armed)
	if !armed {
		t.Fatalf("the welcome countdown was over before the third tab loaded (a slow machine?): the test would not test a tab opened mid-countdown%s", third.diagnostics())
	}

	tabs := []*tab{first, second, third}
	for _, tb := range tabs {
		tb.waitMessage("welcome")
	}
	// Past the delay with a margin: still once everywhere.
	first.sleep(margin)
	fired := 0
	for i, tb := range tabs {
		fired += tb.triggerFiredCount("welcome")
		if n := tb.count(msgSel("welcome")); n != 1 {
			t.Errorf("tab %d shows the welcome message %d times, want once", i+1, n)
		}
		var firedIDs []string
		tb.eval(`TriggerWidget.getState().fired.map(f => f.triggerId)`, &firedIDs)
		if len(firedIDs) != 1 {
			t.Errorf("tab %d: getState().fired = %q, want welcome once", i+1, firedIDs)
		}
		tb.assertNoUncaught()
	}
	if fired != 1 {
		t.Errorf("triggerFired for welcome %d times across %d tabs, want once (delay %d s)", fired, len(tabs), delay)
	}
}

// chatTabs opens n tabs of one browser on a page of a property whose one
// trigger is an hour away, each loaded: tabs to chat in.
func chatTabs(t *testing.T, n int) []*tab {
	t.Helper()
	first := newTab(t)
	first.publish(`{"id": "later", "type": "site", "delay": 3600, "message": {"text": "x"}, "agent": {"name": "Ann"}}`)
	p := first.sitePage("index.html", page{})
	tabs := []*tab{first}
	for len(tabs) < n {
		tabs = append(tabs, first.sibling())
	}
	for _, tb := range tabs {
		tb.navigate(p)
		tb.waitLoad()
	}
	return tabs
}

func TestTabs_VisitorMessageReachesEveryTab(t *testing.T) {
	t.Parallel()
	tabs := chatTabs(t, 3)
	first, second, third := tabs[0], tabs[1], tabs[2]

	second.click("[data-part=launcher]")
	second.typeInto("[data-part=input]", "typed in the second tab\r")
	for i, tb := range []*tab{first, second, third} {
		tb.poll(fmt.Sprintf("the message in tab %d", i+1), `Array.from(document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-part=chat-message][data-kind=visitor]')).some(e => e.textContent.includes('typed in the second tab'))`)
	}
	first.exec(`TriggerWidget.agentMessage({name: "Ann", text: "answered from the first tab"})`)
	third.poll("the agent's answer in the third tab", `document.getElementById('triggerwidget-root').shadowRoot.textContent.includes('answered from the first tab')`)
}

func TestTabs_RapidMessagesFromTwoTabsAllSurvive(t *testing.T) {
	t.Parallel()
	const n = 25
	tabs := chatTabs(t, 2)
	first, second := tabs[0], tabs[1]

	// Both tabs send at once, a message every few milliseconds.
	var wg sync.WaitGroup
	for name, tb := range map[string]*tab{"A": first, "B": second} {
		wg.Go(func() {
			tb.exec(`(async () => { for (let i = 0; i < ` + fmt.Sprint(n) + `; i++) { TriggerWidget.visitorMessage('` + name + `' + i); await new Promise(r => setTimeout(r, 3)); } })()`)
		})
	}
	wg.Wait()
	want := 2 * n
	for i, tb := range []*tab{first, second} {
		tb.pollFor(fmt.Sprintf("all %d messages in tab %d", want, i+1), `document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-part=chat-message][data-kind=visitor]').length >= `+fmt.Sprint(want), waitTimeout)
	}
	// Give late writes a moment, then check what every tab and storage hold.
	first.sleep(500 * time.Millisecond)
	for i, tb := range []*tab{first, second} {
		got := tb.chatTexts()
		if missing := missingMessages(got, n); len(missing) > 0 || len(got) != want {
			t.Errorf("tab %d shows %d messages (missing %q), want %d once each: %q", i+1, len(got), missing, want, got)
		}
		var stored []string
		tb.eval(`(JSON.parse(localStorage.getItem(`+jsString("triggerwidget:"+tb.prop+":visit")+`)).transcript || []).filter(e => e.kind === 'visitor').map(e => e.text)`, &stored)
		if missing := missingMessages(stored, n); len(missing) > 0 {
			t.Errorf("storage (read in tab %d) lacks %q", i+1, missing)
		}
		// The screen shows the lines in time order, also those adopted
		// from the other tab after this tab's own later ones (two lines of
		// the same millisecond may come either way).
		var ats []int64
		tb.eval(`Array.from(document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-part=chat-message][data-kind=visitor] time[data-at]')).map(t => +t.getAttribute('data-at'))`, &ats)
		if len(ats) != len(got) {
			t.Errorf("tab %d: %d of %d lines have a time", i+1, len(ats), len(got))
		}
		for k := 1; k < len(ats); k++ {
			if ats[k] < ats[k-1] {
				t.Errorf("tab %d shows %q (at %d) after %q (at %d): not in time order\n%q", i+1, got[k], ats[k], got[k-1], ats[k-1], got)
				break
			}
		}
		var ids []int
		tb.eval(`TriggerWidget.getState().messages.map(m => m.id)`, &ids)
		seen := map[int]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("tab %d: message id %d used twice", i+1, id)
			}
			seen[id] = true
		}
		tb.assertNoUncaught()
	}
}

// missingMessages lists the messages A0…A(n-1), B0…B(n-1) not in got.
func missingMessages(got []string, n int) []string {
	have := map[string]bool{}
	for _, s := range got {
		have[strings.TrimSpace(s)] = true
	}
	var missing []string
	for _, p := range []string{"A", "B"} {
		for i := 0; i < n; i++ {
			if m := fmt.Sprint(p, i); !have[m] {
				missing = append(missing, m)
			}
		}
	}
	return missing
}

// Without Web Locks, or when they fail, the tabs fall back to storage
// events alone: nothing is thrown into the page, the trigger fires, and
// messages still reach the other tab.
func TestTabs_WithoutWebLocks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, head string }{
		{"missing", `Object.defineProperty(Navigator.prototype, 'locks', {get() { return undefined; }});`},
		{"throwing", `Object.defineProperty(Navigator.prototype, 'locks', {get() { return {request() { throw new DOMException('denied', 'SecurityError'); }}; }});`},
		{"rejecting", `Object.defineProperty(Navigator.prototype, 'locks', {get() { return {request() { return Promise.reject(new DOMException('denied', 'SecurityError')); }}; }});`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			first := newTab(t)
			first.publish(`{"id": "welcome", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Ann"}}`)
			p := first.sitePage("index.html", page{Head: tc.head})
			first.navigate(p)
			first.waitLoad()
			first.waitMessage("welcome")
			second := first.sibling()
			second.navigate(p)
			second.waitLoad()
			second.waitMessage("welcome")
			first.exec(`TriggerWidget.visitorMessage("sent from the first tab")`)
			second.poll("the first tab's message in the second", `document.getElementById('triggerwidget-root').shadowRoot.textContent.includes('sent from the first tab')`)
			if n := first.triggerFiredCount("welcome") + second.triggerFiredCount("welcome"); n != 1 {
				t.Errorf("welcome fired %d times, want once", n)
			}
			first.assertNoUncaught()
			second.assertNoUncaught()
		})
	}
}

// A chat platform connected in every tab relays each agent message from
// every tab, with its own id for it: each tab shows each message once,
// even when the tabs relay it in the same few milliseconds.
func TestTabs_AgentMessageRelayedByEveryTabShownOnce(t *testing.T) {
	t.Parallel()
	const n = 10
	tabs := chatTabs(t, 2)
	var wg sync.WaitGroup
	for _, tb := range tabs {
		wg.Go(func() {
			tb.exec(`(async () => { for (let i = 0; i < ` + fmt.Sprint(n) + `; i++) { TriggerWidget.agentMessage({name: "Ann", text: "relayed " + i, id: "platform-" + i}); await new Promise(r => setTimeout(r, 2)); } })()`)
		})
	}
	wg.Wait()
	agentLines := `Array.from(document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-part=chat-message][data-kind=agent] [data-part=text]')).map(e => e.textContent)`
	for i, tb := range tabs {
		tb.pollFor(fmt.Sprintf("%d agent lines in tab %d", n, i+1), agentLines+`.length >= `+fmt.Sprint(n), waitTimeout)
	}
	// Let the last writes and merges land, then count.
	tabs[0].sleep(500 * time.Millisecond)
	for i, tb := range tabs {
		var texts []string
		tb.eval(agentLines, &texts)
		seen := map[string]int{}
		for _, s := range texts {
			seen[s]++
		}
		if len(texts) != n || len(seen) != n {
			t.Errorf("tab %d shows %d agent lines (%d different), want each of the %d once: %q", i+1, len(texts), len(seen), n, texts)
		}
		tb.assertNoUncaught()
	}
	// An id of another type is refused by name.
	tabs[0].exec(`TriggerWidget.agentMessage({name: "Ann", text: "x", id: {}})`)
	tabs[0].poll("the refusal", `__events.some(e => e.name === 'error' && e.data.code === 'api' && e.data.message.includes('id must be a string or a number'))`)
}
