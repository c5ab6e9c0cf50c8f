//go:build !js

package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

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
	return store.ReadMigrations(migrationFiles, "migrations", "postgres")
}

// migrationLock is the advisory lock key that instances starting together
// on one database take to migrate it one at a time.
const migrationLock = 0x7477_6d69_6772 // "twmigr"

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version bigint      PRIMARY KEY,
	name    text        NOT NULL,
	applied timestamptz NOT NULL
)`

// migrate applies the migrations the database has not recorded yet, each
// in its own transaction together with its record, and refuses a database
// that records one this binary does not hold.
func migrate(ctx context.Context, pool *pgxpool.Pool, now func() time.Time) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	applied, err := appliedMigrations(ctx, pool)
	if err != nil {
		return storeError(err, "cannot read the database's schema version")
	}
	if err := checkKnown(ms, applied); err != nil {
		return err
	}
	for _, m := range ms {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		if err := apply(ctx, pool, ms, m, now); err != nil {
			return err
		}
	}
	return nil
}

func checkKnown(ms []migration, applied map[int64]string) error {
	known := make(map[int64]string, len(ms))
	for _, m := range ms {
		known[m.Version] = m.Name
	}
	for v, name := range applied {
		if known[v] != name {
			return fmt.Errorf("postgres: the database records schema migration %s, which this widgetd does not hold (it knows up to %s): %w",
				name, ms[len(ms)-1].Name, ErrNewerSchema)
		}
	}
	return nil
}

// appliedMigrations maps the versions the database records to their names.
func appliedMigrations(ctx context.Context, q querier) (map[int64]string, error) {
	applied := map[int64]string{}
	ok, err := exists(ctx, q, `SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`)
	if err != nil || !ok {
		return applied, err
	}
	rows, err := q.Query(ctx, `SELECT version, name FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v int64
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			rows.Close()
			return nil, err
		}
		applied[v] = name
	}
	return applied, rows.Err()
}

// apply runs one migration and records it, unless another process did
// while this one waited for the lock.
func apply(ctx context.Context, pool *pgxpool.Pool, all []migration, m migration, now func() time.Time) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return fmt.Errorf("cannot lock the schema: %w", err)
		}
		if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
			return fmt.Errorf("cannot record schema migrations: %w", err)
		}
		applied, err := appliedMigrations(ctx, tx)
		if err != nil {
			return fmt.Errorf("cannot read the database's schema version: %w", err)
		}
		if err := checkKnown(all, applied); err != nil {
			return err
		}
		if _, done := applied[m.Version]; done {
			return nil
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("schema migration %s failed: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied) VALUES ($1, $2, $3)`,
			m.Version, m.Name, ms(now())); err != nil {
			return fmt.Errorf("cannot record schema migration %s: %w", m.Name, err)
		}
		return nil
	})
	if errors.Is(err, ErrNewerSchema) {
		return err
	}
	return storeError(err, "schema migration "+m.Name+" failed")
}
