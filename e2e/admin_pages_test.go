//go:build !js

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// inPreview makes a JS function, run on the Preview region, that looks
// for the widget the runtime rendered in the region's frames (frames nest:
// the preview page frames the widget's own document) and returns what
// pick, a JS expression over its shadow root sr, gives there (or null).
func inPreview(pick string) string {
	return `function() {
	const look = (doc) => {
		if (!doc) return null;
		const root = doc.getElementById("triggerwidget-root");
		const sr = root && root.shadowRoot;
		const got = sr ? (` + pick + `) : null;
		if (got != null) return got;
		for (const f of doc.querySelectorAll("iframe")) {
			let d = null;
			try { d = f.contentDocument; } catch (e) {}
			const r = look(d);
			if (r != null) return r;
		}
		return null;
	};
	for (const f of this.querySelectorAll("iframe")) {
		let d = null;
		try { d = f.contentDocument; } catch (e) {}
		const r = look(d);
		if (r != null) return r;
	}
	return null;
}`
}

// previewText returns the text of the message the widget runtime rendered
// in the Preview, or null.
var previewText = inPreview(`sr.querySelector("[data-part=message] [data-part=text]")?.textContent ?? null`)

// waitPreview waits until the Preview region shows a message containing
// want, rendered by the widget runtime.
func (u *ui) waitPreview(want string) {
	u.t.Helper()
	region := u.find("region", "Preview")
	deadline := time.Now().Add(waitTimeout)
	for {
		var got *string
		u.call(region, previewText, &got)
		if got != nil && strings.Contains(*got, want) {
			return
		}
		if time.Now().After(deadline) {
			shown := "nothing"
			if got != nil {
				shown = fmt.Sprintf("%q", *got)
			}
			u.fail("the Preview shows %s; want the widget's message %q", shown, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestAdminLoopClosed: a page trigger saved in the admin fires on a real
// page that embeds the widget for the property, and the editor's Preview
// shows the message, rendered by the widget runtime, as it is typed.
func TestAdminLoopClosed(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Landing shop")
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)

	u.open("/admin/p/" + pid + "/settings/triggers")
	u.link("Add trigger")
	u.radio("Page notification")
	u.fill("Trigger name", "Landing hello")
	u.choose("Delay", "No delay")
	u.choose("URL match", "Starts with")
	u.fill("URL", "/t/landing")
	u.radio("Set your message")
	u.fill("Message", "Welcome to the landing page 🚀")
	u.fill("Agent name", "Lena")
	u.waitPreview("Welcome to the landing page 🚀")
	u.fill("Message", "Welcome to our landing page!")
	u.waitPreview("Welcome to our landing page!")
	u.saveTrigger("the landing trigger")
	tr := w.trigger(owner, pid, "Landing hello")

	// A visitor's page, on another origin, embedding the widget.
	u.navigateTo(w.hostPage("/t/landing/offer", pid))
	u.poll("the landing trigger's message on the visitor's page", shadowQ(msgSel(tr.ID))+" != null")
	var text string
	u.eval(shadowQ(msgSel(tr.ID)+" [data-part=text]")+"?.textContent", &text)
	if text != "Welcome to our landing page!" {
		t.Errorf("the visitor's page shows %q, want the message saved in the admin", text)
	}
	var name string
	u.eval(shadowQ(msgSel(tr.ID)+" [data-part=agent-name]")+"?.textContent", &name)
	if !strings.Contains(name, "Lena") {
		t.Errorf("the message's agent name reads %q, want Lena", name)
	}

	// A page the rule does not match does not fire it (in a new visit:
	// a fresh browser context).
	v := w.newUI(t)
	v.navigateTo(w.hostPage("/t/elsewhere", pid))
	v.waitLoad()
	v.sleep(margin)
	if n := v.count(msgSel(tr.ID)); n != 0 {
		t.Errorf("a page outside /t/landing shows the landing trigger's message")
	}
}

// navigateTo loads an absolute URL.
func (u *ui) navigateTo(url string) {
	u.t.Helper()
	u.run("navigate to "+url, chromedp.Navigate(url))
}

// TestAdminPages opens every page of the admin for a property with some of
// everything (each type of trigger, a shortcut, versions, a token, an
// Agent): each answers, passes axe-core, fits 1440 and 768 px wide without
// scrolling sideways, and (with TRIGGERWIDGET_SCREENSHOTS) is pictured.
func TestAdminPages(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Demo shop")
	ctx := context.Background()
	if _, _, err := w.svc.AddShortcut(ctx, owner, pid, []byte(`{"id": "price-list", "text": "Here is our price list:", "attachments": [{"kind": "link", "url": "https://example.com/compare", "title": "Compare plans"}]}`)); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{
		`{"id": "pricing", "name": "Pricing page", "type": "page", "delay": 10, "url": {"match": "starts_with", "value": "/pricing"}, "message": {"text": "Questions about our plans? We reply in minutes."}, "agent": {"name": "Maya", "image": "avatars/woman.svg"}, "suggestions": ["Compare plans", "Talk to sales"]}`,
		`{"id": "rescue", "name": "Chat rescue", "type": "chat_rescue", "delay": 30, "message": {"text": "Sorry for the wait! Leave your email and we will write back."}, "agent": {"name": "Support"}}`,
		`{"id": "opened", "name": "Widget opened", "type": "maximized", "message": {"shortcut": "price-list"}, "agent": {"name": "Support"}}`,
		`{"id": "hesitant", "name": "Returning visitor on pricing", "type": "advanced", "event": "page_view", "match": "all", "conditions": [{"field": "page.path", "op": "starts_with", "value": "/pricing"}, {"field": "visit.time_on_page", "op": "gte", "value": 30}], "actions": [{"type": "send_message", "message": {"text": "Need a hand choosing a plan?"}, "agent": {"name": "Maya"}}, {"type": "add_tags", "tags": ["pricing-interest"]}]}`,
	} {
		if _, _, err := w.svc.AddTrigger(ctx, owner, pid, []byte(raw)); err != nil {
			t.Fatalf("adding %s: %v", raw, err)
		}
	}
	if _, _, err := w.svc.CreateToken(ctx, owner, pid, "CI deploy"); err != nil {
		t.Fatal(err)
	}
	w.agent(owner, pid, "agent@example.com", "agent password 123")

	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)
	base := "/admin/p/" + pid + "/settings/"
	pages := []struct {
		name, path, heading, shot string
	}{
		{"dashboard", "/admin/", "", "dashboard"},
		{"property page", "/admin/p/" + pid + "/", "Demo shop", ""},
		{"triggers list", base + "triggers", "Triggers", "triggers"},
		{"editor, new trigger", base + "triggers/new", "", ""},
		{"editor: site notification", base + "triggers/welcome", "", ""},
		{"editor: page notification", base + "triggers/pricing", "", "editor"},
		{"editor: chat rescue", base + "triggers/rescue", "", ""},
		{"editor: widget maximized", base + "triggers/opened", "", ""},
		{"editor: advanced", base + "triggers/hesitant", "", ""},
		{"shortcuts", base + "shortcuts", "Shortcuts", "shortcuts"},
		{"shortcut editor", base + "shortcuts/price-list", "", ""},
		{"widget", base + "widget", "", ""},
		{"members", base + "members", "Members", ""},
		{"history", base + "history", "History", "history"},
		{"API tokens", base + "tokens", "", ""},
		{"property settings", base + "property", "", ""},
		{"test page", base + "test", "", "test"},
		{"preview frame", "/admin/p/" + pid + "/preview", "", ""},
		{"not found", base + "no-such-page", "", ""},
	}
	for _, p := range pages {
		status := u.open(p.path + "?lang=en")
		want := int64(200)
		if p.name == "not found" {
			want = 404
		}
		if status != want {
			t.Errorf("%s (%s) answered HTTP %d, want %d", p.name, p.path, status, want)
			continue
		}
		if p.heading != "" {
			u.find("heading", p.heading)
		}
		if strings.HasPrefix(p.name, "editor") {
			u.radioGroup("Trigger type")
		}
		if p.shot == "editor" {
			u.waitPreview("Questions about our plans?")
		}
		u.axe(p.name)
		u.noHorizontalScroll(p.name)
		if p.shot != "" {
			u.screenshot(p.shot)
		}
		u.viewport(tabletW, tabletH)
		u.noHorizontalScroll(p.name)
		// On a phone too; the lists are checked by axe there as well.
		u.viewport(phoneW, phoneH)
		u.noHorizontalScroll(p.name)
		if p.name == "triggers list" || p.name == "shortcuts" || p.name == "members" || p.name == "history" || p.name == "API tokens" {
			u.axe(p.name + ", phone")
			if p.name == "triggers list" {
				u.row("Pricing page") // still a table row, by its name
			}
		}
		u.viewport(wideW, wideH)
	}

	// A journey refused for a bad step opens on its summary, as a refused
	// save does.
	u.open(base + "test?lang=en")
	u.choose("Step 1 action", "Open the widget")
	u.fill("Step 1 time (seconds)", "soon")
	u.submit("Run the test")
	u.waitMessage("alert", "problem in the journey")
	u.focusOnAlert("after a refused journey")
	u.axe("test page, refused journey")
}

// previewFit returns where the first message the widget rendered in the
// Preview lies against the transcript that holds it: [message top,
// message bottom, transcript top, transcript bottom] in the widget
// document's pixels, or null.
var previewFit = inPreview(`(() => {
	const log = sr.querySelector("[data-part=transcript]");
	const m = log && log.querySelector("[data-part=message]");
	if (!m) return null;
	const a = m.getBoundingClientRect(), b = log.getBoundingClientRect();
	return [a.top, a.bottom, b.top, b.bottom];
})()`)

// In one column (a tablet, a small window, a phone) the editor's Preview,
// and the Widget page's, show a message with its suggestions whole. In a frame too short for it,
// the open widget kept only the message's last lines (on a phone, where
// its panel fills the frame) or hardly any of it (elsewhere, where the
// panel keeps a margin above the launcher).
func TestEditorPreviewInOneColumn(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Phone shop")
	raw := `{"id": "pricing", "name": "Pricing page", "type": "page", "delay": 10, "url": {"match": "starts_with", "value": "/pricing"}, "message": {"text": "Hello! Questions about our plans? We reply in minutes, every day from nine to six, and can set up a call."}, "agent": {"name": "Maya", "image": "avatars/woman.svg"}, "suggestions": ["Compare plans", "Talk to sales"]}`
	if _, _, err := w.svc.AddTrigger(context.Background(), owner, pid, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"a phone", phoneW, phoneH}, {"a tablet", tabletW, tabletH}, {"a small window", 960, 700}} {
		u.viewport(vp.w, vp.h)
		u.open("/admin/p/" + pid + "/settings/triggers/pricing")
		u.waitPreview("Questions about our plans?")
		u.previewShowsMessageWhole(vp.name)
		u.noHorizontalScroll("editor on " + vp.name)
		// The Widget page's Preview, with its sample message, alike.
		u.open("/admin/p/" + pid + "/settings/widget")
		u.waitPreview("Can we help you")
		u.previewShowsMessageWhole(vp.name + ", Widget page")
	}
}

// previewShowsMessageWhole fails the test unless the Preview region's
// widget shows its first message whole in its transcript (waiting for it
// to settle).
func (u *ui) previewShowsMessageWhole(where string) {
	u.t.Helper()
	region := u.find("region", "Preview")
	var fit []float64
	deadline := time.Now().Add(waitTimeout)
	for {
		u.call(region, previewFit, &fit)
		// A message and a transcript that are really there (a hidden one
		// has no box at all), the one inside the other.
		if len(fit) == 4 && fit[1]-fit[0] > 20 && fit[3]-fit[2] > 20 && fit[0] >= fit[2]-1 && fit[1] <= fit[3]+1 {
			return
		}
		if time.Now().After(deadline) {
			if len(fit) != 4 {
				u.fail("on %s the Preview shows no message in its transcript", where)
			}
			u.fail("on %s the Preview's message spans %v px of a transcript spanning %v: not all of it is in sight", where, fit[:2], fit[2:])
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A long property name in the top bar is shortened with an ellipsis, not
// allowed to widen the page: on a phone too. The link keeps the whole name
// as its accessible name, and its tooltip says it in full.
func TestTopBarShortensALongPropertyName(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	name := "Outdoor equipment and camping gear for the whole family, since 1998"
	pid := w.property(owner, name)
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"a wide screen", wideW, wideH}, {"a phone", phoneW, phoneH}} {
		u.viewport(vp.w, vp.h)
		u.open("/admin/p/" + pid + "/settings/triggers")
		link := u.find("link", name)
		var shown struct {
			Clipped bool
			Title   string
		}
		u.call(link, `function() { return {Clipped: this.scrollWidth > this.clientWidth && getComputedStyle(this).textOverflow === "ellipsis", Title: this.title}; }`, &shown)
		if !shown.Clipped {
			t.Errorf("on %s the top bar shows the whole long name, unshortened", vp.name)
		}
		if !strings.HasPrefix(shown.Title, name) {
			t.Errorf("on %s the shortened name's tooltip is %q, want it to begin with the whole name", vp.name, shown.Title)
		}
		u.noHorizontalScroll("a long property name on " + vp.name)
	}
}
