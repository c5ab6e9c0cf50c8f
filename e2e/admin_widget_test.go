//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
)

// The Widget page's Appearance form, driven as a site owner does: by the
// controls' names, the preview drawn by the widget runtime, a save that
// publishes, a refused save that keeps what was typed.

// apSample is the sample message the Preview shows (English admin).
const apSample = "Hello! Can we help you find what you are looking for?"

// previewSet is a JS function, run on the Preview region, that resolves
// to the trigger set the widget on screen in the preview was started on
// (as JSON), or null while none is shown. The preview replaces its frame
// as the owner types, and a fetch started in a frame that goes away never
// settles: a timer of the admin page's own bounds the wait.
const previewSet = `async function() {
	for (const f of this.querySelectorAll("iframe")) {
		let doc = null;
		try { doc = f.contentDocument; } catch (e) {}
		const shown = doc && doc.querySelector("iframe.widget-frame:not(.is-loading)");
		let inner = null;
		try { inner = shown && shown.contentDocument; } catch (e) {}
		const script = inner && inner.querySelector("script[data-triggers]");
		if (!script) continue;
		const late = new Promise(resolve => setTimeout(() => resolve(null), 2000));
		let read = null;
		try {
			read = shown.contentWindow.fetch(script.getAttribute("data-triggers"))
				.then(res => res.text()).catch(() => null);
		} catch (e) { return null; }
		return await Promise.race([read, late]);
	}
	return null;
}`

// previewHost is a JS function, run on the Preview region, that returns
// what the widget on screen put on its host element, or null.
const previewHost = `function() {
	for (const f of this.querySelectorAll("iframe")) {
		let doc = null;
		try { doc = f.contentDocument; } catch (e) {}
		const shown = doc && doc.querySelector("iframe.widget-frame:not(.is-loading)");
		let inner = null;
		try { inner = shown && shown.contentDocument; } catch (e) {}
		const host = inner && inner.getElementById("triggerwidget-root");
		if (!host) continue;
		return {lang: host.getAttribute("lang") || "", dir: host.getAttribute("dir") || "",
			position: host.getAttribute("data-position") || "",
			accent: host.style.getPropertyValue("--tw-accent").trim(),
			text: host.shadowRoot ? host.shadowRoot.textContent : ""};
	}
	return null;
}`

