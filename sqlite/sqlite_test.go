//go:build !js

package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/store/storetest"
)

func open(t *testing.T, opts ...Option) *DB {
	t.Helper()
	db, err := Open(t.Context(), t.TempDir(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}

// fill stores an account, a property with a second version, and an upload.
func fill(t *testing.T, db *DB) {
	t.Helper()
	ctx := t.Context()
	a := &store.Account{Email: "ann@example.com", PasswordHash: "h"}
	if err := db.CreateAccount(ctx, a, true); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProperty(ctx, &store.Property{ID: "acme", Name: "Acme"}, a.ID,
		&store.Version{Data: []byte("v1"), Author: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := db.Publish(ctx, &store.Version{PropertyID: "acme", Data: []byte("v2"), Author: "ann@example.com"}, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.PutUpload(ctx, newUpload("acme", "logo")); err != nil {
		t.Fatal(err)
	}
}

func newUpload(propertyID, data string) *store.Upload {
	sum := sha256.Sum256([]byte(data))
	return &store.Upload{Name: hex.EncodeToString(sum[:]) + ".png", PropertyID: propertyID, ContentType: "image/png", Data: []byte(data)}
}

// wantPublished checks that the published set can still be read.
func wantPublished(t *testing.T, db *DB, data string) {
	t.Helper()
	v, err := db.Published(t.Context(), "acme")
	if err != nil || string(v.Data) != data {
		t.Errorf("Published = %v, %v; want %q", v, err, data)
	}
}

func wantUnavailable(t *testing.T, what string, err error, message string) {
	t.Helper()
	if store.ErrorCode(err) != store.Unavailable || !strings.Contains(store.ErrorMessage(err), message) {
		t.Errorf("%s: %v (code %q), want %s saying %q", what, err, store.ErrorCode(err), store.Unavailable, message)
	}
}

// Every connection of both pools has the settings, not only the first.
func TestPragmasOnEveryConnection(t *testing.T) {
	db := open(t)
	ctx := t.Context()
	pools := map[string]*sql.DB{"writer": db.w, "reader": db.r}
	for name, pool := range pools {
		n := 1
		if pool == db.r {
			n = 4
		}
		// Hold n connections at once, so that the pool must open n.
		var conns []*sql.Conn
		for range n {
			c, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			for _, p := range []struct{ pragma, want string }{
				{"foreign_keys", "1"},
				{"journal_mode", "wal"},
				{"busy_timeout", "10000"},
				{"synchronous", "2"}, // FULL
			} {
				var got string
				if err := c.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != p.want {
					t.Errorf("%s connection %d: %s = %s, want %s", name, i, p.pragma, got, p.want)
				}
			}
			var queryOnly string
			if err := c.QueryRowContext(ctx, "PRAGMA query_only").Scan(&queryOnly); err != nil {
				t.Fatal(err)
			}
			if want := map[bool]string{true: "1", false: "0"}[pool == db.r]; queryOnly != want {
				t.Errorf("%s connection %d: query_only = %s, want %s", name, i, queryOnly, want)
			}
		}
		for _, c := range conns {
			_ = c.Close()
		}
	}
}

func appliedRows(t *testing.T, db *DB) map[int64]string {
	t.Helper()
	got, err := appliedMigrations(t.Context(), db.w)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestMigrations(t *testing.T) {
	dir := t.TempDir()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{}
	for _, m := range ms {
		want[m.Version] = m.Name
	}
	if got := appliedRows(t, db); !maps.Equal(got, want) {
		t.Errorf("a new database records migrations %v, want %v", got, want)
	}
	var applied int64
	if err := db.w.QueryRowContext(t.Context(), `SELECT applied FROM schema_migrations WHERE version = 1`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	fill(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	// Opening again applies nothing (the tables exist: a second run of
	// 0001 would fail) and keeps the data.
	db, err = Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer db.Close()
	if got := appliedRows(t, db); !maps.Equal(got, want) {
		t.Errorf("a reopened database records migrations %v, want %v", got, want)
	}
	var again int64
	if err := db.w.QueryRowContext(t.Context(), `SELECT applied FROM schema_migrations WHERE version = 1`).Scan(&again); err != nil {
		t.Fatal(err)
	}
	if again != applied {
		t.Errorf("migration 1 was recorded again at %d (first at %d)", again, applied)
	}
	wantPublished(t, db, "v2")
}

func TestNewerSchemaRefused(t *testing.T) {
	for _, future := range []struct {
		Version int64
		Name    string
	}{
		{999, "0999_from_the_future"},
		{1, "0001_another_init"}, // same number, other migration
	} {
		dir := t.TempDir()
		db, err := Open(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.w.ExecContext(t.Context(), `INSERT OR REPLACE INTO schema_migrations (version, name, applied) VALUES (?, ?, 0)`,
			future.Version, future.Name); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db, err = Open(t.Context(), dir)
		if err == nil {
			db.Close()
			t.Errorf("Open of a database recording %s succeeded", future.Name)
			continue
		}
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), future.Name) {
			t.Errorf("Open of a database recording %s: %v, want %v naming it", future.Name, err, ErrNewerSchema)
		}
	}
}

// pageCount is the database's size in pages.
func pageCount(t *testing.T, db *DB) int64 {
	t.Helper()
	var n int64
	if err := db.r.QueryRowContext(t.Context(), `PRAGMA page_count`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A database that cannot grow fails writes with Unavailable, saying so,
// and still serves what it holds.
func TestFullDatabase(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db)
	pages := pageCount(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), dir, WithMaxPageCount(pages))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	big := bytes.Repeat([]byte("x"), 1<<20)
	err = db.Publish(t.Context(), &store.Version{PropertyID: "acme", Data: big, Author: "ann@example.com"}, 2)
	wantUnavailable(t, "Publish into a full database", err, "the data directory is full")
	wantPublished(t, db, "v2")
	// The failed transaction left nothing half done: the next fitting
	// write publishes version 3.
	v := &store.Version{PropertyID: "acme", Data: []byte("v3"), Author: "ann@example.com"}
	if err := db.Publish(t.Context(), v, 2); err != nil {
		t.Errorf("a small Publish after a full one: %v", err)
	} else if v.Number != 3 {
		t.Errorf("a small Publish after a full one made version %d, want 3", v.Number)
	}
}

// A read-only database (as on a read-only mount) serves reads, and every
// write is Unavailable, saying why, without writing an upload's file.
func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(t.Context(), dir, ReadOnly())
	if err != nil {
		t.Fatalf("Open read-only: %v", err)
	}
	defer db.Close()
	testReadOnly(t, db, dir)
}

func testReadOnly(t *testing.T, db *DB, dir string) {
	t.Helper()
	ctx := t.Context()
	wantPublished(t, db, "v2")
	if _, err := db.AccountByEmail(ctx, "ann@example.com"); err != nil {
		t.Errorf("AccountByEmail: %v", err)
	}
	logo := newUpload("acme", "logo")
	if u, err := db.Upload(ctx, logo.Name); err != nil || string(u.Data) != "logo" {
		t.Errorf("Upload = %v, %v; want the logo", u, err)
	}
	before := tree(t, dir)
	writes := map[string]error{
		"CreateAccount": db.CreateAccount(ctx, &store.Account{Email: "bob@example.com"}, false),
		"Publish":       db.Publish(ctx, &store.Version{PropertyID: "acme", Data: []byte("v3")}, 2),
		"PutUpload":     db.PutUpload(ctx, newUpload("acme", "new logo")),
		"DeleteExpired": db.DeleteExpired(ctx, time.Now()),
	}
	for what, err := range writes {
		wantUnavailable(t, what, err, "read-only")
	}
	if after := tree(t, dir); !maps.Equal(before, after) {
		t.Errorf("refused writes changed the data directory from %v to %v", before, after)
	}
}

// tree maps the names of the regular files under dir to their sizes.
func tree(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	files := map[string]int64{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		// The WAL and its index change on reads too; the database file
		// itself only on a checkpoint.
		if !strings.HasSuffix(path, "-wal") && !strings.HasSuffix(path, "-shm") {
			files[path] = info.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// A data directory the process may not write to: the database and the
// uploads are read-only to it. Root writes through file modes, so this
// case needs another user (TestReadOnly covers the same errors for root).
func TestReadOnlyDirectory(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no file modes on Windows")
	}
	dir := t.TempDir()
	db, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	chmodTree(t, dir, 0o500, 0o400)
	t.Cleanup(func() { chmodTree(t, dir, 0o700, 0o600) })
	if f, err := os.Create(filepath.Join(dir, "probe")); err == nil {
		f.Close()
		t.Skip("a directory of mode 0500 is writable here (running as root?); TestReadOnly covers read-only storage")
	}
	db, err = Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("Open of a read-only data directory: %v", err)
	}
	defer db.Close()
	testReadOnly(t, db, dir)
}

func chmodTree(t *testing.T, dir string, dirMode, fileMode os.FileMode) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(path, dirMode)
		}
		return os.Chmod(path, fileMode)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Names are checked before any path is made of them: nothing outside
// uploads/ is read, and nothing at all is written.
func TestUploadNames(t *testing.T) {
	db := open(t)
	fill(t, db)
	ctx := t.Context()
	secret := filepath.Join(db.Dir(), "secret.txt")
	if err := os.WriteFile(secret, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("x"))
	hexsum := hex.EncodeToString(sum[:])
	bad := []string{
		"",
		"../secret.txt",
		"../widgetd.db",
		"../" + hexsum[3:] + ".png",
		hexsum + ".png/../../secret.txt",
		"/etc/passwd",
		hexsum,              // no extension
		hexsum + ".",        // empty extension
		hexsum + ".toolong", // extension over 5
		hexsum + ".PNG",     // upper case
		strings.ToUpper(hexsum) + ".png",
		hexsum[1:] + ".png", // 63 digits
		hexsum + "0.png",    // 65 digits
		hexsum + ".p/g",
		hexsum + ".png\x00",
		"." + hexsum + ".png", // a temporary file's shape
	}
	before := tree(t, db.Dir())
	for _, name := range bad {
		if _, err := db.Upload(ctx, name); store.ErrorCode(err) != store.NotFound {
			t.Errorf("Upload(%q): %v, want %s", name, err, store.NotFound)
		}
		u := newUpload("acme", "x")
		u.Name = name
		if err := db.PutUpload(ctx, u); store.ErrorCode(err) != store.Invalid {
			t.Errorf("PutUpload(%q): %v, want %s", name, err, store.Invalid)
		}
	}
	// A well-formed name that is not the hash of the bytes.
	u := newUpload("acme", "x")
	u.Data = []byte("not x")
	if err := db.PutUpload(ctx, u); store.ErrorCode(err) != store.Invalid {
		t.Errorf("PutUpload of bytes under another hash: %v, want %s", err, store.Invalid)
	}
	if after := tree(t, db.Dir()); !maps.Equal(before, after) {
		t.Errorf("refused names changed the data directory from %v to %v", before, after)
	}
}

// An upload's bytes are one file under uploads/, whatever the number of
// properties listing it, and no temporary file is left behind.
func TestUploadFiles(t *testing.T) {
	db := open(t)
	fill(t, db)
	ctx := t.Context()
	a, err := db.AccountByEmail(ctx, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateProperty(ctx, &store.Property{ID: "beta", Name: "Beta"}, a.ID, &store.Version{Data: []byte("b")}); err != nil {
		t.Fatal(err)
	}
	logo := newUpload("beta", "logo")
	if err := db.PutUpload(ctx, logo); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(db.Dir(), UploadsDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != logo.Name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("uploads/ holds %q, want only %s", names, logo.Name)
	}
	data, err := os.ReadFile(filepath.Join(db.Dir(), UploadsDir, logo.Name))
	if err != nil || string(data) != "logo" {
		t.Errorf("uploads/%s = %q, %v; want %q", logo.Name, data, err, "logo")
	}
	info, err := entries[0].Info()
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("uploads/%s has mode %v, want 0600", logo.Name, info.Mode().Perm())
	}
}

// Conflicts name what is taken.
func TestConflictMessages(t *testing.T) {
	db := open(t)
	fill(t, db)
	ctx := t.Context()
	err := db.CreateAccount(ctx, &store.Account{Email: "ann@example.com"}, false)
	if got, want := store.ErrorMessage(err), "email ann@example.com is taken"; got != want {
		t.Errorf("CreateAccount with a taken email: message %q, want %q", got, want)
	}
	a, err := db.AccountByEmail(ctx, "ann@example.com")
	if err != nil {
		t.Fatal(err)
	}
	err = db.CreateProperty(ctx, &store.Property{ID: "acme"}, a.ID, &store.Version{})
	if got, want := store.ErrorMessage(err), "property id acme is taken"; got != want {
		t.Errorf("CreateProperty with a taken id: message %q, want %q", got, want)
	}
	_, err = db.Property(ctx, "nope")
	if got, want := store.ErrorMessage(err), `no property "nope"`; got != want {
		t.Errorf("Property of an unknown id: message %q, want %q", got, want)
	}
}

// Errors of the file system under the uploads get the same codes as the
// database's.
func TestStoreErrorClassifies(t *testing.T) {
	pathErr := func(errno syscall.Errno) error {
		return &fs.PathError{Op: "open", Path: "/data/uploads/x", Err: errno}
	}
	for _, c := range []struct {
		err     error
		code    store.Code
		message string
	}{
		{pathErr(syscall.ENOSPC), store.Unavailable, "the data directory is full"},
		{pathErr(syscall.EROFS), store.Unavailable, "the data directory is read-only"},
		{pathErr(syscall.EACCES), store.Unavailable, "the data directory is not writable"},
		{pathErr(syscall.EIO), store.Unavailable, "the data directory cannot be read or written (I/O error)"},
		{store.Errorf(store.Conflict, "taken"), store.Conflict, "taken"},
		{errors.New("boom"), store.Internal, "database error"},
		{context.Canceled, store.Internal, "the request was canceled"},
	} {
		err := storeError(c.err, "database error")
		if store.ErrorCode(err) != c.code || store.ErrorMessage(err) != c.message {
			t.Errorf("storeError(%v) = %q %q, want %q %q", c.err, store.ErrorCode(err), store.ErrorMessage(err), c.code, c.message)
		}
		if !errors.Is(err, c.err) {
			t.Errorf("storeError(%v) = %v, which does not wrap it", c.err, err)
		}
	}
}

func TestOpenCreatesPrivateDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "data")
	db, err := Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, d := range []string{dir, filepath.Join(dir, UploadsDir)} {
		info, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if runtime.GOOS != "windows" && info.Mode().Perm() != 0o700 {
			t.Errorf("%s has mode %v, want 0700", d, info.Mode().Perm())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Errorf("no database file: %v", err)
	}
}
