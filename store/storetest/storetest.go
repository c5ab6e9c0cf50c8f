// Package storetest is the contract every store.Store backend passes: one
// suite, run by each backend's own tests with a function that opens a
// fresh, empty store.
//
// What the suite asks of a backend, beyond the doc comments of package
// store:
//
//   - Times keep at least millisecond precision. The suite compares times
//     in UTC after truncating both sides to the millisecond, and the times
//     it stores have sub-millisecond parts far from a millisecond boundary,
//     so a backend that truncates or rounds to a finer unit passes.
//   - A Created (or Added) the caller sets is kept; a zero one is set by
//     the store to the current time. Publish and CreateProperty always set
//     the version's Created themselves; AcceptInvitation uses its now.
//   - Lists the interface gives an order are checked in that order; the
//     others (Members, Invitations, Tokens) are compared as sets.
//   - open is called once per subtest, concurrently (the subtests run in
//     parallel), and the suite closes each store it is given.
package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// Run runs the contract suite against the stores open returns, one fresh
// empty store per subtest.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			c.run(t, s)
		})
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, s store.Store)
}

var cases = []testCase{
	{"CountAndCreateAccounts", testCountAndCreateAccounts},
	{"DuplicateEmailIsConflict", testDuplicateEmail},
	{"FirstAccountWhenOneExistsIsConflict", testFirstAccountWhenOneExists},
	{"FirstAccountRaceHasOneWinner", testFirstAccountRace},
	{"AccountsNotFound", testAccountsNotFound},
	{"SetPassword", testSetPassword},
	{"SessionRoundTrip", testSessionRoundTrip},
	{"SessionExpiresAtNow", testSessionExpiresAtNow},
	{"DeleteSession", testDeleteSession},
	{"DeleteSessionsOf", testDeleteSessionsOf},
	{"DeleteExpiredRemovesExpiredSessionsAndInvitationsOnly", testDeleteExpired},
	{"CreatePropertyMakesOwnerAdminAndPublishesVersionOne", testCreateProperty},
	{"CreatePropertyTakenIDIsConflict", testCreatePropertyTakenID},
	{"CreatePropertyUnknownOwnerIsNotFound", testCreatePropertyUnknownOwner},
	{"PropertyNotFound", testPropertyNotFound},
	{"PropertiesOfSortedByNameWithRoles", testPropertiesOf},
	{"PropertiesOfSortedByNameBytes", testPropertiesOfBytes},
	{"UpdateProperty", testUpdateProperty},
	{"AllPropertiesByID", testAllProperties},
	{"SetMemberAddsAndChangesRoles", testSetMember},
	{"SetMemberRefusesToLeaveNoAdmin", testSetMemberLastAdmin},
	{"RemoveMember", testRemoveMember},
	{"ConcurrentDemotionsLeaveAnAdmin", testDemotionRace},
	{"InvitationRoundTrip", testInvitationRoundTrip},
	{"InvitationExpiresAtNow", testInvitationExpiresAtNow},
	{"DeleteInvitationScopedToProperty", testDeleteInvitation},
	{"AcceptInvitationCreatesAccount", testAcceptInvitationNewAccount},
	{"AcceptInvitationTakenEmailIsConflict", testAcceptInvitationTakenEmail},
	{"AcceptInvitationExistingAccount", testAcceptInvitationExistingAccount},
	{"AcceptInvitationKeepsHigherRole", testAcceptInvitationHigherRole},
	{"AcceptInvitationOnce", testAcceptInvitationOnce},
	{"AcceptInvitationExpiredIsNotFound", testAcceptInvitationExpired},
	{"ConcurrentAcceptInvitationHasOneWinner", testAcceptInvitationRace},
	{"PublishStoresNextVersion", testPublish},
	{"PublishStaleBaseIsConflictAndStoresNothing", testPublishStale},
	{"PublishUnknownPropertyIsNotFound", testPublishUnknownProperty},
	{"ConcurrentPublishFromOneBaseHasOneWinner", testPublishRace},
	{"ConcurrentPublishWithRetryLosesNothing", testPublishRetry},
	{"VersionsNewestFirstPagedWithoutData", testVersions},
	{"VersionWithDataOrNotFound", testVersion},
	{"VersionsNumberedPerProperty", testVersionsPerProperty},
	{"TokenRoundTripRecordsLastUse", testTokens},
	{"TokenByHashUnknownIsNotFound", testTokenNotFound},
	{"DeleteTokenScopedToProperty", testDeleteToken},
	{"PutUploadAndUpload", testUpload},
	{"PutUploadSameNameKeepsFirstMetadata", testUploadTwice},
	{"PutUploadSameNameOtherPropertyListsUnderBoth", testUploadTwoProperties},
	{"UploadsOfNewestFirstWithoutData", testUploadsOf},
	{"UploadNotFound", testUploadNotFound},
	{"ConcurrentPutUploadOfOneFileListsItEverywhere", testUploadRace},
	{"LoginFailuresCountWaitAndClear", testLoginFailures},
	{"LoginFailuresRestartAfterWindow", testLoginFailuresWindow},
	{"ConcurrentFailLoginCountsEveryFailure", testLoginFailuresRace},
	{"DeleteLoginFailuresForgetsOnlyOldOnes", testDeleteLoginFailures},
	{"Ping", testPing},
}

// t0 is the suite's clock. Its sub-millisecond part (0.901234 ms) is far
// from a boundary, so rounding to microseconds keeps its millisecond.
var t0 = time.Date(2031, 3, 4, 5, 6, 7, 123_901_234, time.UTC)

// at is t0 moved by d.
func at(d time.Duration) time.Time { return t0.Add(d) }

// ms is t at the precision the suite compares.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func wantTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !ms(got).Equal(ms(want)) {
		t.Errorf("%s = %v, want %v", what, got.UTC(), want.UTC())
	}
}

// wantNow checks that got was set by the store between before and after.
func wantNow(t *testing.T, what string, got, before, after time.Time) {
	t.Helper()
	if got.IsZero() || ms(got).Before(ms(before)) || ms(got).After(ms(after).Add(time.Millisecond)) {
		t.Errorf("%s = %v, want the time of the call (between %v and %v)", what, got.UTC(), before.UTC(), after.UTC())
	}
}

