//go:build !js

package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// TestAdminFirstRun: on an empty server the admin offers Create account;
// the first account lands on its dashboard, adds a property with Add
// property, and reaches the property's page and its Administration.
func TestAdminFirstRun(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	u := w.newUI(t)

	u.open("/admin/?lang=en")
	if p := u.path(); !strings.HasPrefix(p, "/admin/setup") {
		u.fail("an empty server sent /admin/ to %s, want the first-run page /admin/setup", p)
	}
	u.axe("first run (Create account)")
	u.noHorizontalScroll("first run")
	u.fill("Email", ownerEmail)
	u.fill("Password", ownerPassword)
	u.submit("Create account")
	if p := u.path(); p != "/admin/" {
		u.fail("Create account led to %s, want the dashboard /admin/", p)
	}
	u.find("button", "Log out")
	u.axe("dashboard, no property yet")

	// Add property: the form is open when there is no property.
	u.fill("Property name", "Acme shop")
	u.fill("Website URL", "https://acme.example.com")
	u.fill("Time zone", "Europe/Paris")
	u.submit("Create property")
	if p := u.path(); !strings.HasPrefix(p, "/admin/p/") {
		u.fail("Create property led to %s, want the property's page", p)
	}
	u.find("heading", "Acme shop")
	u.axe("property page")
	u.noHorizontalScroll("property page")

	// Back on the dashboard the property is a link named by its name,
	// whose hover text tells its full name, website and id.
	u.open("/admin/")
	l := u.find("link", "Acme shop")
	for _, want := range []string{"Acme shop", "https://acme.example.com", "acme-shop"} {
		if !strings.Contains(l.Desc, want) {
			t.Errorf("the property's link is described %q (its hover text), want it to tell %q", l.Desc, want)
		}
	}
	u.axe("dashboard with a property")
	u.viewport(tabletW, tabletH)
	u.noHorizontalScroll("dashboard")
	u.viewport(wideW, wideH)

	u.link("Acme shop")
	u.link("Administration")
	if p := u.path(); !strings.HasPrefix(p, "/admin/p/acme-shop/settings/") {
		u.fail("Administration led to %s, want the property's settings", p)
	}
	for _, name := range []string{"Triggers", "Shortcuts", "Widget", "Members", "History", "API tokens"} {
		u.find("link", name)
	}
	// The menu is under a heading a screen reader reads as "Settings".
	if !u.has("heading", "Settings") {
		var names []string
		for _, h := range u.all("heading", "") {
			names = append(names, h.Name)
		}
		t.Errorf("Administration has no heading named \"Settings\" above its menu; the headings, as the accessibility tree names them: %q", names)
	}
}

// TestAdminLogin: a wrong password is refused with an alert and keeps the
// email; the right one opens the dashboard; Log out ends the session.
func TestAdminLogin(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	w.property(owner, "Demo shop")
	u := w.newUI(t)

	// A page of the admin sends a visitor who is not logged in to the
	// login, and back after it.
	u.open("/admin/?lang=en")
	if p := u.path(); !strings.HasPrefix(p, "/admin/login") {
		u.fail("/admin/ without a session went to %s, want /admin/login", p)
	}
	u.axe("login")
	u.noHorizontalScroll("login")
	u.fill("Email", ownerEmail)
	u.fill("Password", "not the password")
	u.submit("Log in")
	u.waitMessage("alert", "Wrong email or password")
	u.focusOnAlert("after a refused login")
	if v := u.value(u.field("Email")); v != ownerEmail {
		t.Errorf("after a refused login the Email field holds %q, want %q kept", v, ownerEmail)
	}
	u.axe("login, refused")

	u.fill("Password", ownerPassword)
	u.submit("Log in")
	if p := u.path(); p != "/admin/" {
		u.fail("logging in led to %s, want the dashboard", p)
	}
	u.find("link", "Demo shop")

	u.submit("Log out")
	if p := u.path(); !strings.HasPrefix(p, "/admin/login") {
		u.fail("Log out led to %s, want the login", p)
	}
	u.open("/admin/p/demo-shop/")
	if p := u.path(); !strings.HasPrefix(p, "/admin/login") {
		u.fail("after Log out a property's page opened (%s); want the login", p)
	}
}

// TestAdminAgentRefused: an Agent of a property sees it on the dashboard
// and opens its page, but has no Administration link, and the settings'
// URL answers the not-allowed page.
func TestAdminAgentRefused(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Demo shop")
	w.agent(owner, pid, "agent@example.com", "agent password 123")
	u := w.newUI(t)
	u.login("agent@example.com", "agent password 123")

	u.link("Demo shop")
	u.find("heading", "Demo shop")
	if u.has("link", "Administration") {
		u.fail("an Agent's property page has a link named Administration")
	}
	for _, l := range u.all("link", "") {
		if strings.Contains(l.Name, "Administration") {
			u.fail("an Agent's property page has a link %q", l.Name)
		}
	}
	u.axe("property page (Agent)")

	for _, path := range []string{"/admin/p/" + pid + "/settings/", "/admin/p/" + pid + "/settings/triggers", "/admin/p/" + pid + "/settings/triggers/new"} {
		status := u.open(path)
		if status != 403 {
			u.fail("an Agent opening %s got HTTP %d, want 403", path, status)
		}
		u.find("heading", "Not allowed")
		u.waitMessage("alert", "Only an Admin of this property can open Administration")
	}
	u.axe("not allowed (Agent)")
}

// TestAdminInvitation: a person invited as an Agent opens the invitation
// link, chooses a password and joins: the dashboard lists the property,
// whose page has no Administration.
func TestAdminInvitation(t *testing.T) {
	t.Parallel()
	w := newAdminWorld(t)
	owner := w.owner()
	pid := w.property(owner, "Demo shop")
	_, secret, err := w.svc.Invite(context.Background(), owner, pid, "new.agent@example.com", store.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	u := w.newUI(t)
	u.open("/admin/invitation?lang=en&token=" + url.QueryEscape(secret))
	u.find("heading", "Join Demo shop")
	if v := u.value(u.field("Email")); v != "new.agent@example.com" {
		t.Errorf("the invitation shows the email %q", v)
	}
	u.axe("invitation")
	u.noHorizontalScroll("invitation")
	// A password too short is stopped by the browser (minlength) and
	// the page stays.
	u.fill("Password", "short")
	u.click("button", "Join")
	var tooShort bool
	u.call(u.field("Password"), `function() { return !this.validity.valid; }`, &tooShort)
	if !tooShort || !strings.HasPrefix(u.path(), "/admin/invitation") {
		t.Errorf("a 5-character password is accepted by the invitation form (page %s)", u.path())
	}
	u.fill("Password", "agent password 123")
	u.submit("Join")
	switch p := u.path(); p {
	case "/admin/":
		u.link("Demo shop")
	case "/admin/p/" + pid + "/":
	default:
		u.fail("joining led to %s, want the dashboard or the property's page", p)
	}
	u.find("heading", "Demo shop")
	if u.has("link", "Administration") {
		t.Errorf("the new Agent's property page has a link named Administration")
	}
	role, err := w.db.Role(context.Background(), pid, w.actor("new.agent@example.com", "agent password 123").Account.ID)
	if err != nil || role != store.RoleAgent {
		t.Errorf("the person who joined has the role %q (%v), want agent", role, err)
	}
}
