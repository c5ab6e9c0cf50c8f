package e2e

import (
	"slices"
	"time"
	"testing"
)

// SPEC §2 site: fires after its delay (counted from the first page view) and
// not before; a full reload neither repeats it nor loses its message.
func TestSiteTrigger_FiresAfterDelay_SurvivesReload(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 2,
		"message": {"text": "Hello 👋 how can we help?"}, "agent": {"name": "Apollo", "image": "avatars/robot.svg"},
		"suggestions": ["Pricing", "Talk to a human"]}`)
	home := tb.sitePage("home", page{})
	tb.navigate(home)
	tb.waitLoad()
	tb.waitMessage("welcome")

	// Not before: nothing was on screen at load, and the engine's own
	// timestamps put the firing at least 2 s after the visit started.
	load := tb.events("load")[0]
	if len(load.Msgs) != 0 {
		t.Errorf("messages %q were shown before the delay (at the load event)", load.Msgs)
	}
	s := tb.state()
	tb.assertFiredAfter("welcome", s.Visit.Start, 2)
	fired := tb.events("triggerFired")
	if len(fired) != 1 {
		t.Fatalf("triggerFired emitted %d times, want 1", len(fired))
	}
	var te triggerEvent
	fired[0].decode(t, &te)
	if te.TriggerID != "welcome" || te.Message.Text != "Hello 👋 how can we help?" || te.EntryID == 0 {
		t.Errorf("triggerFired = %s", fired[0].Data)
	}
	if got := fired[0].T - s.Visit.Start; got < 2000 {
		t.Errorf("the host heard triggerFired %d ms into the visit, before the 2 s delay", got)
	}
	if n := len(tb.events("messageShown")); n != 1 {
		t.Errorf("messageShown emitted %d times, want 1", n)
	}

	// The rendered message: agent name, image, text, suggestions.
	var before struct {
		Entry, Name, Text, Img string
		Suggestions            []string
	}
	readMessage := `(() => { const m = ` + shadowQ(msgSel("welcome")) + `; return m && {
		Entry: m.getAttribute('data-entry-id'),
		Name: m.querySelector('[data-part=agent-name]')?.textContent,
		Text: m.querySelector('[data-part=text]')?.textContent,
		Img: m.querySelector('img[data-part=agent-image]')?.src,
		Suggestions: [...m.querySelectorAll('button[data-part=suggestion]')].map(b => b.textContent) }; })()`
	tb.eval(readMessage, &before)
	if before.Name != "Apollo" || before.Text != "Hello 👋 how can we help?" || !slices.Equal(before.Suggestions, []string{"Pricing", "Talk to a human"}) {
		t.Errorf("rendered message = %+v", before)
	}
	if want := env.world.a.URL + "/p/" + tb.prop + "/avatars/robot.svg"; before.Img != want {
		t.Errorf("agent image src = %q, want %q (relative to the trigger set's URL)", before.Img, want)
	}

	// Full reload: same entry shown, no second triggerFired, fired once.
	tb.reload()
	tb.waitLoad()
	tb.waitMessage("welcome")
	var after struct {
		Entry, Name, Text, Img string
		Suggestions            []string
	}
	tb.eval(readMessage, &after)
	if after.Entry != before.Entry || after.Text != before.Text || after.Name != before.Name {
		t.Errorf("after reload the message is %+v, want the same entry as before %+v", after, before)
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("after reload the message is shown %d times, want once", n)
	}
	tb.sleep(2*time.Second + margin) // the delay again, plus margin: it must not fire anew
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("after reload triggerFired was emitted again for %q", ids)
	}
	if n := len(tb.events("messageShown")); n != 0 {
		t.Errorf("after reload messageShown was emitted %d times for a message already shown", n)
	}
	s2 := tb.state()
	if at, n := s2.firedAt("welcome"); n != 1 || at != func() int64 { a, _ := s.firedAt("welcome"); return a }() {
		t.Errorf("after reload getState().fired = %+v, want welcome once at its first time", s2.Fired)
	}
	if s2.Visit.Start != s.Visit.Start || s2.Visit.PageViews != 2 {
		t.Errorf("after reload visit = %+v, want the same visit (start %d) with 2 page views", s2.Visit, s.Visit.Start)
	}
	if n := tb.count(msgSel("welcome")); n != 1 {
		t.Errorf("the message is shown %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// pageTrigger is a page trigger on rule {match, value}, with a 2 s delay.
func pageTrigger(id, match, value string) string {
	return `{"id": ` + jsString(id) + `, "name": "Page", "type": "page", "delay": 2,
		"url": {"match": ` + jsString(match) + `, "value": ` + jsString(value) + `},
		"message": {"text": "Questions about our prices?"}, "agent": {"name": "Maya"}}`
}

// spaNav is a host script for single-page navigation: nav(url) records the
// page clock in __navAt and calls history.pushState.
const spaNav = `window.nav = function (u) { window.__navAt = Date.now(); history.pushState({}, '', u); };`

// SPEC §2 page: an MPA navigation to a matching page fires after the delay
// counted from landing there.
func TestPageTrigger_MPA(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(pageTrigger("pricing", "starts_with", tb.dir()+"/pricing"))
	home := tb.sitePage("home", page{})
	pricing := tb.sitePage("pricing", page{Title: "Pricing"})

	tb.navigate(home)
	tb.waitLoad()
	left := tb.now()
	tb.navigate(pricing)
	tb.waitLoad()
	tb.waitMessage("pricing")
	// The page view on /pricing happens after `left`; the delay counts from it.
	tb.assertFiredAfter("pricing", left, 2)
	if load := tb.events("load")[0]; len(load.Msgs) != 0 {
		t.Errorf("messages %q were shown when the pricing page loaded, before the delay", load.Msgs)
	}
	if s := tb.state(); s.Visit.PageViews != 2 {
		t.Errorf("visit.pageViews = %d, want 2", s.Visit.PageViews)
	}
	tb.assertNoUncaught()
}

// SPEC §2: history.pushState to a matching URL is a page view.
func TestPageTrigger_PushState(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/pricing"))
	app := tb.sitePage("app", page{Head: spaNav})
	tb.navigate(app)
	tb.waitLoad()
	tb.exec(`nav(` + jsString(tb.dir()+"/pricing") + `)`)
	tb.waitMessage("pricing")
	var navAt int64
	tb.eval("__navAt", &navAt)
	tb.assertFiredAfter("pricing", navAt, 2)
	if s := tb.state(); s.Visit.PageViews != 2 || s.Visit.URL != tb.url(tb.dir()+"/pricing") {
		t.Errorf("visit = %+v, want 2 page views, the last on /pricing", s.Visit)
	}
	tb.assertNoUncaught()
}

// SPEC §2 URL rules: a rule with '#' targets a hash-routed page.
func TestPageTrigger_HashRoute(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/app#/pricing"))
	app := tb.sitePage("app", page{})
	tb.navigate(app + "#/home")
	tb.waitLoad()
	var at int64
	tb.eval(`(() => { const t = Date.now(); location.hash = '#/pricing'; return t; })()`, &at)
	tb.waitMessage("pricing")
	tb.assertFiredAfter("pricing", at, 2)
	tb.assertNoUncaught()
}

// SPEC §2 page: leaving the matching page before the delay cancels the
// countdown; coming back (popstate) starts it again, in full.
func TestPageTrigger_LeftBeforeDelay_DoesNotFire(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(pageTrigger("pricing", "exact", tb.dir()+"/pricing"))
	app := tb.sitePage("app", page{Head: spaNav})
	tb.navigate(app)
	tb.waitLoad()
	tb.exec(`nav(` + jsString(tb.dir()+"/pricing") + `)`)
	tb.poll("the pricing countdown", `TriggerWidget.getState().armed.some(a => a.triggerId === 'pricing')`)
	tb.exec(`nav(` + jsString(tb.dir()+"/about") + `)`)
	if s := tb.state(); s.armed("pricing") {
		t.Errorf("after leaving /pricing its countdown is still armed: %+v", s.Armed)
	}
	tb.sleep(2*time.Second + margin)
	if ids := tb.firedEvents(); len(ids) != 0 {
		t.Errorf("triggerFired %q after the visitor left the matching page", ids)
	}
	if n := tb.count("[data-part=message]"); n != 0 {
		t.Errorf("%d trigger messages shown after the visitor left the matching page", n)
	}

	// Control: back on /pricing (popstate), the trigger fires after its full delay.
	var back int64
	tb.eval(`(() => { const t = Date.now(); history.back(); return t; })()`, &back)
	tb.waitMessage("pricing")
	tb.assertFiredAfter("pricing", back, 2)
	tb.assertNoUncaught()
}
