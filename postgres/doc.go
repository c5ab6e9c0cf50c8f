//go:build !js

// Package postgres is the store.Store of several widgetd instances: a
// PostgreSQL database they all share, named by a postgres:// URL, holding
// everything the admin keeps, the bytes of uploads included, so that any
// instance can serve any request.
//
// # Driver
//
// The driver is github.com/jackc/pgx/v5 through its own interface (not
// database/sql), with its pool (pgxpool): no cgo, binary transfer of
// bytea and timestamptz, LISTEN/NOTIFY on a plain connection, and
// PostgreSQL's errors with their SQLSTATE codes and constraint names,
// which classify a failure without parsing messages.
//
// # Transactions and concurrency
//
// Every write is one transaction at PostgreSQL's default isolation, READ
// COMMITTED; the methods whose rule spans rows take a lock first, so that
// the rule holds across instances as it does in the embedded store, where
// one writer runs at a time:
//
//   - Publish locks the property's row (FOR NO KEY UPDATE, which leaves
//     other rows' foreign-key checks unblocked) before reading the newest
//     number: of two publishers from one base, the second waits, then
//     reads the first's version and gets Conflict. The versions' primary
//     key (property, number) backs this up.
//   - SetMember and RemoveMember lock the property's row too, so that two
//     demotions at once cannot leave a property without an admin.
//   - The first account locks the accounts table against other writers
//     (SHARE ROW EXCLUSIVE; reads go on) before checking that none exists.
//   - AcceptInvitation deletes the invitation first: a second acceptance
//     waits for that row and then finds nothing to delete.
//   - FailLogin counts each key with one upsert (INSERT … ON CONFLICT DO
//     UPDATE … RETURNING count), so failures at several instances at once
//     all count; the keys of one login are always in the same order, so
//     two logins never wait on each other in a cycle.
//
// A taken id, email or secret is a unique violation, named by the schema's
// constraint names, and comes back as Conflict.
//
// # Publications
//
// Publishing (Publish, and the version 1 of CreateProperty) runs
// pg_notify on PublishedChannel with the property's id in the same
// transaction, so the notification is sent when, and only if, it
// commits. Listen delivers them; widgetd hands them to
// admin.Service.FollowPublications, which drops the cached sets they name.
//
// # Uploads
//
// An upload's bytes are a row of upload_files keyed by its
// content-addressed name, stored once whatever the number of properties
// listing it; the listing (uploads) is one row per property. The name is
// checked against the SHA-256 of the bytes before they are stored.
//
// # Times
//
// Times are timestamptz, kept to the millisecond (as the embedded store
// keeps them, so that both compare alike) and returned in UTC. The zero
// time (a token never used) is NULL.
//
// # Errors
//
// A database that cannot be reached, is shutting down, is read-only (a
// standby), has a full disk or too many connections, or answers with a
// serialization failure or a deadlock is store.Unavailable, with a message
// for a person; a taken id, email or secret is store.Conflict naming it; a
// missing row is store.NotFound naming it; anything else is
// store.Internal wrapping its cause. A message never holds the URL's
// password (Redact).
//
// # Schema
//
// The schema is a series of migrations embedded in the binary
// (migrations/NNNN_what.sql, numbered as the embedded store's), applied at
// Open in order, each in its own transaction with its row in
// schema_migrations. Instances that start together take an advisory lock
// to migrate one at a time. A database recording a migration this binary
// does not hold was written by a newer widgetd, and Open refuses it
// (ErrNewerSchema). Tables go in the connection's current schema, so one
// database can hold several stores, each under its own search_path
// (notifications are database-wide: each store's listeners then hear the
// others' publications too, which costs a needless cache refill at most).
package postgres
