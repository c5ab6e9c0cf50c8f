//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// CountAccounts implements store.Accounts.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, storeError(err, "cannot count accounts")
}

// CreateAccount implements store.Accounts. The check that no account
// exists and the insert share one IMMEDIATE transaction, which holds the
// write lock from its start: two first sign-ups are serialized and the
// second sees the first.
func (db *DB) CreateAccount(ctx context.Context, a *store.Account, first bool) error {
	created := stamp(a.Created, db.now())
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if first {
			some, err := exists(ctx, tx, `SELECT 1 FROM accounts`)
			if err != nil {
				return err
			}
			if some {
				return store.Errorf(store.Conflict, "an account already exists")
			}
		}
		var err error
		id, err = insertAccount(ctx, tx, a, created)
		return err
	})
	if err != nil {
		return err
	}
	a.ID, a.Created = id, created
	return nil
}

func insertAccount(ctx context.Context, tx *sql.Tx, a *store.Account, created time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx,
		`INSERT INTO accounts (email, password_hash, created) VALUES (?, ?, ?) RETURNING id`,
		a.Email, a.PasswordHash, millis(created)).Scan(&id)
	if unique(err, "accounts.email") {
		return 0, store.Errorf(store.Conflict, "email %s is taken", a.Email)
	}
	return id, err
}

const accountColumns = `id, email, password_hash, created`

func scanAccount(row *sql.Row) (*store.Account, error) {
	var a store.Account
	var created int64
	if err := row.Scan(&a.ID, &a.Email, &a.PasswordHash, &created); err != nil {
		return nil, err
	}
	a.Created = fromMillis(created)
	return &a, nil
}

// AccountByEmail implements store.Accounts.
func (db *DB) AccountByEmail(ctx context.Context, email string) (*store.Account, error) {
	a, err := scanAccount(db.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = ?`, email))
	if err != nil {
		return nil, storeError(notFound(err, "no account %s", email), "cannot read an account")
	}
	return a, nil
}

// AccountByID implements store.Accounts.
func (db *DB) AccountByID(ctx context.Context, id int64) (*store.Account, error) {
	a, err := scanAccount(db.r.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = ?`, id))
	if err != nil {
		return nil, storeError(notFound(err, "no account %d", id), "cannot read an account")
	}
	return a, nil
}

// SetPassword implements store.Accounts.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = ? WHERE id = ?`, hash, id)
		if err != nil {
			return err
		}
		return affected(res, "no account %d", id)
	})
}

// CreateSession implements store.Sessions. A zero Created is set to now.
func (db *DB) CreateSession(ctx context.Context, s *store.Session) error {
	created := stamp(s.Created, db.now())
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustAccount(ctx, tx, s.AccountID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, account_id, created, expires) VALUES (?, ?, ?, ?)`,
			s.Hash, s.AccountID, millis(created), millis(s.Expires))
		if unique(err, "sessions.hash") {
			return store.Errorf(store.Conflict, "the session exists already")
		}
		return err
	})
	if err != nil {
		return err
	}
	s.Created = created
	return nil
}

// SessionByHash implements store.Sessions.
func (db *DB) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*store.Session, error) {
	var s store.Session
	var created, expires int64
	err := db.r.QueryRowContext(ctx,
		`SELECT hash, account_id, created, expires FROM sessions WHERE hash = ? AND expires > ?`,
		hash, millis(now)).Scan(&s.Hash, &s.AccountID, &created, &expires)
	if err != nil {
		return nil, storeError(notFound(err, "no session, or it has expired"), "cannot read a session")
	}
	s.Created, s.Expires = fromMillis(created), fromMillis(expires)
	return &s, nil
}

// DeleteSession implements store.Sessions.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		return err
	})
}

// DeleteSessionsOf implements store.Sessions.
func (db *DB) DeleteSessionsOf(ctx context.Context, accountID int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
		return err
	})
}

// DeleteExpired implements store.Sessions.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires <= ?`, millis(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE expires <= ?`, millis(now))
		return err
	})
}
