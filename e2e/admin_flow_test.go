//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
)

// storedTrigger is a trigger as the Service keeps it (the parts the tests
// check).
type storedTrigger struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Enabled     *bool    `json:"enabled"`
	Delay       int      `json:"delay"`
	Suggestions []string `json:"suggestions"`
	Message     struct {
		Text     string `json:"text"`
		Shortcut string `json:"shortcut"`
	} `json:"message"`
	Agent struct {
		Name  string `json:"name"`
		Image string `json:"image"`
	} `json:"agent"`
	URL struct {
		Match string `json:"match"`
		Value string `json:"value"`
	} `json:"url"`
	Event      string `json:"event"`
	Match      string `json:"match"`
	Conditions []struct {
		Field string `json:"field"`
		Op    string `json:"op"`
		Value any    `json:"value"`
	} `json:"conditions"`
	Actions []struct {
		Type    string `json:"type"`
		Message struct {
			Text string `json:"text"`
		} `json:"message"`
	} `json:"actions"`
}

// triggers reads the property's triggers through the Service.
func (w *adminWorld) triggers(a admin.Actor, pid string) []storedTrigger {
	w.t.Helper()
	items, _, err := w.svc.Triggers(context.Background(), a, pid)
	if err != nil {
		w.t.Fatalf("reading the triggers of %s: %v", pid, err)
	}
	out := make([]storedTrigger, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it.Raw, &out[i]); err != nil {
			w.t.Fatalf("trigger %s: %v", it.Raw, err)
		}
	}
	return out
}

// trigger is the property's trigger named name; it fails the test when
// there is none.
func (w *adminWorld) trigger(a admin.Actor, pid, name string) storedTrigger {
	w.t.Helper()
	all := w.triggers(a, pid)
	for _, tr := range all {
		if tr.Name == name {
			return tr
		}
	}
	var names []string
	for _, tr := range all {
		names = append(names, tr.Name)
	}
	w.t.Fatalf("property %s has no trigger named %q; it has %q", pid, name, names)
	return storedTrigger{}
}

func (w *adminWorld) version(a admin.Actor, pid string) int64 {
	w.t.Helper()
	_, v, err := w.svc.Triggers(context.Background(), a, pid)
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Number
}

