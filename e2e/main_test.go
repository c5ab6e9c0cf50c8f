//go:build !js

// Package e2e runs the shipped widget (the dist that internal/distbuild
// builds, served by package server) in headless Chromium and checks the
// product contract (README.md, docs/format.md) from a host page's point of view: trigger
// delivery, the JavaScript API, events, storage across reloads, bad input
// and cross-origin embedding.
//
// One Chromium process serves the whole run; each test gets its own browser
// context (separate cookies, storage and cache), its own property and its own
// pages under /t/<property>/, so tests run in parallel.
//
// Without Chromium the tests are skipped, one by one (go test -v shows each
// SKIP), unless TRIGGERWIDGET_REQUIRE_BROWSER=1, which makes the run fail.
//
// Time. TestMain builds the widget twice: as shipped, served at /widget/, and
// with the test clock (the build tag triggerwidget_testclock, see
// wasm/testclock.go), served at /widget-tc/. On the test-clock build the
// engine's clock moves only when the test says so (tb.advance), so a delay
// of N s is checked as "nothing at N s - 1 ms, fired at N s" and a negative
// assertion ("still nothing after the delay") takes no wall-clock time:
// the tests are exact and do not sleep. A few tests, one per trigger type,
// stay on the shipped build and wait in real time, so that the real clock
// path is covered too. The test-clock build exists only here: `make build`
// never sets the tag, and internal/distbuild refuses a dist that has it
// without asking.
package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/internal/chromium"
	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/server"
)

// env is the state shared by the whole run, set up by TestMain.
var env struct {
	skip       string          // why browser tests cannot run, or ""
	dist       string          // the built widget, as shipped
	distTC     string          // the widget built with the test clock
	browserCtx context.Context // the shared Chromium
	world      *world          // the two test origins
}

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	browser := chromium.Find()
	if browser == "" {
		msg := "no Chromium found (set CHROMIUM, or install /usr/bin/chromium)"
		if os.Getenv("TRIGGERWIDGET_REQUIRE_BROWSER") == "1" {
			fmt.Fprintln(os.Stderr, "e2e: FAIL: "+msg+"; TRIGGERWIDGET_REQUIRE_BROWSER=1 requires the browser tests to run")
			return 1
		}
		fmt.Fprintln(os.Stderr, "e2e: SKIP: "+msg+"; every browser test is skipped")
		env.skip = msg
		return m.Run()
	}

	tmp, err := os.MkdirTemp("", "triggerwidget-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	root, err := distbuild.FindRoot(wd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	env.dist = filepath.Join(tmp, "dist")
	env.distTC = filepath.Join(tmp, "dist-testclock")
	if err := buildBoth(root, env.dist, env.distTC); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the widget:", err)
		return 1
	}

	w, err := newWorld(env.dist, env.distTC)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer w.close()
	env.world = w

	browserCtx, stopBrowser, err := chromium.Start(browser, filepath.Join(tmp, "chromium"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: FAIL: could not start %s: %v\n", browser, err)
		return 1
	}
	defer stopBrowser()
	env.browserCtx = browserCtx
	return m.Run()
}