func wantCode(t *testing.T, what string, err error, want store.Code) {
	t.Helper()
	if got := store.ErrorCode(err); got != want {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// hash is a stand-in for the SHA-256 of a secret.
func hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

func newAccount(t *testing.T, s store.Store, email string) *store.Account {
	t.Helper()
	a := &store.Account{Email: email, PasswordHash: "hash of " + email}
	ok(t, "CreateAccount "+email, s.CreateAccount(t.Context(), a, false))
	return a
}

func newProperty(t *testing.T, s store.Store, id, name string, owner int64) *store.Property {
	t.Helper()
	p := &store.Property{ID: id, Name: name, WebsiteURL: "https://" + id + ".example", Created: at(0)}
	first := &store.Version{Data: []byte(`{"property":"` + id + `"}`), Author: "widgetd property add", Summary: "Created"}
	ok(t, "CreateProperty "+id, s.CreateProperty(t.Context(), p, owner, first))
	return p
}

func publish(t *testing.T, s store.Store, propertyID string, base int64, summary string) *store.Version {
	t.Helper()
	v := &store.Version{PropertyID: propertyID, Data: []byte(summary), Author: "ann@example.com", Summary: summary}
	ok(t, fmt.Sprintf("Publish %s on %d", summary, base), s.Publish(t.Context(), v, base))
	return v
}

func wantRole(t *testing.T, s store.Store, propertyID string, accountID int64, want store.Role) {
	t.Helper()
	got, err := s.Role(t.Context(), propertyID, accountID)
	if want == "" {
		wantCode(t, fmt.Sprintf("Role(%s, %d)", propertyID, accountID), err, store.NotFound)
		return
	}
	if err != nil || got != want {
		t.Errorf("Role(%s, %d) = %q, %v; want %q", propertyID, accountID, got, err, want)
	}
}

func wantCount(t *testing.T, s store.Store, want int) {
	t.Helper()
	n, err := s.CountAccounts(t.Context())
	if err != nil || n != want {
		t.Errorf("CountAccounts = %d, %v; want %d", n, err, want)
	}
}

// --- Accounts -------------------------------------------------------------

func testCountAndCreateAccounts(t *testing.T, s store.Store) {
	ctx := t.Context()
	wantCount(t, s, 0)
	before := time.Now()
	ann := &store.Account{Email: "ann@example.com", PasswordHash: "$argon2id$ann"}
	ok(t, "CreateAccount first", s.CreateAccount(ctx, ann, true))
	bob := &store.Account{Email: "bob@example.com", PasswordHash: "$argon2id$bob"}
	ok(t, "CreateAccount", s.CreateAccount(ctx, bob, false))
	after := time.Now()
	wantCount(t, s, 2)
	if ann.ID == 0 || bob.ID == 0 || ann.ID == bob.ID {
		t.Errorf("account ids %d and %d, want two distinct non-zero ids", ann.ID, bob.ID)
	}
	wantNow(t, "Created", ann.Created, before, after)
	for _, want := range []*store.Account{ann, bob} {
		byEmail, err := s.AccountByEmail(ctx, want.Email)
		ok(t, "AccountByEmail", err)
		byID, err := s.AccountByID(ctx, want.ID)
		ok(t, "AccountByID", err)
		for _, got := range []*store.Account{byEmail, byID} {
			if got.ID != want.ID || got.Email != want.Email || got.PasswordHash != want.PasswordHash {
				t.Errorf("read %+v, want %+v", got, want)
			}
			wantTime(t, "read Created", got.Created, want.Created)
		}
	}
}

func testDuplicateEmail(t *testing.T, s store.Store) {
	newAccount(t, s, "ann@example.com")
	err := s.CreateAccount(t.Context(), &store.Account{Email: "ann@example.com", PasswordHash: "other"}, false)
	wantCode(t, "CreateAccount with a taken email", err, store.Conflict)
	wantCount(t, s, 1)
	a, err := s.AccountByEmail(t.Context(), "ann@example.com")
	ok(t, "AccountByEmail", err)
	if a.PasswordHash != "hash of ann@example.com" {
		t.Errorf("the taken account's hash became %q", a.PasswordHash)
	}
}

func testFirstAccountWhenOneExists(t *testing.T, s store.Store) {
	newAccount(t, s, "ann@example.com")
	err := s.CreateAccount(t.Context(), &store.Account{Email: "bob@example.com", PasswordHash: "x"}, true)
	wantCode(t, "CreateAccount(first) with an account", err, store.Conflict)
	wantCount(t, s, 1)
}

func testFirstAccountRace(t *testing.T, s store.Store) {
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a := &store.Account{Email: fmt.Sprintf("user%d@example.com", i), PasswordHash: "x"}
			errs[i] = s.CreateAccount(t.Context(), a, true)
		})
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch store.ErrorCode(err) {
		case "":
			wins++
		case store.Conflict:
		default:
			t.Errorf("racer %d: %v, want nil or a conflict", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d first sign-ups won, want exactly 1", wins, n)
	}
	wantCount(t, s, 1)
}

func testAccountsNotFound(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	_, err := s.AccountByEmail(t.Context(), "bob@example.com")
	wantCode(t, "AccountByEmail of nobody", err, store.NotFound)
	_, err = s.AccountByID(t.Context(), a.ID+1000)
	wantCode(t, "AccountByID of nobody", err, store.NotFound)
}

func testSetPassword(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	ok(t, "SetPassword", s.SetPassword(t.Context(), a.ID, "new hash"))
	got, err := s.AccountByID(t.Context(), a.ID)
	ok(t, "AccountByID", err)
	if got.PasswordHash != "new hash" {
		t.Errorf("PasswordHash = %q, want %q", got.PasswordHash, "new hash")
	}
	wantCode(t, "SetPassword of nobody", s.SetPassword(t.Context(), a.ID+1000, "x"), store.NotFound)
}

// --- Sessions -------------------------------------------------------------

func testSessionRoundTrip(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	want := &store.Session{Hash: hash("cookie"), AccountID: a.ID, Created: at(0), Expires: at(time.Hour)}
	ok(t, "CreateSession", s.CreateSession(t.Context(), want))
	got, err := s.SessionByHash(t.Context(), hash("cookie"), at(time.Minute))
	ok(t, "SessionByHash", err)
	if string(got.Hash) != string(want.Hash) || got.AccountID != a.ID {
		t.Errorf("SessionByHash = %+v, want %+v", got, want)
	}
	wantTime(t, "Created", got.Created, want.Created)
	wantTime(t, "Expires", got.Expires, want.Expires)
	_, err = s.SessionByHash(t.Context(), hash("other cookie"), at(time.Minute))
	wantCode(t, "SessionByHash of an unknown hash", err, store.NotFound)
}

func testSessionExpiresAtNow(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	ok(t, "CreateSession", s.CreateSession(t.Context(), &store.Session{Hash: hash("c"), AccountID: a.ID, Created: at(0), Expires: at(time.Hour)}))
	for _, c := range []struct {
		now  time.Time
		want store.Code
	}{
		{at(time.Hour - time.Millisecond), ""},
		{at(time.Hour), store.NotFound},
		{at(2 * time.Hour), store.NotFound},
	} {
		_, err := s.SessionByHash(t.Context(), hash("c"), c.now)
		wantCode(t, fmt.Sprintf("SessionByHash at expiry%+v", c.now.Sub(at(time.Hour))), err, c.want)
	}
}

func testDeleteSession(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	for _, c := range []string{"one", "two"} {
		ok(t, "CreateSession", s.CreateSession(t.Context(), &store.Session{Hash: hash(c), AccountID: a.ID, Created: at(0), Expires: at(time.Hour)}))
	}
	ok(t, "DeleteSession", s.DeleteSession(t.Context(), hash("one")))
	ok(t, "DeleteSession again", s.DeleteSession(t.Context(), hash("one")))
	_, err := s.SessionByHash(t.Context(), hash("one"), at(0))
	wantCode(t, "SessionByHash of a deleted session", err, store.NotFound)
	_, err = s.SessionByHash(t.Context(), hash("two"), at(0))
	wantCode(t, "SessionByHash of the other session", err, "")
}

func testDeleteSessionsOf(t *testing.T, s store.Store) {
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	sessions := map[string]int64{"ann1": ann.ID, "ann2": ann.ID, "bob": bob.ID}
	for c, id := range sessions {
		ok(t, "CreateSession", s.CreateSession(t.Context(), &store.Session{Hash: hash(c), AccountID: id, Created: at(0), Expires: at(time.Hour)}))
	}
	ok(t, "DeleteSessionsOf", s.DeleteSessionsOf(t.Context(), ann.ID))
	ok(t, "DeleteSessionsOf without sessions", s.DeleteSessionsOf(t.Context(), ann.ID))
	for c, id := range sessions {
		want := store.Code("")
		if id == ann.ID {
			want = store.NotFound
		}
		_, err := s.SessionByHash(t.Context(), hash(c), at(0))
		wantCode(t, "SessionByHash "+c, err, want)
	}
}

func testDeleteExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	p := newProperty(t, s, "acme", "Acme", a.ID)
	now := at(time.Hour)
	expires := map[string]time.Time{"past": at(time.Minute), "now": now, "future": at(2 * time.Hour)}
	for name, e := range expires {
		ok(t, "CreateSession", s.CreateSession(ctx, &store.Session{Hash: hash("session " + name), AccountID: a.ID, Created: at(0), Expires: e}))
		ok(t, "CreateInvitation", s.CreateInvitation(ctx, &store.Invitation{
			PropertyID: p.ID, Email: name + "@example.com", Role: store.RoleAgent,
			Hash: hash("invitation " + name), InvitedBy: a.ID, Created: at(0), Expires: e}))
	}
	tok := &store.Token{PropertyID: p.ID, Name: "ci", Hash: hash("token"), CreatedBy: a.Email, Created: at(0)}
	ok(t, "CreateToken", s.CreateToken(ctx, tok))

	ok(t, "DeleteExpired", s.DeleteExpired(ctx, now))

	// Looked up at t0, before any expiry: only what was deleted is gone.
	for name := range expires {
		want := store.NotFound
		if name == "future" {
			want = ""
		}
		_, err := s.SessionByHash(ctx, hash("session "+name), at(0))
		wantCode(t, "session expiring "+name, err, want)
		_, err = s.InvitationByHash(ctx, hash("invitation "+name), at(0))
		wantCode(t, "invitation expiring "+name, err, want)
	}
	invs, err := s.Invitations(ctx, p.ID)
	ok(t, "Invitations", err)
	if len(invs) != 1 || invs[0].Email != "future@example.com" {
		t.Errorf("Invitations after DeleteExpired = %+v, want only future@example.com's", invs)
	}
	if _, err := s.TokenByHash(ctx, hash("token"), now); err != nil {
		t.Errorf("TokenByHash after DeleteExpired: %v", err)
	}
	if _, err := s.AccountByID(ctx, a.ID); err != nil {
		t.Errorf("AccountByID after DeleteExpired: %v", err)
	}
	wantRole(t, s, p.ID, a.ID, store.RoleAdmin)
	if v, err := s.Published(ctx, p.ID); err != nil || v.Number != 1 {
		t.Errorf("Published after DeleteExpired = %v, %v; want version 1", v, err)
	}
}