// writePNG writes a small PNG picture and returns its path.
func writePNG(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: 120, B: uint8(y * 4), A: 255})
		}
	}
	path := filepath.Join(t.TempDir(), "agent.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// named finds the node of that role whose name, without the icons around
// it, is name (for pages whose buttons carry a visible symbol such as ＋).
func (u *ui) named(role, name string) axNode {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, n := range u.all(role, "") {
			if trimIcons(n.Name) == name {
				return n
			}
		}
		if time.Now().After(deadline) {
			var names []string
			for _, n := range u.all(role, "") {
				names = append(names, n.Name)
			}
			u.fail("no %s named %q (the %ss: %q)", role, name, role, names)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var icons = regexp.MustCompile(`^[^\p{L}\p{N}]+|[^\p{L}\p{N}.?!)]+$`)

func trimIcons(s string) string { return icons.ReplaceAllString(strings.TrimSpace(s), "") }

// saveTrigger presses the editor's Save and waits for "Saved".
func (u *ui) saveTrigger(what string) {
	u.t.Helper()
	u.submit("Save")
	u.waitMessage("status", "Saved")
	if problems := u.messages("alert"); len(problems) > 0 {
		u.fail("saving %s: Saved, yet the page shows alerts %q", what, problems)
	}
}

// addSuggestions adds suggested messages with the button, as many as given.
func (u *ui) addSuggestions(texts ...string) {
	u.t.Helper()
	for i, s := range texts {
		label := "Suggested message " + strconv.Itoa(i+1)
		if len(u.all("textbox", label)) == 0 {
			u.click("button", "Add suggested message")
		}
		u.fill(label, s)
	}
}

// row is the table row (role=row) that holds a link named name.
func (u *ui) row(name string) axNode {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, r := range u.all("row", "") {
			if ns, err := u.query("link", name, &r); err == nil && len(ns) > 0 {
				return r
			}
		}
		if time.Now().After(deadline) {
			u.fail("no row holds a link named %q", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAdminTriggerFlow walks the admin as a site owner does, from the first
// run to every kind of trigger, editing, deleting, the limit of 20, a
// refused save and History's Restore, checking at each step what the
// Service stored.
func TestAdminTriggerFlow(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	u := w.newUI(t)

	// First run, Add property, open it, Administration.
	u.open("/admin/?lang=en")
	u.fill("Email", ownerEmail)
	u.fill("Password", ownerPassword)
	u.submit("Create account")
	u.fill("Property name", "Acme shop")
	u.fill("Website URL", "https://acme.example.com")
	u.fill("Time zone", "Europe/Paris")
	u.submit("Create property")
	owner := w.actor(ownerEmail, ownerPassword)
	props, err := w.svc.Properties(context.Background(), owner)
	if err != nil || len(props) != 1 {
		t.Fatalf("the owner's properties: %v, %v; want the one created", props, err)
	}
	pid := props[0].ID
	u.link("Administration")
	u.find("heading", "Triggers")
	u.waitText("1 of 20")
	u.find("link", "Welcome message")
	u.axe("triggers list")

	// A shortcut, on the Shortcuts page, for the Widget maximized trigger.
	u.link("Shortcuts")
	u.find("heading", "Shortcuts")
	u.axe("shortcuts, none yet")
	u.follow("Add shortcut", func() { u.clickNode(u.named("link", "Add shortcut")) })
	u.fill("Shortcut id", "price-list")
	u.fill("Text", "Here is our price list.")
	u.axe("shortcut editor")
	u.submit("Save")
	if _, err := w.svc.Shortcut(context.Background(), owner, pid, "price-list"); err != nil {
		u.fail("the shortcut saved on the Shortcuts page is not stored: %v", err)
	}

	// One trigger of each type.
	u.link("Triggers")
	u.link("Add trigger")
	u.radioGroup("Trigger type")
	u.axe("editor, new trigger")
	u.radio("Site notification")
	u.fill("Trigger name", "Welcome back")
	u.choose("Delay", "5 seconds")
	u.radio("Set your message")
	u.fill("Message", "Hello 👋 see https://acme.example.com/help")
	u.addSuggestions("Pricing", "Shipping", "Returns", "Talk to a human")
	if ns := u.all("button", "Add suggested message"); len(ns) > 0 && !ns[0].disabled() {
		t.Errorf("with 4 suggested messages, Add suggested message is still there and enabled")
	}
	u.fill("Agent name", "Maya")
	u.axe("editor: site notification")
	u.saveTrigger("a site notification")
	site := w.trigger(owner, pid, "Welcome back")
	if site.Type != "site" || site.Delay != 5 || site.Message.Text != "Hello 👋 see https://acme.example.com/help" ||
		!slices.Equal(site.Suggestions, []string{"Pricing", "Shipping", "Returns", "Talk to a human"}) || site.Agent.Name != "Maya" {
		t.Errorf("the site notification saved as %+v", site)
	}
	u.axe("editor: saved")

	u.link("Triggers")
	u.link("Add trigger")
	u.radio("Page notification")
	u.fill("Trigger name", "Pricing help")
	u.choose("Delay", "No delay")
	u.choose("URL match", "Starts with")
	u.fill("URL", "/pricing")
	u.radio("Set your message")
	u.fill("Message", "Questions about our plans?")
	avatars := u.radiosIn("Standard avatar")
	if len(avatars) == 0 {
		u.fail("the radio group Standard avatar has no radio")
	}
	avatar := avatars[len(avatars)-1]
	u.radio(avatar.Name)
	u.fill("Agent name", "Sam")
	u.axe("editor: page notification")
	u.saveTrigger("a page notification")
	pg := w.trigger(owner, pid, "Pricing help")
	if pg.Type != "page" || pg.Delay != 0 || pg.URL.Match != "starts_with" || pg.URL.Value != "/pricing" ||
		!strings.Contains(strings.ToLower(pg.Agent.Image), strings.ToLower(avatar.Name)) {
		t.Errorf("the page notification (avatar %q) saved as %+v", avatar.Name, pg)
	}

	u.link("Triggers")
	u.link("Add trigger")
	u.radio("Chat rescue")
	u.fill("Trigger name", "Rescue")
	u.choose("Delay", "30 seconds")
	u.radio("Set your message")
	u.fill("Message", "Sorry for the wait! Leave your email and we will write back.")
	u.upload("Upload image", writePNG(t))
	u.fill("Agent name", "Support")
	u.axe("editor: chat rescue")
	u.saveTrigger("a chat rescue")
	rescue := w.trigger(owner, pid, "Rescue")
	if rescue.Type != "chat_rescue" || rescue.Delay != 30 || !strings.Contains(rescue.Agent.Image, "/u/") {
		t.Errorf("the chat rescue with an uploaded agent image saved as %+v; want its image served from /u/", rescue)
	}

	u.link("Triggers")
	u.link("Add trigger")
	u.radio("Widget maximized")
	u.fill("Trigger name", "Opened")
	u.choose("Delay", "No delay")
	u.radio("Use a predefined shortcut")
	u.chooseStarting("Shortcut", "price-list")
	u.fill("Agent name", "Support")
	u.axe("editor: widget maximized")
	u.saveTrigger("a widget maximized trigger")
	if mx := w.trigger(owner, pid, "Opened"); mx.Type != "maximized" || mx.Message.Shortcut != "price-list" {
		t.Errorf("the widget maximized trigger saved as %+v; want it to send the shortcut price-list", mx)
	}

	u.link("Triggers")
	u.link("Add trigger")
	u.radio("Advanced")
	u.fill("Trigger name", "Hesitant buyer")
	u.choose("Event", "Page view")
	u.radio("All conditions")
	u.click("button", "Add condition")
	u.choose("Condition 1 field", "Page path")
	u.choose("Condition 1 operator", "starts with")
	u.fill("Condition 1 value", "/pricing")
	u.click("button", "Add action")
	u.choose("Action 1 type", "Send a message")
	u.fill("Action 1 message", "Need a hand choosing a plan?")
	u.fill("Action 1 agent", "Maya")
	u.axe("editor: advanced")
	u.saveTrigger("an advanced trigger")
	adv := w.trigger(owner, pid, "Hesitant buyer")
	if adv.Type != "advanced" || adv.Event != "page_view" || len(adv.Conditions) != 1 || adv.Conditions[0].Field != "page.path" ||
		adv.Conditions[0].Op != "starts_with" || adv.Conditions[0].Value != "/pricing" || len(adv.Actions) != 1 ||
		adv.Actions[0].Type != "send_message" || adv.Actions[0].Message.Text != "Need a hand choosing a plan?" {
		t.Errorf("the advanced trigger saved as %+v", adv)
	}

	// Edit one: click it, change the message, Save.
	u.link("Triggers")
	u.waitText("6 of 20")
	u.link("Welcome back")
	if v := u.value(u.field("Message")); v != site.Message.Text {
		t.Errorf("the editor of Welcome back shows the message %q, want %q", v, site.Message.Text)
	}
	u.fill("Message", "Welcome back! Anything we can help with?")
	u.saveTrigger("an edit")
	if got := w.trigger(owner, pid, "Welcome back").Message.Text; got != "Welcome back! Anything we can help with?" {
		t.Errorf("after the edit the message is %q", got)
	}

	// The Enabled switch of a row turns the trigger off.
	u.link("Triggers")
	r := u.row("Pricing help")
	sw := u.findIn(&r, "switch", "Enabled")
	if !sw.checked() {
		t.Errorf("the Enabled switch of a new trigger is off")
	}
	u.press(sw, " ")
	u.eventually("Pricing help is off", func() bool {
		e := w.trigger(owner, pid, "Pricing help").Enabled
		return e != nil && !*e
	})
	// And back on (TestAdminNames checks how an off row reads), once the
	// switch takes input again: it is disabled until the page has the
	// server's answer, which comes a moment after the stored change.
	u.eventually("the Enabled switch of Pricing help, off and enabled again", func() bool {
		s := u.findIn(&r, "switch", "Enabled")
		return !s.checked() && !s.disabled()
	})
	u.press(u.findIn(&r, "switch", "Enabled"), " ")
	u.eventually("Pricing help is on again", func() bool {
		e := w.trigger(owner, pid, "Pricing help").Enabled
		return e == nil || *e
	})

	// Delete two: tick them, the trash button, the dialog names them,
	// its Delete.
	beforeDelete := w.version(owner, pid)
	u.open(fmt.Sprintf("/admin/p/%s/settings/triggers", pid))
	u.setChecked("Select Rescue", true)
	u.setChecked("Select Opened", true)
	u.click("button", "Delete")
	dlg := u.find("dialog", "")
	if txt := u.text(dlg); !strings.Contains(txt, "Rescue") || !strings.Contains(txt, "Opened") {
		u.fail("the delete dialog says %q; want it to name Rescue and Opened", txt)
	}
	u.axe("triggers list, delete dialog")
	del := u.findIn(&dlg, "button", "Delete")
	u.follow("the dialog's Delete", func() { u.clickNode(del) })
	u.waitText("4 of 20")
	for _, gone := range []string{"Rescue", "Opened"} {
		if u.has("link", gone) {
			t.Errorf("%s is still listed after its deletion", gone)
		}
	}
	if n := len(w.triggers(owner, pid)); n != 4 {
		t.Errorf("after deleting two of six triggers the property has %d", n)
	}

	// A refused save keeps what was typed and points at the problem.
	u.link("Pricing help")
	u.choose("URL match", "Regex")
	u.fill("URL", "/pricing(")
	u.fill("Trigger name", "Pricing help (regex)")
	u.submit("Save")
	url := u.field("URL")
	if v := u.value(url); v != "/pricing(" {
		t.Errorf("after a refused save the URL field holds %q, want what was typed, /pricing(", v)
	}
	if v := u.value(u.field("Trigger name")); v != "Pricing help (regex)" {
		t.Errorf("after a refused save the Trigger name field holds %q, want what was typed", v)
	}
	if !url.invalid() || u.attr(url, "aria-invalid") != "true" {
		t.Errorf("after a refused save the URL field is not marked aria-invalid=\"true\" (attribute %q; its properties: %v)", u.attr(url, "aria-invalid"), url.Props)
	}
	if d := u.describedBy(url); d == "" {
		t.Errorf("the URL field's error is not linked by aria-describedby")
	}
	summary := strings.Join(u.messages("alert"), " | ")
	if !regexp.MustCompile(`(?i)\b(1|one) problem`).MatchString(summary) {
		t.Errorf("the summary of a refused save says %q; want it to count 1 problem", summary)
	}
	u.focusOnAlert("after a refused save")
	u.axe("editor: refused save")
	if got := w.trigger(owner, pid, "Pricing help"); got.URL.Match != "starts_with" {
		t.Errorf("a refused save changed the stored trigger: %+v", got)
	}

	// A trigger needs a name: spaces alone are refused the same way, the
	// summary linking to the Trigger name field.
	u.fill("URL", "/pricing")
	u.fill("Trigger name", "   ")
	u.submit("Save")
	name := u.field("Trigger name")
	if v := u.value(name); v != "   " {
		t.Errorf("after a save refused for its name the Trigger name field holds %q, want what was typed", v)
	}
	if !name.invalid() || u.attr(name, "aria-invalid") != "true" {
		t.Errorf("a trigger saved without a name: Trigger name is not marked aria-invalid=\"true\" (attribute %q)", u.attr(name, "aria-invalid"))
	}
	if d := u.describedBy(name); !strings.Contains(d, "Give the trigger a name") {
		t.Errorf("Trigger name is described by %q; want the problem, Give the trigger a name…", d)
	}
	alerts := u.all("alert", "")
	var toName axNode
	for i := range alerts {
		if ls, err := u.query("link", "Trigger name", &alerts[i]); err == nil && len(ls) > 0 {
			toName = ls[0]
		}
	}
	if toName.Role == "" {
		u.fail("the summary of a save refused for its name has no link Trigger name")
	}
	u.focusOnAlert("after a save refused for its name")
	u.axe("editor: refused save, no name")
	u.clickNode(toName)
	u.eventually("the summary's link to take the focus to Trigger name", func() bool {
		var on bool
		u.call(u.field("Trigger name"), `function() { return this === document.activeElement; }`, &on)
		return on
	})
	if got := w.trigger(owner, pid, "Pricing help"); got.URL.Match != "starts_with" {
		t.Errorf("a save refused for its name changed the stored trigger: %+v", got)
	}

	// The limit: 20 triggers, and Add trigger is disabled, saying why.
	for i := len(w.triggers(owner, pid)); i < 20; i++ {
		raw := fmt.Sprintf(`{"id": "filler-%d", "name": "Filler %d", "type": "site", "delay": 60, "message": {"text": "Hello %d"}, "agent": {"name": "Support"}}`, i, i, i)
		if _, _, err := w.svc.AddTrigger(context.Background(), owner, pid, []byte(raw)); err != nil {
			t.Fatalf("adding trigger %d through the Service: %v", i+1, err)
		}
	}
	u.open(fmt.Sprintf("/admin/p/%s/settings/triggers", pid))
	u.waitText("20 of 20")
	var add *axNode
	for _, role := range []string{"button", "link"} {
		if ns := u.all(role, "Add trigger"); len(ns) > 0 {
			add = &ns[0]
		}
	}
	switch {
	case add == nil:
		u.fail("with 20 triggers there is no Add trigger at all; want it disabled, saying why")
	case !add.disabled():
		t.Errorf("with 20 triggers Add trigger is not disabled")
	case !strings.Contains(add.Desc, "20"):
		t.Errorf("the disabled Add trigger is described %q; want the reason (at most 20)", add.Desc)
	}
	u.axe("triggers list, full")

	// History: Restore the version before the deletion.
	u.link("History")
	u.find("heading", "History")
	u.axe("history")
	restore := u.restoreButton(beforeDelete)
	u.clickNode(restore)
	restored := func() bool {
		var names []string
		for _, tr := range w.triggers(owner, pid) {
			names = append(names, tr.Name)
		}
		return slices.Contains(names, "Rescue") && slices.Contains(names, "Opened") && len(names) == 6
	}
	// Restore may ask first, in a dialog whose button confirms.
	deadline := time.Now().Add(waitTimeout)
	for !restored() {
		if dlg, err := u.query("dialog", "", nil); err == nil && len(dlg) > 0 {
			if bs, err := u.query("button", "", &dlg[0]); err == nil {
				for _, b := range bs {
					if strings.HasPrefix(trimIcons(b.Name), "Restore") {
						u.follow("confirming Restore", func() { u.clickNode(b) })
						break
					}
				}
			}
		}
		if time.Now().After(deadline) {
			u.fail("Restore of version %d did not bring back the deleted triggers", beforeDelete)
		}
		time.Sleep(100 * time.Millisecond)
	}
	u.find("heading", "History")
	t.Logf("after Restore the History page says %q", u.messages("status"))
	u.axe("history, after Restore")
}

// radiosIn lists the radios of the radio group named group.
func (u *ui) radiosIn(group string) []axNode {
	u.t.Helper()
	g := u.radioGroup(group)
	ns, err := u.query("radio", "", &g)
	if err != nil {
		u.fail("the radios of %s: %v", group, err)
	}
	return ns
}

// radioGroup waits for the group of radios named name: role radiogroup,
// or an HTML fieldset with that legend (role group), which screen readers
// announce as a group of radio buttons too.
func (u *ui) radioGroup(name string) axNode {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, role := range []string{"radiogroup", "group"} {
			for _, g := range u.all(role, name) {
				if rs, err := u.query("radio", "", &g); err == nil && len(rs) > 0 {
					return g
				}
			}
		}
		if time.Now().After(deadline) {
			u.fail("no group of radio buttons named %q", name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// chooseStarting selects the option of the select name whose label starts
// with prefix.
func (u *ui) chooseStarting(name, prefix string) {
	u.t.Helper()
	for _, o := range u.options(name) {
		if strings.HasPrefix(o, prefix) {
			u.choose(name, o)
			return
		}
	}
	u.fail("the select %q has no option starting with %q; its options: %q", name, prefix, u.options(name))
}

// waitText waits until the main content's text contains s.
func (u *ui) waitText(s string) {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		var txt string
		u.eval(`(document.querySelector("main") || document.body).innerText`, &txt)
		if strings.Contains(txt, s) {
			return
		}
		if time.Now().After(deadline) {
			u.fail("the page never says %q", s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eventually waits until cond holds.
func (u *ui) eventually(what string, cond func() bool) {
	u.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			u.fail("waiting for %s: never happened", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// restoreButton is History's Restore button of version n: the one whose
// name says n, or the one in the row that says it.
func (u *ui) restoreButton(n int64) axNode {
	u.t.Helper()
	num := regexp.MustCompile(`\b` + strconv.FormatInt(n, 10) + `\b`)
	var seen []string
	deadline := time.Now().Add(waitTimeout)
	for {
		for _, b := range u.all("button", "") {
			if strings.HasPrefix(trimIcons(b.Name), "Restore") {
				seen = append(seen, b.Name)
				if num.MatchString(b.Name) || num.MatchString(b.Desc) {
					return b
				}
			}
		}
		for _, r := range u.all("row", "") {
			cells, _ := u.query("cell", "", &r)
			heads, _ := u.query("rowheader", "", &r)
			cells = append(heads, cells...)
			if len(cells) == 0 || !num.MatchString(u.text(cells[0])) {
				continue
			}
			bs, _ := u.query("button", "", &r)
			for _, b := range bs {
				if strings.HasPrefix(trimIcons(b.Name), "Restore") {
					return b
				}
			}
		}
		if time.Now().After(deadline) {
			u.fail("History has no Restore button for version %d (Restore buttons: %q)", n, seen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