// buildBoth builds the shipped widget into dist and the test-clock one into
// distTC, at the same time: the two go builds share the build cache and the
// machine's cores, and the run starts sooner.
func buildBoth(root, dist, distTC string) error {
	builds := []distbuild.Options{
		{Root: root, Out: dist, Version: "e2e", NoCompress: true},
		{Root: root, Out: distTC, Version: "e2e-testclock", NoCompress: true, Tags: []string{distbuild.TestClockTag}},
	}
	errs := make([]error, len(builds))
	var wg sync.WaitGroup
	for i, o := range builds {
		wg.Go(func() {
			start := time.Now()
			res, err := distbuild.Build(o)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", filepath.Base(o.Out), err)
				return
			}
			fmt.Fprintf(os.Stderr, "e2e: built %s/%s (%d KiB) in %v\n", filepath.Base(o.Out), res.WasmName, res.WasmSize>>10, time.Since(start).Round(time.Millisecond))
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// world is the test HTTP world: two servers with the same handler, so that
// the page of one can embed the widget from the other (127.0.0.1 and
// localhost are different origins). Each serves the product's server.New
// handler, except /t/… which serves the pages tests register, and
// /widget-tc/…, which serves the test-clock build as /widget/… is served.
// Both builds' handlers serve the trigger sets of one MemorySets.
type world struct {
	sets *server.MemorySets
	a, b *httptest.Server
	tc   http.Handler // server.New on the test-clock build

	mu    sync.Mutex
	pages map[string]servedPage // by path
	log   []request
}

type servedPage struct {
	contentType string
	body        string
	handler     http.Handler // serves the path itself when set (serveHandler)
}

type request struct {
	server string // "a" or "b"
	path   string
	origin string // the Origin header, if any
	cookie string // the Cookie header, if any
}

// tcPrefix is where the world serves the test-clock build.
const tcPrefix = "/widget-tc/"

func newWorld(dist, distTC string) (*world, error) {
	sets := server.NewMemorySets()
	srv, err := server.New(server.Config{Dist: os.DirFS(dist), Sets: sets})
	if err != nil {
		return nil, err
	}
	tc, err := server.New(server.Config{Dist: os.DirFS(distTC), Sets: sets})
	if err != nil {
		return nil, err
	}
	w := &world{sets: sets, tc: tc, pages: map[string]servedPage{}}
	w.a = httptest.NewServer(w.handler("a", srv))
	w.b = httptest.NewServer(w.handler("b", srv))
	return w, nil
}

func (w *world) close() {
	w.a.Close()
	w.b.Close()
}

func (w *world) handler(name string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.log = append(w.log, request{server: name, path: r.URL.Path, origin: r.Header.Get("Origin"), cookie: r.Header.Get("Cookie")})
		p, ok := w.pages[r.URL.Path]
		w.mu.Unlock()
		if rest, ok := strings.CutPrefix(r.URL.Path, tcPrefix); ok {
			// The product serves a dist at /widget/ only; widget.js finds
			// the wasm and the avatars next to itself, so they follow.
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = "/widget/"+rest, ""
			w.tc.ServeHTTP(rw, r2)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/t/") {
			next.ServeHTTP(rw, r)
			return
		}
		if !ok {
			http.NotFound(rw, r)
			return
		}
		if p.handler != nil {
			p.handler.ServeHTTP(rw, r)
			return
		}
		rw.Header().Set("Content-Type", p.contentType)
		rw.Header().Set("Cache-Control", "no-store")
		_, _ = rw.Write([]byte(p.body))
	})
}

// requests returns the paths server ("a" or "b") was asked for that start
// with prefix.
func (w *world) requests(server, prefix string) []request {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []request
	for _, r := range w.log {
		if r.server == server && strings.HasPrefix(r.path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// serve registers a resource at path (which must start with /t/).
func (w *world) serve(t *testing.T, path, contentType, body string) {
	t.Helper()
	if !strings.HasPrefix(path, "/t/") {
		t.Fatalf("test pages live under /t/, not %q", path)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.pages[path]; dup {
		t.Fatalf("page %s registered twice", path)
	}
	w.pages[path] = servedPage{contentType: contentType, body: body}
}

// serveHandler registers a handler for path (which must start with /t/),
// for a resource a test shapes itself: its headers, its timing, its size.
func (w *world) serveHandler(t *testing.T, path string, h http.Handler) {
	t.Helper()
	if !strings.HasPrefix(path, "/t/") {
		t.Fatalf("test pages live under /t/, not %q", path)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.pages[path]; dup {
		t.Fatalf("page %s registered twice", path)
	}
	w.pages[path] = servedPage{handler: h}
}

// publish makes set the property's published trigger set, served from
// the next request on, as the admin's publishing would.
func (w *world) publish(t *testing.T, property, set string) {
	t.Helper()
	w.sets.Put(property, []byte(set))
}

// closedPortURL returns a URL on 127.0.0.1 where nothing listens.
func closedPortURL(t *testing.T, path string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + path
}