// --- Properties -----------------------------------------------------------

func testCreateProperty(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	p := &store.Property{ID: "acme", Name: "Acme", WebsiteURL: "https://acme.example", Created: at(0)}
	first := &store.Version{Data: []byte(`{"property":"acme"}`), Author: "ann@example.com", Summary: "Created"}
	before := time.Now()
	ok(t, "CreateProperty", s.CreateProperty(ctx, p, a.ID, first))
	after := time.Now()
	if first.Number != 1 {
		t.Errorf("first.Number = %d, want 1", first.Number)
	}
	wantNow(t, "first.Created", first.Created, before, after)

	got, err := s.Property(ctx, "acme")
	ok(t, "Property", err)
	if got.ID != p.ID || got.Name != p.Name || got.WebsiteURL != p.WebsiteURL {
		t.Errorf("Property = %+v, want %+v", got, p)
	}
	wantTime(t, "Property Created", got.Created, p.Created)
	wantRole(t, s, "acme", a.ID, store.RoleAdmin)
	members, err := s.Members(ctx, "acme")
	ok(t, "Members", err)
	if len(members) != 1 || members[0].AccountID != a.ID || members[0].Role != store.RoleAdmin ||
		members[0].Email != a.Email || members[0].PropertyID != "acme" {
		t.Errorf("Members = %+v, want only %s as admin", members, a.Email)
	}

	pub, err := s.Published(ctx, "acme")
	ok(t, "Published", err)
	if pub.Number != 1 || pub.PropertyID != "acme" || string(pub.Data) != string(first.Data) ||
		pub.Author != first.Author || pub.Summary != first.Summary {
		t.Errorf("Published = %+v, want %+v", pub, first)
	}
	wantTime(t, "Published Created", pub.Created, first.Created)
}

func testCreatePropertyTakenID(t *testing.T, s store.Store) {
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", ann.ID)
	err := s.CreateProperty(t.Context(), &store.Property{ID: "acme", Name: "Other"}, bob.ID,
		&store.Version{Data: []byte("other"), Author: "bob@example.com"})
	wantCode(t, "CreateProperty with a taken id", err, store.Conflict)
	if p, err := s.Property(t.Context(), "acme"); err != nil || p.Name != "Acme" {
		t.Errorf("Property after the conflict = %v, %v; want Acme unchanged", p, err)
	}
	wantRole(t, s, "acme", bob.ID, "")
	if v, err := s.Published(t.Context(), "acme"); err != nil || v.Number != 1 || string(v.Data) == "other" {
		t.Errorf("Published after the conflict = %v, %v; want the first version 1", v, err)
	}
}

func testCreatePropertyUnknownOwner(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	err := s.CreateProperty(t.Context(), &store.Property{ID: "acme", Name: "Acme"}, a.ID+1000,
		&store.Version{Data: []byte("x"), Author: "nobody"})
	wantCode(t, "CreateProperty with an unknown owner", err, store.NotFound)
	_, err = s.Property(t.Context(), "acme")
	wantCode(t, "Property after a failed CreateProperty", err, store.NotFound)
	_, err = s.Published(t.Context(), "acme")
	wantCode(t, "Published after a failed CreateProperty", err, store.NotFound)
}

func testPropertyNotFound(t *testing.T, s store.Store) {
	_, err := s.Property(t.Context(), "acme")
	wantCode(t, "Property", err, store.NotFound)
	_, err = s.Published(t.Context(), "acme")
	wantCode(t, "Published", err, store.NotFound)
}

func testPropertiesOf(t *testing.T, s store.Store) {
	ctx := t.Context()
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "c", "Cafe", ann.ID)
	newProperty(t, s, "a", "Bakery", bob.ID)
	newProperty(t, s, "b", "Acme", ann.ID)
	newProperty(t, s, "d", "Dairy", bob.ID)
	ok(t, "SetMember", s.SetMember(ctx, &store.Member{PropertyID: "a", AccountID: ann.ID, Role: store.RoleAgent}))

	got, err := s.PropertiesOf(ctx, ann.ID)
	ok(t, "PropertiesOf", err)
	var gotS []string
	for _, pr := range got {
		gotS = append(gotS, fmt.Sprintf("%s:%s:%s", pr.Name, pr.ID, pr.Role))
		if pr.WebsiteURL != "https://"+pr.ID+".example" {
			t.Errorf("PropertiesOf: %s has website %q", pr.ID, pr.WebsiteURL)
		}
		wantTime(t, "PropertiesOf Created", pr.Created, at(0))
	}
	want := []string{"Acme:b:admin", "Bakery:a:agent", "Cafe:c:admin"}
	if !slices.Equal(gotS, want) {
		t.Errorf("PropertiesOf = %q, want %q", gotS, want)
	}
	carl := newAccount(t, s, "carl@example.com")
	if got, err := s.PropertiesOf(ctx, carl.ID); err != nil || len(got) != 0 {
		t.Errorf("PropertiesOf a non-member = %v, %v; want none", got, err)
	}
}

// Names sort by their bytes (upper case before lower case, accented
// letters after both), whatever the database's locale, so that every
// backend lists alike.
func testPropertiesOfBytes(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	for i, name := range []string{"été", "acme", "Zeta", "Acme"} {
		newProperty(t, s, fmt.Sprint("p", i), name, a.ID)
	}
	got, err := s.PropertiesOf(t.Context(), a.ID)
	ok(t, "PropertiesOf", err)
	var names []string
	for _, pr := range got {
		names = append(names, pr.Name)
	}
	if want := []string{"Acme", "Zeta", "acme", "été"}; !slices.Equal(names, want) {
		t.Errorf("PropertiesOf names = %q, want %q", names, want)
	}
}

