//go:build !js

package e2e

import (
	"strings"
	"testing"
	"time"
)

// The visitor's experience of the widget: each test runs on a desktop and
// on a 360 px wide phone (eachScreen) unless it is about one of them.

const suggestWelcome = `{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
	"message": {"text": "Hello! How can we help?"}, "agent": {"name": "Apollo"}, "suggestions": ["Pricing", "Talk to a human"]}`

// A visit restored with its panel open shows the newest line of its
// transcript: the widget is put on the page only after the transcript is
// restored into it, so the log is placed once there is a layout.
func TestUX_RestoredOpenPanelShowsNewest(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "later", "name": "Later", "type": "site", "delay": 600, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.open()
	for i := 0; i < 15; i++ {
		tb.exec(`TriggerWidget.visitorMessage('Line ` + itoa(i) + ` of a long question')`)
	}
	tb.poll("15 visitor lines", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 15")
	tb.reload()
	tb.waitLoad()
	tb.poll("the restored lines", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 15")
	if !tb.visible("[data-part=panel]") {
		t.Fatalf("the panel the visitor left open is closed after a reload")
	}
	var overflow bool
	tb.eval(`(() => { const l = `+shadowQ("[data-part=transcript]")+`; return l.scrollHeight > l.clientHeight + 20; })()`, &overflow)
	if !overflow {
		t.Fatalf("15 lines do not overflow the transcript: the test shows nothing")
	}
	tb.poll("the newest line in sight after the reload", newestInSightJS)
	tb.assertNoUncaught()
}

// The transcript follows the newest message, also once its image has
// loaded (a message taller than the transcript from its start); a visitor
// who scrolled up to read stays there and gets a "new message" pill, which
// takes them down.
func TestUX_TranscriptFollowsNewest(t *testing.T) {
	t.Parallel()
	eachScreen(t, true, func(t *testing.T, tb *tab, sc screen) {
		tb.serveSlowImage(tb.dir()+"/tall.png", 600*time.Millisecond)
		set := `{"version": 1, "property": ` + jsString(tb.prop) + `, "triggers": [
			{"id": "pic", "name": "Picture", "type": "site", "delay": 5, "message": {"shortcut": "pic"}, "agent": {"name": "Maya"}}],
			"shortcuts": [{"id": "pic", "text": "Our shop:", "attachments": [{"kind": "image", "url": "/t/` + tb.prop + `/tall.png", "alt": "The shop"}]}]}`
		env.world.publish(t, tb.prop, set)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.open()
		// Lines the host says the visitor wrote (an agent's would hold the
		// trigger back: the chat would be served).
		for i := 0; i < 12; i++ {
			tb.exec(`TriggerWidget.visitorMessage('Line ` + itoa(i) + ` of a long question')`)
		}
		tb.poll("12 visitor lines", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 12")
		if !tb.atEnd() {
			t.Fatalf("the transcript does not show its newest line after 12 messages")
		}
		tb.advance(5 * time.Second)
		tb.waitMessage("pic")
		tb.poll("the slow image", shadowQ(msgSel("pic")+" [data-part=attachment] img")+"?.complete && "+shadowQ(msgSel("pic")+" [data-part=attachment] img")+".naturalHeight > 0")
		tb.poll("the newest line in sight once the image has loaded (its start when it is taller than the transcript)", newestInSightJS)

		// The visitor scrolls up to read.
		tb.exec(`const l = ` + shadowQ("[data-part=transcript]") + `; l.scrollTop = 0; l.dispatchEvent(new Event('scroll'));`)
		if tb.visible("button[data-part=new-message]") {
			t.Errorf("the new-message pill shows before any new message")
		}
		tb.exec(`TriggerWidget.agentMessage({name: 'Bob', text: 'One more thing'})`)
		tb.poll("the pill", shadowQ("button[data-part=new-message]")+"?.checkVisibility()")
		var top float64
		tb.eval(shadowQ("[data-part=transcript]")+".scrollTop", &top)
		if top != 0 {
			t.Errorf("a visitor reading older lines was moved to scrollTop %v", top)
		}
		var label string
		tb.eval(shadowQ("button[data-part=new-message]")+".textContent", &label)
		if label != "New message" {
			t.Errorf("pill text %q, want New message", label)
		}
		tb.click("button[data-part=new-message]")
		tb.poll("the transcript at its end after the pill", `(() => { const l = `+shadowQ("[data-part=transcript]")+`; return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()`)
		if tb.visible("button[data-part=new-message]") {
			t.Errorf("the pill stays after taking the visitor down")
		}
		if got := tb.activePart(); got == "(page)" {
			t.Errorf("after the pill, focus left the widget")
		}
		tb.assertNoUncaught()
	})
}

// A suggestion used with the keyboard leaves focus on the input, not on
// the page's <body>.
func TestUX_SuggestionByKeyboardKeepsFocus(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		tb.publish(suggestWelcome)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.waitMessage("welcome")
		tb.open()
		tb.exec(shadowQ(msgSel("welcome")+` button[data-part=suggestion][data-index="1"]`) + `.focus()`)
		if got := tb.activePart(); got != "suggestion" {
			t.Fatalf("focus on %q, want the suggestion button", got)
		}
		tb.pressEnter()
		tb.poll("the visitor's line", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
		if got := tb.activePart(); got != "input" {
			t.Errorf("after using a suggestion by keyboard focus is on %q, want the input", got)
		}
		tb.assertNoUncaught()
	})
}

// A broken agent image falls back to the standard avatar, on the message
// and on the preview card; a broken attachment image shows its alt text.
func TestUX_BrokenImages(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		set := `{"version": 1, "property": ` + jsString(tb.prop) + `, "triggers": [
			{"id": "pic", "name": "Picture", "type": "site", "delay": 0, "message": {"shortcut": "pic"}, "agent": {"name": "Maya", "image": "no-such-agent.png"}}],
			"shortcuts": [{"id": "pic", "text": "Our prices:", "attachments": [{"kind": "image", "url": "no-such-image.png", "alt": "The price list"}]}]}`
		env.world.publish(t, tb.prop, set)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.waitMessage("pic")
		tb.poll("the preview's avatar fallback", shadowQ("[data-part=preview] img[data-part=agent-image]")+"?.src.endsWith('/avatars/headset.svg')")
		tb.open()
		tb.poll("the message's avatar fallback", shadowQ(msgSel("pic")+" img[data-part=agent-image]")+".src.endsWith('/avatars/headset.svg')")
		tb.poll("the avatar drawn", shadowQ(msgSel("pic")+" img[data-part=agent-image]")+".naturalWidth > 0")
		tb.poll("the attachment's alt text", shadowQ(msgSel("pic")+" [data-part=attachment] [data-part=image-alt]")+" != null")
		var alt string
		tb.eval(shadowQ(msgSel("pic")+" [data-part=attachment]")+".textContent", &alt)
		if alt != "The price list" {
			t.Errorf("broken attachment shows %q, want its alt text", alt)
		}
		if n := tb.count(msgSel("pic") + " [data-part=attachment] img"); n != 0 {
			t.Errorf("the broken image is still in the attachment")
		}
		tb.assertNoUncaught()
	})
}

