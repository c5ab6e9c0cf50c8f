//go:build !js

package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
	"github.com/triggerwidget/triggerwidget/store"
)

// uploadName is the shape of an upload's name: the SHA-256 of its bytes in
// hex and an extension. Nothing else is ever joined to the uploads
// directory, so no name can reach outside it.
var uploadName = regexp.MustCompile(`^[0-9a-f]{64}\.[a-z0-9]{1,5}$`)

// PutUpload implements store.Uploads. The bytes are written to
// uploads/<name> (atomically, and synced) inside the transaction that
// inserts the row, after the insert and before the commit: a committed row
// always has its file.
// A crash in between leaves at worst a file no row lists, which the next
// upload of the same bytes reuses. A zero Created is set to now; Size is
// the length of Data.
//
// The name must be the SHA-256 of Data (Invalid otherwise), since a file
// is written once and then trusted to hold the bytes its name says.
func (db *DB) PutUpload(ctx context.Context, u *store.Upload) error {
	if !uploadName.MatchString(u.Name) {
		return store.Errorf(store.Invalid, "%q is not the name of an upload", u.Name)
	}
	sum := sha256.Sum256(u.Data)
	if hex.EncodeToString(sum[:]) != strings.SplitN(u.Name, ".", 2)[0] {
		return store.Errorf(store.Invalid, "upload %s: the name is not the SHA-256 of the bytes", u.Name)
	}
	created := stamp(u.Created, db.now())
	size := int64(len(u.Data))
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := mustProperty(ctx, tx, u.PropertyID); err != nil {
			return err
		}
		listed, err := exists(ctx, tx, `SELECT 1 FROM uploads WHERE property_id = ? AND name = ?`, u.PropertyID, u.Name)
		if err != nil || listed {
			return err // listed already: the first upload's metadata stays
		}
		// The row first: a database that cannot take it (full, read-only)
		// fails here, before a file is written for nothing.
		if _, err := tx.ExecContext(ctx, `INSERT INTO uploads (property_id, name, content_type, size, width, height, original, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.PropertyID, u.Name, u.ContentType, size, u.Width, u.Height, u.Original, millis(created)); err != nil {
			return err
		}
		return db.writeUpload(u.Name, u.Data)
	})
	if err != nil {
		return err
	}
	u.Size, u.Created = size, created
	return nil
}

// writeUpload makes sure uploads/name holds data. A file already there
// holds the same bytes, its name being their hash.
func (db *DB) writeUpload(name string, data []byte) error {
	path := filepath.Join(db.uploads, name)
	switch _, err := os.Stat(path); {
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return storeError(err, "cannot read the uploads directory")
	}
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return storeError(err, "cannot write upload "+name)
	}
	return nil
}

const uploadColumns = `property_id, name, content_type, size, width, height, original, created`

func scanUpload(s scanner) (store.Upload, error) {
	var u store.Upload
	var created int64
	err := s.Scan(&u.PropertyID, &u.Name, &u.ContentType, &u.Size, &u.Width, &u.Height, &u.Original, &created)
	u.Created = fromMillis(created)
	return u, err
}

// Upload implements store.Uploads. When several properties list the name,
// the metadata is the first one's.
func (db *DB) Upload(ctx context.Context, name string) (*store.Upload, error) {
	if !uploadName.MatchString(name) {
		return nil, store.Errorf(store.NotFound, "no upload %q", name)
	}
	u, err := scanUpload(db.r.QueryRowContext(ctx, `SELECT `+uploadColumns+` FROM uploads
		WHERE name = ? ORDER BY rowid LIMIT 1`, name))
	if err != nil {
		return nil, storeError(notFound(err, "no upload %q", name), "cannot read an upload")
	}
	data, err := os.ReadFile(filepath.Join(db.uploads, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, store.Wrap(store.Internal, err, "upload "+name+" is listed but its file is missing")
	}
	if err != nil {
		return nil, storeError(err, "cannot read upload "+name)
	}
	u.Data = data
	return &u, nil
}

// UploadsOf implements store.Uploads.
func (db *DB) UploadsOf(ctx context.Context, propertyID string) ([]store.Upload, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+uploadColumns+` FROM uploads
		WHERE property_id = ? ORDER BY created DESC, rowid DESC`, propertyID)
	if err != nil {
		return nil, storeError(err, "cannot list uploads")
	}
	defer rows.Close()
	var list []store.Upload
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, storeError(err, "cannot list uploads")
		}
		list = append(list, u)
	}
	return list, storeError(rows.Err(), "cannot list uploads")
}