func testUpdateProperty(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	ok(t, "UpdateProperty", s.UpdateProperty(t.Context(), &store.Property{ID: "acme", Name: "Acme Inc", WebsiteURL: "https://acme.test"}))
	got, err := s.Property(t.Context(), "acme")
	ok(t, "Property", err)
	if got.Name != "Acme Inc" || got.WebsiteURL != "https://acme.test" {
		t.Errorf("Property after UpdateProperty = %+v", got)
	}
	wantTime(t, "Created after UpdateProperty", got.Created, at(0))
	err = s.UpdateProperty(t.Context(), &store.Property{ID: "nope", Name: "x"})
	wantCode(t, "UpdateProperty of an unknown property", err, store.NotFound)
}

func testAllProperties(t *testing.T, s store.Store) {
	if got, err := s.AllProperties(t.Context()); err != nil || len(got) != 0 {
		t.Errorf("AllProperties of an empty store = %v, %v; want none", got, err)
	}
	a := newAccount(t, s, "ann@example.com")
	for _, id := range []string{"zeta", "acme", "mid"} {
		newProperty(t, s, id, "Name of "+id, a.ID)
	}
	got, err := s.AllProperties(t.Context())
	ok(t, "AllProperties", err)
	var ids []string
	for _, p := range got {
		ids = append(ids, p.ID)
		if p.Name != "Name of "+p.ID {
			t.Errorf("AllProperties: %s is named %q", p.ID, p.Name)
		}
	}
	if want := []string{"acme", "mid", "zeta"}; !slices.Equal(ids, want) {
		t.Errorf("AllProperties ids = %q, want %q", ids, want)
	}
}

// --- Members --------------------------------------------------------------

// memberSet is members as sorted "email:role" strings.
func memberSet(t *testing.T, s store.Store, propertyID string) []string {
	t.Helper()
	ms, err := s.Members(t.Context(), propertyID)
	ok(t, "Members", err)
	var set []string
	for _, m := range ms {
		if m.PropertyID != propertyID {
			t.Errorf("Members(%s) lists %+v", propertyID, m)
		}
		set = append(set, fmt.Sprintf("%s:%s", m.Email, m.Role))
	}
	slices.Sort(set)
	return set
}

func wantMembers(t *testing.T, s store.Store, propertyID string, want ...string) {
	t.Helper()
	if got := memberSet(t, s, propertyID); !slices.Equal(got, want) {
		t.Errorf("Members(%s) = %q, want %q", propertyID, got, want)
	}
}

func testSetMember(t *testing.T, s store.Store) {
	ctx := t.Context()
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", ann.ID)
	wantRole(t, s, "acme", bob.ID, "")

	m := &store.Member{PropertyID: "acme", AccountID: bob.ID, Role: store.RoleAgent, Added: at(time.Minute)}
	ok(t, "SetMember agent", s.SetMember(ctx, m))
	wantRole(t, s, "acme", bob.ID, store.RoleAgent)
	wantMembers(t, s, "acme", "ann@example.com:admin", "bob@example.com:agent")

	ok(t, "SetMember admin", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: bob.ID, Role: store.RoleAdmin, Added: at(time.Hour)}))
	wantRole(t, s, "acme", bob.ID, store.RoleAdmin)
	ok(t, "SetMember demotes ann", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: ann.ID, Role: store.RoleAgent}))
	wantMembers(t, s, "acme", "ann@example.com:agent", "bob@example.com:admin")

	ms, err := s.Members(ctx, "acme")
	ok(t, "Members", err)
	for _, m := range ms {
		if m.AccountID == bob.ID {
			wantTime(t, "Added of a member whose role changed", m.Added, at(time.Minute))
		}
	}
	wantRole(t, s, "nope", bob.ID, "")
}

func testSetMemberLastAdmin(t *testing.T, s store.Store) {
	ctx := t.Context()
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", ann.ID)
	err := s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: ann.ID, Role: store.RoleAgent})
	wantCode(t, "SetMember demoting the only admin", err, store.Conflict)
	wantRole(t, s, "acme", ann.ID, store.RoleAdmin)

	ok(t, "SetMember agent", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: bob.ID, Role: store.RoleAgent}))
	err = s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: ann.ID, Role: store.RoleAgent})
	wantCode(t, "SetMember demoting the only admin beside an agent", err, store.Conflict)
	wantMembers(t, s, "acme", "ann@example.com:admin", "bob@example.com:agent")
}

func testRemoveMember(t *testing.T, s store.Store) {
	ctx := t.Context()
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	carl := newAccount(t, s, "carl@example.com")
	newProperty(t, s, "acme", "Acme", ann.ID)
	ok(t, "SetMember", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: bob.ID, Role: store.RoleAgent}))

	ok(t, "RemoveMember agent", s.RemoveMember(ctx, "acme", bob.ID))
	wantRole(t, s, "acme", bob.ID, "")
	wantCode(t, "RemoveMember again", s.RemoveMember(ctx, "acme", bob.ID), store.NotFound)
	wantCode(t, "RemoveMember of a non-member", s.RemoveMember(ctx, "acme", carl.ID), store.NotFound)
	wantCode(t, "RemoveMember on an unknown property", s.RemoveMember(ctx, "nope", ann.ID), store.NotFound)
	wantCode(t, "RemoveMember of the last admin", s.RemoveMember(ctx, "acme", ann.ID), store.Conflict)
	wantMembers(t, s, "acme", "ann@example.com:admin")

	ok(t, "SetMember second admin", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: carl.ID, Role: store.RoleAdmin}))
	ok(t, "RemoveMember one of two admins", s.RemoveMember(ctx, "acme", ann.ID))
	wantMembers(t, s, "acme", "carl@example.com:admin")
}

// Two admins demoting each other at once: one wins, the other is refused,
// and the property keeps an admin.
func testDemotionRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	ann := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	for round := range 8 {
		id := fmt.Sprint("p", round)
		newProperty(t, s, id, "P", ann.ID)
		ok(t, "SetMember", s.SetMember(ctx, &store.Member{PropertyID: id, AccountID: bob.ID, Role: store.RoleAdmin}))
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, who := range []int64{ann.ID, bob.ID} {
			wg.Go(func() {
				if round%2 == 0 {
					errs[i] = s.SetMember(ctx, &store.Member{PropertyID: id, AccountID: who, Role: store.RoleAgent})
				} else {
					errs[i] = s.RemoveMember(ctx, id, who)
				}
			})
		}
		wg.Wait()
		if got := []store.Code{store.ErrorCode(errs[0]), store.ErrorCode(errs[1])}; !slices.Contains(got, "") || !slices.Contains(got, store.Conflict) {
			t.Errorf("round %d: two demotions at once: %v, %v; want one success and one conflict", round, errs[0], errs[1])
		}
		admins := 0
		for _, m := range memberSet(t, s, id) {
			if strings.HasSuffix(m, ":admin") {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("round %d: %d admins left, want 1", round, admins)
		}
	}
}

// --- Invitations ----------------------------------------------------------

func invite(t *testing.T, s store.Store, propertyID, email string, role store.Role, by int64, expires time.Time) *store.Invitation {
	t.Helper()
	inv := &store.Invitation{PropertyID: propertyID, Email: email, Role: role, Hash: hash("invitation " + email + " " + propertyID),
		InvitedBy: by, Created: at(0), Expires: expires}
	ok(t, "CreateInvitation "+email, s.CreateInvitation(t.Context(), inv))
	return inv
}

