//go:build !js

package admin

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/sqlite"
)

// The throttle slows a guesser without locking the account's owner out.
func TestThrottleAllowances(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	st, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	th := &testThrottle{t, newThrottle(func() time.Time { return now }, st)}
	failN := func(account, client string, n int) {
		for range n {
			th.fail(account, client)
		}
	}

	failN("ann", "attacker", freeFailsPair+1)
	if w := th.wait("ann", "attacker"); w != time.Second {
		t.Errorf("after %d failures the guesser waits %v, want 1s", freeFailsPair+1, w)
	}
	if w := th.wait("ann", "ann-laptop"); w != 0 {
		t.Errorf("the owner, from another address, waits %v after someone else's failures; want 0", w)
	}
	th.fail("ann", "attacker")
	if w := th.wait("ann", "attacker"); w != 2*time.Second {
		t.Errorf("one more failure: wait %v, want it doubled to 2s", w)
	}

	// Many accounts from one address: the address is slowed.
	for i := range freeFailsClient - freeFailsPair - 1 { // 7 failures so far: 21 in all
		th.fail(string(rune('a'+i)), "attacker")
	}
	if w := th.wait("zed", "attacker"); w == 0 {
		t.Errorf("after %d failures from one address a new account is not slowed", freeFailsClient+1)
	}

	// A distributed guess at one account slows the account itself.
	for i := range freeFailsAccount + 1 {
		th.fail("bob", "10.0.0."+string(rune('0'+i%10))+string(rune('a'+i/10)))
	}
	if w := th.wait("bob", "bob-laptop"); w == 0 {
		t.Errorf("after %d failures from many addresses the account is not slowed", freeFailsAccount+1)
	}

	// Waits are capped, and forgotten after the window.
	failN("cat", "x", 200)
	if w := th.wait("cat", "x"); w > maxWait {
		t.Errorf("wait %v is over the cap %v", w, maxWait)
	}
	now = now.Add(failWindow + maxWait + time.Second)
	th.fail("cat", "x")
	if w := th.wait("cat", "x"); w != 0 {
		t.Errorf("after the window a first failure makes the guesser wait %v, want 0", w)
	}

	// A success clears the account's counts.
	failN("dan", "home", freeFailsPair+2)
	th.succeed("dan", "home")
	if w := th.wait("dan", "home"); w != 0 {
		t.Errorf("after a success: wait %v, want 0", w)
	}
}

// Failures counted by one instance slow down the guesser at another that
// shares the store, and the sweep forgets them once nobody waits.
func TestThrottleShared(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, err := sqlite.Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	one := &testThrottle{t, newThrottle(clock, st)}
	two := &testThrottle{t, newThrottle(clock, st)}
	for range freeFailsPair {
		one.fail("ann", "attacker")
	}
	two.fail("ann", "attacker")
	if w := one.wait("ann", "attacker"); w != time.Second {
		t.Errorf("after %d failures across two instances the guesser waits %v, want 1s", freeFailsPair+1, w)
	}
	now = now.Add(failWindow + maxWait + time.Second)
	if err := one.sweep(t.Context()); err != nil {
		t.Fatal(err)
	}
	k := keys("ann", "attacker")
	if fs, err := st.LoginFailures(t.Context(), k[:]); err != nil || len(fs) != 0 {
		t.Errorf("after the sweep: %v, %v; want nothing left", fs, err)
	}
}

// testThrottle fails the test on a store error.
type testThrottle struct {
	t  *testing.T
	th *throttle
}

func (x *testThrottle) fail(account, client string) {
	if err := x.th.fail(x.t.Context(), account, client); err != nil {
		x.t.Fatal(err)
	}
}

func (x *testThrottle) succeed(account, client string) {
	if err := x.th.succeed(x.t.Context(), account, client); err != nil {
		x.t.Fatal(err)
	}
}

func (x *testThrottle) wait(account, client string) time.Duration {
	w, _, err := x.th.wait(x.t.Context(), account, client)
	if err != nil {
		x.t.Fatal(err)
	}
	return w
}

func (x *testThrottle) sweep(ctx context.Context) error { return x.th.sweep(ctx) }

func TestClientAddrTrustsProxyOnlyWhenTold(t *testing.T) {
	for _, tt := range []struct {
		trust bool
		xff   []string
		want  string
	}{
		{false, []string{"1.2.3.4"}, "192.0.2.1"},
		{true, []string{"1.2.3.4"}, "1.2.3.4"},
		{true, []string{"6.6.6.6, 1.2.3.4"}, "1.2.3.4"},
		{true, []string{"6.6.6.6", "1.2.3.4"}, "1.2.3.4"},
		{true, nil, "192.0.2.1"},
	} {
		h := &Handler{cfg: HandlerConfig{TrustProxy: tt.trust}}
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "192.0.2.1:4242"
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := h.ClientAddr(r); got != tt.want {
			t.Errorf("trust %v, X-Forwarded-For %q: client %q, want %q", tt.trust, tt.xff, got, tt.want)
		}
	}
}