// waitPreviewWidget waits until the widget shown in the Preview was
// started on a set whose widget object is want.
func (u *ui) waitPreviewWidget(want map[string]any) {
	u.t.Helper()
	region := u.find("region", "Preview")
	var last any
	deadline := time.Now().Add(waitTimeout)
	for {
		var raw *string
		u.call(region, previewSet, &raw)
		if raw != nil {
			var set struct{ Widget map[string]any }
			if json.Unmarshal([]byte(*raw), &set) == nil {
				last = set.Widget
				if reflect.DeepEqual(set.Widget, want) {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			u.fail("the Preview's widget runs with the widget object %v; want %v", last, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// storedWidget is the widget object of the published set, and its version.
func (w *adminWorld) storedWidget(a admin.Actor, pid string) (map[string]any, int64, string) {
	w.t.Helper()
	v, err := w.svc.TriggerSet(context.Background(), a, pid)
	if err != nil {
		w.t.Fatal(err)
	}
	var doc struct{ Widget map[string]any }
	if err := json.Unmarshal(v.Data, &doc); err != nil {
		w.t.Fatal(err)
	}
	return doc.Widget, v.Number, v.Summary
}

// openAppearance logs the owner in and opens the Widget page.
func openAppearance(t *testing.T) (*adminWorld, admin.Actor, string, *ui) {
	t.Helper()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Corner shop")
	u := w.newUI(t)
	u.login(ownerEmail, ownerPassword)
	u.open("/admin/p/" + pid + "/settings/widget")
	u.find("heading", "Appearance")
	return w, owner, pid, u
}

// TestAdminWidgetAppearance: every control by its name, the preview
// following the form, a save publishing one new version, the form showing
// what was saved, a refused save keeping what was typed, the page at
// phone width, and axe on each state.
func TestAdminWidgetAppearance(t *testing.T) {
	t.Parallel()
	w, owner, pid, u := openAppearance(t)
	u.strictNames = true

	for _, name := range []string{"Title", "Subtitle", "Accent color", "Tab label"} {
		if n := len(u.all("textbox", name)); n != 1 {
			t.Errorf("%d textboxes named %q, want 1", n, name)
		}
	}
	u.find("spinbutton", "Offset")
	u.find("checkbox", "Play a sound for new messages")
	u.find("button", "Save appearance")
	for group, want := range map[string][]string{"Position": {"Right", "Left"}, "Launcher": {"Bubble", "Tab"}} {
		var got []string
		for _, r := range u.radiosIn(group) {
			got = append(got, r.Name)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the radio group %s holds %q, want %q", group, got, want)
		}
	}
	wantLangs := []string{"Automatic (visitor's browser)", "English", "Français", "Español", "Deutsch", "Português", "Italiano", "العربية"}
	if got := u.options("Language"); !reflect.DeepEqual(got, wantLangs) {
		t.Errorf("the Language select offers %q, want %q", got, wantLangs)
	}
	if got := u.value(u.field("Accent color")); got != "#2f5bea" {
		t.Errorf("Accent color shows %q, want the default #2f5bea", got)
	}
	if !u.find("radio", "Right").checked() || !u.find("radio", "Bubble").checked() {
		t.Error("Right and Bubble are not chosen on a set without appearance")
	}
	u.waitPreview(apSample)
	u.waitPreviewWidget(map[string]any{})
	u.axe("the Widget page")

	// A problem is marked as soon as the field is left, and goes once
	// fixed, before any save.
	u.fill("Offset", "1.5")
	u.eventually("the Offset marked invalid while editing", func() bool {
		n := u.field("Offset")
		return n.invalid() && strings.Contains(u.describedBy(n), "whole number")
	})
	u.fill("Offset", "20")
	u.eventually("the Offset's mark gone once fixed", func() bool { return !u.field("Offset").invalid() })

	// The form, filled; the preview follows it.
	u.fill("Title", "Shop help")
	u.fill("Accent color", "#aa3300")
	u.radio("Left")
	u.fill("Offset", "32")
	u.choose("Language", "Français")
	u.radio("Tab")
	u.fill("Tab label", "Questions?")
	u.setChecked("Play a sound for new messages", true)
	want := map[string]any{"title": "Shop help", "color": "#aa3300", "position": "left", "offset": 32.0,
		"language": "fr", "launcher": map[string]any{"style": "tab", "label": "Questions?"}, "sound": true}
	u.waitPreviewWidget(want)
	u.waitPreview(apSample)
	_, before, _ := w.storedWidget(owner, pid)

	u.submit("Save appearance")
	u.waitMessage("status", "Saved")
	got, after, summary := w.storedWidget(owner, pid)
	if after != before+1 || summary != "Edited widget appearance" {
		t.Errorf("the save published version %d %q, want version %d \"Edited widget appearance\"", after, summary, before+1)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the published widget object is %v, want %v", got, want)
	}
	if v := u.value(u.field("Title")); v != "Shop help" {
		t.Errorf("after saving, Title shows %q", v)
	}
	if v := u.value(u.field("Language")); v != "Français" {
		t.Errorf("after saving, Language shows %q", v)
	}
	if !u.find("radio", "Left").checked() || !u.find("radio", "Tab").checked() {
		t.Error("after saving, Left and Tab are not chosen")
	}
	u.waitPreviewWidget(want)
	u.axe("the Widget page, saved")

	// Refused: an offset that is not a whole number.
	u.fill("Title", "Kept title")
	u.fill("Offset", "1.5")
	u.submit("Save appearance")
	u.waitMessage("alert", "nothing was saved")
	u.focusOnAlert("after a refused Save appearance")
	off := u.field("Offset")
	if !off.invalid() || !strings.Contains(u.describedBy(off), "whole number") {
		t.Errorf("after the refused save the Offset is invalid=%v, described by %q", off.invalid(), u.describedBy(off))
	}
	if v := u.value(u.field("Title")); v != "Kept title" {
		t.Errorf("after the refused save Title shows %q, want what was typed", v)
	}
	if u.field("Title").invalid() {
		t.Error("the Title is marked invalid for the Offset's problem")
	}
	if _, n, _ := w.storedWidget(owner, pid); n != after {
		t.Errorf("the refused save published version %d", n)
	}
	u.axe("the Widget page, refused save")
	u.clickNode(u.find("link", "Offset"))
	var focused string
	u.eval(`document.activeElement?.labels?.[0]?.textContent.trim() ?? ""`, &focused)
	if focused != "Offset" {
		t.Errorf("the alert's link to the Offset's problem leaves the focus on %q", focused)
	}

	// A phone.
	u.viewport(400, 800)
	u.noHorizontalScroll("the Widget page")
	u.find("region", "Preview")
	u.waitPreview(apSample)
}

// TestAdminWidgetValidatorProblems: what the validator refuses in the
// widget object comes back beside the right fields, after a save and
// while editing. It needs the validator to check the widget object.
func TestAdminWidgetValidatorProblems(t *testing.T) {
	t.Parallel()
	w, owner, pid, u := openAppearance(t)
	_, before, _ := w.storedWidget(owner, pid)
	u.fill("Subtitle", "We answer fast")
	u.fill("Accent color", "navy")
	u.fill("Offset", "500")
	u.submit("Save appearance")
	u.waitMessage("alert", "nothing was saved")
	for name, typed := range map[string]string{"Accent color": "navy", "Offset": "500"} {
		n := u.field(name)
		if !n.invalid() || u.describedBy(n) == "" {
			t.Errorf("%s: invalid=%v, described by %q; want it marked with the validator's problem", name, n.invalid(), u.describedBy(n))
		}
		if v := u.value(n); v != typed {
			t.Errorf("%s shows %q, want what was typed, %q", name, v, typed)
		}
	}
	if n := u.field("Subtitle"); n.invalid() || u.value(n) != "We answer fast" {
		t.Errorf("Subtitle: invalid=%v, value %q", n.invalid(), u.value(n))
	}

	// Marked while editing too, before any save.
	u.fill("Accent color", "#12345")
	u.fill("Offset", "20")
	u.eventually("the Accent color marked for #12345 while editing", func() bool { return u.field("Accent color").invalid() })
	u.eventually("the Offset's mark gone once fixed", func() bool { return !u.field("Offset").invalid() })
	u.fill("Accent color", "#123456")
	u.eventually("the Accent color's mark gone once fixed", func() bool { return !u.field("Accent color").invalid() })
	if _, n, _ := w.storedWidget(owner, pid); n != before {
		t.Errorf("the refused save published version %d", n)
	}
}

// TestAdminWidgetPreviewLooks: the widget in the Preview wears the
// appearance typed: language, direction, side and accent on its host
// element, the title in its panel. It needs the runtime to apply the
// appearance.
func TestAdminWidgetPreviewLooks(t *testing.T) {
	t.Parallel()
	_, _, _, u := openAppearance(t)
	u.fill("Title", "Aide boutique")
	u.fill("Accent color", "#aa3300")
	u.radio("Left")
	u.choose("Language", "Français")
	type host struct{ Lang, Dir, Position, Accent, Text string }
	waitHost := func(what string, ok func(h host) bool) {
		t.Helper()
		region := u.find("region", "Preview")
		var h *host
		deadline := time.Now().Add(waitTimeout)
		for {
			u.call(region, previewHost, &h)
			if h != nil && ok(*h) {
				return
			}
			if time.Now().After(deadline) {
				u.fail("the Preview's widget host is %+v; want %s", h, what)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitHost(`lang fr, dir ltr, data-position left, --tw-accent #aa3300, the title`, func(h host) bool {
		return h.Lang == "fr" && h.Dir == "ltr" && h.Position == "left" && h.Accent == "#aa3300" && strings.Contains(h.Text, "Aide boutique")
	})
	u.choose("Language", "العربية")
	waitHost("lang ar, dir rtl", func(h host) bool { return h.Lang == "ar" && h.Dir == "rtl" })
}
