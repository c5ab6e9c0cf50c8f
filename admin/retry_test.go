//go:build !js

package admin_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// interloper is a store where someone else publishes right before each of
// the service's next n Publish calls, as another writer that wins a race.
type interloper struct {
	store.Store
	mu     sync.Mutex
	n      int
	theirs func(cur *store.Version) []byte // their version of the set
}

// set makes someone else publish theirs before each of the next n
// Publish calls.
func (s *interloper) set(n int, theirs func(cur *store.Version) []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n, s.theirs = n, theirs
}

func (s *interloper) Publish(ctx context.Context, v *store.Version, base int64) error {
	s.mu.Lock()
	jump, theirs := s.n > 0, s.theirs
	if jump {
		s.n--
	}
	s.mu.Unlock()
	if jump {
		cur, err := s.Store.Published(ctx, v.PropertyID)
		if err != nil {
			return err
		}
		c, err := admin.Check(v.PropertyID, theirs(cur))
		if err != nil {
			panic(err)
		}
		if err := s.Store.Publish(ctx, &store.Version{PropertyID: v.PropertyID, Data: c.Data, Author: "them", Summary: "Their change"}, cur.Number); err != nil {
			return err
		}
	}
	return s.Store.Publish(ctx, v, base)
}

// withInterloper is withProperty over an interloper, whose set holds the
// triggers welcome and pricing at version 2.
func withInterloper(t *testing.T) (*env, caller, *interloper) {
	t.Helper()
	il := &interloper{}
	e := newEnvWith(t, envConfig{wrap: func(st store.Store) store.Store { il.Store = st; return il }})
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	e.putSet(t, owner, "p", setJSON("p", []string{siteTrigger("welcome", "Welcome", "Hi"), pageTrigger("pricing", "Pricing page", "/pricing")}))
	return e, owner, il
}

func TestLostRaceReapplies(t *testing.T) {
	t.Parallel()
	// They add a trigger; we do something else at the same time.
	addTheirs := func(cur *store.Version) []byte {
		return []byte(strings.Replace(string(cur.Data), `"triggers": [`, `"triggers": [`+pageTrigger("theirs", "Theirs", "/theirs")+",", 1))
	}
	tests := []struct {
		name, method, path string
		body               any
		status             int
		wantIDs            []string
	}{
		{"add", "POST", pp + "/triggers", pageTrigger("ours", "Ours", "/ours"), 201, []string{"theirs", "welcome", "pricing", "ours"}},
		{"edit", "PUT", pp + "/triggers/pricing", pageTrigger("pricing", "Prices", "/prices"), 200, []string{"theirs", "welcome", "pricing"}},
		{"delete", "DELETE", pp + "/triggers/pricing", nil, 204, []string{"theirs", "welcome"}},
		{"duplicate", "POST", pp + "/triggers/welcome/duplicate", nil, 201, []string{"theirs", "welcome", "welcome-copy", "pricing"}},
		{"settings", "PATCH", pp, map[string]string{"status": "away"}, 200, []string{"theirs", "welcome", "pricing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, owner, il := withInterloper(t)
			il.set(1, addTheirs)
			r := e.do(t, owner, tc.method, tc.path, tc.body)
			if r.Status != tc.status {
				t.Fatalf("%s, want %d", r, tc.status)
			}
			if ids := e.triggerIDs(t, "p"); !slices.Equal(ids, tc.wantIDs) {
				t.Errorf("triggers = %v, want %v (their trigger and our change)", ids, tc.wantIDs)
			}
			if v := e.storedSet(t, "p"); v.Number != 4 || string(e.published(t, "p")) != string(v.Data) {
				t.Errorf("stored version %d, want 4 served", v.Number)
			}
		})
	}
}

func TestLostRaceConflicts(t *testing.T) {
	t.Parallel()
	editPricing := func(cur *store.Version) []byte {
		return []byte(strings.Replace(string(cur.Data), "/pricing", "/their-pricing", 1))
	}
	t.Run("set PUT with If-Match", func(t *testing.T) {
		t.Parallel()
		e, owner, il := withInterloper(t)
		il.set(1, editPricing)
		r := e.do(t, owner, "PUT", pp+"/triggerset", setJSON("p", []string{siteTrigger("welcome", "Mine", "Mine")}), "If-Match", `"v2"`)
		wantError(t, r, http.StatusConflict, "conflict")
		// (Their version bypassed the service: only the store knows it.)
		if !strings.Contains(string(e.storedSet(t, "p").Data), "/their-pricing") {
			t.Errorf("their version was overwritten")
		}
	})
	t.Run("trigger PUT with If-Match, same trigger", func(t *testing.T) {
		t.Parallel()
		e, owner, il := withInterloper(t)
		_, tag := e.trigger(t, owner, "pricing")
		il.set(1, editPricing)
		r := e.do(t, owner, "PUT", pp+"/triggers/pricing", pageTrigger("pricing", "Mine", "/mine"), "If-Match", tag)
		wantError(t, r, http.StatusConflict, "conflict")
		if !strings.Contains(string(e.storedSet(t, "p").Data), "/their-pricing") {
			t.Errorf("their edit was overwritten")
		}
	})
	t.Run("trigger PUT with If-Match, other trigger", func(t *testing.T) {
		t.Parallel()
		e, owner, il := withInterloper(t)
		_, tag := e.trigger(t, owner, "welcome")
		il.set(1, editPricing)
		want(t, e.do(t, owner, "PUT", pp+"/triggers/welcome", siteTrigger("welcome", "Mine", "Mine"), "If-Match", tag), http.StatusOK)
		set := string(e.published(t, "p"))
		if !strings.Contains(set, "/their-pricing") || !strings.Contains(set, `"Mine"`) {
			t.Errorf("an edit is lost:\n%s", set)
		}
	})
	t.Run("losing every time", func(t *testing.T) {
		t.Parallel()
		e, owner, il := withInterloper(t)
		n := 0
		il.set(100, func(cur *store.Version) []byte {
			n++
			return []byte(strings.Replace(string(cur.Data), `"Hi"`, `"Hi`+strings.Repeat("!", n)+`"`, 1))
		})
		r := e.do(t, owner, "POST", pp+"/triggers", pageTrigger("ours", "Ours", "/ours"))
		wantError(t, r, http.StatusConflict, "conflict")
		if slices.Contains(e.triggerIDs(t, "p"), "ours") {
			t.Errorf("a refused write was published")
		}
	})
}
