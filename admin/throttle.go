package admin

import (
	"sync"
	"time"
)

// Failed logins are slowed down on three counts: per account and client
// address together, per client address, and per account alone. The first
// few failures of each count cost nothing beyond argon2id's own time;
// after that each further failure doubles the wait before the next try,
// up to maxWait. A success clears the account's counts; failures are
// forgotten after failWindow without one.
//
// The allowances are chosen so that the person who owns an account is not
// locked out by someone else: a guesser at one address is slowed after 5
// tries at one account and 20 tries in all, while the account itself is
// only slowed for everyone after 50 failures from many addresses (a
// distributed guess, which argon2id and these waits make hopeless anyway).
// Behind a reverse proxy the client address comes from X-Forwarded-For
// only when the operator says the proxy can be trusted (HandlerConfig).
//
// The state is in memory: a restart forgets it, which only gives a
// guesser one more small allowance per restart.
const (
	freeFailsPair    = 5
	freeFailsClient  = 20
	freeFailsAccount = 50
	failWindow       = 15 * time.Minute
	maxWait          = 15 * time.Minute
	maxThrottleKeys  = 100_000
)

type throttle struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*failures
}

type failures struct {
	n     int
	last  time.Time
	until time.Time
}

func newThrottle(now func() time.Time) *throttle {
	return &throttle{now: now, m: map[string]*failures{}}
}

// wait is how long the account (and client) must wait before trying.
func (t *throttle) wait(account, client string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var w time.Duration
	for _, k := range keys(account, client) {
		if f := t.m[k]; f != nil && f.until.After(now) && f.until.Sub(now) > w {
			w = f.until.Sub(now)
		}
	}
	return w
}

func (t *throttle) fail(account, client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.m) >= maxThrottleKeys {
		t.prune(now)
	}
	for i, k := range keys(account, client) {
		f := t.m[k]
		if f == nil || now.Sub(f.last) > failWindow {
			f = &failures{}
			t.m[k] = f
		}
		f.n++
		f.last = now
		free := [...]int{freeFailsPair, freeFailsClient, freeFailsAccount}[i]
		if over := f.n - free; over > 0 {
			w := time.Second << min(over-1, 20)
			f.until = now.Add(min(w, maxWait))
		}
	}
}

func (t *throttle) succeed(account, client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := keys(account, client)
	delete(t.m, k[0])
	delete(t.m, k[2])
}

// prune forgets entries whose window has passed; when that is not enough
// the map is cleared, which only ever makes logins easier, never locks
// anyone out.
func (t *throttle) prune(now time.Time) {
	for k, f := range t.m {
		if now.Sub(f.last) > failWindow && !f.until.After(now) {
			delete(t.m, k)
		}
	}
	if len(t.m) >= maxThrottleKeys {
		clear(t.m)
	}
}

func keys(account, client string) [3]string {
	return [3]string{"p:" + account + "\x00" + client, "c:" + client, "a:" + account}
}
