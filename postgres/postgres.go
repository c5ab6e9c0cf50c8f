//go:build !js

package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/triggerwidget/triggerwidget/store"
)

// connectTimeout bounds Open's first connection.
const connectTimeout = 30 * time.Second

// DB is the PostgreSQL store. It is safe for concurrent use, and any
// number of them, in any number of processes, may share one database.
type DB struct {
	pool *pgxpool.Pool
	now  func() time.Time
	// quiet is how long Listen waits for a notification before it checks
	// that its connection still answers (listen.go).
	quiet time.Duration
}

var _ store.Store = (*DB)(nil)

// IsURL reports whether s names a PostgreSQL database as Open takes it:
// a postgres:// or postgresql:// URL.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact is dbURL with its passwords, if any, replaced by xxxxx, for
// messages and logs: the one of user:password@, and the query's password
// and sslpassword (libpq and pgx read both there too).
func Redact(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "the database URL"
	}
	if q, err := url.ParseQuery(u.RawQuery); err != nil {
		u.RawQuery = "xxxxx"
	} else {
		for k := range q {
			if strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
				q[k] = []string{"xxxxx"}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// Open connects to the database dbURL names (postgres://…; pgx's pool
// settings such as pool_max_conns may be added to its query, and the
// libpq environment variables PGPASSWORD, PGPASSFILE… are read) and
// applies the schema migrations this binary holds. It refuses a database
// written by a newer binary.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	if !IsURL(dbURL) {
		return nil, fmt.Errorf("postgres: %q is not a postgres:// URL", Redact(dbURL))
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return nil, fmt.Errorf("postgres: %s cannot be read as a database URL", Redact(dbURL))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, storeError(err, "cannot connect to the database")
	}
	db := &DB{pool: pool, now: time.Now, quiet: 15 * time.Second}
	// A server that drops packets would hold the first connection for the
	// system's TCP timeout (minutes); a URL's shorter connect_timeout
	// still applies.
	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, storeError(err, "cannot connect to the database")
	}
	if err := migrate(ctx, pool, db.now); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// querier is what the pool and a transaction share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// write runs fn in one transaction and commits it if fn returns nil.
// Errors come back as *store.Error.
func (db *DB) write(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return storeError(pgx.BeginFunc(ctx, db.pool, fn), "database error")
}

// lockProperty locks a property's row until the transaction ends, so that
// the transactions that read and then write what hangs off it (Publish,
// the last admin) run one after the other for that property. It is
// NotFound with message when there is no such property. NO KEY UPDATE
// leaves the foreign-key checks of other rows' inserts unblocked.
func lockProperty(ctx context.Context, tx pgx.Tx, id string, format string, args ...any) error {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM properties WHERE id = $1 FOR NO KEY UPDATE`, id).Scan(&one)
	return notFound(err, format, args...)
}

// storeError classifies err as a *store.Error (store.Classify) with
// PostgreSQL's broken references and failures of the database server or
// the way to it.
func storeError(err error, message string) error {
	return store.Classify(err, message, foreignKey, unavailable)
}

// unavailable is the message for a person when err means the database
// cannot do its work now (unreachable, full, read-only, shutting down,
// overloaded), or "".
func unavailable(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100":
			return "the database's disk is full"
		case pe.Code == "25006":
			return "the database is read-only"
		case pe.Code == "53300":
			return "the database has too many connections; try again"
		case strings.HasPrefix(pe.Code, "53"):
			return "the database is out of resources; try again"
		case strings.HasPrefix(pe.Code, "08"), pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03":
			return "the database cannot be reached"
		case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03", pe.Code == "57014":
			return "the database is busy; try again"
		}
		return ""
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF):
		return "the database cannot be reached"
	case errors.Is(err, context.DeadlineExceeded):
		return "the database is busy; try again"
	}
	return ""
}

// unique reports whether err is a violation of the named UNIQUE or
// PRIMARY KEY constraint (the schema names each).
func unique(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// foreignKey reports whether err is a FOREIGN KEY violation.
func foreignKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// notFound turns pgx.ErrNoRows into NotFound with message, and leaves any
// other error as it is.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Errorf(store.NotFound, format, args...)
	}
	return err
}

// affected is NotFound with message when tag changed no row.
func affected(tag pgconn.CommandTag, format string, args ...any) error {
	if tag.RowsAffected() == 0 {
		return store.Errorf(store.NotFound, format, args...)
	}
	return nil
}

// ms is t at the precision kept, in UTC: the millisecond, as the embedded
// store keeps, so that both backends compare times alike.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// nullTime keeps the zero time as NULL.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	m := ms(t)
	return &m
}

func fromNullTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// stamp is t, or now when t is zero, at the precision kept.
func stamp(t time.Time, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return ms(t)
}

// exists reports whether query finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, "SELECT EXISTS ("+query+")", args...).Scan(&ok)
	return ok, err
}

func mustProperty(ctx context.Context, q querier, id string) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM properties WHERE id = $1`, id)
	if err == nil && !ok {
		err = store.Errorf(store.NotFound, "no property %q", id)
	}
	return err
}

func mustAccount(ctx context.Context, q querier, id int64) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM accounts WHERE id = $1`, id)
	if err == nil && !ok {
		err = store.Errorf(store.NotFound, "no account %d", id)
	}
	return err
}
