//go:build !js

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/triggerwidget/triggerwidget/store"
)

// CreateToken implements store.Tokens. A zero Created is set to now.
func (db *DB) CreateToken(ctx context.Context, t *store.Token) error {
	created := stamp(t.Created, db.now())
	var id int64
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := mustProperty(ctx, tx, t.PropertyID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO tokens (property_id, name, hash, created_by, created, last_used)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			t.PropertyID, t.Name, t.Hash, t.CreatedBy, created, nullTime(t.LastUsed)).Scan(&id)
		if unique(err, "tokens_hash_unique") {
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

func scanToken(s pgx.Row) (store.Token, error) {
	var t store.Token
	var lastUsed *time.Time
	err := s.Scan(&t.ID, &t.PropertyID, &t.Name, &t.Hash, &t.CreatedBy, &t.Created, &lastUsed)
	t.Created, t.LastUsed = t.Created.UTC(), fromNullTime(lastUsed)
	return t, err
}

// TokenByHash implements store.Tokens. The last use is written in a
// transaction of its own, only when the recorded one is older than
// store.LastUsedResolution.
func (db *DB) TokenByHash(ctx context.Context, hash []byte, now time.Time) (*store.Token, error) {
	t, err := scanToken(db.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
	if err != nil {
		return nil, storeError(notFound(err, "no such token"), "cannot read the token")
	}
	if !t.LastUsed.IsZero() && now.Sub(t.LastUsed) < store.LastUsedResolution {
		return &t, nil
	}
	err = db.write(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE tokens SET last_used = $1 WHERE id = $2`, ms(now), t.ID)
		return err
	})
	switch {
	case err == nil:
		t.LastUsed = ms(now)
	case store.IsCode(err, store.Unavailable):
		// A database that cannot write (a read-only replica) still lets
		// the token read.
	default:
		return nil, err
	}
	return &t, nil
}

// Tokens implements store.Tokens: oldest first.
func (db *DB) Tokens(ctx context.Context, propertyID string) ([]store.Token, error) {
	return list(ctx, db.pool, "cannot list tokens", func(r pgx.Rows) (store.Token, error) {
		return scanToken(r)
	}, `SELECT `+tokenColumns+` FROM tokens WHERE property_id = $1 ORDER BY created, id`, propertyID)
}

// DeleteToken implements store.Tokens.
func (db *DB) DeleteToken(ctx context.Context, propertyID string, id int64) error {
	return db.write(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM tokens WHERE id = $1 AND property_id = $2`, id, propertyID)
		if err != nil {
			return err
		}
		return affected(tag, "no token %d on property %q", id, propertyID)
	})
}