// Once the visitor writes, the suggestions of earlier messages are
// retired: kept as text, no longer buttons, also after a reload; a later
// message's suggestions are usable until the next reply.
func TestUX_SuggestionsRetired(t *testing.T) {
	t.Parallel()
	eachScreen(t, true, func(t *testing.T, tb *tab, sc screen) {
		tb.publish(suggestWelcome, `{"id": "later", "name": "Later", "type": "site", "delay": 30,
			"message": {"text": "Still there?"}, "agent": {"name": "Apollo"}, "suggestions": ["Yes"]}`)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.waitMessage("welcome")
		tb.open()
		tb.click("[data-part=input]")
		tb.typeInto("[data-part=input]", "Do you ship abroad?\n")
		tb.poll("retired suggestions", shadowCount(msgSel("welcome")+" span[data-part=suggestion-retired]")+" === 2")
		var texts []string
		tb.eval(`[...`+shadowQ(msgSel("welcome"))+`.querySelectorAll('[data-part=suggestion-retired]')].map(s => s.textContent)`, &texts)
		if strings.Join(texts, "|") != "Pricing|Talk to a human" {
			t.Errorf("retired suggestions read %q", texts)
		}
		if n := tb.count(msgSel("welcome") + " button"); n != 0 {
			t.Errorf("%d buttons left on the answered message", n)
		}
		tb.advance(30 * time.Second)
		tb.waitMessage("later")
		if n := tb.count(msgSel("later") + " button[data-part=suggestion]"); n != 1 {
			t.Errorf("the later message has %d suggestion buttons, want 1", n)
		}
		tb.click(msgSel("later") + " button[data-part=suggestion]")
		tb.poll("the later message retired", shadowCount(msgSel("later")+" span[data-part=suggestion-retired]")+" === 1")

		tb.reload()
		tb.waitLoad()
		tb.waitMessage("later")
		if n, m := tb.count("span[data-part=suggestion-retired]"), tb.count("button[data-part=suggestion]"); n != 3 || m != 0 {
			t.Errorf("after reload: %d retired suggestions and %d buttons, want 3 and 0", n, m)
		}
		tb.assertNoUncaught()
	})
}

