package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// Trigger sets used by the tests.
const (
	goodSet = `{"version":1,"property":"acme","triggers":[
  {"id":"welcome","type":"site","delay":5,"message":{"text":"Hi"},"agent":{"name":"Apollo","image":"avatars/robot.svg"}}]}`
	goodSet2 = `{"version":1,"property":"acme","triggers":[
  {"id":"welcome","type":"site","delay":7,"message":{"text":"Hello again"},"agent":{"name":"Apollo"}}]}`
	// brokenTriggerSet parses, but trigger "broken" breaks the delay limit.
	brokenTriggerSet = `{"version":1,"property":"acme","triggers":[
  {"id":"welcome","type":"site","delay":5,"message":{"text":"Hi"},"agent":{"name":"Apollo"}},
  {"id":"broken","type":"site","delay":99999,"message":{"text":"Hi"},"agent":{"name":"Apollo"}}]}`
	notJSON      = `{"version":1,"property":"acme","triggers":[{"id":"x",}]}`
	wrongVersion = `{"version":2,"property":"acme","triggers":[]}`
)

// testDist is a built widget with precompressed siblings for widget.js.
func testDist() fstest.MapFS {
	return fstest.MapFS{
		"widget.js":            {Data: []byte("/* widget.js identity */")},
		"widget.js.br":         {Data: []byte("BROTLI(widget.js)")},
		"widget.js.gz":         {Data: []byte("GZIP(widget.js)")},
		"widget.wasm":          {Data: []byte("\x00asm plain")},
		"widget.3f9a1c2b.wasm": {Data: []byte("\x00asm hashed")},
		"widget.d.ts":          {Data: []byte("export {};")},
		"avatars/robot.svg":    {Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
		".secret":              {Data: []byte("hidden")},
	}
}

func testSite() fstest.MapFS {
	return fstest.MapFS{
		"index.html":      {Data: []byte("<h1>home</h1>")},
		"pricing.html":    {Data: []byte("<h1>pricing</h1>")},
		"app.html":        {Data: []byte("<h1>app</h1>")},
		"404.html":        {Data: []byte("<h1>custom 404</h1>")},
		"docs/index.html": {Data: []byte("<h1>docs</h1>")},
		"assets/site.css": {Data: []byte("body{}")},
	}
}

// logBuffer collects JSON log records; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the logged records as maps.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		out = append(out, rec)
	}
	return out
}

// find returns the records whose attributes include all of want.
func (b *logBuffer) find(t *testing.T, want map[string]any) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, rec := range b.records(t) {
		ok := true
		for k, v := range want {
			if rec[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type fixture struct {
	srv  *Server
	sets *MemorySets
	logs *logBuffer
}

// newFixture starts a server whose MemorySets publishes sets
// (id → contents).
func newFixture(t *testing.T, sets map[string]string) *fixture {
	t.Helper()
	mem := NewMemorySets()
	for id, data := range sets {
		mem.Put(id, []byte(data))
	}
	return newFixtureWith(t, Config{Sets: mem}, mem)
}

// newFixtureWith starts a server of cfg with the test Dist, Site and a
// logger filled in; mem is cfg.Sets when it is a MemorySets, or nil.
func newFixtureWith(t *testing.T, cfg Config, mem *MemorySets) *fixture {
	t.Helper()
	logs := &logBuffer{}
	cfg.Dist, cfg.Site = testDist(), testSite()
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return &fixture{srv: srv, sets: mem, logs: logs}
}

// do sends one request to h and returns the recorded response.
func do(t *testing.T, h http.Handler, method, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// errorBody decodes a {"error": …} body.
func errorBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("error Content-Type = %q, want JSON", ct)
	}
	var e struct{ Error string }
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error == "" {
		t.Fatalf("body is not {\"error\": …}: %v", err)
	}
	return e.Error
}

func TestWidgetFiles(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	const short = "public, max-age=300"
	const immutable = "public, max-age=31536000, immutable"
	tests := []struct {
		path, contentType, cacheControl, body string
	}{
		{"/widget/widget.js", "text/javascript; charset=utf-8", short, "/* widget.js identity */"},
		{"/widget/widget.wasm", "application/wasm", short, "\x00asm plain"},
		{"/widget/widget.3f9a1c2b.wasm", "application/wasm", immutable, "\x00asm hashed"},
		{"/widget/widget.d.ts", "text/plain; charset=utf-8", short, "export {};"},
		{"/widget/avatars/robot.svg", "image/svg+xml", short, "<svg xmlns='http://www.w3.org/2000/svg'/>"},
		{"/p/acme/avatars/robot.svg", "image/svg+xml", short, "<svg xmlns='http://www.w3.org/2000/svg'/>"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "GET", tt.path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status = %d, want 200", resp.StatusCode)
			}
			for k, want := range map[string]string{
				"Content-Type":                 tt.contentType,
				"Cache-Control":                tt.cacheControl,
				"Access-Control-Allow-Origin":  "*",
				"Cross-Origin-Resource-Policy": "cross-origin",
				"X-Content-Type-Options":       "nosniff",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if resp.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			if got := body(t, resp); got != tt.body {
				t.Errorf("body = %q, want %q", got, tt.body)
			}
		})
	}
}

func TestWidgetNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	for _, path := range []string{
		"/widget/", "/widget/nope.js", "/widget/avatars", "/widget/.secret",
		"/widget/../go.mod", "/widget/..%2fgo.mod", "/widget/avatars/..%2f..%2fwidget.js",
		"/p/acme/avatars/nope.svg", "/p/acme/avatars/..%2fwidget.js", "/p/acme/avatars/.secret",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "GET", path, nil)
			if resp.StatusCode != 404 {
				t.Errorf("status = %d, want 404", resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
			}
		})
	}
}

