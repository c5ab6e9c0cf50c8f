//go:build !js

package admin_test

import (
	"bytes"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// TestPublishedSetIsCanonical: whatever a stored version holds — keys the
// format does not define, a key given twice, another layout, as a version
// stored by an older widgetd or written to the database by hand may — the
// set served at /p/ID/triggers.json is its canonical form, without the
// unknown keys.
func TestPublishedSetIsCanonical(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnvWith(t, envConfig{dir: dir})
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	old := []byte(`{"version":1,"property":"p","internalNotes":"call Bob on 555-0100",
	"triggers":[{"id":"hi","type":"site","draft":{"text":"unreleased offer"},"message":{"text":"old","text":"Hello"},
	"agent":{"name":"Maya","phone":"555-0199"}}],
	"shortcuts":[{"id":"s","text":"Hi","attachments":[{"kind":"link","url":"/a","title":"A","utm":"secret-campaign"}]}]}`)
	cur := e.storedSet(t, "p")
	if err := e.st.Publish(ctx, &store.Version{PropertyID: "p", Data: old, Author: "by hand", Summary: "old row", Created: start}, cur.Number); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	// A server started on that database.
	fresh := newEnvWith(t, envConfig{dir: dir})
	served := fresh.published(t, "p")
	for _, leak := range []string{"internalNotes", "555-01", "draft", "unreleased", "phone", "utm", "secret-campaign", `"old"`} {
		if bytes.Contains(served, []byte(leak)) {
			t.Errorf("the served set contains %q:\n%s", leak, served)
		}
	}
	want, errs := strict.Format(served)
	if errs != nil {
		t.Fatalf("the served set is refused by the strict checks: %v\n%s", errs, served)
	}
	if !bytes.Equal(served, want) {
		t.Errorf("the served set is not in canonical form:\n%s\nwant:\n%s", served, want)
	}
	if d := parseSet(t, served); len(d.Triggers) != 1 || !bytes.Contains(d.Triggers[0], []byte(`"Hello"`)) {
		t.Errorf("the served set lost its trigger: %s", served)
	}
}

// TestPublishedSetUnreadableVersion: a stored version that is not a trigger
// set at all is not served (an internal error, whose text is for the log),
// and never replaced by an older version from the cache.
func TestPublishedSetUnreadableVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newEnvWith(t, envConfig{dir: dir})
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	cur := e.storedSet(t, "p")
	if err := e.st.Publish(ctx, &store.Version{PropertyID: "p", Data: []byte(`{"version":1,"property":"p","secret":"abc`), Author: "by hand", Summary: "broken", Created: start}, cur.Number); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	fresh := newEnvWith(t, envConfig{dir: dir})
	p, err := fresh.svc.PublishedSet(ctx, "p")
	if err == nil || !store.IsCode(err, store.Internal) {
		t.Fatalf("PublishedSet = %v, %v; want an Internal error", p, err)
	}
	if bytes.Contains([]byte(err.Error()), []byte("abc")) {
		t.Errorf("the error quotes the stored bytes: %v", err)
	}
}
