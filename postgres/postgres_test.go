//go:build !js

package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/triggerwidget/triggerwidget/internal/pgtest"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// open opens a store on a new, empty database.
func open(t *testing.T) *DB {
	t.Helper()
	return openURL(t, pgtest.Database(t))
}

func openURL(t *testing.T, dbURL string) *DB {
	t.Helper()
	db, err := Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openURL(t, pgtest.Schema(t)) })
}

// appliedRows is what schema_migrations records.
func appliedRows(t *testing.T, db *DB) map[int64]string {
	t.Helper()
	applied, err := appliedMigrations(t.Context(), db.pool)
	if err != nil {
		t.Fatal(err)
	}
	return applied
}

// From an empty database, Open applies every embedded migration and
// records each; opening again applies nothing more, and two instances
// opening one empty database at once both succeed.
func TestMigrations(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || ms[0].Name != "0001_init" {
		t.Fatalf("migrations = %+v, want 0001_init first", ms)
	}
	dbURL := pgtest.Database(t)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			db, err := Open(t.Context(), dbURL)
			if err == nil {
				db.Close()
			}
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("Open of an empty database, twice at once: %v", err)
		}
	}
	db := openURL(t, dbURL)
	applied := appliedRows(t, db)
	if len(applied) != len(ms) {
		t.Errorf("schema_migrations has %d rows, want %d: %v", len(applied), len(ms), applied)
	}
	for _, m := range ms {
		if applied[m.Version] != m.Name {
			t.Errorf("migration %d recorded as %q, want %q", m.Version, applied[m.Version], m.Name)
		}
	}
	var tables []string
	rows, err := db.pool.Query(t.Context(), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"accounts", "invitations", "login_failures", "members", "properties", "schema_migrations", "sessions", "tokens", "upload_files", "uploads", "versions"}
	if !slices.Equal(tables, want) {
		t.Errorf("tables = %q, want %q", tables, want)
	}
}

// Both backends hold the same migrations, numbered alike.
func TestMigrationsBesideSQLite(t *testing.T) {
	pg, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	lite, err := os.ReadDir("../sqlite/migrations")
	if err != nil {
		t.Fatal(err)
	}
	names := func(es []os.DirEntry) (out []string) {
		for _, e := range es {
			out = append(out, e.Name())
		}
		return out
	}
	if !slices.Equal(names(pg), names(lite)) {
		t.Errorf("postgres migrations %q, sqlite migrations %q: want the same", names(pg), names(lite))
	}
}

// A database recording a migration this binary does not hold is refused,
// and left as it was.
func TestNewerSchemaRefused(t *testing.T) {
	dbURL := pgtest.Database(t)
	db := openURL(t, dbURL)
	if _, err := db.pool.Exec(t.Context(), `INSERT INTO schema_migrations (version, name, applied) VALUES (999, '0999_future', now())`); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), dbURL)
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "0999_future") {
		t.Fatalf("Open of a newer database: %v, want ErrNewerSchema naming 0999_future", err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(appliedRows(t, db)) != len(ms)+1 {
		t.Errorf("the refused database's migrations changed: %v", appliedRows(t, db))
	}
}

// A bad URL is refused with an error that names it without its password.
func TestOpenRefusesBadURLs(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		{"/var/lib/widgetd", "not a postgres:// URL"},
		{"sqlite://x", "not a postgres:// URL"},
		{"postgres://ann:s3cret@127.0.0.1:1/x?sslmode=nonsense", "cannot be read"},
		{"postgres://ann@127.0.0.1:1/x?password=s3cret&sslmode=nonsense", "cannot be read"},
		{"postgres://ann@127.0.0.1:1/x?sslmode=nonsense&sslpassword=s3cret", "cannot be read"},
		{"postgres://ann@127.0.0.1:1/x?Password=s3cret&sslmode=nonsense", "cannot be read"},
	} {
		_, err := Open(t.Context(), c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q): %v, want an error saying %q without the password", c.url, err, c.want)
		}
	}
}

