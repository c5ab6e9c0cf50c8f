//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"
)

const rescueTrigger = `{"id": "rescue", "name": "Chat rescue", "type": "chat_rescue", "delay": 2,
	"message": {"text": "Sorry for the wait! Leave your email and we will write back."}, "agent": {"name": "Support"}}`

// sendFromInput opens the widget and sends text from its input, as a
// visitor would, returning the visitor message's time in the transcript.
func (tb *tab) sendFromInput(text string) int64 {
	tb.t.Helper()
	tb.click("[data-part=launcher]")
	tb.poll("the open panel", shadowQ("[data-part=panel]")+"?.checkVisibility()")
	tb.click("[data-part=input]")
	tb.typeInto("[data-part=input]", text+"\n")
	tb.poll("the visitor's message", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
	vm := tb.events("visitorMessage")
	if len(vm) != 1 || string(vm[0].Data) != `{"text":`+jsString(text)+`,"source":"input"}` {
		tb.t.Errorf("visitorMessage events = %+v, want one {text: %q, source: input}", vm, text)
	}
	return tb.visitorAt()
}

// visitorAt is the time of the visitor's first message in getState().
func (tb *tab) visitorAt() int64 {
	tb.t.Helper()
	for _, m := range tb.state().Messages {
		if m.Kind == "visitor" {
			return m.At
		}
	}
	tb.t.Fatalf("no visitor message in getState().messages%s", tb.diagnostics())
	return 0
}

// chat_rescue: the visitor's first message starts the countdown; no
// agent answers, so the rescue message comes after the delay. The chat_rescue
// test that runs the shipped build in real time (see the package comment).
func TestChatRescue_FiresWhenNoAgentAnswers(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(rescueTrigger)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	sent := tb.sendFromInput("Is anybody there?")
	var text string
	tb.eval(shadowQ("[data-part=chat-message][data-kind=visitor] [data-part=text]")+".textContent", &text)
	if text != "Is anybody there?" {
		t.Errorf("visitor line = %q", text)
	}
	if s := tb.state(); s.Chat != "requesting" {
		t.Errorf("chat state = %q after the visitor's first message, want requesting", s.Chat)
	}
	tb.waitMessage("rescue")
	tb.assertFiredAfter("rescue", sent, 2)
	tb.assertNoUncaught()
}

// chat_rescue: a suggestion click is the visitor's first message too.
func TestChatRescue_FiresAfterSuggestion(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
		"message": {"text": "Hello"}, "agent": {"name": "Apollo"}, "suggestions": ["I have a question"]}`, rescueTrigger)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.click("[data-part=launcher]")
	tb.click(msgSel("welcome") + " button[data-part=suggestion]")
	tb.poll("the visitor's message", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
	sent := tb.visitorAt()
	tb.fireAfter(sent, 2*time.Second, "rescue")
	tb.assertFiredAfter("rescue", sent, 2)
	tb.assertNoUncaught()
}

// chat_rescue: an agent message or an agent joining in time cancels
// the rescue.
func TestChatRescue_NotWhenAgentAnswers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, call, line string
	}{
		{"agentMessage", `TriggerWidget.agentMessage({name: 'Bob', text: 'hi'})`, "[data-part=chat-message][data-kind=agent]"},
		{"agentJoined", `TriggerWidget.agentJoined('Bob')`, "[data-part=chat-message][data-kind=system]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newClockTab(t)
			tb.publish(rescueTrigger)
			tb.navigate(tb.sitePage("home", page{}))
			tb.waitLoad()
			tb.sendFromInput("Hello?")
			tb.exec(tc.call)
			tb.poll("the agent's line", shadowQ(tc.line)+" != null")
			var line string
			tb.eval(shadowQ(tc.line)+".textContent", &line)
			if !strings.Contains(line, "Bob") {
				t.Errorf("agent line %q does not name Bob", line)
			}
			if s := tb.state(); s.Chat != "served" || s.armed("rescue") {
				t.Errorf("after the agent answered: chat %q, armed %+v; want served, rescue not armed", s.Chat, s.Armed)
			}
			tb.advance(2*time.Second + margin)
			if ids := tb.firedEvents(); len(ids) != 0 {
				t.Errorf("triggerFired %q although an agent answered", ids)
			}
			if n := tb.count(msgSel("rescue")); n != 0 {
				t.Errorf("rescue message shown although an agent answered")
			}
			tb.assertNoUncaught()
		})
	}
}

// Suggestions: a click sends the text as the visitor's message
// (suggestionClicked, visitorMessage with source suggestion) and retires that
// message's buttons (kept as text), also after a reload.
func TestSuggestionClick_SendsAndRemovesButtons(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
		"message": {"text": "Hello"}, "agent": {"name": "Apollo"}, "suggestions": ["Pricing", "Talk to a human"]}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	var entry int
	tb.eval(shadowQ(msgSel("welcome"))+".getAttribute('data-entry-id') * 1", &entry)
	tb.click("[data-part=launcher]")
	tb.click(msgSel("welcome") + ` button[data-part=suggestion][data-index="1"]`)
	tb.poll("suggestionClicked", `__events.some(e => e.name === 'suggestionClicked')`)

	sc := tb.events("suggestionClicked")
	var got struct {
		TriggerID string `json:"triggerId"`
		EntryID   int    `json:"entryId"`
		Index     int    `json:"index"`
		Text      string `json:"text"`
	}
	sc[0].decode(t, &got)
	if len(sc) != 1 || got.TriggerID != "welcome" || got.EntryID != entry || got.Index != 1 || got.Text != "Talk to a human" {
		t.Errorf("suggestionClicked = %s (%d events), want {welcome, entry %d, index 1, Talk to a human}", sc[0].Data, len(sc), entry)
	}
	vm := tb.events("visitorMessage")
	if len(vm) != 1 || string(vm[0].Data) != `{"text":"Talk to a human","source":"suggestion"}` {
		t.Errorf("visitorMessage events = %+v, want one {text: Talk to a human, source: suggestion}", vm)
	}
	tb.poll("the visitor's line", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
	var line string
	tb.eval(shadowQ("[data-part=chat-message][data-kind=visitor]")+".textContent", &line)
	if line != "Talk to a human" {
		t.Errorf("visitor line = %q, want the suggestion's text", line)
	}
	if n := tb.count(msgSel("welcome") + " button[data-part=suggestion]"); n != 0 {
		t.Errorf("%d suggestion buttons left on the message after a click, want none", n)
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("the message itself is shown %d times after the click, want once", n)
	}

	tb.reload()
	tb.waitLoad()
	tb.waitMessage("welcome")
	if n := tb.count(msgSel("welcome") + " button[data-part=suggestion]"); n != 0 {
		t.Errorf("after reload %d suggestion buttons are back", n)
	}
	if n := tb.count("[data-part=chat-message][data-kind=visitor]"); n != 1 {
		t.Errorf("after reload %d visitor lines, want 1", n)
	}
	for _, m := range tb.state().Messages {
		if m.Kind == "trigger" && (!m.Retired || len(m.Suggestions) != 2) {
			t.Errorf("after reload getState() lists suggestions %q, retired %v; want both kept, retired", m.Suggestions, m.Retired)
		}
	}
	tb.assertNoUncaught()
}

// Using a message's suggestions changes that message in place: the
// transcript is a log whose additions a screen reader reads out, and a
// message put back whole was read again in full before the visitor's
// reply. Only the retired suggestions and the reply are added.
func TestSuggestionClick_MessageStaysInPlace(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
		"message": {"text": "Hello"}, "agent": {"name": "Apollo"}, "suggestions": ["Pricing", "Talk to a human"]}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.click("[data-part=launcher]")
	tb.exec(`(() => {
		const root = document.getElementById('triggerwidget-root').shadowRoot;
		window.__msg = root.querySelector('[data-part=message][data-trigger-id=welcome]');
		window.__added = [];
		new MutationObserver(rs => { for (const r of rs) for (const n of r.addedNodes) if (n.nodeType === 1) __added.push(n.getAttribute('data-part') || n.tagName); })
			.observe(root.querySelector('[data-part=transcript]') || window.__msg.parentNode, {childList: true, subtree: true});
	})()`)
	tb.click(msgSel("welcome") + ` button[data-part=suggestion][data-index="0"]`)
	tb.poll("the visitor's line", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
	var got struct {
		Same  bool
		Added []string
	}
	tb.eval(`({Same: document.getElementById('triggerwidget-root').shadowRoot.querySelector('[data-part=message][data-trigger-id=welcome]') === __msg, Added: __added})`, &got)
	if !got.Same {
		t.Errorf("the message was replaced by another element")
	}
	for _, a := range got.Added {
		if a == "message" {
			t.Errorf("the whole message was added to the transcript again (added: %q)", got.Added)
			break
		}
	}
	if n := tb.count(msgSel("welcome") + " [data-part=suggestion-retired]"); n != 2 {
		t.Errorf("%d retired suggestions, want 2", n)
	}
	tb.assertNoUncaught()
}
