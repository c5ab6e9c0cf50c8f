package admin

import (
	"cmp"
	"context"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// NeedsSetup reports whether the server has no account yet: the admin
// then offers Create account, and the first account owns the server.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.st.CountAccounts(ctx)
	return n == 0, err
}

// Setup creates the first account and logs it in. Once any account
// exists it answers Forbidden: people join by invitation from then on.
func (s *Service) Setup(ctx context.Context, email, password string) (*store.Account, string, error) {
	if need, err := s.NeedsSetup(ctx); err != nil {
		return nil, "", err
	} else if !need {
		return nil, "", store.Errorf(store.Forbidden, "this server already has an account; ask its owner for an invitation")
	}
	a, err := s.newAccount(ctx, email, password)
	if err != nil {
		return nil, "", err
	}
	if err := s.st.CreateAccount(ctx, a, true); err != nil {
		if store.IsCode(err, store.Conflict) {
			return nil, "", store.Errorf(store.Forbidden, "this server already has an account; ask its owner for an invitation")
		}
		return nil, "", err
	}
	s.log.InfoContext(ctx, "first account created", "email", a.Email)
	secret, err := s.startSession(ctx, a)
	return a, secret, err
}

// AddAccount creates an account (the operator's `widgetd user add`).
func (s *Service) AddAccount(ctx context.Context, email, password string) (*store.Account, error) {
	a, err := s.newAccount(ctx, email, password)
	if err != nil {
		return nil, err
	}
	if err := s.st.CreateAccount(ctx, a, false); err != nil {
		return nil, err
	}
	return a, nil
}

func (s *Service) newAccount(ctx context.Context, email, password string) (*store.Account, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return nil, err
	}
	return &store.Account{Email: email, PasswordHash: hash, Created: s.now()}, nil
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	release, err := s.hashSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return hashPassword(password, s.pw)
}