func testInvitationRoundTrip(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "other", "Other", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	inv2 := invite(t, s, "acme", "carl@example.com", store.RoleAdmin, a.ID, at(time.Hour))
	invite(t, s, "other", "dora@example.com", store.RoleAgent, a.ID, at(time.Hour))
	if inv.ID == 0 || inv.ID == inv2.ID {
		t.Errorf("invitation ids %d and %d, want distinct non-zero ids", inv.ID, inv2.ID)
	}

	got, err := s.InvitationByHash(ctx, inv.Hash, at(time.Minute))
	ok(t, "InvitationByHash", err)
	if got.ID != inv.ID || got.PropertyID != "acme" || got.Email != inv.Email || got.Role != inv.Role ||
		string(got.Hash) != string(inv.Hash) || got.InvitedBy != a.ID {
		t.Errorf("InvitationByHash = %+v, want %+v", got, inv)
	}
	wantTime(t, "Created", got.Created, inv.Created)
	wantTime(t, "Expires", got.Expires, inv.Expires)

	list, err := s.Invitations(ctx, "acme")
	ok(t, "Invitations", err)
	var emails []string
	for _, i := range list {
		emails = append(emails, fmt.Sprintf("%s:%s", i.Email, i.Role))
	}
	slices.Sort(emails)
	if want := []string{"bob@example.com:agent", "carl@example.com:admin"}; !slices.Equal(emails, want) {
		t.Errorf("Invitations = %q, want %q", emails, want)
	}
	_, err = s.InvitationByHash(ctx, hash("unknown"), at(0))
	wantCode(t, "InvitationByHash of an unknown hash", err, store.NotFound)
}

func testInvitationExpiresAtNow(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	for _, c := range []struct {
		now  time.Time
		want store.Code
	}{
		{at(time.Hour - time.Millisecond), ""},
		{at(time.Hour), store.NotFound},
		{at(2 * time.Hour), store.NotFound},
	} {
		_, err := s.InvitationByHash(t.Context(), inv.Hash, c.now)
		wantCode(t, fmt.Sprintf("InvitationByHash at expiry%+v", c.now.Sub(at(time.Hour))), err, c.want)
	}
}

func testDeleteInvitation(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "other", "Other", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	wantCode(t, "DeleteInvitation under another property", s.DeleteInvitation(ctx, "other", inv.ID), store.NotFound)
	if _, err := s.InvitationByHash(ctx, inv.Hash, at(0)); err != nil {
		t.Errorf("the invitation is gone after a refused DeleteInvitation: %v", err)
	}
	ok(t, "DeleteInvitation", s.DeleteInvitation(ctx, "acme", inv.ID))
	_, err := s.InvitationByHash(ctx, inv.Hash, at(0))
	wantCode(t, "InvitationByHash after DeleteInvitation", err, store.NotFound)
	wantCode(t, "DeleteInvitation again", s.DeleteInvitation(ctx, "acme", inv.ID), store.NotFound)
	if next := invite(t, s, "acme", "cat@example.com", store.RoleAgent, a.ID, at(time.Hour)); next.ID == inv.ID {
		t.Errorf("an invitation created after deleting invitation %d got the same id", inv.ID)
	}
}

func testAcceptInvitationNewAccount(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	bob := &store.Account{Email: "bob@example.com", PasswordHash: "bob's hash"}
	id, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), 0, bob)
	ok(t, "AcceptInvitation", err)
	if id == 0 || id == a.ID || bob.ID != id {
		t.Errorf("AcceptInvitation = %d (new account's ID %d), want the new account's id", id, bob.ID)
	}
	got, err := s.AccountByEmail(ctx, "bob@example.com")
	ok(t, "AccountByEmail", err)
	if got.ID != id || got.PasswordHash != "bob's hash" {
		t.Errorf("the new account is %+v", got)
	}
	wantRole(t, s, "acme", id, store.RoleAgent)
	_, err = s.InvitationByHash(ctx, inv.Hash, at(time.Minute))
	wantCode(t, "InvitationByHash after AcceptInvitation", err, store.NotFound)
}

func testAcceptInvitationTakenEmail(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	_, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), 0, &store.Account{Email: "bob@example.com", PasswordHash: "x"})
	wantCode(t, "AcceptInvitation creating a taken email", err, store.Conflict)
	wantCount(t, s, 2)
	if _, err := s.InvitationByHash(ctx, inv.Hash, at(time.Minute)); err != nil {
		t.Errorf("the invitation is gone after a failed AcceptInvitation: %v", err)
	}
	wantMembers(t, s, "acme", "ann@example.com:admin")
}

func testAcceptInvitationExistingAccount(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAdmin, a.ID, at(time.Hour))
	id, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), bob.ID, nil)
	ok(t, "AcceptInvitation", err)
	if id != bob.ID {
		t.Errorf("AcceptInvitation = %d, want %d", id, bob.ID)
	}
	wantCount(t, s, 2)
	wantRole(t, s, "acme", bob.ID, store.RoleAdmin)
	ms, err := s.Members(ctx, "acme")
	ok(t, "Members", err)
	for _, m := range ms {
		if m.AccountID == bob.ID {
			wantTime(t, "Added of an accepted invitation", m.Added, at(time.Minute))
		}
	}
}

func testAcceptInvitationHigherRole(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	for _, c := range []struct {
		had, invited, want store.Role
	}{
		{store.RoleAdmin, store.RoleAgent, store.RoleAdmin},
		{store.RoleAgent, store.RoleAdmin, store.RoleAdmin},
		{store.RoleAgent, store.RoleAgent, store.RoleAgent},
		{store.RoleAdmin, store.RoleAdmin, store.RoleAdmin},
	} {
		email := fmt.Sprintf("%s-invited-%s@example.com", c.had, c.invited)
		m := newAccount(t, s, email)
		ok(t, "SetMember", s.SetMember(ctx, &store.Member{PropertyID: "acme", AccountID: m.ID, Role: c.had}))
		inv := invite(t, s, "acme", email, c.invited, a.ID, at(time.Hour))
		_, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), m.ID, nil)
		ok(t, "AcceptInvitation", err)
		got, err := s.Role(ctx, "acme", m.ID)
		if err != nil || got != c.want {
			t.Errorf("a member with role %s accepting an invitation as %s has role %q (%v), want %s", c.had, c.invited, got, err, c.want)
		}
	}
}

func testAcceptInvitationOnce(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	_, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), bob.ID, nil)
	ok(t, "AcceptInvitation", err)
	_, err = s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), bob.ID, nil)
	wantCode(t, "AcceptInvitation again", err, store.NotFound)
	_, err = s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), 0, &store.Account{Email: "carl@example.com", PasswordHash: "x"})
	wantCode(t, "AcceptInvitation again with a new account", err, store.NotFound)
	wantCount(t, s, 2)
}

func testAcceptInvitationExpired(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	bob := newAccount(t, s, "bob@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "bob@example.com", store.RoleAgent, a.ID, at(time.Hour))
	_, err := s.AcceptInvitation(ctx, inv.Hash, at(time.Hour), bob.ID, nil)
	wantCode(t, "AcceptInvitation at expiry", err, store.NotFound)
	_, err = s.AcceptInvitation(ctx, inv.Hash, at(time.Hour), 0, &store.Account{Email: "carl@example.com", PasswordHash: "x"})
	wantCode(t, "AcceptInvitation at expiry with a new account", err, store.NotFound)
	wantCount(t, s, 2)
	wantRole(t, s, "acme", bob.ID, "")
	_, err = s.AcceptInvitation(ctx, hash("unknown"), at(0), bob.ID, nil)
	wantCode(t, "AcceptInvitation of an unknown hash", err, store.NotFound)
}

// --- Trigger sets ---------------------------------------------------------

// Two people following one invitation link at once: one joins, the other
// gets NotFound, and no second account is left behind.
func testAcceptInvitationRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	inv := invite(t, s, "acme", "new@example.com", store.RoleAgent, a.ID, at(time.Hour))
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			acc := &store.Account{Email: fmt.Sprintf("racer%d@example.com", i), PasswordHash: "x"}
			_, errs[i] = s.AcceptInvitation(ctx, inv.Hash, at(time.Minute), 0, acc)
		})
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch store.ErrorCode(err) {
		case "":
			wins++
		case store.NotFound:
		default:
			t.Errorf("racer %d: %v, want nil or not found", i, err)
		}
	}
	if wins != 1 {
		t.Errorf("%d of %d acceptances of one invitation won, want exactly 1", wins, n)
	}
	wantCount(t, s, 2)
	if got := memberSet(t, s, "acme"); len(got) != 2 {
		t.Errorf("Members = %q, want ann and one racer", got)
	}
}

