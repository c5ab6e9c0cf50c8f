//go:build !js

package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"

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
		if err != nil {
			return err
		}
		if listed {
			// The first upload's metadata stays; its file is made sure of
			// (a file removed or replaced by hand is written again).
			return db.writeUpload(u.Name, u.Data)
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

// writeUpload makes sure uploads/name holds data. A regular file already
// there holds the same bytes, its name being their hash; anything else
// under that name (a symbolic link, planted by hand) is replaced.
func (db *DB) writeUpload(name string, data []byte) error {
	root, err := os.OpenRoot(db.uploads)
	if err != nil {
		return storeError(err, "cannot open the uploads directory")
	}
	defer root.Close()
	switch fi, err := root.Lstat(name); {
	case err == nil && fi.Mode().IsRegular():
		return nil
	case err == nil:
		if err := root.Remove(name); err != nil {
			return storeError(err, "cannot replace upload "+name)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return storeError(err, "cannot read the uploads directory")
	}
	if err := writeInRoot(root, name, data); err != nil {
		return storeError(err, "cannot write upload "+name)
	}
	return nil
}

// writeInRoot writes name in root atomically: a synced temporary file,
// renamed over name, then the directory synced so the rename survives a
// crash. Every step stays inside root (os.Root), whatever links the
// directory holds.
func writeInRoot(root *os.Root, name string, data []byte) (err error) {
	var rnd [8]byte
	_, _ = rand.Read(rnd[:])
	tmp := "." + name + ".tmp-" + hex.EncodeToString(rnd[:])
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close() // may already be closed
			_ = root.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		return err
	}
	dir, err := root.Open(".")
	if err != nil {
		return nil // renamed; the directory sync is best effort here
	}
	defer dir.Close()
	_ = dir.Sync()
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
	data, err := db.readUpload(name)
	if err != nil {
		return nil, err
	}
	u.Data = data
	return &u, nil
}

// readUpload reads uploads/name through os.Root. Only a regular file is an
// upload (widgetd writes nothing else there): a symbolic link or anything
// else under the name is not found, so that no link, even one planted by
// hand, can serve a file from outside the directory.
func (db *DB) readUpload(name string) ([]byte, error) {
	root, err := os.OpenRoot(db.uploads)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, store.Wrap(store.Internal, err, "upload "+name+" is listed but the uploads directory is missing")
	}
	if err != nil {
		return nil, storeError(err, "cannot open the uploads directory")
	}
	defer root.Close()
	fi, err := root.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, store.Wrap(store.Internal, err, "upload "+name+" is listed but its file is missing")
	}
	if err != nil {
		return nil, storeError(err, "cannot read upload "+name)
	}
	if !fi.Mode().IsRegular() {
		return nil, store.Errorf(store.NotFound, "no upload %q", name)
	}
	data, err := root.ReadFile(name)
	if err != nil {
		return nil, storeError(err, "cannot read upload "+name)
	}
	return data, nil
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
