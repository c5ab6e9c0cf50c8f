// Package server is widgetd's HTTP layer: it serves the built widget, each
// property's published trigger set, and the demo site, and hands the
// admin's paths to the admin's handler. It is native Go and never part of
// the wasm binary.
//
// Routes:
//
//	/widget/…                       files of Config.Dist (widget.js, the wasm, avatars, …)
//	/p/{PROPERTY_ID}/triggers.json  the property's published trigger set, from Config.Sets
//	/p/{PROPERTY_ID}/avatars/{name} Dist's avatars/ (the documented example's "avatars/robot.svg" is
//	                                relative to the trigger set's URL)
//	/healthz                        200 {"status":"ok"}, or 503 when the database does not answer (ops.go)
//	/admin, /admin/…, /api/…, /u/…  Config.Admin, any method (when it is nil: the site, as below)
//	everything else                 the static site of Config.Site
//
// Decisions:
//
//   - Routing is a plain switch on the path prefix, not http.ServeMux: the
//     mux cleans and 301-redirects paths such as /p/..%2fetc/triggers.json,
//     and we want every hostile path to end in a plain 404 that the tests can
//     assert. A property id is one path segment, unescaped, and must match
//     [A-Za-z0-9_.-]{1,64} without a leading '.'; files are opened through
//     io/fs, whose ValidPath refuses "..", so nothing escapes Dist or Site
//     by name; widgetd gives Dist and Site as os.Root file systems, so
//     nothing escapes them by a symbolic link either (a link out is 404).
//   - Byte ranges. Every file route (widget files, trigger sets, the site,
//     and the admin's uploads through ServeContent) honours at most
//     MaxRanges ranges in one Range header and answers 416 to more, with
//     Content-Range: bytes */SIZE and none of the file: a list of many
//     small or overlapping ranges only makes a server send more than the
//     file.
//   - Errors repeat nothing of a request that failed the checks (an
//     invalid property id is not quoted).
//   - Widget files. A precompressed sibling (X.br, then X.gz) is served when
//     Accept-Encoding allows it (q > 0), with Content-Encoding, the original
//     file's Content-Type and Vary: Accept-Encoding (Vary is also sent on the
//     identity response whenever a sibling exists, so shared caches keep the
//     variants apart). A name with a content hash (8+ hex digits between
//     dots, e.g. widget.3f9a1c2b.wasm) is immutable for a year; any other name
//     (widget.js, widget.wasm, avatars) gets max-age=300 so a release reaches
//     visitors within five minutes, and a strong ETag (SHA-256 of the served
//     bytes, so each encoding has its own) for cheap 304 revalidation.
//     Everything under /widget/ and /p/ carries Access-Control-Allow-Origin: *
//     (the widget runs on other origins and never sends credentials) and
//     Cross-Origin-Resource-Policy: cross-origin; OPTIONS preflights get 204.
//   - Trigger sets. Config.Sets (a SetSource) is asked on every request, so
//     a set it publishes is served from the next request on, with its new
//     ETag; keeping that cheap (a cache) is the source's business, and a
//     Published carries the ETag, the gzip copy and their header values
//     precomputed, so serving one costs no hashing or compression, and its
//     headers are assigned without allocating. Cache-Control: public,
//     max-age=60, must-revalidate: a site owner's change (or an emergency
//     "disable this trigger") reaches every visitor within a minute, a
//     browser re-checks with If-None-Match and usually gets a body-less 304,
//     and must-revalidate forbids caches from serving a stale set past that
//     minute. Sets of 1 KiB or more are also offered gzipped when that is
//     smaller (NewPublished compresses once). The bytes are served as
//     published: the server neither parses nor validates them. Whoever
//     publishes does (the admin refuses an invalid set and publishes the
//     canonical form of what it stored), and the browser runtime copes
//     with anything it receives.
//   - Errors of the source. store.NotFound is 404 {"error": "no trigger set
//     is published for property X"}; any other error is logged and answers
//     500 with a message that names only the property, since the error's
//     text (paths, queries) is for the operator. Every error answer is JSON
//     with Cache-Control: no-store, so a set published a moment later is
//     not hidden by a cached error.
//   - Admin. Config.Admin, when set, receives every request under /admin,
//     /api/ and /u/ whatever its method: it checks methods, CSRF and
//     authentication itself, and this package adds nothing but nosniff (no
//     CORS headers: those paths are for the admin's own origin). When nil,
//     those paths are ordinary site paths.
//   - Site. index.html for directories, NAME.html for an extension-less
//     NAME, app.html for /app and anything under /app/ that is not a file
//     (the demo's single-page app), 404.html (or a built-in page) with status
//     404 otherwise. Cache-Control: no-cache with an ETag: the demo site is
//     edited live. No Content-Security-Policy: the demo stands for an
//     integrator's page, whose CSP is the integrator's choice.
//   - Every response has X-Content-Type-Options: nosniff and an
//     X-Request-Id (ops.go, with /healthz and the logs' request ids); site pages also
//     Referrer-Policy: strict-origin-when-cross-origin. Outside the admin's
//     paths, only GET and HEAD (and OPTIONS under /widget/ and /p/) are
//     allowed; anything else is 405. Requests are logged at Debug level only.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Config is what a Server serves. Tests build it with fstest.MapFS or
// os.DirFS and a MemorySets.
type Config struct {
	// Dist holds the built widget (`make build` leaves it in dist/):
	// widget.js, the wasm, widget.d.ts, avatars/*.svg and precompressed
	// .br/.gz siblings. Required.
	Dist fs.FS
	// Site is the static demo site. Nil serves no site (every page is 404).
	Site fs.FS
	// Sets gives each property's published trigger set. Required.
	Sets SetSource
	// Admin, when set, serves /admin, /admin/…, /api/… and /u/… (any
	// method). Nil leaves those paths to the site.
	Admin http.Handler
	// Logger receives the failures of Sets and, at Debug level, one line
	// per request. Nil discards.
	Logger *slog.Logger
	// Health, when set, is asked by /healthz whether the database
	// answers (a store's Ping).
	Health func(ctx context.Context) error
}