func testPublish(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	for base := int64(1); base <= 3; base++ {
		before := time.Now()
		v := &store.Version{PropertyID: "acme", Data: fmt.Appendf(nil, `{"v":%d}`, base+1), Author: "ann@example.com", Summary: fmt.Sprint("edit ", base)}
		ok(t, "Publish", s.Publish(ctx, v, base))
		after := time.Now()
		if v.Number != base+1 {
			t.Errorf("Publish on %d set Number %d, want %d", base, v.Number, base+1)
		}
		wantNow(t, "Publish Created", v.Created, before, after)
		pub, err := s.Published(ctx, "acme")
		ok(t, "Published", err)
		if pub.Number != v.Number || string(pub.Data) != string(v.Data) || pub.Author != v.Author || pub.Summary != v.Summary {
			t.Errorf("Published = %+v, want the newest %+v", pub, v)
		}
		wantTime(t, "Published Created", pub.Created, v.Created)
	}
}

func testPublishStale(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	publish(t, s, "acme", 1, "second")
	for _, base := range []int64{0, 1, 3, 100} {
		v := &store.Version{PropertyID: "acme", Data: []byte("stale"), Author: "bob@example.com", Summary: "stale"}
		wantCode(t, fmt.Sprintf("Publish on %d when the newest is 2", base), s.Publish(ctx, v, base), store.Conflict)
	}
	wantVersionCount(t, s, "acme", 2)
	wantPublished(t, s, "acme", 2, "second")
}

func testPublishUnknownProperty(t *testing.T, s store.Store) {
	err := s.Publish(t.Context(), &store.Version{PropertyID: "nope", Data: []byte("x"), Author: "a"}, 0)
	wantCode(t, "Publish on an unknown property from 0", err, store.NotFound)
	err = s.Publish(t.Context(), &store.Version{PropertyID: "nope", Data: []byte("x"), Author: "a"}, 1)
	wantCode(t, "Publish on an unknown property from 1", err, store.NotFound)
}

func testPublishRace(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			v := &store.Version{PropertyID: "acme", Data: fmt.Appendf(nil, "racer %d", i), Author: "racer", Summary: fmt.Sprint(i)}
			errs[i] = s.Publish(t.Context(), v, 1)
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch store.ErrorCode(err) {
		case "":
			if winner >= 0 {
				t.Errorf("racers %d and %d both published on version 1", winner, i)
			}
			winner = i
		case store.Conflict:
		default:
			t.Errorf("racer %d: %v, want nil or a conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer published")
	}
	pub, err := s.Published(t.Context(), "acme")
	ok(t, "Published", err)
	if pub.Number != 2 || string(pub.Data) != fmt.Sprintf("racer %d", winner) {
		t.Errorf("Published = %d %q, want 2 %q", pub.Number, pub.Data, fmt.Sprintf("racer %d", winner))
	}
}

