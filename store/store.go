// Package store names the admin's data — accounts, sessions, properties,
// members, invitations, trigger-set versions, API tokens and uploads — and
// the Store interface that every database backend implements. It holds no
// logic of its own beyond the error type: rules (who may do what, what a
// valid trigger set is, how a password is hashed) live in package admin,
// and a backend only keeps what it is given, atomically.
//
// Every backend runs the contract suite of package storetest.
package store

import (
	"context"
	"time"
)

// Role is what a member may do on a property.
type Role string

const (
	// RoleAdmin manages the property: triggers, shortcuts, the widget,
	// members, history and API tokens.
	RoleAdmin Role = "admin"
	// RoleAgent answers chats; it may not open Administration.
	RoleAgent Role = "agent"
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleAgent }

// Account is a person who logs in to the admin.
type Account struct {
	ID    int64
	Email string // lower-cased by package admin; unique
	// PasswordHash is the encoded argon2id hash (package admin's format).
	PasswordHash string
	Created      time.Time
}

// Session is a logged-in browser. Only the SHA-256 of the cookie's secret
// is kept, so a copy of the database logs nobody in.
type Session struct {
	Hash      []byte
	AccountID int64
	Created   time.Time
	Expires   time.Time
}

// Property is one website.
type Property struct {
	ID         string // the trigger set's "property"; one URL path segment
	Name       string
	WebsiteURL string
	Created    time.Time
}

// PropertyRole is a property as one account sees it.
type PropertyRole struct {
	Property
	Role Role
}

// Member is an account's role on a property.
type Member struct {
	PropertyID string
	AccountID  int64
	Email      string // of the account, filled by reads
	Role       Role
	Added      time.Time
}

// Invitation lets whoever holds its link join a property with a role.
// Only the SHA-256 of the link's secret is kept.
type Invitation struct {
	ID         int64
	PropertyID string
	Email      string
	Role       Role
	Hash       []byte
	InvitedBy  int64
	Created    time.Time
	Expires    time.Time
}

// Version is one version of a property's trigger set. Versions are numbered
// from 1 per property and never change once stored; the published set is
// always the newest.
type Version struct {
	PropertyID string
	Number     int64
	// Data is the trigger-set document exactly as published (the canonical
	// layout of `triggers fmt`). Reads that list versions leave it nil.
	Data    []byte
	Author  string // "ann@example.com", "token ci-deploy", "widgetd property add"
	Summary string // "Edited trigger Pricing page"
	Created time.Time
}

// Token is an API token, scoped to one property. Only the SHA-256 of the
// secret is kept; the secret is shown once, when the token is created.
type Token struct {
	ID         int64
	PropertyID string
	Name       string
	Hash       []byte
	CreatedBy  string
	Created    time.Time
	LastUsed   time.Time // zero when never used
}

// LastUsedResolution is how precisely a token's last use is kept.
const LastUsedResolution = time.Minute

// Upload is an image or file uploaded for a property, already checked and
// re-encoded by package upload. Its name is content-addressed, so the same
// bytes are stored once and a URL never changes meaning.
type Upload struct {
	// Name is "<sha256 hex of Data>.<ext>", the last segment of its /u/ URL.
	Name        string
	PropertyID  string
	ContentType string
	Data        []byte // nil in listings
	Size        int64
	Width       int // 0 for a file that is not an image
	Height      int
	Original    string // the uploader's file name, for listings only
	Created     time.Time
}