func TestWidgetEncodingNegotiation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	tests := []struct {
		name, path, acceptEncoding string
		wantEncoding, wantBody     string
		wantVary                   bool
	}{
		{"br", "/widget/widget.js", "br", "br", "BROTLI(widget.js)", true},
		{"gzip", "/widget/widget.js", "gzip", "gzip", "GZIP(widget.js)", true},
		{"br preferred over gzip", "/widget/widget.js", "gzip, deflate, br", "br", "BROTLI(widget.js)", true},
		{"br refused with q=0", "/widget/widget.js", "br;q=0, gzip", "gzip", "GZIP(widget.js)", true},
		{"x-gzip", "/widget/widget.js", "x-gzip", "gzip", "GZIP(widget.js)", true},
		{"wildcard", "/widget/widget.js", "*", "br", "BROTLI(widget.js)", true},
		{"none", "/widget/widget.js", "", "", "/* widget.js identity */", true},
		{"identity only", "/widget/widget.js", "identity", "", "/* widget.js identity */", true},
		{"all refused", "/widget/widget.js", "br;q=0, gzip;q=0", "", "/* widget.js identity */", true},
		{"no sibling", "/widget/widget.wasm", "br, gzip", "", "\x00asm plain", false},
	}
	etags := map[string]string{} // encoding → ETag of widget.js
	var mu sync.Mutex
	t.Cleanup(func() {
		if len(etags) == 3 && (etags[""] == etags["br"] || etags["br"] == etags["gzip"] || etags[""] == etags["gzip"]) {
			t.Errorf("encodings share an ETag: %v", etags)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "GET", tt.path, map[string]string{"Accept-Encoding": tt.acceptEncoding})
			if got := resp.Header.Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding = %q, want %q", got, tt.wantEncoding)
			}
			if got := body(t, resp); got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
			if got := resp.Header.Get("Vary") == "Accept-Encoding"; got != tt.wantVary {
				t.Errorf("Vary = %q, want Accept-Encoding: %v", resp.Header.Get("Vary"), tt.wantVary)
			}
			if want := contentType(tt.path); resp.Header.Get("Content-Type") != want {
				t.Errorf("Content-Type = %q, want the original file's %q", resp.Header.Get("Content-Type"), want)
			}
			if tt.path == "/widget/widget.js" {
				mu.Lock()
				etags[tt.wantEncoding] = resp.Header.Get("ETag")
				mu.Unlock()
			}
		})
	}
}

func TestETagRevalidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	for _, tt := range []struct{ path, acceptEncoding string }{
		{"/widget/widget.js", ""},
		{"/widget/widget.js", "br"},
		{"/widget/widget.3f9a1c2b.wasm", ""},
		{"/p/acme/triggers.json", ""},
	} {
		t.Run(tt.path+" "+tt.acceptEncoding, func(t *testing.T) {
			t.Parallel()
			hdr := map[string]string{"Accept-Encoding": tt.acceptEncoding}
			first := do(t, f.srv, "GET", tt.path, hdr)
			etag := first.Header.Get("ETag")
			if first.StatusCode != 200 || !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) {
				t.Fatalf("first GET: status %d, ETag %q; want 200 and a strong ETag", first.StatusCode, etag)
			}
			hdr["If-None-Match"] = etag
			again := do(t, f.srv, "GET", tt.path, hdr)
			if again.StatusCode != http.StatusNotModified {
				t.Fatalf("If-None-Match: status = %d, want 304", again.StatusCode)
			}
			if b := body(t, again); b != "" {
				t.Errorf("304 body = %q, want empty", b)
			}
			if again.Header.Get("ETag") != etag {
				t.Errorf("304 ETag = %q, want %q", again.Header.Get("ETag"), etag)
			}
			hdr["If-None-Match"] = `"stale"`
			if resp := do(t, f.srv, "GET", tt.path, hdr); resp.StatusCode != 200 {
				t.Errorf("stale If-None-Match: status = %d, want 200", resp.StatusCode)
			}
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	for _, path := range []string{"/widget/widget.js", "/widget/widget.3f9a1c2b.wasm", "/p/acme/triggers.json", "/p/unknown/triggers.json"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "OPTIONS", path, map[string]string{
				"Origin":                         "https://shop.example",
				"Access-Control-Request-Method":  "GET",
				"Access-Control-Request-Headers": "if-none-match",
			})
			if resp.StatusCode != http.StatusNoContent {
				t.Errorf("status = %d, want 204", resp.StatusCode)
			}
			for k, want := range map[string]string{
				"Access-Control-Allow-Origin":  "*",
				"Access-Control-Allow-Headers": "if-none-match",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if m := resp.Header.Get("Access-Control-Allow-Methods"); !strings.Contains(m, "GET") {
				t.Errorf("Access-Control-Allow-Methods = %q, want GET in it", m)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	for _, path := range []string{"/widget/widget.js", "/p/acme/triggers.json", "/", "/healthz"} {
		resp := do(t, f.srv, "POST", path, nil)
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") == "" {
			t.Errorf("POST %s: status %d, Allow %q; want 405 with Allow", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

func TestTriggersJSON(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	resp := do(t, f.srv, "GET", "/p/acme/triggers.json", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Type":                 "application/json; charset=utf-8",
		"Cache-Control":                "public, max-age=60, must-revalidate",
		"Access-Control-Allow-Origin":  "*",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"X-Content-Type-Options":       "nosniff",
		"ETag":                         strongETag([]byte(goodSet)),
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := body(t, resp); got != goodSet {
		t.Errorf("body = %q, want the file as is", got)
	}
	head := do(t, f.srv, "HEAD", "/p/acme/triggers.json", nil)
	if head.StatusCode != 200 || body(t, head) != "" {
		t.Errorf("HEAD: status %d, want 200 and no body", head.StatusCode)
	}
}

func TestTriggersJSONGzip(t *testing.T) {
	t.Parallel()
	// A set over gzipMin bytes: pad the trigger's name.
	big := strings.Replace(goodSet, `"type":"site"`, `"name":"`+strings.Repeat("n", 90)+`","type":"site"`, 1)
	big = strings.Replace(big, `"Hi"`, `"`+strings.Repeat("Hello there. ", 70)+`"`, 1)
	if len(big) < gzipMin {
		t.Fatalf("fixture is %d bytes, want at least %d", len(big), gzipMin)
	}
	f := newFixture(t, map[string]string{"acme": big})
	plain := do(t, f.srv, "GET", "/p/acme/triggers.json", nil)
	gz := do(t, f.srv, "GET", "/p/acme/triggers.json", map[string]string{"Accept-Encoding": "gzip, br"})
	if gz.Header.Get("Content-Encoding") != "gzip" || gz.Header.Get("Vary") != "Accept-Encoding" {
		t.Fatalf("Content-Encoding %q, Vary %q; want gzip, Accept-Encoding", gz.Header.Get("Content-Encoding"), gz.Header.Get("Vary"))
	}
	if plain.Header.Get("ETag") == gz.Header.Get("ETag") {
		t.Errorf("gzip and identity share ETag %s", plain.Header.Get("ETag"))
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil || string(got) != big || body(t, plain) != big {
		t.Errorf("decompressed body differs from the file (err %v)", err)
	}
}

func TestTriggersJSONNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	tests := []struct{ path, wantInError string }{
		{"/p/unknown/triggers.json", `no trigger set is published for property "unknown"`},
		{"/p/acme/other.json", "not found"},
		{"/p/acme/", "not found"},
		{"/p/acme", "not found"},
		{"/p/", "not a valid property id"},
		{"/p/acme/triggers.json/x", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "GET", tt.path, nil)
			if resp.StatusCode != 404 {
				t.Errorf("status = %d, want 404", resp.StatusCode)
			}
			if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin = %q, want * (so the widget can read the error)", got)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if msg := errorBody(t, resp); !strings.Contains(msg, tt.wantInError) {
				t.Errorf("error = %q, want it to contain %q", msg, tt.wantInError)
			}
		})
	}
}

// TestPathTraversal goes through a real listener so that the paths reach
// the server exactly as written, not as httptest.NewRequest parses them.
func TestPathTraversal(t *testing.T) {
	t.Parallel()
	// The source publishes under ids that the server must never ask for:
	// reachable only if ids were not checked.
	sets := NewMemorySets()
	for _, id := range []string{"acme", ".hidden", "..", ".", "../secret", "..\\secret", "a\x00", "acme\x00", "acme/triggers.json"} {
		sets.Put(id, []byte(goodSet))
	}
	srv, err := New(Config{Dist: testDist(), Site: testSite(), Sets: sets})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	for _, path := range []string{
		"/p/..%2f..%2fetc/triggers.json",
		"/p/..%2fsecret/triggers.json",
		"/p/../secret/triggers.json",
		"/p/%2e%2e%2fsecret/triggers.json",
		"/p/..%5csecret/triggers.json",
		"/p/a%00/triggers.json",
		"/p/acme%00/triggers.json",
		"/p/.hidden/triggers.json",
		"/p/./triggers.json",
		"/p/../triggers.json",
		"/p/acme%2ftriggers.json",
		"/p/acme/..%2f..%2fsecret.json",
		"/widget/..%2f..%2fprops/acme.json",
		"/..%2fprops/acme.json",
		"/%2e%2e/props/acme.json",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest("GET", ts.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b := body(t, resp)
			if resp.StatusCode != 404 {
				t.Errorf("status = %d, want 404", resp.StatusCode)
			}
			if strings.Contains(b, `"version"`) {
				t.Errorf("body leaks a trigger set: %q", b)
			}
		})
	}
}

func TestSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	tests := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/", 200, "<h1>home</h1>"},
		{"/index.html", 200, "<h1>home</h1>"},
		{"/pricing.html", 200, "<h1>pricing</h1>"},
		{"/pricing", 200, "<h1>pricing</h1>"},
		{"/docs/", 200, "<h1>docs</h1>"},
		{"/app", 200, "<h1>app</h1>"},
		{"/app/", 200, "<h1>app</h1>"},
		{"/app/orders", 200, "<h1>app</h1>"},
		{"/app/orders/42?tab=items", 200, "<h1>app</h1>"},
		{"/assets/site.css", 200, "body{}"},
		{"/nope", 404, "<h1>custom 404</h1>"},
		{"/application", 404, "<h1>custom 404</h1>"},
		{"/assets/", 404, "<h1>custom 404</h1>"},
		{"/.git/config", 404, "<h1>custom 404</h1>"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			resp := do(t, f.srv, "GET", tt.path, nil)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if got := body(t, resp); got != tt.wantBody {
				t.Errorf("body = %q, want %q", got, tt.wantBody)
			}
			for k, want := range map[string]string{
				"Cache-Control":          "no-cache",
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "strict-origin-when-cross-origin",
				"Content-Type":           "text/html; charset=utf-8",
			} {
				if strings.HasSuffix(tt.path, ".css") && k == "Content-Type" {
					want = "text/css; charset=utf-8"
				}
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
	t.Run("directory redirect", func(t *testing.T) {
		t.Parallel()
		resp := do(t, f.srv, "GET", "/docs?x=1", nil)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/docs/?x=1" {
			t.Errorf("status %d, Location %q; want 301 to /docs/?x=1", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestSiteWithout404Page(t *testing.T) {
	t.Parallel()
	srv, err := New(Config{Dist: testDist(), Sets: NewMemorySets()}) // no Site at all
	if err != nil {
		t.Fatal(err)
	}
	resp := do(t, srv, "GET", "/", nil)
	if resp.StatusCode != 404 || !strings.Contains(body(t, resp), "404") {
		t.Errorf("status = %d, want 404 with the built-in page", resp.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	resp := do(t, f.srv, "GET", "/healthz", nil)
	if b := strings.TrimSpace(body(t, resp)); resp.StatusCode != 200 || b != `{"status":"ok"}` {
		t.Errorf("status %d %s; want 200 {\"status\":\"ok\"}", resp.StatusCode, b)
	}
}

func TestRequestsLoggedAtDebug(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	do(t, f.srv, "GET", "/healthz", nil)
	recs := f.logs.find(t, map[string]any{"msg": "request", "path": "/healthz"})
	if len(recs) != 1 || recs[0]["level"] != "DEBUG" || recs[0]["status"] != float64(200) {
		t.Errorf("want one DEBUG request record with status 200, got %v", recs)
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		cfg  Config
		want string
	}{
		"no dist": {Config{Sets: NewMemorySets()}, "Config.Dist"},
		"no sets": {Config{Dist: testDist()}, "Config.Sets"},
	} {
		if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New: %v, want an error naming %s", name, err, tt.want)
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"", "br", false},
		{"br", "br", true},
		{"BR", "br", true},
		{"gzip, deflate, br, zstd", "br", true},
		{"gzip;q=0.5, br;q=0", "br", false},
		{"gzip;q=0.5, br;q=0", "gzip", true},
		{"*", "gzip", true},
		{"*;q=0", "gzip", false},
		{"br;q=0, *", "br", false},
		{"gzip;q=bogus", "gzip", false},
		{"identity", "gzip", false},
		{"br;q=0.5", "br", true},
		{"br; q=0.000", "br", false},
		{"gzip, deflate", "br", false},
		{"brotli", "br", false},
	}
	for _, tt := range tests {
		if got := AcceptsEncoding(tt.header, tt.coding); got != tt.want {
			t.Errorf("AcceptsEncoding(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestDistCacheControl(t *testing.T) {
	t.Parallel()
	const immutable = "public, max-age=31536000, immutable"
	for name, want := range map[string]string{
		"widget.3f9a1c2b.wasm":             immutable,
		"widget.3F9A1C2B0011.js":           immutable,
		"avatars/robot.0123abcd.svg":       immutable,
		"widget.js":                        "public, max-age=300",
		"widget.wasm":                      "public, max-age=300",
		"widget.3f9a1c2.wasm":              "public, max-age=300", // 7 digits
		"widget.3f9a1c2g.wasm":             "public, max-age=300", // not hex
		"3f9a1c2b.wasm":                    "public, max-age=300", // not between dots
		"widget.d.ts":                      "public, max-age=300",
		"widget.3f9a1c2b.wasm.br":          immutable,
		"dir.3f9a1c2b.x/widget.js":         "public, max-age=300",
		"avatars/robot.svg":                "public, max-age=300",
		"widget.deadbeefdeadbeef.wasm.map": immutable,
	} {
		if got := distCacheControl(name); got != want {
			t.Errorf("distCacheControl(%q) = %q, want %q", name, got, want)
		}
	}
}
