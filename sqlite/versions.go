//go:build !js

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

func insertVersion(ctx context.Context, tx *sql.Tx, propertyID string, number int64, v *store.Version, created time.Time) error {
	data := v.Data
	if data == nil {
		data = []byte{} // the column is NOT NULL; an empty document is still a document
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO versions (property_id, number, data, author, summary, created)
		VALUES (?, ?, ?, ?, ?, ?)`, propertyID, number, data, v.Author, v.Summary, millis(created))
	return err
}

// Publish implements store.TriggerSets. The newest number is read and the
// next one written in one IMMEDIATE transaction, which holds the write
// lock throughout: of two publishers from the same base, the second reads
// the first's version and gets Conflict.
func (db *DB) Publish(ctx context.Context, v *store.Version, base int64) error {
	now := stamp(time.Time{}, db.now())
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustProperty(ctx, tx, v.PropertyID); err != nil {
			return err
		}
		var newest int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) FROM versions WHERE property_id = ?`,
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

func scanVersion(s scanner, withData bool) (store.Version, error) {
	var v store.Version
	var created int64
	dest := []any{&v.PropertyID, &v.Number, &v.Author, &v.Summary, &created}
	if withData {
		dest = append(dest, &v.Data)
	}
	err := s.Scan(dest...)
	v.Created = fromMillis(created)
	if withData && err == nil && v.Data == nil {
		v.Data = []byte{}
	}
	return v, err
}

const versionColumns = `property_id, number, author, summary, created`

// Published implements store.TriggerSets: the published set is the newest
// version, found by the primary key.
func (db *DB) Published(ctx context.Context, propertyID string) (*store.Version, error) {
	v, err := scanVersion(db.r.QueryRowContext(ctx, `SELECT `+versionColumns+`, data FROM versions
		WHERE property_id = ? ORDER BY number DESC LIMIT 1`, propertyID), true)
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
	if limit <= 0 {
		limit = -1 // no limit
	}
	rows, err := db.r.QueryContext(ctx, `SELECT `+versionColumns+` FROM versions
		WHERE property_id = ? AND number < ? ORDER BY number DESC LIMIT ?`, propertyID, before, limit)
	if err != nil {
		return nil, storeError(err, "cannot list versions")
	}
	defer rows.Close()
	var list []store.Version
	for rows.Next() {
		v, err := scanVersion(rows, false)
		if err != nil {
			return nil, storeError(err, "cannot list versions")
		}
		list = append(list, v)
	}
	return list, storeError(rows.Err(), "cannot list versions")
}

// Version implements store.TriggerSets.
func (db *DB) Version(ctx context.Context, propertyID string, number int64) (*store.Version, error) {
	v, err := scanVersion(db.r.QueryRowContext(ctx, `SELECT `+versionColumns+`, data FROM versions
		WHERE property_id = ? AND number = ?`, propertyID, number), true)
	if err != nil {
		return nil, storeError(notFound(err, "no version %d of property %q", number, propertyID), "cannot read a version")
	}
	return &v, nil
}
