//go:build !js

package e2e

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// expect checks that a node with exactly that role and accessible name is
// on the page (waiting a little for scripts), and reports it otherwise,
// with the names of that role the page has, without stopping the test.
func (u *ui) expect(role, name string) (axNode, bool) {
	u.t.Helper()
	deadline := time.Now().Add(time.Second)
	for {
		if ns := u.all(role, name); len(ns) > 0 {
			return ns[0], true
		}
		if time.Now().After(deadline) {
			var names []string
			for _, n := range u.all(role, "") {
				names = append(names, n.Name)
			}
			u.t.Errorf("on %s there is no %s named exactly %q; the %ss there: %q", u.path(), role, name, role, names)
			return axNode{}, false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// expectField is expect for a text field or select.
func (u *ui) expectField(name string) {
	u.t.Helper()
	for _, role := range fieldRoles {
		if len(u.all(role, name)) > 0 {
			return
		}
	}
	u.t.Errorf("on %s there is no text field or select labelled exactly %q", u.path(), name)
}

// TestAdminNames holds the admin to the accessible names it promises
// (README's stable hooks): the Settings menu, the Triggers page with its
// rows, switches and delete dialog, and every control of the trigger
// editor, each by its exact role and name. It also runs axe-core on a list
// that has a trigger turned off.
func TestAdminNames(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Demo shop")
	ctx := context.Background()
	if _, _, err := w.svc.AddShortcut(ctx, owner, pid, []byte(`{"id": "price-list", "text": "Here is our price list:"}`)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.svc.AddTrigger(ctx, owner, pid, []byte(`{"id": "pricing", "name": "Pricing page", "type": "page", "enabled": false, "delay": 45, "url": {"match": "starts_with", "value": "/pricing"}, "message": {"text": "Questions?"}, "agent": {"name": "Maya"}}`)); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(t)
	u.strictNames = true
	u.login(ownerEmail, ownerPassword)
	base := "/admin/p/" + pid + "/settings/"

	// The Settings menu.
	u.open(base + "triggers")
	u.find("heading", "Triggers")
	u.expect("heading", "Settings")
	for _, name := range []string{"Triggers", "Shortcuts", "Widget", "Members", "History", "API tokens"} {
		u.expect("link", name)
	}

	// The Triggers page.
	u.waitText("2 of 20")
	u.expect("link", "Add trigger")
	r := u.row("Pricing page")
	if len(u.must(u.query("switch", "Enabled", &r))) == 0 {
		t.Errorf("the row of Pricing page has no switch named Enabled")
	}
	u.expect("checkbox", "Select Pricing page")
	u.expect("checkbox", "Select Welcome message")
	u.axe("triggers list with a trigger turned off")
	u.setChecked("Select Pricing page", true)
	u.click("button", "Delete")
	dlg := u.find("dialog", "")
	if !strings.Contains(u.text(dlg), "Pricing page") {
		t.Errorf("the delete dialog says %q; want it to name Pricing page", u.text(dlg))
	}
	for _, name := range []string{"Delete", "Cancel"} {
		if ns := u.must(u.query("button", name, &dlg)); len(ns) == 0 {
			t.Errorf("the delete dialog has no button named %q", name)
		}
	}
	cancel := u.findIn(&dlg, "button", "Cancel")
	u.clickNode(cancel)
	u.eventually("the dialog to close on Cancel", func() bool { return !u.has("dialog", "") })
	if n := len(w.triggers(owner, pid)); n != 2 {
		t.Errorf("Cancel in the delete dialog left %d triggers, want both", n)
	}

	// The editor: every control by its name.
	u.open(base + "triggers/new")
	u.radioGroup("Trigger type")
	for _, name := range []string{"Site notification", "Page notification", "Chat rescue", "Widget maximized", "Advanced"} {
		u.expect("radio", name)
	}
	u.expectField("Trigger name")
	u.expectField("Delay")
	opts := u.options("Delay")
	for _, o := range []string{"No delay", "5 seconds", "10 seconds", "30 seconds", "1 minute"} {
		if !slices.Contains(opts, o) {
			t.Errorf("the Delay select has no option %q; its options: %q", o, opts)
		}
	}
	u.expect("radio", "Set your message")
	u.expect("radio", "Use a predefined shortcut")
	u.expectField("Message")
	u.expect("button", "Add suggested message")
	u.click("button", "Add suggested message")
	u.expectField("Suggested message 1")
	u.expect("button", "Remove suggested message 1")
	u.expect("button", "Upload image")
	u.radioGroup("Standard avatar")
	u.expectField("Agent name")
	for _, name := range []string{"Enabled", "Once per visitor"} {
		if !u.has("checkbox", name) && !u.has("switch", name) {
			t.Errorf("the editor has no checkbox named %q", name)
		}
	}
	u.expect("button", "Save")
	u.expect("region", "Preview")
	u.radio("Use a predefined shortcut")
	u.expectField("Shortcut")
	u.radio("Page notification")
	u.expectField("URL match")
	u.expectField("URL")
	if got := u.options("URL match"); !slices.Equal(got, []string{"Exact", "Contains", "Starts with", "Wildcard", "Regex"}) {
		t.Errorf("the URL match options are %q", got)
	}
	u.radio("Advanced")
	u.expectField("Event")
	u.expect("radio", "All conditions")
	u.expect("radio", "Any condition")
	u.expect("button", "Add condition")
	u.expect("button", "Add action")
	if len(u.all("combobox", "Condition 1 field")) == 0 {
		u.click("button", "Add condition")
	}
	for _, name := range []string{"Condition 1 field", "Condition 1 operator", "Condition 1 value"} {
		u.expectField(name)
	}
	if len(u.all("combobox", "Action 1 type")) == 0 {
		u.click("button", "Add action")
	}
	u.expectField("Action 1 type")

	// A stored delay that is not in the list shows as its own option and
	// is kept by a save.
	u.open(base + "triggers/pricing")
	if v := u.value(u.field("Delay")); !strings.Contains(v, "45") {
		t.Errorf("a trigger stored with a delay of 45 s shows the Delay %q", v)
	}
	u.saveTrigger("a trigger with a delay of 45 s")
	if d := w.trigger(owner, pid, "Pricing page").Delay; d != 45 {
		t.Errorf("saving a trigger with a delay of 45 s stored the delay %d", d)
	}
}

// must stops the test on a failed accessibility query and returns its
// nodes.
func (u *ui) must(ns []axNode, err error) []axNode {
	u.t.Helper()
	if err != nil {
		u.fail("querying the accessibility tree: %v", err)
	}
	return ns
}
