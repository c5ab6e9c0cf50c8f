//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// LoginFailures implements store.LoginFailures, in one query.
func (db *DB) LoginFailures(ctx context.Context, keys []string) ([]store.LoginFailure, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := db.r.QueryContext(ctx, `SELECT key, count, last, until_ms FROM login_failures WHERE key IN (?`+strings.Repeat(", ?", len(keys)-1)+`)`, args...)
	if err != nil {
		return nil, storeError(err, "cannot read failed logins")
	}
	defer rows.Close()
	var out []store.LoginFailure
	for rows.Next() {
		var f store.LoginFailure
		var last, until int64
		if err := rows.Scan(&f.Key, &f.Count, &last, &until); err != nil {
			return nil, storeError(err, "cannot read failed logins")
		}
		f.Last = fromMillis(last)
		if until != 0 {
			f.Until = fromMillis(until)
		}
		out = append(out, f)
	}
	return out, storeError(rows.Err(), "cannot read failed logins")
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
