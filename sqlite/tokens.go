//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// CreateToken implements store.Tokens. A zero Created is set to now.
func (db *DB) CreateToken(ctx context.Context, t *store.Token) error {
	created := stamp(t.Created, db.now())
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustProperty(ctx, tx, t.PropertyID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO tokens (property_id, name, hash, created_by, created, last_used)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.PropertyID, t.Name, t.Hash, t.CreatedBy, millis(created), nullMillis(t.LastUsed)).Scan(&id)
		if unique(err, "tokens.hash") {
			return store.Errorf(store.Conflict, "the token exists already")
		}
		return err
	})
	if err != nil {
		return err
	}
	t.ID, t.Created = id, created
	return nil
}

const tokenColumns = `id, property_id, name, hash, created_by, created, last_used`

func scanToken(s scanner) (store.Token, error) {
	var t store.Token
	var created int64
	var lastUsed sql.NullInt64
	err := s.Scan(&t.ID, &t.PropertyID, &t.Name, &t.Hash, &t.CreatedBy, &created, &lastUsed)
	t.Created, t.LastUsed = fromMillis(created), fromNullMillis(lastUsed)
	return t, err
}

// TokenByHash implements store.Tokens. Finding a token is a write: its
// last use is recorded in the same statement.
func (db *DB) TokenByHash(ctx context.Context, hash []byte, now time.Time) (*store.Token, error) {
	t, err := scanToken(db.r.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash))
	if err != nil {
		return nil, storeError(notFound(err, "no such token"), "cannot read the token")
	}
	if !t.LastUsed.IsZero() && now.Sub(t.LastUsed) < store.LastUsedResolution {
		return &t, nil
	}
	err = db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE tokens SET last_used = ? WHERE id = ?`, millis(now), t.ID)
		return err
	})
	switch {
	case err == nil:
		t.LastUsed = fromMillis(millis(now))
	case store.IsCode(err, store.Unavailable):
		// A store that cannot write still lets the token read.
	default:
		return nil, err
	}
	return &t, nil
}

// Tokens implements store.Tokens: oldest first.
func (db *DB) Tokens(ctx context.Context, propertyID string) ([]store.Token, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE property_id = ? ORDER BY created, id`, propertyID)
	if err != nil {
		return nil, storeError(err, "cannot list tokens")
	}
	defer rows.Close()
	var list []store.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, storeError(err, "cannot list tokens")
		}
		list = append(list, t)
	}
	return list, storeError(rows.Err(), "cannot list tokens")
}

// DeleteToken implements store.Tokens.
func (db *DB) DeleteToken(ctx context.Context, propertyID string, id int64) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE id = ? AND property_id = ?`, id, propertyID)
		if err != nil {
			return err
		}
		return affected(res, "no token %d on property %q", id, propertyID)
	})
}
