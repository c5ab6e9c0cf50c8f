//go:build !js

package admin_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
)

// race runs f(i) for i in [0, n) in goroutines that start together, and
// returns the statuses.
func race(n int, f func(i int) int) []int {
	statuses := make([]int, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			statuses[i] = f(i)
		}()
	}
	close(gate)
	wg.Wait()
	return statuses
}

func TestConcurrentSetPuts(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	const n = 8
	statuses := race(n, func(i int) int {
		set := setJSON("p", []string{siteTrigger("welcome", "Welcome", fmt.Sprintf("writer %d", i))})
		return e.do(t, owner, "PUT", pp+"/triggerset", set, "If-Match", `"v1"`).Status
	})
	winner, wins := -1, 0
	for i, s := range statuses {
		switch s {
		case http.StatusOK:
			winner, wins = i, wins+1
		case http.StatusConflict:
		default:
			t.Errorf("writer %d got %d, want 200 or 409", i, s)
		}
	}
	if wins != 1 {
		t.Fatalf("%d writers won (statuses %v), want exactly 1", wins, statuses)
	}
	stored := e.storedSet(t, "p")
	if stored.Number != 2 || !strings.Contains(string(stored.Data), fmt.Sprintf("writer %d\"", winner)) {
		t.Errorf("stored version %d is not writer %d's:\n%s", stored.Number, winner, stored.Data)
	}
	if got := string(e.published(t, "p")); got != string(stored.Data) {
		t.Errorf("served set is not the winner's:\n%s", got)
	}
}

func TestConcurrentTriggerPosts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		n    int // writers, each adding one trigger to the welcome one
	}{
		{"up to the limit", 19},
		{"over the limit", 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, owner := withProperty(t)
			statuses := race(tc.n, func(i int) int {
				return e.do(t, owner, "POST", pp+"/triggers", pageTrigger(fmt.Sprintf("t%02d", i), "T", fmt.Sprintf("/p%d", i))).Status
			})
			var added []string
			for i, s := range statuses {
				switch {
				case s == http.StatusCreated:
					added = append(added, fmt.Sprintf("t%02d", i))
				case s == http.StatusUnprocessableEntity && tc.n > 19:
				default:
					t.Errorf("writer %d got %d", i, s)
				}
			}
			if wantAdded := min(tc.n, 19); len(added) != wantAdded {
				t.Errorf("%d triggers added (statuses %v), want %d", len(added), statuses, wantAdded)
			}
			ids := e.triggerIDs(t, "p")
			for _, id := range added {
				if !slices.Contains(ids, id) {
					t.Errorf("trigger %s was created but is lost; set has %v", id, ids)
				}
			}
			if len(ids) != 1+len(added) {
				t.Errorf("set has %v, want welcome and the %d added", ids, len(added))
			}
			if v := e.storedSet(t, "p"); v.Number != int64(1+len(added)) {
				t.Errorf("version %d after %d additions", v.Number, len(added))
			}
		})
	}
}

// TestConcurrentEditsOfDifferentTriggers: people editing different
// triggers with their ETags at the same time all succeed.
func TestConcurrentEditsOfDifferentTriggers(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	const n = 6
	triggers := []string{siteTrigger("welcome", "Welcome", "Hi")}
	for i := range n {
		triggers = append(triggers, pageTrigger(fmt.Sprintf("t%d", i), "T", "/x"))
	}
	e.putSet(t, owner, "p", setJSON("p", triggers))
	tags := make([]string, n)
	for i := range n {
		_, tags[i] = e.trigger(t, owner, fmt.Sprintf("t%d", i))
	}
	statuses := race(n, func(i int) int {
		id := fmt.Sprintf("t%d", i)
		return e.do(t, owner, "PUT", pp+"/triggers/"+id, pageTrigger(id, fmt.Sprintf("Edited %d", i), "/x"), "If-Match", tags[i]).Status
	})
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("editor %d got %d", i, s)
		}
	}
	set := string(e.published(t, "p"))
	for i := range n {
		if !strings.Contains(set, fmt.Sprintf("Edited %d", i)) {
			t.Errorf("edit %d is lost", i)
		}
	}
}