func (s *Service) verify(ctx context.Context, password, hash string) (bool, error) {
	release, err := s.hashSlot(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return verifyPassword(password, hash)
}

// maxHashWaiting is how many password checks may wait for a hashing slot.
// Past it, a login (or any check) is refused at once, to be tried again in
// a moment, rather than queued behind a burst: a few hundred parallel
// wrong passwords would otherwise hold every login for minutes.
const maxHashWaiting = 8

// ErrBusy is the refusal of a password check when too many wait already
// (a TooManyRequests error, to be told apart from the failed-login wait).
var ErrBusy = errHashBusy

// errHashBusy is hashSlot's refusal.
var errHashBusy = &store.Error{Code: store.TooManyRequests, RetryAfter: 2 * time.Second,
	Message: "the server is busy checking passwords; try again in a few seconds"}

// hashSlot takes one of the hashing slots, waiting while the request
// lasts if maxHashWaiting others do not wait already; release gives it
// back.
func (s *Service) hashSlot(ctx context.Context) (release func(), err error) {
	release = func() { <-s.hashing }
	select {
	case s.hashing <- struct{}{}:
		return release, nil
	default:
	}
	if s.hashWaiting.Add(1) > maxHashWaiting {
		s.hashWaiting.Add(-1)
		return nil, errHashBusy
	}
	defer s.hashWaiting.Add(-1)
	select {
	case s.hashing <- struct{}{}:
		return release, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dummyHash is verified against when the email is unknown, so that a
// login takes as long whether or not the account exists.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() { s.dummy, _ = hashPassword("no account has this password", s.pw) })
	return s.dummy
}

// Login checks an email and password, slowing down repeated failures
// (TooManyRequests, with the wait), and returns a new session's secret.
func (s *Service) Login(ctx context.Context, email, password, client string) (*store.Account, string, error) {
	key, err := normalizeEmail(email)
	if err != nil {
		key = email
	}
	wait, failed, err := s.throttle.wait(ctx, key, client)
	if err != nil {
		return nil, "", err
	}
	if wait > 0 {
		return nil, "", &store.Error{Code: store.TooManyRequests,
			Message: "too many failed logins; try again in " + roundWait(wait).String(), RetryAfter: wait}
	}
	a, err := s.st.AccountByEmail(ctx, key)
	hash := s.dummyHash()
	if err == nil {
		hash = a.PasswordHash
	} else if !store.IsCode(err, store.NotFound) {
		return nil, "", err
	}
	ok, verr := s.verify(ctx, password, hash)
	if store.IsCode(verr, store.TooManyRequests) || ctx.Err() != nil {
		return nil, "", cmp.Or(verr, ctx.Err())
	}
	if err != nil || verr != nil || !ok {
		if ferr := s.throttle.fail(ctx, key, client); ferr != nil {
			s.log.ErrorContext(ctx, "cannot count a failed login", "error", ferr)
		}
		if verr != nil && err == nil {
			s.log.ErrorContext(ctx, "stored password hash unreadable", "account", a.ID, "error", verr)
		}
		return nil, "", store.Errorf(store.Unauthorized, "wrong email or password")
	}
	if failed {
		if err := s.throttle.succeed(ctx, key, client); err != nil {
			s.log.ErrorContext(ctx, "cannot clear failed logins", "error", err)
		}
	}
	secret, err := s.startSession(ctx, a)
	return a, secret, err
}

func roundWait(d time.Duration) time.Duration {
	if d < time.Second {
		return time.Second
	}
	return d.Round(time.Second)
}

func (s *Service) startSession(ctx context.Context, a *store.Account) (string, error) {
	secret, hash := newSecret(sessionPrefix)
	now := s.now()
	if err := s.st.CreateSession(ctx, &store.Session{Hash: hash, AccountID: a.ID, Created: now, Expires: now.Add(s.ttl)}); err != nil {
		return "", err
	}
	return secret, nil
}

// SessionTTL is how long a new session lasts.
func (s *Service) SessionTTL() time.Duration { return s.ttl }

// Session returns the account of a session secret; Unauthorized when it
// is unknown, expired or malformed.
func (s *Service) Session(ctx context.Context, secret string) (*store.Account, error) {
	if !wellFormedSecret(secret, sessionPrefix) {
		return nil, store.Errorf(store.Unauthorized, "your session has ended; log in again")
	}
	sess, err := s.st.SessionByHash(ctx, hashSecret(secret), s.now())
	if store.IsCode(err, store.NotFound) {
		return nil, store.Errorf(store.Unauthorized, "your session has ended; log in again")
	}
	if err != nil {
		return nil, err
	}
	return s.st.AccountByID(ctx, sess.AccountID)
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if !wellFormedSecret(secret, sessionPrefix) {
		return nil
	}
	return s.st.DeleteSession(ctx, hashSecret(secret))
}

// ChangePassword replaces an account's password after checking the old
// one, and ends every other session of the account.
func (s *Service) ChangePassword(ctx context.Context, a *store.Account, old, password string) error {
	if ok, err := s.verify(ctx, old, a.PasswordHash); store.IsCode(err, store.TooManyRequests) || ctx.Err() != nil {
		return cmp.Or(err, ctx.Err())
	} else if err != nil || !ok {
		return store.Errorf(store.Invalid, "the current password is wrong")
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.st.SetPassword(ctx, a.ID, hash); err != nil {
		return err
	}
	return s.st.DeleteSessionsOf(ctx, a.ID)
}

// TokenActor returns the actor of an API token; Unauthorized when the
// token is unknown (revoked) or malformed.
func (s *Service) TokenActor(ctx context.Context, secret string) (Actor, error) {
	if !wellFormedSecret(secret, tokenPrefix) {
		return Actor{}, store.Errorf(store.Unauthorized, "the API token is not valid (it starts with %s); create one under API tokens", tokenPrefix)
	}
	t, err := s.st.TokenByHash(ctx, hashSecret(secret), s.now())
	if store.IsCode(err, store.NotFound) {
		return Actor{}, store.Errorf(store.Unauthorized, "the API token is unknown or was revoked")
	}
	if err != nil {
		return Actor{}, err
	}
	if err := s.stillAdmin(ctx, t.PropertyID, t.CreatedBy); err != nil {
		if !store.IsCode(err, store.NotFound) && !store.IsCode(err, store.Forbidden) {
			return Actor{}, err
		}
		return Actor{}, store.Errorf(store.Unauthorized, "the API token %s was created by %s, who is no longer an Admin of this property: an Admin can create a new one", quote(t.Name), t.CreatedBy)
	}
	return Actor{Token: t}, nil
}

// stillAdmin checks that the person who made a token or an invitation is
// still an Admin of the property: a member removed or made an Agent
// keeps none of their power through what they made before. A token the
// operator made (widgetd token create: its author is no email) has no
// such person.
func (s *Service) stillAdmin(ctx context.Context, propertyID, author string) error {
	if !strings.Contains(author, "@") {
		return nil
	}
	acc, err := s.st.AccountByEmail(ctx, author)
	if err != nil {
		return err
	}
	return s.adminByID(ctx, propertyID, acc.ID)
}

// adminByID is nil when account id is an Admin of the property.
func (s *Service) adminByID(ctx context.Context, propertyID string, id int64) error {
	role, err := s.st.Role(ctx, propertyID, id)
	if err != nil {
		return err
	}
	if role != store.RoleAdmin {
		return store.Errorf(store.Forbidden, "not an Admin")
	}
	return nil
}
