//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// LoginFailures implements store.LoginFailures.
func (db *DB) LoginFailures(ctx context.Context, keys []string) ([]store.LoginFailure, error) {
	var out []store.LoginFailure
	for _, k := range keys {
		f := store.LoginFailure{Key: k}
		var last, until int64
		err := db.r.QueryRowContext(ctx, `SELECT count, last, until_ms FROM login_failures WHERE key = ?`, k).Scan(&f.Count, &last, &until)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, storeError(err, "cannot read failed logins")
		}
		f.Last = fromMillis(last)
		if until != 0 {
			f.Until = fromMillis(until)
		}
		out = append(out, f)
	}
	return out, nil
}

// FailLogin implements store.LoginFailures.
func (db *DB) FailLogin(ctx context.Context, keys []string, now time.Time, window time.Duration, wait func(i, count int) time.Duration) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for i, k := range keys {
			var n int
			err := tx.QueryRowContext(ctx, `INSERT INTO login_failures (key, count, last, until_ms) VALUES (?, 1, ?, 0)
				ON CONFLICT (key) DO UPDATE SET
					count = CASE WHEN last < ? THEN 1 ELSE count + 1 END,
					until_ms = CASE WHEN last < ? THEN 0 ELSE until_ms END,
					last = excluded.last
				RETURNING count`, k, millis(now), millis(now.Add(-window)), millis(now.Add(-window))).Scan(&n)
			if err != nil {
				return err
			}
			if w := wait(i, n); w > 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE login_failures SET until_ms = ? WHERE key = ?`, millis(now.Add(w)), k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ClearLoginFailures implements store.LoginFailures.
func (db *DB) ClearLoginFailures(ctx context.Context, keys []string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteLoginFailures implements store.LoginFailures.
func (db *DB) DeleteLoginFailures(ctx context.Context, before time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE last < ? AND until_ms < ?`, millis(before), millis(before))
		return err
	})
}

// Ping implements store.Store.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return store.Wrap(store.Unavailable, err, "the database does not answer")
	}
	return nil
}
