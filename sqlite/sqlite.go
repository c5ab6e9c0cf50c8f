//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/triggerwidget/triggerwidget/store"
)

// FileName is the database file inside the data directory.
const FileName = "widgetd.db"

// UploadsDir is the directory, inside the data directory, holding the bytes
// of uploads, one file per name.
const UploadsDir = "uploads"

// busyTimeout is how long a connection waits for a lock another process
// holds (another widgetd command on the same directory) before giving up.
const busyTimeout = 10 * time.Second

// DB is the SQLite store. It is safe for concurrent use.
type DB struct {
	dir     string
	uploads string
	// w is the writer pool: one connection, so that writers of this process
	// queue in Go instead of polling SQLite's lock.
	w *sql.DB
	// r is the reader pool: several query-only connections, which WAL lets
	// read while w writes.
	r   *sql.DB
	now func() time.Time
}

var _ store.Store = (*DB)(nil)

// Option changes how Open opens the database.
type Option func(*options)

type options struct {
	maxPageCount int64
	readOnly     bool
	immutable    bool
}

// WithMaxPageCount caps the database at n pages (SQLite's max_page_count),
// so that a write needing more fails as on a full disk. It is meant for
// tests; n <= 0 leaves SQLite's default.
func WithMaxPageCount(n int64) Option {
	return func(o *options) { o.maxPageCount = n }
}

// ReadOnly opens the database read-only, as on a read-only mount: reads
// work and every write fails with store.Unavailable. The database must
// exist and need no migration. Open does the same by itself when the data
// directory cannot be written to.
func ReadOnly() Option {
	return func(o *options) { o.readOnly = true }
}

// Open opens the store kept in dir, creating dir (mode 0700) and the
// database if they do not exist and applying the schema migrations this
// binary holds. It refuses a database written by a newer binary.
func Open(ctx context.Context, dir string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("sqlite: data directory %s: %w", dir, err)
	}
	db := &DB{dir: abs, uploads: filepath.Join(abs, UploadsDir), now: time.Now}
	path := filepath.Join(abs, FileName)
	canWrite := writable(abs)
	if !o.readOnly && !canWrite {
		if _, err := os.Stat(path); err == nil {
			// A data directory this process cannot write to (a read-only
			// mount, the wrong owner) still serves what it holds.
			o.readOnly = true
		}
	}
	if o.readOnly && !canWrite {
		if _, err := os.Stat(path + "-shm"); errors.Is(err, fs.ErrNotExist) {
			// SQLite reads a WAL database through its -shm index, which
			// cannot be created here: read the file as it stands, which
			// nobody can be changing since nobody can take the locks.
			o.immutable = true
		}
	}
	if !o.readOnly {
		for _, d := range []string{abs, db.uploads} {
			if err := os.MkdirAll(d, 0o700); err != nil {
				return nil, storeError(err, "cannot create the data directory")
			}
		}
	}
	if db.w, err = sql.Open("sqlite", dsn(path, o, false)); err != nil {
		return nil, storeError(err, "cannot open the database")
	}
	db.w.SetMaxOpenConns(1)
	db.w.SetMaxIdleConns(1)
	if err := migrate(ctx, db.w, o.readOnly, db.now); err != nil {
		_ = db.w.Close()
		return nil, err
	}
	if db.r, err = sql.Open("sqlite", dsn(path, o, true)); err != nil {
		_ = db.w.Close()
		return nil, storeError(err, "cannot open the database")
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.r.SetMaxOpenConns(n)
	db.r.SetMaxIdleConns(n)
	if err := db.r.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, storeError(err, "cannot open the database")
	}
	return db, nil
}

// dsn is the data source name of the database file path. Every setting is
// in it, so that every connection a pool opens has them all.
func dsn(path string, o options, reader bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	if o.maxPageCount > 0 {
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", o.maxPageCount))
	}
	if reader {
		q.Add("_pragma", "query_only(1)")
	}
	if o.readOnly {
		q.Set("mode", "ro")
	}
	if o.immutable {
		q.Set("immutable", "1")
	}
	q.Set("_txlock", "immediate")
	// A file: URI, with the path escaped, so that a '?' or '%' in the
	// directory's name is not read as the start of the parameters.
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?" + q.Encode()
}

