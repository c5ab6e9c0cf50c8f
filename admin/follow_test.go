//go:build !js

package admin_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

// publishElsewhere stores a new version as another instance sharing the
// database would: behind this Service's back.
func publishElsewhere(t *testing.T, e *env, pid, text string) {
	t.Helper()
	cur := e.storedSet(t, pid)
	set := setJSON(pid, []string{siteTrigger("hi", "Hi", text)})
	if err := e.st.Publish(ctx, &store.Version{PropertyID: pid, Data: []byte(set), Author: "elsewhere", Summary: "elsewhere", Created: start}, cur.Number); err != nil {
		t.Fatalf("Publish: %v", err)
	}
}

func follow(t *testing.T, e *env, l admin.Listener, f admin.Follow) {
	t.Helper()
	fctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		e.svc.FollowPublications(fctx, l, f)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("FollowPublications did not return after its context ended")
		}
	})
}

// A notification drops the cached set it names: the next read serves
// what another instance published.
func TestFollowPublicationsDropsNotifiedSets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	e.createProperty(t, owner, "q")
	e.putSet(t, owner, "p", setJSON("p", []string{siteTrigger("hi", "Hi", "first")}))
	notify := make(chan string)
	acked := make(chan struct{})
	follow(t, e, func(ctx context.Context, changed func(string)) error {
		changed("")
		for {
			select {
			case <-ctx.Done():
				return nil
			case id := <-notify:
				changed(id)
				acked <- struct{}{}
			}
		}
	}, admin.Follow{Deaf: time.Hour})
	send := func(id string) {
		t.Helper()
		select {
		case notify <- id:
			<-acked
		case <-time.After(10 * time.Second):
			t.Fatal("the listener was not called")
		}
	}
	send("warm-up") // the listener is running: its first changed("") is done
	if !strings.Contains(string(e.published(t, "p")), "first") {
		t.Fatal("the published set is not the one written")
	}
	publishElsewhere(t, e, "p", "second")
	if !strings.Contains(string(e.published(t, "p")), "first") {
		t.Fatal("a set published elsewhere was served before any notification: the cache is not in use, so this test proves nothing")
	}
	send("q")
	if !strings.Contains(string(e.published(t, "p")), "first") {
		t.Error("a notification for another property dropped this one's set")
	}
	send("p")
	if got := e.published(t, "p"); !strings.Contains(string(got), "second") {
		t.Errorf("after the notification: %s; want the set published elsewhere", got)
	}
}

// While the listener cannot listen, it is called again (after a growing
// wait) and the cache is dropped every Deaf, so a set published elsewhere
// is served soon without any notification.
func TestFollowPublicationsWhileNotListening(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	e.putSet(t, owner, "p", setJSON("p", []string{siteTrigger("hi", "Hi", "first")}))
	e.published(t, "p")
	var calls atomic.Int32
	follow(t, e, func(ctx context.Context, changed func(string)) error {
		calls.Add(1)
		return errors.New("connection refused")
	}, admin.Follow{Deaf: 10 * time.Millisecond, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	publishElsewhere(t, e, "p", "second")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(string(e.published(t, "p")), "second") {
		if time.Now().After(deadline) {
			t.Fatal("a set published elsewhere is still not served while not listening")
		}
		time.Sleep(5 * time.Millisecond)
	}
	for calls.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("the listener was called %d times; want it called again after each failure", calls.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// flaky is a store whose reads of published sets fail while down is set.
type flaky struct {
	store.Store
	down  atomic.Bool
	reads atomic.Int32 // failed reads
}

func (s *flaky) Published(ctx context.Context, pid string) (*store.Version, error) {
	if s.down.Load() {
		s.reads.Add(1)
		return nil, store.Errorf(store.Unavailable, "the database does not answer")
	}
	return s.Store.Published(ctx, pid)
}

// While the store cannot be read, the cache keeps serving the set it
// dropped last rather than an error; once the store answers again, the
// new set is served.
func TestFollowPublicationsServesLastKnownWhileStoreIsDown(t *testing.T) {
	t.Parallel()
	var fl *flaky
	e := newEnvWith(t, envConfig{wrap: func(st store.Store) store.Store { fl = &flaky{Store: st}; return fl }})
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	e.putSet(t, owner, "p", setJSON("p", []string{siteTrigger("hi", "Hi", "first")}))
	e.published(t, "p")
	follow(t, e, func(ctx context.Context, changed func(string)) error {
		return errors.New("connection refused")
	}, admin.Follow{Deaf: 10 * time.Millisecond, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond})
	fl.down.Store(true)
	deadline := time.Now().Add(10 * time.Second)
	for fl.reads.Load() < 3 { // the cache was dropped and read again, failing, several times
		if got := e.published(t, "p"); !strings.Contains(string(got), "first") {
			t.Fatalf("with the store down: %s; want the last known set", got)
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache was never read again while the store was down")
		}
		time.Sleep(5 * time.Millisecond)
	}
	fl.down.Store(false)
	publishElsewhere(t, e, "p", "second")
	for !strings.Contains(string(e.published(t, "p")), "second") {
		if time.Now().After(deadline) {
			t.Fatal("the set published while the store was unreachable is never served")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