// Server is widgetd's http.Handler. It is safe for concurrent use.
type Server struct {
	log    *slog.Logger
	dist   *files
	site   *files
	sets   SetSource
	admin  http.Handler // nil: no admin
	health func(ctx context.Context) error
}

// New checks cfg and returns the server.
func New(cfg Config) (*Server, error) {
	if cfg.Dist == nil {
		return nil, errors.New("server: Config.Dist is nil (the built widget, see `make build`)")
	}
	if cfg.Sets == nil {
		return nil, errors.New("server: Config.Sets is nil (the source of published trigger sets)")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	site := cfg.Site
	if site == nil {
		site = emptyFS{}
	}
	s := &Server{
		log:    log,
		dist:   newFiles(cfg.Dist),
		site:   newFiles(site),
		sets:   cfg.Sets,
		admin:  cfg.Admin,
		health: cfg.Health,
	}
	return s, nil
}

// ServeHTTP routes a request; see the package documentation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := requestID(r)
	w.Header().Set(RequestIDHeader, id)
	r = r.WithContext(WithRequestID(r.Context(), id))
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", time.Since(start)))
		}()
		w = sw
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	path := r.URL.Path
	switch {
	case s.admin != nil && isAdminPath(path):
		s.admin.ServeHTTP(w, r)
	case path == "/healthz":
		s.serveHealth(w, r)
	case strings.HasPrefix(path, "/widget/"):
		s.serveWidget(w, r)
	case strings.HasPrefix(path, "/p/"):
		s.serveProperty(w, r)
	default:
		s.serveSite(w, r)
	}
}

// isAdminPath reports whether path belongs to the admin: /admin and
// everything under it, /api/… and /u/… (but not /administrator or /api).
func isAdminPath(path string) bool {
	return path == "/admin" || strings.HasPrefix(path, "/admin/") ||
		strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/u/")
}

