//go:build !js

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/triggerwidget/triggerwidget/store"
)

// LoginFailures implements store.LoginFailures.
func (db *DB) LoginFailures(ctx context.Context, keys []string) ([]store.LoginFailure, error) {
	rows, err := db.pool.Query(ctx, `SELECT key, count, last, until_at FROM login_failures WHERE key = ANY($1)`, keys)
	if err != nil {
		return nil, storeError(err, "cannot read failed logins")
	}
	var out []store.LoginFailure
	for rows.Next() {
		var f store.LoginFailure
		var until *time.Time
		if err := rows.Scan(&f.Key, &f.Count, &f.Last, &until); err != nil {
			rows.Close()
			return nil, storeError(err, "cannot read failed logins")
		}
		f.Last = f.Last.UTC()
		if until != nil {
			f.Until = until.UTC()
		}
		out = append(out, f)
	}
	return out, storeError(rows.Err(), "cannot read failed logins")
}

// FailLogin implements store.LoginFailures. Each key's row is counted by
// one upsert, so that instances failing the same key at once each count.
func (db *DB) FailLogin(ctx context.Context, keys []string, now time.Time, window time.Duration, wait func(i, count int) time.Duration) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		for i, k := range keys {
			var n int
			err := tx.QueryRow(ctx, `INSERT INTO login_failures AS f (key, count, last, until_at) VALUES ($1, 1, $2, NULL)
				ON CONFLICT (key) DO UPDATE SET
					count = CASE WHEN f.last < $3 THEN 1 ELSE f.count + 1 END,
					until_at = CASE WHEN f.last < $3 THEN NULL ELSE f.until_at END,
					last = excluded.last
				RETURNING count`, k, ms(now), ms(now.Add(-window))).Scan(&n)
			if err != nil {
				return err
			}
			if w := wait(i, n); w > 0 {
				if _, err := tx.Exec(ctx, `UPDATE login_failures SET until_at = $1 WHERE key = $2`, ms(now.Add(w)), k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ClearLoginFailures implements store.LoginFailures.
func (db *DB) ClearLoginFailures(ctx context.Context, keys []string) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE key = ANY($1)`, keys)
		return err
	})
}

// DeleteLoginFailures implements store.LoginFailures.
func (db *DB) DeleteLoginFailures(ctx context.Context, before time.Time) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE last < $1 AND (until_at IS NULL OR until_at < $1)`, ms(before))
		return err
	})
}

// Ping implements store.Store.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return storeError(err, "the database does not answer")
	}
	return nil
}
