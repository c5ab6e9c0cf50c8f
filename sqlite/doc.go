//go:build !js

// Package sqlite is the store.Store of a single widgetd: an embedded SQLite
// database in the data directory, widgetd.db, next to the uploads/
// directory holding uploaded files.
//
// # Driver
//
// The driver is modernc.org/sqlite, SQLite translated to Go: no cgo, so
// widgetd stays one static binary that cross-compiles, behind the ordinary
// database/sql interface.
//
// # Durability and locking
//
// Every setting is in the data source name, so that every connection the
// pools open has it, not only the first:
//
//   - journal_mode=WAL: readers never block the writer nor it them, and a
//     commit appends to the log instead of rewriting pages.
//   - synchronous=FULL: a commit is fsynced before it is acknowledged, so
//     an acknowledged write survives kill -9 and a power loss. (NORMAL
//     would lose the last commits on power loss in WAL mode.)
//   - foreign_keys=1: SQLite leaves them off unless asked, per connection.
//   - busy_timeout=10000: a connection waits up to 10 s for a lock held by
//     another process (a widgetd command run against the same directory).
//   - _txlock=immediate: a write transaction takes the write lock at BEGIN.
//     A deferred transaction that reads and then writes would have to
//     upgrade its lock, and a failed upgrade is SQLITE_BUSY at once, which
//     busy_timeout does not retry. Taking the lock first also makes
//     read-check-write methods (Publish, the first account, the last
//     admin) serializable.
//
// There are two pools. Writes go through a pool of one connection, so
// that this process's writers queue in Go, in order, instead of sleeping
// in SQLite's busy handler; busy_timeout then only matters against other
// processes. Reads go through a pool of several query_only connections,
// which WAL lets run alongside the writer and each other, each seeing the
// last committed state.
//
// # The published set
//
// Versions are rows keyed by (property, number), never updated. The
// published set is the newest version, found through the primary key, so
// there is no second record of it to disagree with. Publish reads the
// newest number and inserts the next in one immediate transaction.
//
// # Uploads
//
// An upload's bytes are the file uploads/NAME, written atomically (a
// synced temporary file renamed into place, then the directory synced)
// before the row listing it commits, so a listed upload always has its
// file; a crash in between leaves at most an unlisted file, which a later
// upload of the same bytes reuses. A name is checked against
// ^[0-9a-f]{64}\.[a-z0-9]{1,5}$ before it is joined to any path, and
// against the SHA-256 of the bytes before they are stored, so one file
// per name serves every property that uploads it. Keeping the bytes out of
// the database keeps it small, its WAL short and backups of it quick.
//
// # Times
//
// Times are INTEGER unix milliseconds, UTC, and come back in UTC: anything
// below a millisecond is dropped (the precision the contract suite asks
// of every backend). The zero time (a token never used) is NULL.
//
// # Errors
//
// A full disk, a read-only or unreadable data directory or database, an
// I/O error and a lock held too long are store.Unavailable, with a message
// for a person; a taken id, email or secret is store.Conflict naming it; a
// missing row is store.NotFound naming it; anything else is
// store.Internal wrapping its cause.
//
// # Schema
//
// The schema is a series of migrations embedded in the binary
// (migrations/NNNN_what.sql), applied at Open in order, each in its own
// transaction with its row in schema_migrations. A database recording a
// migration this binary does not hold was written by a newer widgetd, and
// Open refuses it (ErrNewerSchema) rather than guess.
package sqlite
