//go:build !js

package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"testing"
)

// A page's post is capped: a multipart body posted to the login, by
// anyone, is refused without being read to its end (net/http would keep
// its files in temporary files, whatever their size).
func TestPagePostBodyIsCapped(t *testing.T) {
	w := newMGWorld(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("email", "ann@example.com")
	_ = mw.WriteField("password", mgPassword)
	fw, _ := mw.CreateFormFile("junk", "junk.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("x"), 2*maxOpenPageBody))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", w.srv.URL+"/admin/login", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := w.send(t, w.client(), req)
	if r.status == http.StatusSeeOther {
		t.Fatalf("a login posted with a body over the cap went through")
	}
	// A normal login still works.
	w.login(t, "ann@example.com")
	if bodyLimit("manage") < maxShortcutBody || bodyLimit("anyone") != maxOpenPageBody {
		t.Errorf("limits: %d %d", bodyLimit("manage"), bodyLimit("anyone"))
	}
}

// Behind a trusted proxy, the login page counts failures per client as the
// API does (the X-Forwarded-For address the proxy added), not per the
// proxy's own address: one guesser does not lock every person out.
func TestLoginThrottlesTheClientBehindAProxy(t *testing.T) {
	ctx := context.Background()
	svc := newTestService(t)
	h, err := New(svc, admin.NewHandler(svc, admin.HandlerConfig{TrustProxy: true}), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Setup(ctx, "ann@example.com", mgPassword); err != nil {
		t.Fatal(err)
	}
	login := func(email, pw, client string) int {
		form := url.Values{"email": {email}, "password": {pw}}
		req := httptest.NewRequest("POST", "/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 25 {
		login(fmt.Sprintf("guess%d@example.com", i), "wrong password!", "203.0.113.9")
	}
	if got := login("guess99@example.com", "wrong password!", "203.0.113.9"); got != http.StatusTooManyRequests {
		t.Errorf("the guesser is not slowed down: %d", got)
	}
	if got := login("ann@example.com", mgPassword, "198.51.100.7"); got != http.StatusSeeOther {
		t.Errorf("another client behind the same proxy cannot log in: %d", got)
	}
}

// An invitation's token stays in the query of the page's address, where
// its link puts it (the server's request log records paths), and the
// page's language switch keeps it, also after a refused post.
func TestInvitationTokenStaysInTheQuery(t *testing.T) {
	w := newMGWorld(t)
	_, secret, err := w.svc.Invite(context.Background(), w.owner, "shop", "cat@example.com", "agent")
	if err != nil {
		t.Fatal(err)
	}
	c := w.client()
	page := w.do(t, c, "GET", "/admin/invitation?token="+url.QueryEscape(secret), nil)
	want := `href="/admin/invitation?lang=fr&amp;token=` + url.QueryEscape(secret) + `"`
	if page.status != http.StatusOK || !strings.Contains(page.body, want) {
		t.Fatalf("invitation page: %d, no %s in %s", page.status, want, page.body)
	}
	if r := w.do(t, c, "GET", "/admin/invitation/"+url.PathEscape(secret), nil); r.status != http.StatusNotFound {
		t.Errorf("the token in a path: %d", r.status)
	}
	r := w.do(t, c, "POST", "/admin/invitation", url.Values{"token": {secret}, "password": {"short"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, want) {
		t.Errorf("after a refusal: %d %s", r.status, mgMain(r.body))
	}
	// Other pages keep their query too.
	if r := w.do(t, c, "GET", "/admin/login?next=%2Fadmin%2Fp%2Fshop%2F", nil); !strings.Contains(r.body, `href="/admin/login?lang=fr&amp;next=%2Fadmin%2Fp%2Fshop%2F"`) {
		t.Errorf("the login's language switch loses next: %s", mgMain(r.body))
	}
}

// A trigger deleted by someone else while it was edited: the save keeps
// what was typed, says so, and the form saves it as a new trigger.
func TestEditorSaveOfADeletedTriggerKeepsWhatWasTyped(t *testing.T) {
	e := newEditorEnv(t)
	f, _ := e.editForm("welcome")
	if _, err := e.svc.DeleteTriggers(context.Background(), e.actor, "acme", []string{"welcome"}); err != nil {
		t.Fatal(err)
	}
	f.Set("text", "Typed before the deletion")
	res := e.post("/admin/p/acme/settings/triggers/welcome", f)
	page := edBody(res)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(page, "Someone else deleted this trigger") {
		t.Fatalf("status %d: %s", res.StatusCode, mgMain(page))
	}
	again := edFormValues(t, page)
	if again.Get("text") != "Typed before the deletion" || !strings.Contains(page, `action="/admin/p/acme/settings/triggers/new"`) {
		t.Fatalf("the typed text is lost, or the form does not add it: %s", mgMain(page))
	}
	id := edSaved(t, e.post("/admin/p/acme/settings/triggers/new", again))
	if got := e.published()[id]["message"]; edJSON(got) != `{"text":"Typed before the deletion"}` {
		t.Errorf("published %s", edJSON(got))
	}
}

// Move up/down and drag and drop say the same of an order made stale by
// someone else's change: a conflict, with a way to reload.
func TestStaleOrderIsAConflict(t *testing.T) {
	for _, err := range []error{store.Errorf(store.Invalid, "the new order names 2 triggers but the set has 3"), store.Errorf(store.NotFound, "no trigger")} {
		if got := staleOrder(err); !store.IsCode(got, store.Conflict) {
			t.Errorf("%v → %v", err, got)
		}
	}
	if got := staleOrder(store.Errorf(store.Forbidden, "no")); !store.IsCode(got, store.Forbidden) {
		t.Errorf("another refusal changed: %v", got)
	}
}

// One way to shorten a text for a list: on one line, cut with "…".
func TestShorten(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"Hello\n  there", 20, "Hello there"},
		{"abcdef", 6, "abcdef"},
		{"abcdefg", 6, "abcde…"},
		{"abcd efgh", 6, "abcd…"},
		{"été été", 4, "été…"},
	} {
		if got := shorten(c.in, c.n); got != c.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
