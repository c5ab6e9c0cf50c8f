//go:build !js

package e2e

import (
	"strings"
	"testing"
)

// What the widget keeps in localStorage: checked like a trigger set when
// read back, and capped in size.

// plantedVisit is a visit record as a hostile script of the site could
// write it: one valid trigger message whose text is markup, one valid
// visitor line, and lines a trigger set could not hold.
const plantedVisit = `{"v": 1, "start": NOW, "last": NOW, "pages": 1, "chat": {"state": "requesting", "seq": 1}, "next": 9223372036854775807, "transcript": [
  {"id": 1, "kind": "trigger", "triggerId": "welcome", "at": NOW, "text": "<img src=x onerror=\"window.__pwned=1\">", "agent": {"name": "Ann", "image": "avatar:robot"}},
  {"id": 2, "kind": "trigger", "triggerId": "t2", "at": NOW, "text": "click", "agent": {"name": "Ann"}, "attachments": [{"kind": "link", "url": "javascript:window.__pwned=2", "title": "Compare"}]},
  {"id": 3, "kind": "trigger", "triggerId": "t3", "at": NOW, "text": "photo", "agent": {"name": "Ann", "image": "javascript:window.__pwned=3"}},
  {"id": 4, "kind": "trigger", "triggerId": "t4", "at": NOW, "text": "file", "agent": {"name": "Ann"}, "attachments": [{"kind": "file", "url": "JAVASCRIPT:window.__pwned=4", "name": "prices.pdf"}]},
  {"id": 5, "kind": "agent", "at": NOW, "text": "hi", "agent": {"name": "Eve", "image": "http://evil.example/eve.png"}},
  {"id": 6, "kind": "trigger", "triggerId": "t6", "at": NOW, "text": "img", "agent": {"name": "Ann"}, "attachments": [{"kind": "image", "url": "data:image/svg+xml,<svg onload=window.__pwned=6>"}]},
  {"id": 7, "kind": "visitor", "at": NOW, "text": "<script>window.__pwned=7</script>"},
  {"id": 8, "kind": "html", "at": NOW, "text": "<b>bold</b>"},
  {"id": 9, "kind": "trigger", "triggerId": "t9", "at": NOW, "text": "form", "agent": {"name": "Ann"}, "attachments": [{"kind": "form", "fields": [{"name": "x", "type": "hidden"}]}]},
  {"id": 10, "kind": "visitor", "at": -9000000000000000, "text": "a time no Date holds"},
  {"id": 9223372036854775807, "kind": "visitor", "at": NOW, "text": "the last id there is"}
]}`

func TestStorage_PlantedStateRendersNothingDangerous(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "later", "type": "site", "delay": 3600, "message": {"text": "x"}, "agent": {"name": "Ann"}}`)
	// The session cookie says the visit goes on, so the planted visit is
	// read.
	head := `document.cookie = "tw_" + ` + jsString(tb.prop) + `.replace(/[^A-Za-z0-9_-]/g, "_") + "=1; path=/";
localStorage.setItem(` + jsString("triggerwidget:"+tb.prop+":visit") + `, ` + jsString(plantedVisit) + `.replaceAll("NOW", String(Date.now())));`
	tb.navigate(tb.sitePage("index.html", page{Head: head}))
	tb.waitLoad()

	var shown []int
	tb.eval(`Array.from(document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-entry-id]')).filter(e => e.matches('[data-part=message], [data-part=chat-message]')).map(e => +e.getAttribute('data-entry-id'))`, &shown)
	if len(shown) != 2 || shown[0] != 1 || shown[1] != 7 {
		t.Errorf("rendered lines %v, want only the valid ones, 1 and 7", shown)
	}
	var dangerous []string
	tb.eval(`Array.from(document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[href], [src], [action]')).map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action')).filter(u => !/^(https?:\/\/(127\.0\.0\.1|localhost)[:/]|\/)/i.test(u))`, &dangerous)
	if len(dangerous) > 0 {
		t.Errorf("URLs from planted state in the widget: %q", dangerous)
	}
	var text string
	tb.eval(shadowQ(`[data-entry-id="1"] [data-part=text]`)+`?.textContent ?? ''`, &text)
	if !strings.Contains(text, `<img src=x`) {
		t.Errorf("the planted markup shows as %q, want it as text", text)
	}
	var pwned any
	tb.eval(`window.__pwned`, &pwned)
	if pwned != nil {
		t.Errorf("planted state ran script: window.__pwned = %v", pwned)
	}
	var dropped int
	for _, e := range tb.errorEvents() {
		if e.Code == "storage" && strings.Contains(e.Message, "dropped") {
			dropped++
		}
	}
	// (The planted visit has ten problems: the line number and nine
	// lines. Past ten, the rest would be reported as a count.)
	if dropped != 9 {
		t.Errorf("%d storage errors naming a dropped line, want 9 (lines 2–6, 8–10 and the last id): %+v", dropped, tb.errorEvents())
	}
	// The lines kept have their times worded, and the next line is
	// numbered after them, not after the planted "next".
	tb.exec(`TriggerWidget.maximize()`)
	tb.poll("the kept line's time worded", `(`+shadowQ(`[data-entry-id="7"] time[data-part=time]`)+`?.getAttribute('data-ago') ?? '') !== ''`)
	tb.exec(`TriggerWidget.visitorMessage("after the planted state")`)
	tb.poll("the new line", shadowQ(`[data-entry-id="8"]`)+` !== null`)
	tb.assertNoUncaught()
}