// Store is everything the admin keeps. Every method is one transaction:
// it happens whole or not at all. Implementations return *Error with
// NotFound, Conflict or Unavailable where the method says so, and wrap
// anything else as Internal.
type Store interface {
	Accounts
	Sessions
	Properties
	Members
	Invitations
	TriggerSets
	Tokens
	Uploads
	LoginFailures
	// Ping reports whether the database answers (Unavailable when it
	// does not), for health checks.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// Accounts keeps the people who log in.
type Accounts interface {
	// CountAccounts is the number of accounts (0 on a new server: the
	// admin then offers to create the first one).
	CountAccounts(ctx context.Context) (int, error)
	// CreateAccount stores a (its ID and Created are set); Conflict if the
	// email is taken. When first is true it fails with Conflict unless no
	// account exists yet, so that two first-run sign-ups cannot both win.
	CreateAccount(ctx context.Context, a *Account, first bool) error
	AccountByEmail(ctx context.Context, email string) (*Account, error) // NotFound
	AccountByID(ctx context.Context, id int64) (*Account, error)        // NotFound
	// SetPassword replaces an account's password hash; NotFound.
	SetPassword(ctx context.Context, id int64, hash string) error
}

// Sessions keeps logged-in browsers.
type Sessions interface {
	CreateSession(ctx context.Context, s *Session) error
	// SessionByHash returns the session if it has not expired at now;
	// NotFound otherwise.
	SessionByHash(ctx context.Context, hash []byte, now time.Time) (*Session, error)
	// DeleteSession forgets one session (no error if it is gone).
	DeleteSession(ctx context.Context, hash []byte) error
	// DeleteSessionsOf logs an account out everywhere.
	DeleteSessionsOf(ctx context.Context, accountID int64) error
	// DeleteExpired forgets sessions and invitations expired at now.
	DeleteExpired(ctx context.Context, now time.Time) error
}

// Properties keeps websites and who owns them.
type Properties interface {
	// CreateProperty stores p with owner as its first admin and first as
	// its version 1, published. Conflict if the id is taken; NotFound if
	// the owner does not exist.
	CreateProperty(ctx context.Context, p *Property, owner int64, first *Version) error
	Property(ctx context.Context, id string) (*Property, error) // NotFound
	// PropertiesOf lists the properties an account is a member of, by name.
	PropertiesOf(ctx context.Context, accountID int64) ([]PropertyRole, error)
	// UpdateProperty stores p's name and website URL; NotFound.
	UpdateProperty(ctx context.Context, p *Property) error
	// AllProperties lists every property by id (for operators and exports).
	AllProperties(ctx context.Context) ([]Property, error)
}

// Members keeps who may do what on a property.
type Members interface {
	// Role is accountID's role on the property; NotFound if none.
	Role(ctx context.Context, propertyID string, accountID int64) (Role, error)
	Members(ctx context.Context, propertyID string) ([]Member, error)
	// SetMember adds a member or changes its role. It refuses (Conflict)
	// to leave the property without an admin.
	SetMember(ctx context.Context, m *Member) error
	// RemoveMember removes a member; NotFound if not one; Conflict if it
	// is the last admin.
	RemoveMember(ctx context.Context, propertyID string, accountID int64) error
}

// Invitations keeps the pending invitations to join a property.
type Invitations interface {
	// CreateInvitation stores inv and sets its ID, never one a deleted
	// invitation had.
	CreateInvitation(ctx context.Context, inv *Invitation) error
	Invitations(ctx context.Context, propertyID string) ([]Invitation, error)
	// InvitationByHash returns an invitation that has not expired at now;
	// NotFound otherwise.
	InvitationByHash(ctx context.Context, hash []byte, now time.Time) (*Invitation, error)
	// DeleteInvitation withdraws an invitation of the property; NotFound.
	DeleteInvitation(ctx context.Context, propertyID string, id int64) error
	// AcceptInvitation, in one transaction: creates the account when
	// newAccount is not nil (Conflict if its email is taken), makes the
	// account a member with the invitation's role (an existing member
	// keeps the higher of both roles), and deletes the invitation
	// (NotFound if it is gone or expired at now: it can be used once).
	// It returns the member's account id.
	AcceptInvitation(ctx context.Context, hash []byte, now time.Time, accountID int64, newAccount *Account) (int64, error)
}

// TriggerSets keeps each property's versioned trigger set.
type TriggerSets interface {
	// Published is the newest version, with its Data; NotFound if the
	// property does not exist.
	Published(ctx context.Context, propertyID string) (*Version, error)
	// Publish stores v as version base+1 and makes it the published set,
	// setting v.Number and v.Created. Conflict if the newest version is not
	// base (someone else published since the caller read it); NotFound if
	// the property does not exist.
	Publish(ctx context.Context, v *Version, base int64) error
	// Versions lists versions newest first, without Data, at most limit
	// (all when limit <= 0), starting below before (all when before <= 0).
	Versions(ctx context.Context, propertyID string, before int64, limit int) ([]Version, error)
	// Version returns one version with its Data; NotFound.
	Version(ctx context.Context, propertyID string, number int64) (*Version, error)
}

// Tokens keeps API tokens.
type Tokens interface {
	// CreateToken stores t and sets its ID, which is never one a deleted
	// token had (so a stale revocation cannot hit a newer token).
	CreateToken(ctx context.Context, t *Token) error
	// TokenByHash finds a token; NotFound. It records now as the token's
	// last use when the recorded one is older than LastUsedResolution (so
	// that a stream of API calls is not a stream of writes), and still
	// finds the token when the store cannot take that write.
	TokenByHash(ctx context.Context, hash []byte, now time.Time) (*Token, error)
	Tokens(ctx context.Context, propertyID string) ([]Token, error)
	// DeleteToken revokes a token of the property; NotFound.
	DeleteToken(ctx context.Context, propertyID string, id int64) error
}

// LoginFailure is the count of recent failed logins under one key (an
// account, a client address, or both: package admin makes the keys).
type LoginFailure struct {
	Key   string
	Count int
	Last  time.Time // of the newest failure
	Until time.Time // no try before this; zero when there is no wait
}

// LoginFailures keeps the failed logins that slow down a guesser, so that
// every instance sharing the database counts them together. The rules
// (how many are free, how long to wait) are package admin's.
type LoginFailures interface {
	// LoginFailures returns the failures recorded under keys, those that
	// have any, in no particular order.
	LoginFailures(ctx context.Context, keys []string) ([]LoginFailure, error)
	// FailLogin counts one more failure under each key, at now, in one
	// transaction: a key whose last failure is before now-window starts
	// again at 1. For each key, wait(i, count) (i is the key's index) is
	// then the wait from now before the next try: when positive it
	// replaces the key's Until, else Until stays as it was.
	FailLogin(ctx context.Context, keys []string, now time.Time, window time.Duration, wait func(i, count int) time.Duration) error
	// ClearLoginFailures forgets keys (no error for those it does not have).
	ClearLoginFailures(ctx context.Context, keys []string) error
	// DeleteLoginFailures forgets every key whose last failure and whose
	// Until are both before before.
	DeleteLoginFailures(ctx context.Context, before time.Time) error
}

// Uploads keeps uploaded images and files.
type Uploads interface {
	// PutUpload stores u for its property. Storing a name again is not
	// an error (content addressing makes it the same file): for the same
	// property the first upload's metadata stays; for another property
	// the file is listed under both and its bytes are kept once.
	PutUpload(ctx context.Context, u *Upload) error
	// Upload returns a stored upload with its Data, whatever the property
	// (uploads are public, like the sets that show them); NotFound.
	Upload(ctx context.Context, name string) (*Upload, error)
	// UploadsOf lists a property's uploads newest first, without Data.
	UploadsOf(ctx context.Context, propertyID string) ([]Upload, error)
}
