//go:build !js

package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/triggerwidget/triggerwidget/store"
)

// uploadName is the shape of an upload's name: the SHA-256 of its bytes in
// hex and an extension.
var uploadName = regexp.MustCompile(`^[0-9a-f]{64}\.[a-z0-9]{1,5}$`)

// PutUpload implements store.Uploads. The bytes go in upload_files, once
// per name, and the listing in uploads, once per property, in one
// transaction; a name stored again (at the same time, through another
// instance) changes neither. A zero Created is set to now; Size is the
// length of Data.
//
// The name must be the SHA-256 of Data (Invalid otherwise), since the
// bytes are stored once and then trusted to be those the name says.
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
	data := u.Data
	if data == nil {
		data = []byte{}
	}
	err := db.write(ctx, func(tx pgx.Tx) error {
		if err := mustProperty(ctx, tx, u.PropertyID); err != nil {
			return err
		}
		listed, err := exists(ctx, tx, `SELECT 1 FROM uploads WHERE property_id = $1 AND name = $2`, u.PropertyID, u.Name)
		if err != nil || listed {
			return err // listed: the first upload's metadata stays
		}
		if _, err := tx.Exec(ctx, `INSERT INTO upload_files (name, data) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			u.Name, data); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO uploads (property_id, name, content_type, size, width, height, original, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (property_id, name) DO NOTHING`,
			u.PropertyID, u.Name, u.ContentType, size, u.Width, u.Height, u.Original, created)
		return err
	})
	if err != nil {
		return err
	}
	u.Size, u.Created = size, created
	return nil
}

const uploadColumns = `u.property_id, u.name, u.content_type, u.size, u.width, u.height, u.original, u.created`

func scanUpload(s pgx.Row, extra ...any) (store.Upload, error) {
	var u store.Upload
	err := s.Scan(append([]any{&u.PropertyID, &u.Name, &u.ContentType, &u.Size, &u.Width, &u.Height, &u.Original, &u.Created}, extra...)...)
	u.Created = u.Created.UTC()
	return u, err
}

// Upload implements store.Uploads. When several properties list the name,
// the metadata is the first one's.
func (db *DB) Upload(ctx context.Context, name string) (*store.Upload, error) {
	if !uploadName.MatchString(name) {
		return nil, store.Errorf(store.NotFound, "no upload %q", name)
	}
	var data []byte
	u, err := scanUpload(db.pool.QueryRow(ctx, `SELECT `+uploadColumns+`, f.data
		FROM uploads u JOIN upload_files f ON f.name = u.name
		WHERE u.name = $1 ORDER BY u.seq LIMIT 1`, name), &data)
	if err != nil {
		return nil, storeError(notFound(err, "no upload %q", name), "cannot read an upload")
	}
	if data == nil {
		data = []byte{}
	}
	u.Data = data
	return &u, nil
}

// UploadsOf implements store.Uploads.
func (db *DB) UploadsOf(ctx context.Context, propertyID string) ([]store.Upload, error) {
	return list(ctx, db.pool, "cannot list uploads", func(r pgx.Rows) (store.Upload, error) {
		return scanUpload(r)
	}, `SELECT `+uploadColumns+` FROM uploads u
		WHERE u.property_id = $1 ORDER BY u.created DESC, u.seq DESC`, propertyID)
}