func testPublishRetry(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	const writers, each = 6, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				summary := fmt.Sprintf("writer %d edit %d", w, i)
				for {
					pub, err := s.Published(ctx, "acme")
					if err != nil {
						t.Errorf("%s: Published: %v", summary, err)
						return
					}
					v := &store.Version{PropertyID: "acme", Data: []byte(summary), Author: "writer", Summary: summary}
					err = s.Publish(ctx, v, pub.Number)
					if err == nil {
						break
					}
					if !store.IsCode(err, store.Conflict) {
						t.Errorf("%s: Publish: %v", summary, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	vs, err := s.Versions(ctx, "acme", 0, 0)
	ok(t, "Versions", err)
	if len(vs) != 1+writers*each {
		t.Fatalf("%d versions, want %d", len(vs), 1+writers*each)
	}
	seen := map[string]bool{}
	for i, v := range vs {
		if want := int64(len(vs) - i); v.Number != want {
			t.Errorf("Versions[%d].Number = %d, want %d", i, v.Number, want)
		}
		seen[v.Summary] = true
	}
	for w := range writers {
		for i := range each {
			if s := fmt.Sprintf("writer %d edit %d", w, i); !seen[s] {
				t.Errorf("version %q was lost", s)
			}
		}
	}
}

func testVersions(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	for base := int64(1); base < 5; base++ {
		publish(t, s, "acme", base, fmt.Sprint("edit ", base+1))
	}
	for _, c := range []struct {
		before int64
		limit  int
		want   []int64
	}{
		{0, 0, []int64{5, 4, 3, 2, 1}},
		{-1, -1, []int64{5, 4, 3, 2, 1}},
		{0, 2, []int64{5, 4}},
		{4, 2, []int64{3, 2}},
		{2, 2, []int64{1}},
		{1, 0, nil},
		{100, 0, []int64{5, 4, 3, 2, 1}},
		{5, 10, []int64{4, 3, 2, 1}},
	} {
		vs, err := s.Versions(ctx, "acme", c.before, c.limit)
		ok(t, "Versions", err)
		var got []int64
		for _, v := range vs {
			got = append(got, v.Number)
			if v.Data != nil {
				t.Errorf("Versions(before %d, limit %d): version %d has Data", c.before, c.limit, v.Number)
			}
			if v.PropertyID != "acme" || v.Author == "" || v.Created.IsZero() {
				t.Errorf("Versions: version %d is %+v", v.Number, v)
			}
			if v.Number > 1 && v.Summary != fmt.Sprint("edit ", v.Number) {
				t.Errorf("Versions: version %d has summary %q", v.Number, v.Summary)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Versions(before %d, limit %d) = %v, want %v", c.before, c.limit, got, c.want)
		}
	}
}

func testVersion(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	want := publish(t, s, "acme", 1, "second")
	publish(t, s, "acme", 2, "third")
	got, err := s.Version(ctx, "acme", 2)
	ok(t, "Version", err)
	if got.Number != 2 || got.PropertyID != "acme" || string(got.Data) != "second" || got.Author != want.Author || got.Summary != "second" {
		t.Errorf("Version 2 = %+v, want %+v", got, want)
	}
	wantTime(t, "Created", got.Created, want.Created)
	first, err := s.Version(ctx, "acme", 1)
	ok(t, "Version 1", err)
	if string(first.Data) != `{"property":"acme"}` {
		t.Errorf("Version 1 Data = %q", first.Data)
	}
	for _, n := range []int64{0, 4, -1} {
		_, err := s.Version(ctx, "acme", n)
		wantCode(t, fmt.Sprintf("Version %d", n), err, store.NotFound)
	}
	_, err = s.Version(ctx, "nope", 1)
	wantCode(t, "Version of an unknown property", err, store.NotFound)
}

func testVersionsPerProperty(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	publish(t, s, "acme", 1, "acme 2")
	publish(t, s, "acme", 2, "acme 3")
	newProperty(t, s, "beta", "Beta", a.ID)
	v := publish(t, s, "beta", 1, "beta 2")
	if v.Number != 2 {
		t.Errorf("beta's second version is number %d, want 2", v.Number)
	}
	wantVersionCount(t, s, "beta", 2)
	wantPublished(t, s, "acme", 3, "acme 3")
}

// wantPublished fails the test unless the property's published set is
// version n with data.
func wantPublished(t *testing.T, s store.Store, propertyID string, n int64, data string) {
	t.Helper()
	pub, err := s.Published(t.Context(), propertyID)
	ok(t, "Published", err)
	if pub.Number != n || string(pub.Data) != data {
		t.Errorf("%s's published set is %d %q, want %d %q", propertyID, pub.Number, pub.Data, n, data)
	}
}

// wantVersionCount fails the test unless the property has n versions.
func wantVersionCount(t *testing.T, s store.Store, propertyID string, n int) {
	t.Helper()
	vs, err := s.Versions(t.Context(), propertyID, 0, 0)
	ok(t, "Versions", err)
	if len(vs) != n {
		t.Errorf("%s has %d versions, want %d", propertyID, len(vs), n)
	}
}

// --- Tokens ---------------------------------------------------------------

func testTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "other", "Other", a.ID)
	ci := &store.Token{PropertyID: "acme", Name: "ci-deploy", Hash: hash("ci"), CreatedBy: "ann@example.com", Created: at(0)}
	ok(t, "CreateToken", s.CreateToken(ctx, ci))
	cms := &store.Token{PropertyID: "acme", Name: "cms", Hash: hash("cms"), CreatedBy: "ann@example.com", Created: at(time.Second)}
	ok(t, "CreateToken", s.CreateToken(ctx, cms))
	ok(t, "CreateToken", s.CreateToken(ctx, &store.Token{PropertyID: "other", Name: "x", Hash: hash("x"), CreatedBy: "a", Created: at(0)}))
	if ci.ID == 0 || ci.ID == cms.ID {
		t.Errorf("token ids %d and %d, want distinct non-zero ids", ci.ID, cms.ID)
	}

	list, err := s.Tokens(ctx, "acme")
	ok(t, "Tokens", err)
	if len(list) != 2 {
		t.Fatalf("Tokens = %+v, want 2", list)
	}
	for _, tok := range list {
		if !tok.LastUsed.IsZero() {
			t.Errorf("token %s never used has LastUsed %v", tok.Name, tok.LastUsed)
		}
	}

	got, err := s.TokenByHash(ctx, hash("ci"), at(time.Hour))
	ok(t, "TokenByHash", err)
	if got.ID != ci.ID || got.PropertyID != "acme" || got.Name != "ci-deploy" || string(got.Hash) != string(ci.Hash) || got.CreatedBy != ci.CreatedBy {
		t.Errorf("TokenByHash = %+v, want %+v", got, ci)
	}
	wantTime(t, "Created", got.Created, ci.Created)

	list, err = s.Tokens(ctx, "acme")
	ok(t, "Tokens", err)
	for _, tok := range list {
		want := time.Time{}
		if tok.ID == ci.ID {
			want = at(time.Hour)
		}
		if want.IsZero() != tok.LastUsed.IsZero() || (!want.IsZero() && !ms(want).Equal(ms(tok.LastUsed))) {
			t.Errorf("token %s has LastUsed %v, want %v", tok.Name, tok.LastUsed, want)
		}
	}
	_, err = s.TokenByHash(ctx, hash("ci"), at(2*time.Hour))
	ok(t, "TokenByHash again", err)
	list, err = s.Tokens(ctx, "acme")
	ok(t, "Tokens", err)
	for _, tok := range list {
		if tok.ID == ci.ID {
			wantTime(t, "LastUsed after a second use", tok.LastUsed, at(2*time.Hour))
		}
	}
}

func testTokenNotFound(t *testing.T, s store.Store) {
	_, err := s.TokenByHash(t.Context(), hash("nothing"), at(0))
	wantCode(t, "TokenByHash of an unknown hash", err, store.NotFound)
}

func testDeleteToken(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "other", "Other", a.ID)
	tok := &store.Token{PropertyID: "acme", Name: "ci", Hash: hash("ci"), CreatedBy: "ann@example.com", Created: at(0)}
	ok(t, "CreateToken", s.CreateToken(ctx, tok))
	wantCode(t, "DeleteToken under another property", s.DeleteToken(ctx, "other", tok.ID), store.NotFound)
	if _, err := s.TokenByHash(ctx, hash("ci"), at(0)); err != nil {
		t.Errorf("the token is gone after a refused DeleteToken: %v", err)
	}
	ok(t, "DeleteToken", s.DeleteToken(ctx, "acme", tok.ID))
	_, err := s.TokenByHash(ctx, hash("ci"), at(0))
	wantCode(t, "TokenByHash of a deleted token", err, store.NotFound)
	wantCode(t, "DeleteToken again", s.DeleteToken(ctx, "acme", tok.ID), store.NotFound)
	if list, err := s.Tokens(ctx, "acme"); err != nil || len(list) != 0 {
		t.Errorf("Tokens after DeleteToken = %v, %v; want none", list, err)
	}
	// A new token never takes the id of the deleted one.
	next := &store.Token{PropertyID: "acme", Name: "ci-2", Hash: hash("ci-2"), CreatedBy: "ann@example.com", Created: at(0)}
	ok(t, "CreateToken after DeleteToken", s.CreateToken(ctx, next))
	if next.ID == tok.ID {
		t.Errorf("a token created after deleting token %d got the same id", tok.ID)
	}
}

// --- Uploads --------------------------------------------------------------

// upload is an upload of data, named as package upload names them.
func upload(propertyID, data, ext string, created time.Time) *store.Upload {
	sum := sha256.Sum256([]byte(data))
	return &store.Upload{
		Name: hex.EncodeToString(sum[:]) + "." + ext, PropertyID: propertyID,
		ContentType: "image/" + ext, Data: []byte(data), Size: int64(len(data)),
		Width: 640, Height: 480, Original: strings.ToUpper(data) + "." + ext, Created: created,
	}
}

func wantUpload(t *testing.T, what string, got, want *store.Upload, withData bool) {
	t.Helper()
	if got.Name != want.Name || got.PropertyID != want.PropertyID || got.ContentType != want.ContentType ||
		got.Size != want.Size || got.Width != want.Width || got.Height != want.Height || got.Original != want.Original {
		t.Errorf("%s = %+v, want %+v", what, *got, *want)
	}
	wantTime(t, what+" Created", got.Created, want.Created)
	if withData && string(got.Data) != string(want.Data) {
		t.Errorf("%s Data = %q, want %q", what, got.Data, want.Data)
	}
	if !withData && got.Data != nil {
		t.Errorf("%s has Data in a listing", what)
	}
}

func testUpload(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	u := upload("acme", "logo", "png", at(0))
	ok(t, "PutUpload", s.PutUpload(t.Context(), u))
	got, err := s.Upload(t.Context(), u.Name)
	ok(t, "Upload", err)
	wantUpload(t, "Upload", got, u, true)
}

func testUploadTwice(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	first := upload("acme", "logo", "png", at(0))
	ok(t, "PutUpload", s.PutUpload(ctx, first))
	again := upload("acme", "logo", "png", at(time.Hour))
	again.Original = "renamed.png"
	ok(t, "PutUpload again", s.PutUpload(ctx, again))
	got, err := s.Upload(ctx, first.Name)
	ok(t, "Upload", err)
	wantUpload(t, "Upload", got, first, true)
	list, err := s.UploadsOf(ctx, "acme")
	ok(t, "UploadsOf", err)
	if len(list) != 1 {
		t.Fatalf("UploadsOf lists %d uploads, want 1", len(list))
	}
	wantUpload(t, "UploadsOf[0]", &list[0], first, false)
}

func testUploadTwoProperties(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "beta", "Beta", a.ID)
	forAcme := upload("acme", "logo", "png", at(0))
	ok(t, "PutUpload acme", s.PutUpload(ctx, forAcme))
	forBeta := upload("beta", "logo", "png", at(time.Hour))
	forBeta.Original = "beta-logo.png"
	ok(t, "PutUpload beta", s.PutUpload(ctx, forBeta))
	for _, want := range []*store.Upload{forAcme, forBeta} {
		list, err := s.UploadsOf(ctx, want.PropertyID)
		ok(t, "UploadsOf", err)
		if len(list) != 1 {
			t.Errorf("UploadsOf(%s) lists %d uploads, want 1", want.PropertyID, len(list))
			continue
		}
		wantUpload(t, "UploadsOf("+want.PropertyID+")", &list[0], want, false)
	}
	got, err := s.Upload(ctx, forAcme.Name)
	ok(t, "Upload", err)
	if string(got.Data) != "logo" {
		t.Errorf("Upload Data = %q, want %q", got.Data, "logo")
	}
}