// writable reports whether this process can create a file in dir.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return false
	}
	_ = f.Close()
	_ = os.Remove(f.Name())
	return true
}

// Dir is the data directory.
func (db *DB) Dir() string { return db.dir }

// Close closes both connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in one IMMEDIATE transaction on the writer and commits it
// if fn returns nil. Errors come back as *store.Error.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return storeError(err, "cannot begin a transaction")
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if err := fn(tx); err != nil {
		return storeError(err, "database error")
	}
	if err := tx.Commit(); err != nil {
		return storeError(err, "cannot commit a transaction")
	}
	return nil
}

// storeError classifies err as a *store.Error (store.Classify) with
// SQLite's broken references (methods check what they refer to first, to
// name it; this is the backstop for a row removed in between by another
// process) and failures of the storage itself.
func storeError(err error, message string) error {
	return store.Classify(err, message, foreignKey, unavailable)
}

// unavailable is the message for a person when err means the storage
// cannot do its work now (full, read-only, failing or locked), or "".
func unavailable(err error) string {
	var le *sqlite.Error
	if errors.As(err, &le) {
		switch le.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return "the data directory is full"
		case sqlite3.SQLITE_READONLY:
			return "the data directory is read-only"
		case sqlite3.SQLITE_PERM:
			return "the data directory is not writable"
		case sqlite3.SQLITE_IOERR:
			return "the data directory cannot be read or written (I/O error)"
		case sqlite3.SQLITE_CANTOPEN:
			return "the database file cannot be opened"
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return "the database is busy; try again"
		}
		return ""
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "the data directory is full"
	case errors.Is(err, syscall.EROFS):
		return "the data directory is read-only"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return "the data directory is not writable"
	case errors.Is(err, syscall.EIO):
		return "the data directory cannot be read or written (I/O error)"
	case errors.Is(err, context.DeadlineExceeded):
		return "the database is busy; try again"
	}
	return ""
}

// unique reports whether err is a UNIQUE or PRIMARY KEY violation on
// columns, spelled as SQLite does: "accounts.email".
func unique(err error, columns string) bool {
	var le *sqlite.Error
	if !errors.As(err, &le) {
		return false
	}
	switch le.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return strings.Contains(le.Error(), "constraint failed: "+columns)
	}
	return false
}

// foreignKey reports whether err is a FOREIGN KEY violation.
func foreignKey(err error) bool {
	var le *sqlite.Error
	return errors.As(err, &le) && le.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// notFound turns sql.ErrNoRows into NotFound with message, and leaves any
// other error as it is.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.Errorf(store.NotFound, format, args...)
	}
	return err
}

// affected is NotFound with message when res changed no row.
func affected(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return store.Errorf(store.NotFound, format, args...)
	}
	return nil
}

// Times are kept as unix milliseconds, UTC.

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// nullMillis keeps the zero time as NULL.
func nullMillis(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: millis(t), Valid: true}
}

func fromNullMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMillis(n.Int64)
}

// stamp is t, or now when t is zero, at the precision kept.
func stamp(t time.Time, now time.Time) time.Time {
	if t.IsZero() {
		t = now
	}
	return fromMillis(millis(t))
}

// exists reports whether query finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var ok bool
	err := q.QueryRowContext(ctx, "SELECT EXISTS ("+query+")", args...).Scan(&ok)
	return ok, err
}

func mustProperty(ctx context.Context, q querier, id string) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM properties WHERE id = ?`, id)
	if err == nil && !ok {
		err = store.Errorf(store.NotFound, "no property %q", id)
	}
	return err
}

func mustAccount(ctx context.Context, q querier, id int64) error {
	ok, err := exists(ctx, q, `SELECT 1 FROM accounts WHERE id = ?`, id)
	if err == nil && !ok {
		err = store.Errorf(store.NotFound, "no account %d", id)
	}
	return err
}
