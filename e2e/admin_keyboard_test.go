//go:build !js

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The editor as a keyboard and screen-reader user meets it: a row added or
// removed leaves the focus on a control of the rows (not on a row's hidden
// input, which left it nowhere); a
// save's "Saved" takes the focus (a screen reader does not announce a
// status that is there when the page loads) and leaves the address; an
// image over the limit is refused as soon as it is chosen, beside its field;
// leaving with changes not saved asks first.
func TestAdminEditorKeyboardAndNotices(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Keyboard shop")
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)

	u.open("/admin/p/" + pid + "/settings/triggers/new?type=advanced")
	focused := func() string {
		var s string
		u.eval(`(() => { const e = document.activeElement; if (!e || e === document.body) return "(nothing)";
			const l = e.labels && e.labels[0]; return (l ? l.textContent : e.getAttribute("aria-label") || e.textContent || e.tagName).trim(); })()`, &s)
		return s
	}
	// A new advanced trigger opens with one condition row.
	u.clickNode(u.find("button", "Add condition"))
	if got := focused(); got != "Condition 2 field" {
		t.Errorf("after Add condition the focus is on %q, want Condition 2 field", got)
	}
	u.clickNode(u.find("button", "Remove condition 1"))
	if got := focused(); got != "Condition 1 field" {
		t.Errorf("after Remove condition 1 the focus is on %q, want the next row's first control, now Condition 1 field", got)
	}

	// An image over 2 MiB, refused when it is chosen.
	big := filepath.Join(t.TempDir(), "holiday.png")
	if err := os.WriteFile(big, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	u.open("/admin/p/" + pid + "/settings/triggers/new")
	u.upload("Upload image", big)
	u.waitText("This image is 3 MiB; the limit is 2 MiB. Choose a smaller one.")
	up := u.find("button", "Upload image")
	if !up.invalid() || !strings.Contains(u.describedBy(up), "This image is 3 MiB") {
		t.Errorf("the upload field is not marked invalid and described by its error (described by %q)", u.describedBy(up))
	}
	var files int
	u.call(up, `function() { return this.files.length; }`, &files)
	if files != 0 {
		t.Errorf("the refused image stays chosen (%d files)", files)
	}

	// Save: the notice takes the focus, and ?saved=1 leaves the address.
	u.radio("Site notification")
	u.fill("Trigger name", "Keyboard welcome")
	u.fill("Message", "Hello")
	u.fill("Agent name", "Ann")
	u.saveTrigger("a site trigger")
	deadline := time.Now().Add(waitTimeout)
	for focused() != "Saved" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := focused(); got != "Saved" {
		t.Errorf("after Save the focus is on %q, want the Saved notice", got)
	}
	if p := u.path(); strings.Contains(p, "saved") {
		t.Errorf("after Save the address is %q; a reload would say Saved again", p)
	}

	// Leaving with changes not saved asks first; a saved editor does not.
	prompts := func() int {
		u.mu.Lock()
		defer u.mu.Unlock()
		return u.leavePrompts
	}
	u.link("Triggers")
	if n := prompts(); n != 0 {
		t.Errorf("leaving a saved editor asked %d times whether to leave", n)
	}
	u.link("Add trigger")
	u.fill("Trigger name", "Not saved")
	u.link("Triggers")
	if n := prompts(); n != 1 {
		t.Errorf("leaving an editor with changes not saved asked %d times, want once", n)
	}
}

// The shortcut editor refuses a file over the limit when it is chosen, and
// asks before being left with changes not saved; the Widget page's Saved
// takes the focus, in sight, though its form posts to #appearance.
func TestAdminOtherFormsKeyboardAndNotices(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Forms shop")
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)

	u.open("/admin/p/" + pid + "/settings/shortcuts/new")
	u.fill("Shortcut id", "guide")
	u.choose("Attachment 1 Kind", "File")
	big := filepath.Join(t.TempDir(), "catalogue.pdf")
	if err := os.WriteFile(big, make([]byte, 5<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	u.upload("Attachment 1 Upload", big)
	u.waitText("This file is 5 MiB; the limit is 2 MiB. Choose a smaller one.")
	prompts := func() int {
		u.mu.Lock()
		defer u.mu.Unlock()
		return u.leavePrompts
	}
	u.link("Back to shortcuts")
	if n := prompts(); n != 1 {
		t.Errorf("leaving the shortcut editor with changes not saved asked %d times, want once", n)
	}

	u.open("/admin/p/" + pid + "/settings/widget")
	u.fill("Title", "Shop help")
	u.submit("Save appearance")
	u.waitMessage("status", "Saved")
	var onNotice bool
	deadline := time.Now().Add(waitTimeout)
	for !onNotice && time.Now().Before(deadline) {
		u.eval(`(() => { const a = document.activeElement; if (!a || !a.classList.contains("notice")) return false;
			const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`, &onNotice)
		time.Sleep(50 * time.Millisecond)
	}
	if !onNotice {
		t.Errorf("after Save appearance the focus is not on the Saved notice, in sight")
	}
}