// serveWidget serves /widget/NAME from Dist.
func (s *Server) serveWidget(w http.ResponseWriter, r *http.Request) {
	setCrossOrigin(w.Header())
	if r.Method == http.MethodOptions {
		preflight(w, r)
		return
	}
	if !allowMethod(w, r, true) {
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/widget/")
	if !s.dist.serve(w, r, name, distCacheControl(name), true) {
		http.Error(w, "404 page not found", http.StatusNotFound)
	}
}

// serveProperty serves /p/{id}/triggers.json and /p/{id}/avatars/{name}.
func (s *Server) serveProperty(w http.ResponseWriter, r *http.Request) {
	// This is the path of every visitor's trigger set: the headers are
	// assigned without allocating (see encodingHeaders in sets.go), and
	// the path is split without building a slice.
	h := w.Header()
	h["Access-Control-Allow-Origin"] = hdrAnyOrigin
	h["Cross-Origin-Resource-Policy"] = hdrCrossOrigin
	h["Access-Control-Expose-Headers"] = hdrExposeETag
	if r.Method == http.MethodOptions {
		preflight(w, r)
		return
	}
	if !allowMethod(w, r, true) {
		return
	}
	// Split the escaped path so that an encoded slash stays inside its
	// segment (and then fails the id check) instead of becoming a separator.
	// Only the first three segments are kept (no route has more), but
	// every one must unescape.
	var segs [3]string
	n := 0
	for seg := range strings.SplitSeq(strings.TrimPrefix(r.URL.EscapedPath(), "/p/"), "/") {
		u, err := url.PathUnescape(seg)
		if err != nil {
			writeJSONError(w, http.StatusNotFound, "not found")
			return
		}
		if n < len(segs) {
			segs[n] = u
		}
		n++
	}
	id := segs[0]
	if !validPropertyID(id) {
		// Not quoted: whatever the request sent is not repeated back.
		writeJSONError(w, http.StatusNotFound, "not a valid property id (1 to 64 letters, digits, '-', '_' or '.', not starting with '.')")
		return
	}
	switch {
	case n == 2 && segs[1] == "triggers.json":
		s.serveTriggers(w, r, id)
	case n == 3 && segs[1] == "avatars" && validFileName(segs[2]):
		name := "avatars/" + segs[2]
		if !s.dist.serve(w, r, name, distCacheControl(name), true) {
			writeJSONError(w, http.StatusNotFound, "no standard avatar "+quoteForError(segs[2]))
		}
	default:
		writeJSONError(w, http.StatusNotFound, "not found")
	}
}

// writeJSONError answers {"error": msg}. Errors are never cached: the next
// request may find a set that was just published.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Del("ETag")
	h.Del("Content-Encoding")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{msg})
}

// setCrossOrigin marks a response as usable by pages of any origin.
func setCrossOrigin(h http.Header) {
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
}

// preflight answers a CORS preflight. Nothing here takes credentials, so
// any requested header may be sent.
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h.Set("Access-Control-Allow-Headers", req)
	}
	h.Set("Access-Control-Max-Age", "86400")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// allowMethod lets GET and HEAD through and answers 405 to anything else.
func allowMethod(w http.ResponseWriter, r *http.Request, withOptions bool) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	allow := "GET, HEAD"
	if withOptions {
		allow += ", OPTIONS"
	}
	w.Header().Set("Allow", allow)
	http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
	return false
}

// validPropertyID reports whether id may name a property: the trigger-set
// id alphabet [A-Za-z0-9_.-], 1 to 64 bytes, not starting with '.' (so
// ".", ".." and hidden or temporary files are never reachable).
func validPropertyID(id string) bool {
	return widget.ValidID(id) && id[0] != '.'
}

// validFileName reports whether name is one safe path segment.
func validFileName(name string) bool {
	if name == "" || name[0] == '.' || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// quoteForError quotes untrusted input for an error message, shortened.
func quoteForError(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// statusWriter records the status and size of a response for the debug log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// emptyFS is the Site of a server configured without one.
type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}
