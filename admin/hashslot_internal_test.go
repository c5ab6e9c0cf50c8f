//go:build !js

package admin

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// With every hashing slot taken, up to maxHashWaiting checks wait for
// one; the next is refused at once (429, with a wait), and a waiting
// check whose request ends stops waiting.
func TestHashSlot_BoundedAndCancellable(t *testing.T) {
	s := &Service{hashing: make(chan struct{}, 2)}
	for range cap(s.hashing) {
		s.hashing <- struct{}{} // every slot busy
	}
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, maxHashWaiting)
	var wg sync.WaitGroup
	for range maxHashWaiting {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := s.hashSlot(ctx)
			if err == nil {
				release()
			}
			errs <- err
		}()
	}
	for s.hashWaiting.Load() < maxHashWaiting {
		runtime.Gosched()
	}
	_, err := s.hashSlot(context.Background())
	var se *store.Error
	if !errors.As(err, &se) || se.Code != store.TooManyRequests || se.RetryAfter <= 0 {
		t.Errorf("a check past %d waiting: %v, want TooManyRequests with a wait", maxHashWaiting, err)
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a waiting check whose request ended: %v, want context.Canceled", err)
		}
	}
	if n := s.hashWaiting.Load(); n != 0 {
		t.Errorf("%d checks still counted as waiting", n)
	}
	<-s.hashing // a slot frees: the next check gets it
	release, err := s.hashSlot(context.Background())
	if err != nil {
		t.Fatalf("with a free slot: %v", err)
	}
	release()
}