// On a phone the open panel fills the screen, has a close button and does
// not focus the input (no keyboard popping up).
func TestUX_PhonePanelFillsTheScreen(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.viewport(screens[1])
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.open()
	var r struct{ X, Y, W, H float64 }
	tb.eval(`(() => { const b = `+shadowQ("[data-part=panel]")+`.getBoundingClientRect(); return {X: b.x, Y: b.y, W: b.width, H: b.height}; })()`, &r)
	if r.X != 0 || r.Y != 0 || r.W != 360 || r.H != 740 {
		t.Errorf("panel at %+v, want the whole 360×740 screen", r)
	}
	if got := tb.activePart(); got == "input" {
		t.Errorf("opening the panel on a phone focused the input")
	}
	if !tb.visible("button[data-part=close]") {
		t.Fatalf("no visible close button on the phone's panel")
	}
	var name string
	tb.eval(shadowQ("button[data-part=close]")+".getAttribute('aria-label')", &name)
	if name != "Close chat" {
		t.Errorf("close button named %q, want Close chat", name)
	}
	tb.click("button[data-part=close]")
	tb.poll("the panel closed", "!"+shadowQ("[data-part=panel]")+".checkVisibility()")
	if !tb.visible("[data-part=launcher]") {
		t.Errorf("no launcher after closing the full-screen panel")
	}
	tb.assertNoUncaught()
}

// On a desktop the panel animates in, except for a visitor who asked for
// reduced motion; there is no close button besides minimize.
func TestUX_DesktopPanelAnimates(t *testing.T) {
	t.Parallel()
	for _, reduce := range []bool{false, true} {
		name := map[bool]string{false: "motion", true: "reduced-motion"}[reduce]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tb.viewport(screens[0])
			if reduce {
				tb.reducedMotion()
			}
			tb.publish(suggestWelcome)
			tb.navigate(tb.sitePage("home", page{}))
			tb.waitLoad()
			tb.open()
			var anim string
			tb.eval(`getComputedStyle(`+shadowQ("[data-part=panel]")+`).animationName`, &anim)
			if want := map[bool]string{false: "tw-open", true: "none"}[reduce]; anim != want {
				t.Errorf("panel animation %q, want %q", anim, want)
			}
			if tb.visible("button[data-part=close]") {
				t.Errorf("the phone's close button shows on a desktop")
			}
			if got := tb.activePart(); got != "input" {
				t.Errorf("a click on the launcher focused %q, want the input on a desktop", got)
			}
			tb.assertNoUncaught()
		})
	}
}