func TestStorage_LongChatStaysUnderTheCapAndKeepsTriggerMessages(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "type": "site", "delay": 0, "message": {"text": "Welcome <friend> & co"}, "agent": {"name": "Ann"}}`)
	p := tb.sitePage("index.html", page{})
	tb.navigate(p)
	tb.waitLoad()
	tb.waitMessage("welcome")

	// One burst of 100 long messages in one task, then 40 more, one per
	// task: about 600 000 characters in all, with markup characters that
	// an HTML-escaping writer would store as 6-byte escapes.
	tb.exec(`for (let i = 0; i < 100; i++) TriggerWidget.visitorMessage('m' + i + ' ' + '<&>'.repeat(1300));`)
	tb.exec(`(async () => { for (let i = 100; i < 140; i++) { TriggerWidget.visitorMessage('m' + i + ' ' + '<&>'.repeat(1300)); await new Promise(r => setTimeout(r, 0)); } })()`)
	prefix := "triggerwidget:" + tb.prop + ":"
	tb.poll("the last message stored", `(localStorage.getItem(`+jsString(prefix+"visit")+`) || '').includes('"m139 ')`)

	var st struct {
		Size     int
		Escapes  bool
		Triggers []string
		Last     string
	}
	tb.eval(`(() => {
		let size = 0;
		for (let i = 0; i < localStorage.length; i++) { const k = localStorage.key(i); if (k.startsWith(`+jsString(prefix)+`)) size += k.length + localStorage.getItem(k).length; }
		const raw = localStorage.getItem(`+jsString(prefix+"visit")+`), v = JSON.parse(raw);
		return {Size: size, Escapes: raw.includes('\\u003c') || raw.includes('\\u0026'),
			Triggers: v.transcript.filter(e => e.kind === 'trigger').map(e => e.triggerId),
			Last: v.transcript[v.transcript.length - 1].text.slice(0, 6)};
	})()`, &st)
	if st.Size > 256*1024 {
		t.Errorf("the widget keeps %d characters in localStorage, more than 256 KiB", st.Size)
	}
	if st.Size < 128*1024 {
		t.Errorf("the widget keeps only %d characters: trimmed far below the cap", st.Size)
	}
	if st.Escapes {
		t.Errorf("stored state has HTML escapes (\\u003c or \\u0026)")
	}
	if len(st.Triggers) != 1 || st.Triggers[0] != "welcome" {
		t.Errorf("stored trigger messages %q, want the welcome message kept", st.Triggers)
	}
	if st.Last != "m139 <" {
		t.Errorf("last stored line starts %q, want the last message m139", st.Last)
	}

	// A full page load shows the trigger message again, without firing it
	// again, and the latest messages.
	tb.reload()
	tb.waitLoad()
	tb.waitMessage("welcome")
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("after a reload, the welcome message shows %d times", n)
	}
	if fired := tb.firedEvents(); len(fired) != 0 {
		t.Errorf("after a reload, triggerFired %q: the welcome message fired again", fired)
	}
	tb.poll("the last message after a reload", `document.getElementById('triggerwidget-root').shadowRoot.textContent.includes('m139 <&>')`)
	tb.assertNoUncaught()
}
