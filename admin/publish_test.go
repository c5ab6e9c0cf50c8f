//go:build !js

package admin_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestPublishedAfterEveryWrite: the set the widget is served is the new
// one as soon as any kind of write returns, even when the old one was
// cached.
func TestPublishedAfterEveryWrite(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	writes := []struct {
		name, method, path string
		body               any
		hdr                []string
		status             int
	}{
		{"set PUT", "PUT", pp + "/triggerset", setJSON("p", []string{siteTrigger("welcome", "Welcome", "Hi"), pageTrigger("pricing", "Pricing page", "/pricing")}, shortcut("sc", "Hello")), []string{"If-Match", "*"}, 200},
		{"trigger POST", "POST", pp + "/triggers", pageTrigger("docs", "Docs", "/docs"), nil, 201},
		{"trigger PUT", "PUT", pp + "/triggers/docs", pageTrigger("docs", "Docs", "/documentation"), nil, 200},
		{"trigger duplicate", "POST", pp + "/triggers/docs/duplicate", nil, nil, 201},
		{"trigger DELETE", "DELETE", pp + "/triggers/docs-copy", nil, nil, 204},
		{"reorder", "PUT", pp + "/triggers:order", map[string][]string{"ids": {"docs", "pricing", "welcome"}}, nil, 200},
		{"bulk delete", "POST", pp + "/triggers:delete", map[string][]string{"ids": {"docs"}}, nil, 200},
		{"shortcut POST", "POST", pp + "/shortcuts", shortcut("sc2", "Bye"), nil, 201},
		{"shortcut PUT", "PUT", pp + "/shortcuts/sc2", shortcut("sc2", "Goodbye"), nil, 200},
		{"shortcut DELETE", "DELETE", pp + "/shortcuts/sc2", nil, nil, 204},
		{"restore", "POST", pp + "/versions/1/restore", nil, nil, 200},
		{"settings status", "PATCH", pp, map[string]string{"status": "offline"}, nil, 200},
		{"settings time zone", "PATCH", pp, map[string]string{"timezone": "Asia/Tokyo"}, nil, 200},
	}
	for _, w := range writes {
		before := e.published(t, "p") // cached now
		r := e.do(t, owner, w.method, w.path, w.body, w.hdr...)
		if r.Status != w.status {
			t.Fatalf("%s: %s, want %d", w.name, r, w.status)
		}
		stored := e.storedSet(t, "p")
		p, err := e.svc.PublishedSet(ctx, "p")
		if err != nil {
			t.Fatalf("%s: PublishedSet: %v", w.name, err)
		}
		if !bytes.Equal(p.Data, stored.Data) || p.Version != stored.Number {
			t.Errorf("%s: served version %d, stored %d:\n%s\nwant\n%s", w.name, p.Version, stored.Number, p.Data, stored.Data)
		}
		if bytes.Equal(p.Data, before) {
			t.Errorf("%s: the served set did not change", w.name)
		}
		if p.ETag == "" {
			t.Errorf("%s: the served set has no ETag", w.name)
		}
	}
	d := parseSet(t, e.published(t, "p"))
	if d.Status != "offline" || d.Timezone != "Asia/Tokyo" {
		t.Errorf("served set: status %q, time zone %q", d.Status, d.Timezone)
	}
}

func TestNewPropertyWelcome(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.setupOwner(t, "owner@example.com")
	tests := []struct {
		id, lang, wantName string
	}{
		{"en", "", "Welcome message"},
		{"en-us", "en-US,en;q=0.9", "Welcome message"},
		{"fr", "fr-FR,fr;q=0.9,en;q=0.5", "Message de bienvenue"},
		{"de", "de-DE", "Welcome message"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			var hdr []string
			if tc.lang != "" {
				hdr = []string{"Accept-Language", tc.lang}
			}
			r := e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"id": tc.id, "name": "Site " + tc.id}, hdr...)
			want(t, r, http.StatusCreated)
			d := parseSet(t, e.published(t, tc.id))
			if d.Property != tc.id || len(d.Triggers) != 1 {
				t.Fatalf("new set = %+v", d)
			}
			var tr struct {
				ID, Name, Type string
				Enabled        *bool
			}
			if err := json.Unmarshal(d.Triggers[0], &tr); err != nil {
				t.Fatal(err)
			}
			if tr.Type != "site" || tr.Enabled == nil || !*tr.Enabled || tr.Name != tc.wantName {
				t.Errorf("first trigger = %+v, want an enabled site trigger named %q", tr, tc.wantName)
			}
			if v := e.storedSet(t, tc.id); v.Number != 1 || v.Summary != "Created the property" || v.Author != "owner@example.com" {
				t.Errorf("version 1 = %d %q by %q", v.Number, v.Summary, v.Author)
			}
		})
	}
}
