//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/triggerwidget/triggerwidget/postgres"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
)

// storeFlags name the store the server and every operator command use:
// the embedded SQLite database in -data DIR, or the PostgreSQL database
// of -db URL.
type storeFlags struct {
	fl   *flag.FlagSet
	data string
	db   string
}

// addStoreFlags defines -data and -db on fl.
func addStoreFlags(fl *flag.FlagSet) *storeFlags {
	sf := &storeFlags{fl: fl}
	fl.StringVar(&sf.data, "data", "data", "`directory` of the embedded database and the uploaded files (created if missing)")
	fl.StringVar(&sf.db, "db", "", "a PostgreSQL database `URL` (postgres://user@host/name) to use instead of the embedded database in -data; the password is best given in PGPASSWORD or ~/.pgpass")
	return sf
}

// open opens the store the flags name. With create false, a missing -data
// directory is an error rather than a new empty database: a typo must not
// start a second store elsewhere. A PostgreSQL database gets its schema
// on first use in any case.
func (sf *storeFlags) open(ctx context.Context, create bool) (store.Store, error) {
	dataSet := false
	sf.fl.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
	if sf.db != "" {
		if dataSet {
			return nil, errors.New("-data and -db name two different stores: give one")
		}
		if !postgres.IsURL(sf.db) {
			return nil, fmt.Errorf("-db %s: not a postgres:// URL (without -db, widgetd keeps its data in the -data directory)", postgres.Redact(sf.db))
		}
		db, err := postgres.Open(ctx, sf.db)
		if err != nil {
			return nil, fmt.Errorf("-db %s: %w", postgres.Redact(sf.db), err)
		}
		return db, nil
	}
	if !create {
		if _, err := os.Stat(sf.data); err != nil {
			return nil, fmt.Errorf("no data directory %s: create the first account with `widgetd user add -data %s -email …`", sf.data, sf.data)
		}
	}
	db, err := sqlite.Open(ctx, sf.data)
	if err != nil {
		return nil, fmt.Errorf("-data %s: %w", sf.data, err)
	}
	return db, nil
}