// The minimized preview card shows the message's suggestions (up to 4),
// answers from there, and shows the whole text on hover or focus.
func TestUX_PreviewCardSuggestions(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		long := strings.Repeat("We have plenty of offers this week, on every product of the shop. ", 6)
		tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
			"message": {"text": ` + jsString(long) + `}, "agent": {"name": "Apollo"}, "suggestions": ["One", "Two", "Three", "Four"]}`)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.poll("the preview card", shadowQ("[data-part=preview]")+"?.checkVisibility()")
		var texts []string
		tb.eval(`[...document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('[data-part=preview] button[data-part=suggestion]')].map(b => b.textContent)`, &texts)
		if strings.Join(texts, "|") != "One|Two|Three|Four" {
			t.Errorf("preview suggestions %q, want the 4", texts)
		}
		const text = "[data-part=preview] [data-part=text]"
		clamped := `(() => { const e = ` + shadowQ(text) + `; return e.scrollHeight > e.clientHeight + 1; })()`
		var c bool
		tb.eval(clamped, &c)
		if !c {
			t.Fatalf("the long text is not clamped on the card: the test cannot check it expands")
		}
		if sc.width > 480 {
			tb.hover("[data-part=preview]")
			tb.poll("the whole text on hover", "!"+clamped)
			tb.run("move away", mouseAt(1, 1))
			tb.poll("clamped again", clamped)
		}
		tb.exec(shadowQ(`[data-part=preview] button[data-part=suggestion][data-index="2"]`) + `.focus()`)
		tb.poll("the whole text on focus", "!"+clamped)
		tb.pressEnter()
		tb.poll("the visitor's reply", shadowCount("[data-part=chat-message][data-kind=visitor]")+" === 1")
		clicked := tb.events("suggestionClicked")
		if len(clicked) != 1 || !strings.Contains(string(clicked[0].Data), `"text":"Three"`) || !strings.Contains(string(clicked[0].Data), `"triggerId":"welcome"`) {
			t.Errorf("suggestionClicked = %+v, want one for Three of welcome", clicked)
		}
		if got := tb.activePart(); got != "input" {
			t.Errorf("after answering from the card by keyboard focus is on %q, want the input", got)
		}
		tb.assertNoUncaught()
	})
}

// Not online: the panel says so and offers a leave-a-message form in
// place of the message input; its submit goes to the host as
// offlineMessage and nothing is sent as a chat message.
func TestUX_OfflineLeaveAMessage(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		tb.publish(suggestWelcome)
		tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.setStatus('away');`}))
		tb.waitLoad()
		tb.open()
		if tb.visible("[data-part=composer]") || tb.visible("[data-part=input]") {
			t.Errorf("the message input shows while away")
		}
		if !tb.visible("form[data-part=offline-form]") {
			t.Fatalf("no leave-a-message form while away")
		}
		var status, heading string
		tb.eval(shadowQ("[data-part=status]")+".textContent", &status)
		tb.eval(shadowQ("[data-part=offline] strong")+".textContent", &heading)
		if status != "Away" || !strings.Contains(heading, "away") {
			t.Errorf("status %q, heading %q; want the panel to say nobody is online", status, heading)
		}
		form := "form[data-part=offline-form] "
		tb.click(form + "[name=name]")
		tb.typeInto(form+"[name=name]", "Ann")
		tb.click(form + "[name=email]")
		tb.typeInto(form+"[name=email]", "ann@example.com")
		tb.click(form + "[name=message]")
		tb.typeInto(form+"[name=message]", "Please call me back")
		tb.click(form + "button[type=submit]")
		tb.poll("the thank-you line", shadowQ("[data-part=offline-sent]")+" != null")
		om := tb.events("offlineMessage")
		if len(om) != 1 || string(om[0].Data) != `{"name":"Ann","email":"ann@example.com","message":"Please call me back"}` {
			t.Errorf("offlineMessage events = %+v", om)
		}
		if vm := tb.events("visitorMessage"); len(vm) != 0 {
			t.Errorf("visitorMessage sent while away: %+v", vm)
		}
		s := tb.state()
		if s.Chat != "none" || tb.count("[data-part=chat-message][data-kind=visitor]") != 0 {
			t.Errorf("chat %q and a visitor line after an offline message; want no chat", s.Chat)
		}
		if got := tb.activePart(); got == "(page)" {
			t.Errorf("after sending, focus left the widget")
		}
		tb.exec(`TriggerWidget.setStatus('online')`)
		tb.poll("the input back online", shadowQ("[data-part=input]")+"?.checkVisibility()")
		if tb.visible("[data-part=offline]") {
			t.Errorf("the offline form stays online")
		}
		tb.assertNoUncaught()
	})
}

// Each message has its time, relative ("now", "2 min") with the full time
// in its title, refreshed while the panel is open.
func TestUX_MessageTimes(t *testing.T) {
	t.Parallel()
	eachScreen(t, true, func(t *testing.T, tb *tab, sc screen) {
		tb.publish(suggestWelcome)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.waitMessage("welcome")
		tb.open()
		at := tb.state().Messages[0].At
		tm := msgSel("welcome") + " time[data-part=time]"
		var got struct{ Text, Title, ISO string }
		read := func() {
			tb.eval(`(() => { const e = `+shadowQ(tm)+`; return {Text: e.getAttribute('data-ago'), Title: e.title, ISO: e.getAttribute('datetime')}; })()`, &got)
		}
		read()
		var iso string
		tb.eval(`new Date(`+itoa(int(at))+`).toISOString()`, &iso)
		if got.Text != "now" || got.ISO != iso || !strings.Contains(got.Title, time.UnixMilli(at).Format("2006")) {
			t.Errorf("time = %+v, want now, datetime %s and the full time (with its year) in the title", got, iso)
		}
		tb.advance(2*time.Minute + 5*time.Second)
		read()
		if got.Text != "2 min" {
			t.Errorf("after 2 minutes the time reads %q, want 2 min", got.Text)
		}
		tb.advance(time.Hour)
		read()
		if got.Text != "1 hr" {
			t.Errorf("after an hour the time reads %q, want 1 hr", got.Text)
		}
		tb.assertNoUncaught()
	})
}

