//go:build !js

package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/triggerwidget/triggerwidget/store"
)

// insertVersion stores a version and, when the transaction commits, tells
// the listeners (Listen) of every instance that the property's published
// set changed.
func insertVersion(ctx context.Context, tx pgx.Tx, propertyID string, number int64, v *store.Version, created time.Time) error {
	data := v.Data
	if data == nil {
		data = []byte{} // the column is NOT NULL; an empty document is still a document
	}
	_, err := tx.Exec(ctx, `INSERT INTO versions (property_id, number, data, author, summary, created)
		VALUES ($1, $2, $3, $4, $5, $6)`, propertyID, number, data, v.Author, v.Summary, created)
	if unique(err, "versions_number_unique") {
		return store.Errorf(store.Conflict, "property %q has a version %d already: someone else published since", propertyID, number)
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `SELECT pg_notify($1, $2)`, PublishedChannel, propertyID)
	return err
}

// Publish implements store.TriggerSets. The property's row is locked
// first, so that publishers of one property (through any instances) take
// turns: of two from the same base, the second reads the first's version
// and gets Conflict. The version's primary key backs this up.
func (db *DB) Publish(ctx context.Context, v *store.Version, base int64) error {
	now := stamp(time.Time{}, db.now())
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := lockProperty(ctx, tx, v.PropertyID, "no property %q", v.PropertyID); err != nil {
			return err
		}
		var newest int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(number), 0) FROM versions WHERE property_id = $1`,
			v.PropertyID).Scan(&newest); err != nil {
			return err
		}
		if newest != base {
			return store.Errorf(store.Conflict, "property %q is at version %d, not %d: someone else published since", v.PropertyID, newest, base)
		}
		return insertVersion(ctx, tx, v.PropertyID, base+1, v, now)
	})
	if err != nil {
		return err
	}
	v.Number, v.Created = base+1, now
	return nil
}

func scanVersion(s pgx.Row, withData bool) (store.Version, error) {
	var v store.Version
	dest := []any{&v.PropertyID, &v.Number, &v.Author, &v.Summary, &v.Created}
	if withData {
		dest = append(dest, &v.Data)
	}
	err := s.Scan(dest...)
	v.Created = v.Created.UTC()
	if withData && err == nil && v.Data == nil {
		v.Data = []byte{}
	}
	return v, err
}

const versionColumns = `property_id, number, author, summary, created`

// Published implements store.TriggerSets: the published set is the newest
// version, found by the primary key.
func (db *DB) Published(ctx context.Context, propertyID string) (*store.Version, error) {
	v, err := scanVersion(db.pool.QueryRow(ctx, `SELECT `+versionColumns+`, data FROM versions
		WHERE property_id = $1 ORDER BY number DESC LIMIT 1`, propertyID), true)
	if err != nil {
		return nil, storeError(notFound(err, "no property %q", propertyID), "cannot read the published set")
	}
	return &v, nil
}

// Versions implements store.TriggerSets.
func (db *DB) Versions(ctx context.Context, propertyID string, before int64, limit int) ([]store.Version, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	var lim *int64 // NULL: no limit
	if limit > 0 {
		n := int64(limit)
		lim = &n
	}
	return list(ctx, db.pool, "cannot list versions", func(r pgx.Rows) (store.Version, error) {
		return scanVersion(r, false)
	}, `SELECT `+versionColumns+` FROM versions
		WHERE property_id = $1 AND number < $2 ORDER BY number DESC LIMIT $3`, propertyID, before, lim)
}

// Version implements store.TriggerSets.
func (db *DB) Version(ctx context.Context, propertyID string, number int64) (*store.Version, error) {
	v, err := scanVersion(db.pool.QueryRow(ctx, `SELECT `+versionColumns+`, data FROM versions
		WHERE property_id = $1 AND number = $2`, propertyID, number), true)
	if err != nil {
		return nil, storeError(notFound(err, "no version %d of property %q", number, propertyID), "cannot read a version")
	}
	return &v, nil
}
