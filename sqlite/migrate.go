//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrNewerSchema is wrapped by the error of Open when the database records
// a schema migration this binary does not hold (store.ErrNewerSchema).
var ErrNewerSchema = store.ErrNewerSchema

type migration = store.Migration

// migrations are the embedded migrations, in order.
func migrations() ([]migration, error) {
	return store.ReadMigrations(migrationFiles, "migrations", "sqlite")
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name    TEXT    NOT NULL,
	applied INTEGER NOT NULL
) STRICT`

// migrate applies the migrations db has not recorded yet, each in its own
// transaction together with its record, and refuses a database that
// records one this binary does not hold.
func migrate(ctx context.Context, db *sql.DB, readOnly bool, now func() time.Time) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return storeError(err, "cannot read the database's schema version")
	}
	known := make(map[int64]string, len(ms))
	for _, m := range ms {
		known[m.Version] = m.Name
	}
	for v, name := range applied {
		if known[v] != name {
			return fmt.Errorf("sqlite: the database records schema migration %s, which this widgetd does not hold (it knows up to %s): %w",
				name, ms[len(ms)-1].Name, ErrNewerSchema)
		}
	}
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if readOnly {
			return fmt.Errorf("sqlite: the database needs schema migration %s but is opened read-only", m.Name)
		}
		if err := apply(ctx, db, m, now); err != nil {
			return err
		}
	}
	return nil
}

// appliedMigrations maps the versions db records to their names.
func appliedMigrations(ctx context.Context, db *sql.DB) (map[int64]string, error) {
	applied := map[int64]string{}
	ok, err := exists(ctx, db, `SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`)
	if err != nil || !ok {
		return applied, err
	}
	rows, err := db.QueryContext(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return nil, err
		}
		applied[v] = name
	}
	return applied, rows.Err()
}

// apply runs one migration and records it, unless another process did
// between the check and the write lock.
func apply(ctx context.Context, db *sql.DB, m migration, now func() time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return storeError(err, "cannot begin the schema migration "+m.Name)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, createMigrationsTable); err != nil {
		return storeError(err, "cannot record schema migrations")
	}
	done, err := exists(ctx, tx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.Version)
	if err != nil {
		return storeError(err, "cannot read the database's schema version")
	}
	if done {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return storeError(err, "schema migration "+m.Name+" failed")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES (?, ?, ?)`,
		m.Version, m.Name, millis(now())); err != nil {
		return storeError(err, "cannot record schema migration "+m.Name)
	}
	if err := tx.Commit(); err != nil {
		return storeError(err, "cannot commit schema migration "+m.Name)
	}
	return nil
}
