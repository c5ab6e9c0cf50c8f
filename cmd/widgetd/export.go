//go:build !js

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/triggerwidget/triggerwidget/export"
	"github.com/triggerwidget/triggerwidget/postgres"
	"github.com/triggerwidget/triggerwidget/store"
)

// exportCommand is `widgetd export -out DIR`: the static tree of package
// export, written once (a CDN's origin, a static host).
func exportCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var out, dist string
	sf, err := opFlags("export", args, stderr, func(fl *flag.FlagSet) {
		fl.StringVar(&out, "out", "", "`directory` to write the tree to, created if missing; files already there are replaced one by one, never deleted (required)")
		fl.StringVar(&dist, "dist", "dist", "`directory` of the built widget (made by `make build`)")
	})
	if err != nil {
		return err
	}
	if out == "" {
		return errors.New("export: -out is required (the directory to write the static tree to)")
	}
	if err := checkDist(dist); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	root, err := os.OpenRoot(dist)
	if err != nil {
		return fmt.Errorf("export: -dist %s: %w", dist, err)
	}
	defer root.Close()
	st, err := sf.open(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	ex, err := export.New(export.Config{Dir: out, Dist: root.FS(), Store: st})
	if err != nil {
		return err
	}
	n, err := ex.All(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported the widget, %s and %s to %s (%d files written, %d already current)\n",
		count(n.Properties, "property", "properties"), count(n.Uploads, "upload", "uploads"), out, n.Written, n.Unchanged)
	return nil
}

// startExport exports everything to dir and returns db with its publishes
// followed, so that the tree stays current; on PostgreSQL it also follows
// the publishes of every other instance until ctx is done.
func startExport(ctx context.Context, db store.Store, dist fs.FS, dir string, logger *slog.Logger) (store.Store, error) {
	ex, err := export.New(export.Config{Dir: dir, Dist: dist, Store: db, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("-export %s: %w", dir, err)
	}
	// The directory is writable (New checked): a property that cannot be
	// exported is logged, as widgetd serves the others.
	n, err := ex.All(ctx)
	if err != nil {
		logger.Error("cannot export everything", "dir", dir, "error", err)
	}
	logger.Info("exported the static tree", "dir", dir, "properties", n.Properties, "uploads", n.Uploads, "written", n.Written, "unchanged", n.Unchanged)
	if pg, ok := db.(*postgres.DB); ok {
		go ex.Follow(ctx, pg.Listen)
	}
	return ex.Watch(db), nil
}

// count is "1 property", "2 properties".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
