package store

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ErrNewerSchema is wrapped by a backend's error when the database records
// a schema migration the binary does not hold: it was written by a newer
// widgetd, and an older one must not touch it.
var ErrNewerSchema = errors.New("the database was written by a newer widgetd")

// Migration is one schema migration a backend embeds.
type Migration struct {
	Version int64
	Name    string // "0001_init"
	SQL     string
}

// ReadMigrations reads the migrations in directory dir of fsys, in order.
// Their files are named NNNN_what.sql, numbered from 1 without gaps;
// backend names the database in the errors.
func ReadMigrations(fsys fs.FS, dir, backend string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".sql")
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("%s: migration %s is not named NNNN_what.sql", backend, e.Name())
		}
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(data)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return int(a.Version - b.Version) })
	for i, m := range ms {
		if m.Version != int64(i+1) {
			return nil, fmt.Errorf("%s: migration %s is out of sequence (want number %d)", backend, m.Name, i+1)
		}
	}
	return ms, nil
}