// agentTyping shows who is typing until agentStoppedTyping or the agent's
// message (or until it expires, TestUX_AgentTypingExpires); a bad name is
// an api error, never a throw.
func TestUX_AgentTyping(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		tb.publish(suggestWelcome)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.open()
		tb.exec(`TriggerWidget.agentTyping('Maya')`)
		tb.poll("the typing line", shadowQ("[data-part=typing]")+"?.checkVisibility()")
		var text string
		tb.eval(shadowQ("[data-part=typing]")+".textContent", &text)
		if text != "Maya is typing\u2026" {
			t.Errorf("typing line %q", text)
		}
		tb.exec(`TriggerWidget.agentStoppedTyping()`)
		tb.poll("the typing line gone", "!"+shadowQ("[data-part=typing]")+".checkVisibility()")
		tb.exec(`TriggerWidget.agentTyping()`)
		tb.poll("typing without a name", shadowQ("[data-part=typing]")+".textContent === 'Typing\u2026'")
		tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'Here I am'})`)
		tb.poll("the typing line gone with the message", "!"+shadowQ("[data-part=typing]")+".checkVisibility()")
		tb.exec(`TriggerWidget.agentTyping('` + strings.Repeat("x", 51) + `')`)
		tb.poll("the api error", `__events.some(e => e.name === 'error' && e.data.code === 'api' && e.data.message.includes('agentTyping'))`)
		tb.assertNoUncaught()
	})
}

// Without agentStoppedTyping the typing line goes down by itself 30 s
// after the last agentTyping call, to the millisecond; a repeated call
// keeps it up. reload() takes it down.
func TestUX_AgentTypingExpires(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.open()
	const line = "[data-part=typing]"
	tb.exec(`TriggerWidget.agentTyping('Maya')`)
	tb.poll("the typing line", shadowQ(line)+"?.checkVisibility()")
	tb.advance(20 * time.Second)
	tb.exec(`TriggerWidget.agentTyping('Maya')`)
	tb.advance(30*time.Second - time.Millisecond)
	if !tb.visible(line) {
		t.Errorf("the typing line went down 50 s after the first call, 30 s before the second's countdown ends")
	}
	tb.advance(time.Millisecond)
	if tb.visible(line) {
		t.Errorf("the typing line is still up 30 s after the last agentTyping call")
	}
	// reload() replaces the engine, and its countdown with it: the line
	// goes down then (the host's next agentTyping puts it back).
	tb.exec(`TriggerWidget.agentTyping('Maya')`)
	tb.poll("the typing line again", shadowQ(line)+"?.checkVisibility()")
	tb.exec(`TriggerWidget.reload()`)
	tb.poll("the load event of reload()", `__events.filter(e => e.name === 'load').length === 2`)
	if tb.visible(line) {
		t.Errorf("the typing line outlived reload(), whose new engine has no countdown to take it down")
	}
	tb.assertNoUncaught()
}

// fakeAudio replaces WebAudio with a recorder: __tones counts the tones
// started, __contexts the AudioContexts made.
const fakeAudio = `window.__tones = 0; window.__contexts = 0;
window.AudioContext = function () { __contexts++; this.currentTime = 0; this.destination = {}; };
AudioContext.prototype.createOscillator = function () { return { frequency: {}, connect: function () {}, start: function () { __tones++; }, stop: function () {} }; };
AudioContext.prototype.createGain = function () { return { gain: { setValueAtTime: function () {}, exponentialRampToValueAtTime: function () {} }, connect: function () {} }; };`

// A new message while the panel is closed plays a tone when the set asks
// for sound, never while open, and never without it.
func TestUX_Sound(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{true, false} {
		t.Run(map[bool]string{true: "on", false: "off"}[on], func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			widgetObj := ""
			if on {
				widgetObj = `"widget": {"sound": true}, `
			}
			env.world.publish(t, tb.prop, `{"version": 1, "property": `+jsString(tb.prop)+`, `+widgetObj+`"triggers": [`+suggestWelcome+`]}`)
			tb.navigate(tb.sitePage("home", page{Head: fakeAudio}))
			tb.waitLoad()
			tb.waitMessage("welcome")
			tb.open()
			tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'while open'})`)
			tb.click("[data-part=launcher]")
			tb.poll("the panel closed", "!"+shadowQ("[data-part=panel]")+".checkVisibility()")
			tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'while closed'})`)
			tb.poll("the preview of the new message", shadowQ("[data-part=preview]")+"?.textContent.includes('while closed')")
			var tones, contexts int
			tb.eval(`__tones`, &tones)
			tb.eval(`__contexts`, &contexts)
			if want := map[bool]int{true: 2, false: 0}[on]; tones != want {
				t.Errorf("%d tones for two messages while closed and one while open, want %d", tones, want)
			}
			if !on && contexts != 0 {
				t.Errorf("an AudioContext was made although the set has no sound")
			}
			tb.assertNoUncaught()
		})
	}
}

// data-debug shows a basic trigger held back because an agent serves the
// chat, with the reason.
func TestUX_DebugLogsHeldBackWhileServed(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(`{"id": "nudge", "name": "Nudge", "type": "site", "delay": 10, "message": {"text": "Need help?"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{Debug: true, Head: `window.__info = []; const info = console.info.bind(console);
		console.info = function () { __info.push([...arguments].map(String).join(' ')); info(...arguments); };`}))
	tb.waitLoad()
	tb.exec(`TriggerWidget.agentJoined('Bob')`)
	tb.advance(10 * time.Second)
	var logs []string
	tb.eval(`__info`, &logs)
	found := false
	for _, l := range logs {
		if strings.Contains(l, "nudge") && strings.Contains(l, "served") && strings.Contains(l, "an agent is serving the chat") {
			found = true
		}
	}
	if !found {
		t.Errorf("no data-debug line says nudge was held back because an agent serves the chat; console.info: %q", logs)
	}
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("fired %q while an agent served the chat", ids)
	}
	tb.assertNoUncaught()
}

