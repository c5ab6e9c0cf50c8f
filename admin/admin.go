// Package admin is what the admin does, whichever way it is reached — the
// HTTP API (api.go), the admin's pages, the operator commands of widgetd:
// accounts and sessions, who may do what on which property, API tokens,
// uploads, and the one write path of a trigger set (parse → strict checks
// → the runtime's validator → authorise → store under optimistic
// concurrency → publish). It keeps nothing itself: package store's Store
// does, and package server serves what is published, from the cache
// this package keeps current (Service implements server.SetSource).
package admin

import (
	"context"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/store"
)

// Config is what a Service needs.
type Config struct {
	Store store.Store
	// Now is the clock; nil is time.Now. Tests pass a fake one.
	Now func() time.Time
	// Password sets argon2id's costs; the zero value is
	// DefaultPasswordParams. Tests use cheap ones.
	Password PasswordParams
	// SessionTTL is how long a login lasts; zero is 14 days.
	SessionTTL time.Duration
	// Logger receives writes (Info) and failures (Error). Nil discards.
	Logger *slog.Logger
}

// Service is the admin's logic over a Store. It is safe for concurrent use.
type Service struct {
	st       store.Store
	now      func() time.Time
	pw       PasswordParams
	ttl      time.Duration
	log      *slog.Logger
	throttle *throttle
	sets     *setCache
	// writing serialises the writes of one property within this process
	// (a *sync.Mutex per property id), so that they queue instead of
	// racing; optimistic concurrency still settles writes of other
	// processes sharing the database.
	writing sync.Map
	// hashing bounds concurrent argon2id computations: each takes
	// Memory KiB, and a burst of logins must not exhaust the server.
	// hashWaiting counts the computations waiting for a slot (hashSlot).
	hashing     chan struct{}
	hashWaiting atomic.Int32
	// decoding bounds concurrent image decoding in the same way.
	decoding chan struct{}

	dummyOnce sync.Once
	dummy     string
}

// New returns a Service over cfg.Store.
func New(cfg Config) *Service {
	s := &Service{
		st:  cfg.Store,
		now: cfg.Now,
		pw:  cfg.Password,
		ttl: cfg.SessionTTL,
		log: cfg.Logger,
	}
	if s.now == nil {
		s.now = time.Now
	}
	// Every time the admin keeps or shows is UTC to the millisecond, the
	// store's precision, so an answer never disagrees with a later read.
	clock := s.now
	s.now = func() time.Time { return clock().UTC().Truncate(time.Millisecond) }
	if s.pw == (PasswordParams{}) {
		s.pw = DefaultPasswordParams
	}
	if s.ttl <= 0 {
		s.ttl = 14 * 24 * time.Hour
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.throttle = newThrottle(s.now, s.st)
	s.sets = &setCache{m: map[string]*cached{}}
	s.hashing = make(chan struct{}, 2)
	s.decoding = make(chan struct{}, 2)
	return s
}

// Store is the service's store, for the operator commands.
func (s *Service) Store() store.Store { return s.st }

// Actor is who makes a request: an account (logged in by a session or a
// password) or an API token. The zero Actor is anonymous.
type Actor struct {
	Account *store.Account
	Token   *store.Token
}

// Anonymous reports whether nobody is authenticated.
func (a Actor) Anonymous() bool { return a.Account == nil && a.Token == nil }

// Author names the actor in the history of a trigger set.
func (a Actor) Author() string {
	switch {
	case a.Account != nil:
		return a.Account.Email
	case a.Token != nil && a.Token.PropertyID == operatorScope:
		return a.Token.Name
	case a.Token != nil:
		return "token " + a.Token.Name
	}
	return "anonymous"
}

// Operator is the actor of the operator commands (widgetd user add, …),
// which run with the database in hand and need no credentials.
func Operator(command string) Actor {
	return Actor{Token: &store.Token{Name: command, PropertyID: operatorScope}}
}

// operatorScope marks the operator's pseudo-token: it may act on every
// property. No stored token can carry it, since it is not a property id.
const operatorScope = "\x00operator"

// Access is what a route needs of its actor on a property.
type Access int

const (
	// Member: any member of the property (Admin or Agent) or its token.
	Member Access = iota
	// Manage: an Admin of the property or its token: triggers, shortcuts,
	// the widget, history, settings, uploads.
	Manage
	// People: an Admin of the property, logged in as a person: members,
	// invitations and API tokens. A token may not mint tokens or invite.
	People
)

// Authorize checks that a may act on the property with access. It answers
// Unauthorized to the anonymous, NotFound to anyone who is not a member
// (so property ids cannot be probed), and Forbidden to a member whose role
// or kind of credential does not allow the action.
func (s *Service) Authorize(ctx context.Context, a Actor, propertyID string, need Access) error {
	switch {
	case a.Account != nil:
		role, err := s.st.Role(ctx, propertyID, a.Account.ID)
		if store.IsCode(err, store.NotFound) {
			return noProperty(propertyID)
		}
		if err != nil {
			return err
		}
		if need != Member && role != store.RoleAdmin {
			return store.Errorf(store.Forbidden, "only an Admin of this property may do this; you are an Agent")
		}
		return nil
	case a.Token != nil:
		if a.Token.PropertyID == operatorScope {
			return nil
		}
		if a.Token.PropertyID != propertyID {
			return noProperty(propertyID)
		}
		if need == People {
			return store.Errorf(store.Forbidden, "an API token cannot manage members, invitations or tokens; log in to the admin")
		}
		return nil
	}
	return store.Errorf(store.Unauthorized, "log in or send an API token (Authorization: Bearer …)")
}

func noProperty(id string) error {
	return store.Errorf(store.NotFound, "no property %s", quote(id))
}

// quote quotes untrusted text for a message, shortened.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}

// normalizeEmail checks an email address and returns it lower-cased.
func normalizeEmail(e string) (string, error) {
	e = strings.TrimSpace(e)
	if e == "" {
		return "", store.Errorf(store.Invalid, "the email address is missing")
	}
	if len(e) > 254 {
		return "", store.Errorf(store.Invalid, "the email address is longer than 254 characters")
	}
	addr, err := mail.ParseAddress(e)
	if err != nil || addr.Address != e || addr.Name != "" || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", store.Errorf(store.Invalid, "%s is not an email address like ann@example.com", quote(e))
	}
	return strings.ToLower(e), nil
}

// setCache holds each property's published set as served; see sets.go.
type setCache struct {
	mu sync.Mutex
	m  map[string]*cached
	// gen counts forgets (follow.go): a version read from the store
	// before one is not cached after it, since it may be what was forgotten.
	gen uint64
	// dropped keeps what forget dropped, served only while the store
	// cannot be read (follow.go).
	dropped map[string]*cached
}

// plainText reports whether s is UTF-8 without control characters: what
// every store keeps as it is (PostgreSQL refuses NUL and bytes that are
// not UTF-8 in text, SQLite does not), and what a page can show.
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// cleanText is s made plainText: bytes that are not UTF-8 become U+FFFD
// and control characters are dropped (an uploaded file's name, kept for
// listings only, whatever the uploader's system called it).
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
