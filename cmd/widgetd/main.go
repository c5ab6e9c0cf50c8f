//go:build !js

// Command widgetd is triggerwidget's server: it serves the built widget
// (dist/), each property's published trigger set at
// /p/PROPERTY_ID/triggers.json, the uploads at /u/, the admin's API under
// /api/v1/ and the demo site, over an embedded SQLite database in -data
// DIR or, with -db postgres://…, a PostgreSQL database that several
// instances may share (the source of truth). See package server for the
// routes and package admin for the API.
//
//	widgetd [-addr 127.0.0.1:8080] [-data ./data | -db URL] [-dist dist] [-site demo/site]
//	widgetd user add -data DIR|-db URL -email E            (password on standard input)
//	widgetd property add -data DIR|-db URL -owner E -id ID -name NAME [-url URL] [-timezone TZ] [-set FILE]
//	widgetd token create -data DIR|-db URL -property ID -name NAME
//	widgetd export -data DIR|-db URL -out DIR [-dist dist]   (the static tree a CDN serves; docs/deploy.md)
//
// The operator commands open the same database as a running server (SQLite
// and PostgreSQL both allow it) and print their result on standard output.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/admin/web"
	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "widgetd:", err)
		}
		os.Exit(2)
	}
}

// run is the whole program; tests call it in-process.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) >= 2 {
		switch args[0] + " " + args[1] {
		case "user add":
			return userAdd(ctx, args[2:], stdin, stdout, stderr)
		case "property add":
			return propertyAdd(ctx, args[2:], stdout, stderr)
		case "token create":
			return tokenCreate(ctx, args[2:], stdout, stderr)
		}
	}
	if len(args) >= 1 && args[0] == "export" {
		return exportCommand(ctx, args[1:], stdout, stderr)
	}
	if len(args) >= 1 && len(args[0]) > 0 && args[0][0] != '-' {
		return fmt.Errorf("unknown command %q: the commands are \"user add\", \"property add\", \"token create\" and \"export\"; without one, widgetd serves", args[0])
	}
	return serve(ctx, args, stdout, stderr)
}

// serve starts the server and blocks until ctx is done, then shuts down.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("widgetd", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	sf := addStoreFlags(fl)
	dist := fl.String("dist", "dist", "`directory` of the built widget (made by `make build`)")
	site := fl.String("site", "demo/site", "`directory` of the static demo site; empty for none")
	behindTLS := fl.Bool("behind-tls", false, "mark session cookies Secure although requests arrive over plain HTTP (behind a TLS-terminating proxy)")
	trustProxy := fl.Bool("trust-proxy", false, "take the client's address from the last X-Forwarded-For entry (only behind a reverse proxy that sets it)")
	exportDir := fl.String("export", "", "`directory` of a static tree (see `widgetd export`) to write at start and keep current on every publish")
	level := fl.String("log-level", "info", "log `level`: debug (logs every request), info, warn or error")
	logJSON := fl.Bool("log-json", false, "log one JSON object per line instead of key=value text")
	drain := fl.Duration("shutdown-timeout", 10*time.Second, "on SIGINT or SIGTERM, how long requests in flight may take to finish")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fl.Args())
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	var lh slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl})
	if *logJSON {
		lh = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: lvl})
	}
	logger := slog.New(server.LogHandler(lh))

	if err := checkDist(*dist); err != nil {
		return err
	}
	// The widget's files and the site are served through os.Root: a
	// symbolic link inside them may point to another file inside, never
	// outside (such a file is not found). dirRoot follows the directory
	// when it is replaced (make build, a release).
	distRoot, err := openDirRoot(*dist)
	if err != nil {
		return fmt.Errorf("-dist %s: %w", *dist, err)
	}
	defer distRoot.Close()
	var siteFS fs.FS
	if *site != "" {
		if fi, err := os.Stat(*site); err != nil || !fi.IsDir() {
			return fmt.Errorf("no demo site in %s (pass -site DIR, or -site '' for none)", *site)
		}
		siteRoot, err := openDirRoot(*site)
		if err != nil {
			return fmt.Errorf("-site %s: %w", *site, err)
		}
		defer siteRoot.Close()
		siteFS = siteRoot
	}
	db, err := sf.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	var adminStore store.Store = db
	if *exportDir != "" {
		if adminStore, err = startExport(ctx, db, distRoot, *exportDir, logger); err != nil {
			return err
		}
	}
	svc := admin.New(admin.Config{Store: adminStore, Logger: logger})
	api := admin.NewHandler(svc, admin.HandlerConfig{Secure: *behindTLS, TrustProxy: *trustProxy, Logger: logger})
	pages, err := web.New(svc, api, web.Config{Secure: *behindTLS, Logger: logger})
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{
		Dist:   distRoot,
		Site:   siteFS,
		Sets:   svc,
		Admin:  pages,
		Logger: logger,
		Health: db.Ping,
	})
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Long enough to send the wasm over a slow mobile link.
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	go sweep(ctx, svc, logger)
	if l, ok := db.(interface {
		Listen(context.Context, func(string)) error
	}); ok {
		// Other instances may publish to this database.
		go svc.FollowPublications(ctx, l.Listen, admin.Follow{})
	}
	// `make demo` and the tests read these lines to learn where things are.
	base := "http://" + displayAddr(ln.Addr())
	fmt.Fprintf(stdout, "triggerwidget demo: %s/\n", base)
	fmt.Fprintf(stdout, "triggerwidget admin: %s/admin/\n", base)

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let the requests in flight
	// finish (for up to -shutdown-timeout), then close the store (deferred).
	logger.Info("shutting down: draining requests in flight", "timeout", *drain)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("shutdown: requests still running after %v were cut off", *drain)
	}
	logger.Info("stopped")
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweep forgets expired sessions, invitations and failed logins, at start
// and hourly.
func sweep(ctx context.Context, svc *admin.Service, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := svc.Sweep(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("cannot delete expired sessions and failed logins", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkDist makes sure dir holds a widget build.
func checkDist(dir string) error {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return fmt.Errorf("no widget build in %s: run `make build` first (or pass -dist DIR)", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "widget.js")); err != nil {
		return fmt.Errorf("%s has no widget.js: run `make build` first (or pass -dist DIR)", dir)
	}
	return nil
}

// displayAddr is the listening address as a browser can use it: an
// unspecified host (0.0.0.0, ::) becomes localhost.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