// A page left open past the visit timeout starts a new visit at the
// visitor's next action, and the widget shows that visit only: the
// earlier lines, the preview card and the unread count go.
func TestUX_NewVisitClearsTheScreen(t *testing.T) {
	t.Parallel()
	tb := newClockTab(t)
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'from the first visit'})`)
	tb.poll("the agent's line on the card", shadowQ("[data-part=preview]")+"?.textContent.includes('from the first visit')")
	if n := tb.count("[data-part=transcript] > *"); n < 2 {
		t.Fatalf("the first visit shows %d lines, want the welcome and the agent's", n)
	}
	if !tb.visible("[data-part=badge]") {
		t.Fatalf("no unread badge for the first visit's messages")
	}

	// 29 minutes of silence keep the visit.
	tb.advance(29 * time.Minute)
	tb.exec(`TriggerWidget.visitorMessage('still here')`)
	if n := tb.count("[data-part=transcript] > *"); n != 3 {
		t.Errorf("within the visit: %d lines, want 3", n)
	}

	// 31 more end it: the next message starts a new visit, alone on screen.
	// The host says an agent of the last visit's chat is typing, just before.
	tb.advance(31 * time.Minute)
	// (The panel is closed: the line is in it, shown when it opens.)
	tb.exec(`TriggerWidget.agentTyping('Maya')`)
	tb.poll("the typing line", shadowQ("[data-part=typing]")+"?.hidden === false")
	tb.exec(`TriggerWidget.visitorMessage('back after lunch')`)
	tb.poll("the new visit's line", shadowQ("[data-part=transcript]")+"?.textContent.includes('back after lunch')")
	var texts []string
	tb.eval(shadowQ("[data-part=transcript]")+`? [...`+shadowQ("[data-part=transcript]")+`.children].map(e => e.textContent) : []`, &texts)
	if len(texts) != 1 {
		t.Errorf("after the visit timeout the transcript shows %q, want the new visit's one line", texts)
	}
	if tb.visible("[data-part=preview]") {
		t.Errorf("the preview card of the earlier visit is still up")
	}
	if tb.visible("[data-part=badge]") {
		t.Errorf("the unread badge of the earlier visit is still up")
	}
	var typingUp bool
	tb.eval(shadowQ("[data-part=typing]")+"?.hidden === false", &typingUp)
	if typingUp {
		t.Errorf("the typing line of the earlier visit's chat is still up")
	}
	tb.assertNoUncaught()
}

// A message taller than the transcript (here a picture) is shown from its
// start: who sent it and its first lines, not the bottom of the picture.
// That holds when it arrives in the open panel, when the panel opens on
// it, and once its picture has loaded; the next short line is followed to
// the end again, and a visitor who scrolled up is left where they are.
func TestUX_LongMessageFromItsStart(t *testing.T) {
	t.Parallel()
	eachScreen(t, false, func(t *testing.T, tb *tab, sc screen) {
		tb.serveImage(tb.dir()+"/poster.png", 300*time.Millisecond, 1600)
		set := `{"version": 1, "property": ` + jsString(tb.prop) + `, "triggers": [
			{"id": "poster", "name": "Poster", "type": "site", "delay": 0, "message": {"shortcut": "poster"}, "agent": {"name": "Maya"}}],
			"shortcuts": [{"id": "poster", "text": "Our summer sale starts today:", "attachments": [{"kind": "image", "url": "/t/` + tb.prop + `/poster.png", "alt": "The sale"}]}]}`
		env.world.publish(t, tb.prop, set)
		tb.navigate(tb.sitePage("home", page{}))
		tb.waitLoad()
		tb.waitMessage("poster")
		tb.open() // on the message the card showed
		tb.poll("the picture", shadowQ(msgSel("poster")+" [data-part=attachment] img")+"?.naturalHeight > 0")
		startInSight := `(() => { const l = ` + shadowQ("[data-part=transcript]") + `, m = ` + shadowQ(msgSel("poster")) + `;
			return m.offsetHeight > l.clientHeight && Math.abs(m.getBoundingClientRect().top - l.getBoundingClientRect().top) < 2; })()`
		tb.poll("the tall message from its start", startInSight)
		if tb.atEnd() {
			t.Errorf("the transcript is at its end, past the start of a message taller than it")
		}

		// The next short line goes to the end, as ever.
		tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'Ask me about sizes'})`)
		tb.poll("the transcript at its end", `(() => { const l = `+shadowQ("[data-part=transcript]")+`; return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()`)

		// A visitor who scrolled up is not moved by a long one either.
		tb.exec(`const l = ` + shadowQ("[data-part=transcript]") + `; l.scrollTop = 0; l.dispatchEvent(new Event('scroll'));`)
		tb.exec(`TriggerWidget.agentMessage({name: 'Maya', text: 'And one more thing, which takes a few lines to say: ' + 'all of it. '.repeat(80)})`)
		tb.poll("the pill", shadowQ("button[data-part=new-message]")+"?.checkVisibility()")
		var top float64
		tb.eval(shadowQ("[data-part=transcript]")+".scrollTop", &top)
		if top != 0 {
			t.Errorf("a visitor reading older lines was moved to scrollTop %v", top)
		}
		// The pill takes them to it, from its start.
		tb.click("button[data-part=new-message]")
		tb.poll("the newest line in sight after the pill", newestInSightJS)
		tb.assertNoUncaught()
	})
}

