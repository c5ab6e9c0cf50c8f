package admin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
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
// The counts are kept in the store (store.LoginFailures), so that every
// instance sharing a database counts a guesser's failures together and a
// restart forgets nothing. That costs one indexed read per login and one
// small write per failure; a success writes only when there is something
// to clear. Keys are SHA-256 digests of the account and the address: the
// table holds neither, and a key is short whatever was typed.
const (
	freeFailsPair    = 5
	freeFailsClient  = 20
	freeFailsAccount = 50
	failWindow       = 15 * time.Minute
	maxWait          = 15 * time.Minute
)

type throttle struct {
	now func() time.Time
	st  store.LoginFailures
}

func newThrottle(now func() time.Time, st store.LoginFailures) *throttle {
	return &throttle{now: now, st: st}
}

// wait is how long the account (and client) must wait before trying, and
// which of its keys have failures on record.
func (t *throttle) wait(ctx context.Context, account, client string) (time.Duration, bool, error) {
	k := keys(account, client)
	fs, err := t.st.LoginFailures(ctx, k[:])
	if err != nil {
		return 0, false, err
	}
	now := t.now()
	var w time.Duration
	for _, f := range fs {
		if f.Until.After(now) && f.Until.Sub(now) > w {
			w = f.Until.Sub(now)
		}
	}
	return w, len(fs) > 0, nil
}

func (t *throttle) fail(ctx context.Context, account, client string) error {
	k := keys(account, client)
	return t.st.FailLogin(ctx, k[:], t.now(), failWindow, func(i, n int) time.Duration {
		free := [...]int{freeFailsPair, freeFailsClient, freeFailsAccount}[i]
		if over := n - free; over > 0 {
			return min(time.Second<<min(over-1, 20), maxWait)
		}
		return 0
	})
}

func (t *throttle) succeed(ctx context.Context, account, client string) error {
	k := keys(account, client)
	return t.st.ClearLoginFailures(ctx, []string{k[0], k[2]})
}

// sweep forgets failures nobody waits on any more.
func (t *throttle) sweep(ctx context.Context) error {
	return t.st.DeleteLoginFailures(ctx, t.now().Add(-max(failWindow, maxWait)))
}

func keys(account, client string) [3]string {
	return [3]string{digest("p", account+"\x00"+client), digest("c", client), digest("a", account)}
}

func digest(kind, s string) string {
	sum := sha256.Sum256([]byte(s))
	return kind + ":" + hex.EncodeToString(sum[:16])
}

// Sweep forgets what has expired: sessions and invitations, and failed
// logins nobody waits on any more. widgetd runs it at start and hourly.
func (s *Service) Sweep(ctx context.Context) error {
	if err := s.st.DeleteExpired(ctx, s.now()); err != nil {
		return err
	}
	return s.throttle.sweep(ctx)
}