func testUploadsOf(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	newProperty(t, s, "beta", "Beta", a.ID)
	if list, err := s.UploadsOf(ctx, "acme"); err != nil || len(list) != 0 {
		t.Errorf("UploadsOf without uploads = %v, %v; want none", list, err)
	}
	ups := []*store.Upload{
		upload("acme", "second", "png", at(time.Minute)),
		upload("acme", "first", "jpg", at(0)),
		upload("acme", "third", "webp", at(time.Hour)),
		upload("beta", "elsewhere", "png", at(2*time.Hour)),
	}
	for _, u := range ups {
		ok(t, "PutUpload", s.PutUpload(ctx, u))
	}
	list, err := s.UploadsOf(ctx, "acme")
	ok(t, "UploadsOf", err)
	want := []*store.Upload{ups[2], ups[0], ups[1]}
	if len(list) != len(want) {
		t.Fatalf("UploadsOf lists %d uploads, want %d", len(list), len(want))
	}
	for i := range want {
		wantUpload(t, fmt.Sprintf("UploadsOf[%d]", i), &list[i], want[i], false)
	}
}

func testUploadNotFound(t *testing.T, s store.Store) {
	a := newAccount(t, s, "ann@example.com")
	newProperty(t, s, "acme", "Acme", a.ID)
	ok(t, "PutUpload", s.PutUpload(t.Context(), upload("acme", "logo", "png", at(0))))
	other := upload("acme", "never stored", "png", at(0))
	_, err := s.Upload(t.Context(), other.Name)
	wantCode(t, "Upload of a name never stored", err, store.NotFound)
	_, err = s.Upload(t.Context(), "logo.png")
	wantCode(t, "Upload of a malformed name", err, store.NotFound)
}

// The same file uploaded at once for several properties: every upload
// succeeds, each property lists it, and its bytes read back.
func testUploadRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	a := newAccount(t, s, "ann@example.com")
	ids := []string{"p0", "p1", "p2", "p3"}
	for _, id := range ids {
		newProperty(t, s, id, id, a.ID)
	}
	errs := make([]error, 2*len(ids))
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = s.PutUpload(ctx, upload(ids[i%len(ids)], "shared logo", "png", at(0))) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("PutUpload %d: %v", i, err)
		}
	}
	for _, id := range ids {
		list, err := s.UploadsOf(ctx, id)
		ok(t, "UploadsOf", err)
		if len(list) != 1 {
			t.Errorf("UploadsOf(%s) lists %d uploads, want 1", id, len(list))
		}
	}
	u := upload("p0", "shared logo", "png", at(0))
	got, err := s.Upload(ctx, u.Name)
	ok(t, "Upload", err)
	if string(got.Data) != "shared logo" {
		t.Errorf("Upload Data = %q", got.Data)
	}
}

func failures(t *testing.T, s store.Store, keys ...string) map[string]store.LoginFailure {
	t.Helper()
	got, err := s.LoginFailures(t.Context(), keys)
	ok(t, "LoginFailures", err)
	m := map[string]store.LoginFailure{}
	for _, f := range got {
		if _, dup := m[f.Key]; dup {
			t.Errorf("LoginFailures returned %q twice", f.Key)
		}
		m[f.Key] = f
	}
	return m
}

func noWait(int, int) time.Duration { return 0 }

func testLoginFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	if got := failures(t, s, "a", "b"); len(got) != 0 {
		t.Errorf("a new store has failures %v", got)
	}
	var calls []string
	wait := func(i, n int) time.Duration {
		calls = append(calls, fmt.Sprintf("%d:%d", i, n))
		if i == 1 && n >= 2 {
			return time.Duration(n) * time.Minute
		}
		return 0
	}
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"a", "b"}, at(0), time.Hour, wait))
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"a", "b"}, at(time.Second), time.Hour, wait))
	if want := []string{"0:1", "1:1", "0:2", "1:2"}; !slices.Equal(calls, want) {
		t.Errorf("wait was called with %v, want %v", calls, want)
	}
	got := failures(t, s, "a", "b", "c")
	if len(got) != 2 {
		t.Fatalf("LoginFailures(a, b, c) = %v, want a and b", got)
	}
	if f := got["a"]; f.Count != 2 || !f.Until.IsZero() {
		t.Errorf("a = %+v, want count 2 and no wait", f)
	}
	wantTime(t, "a's last failure", got["a"].Last, at(time.Second))
	if f := got["b"]; f.Count != 2 {
		t.Errorf("b = %+v, want count 2", f)
	}
	wantTime(t, "b's wait", got["b"].Until, at(time.Second+2*time.Minute))
	// A failure that asks no wait keeps the one recorded.
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"b"}, at(2*time.Second), time.Hour, noWait))
	if f := failures(t, s, "b")["b"]; f.Count != 3 {
		t.Errorf("b = %+v, want count 3", f)
	} else {
		wantTime(t, "b's wait after a failure without one", f.Until, at(time.Second+2*time.Minute))
	}
	ok(t, "ClearLoginFailures", s.ClearLoginFailures(ctx, []string{"b", "never"}))
	if got := failures(t, s, "a", "b"); len(got) != 1 || got["a"].Count != 2 {
		t.Errorf("after clearing b: %v, want a alone", got)
	}
}

func testLoginFailuresWindow(t *testing.T, s store.Store) {
	ctx := t.Context()
	long := func(int, int) time.Duration { return time.Minute }
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"k"}, at(0), time.Hour, long))
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"k"}, at(time.Hour), time.Hour, noWait))
	if f := failures(t, s, "k")["k"]; f.Count != 2 {
		t.Errorf("a failure exactly a window later: %+v, want it counted with the first (2)", f)
	}
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"k"}, at(2*time.Hour+time.Millisecond), time.Hour, noWait))
	f := failures(t, s, "k")["k"]
	if f.Count != 1 || !f.Until.IsZero() {
		t.Errorf("a failure more than a window after the last: %+v, want count 1 and no wait", f)
	}
}

func testLoginFailuresRace(t *testing.T, s store.Store) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = s.FailLogin(t.Context(), []string{"shared", fmt.Sprint("own", i)}, at(time.Duration(i)*time.Millisecond), time.Hour, noWait)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !store.IsCode(err, store.Unavailable) {
			t.Errorf("concurrent FailLogin: %v", err)
		}
	}
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	if f := failures(t, s, "shared")["shared"]; f.Count != n-failed {
		t.Errorf("after %d concurrent failures (%d refused as Unavailable) the count is %d", n, failed, f.Count)
	}
}

func testDeleteLoginFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"old"}, at(0), time.Hour, noWait))
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"waiting"}, at(0), time.Hour, func(int, int) time.Duration { return 2 * time.Hour }))
	ok(t, "FailLogin", s.FailLogin(ctx, []string{"recent"}, at(time.Hour), time.Hour, noWait))
	ok(t, "DeleteLoginFailures", s.DeleteLoginFailures(ctx, at(time.Minute)))
	got := failures(t, s, "old", "waiting", "recent")
	if _, ok := got["old"]; ok || len(got) != 2 {
		t.Errorf("after DeleteLoginFailures: %v, want waiting and recent only", got)
	}
}

func testPing(t *testing.T, s store.Store) {
	ok(t, "Ping", s.Ping(t.Context()))
}