// Closing the panel or the preview card from the keyboard, or from the
// page while the keyboard is in the panel, leaves focus on the launcher,
// not on the page's <body>.
func TestUX_ClosingKeepsFocusOnTheLauncher(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")

	// The preview card's Dismiss.
	tb.poll("the preview card", shadowQ("[data-part=preview]")+".hidden === false")
	tb.exec(shadowQ("[data-part=preview] .dismiss") + `.focus()`)
	tb.pressEnter()
	tb.poll("the card to go", shadowQ("[data-part=preview]")+".hidden === true")
	if got := tb.activePart(); got != "launcher" {
		t.Errorf("after Dismiss by keyboard focus is on %q, want the launcher", got)
	}

	// The panel's Minimize button.
	tb.open()
	tb.exec(shadowQ("[data-part=minimize]") + `.focus()`)
	tb.pressEnter()
	tb.poll("the panel to close", shadowQ("[data-part=panel]")+".hidden === true")
	if got := tb.activePart(); got != "launcher" {
		t.Errorf("after Minimize by keyboard focus is on %q, want the launcher", got)
	}

	// minimize() from the page while the input has focus.
	tb.open()
	tb.exec(shadowQ("[data-part=input]") + `.focus()`)
	tb.exec(`TriggerWidget.minimize()`)
	tb.poll("the panel to close", shadowQ("[data-part=panel]")+".hidden === true")
	if got := tb.activePart(); got != "launcher" {
		t.Errorf("after minimize() focus is on %q, want the launcher", got)
	}
	tb.assertNoUncaught()
}

