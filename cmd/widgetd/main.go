// Command widgetd is triggerwidget's server: it serves the built widget
// (dist/), the demo site and each property's published trigger set at
// /p/PROPERTY_ID/triggers.json. See package server for the routes.
//
//	go run ./cmd/widgetd -addr 127.0.0.1:8080
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/widget"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "widgetd:", err)
		}
		os.Exit(2)
	}
}

// run starts the server and blocks until ctx is done, then shuts down.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("widgetd", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "`host:port` to listen on")
	dist := fl.String("dist", "dist", "`directory` of the built widget (made by `make build`)")
	site := fl.String("site", "demo/site", "`directory` of the static demo site")
	props := fl.String("properties", "demo/properties", "`directory` of published trigger sets, one PROPERTY_ID.json each")
	level := fl.String("log-level", "info", "log `level`: debug (logs every request), info, warn or error")
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
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))

	if err := checkDist(*dist); err != nil {
		return err
	}
	if fi, err := os.Stat(*site); err != nil || !fi.IsDir() {
		return fmt.Errorf("no demo site in %s (pass -site DIR)", *site)
	}
	sets, err := loadSets(*props, logger)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{
		Dist:   os.DirFS(*dist),
		Site:   os.DirFS(*site),
		Sets:   sets,
		Logger: logger,
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
	// `make demo` reads this line to tell the user where the demo is.
	fmt.Fprintf(stdout, "triggerwidget demo: http://%s/\n", displayAddr(ln.Addr()))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadSets publishes every PROPERTY_ID.json of dir that parses as a trigger
// set. It serves the files as loaded at start: a file changed later is seen
// at the next start.
func loadSets(dir string, logger *slog.Logger) (*server.MemorySets, error) {
	list, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("-properties: %w", err)
	}
	sets := server.NewMemorySets()
	for _, de := range list {
		id, ok := strings.CutSuffix(de.Name(), ".json")
		if !ok || !de.Type().IsRegular() || strings.HasPrefix(id, ".") || !widget.ValidID(id) {
			continue
		}
		file := filepath.Join(dir, de.Name())
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if _, err := widget.ParseSet(data); err != nil {
			logger.Error("trigger set rejected: not published", "property", id, "file", file, "error", err)
			continue
		}
		sets.Put(id, data)
		logger.Info("trigger set loaded", "property", id, "file", file)
	}
	return sets, nil
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
