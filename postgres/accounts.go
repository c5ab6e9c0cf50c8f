//go:build !js

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/triggerwidget/triggerwidget/store"
)

// CountAccounts implements store.Accounts.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, storeError(err, "cannot count accounts")
}

// CreateAccount implements store.Accounts. For the first account, the
// check that none exists and the insert run under a lock on the table
// that only one writer holds at a time (reads go on): two first sign-ups,
// through any instances, are serialized and the second sees the first.
func (db *DB) CreateAccount(ctx context.Context, a *store.Account, first bool) error {
	created := stamp(a.Created, db.now())
	var id int64
	err := db.write(ctx, func(tx pgx.Tx) error {
		if first {
			if _, err := tx.Exec(ctx, `LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE`); err != nil {
				return err
			}
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

func insertAccount(ctx context.Context, tx pgx.Tx, a *store.Account, created time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx,
		`INSERT INTO accounts (email, password_hash, created) VALUES ($1, $2, $3) RETURNING id`,
		a.Email, a.PasswordHash, created).Scan(&id)
	if unique(err, "accounts_email_unique") {
		return 0, store.Errorf(store.Conflict, "email %s is taken", a.Email)
	}
	return id, err
}

const accountColumns = `id, email, password_hash, created`

func scanAccount(row pgx.Row) (*store.Account, error) {
	var a store.Account
	if err := row.Scan(&a.ID, &a.Email, &a.PasswordHash, &a.Created); err != nil {
		return nil, err
	}
	a.Created = a.Created.UTC()
	return &a, nil
}

// AccountByEmail implements store.Accounts.
func (db *DB) AccountByEmail(ctx context.Context, email string) (*store.Account, error) {
	a, err := scanAccount(db.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
	if err != nil {
		return nil, storeError(notFound(err, "no account %s", email), "cannot read an account")
	}
	return a, nil
}

// AccountByID implements store.Accounts.
func (db *DB) AccountByID(ctx context.Context, id int64) (*store.Account, error) {
	a, err := scanAccount(db.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil {
		return nil, storeError(notFound(err, "no account %d", id), "cannot read an account")
	}
	return a, nil
}

// SetPassword implements store.Accounts.
func (db *DB) SetPassword(ctx context.Context, id int64, hash string) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, hash, id)
		if err != nil {
			return err
		}
		return affected(tag, "no account %d", id)
	})
}

// CreateSession implements store.Sessions. A zero Created is set to now.
func (db *DB) CreateSession(ctx context.Context, s *store.Session) error {
	created := stamp(s.Created, db.now())
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := mustAccount(ctx, tx, s.AccountID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (hash, account_id, created, expires) VALUES ($1, $2, $3, $4)`,
			s.Hash, s.AccountID, created, ms(s.Expires))
		if unique(err, "sessions_hash_unique") {
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
	err := db.pool.QueryRow(ctx,
		`SELECT hash, account_id, created, expires FROM sessions WHERE hash = $1 AND expires > $2`,
		hash, ms(now)).Scan(&s.Hash, &s.AccountID, &s.Created, &s.Expires)
	if err != nil {
		return nil, storeError(notFound(err, "no session, or it has expired"), "cannot read a session")
	}
	s.Created, s.Expires = s.Created.UTC(), s.Expires.UTC()
	return &s, nil
}

// DeleteSession implements store.Sessions.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
		return err
	})
}

// DeleteSessionsOf implements store.Sessions.
func (db *DB) DeleteSessionsOf(ctx context.Context, accountID int64) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE account_id = $1`, accountID)
		return err
	})
}

// DeleteExpired implements store.Sessions.
func (db *DB) DeleteExpired(ctx context.Context, now time.Time) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires <= $1`, ms(now)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM invitations WHERE expires <= $1`, ms(now))
		return err
	})
}