// A server that cannot be reached is Unavailable, and the message does
// not give the password away.
func TestUnreachableIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	_, err := Open(ctx, "postgres://ann:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=5")
	if store.ErrorCode(err) != store.Unavailable || strings.Contains(store.ErrorMessage(err), "s3cret") {
		t.Errorf("Open of a closed port: %v (code %q), want %s without the password", err, store.ErrorCode(err), store.Unavailable)
	}
}

// When the server drops the store's connections (a restart, a failover),
// a call is Unavailable, never Internal, and the next ones reconnect.
func TestDroppedConnectionsAreUnavailableThenRecover(t *testing.T) {
	dbURL := pgtest.Database(t)
	db, other := openURL(t, dbURL), openURL(t, dbURL)
	ctx := t.Context()
	if _, err := db.CountAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	var dropped int
	if err := other.pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE pid <> pg_backend_pid() AND datname = current_database()`).Scan(&dropped); err != nil || dropped == 0 {
		t.Fatalf("terminating the store's connections: %d, %v", dropped, err)
	}
	for i := range 3 {
		if _, err := db.CountAccounts(ctx); err != nil && store.ErrorCode(err) != store.Unavailable {
			t.Errorf("call %d after the connections dropped: %v (code %q), want success or %s", i, err, store.ErrorCode(err), store.Unavailable)
		}
	}
	if _, err := db.CountAccounts(ctx); err != nil {
		t.Errorf("after reconnecting: %v", err)
	}
}

func TestStoreErrorClassifies(t *testing.T) {
	for _, c := range []struct {
		err  error
		want store.Code
	}{
		{&pgconn.PgError{Code: "53100"}, store.Unavailable},
		{&pgconn.PgError{Code: "25006"}, store.Unavailable},
		{&pgconn.PgError{Code: "57P01"}, store.Unavailable},
		{&pgconn.PgError{Code: "40001"}, store.Unavailable},
		{&pgconn.PgError{Code: "23503"}, store.NotFound},
		{&pgconn.PgError{Code: "42601"}, store.Internal},
		{store.Errorf(store.Conflict, "x"), store.Conflict},
		{context.Canceled, store.Internal},
		{fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), store.Unavailable},
	} {
		if got := store.ErrorCode(storeError(c.err, "m")); got != c.want {
			t.Errorf("storeError(%v) code %q, want %q", c.err, got, c.want)
		}
	}
}

// A read-only database (a standby) still finds a token, without
// recording its use, and refuses writes as Unavailable.
func TestReadOnlyDatabase(t *testing.T) {
	dbURL := pgtest.Database(t)
	db := openURL(t, dbURL)
	ctx := t.Context()
	a := &store.Account{Email: "ann@example.com", PasswordHash: "h"}
	if err := db.CreateAccount(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProperty(ctx, &store.Property{ID: "acme", Name: "Acme"}, a.ID, &store.Version{Data: []byte("v1"), Author: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateToken(ctx, &store.Token{PropertyID: "acme", Name: "ci", Hash: []byte("h"), CreatedBy: "x"}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(dbURL)
	q := u.Query()
	q.Set("default_transaction_read_only", "on")
	u.RawQuery = q.Encode()
	ro := openURL(t, u.String())
	if _, err := ro.TokenByHash(ctx, []byte("h"), time.Now()); err != nil {
		t.Errorf("TokenByHash on a read-only database: %v", err)
	}
	err := ro.Publish(ctx, &store.Version{PropertyID: "acme", Data: []byte("v2"), Author: "x"}, 1)
	if store.ErrorCode(err) != store.Unavailable || !strings.Contains(store.ErrorMessage(err), "read-only") {
		t.Errorf("Publish on a read-only database: %v, want %s saying read-only", err, store.Unavailable)
	}
	if v, err := ro.Published(ctx, "acme"); err != nil || string(v.Data) != "v1" {
		t.Errorf("Published on a read-only database: %v, %v", v, err)
	}
}

// The bytes of an upload listed by two properties are stored once.
func TestUploadBytesKeptOnce(t *testing.T) {
	db := open(t)
	ctx := t.Context()
	a := &store.Account{Email: "ann@example.com", PasswordHash: "h"}
	if err := db.CreateAccount(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("logo"))
	name := hex.EncodeToString(sum[:]) + ".png"
	for _, p := range []string{"acme", "beta"} {
		if err := db.CreateProperty(ctx, &store.Property{ID: p, Name: p}, a.ID, &store.Version{Data: []byte("{}"), Author: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutUpload(ctx, &store.Upload{Name: name, PropertyID: p, ContentType: "image/png", Data: []byte("logo")}); err != nil {
			t.Fatal(err)
		}
	}
	var files, listings int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM upload_files), (SELECT count(*) FROM uploads)`).Scan(&files, &listings); err != nil {
		t.Fatal(err)
	}
	if files != 1 || listings != 2 {
		t.Errorf("%d stored files and %d listings, want 1 and 2", files, listings)
	}
	bad := &store.Upload{Name: name, PropertyID: "acme", ContentType: "image/png", Data: []byte("not the logo")}
	if err := db.PutUpload(ctx, bad); store.ErrorCode(err) != store.Invalid {
		t.Errorf("PutUpload with bytes that are not the name's: %v, want %s", err, store.Invalid)
	}
}