// On a phone the open panel fills the screen and is a modal dialog: Tab
// from its last control goes round to its first, not on to the page under
// it. On a desktop it is not modal.
func TestUX_FullScreenPanelIsModal(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.viewport(screen{name: "phone", width: 360, height: 740})
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{Body: `<a href="#x" id="page-link">a link of the page</a>`}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	tb.open()
	var modal string
	tb.eval(shadowQ("[data-part=panel]")+`.getAttribute('aria-modal')`, &modal)
	if modal != "true" {
		t.Errorf("the full-screen panel's aria-modal = %q, want true", modal)
	}
	tb.exec(shadowQ("[data-part=send]") + `.focus()`)
	tb.pressTab()
	var inPanel bool
	tb.eval(`(() => { const r = document.getElementById('triggerwidget-root'); return document.activeElement === r && `+shadowQ("[data-part=panel]")+`.contains(r.shadowRoot.activeElement); })()`, &inPanel)
	if !inPanel {
		t.Errorf("Tab from the panel's last control left the panel (focus on %q)", tb.activePart())
	}

	desk := newTab(t)
	desk.viewport(screen{name: "desktop", width: 1280, height: 800})
	desk.navigate(desk.sitePage("desk", page{}))
	desk.waitLoad()
	desk.open()
	var deskModal any
	desk.eval(shadowQ("[data-part=panel]")+`.getAttribute('aria-modal')`, &deskModal)
	if deskModal != nil {
		t.Errorf("the floating panel's aria-modal = %v, want none", deskModal)
	}

	// A short window (a laptop at 200 % zoom) gets the full-screen panel
	// too: floating, it left the conversation a few lines.
	short := newTab(t)
	short.viewport(screen{name: "short", width: 683, height: 325})
	short.navigate(short.sitePage("short", page{}))
	short.waitLoad()
	short.open()
	var fill struct {
		Panel, Window float64
		Modal         string
	}
	short.eval(`({Panel: `+shadowQ("[data-part=panel]")+`.getBoundingClientRect().height, Window: innerHeight,
		Modal: `+shadowQ("[data-part=panel]")+`.getAttribute('aria-modal')})`, &fill)
	if fill.Panel < fill.Window-1 || fill.Modal != "true" {
		t.Errorf("in a 683×325 window the panel is %.0f px tall of %.0f (aria-modal %q), want all of it, modal", fill.Panel, fill.Window, fill.Modal)
	}
	// Not a phone: the launcher opened with the mouse puts the visitor in
	// the message box, as on any desktop.
	if got := short.activePart(); got != "input" {
		t.Errorf("in a short window, after a click on the launcher focus is on %q, want the input", got)
	}
	tb.assertNoUncaught()
}

// A message of spaces in the leave-a-message form is shown to the visitor
// as a field to fill, as an empty one is, instead of being refused where
// only the page's error listeners hear of it.
func TestUX_OfflineMessageOfSpaces(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{OnLoad: `TriggerWidget.setStatus('away');`}))
	tb.waitLoad()
	tb.open()
	form := "form[data-part=offline-form] "
	tb.click(form + "[name=email]")
	tb.typeInto(form+"[name=email]", "ann@example.com")
	tb.click(form + "[name=message]")
	tb.typeInto(form+"[name=message]", "   ")
	tb.click(form + "button[type=submit]")
	tb.sleep(margin)
	var st struct {
		Value   string
		Invalid bool
		Shown   bool
	}
	tb.eval(`({Value: `+shadowQ(form+"[name=message]")+`.value, Invalid: `+shadowQ(form+"[name=message]")+`.matches(':invalid'),
		Shown: `+shadowQ("form[data-part=offline-form]")+`.checkVisibility()})`, &st)
	if st.Value != "" || !st.Invalid || !st.Shown {
		t.Errorf("after sending spaces: message %q, invalid %v, form shown %v; want it emptied and marked to fill", st.Value, st.Invalid, st.Shown)
	}
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Errorf("error events: %+v", errs)
	}
	if om := tb.events("offlineMessage"); len(om) != 0 {
		t.Errorf("offlineMessage events: %+v", om)
	}
	tb.assertNoUncaught()
}

// The unread count describes the launcher rather than joining its name (a
// tab launcher named by its label read "Write to us1").
func TestUX_UnreadCountDescribesTheLauncher(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(suggestWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	var st struct {
		Described, Count string
		Hidden           bool
	}
	read := func() {
		tb.eval(`(() => { const l = `+shadowQ("[data-part=launcher]")+`, b = `+shadowQ("[data-part=badge]")+`;
			const d = l.getAttribute('aria-describedby');
			return {Described: d || '', Count: d ? l.getRootNode().getElementById(d).textContent : '', Hidden: b.getAttribute('aria-hidden') === 'true'}; })()`, &st)
	}
	read()
	if st.Count != "1" || !st.Hidden {
		t.Errorf("with one unread message: described by %q (%q), badge aria-hidden %v; want the count as the description, out of the name", st.Described, st.Count, st.Hidden)
	}
	tb.open()
	read()
	if st.Described != "" {
		t.Errorf("with nothing unread the launcher is still described by %q", st.Described)
	}
	tb.assertNoUncaught()
}