// Listen hears every publication made through another store on the same
// database (another instance), after telling it is listening, and returns
// nil when its context ends.
func TestListenHearsPublications(t *testing.T) {
	dbURL := pgtest.Database(t)
	writer, listener := openURL(t, dbURL), openURL(t, dbURL)
	listener.quiet = 20 * time.Millisecond // checks its connection between the publications below
	ctx, cancel := context.WithCancel(t.Context())
	heard := make(chan string, 16)
	done := make(chan error, 1)
	go func() { done <- listener.Listen(ctx, func(id string) { heard <- id }) }()
	next := func(what string) string {
		t.Helper()
		select {
		case id := <-heard:
			return id
		case err := <-done:
			t.Fatalf("%s: Listen returned %v", what, err)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: nothing heard in 10 s", what)
		}
		return ""
	}
	if id := next("start"); id != "" {
		t.Fatalf("first call %q, want the empty id (listening)", id)
	}

	a := &store.Account{Email: "ann@example.com", PasswordHash: "h"}
	if err := writer.CreateAccount(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	<-time.After(100 * time.Millisecond) // quiet: the listener checks its connection, and keeps listening
	for _, id := range []string{"acme", "beta"} {
		if err := writer.CreateProperty(ctx, &store.Property{ID: id, Name: id}, a.ID, &store.Version{Data: []byte("v1"), Author: "x"}); err != nil {
			t.Fatal(err)
		}
		if got := next("CreateProperty " + id); got != id {
			t.Errorf("after CreateProperty %s heard %q", id, got)
		}
	}
	// A refused publication announces nothing: the next one heard is the
	// one that follows it.
	if err := writer.Publish(ctx, &store.Version{PropertyID: "beta", Data: []byte("stale"), Author: "x"}, 7); store.ErrorCode(err) != store.Conflict {
		t.Fatalf("stale Publish: %v", err)
	}
	if err := writer.Publish(ctx, &store.Version{PropertyID: "acme", Data: []byte("v2"), Author: "x"}, 1); err != nil {
		t.Fatal(err)
	}
	if id := next("Publish"); id != "acme" {
		t.Errorf("after a refused Publish of beta and a Publish of acme heard %q, want acme", id)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Listen after its context ended: %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Listen did not return after its context ended")
	}
}

// Redact hides every password a URL may carry, and nothing else.
func TestRedact(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://ann:s3cret@db:5432/w?sslmode=require", "postgres://ann:xxxxx@db:5432/w?sslmode=require"},
		{"postgres://ann@db/w?password=s3cret&sslmode=require", "postgres://ann@db/w?password=xxxxx&sslmode=require"},
		{"postgres://ann@db/w?sslpassword=s3cret", "postgres://ann@db/w?sslpassword=xxxxx"},
		{"postgres://ann@db/w?password=s%3Bcret;x", "postgres://ann@db/w?xxxxx"},
	} {
		if got := Redact(c.in); got != c.want || strings.Contains(got, "s3cret") {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
