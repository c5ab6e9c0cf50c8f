package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// sourceFunc is a SetSource made of a function.
type sourceFunc func(ctx context.Context, id string) (*Published, error)

func (f sourceFunc) PublishedSet(ctx context.Context, id string) (*Published, error) {
	return f(ctx, id)
}

// TestSetsServedAsPublished: the server neither parses nor validates a set,
// and logs nothing about its contents; whoever publishes decides.
func TestSetsServedAsPublished(t *testing.T) {
	t.Parallel()
	sets := map[string]string{
		"broken":  brokenTriggerSet,
		"notjson": notJSON,
		"v2":      wrongVersion,
		"other":   goodSet, // names property "acme"
		"empty":   "",
	}
	f := newFixture(t, sets)
	for id, want := range sets {
		resp := do(t, f.srv, "GET", "/p/"+id+"/triggers.json", nil)
		if resp.StatusCode != 200 || resp.Header.Get("ETag") != strongETag([]byte(want)) {
			t.Errorf("%s: status %d, ETag %q; want 200 and the ETag of the bytes", id, resp.StatusCode, resp.Header.Get("ETag"))
		}
		if got := body(t, resp); got != want {
			t.Errorf("%s: body = %q, want the bytes as put", id, got)
		}
	}
	for _, rec := range f.logs.records(t) {
		if rec["level"] != "DEBUG" {
			t.Errorf("logged %v; want request lines only", rec)
		}
	}
}

func TestPutServesNewSetAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	get := func(hdr map[string]string) (status int, etag, b string) {
		t.Helper()
		resp := do(t, f.srv, "GET", "/p/acme/triggers.json", hdr)
		return resp.StatusCode, resp.Header.Get("ETag"), body(t, resp)
	}
	_, etag1, _ := get(nil)
	f.sets.Put("acme", []byte(goodSet2))
	status, etag2, b := get(nil)
	if status != 200 || b != goodSet2 || etag2 == etag1 || etag2 != strongETag([]byte(goodSet2)) {
		t.Errorf("after Put: status %d, ETag %s, body %q; want the new set with its ETag", status, etag2, b)
	}
	// The old ETag no longer revalidates; the new one does.
	if status, _, b := get(map[string]string{"If-None-Match": etag1}); status != 200 || b != goodSet2 {
		t.Errorf("old ETag: status %d, body %q; want 200 and the new set", status, b)
	}
	if status, _, _ := get(map[string]string{"If-None-Match": etag2}); status != http.StatusNotModified {
		t.Errorf("new ETag: status = %d, want 304", status)
	}

	// Delete unpublishes at once; a new Put publishes again.
	f.sets.Delete("acme")
	resp := do(t, f.srv, "GET", "/p/acme/triggers.json", nil)
	if resp.StatusCode != 404 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("after Delete: status %d, Cache-Control %q; want 404 no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	f.sets.Put("acme", []byte(goodSet))
	if status, etag, _ := get(nil); status != 200 || etag != etag1 {
		t.Errorf("after a new Put: status %d, ETag %s; want 200 %s", status, etag, etag1)
	}
}

func TestSourceErrors(t *testing.T) {
	t.Parallel()
	const secret = "open /var/lib/widgetd/db.sqlite: permission denied"
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantLogged bool
	}{
		{"not found", store.Errorf(store.NotFound, "property %q has no set (%s)", "acme", secret), 404, false},
		{"wrapped not found", fmt.Errorf("cache: %w", store.Wrap(store.NotFound, errors.New(secret), "gone")), 404, false},
		{"plain error", errors.New(secret), 500, true},
		{"coded error", store.Wrap(store.Unavailable, errors.New(secret), "storage is read-only: "+secret), 500, true},
		{"neither set nor error", nil, 500, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var asked []string
			var mu sync.Mutex
			src := sourceFunc(func(ctx context.Context, id string) (*Published, error) {
				if ctx == nil {
					t.Error("nil context")
				}
				mu.Lock()
				asked = append(asked, id)
				mu.Unlock()
				return nil, tt.err
			})
			f := newFixtureWith(t, Config{Sets: src}, nil)
			resp := do(t, f.srv, "GET", "/p/acme/triggers.json", nil)
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			for k, want := range map[string]string{
				"Cache-Control":               "no-store",
				"Access-Control-Allow-Origin": "*",
				"X-Content-Type-Options":      "nosniff",
				"ETag":                        "",
			} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			msg := errorBody(t, resp)
			if strings.Contains(msg, "sqlite") || strings.Contains(msg, "permission") || strings.Contains(msg, "read-only") {
				t.Errorf("error = %q, leaks the source's error", msg)
			}
			if !strings.Contains(msg, `"acme"`) {
				t.Errorf("error = %q, want it to name the property", msg)
			}
			if len(asked) != 1 || asked[0] != "acme" {
				t.Errorf("source asked for %q, want [acme]", asked)
			}
			logged := f.logs.find(t, map[string]any{"level": "ERROR", "property": "acme"})
			if tt.wantLogged != (len(logged) == 1) {
				t.Errorf("ERROR records %v, want one: %v", logged, tt.wantLogged)
			}
			if tt.wantLogged && tt.err != nil && !strings.Contains(fmt.Sprint(logged[0]["error"]), "permission denied") {
				t.Errorf("logged error = %v, want the source's error for the operator", logged[0]["error"])
			}
		})
	}
}

func TestNewPublished(t *testing.T) {
	t.Parallel()
	small := NewPublished([]byte(goodSet), 7)
	if small.Version != 7 || string(small.Data) != goodSet || small.ETag != strongETag([]byte(goodSet)) {
		t.Errorf("NewPublished = %+v", small)
	}
	if small.Gzip != nil || small.GzipETag != "" {
		t.Errorf("a set under %d bytes is gzipped", gzipMin)
	}
	text := bytes.Repeat([]byte("Hello there. "), gzipMin/10)
	big := NewPublished(text, 1)
	if big.Gzip == nil || big.GzipETag == "" || big.GzipETag == big.ETag || !strings.HasPrefix(big.GzipETag, `"`) || !strings.HasSuffix(big.GzipETag, `-gz"`) {
		t.Errorf("compressible set: Gzip %d bytes, GzipETag %q; want a gzip copy with its own strong ETag", len(big.Gzip), big.GzipETag)
	}
	noise := make([]byte, 4*gzipMin)
	_, _ = rand.Read(noise)
	if p := NewPublished(noise, 1); p.Gzip != nil {
		t.Errorf("incompressible set gzipped to %d bytes (of %d)", len(p.Gzip), len(noise))
	}
}

func TestMemorySets(t *testing.T) {
	t.Parallel()
	m := NewMemorySets()
	ctx := context.Background()
	if _, err := m.PublishedSet(ctx, "acme"); !store.IsCode(err, store.NotFound) {
		t.Errorf("empty: err = %v, want NotFound", err)
	}
	data := []byte(goodSet)
	m.Put("acme", data)
	data[0] = 'X' // Put copied it
	p1, err := m.PublishedSet(ctx, "acme")
	if err != nil || string(p1.Data) != goodSet {
		t.Fatalf("after Put: %v, %v", p1, err)
	}
	m.Put("acme", []byte(goodSet2))
	p2, _ := m.PublishedSet(ctx, "acme")
	if p2.Version <= p1.Version || string(p1.Data) != goodSet {
		t.Errorf("versions %d then %d, first set now %q; want increasing versions and an unchanged first set", p1.Version, p2.Version, p1.Data)
	}
	m.Delete("acme")
	m.Delete("never-put")
	if _, err := m.PublishedSet(ctx, "acme"); !store.IsCode(err, store.NotFound) {
		t.Errorf("after Delete: err = %v, want NotFound", err)
	}
}

// TestConcurrentPut serves while sets are replaced: run with -race.
func TestConcurrentPut(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 50 {
				if i == 0 {
					f.sets.Put("acme", []byte([]string{goodSet, goodSet2}[j%2]))
					continue
				}
				resp := do(t, f.srv, "GET", "/p/acme/triggers.json", nil)
				if b := body(t, resp); resp.StatusCode != 200 || resp.Header.Get("ETag") != strongETag([]byte(b)) {
					t.Errorf("status %d, ETag %q does not match the body", resp.StatusCode, resp.Header.Get("ETag"))
				}
			}
		})
	}
	wg.Wait()
}

func TestAdminRouting(t *testing.T) {
	t.Parallel()
	adminPaths := []string{"/admin", "/admin/", "/admin/x", "/admin/properties/acme/edit", "/api/v1/x", "/api/", "/u/x"}
	notAdmin := []string{"/administrator", "/adminx", "/api", "/apix/v1", "/u", "/user/x", "/", "/healthz", "/p/acme/triggers.json", "/widget/widget.js"}

	t.Run("set", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		var got []string
		admin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			got = append(got, r.Method+" "+r.URL.Path)
			mu.Unlock()
			w.WriteHeader(http.StatusTeapot)
		})
		sets := NewMemorySets()
		sets.Put("acme", []byte(goodSet))
		f := newFixtureWith(t, Config{Sets: sets, Admin: admin}, sets)
		for _, path := range adminPaths {
			for _, method := range []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} {
				mu.Lock()
				got = nil
				mu.Unlock()
				resp := do(t, f.srv, method, path, nil)
				if resp.StatusCode != http.StatusTeapot {
					t.Errorf("%s %s: status = %d, want the admin's 418", method, path, resp.StatusCode)
				}
				if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("%s %s: no nosniff", method, path)
				}
				mu.Lock()
				if want := method + " " + path; len(got) != 1 || got[0] != want {
					t.Errorf("admin received %q, want [%s]", got, want)
				}
				mu.Unlock()
			}
		}
		mu.Lock()
		got = nil
		mu.Unlock()
		for _, path := range notAdmin {
			for _, method := range []string{"GET", "POST"} {
				if resp := do(t, f.srv, method, path, nil); resp.StatusCode == http.StatusTeapot {
					t.Errorf("%s %s went to the admin", method, path)
				}
			}
		}
		if resp := do(t, f.srv, "GET", "/p/acme/triggers.json", nil); resp.StatusCode != 200 || body(t, resp) != goodSet {
			t.Errorf("trigger set: status %d; want 200 beside the admin", resp.StatusCode)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 0 {
			t.Errorf("admin received %q", got)
		}
	})

	t.Run("nil", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		for _, path := range adminPaths {
			resp := do(t, f.srv, "GET", path, nil)
			if resp.StatusCode != 404 || body(t, resp) != "<h1>custom 404</h1>" {
				t.Errorf("GET %s: status %d; want the site's 404", path, resp.StatusCode)
			}
			for _, method := range []string{"POST", "PUT", "DELETE"} {
				if resp := do(t, f.srv, method, path, nil); resp.StatusCode != http.StatusMethodNotAllowed {
					t.Errorf("%s %s: status %d; want the site's 405", method, path, resp.StatusCode)
				}
			}
		}
	})
}

// Revalidation accepts the forms of If-None-Match a client or cache may
// send, a Range request still gets its range, and HEAD has the length.
func TestTriggersJSONConditionalAndRange(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	etag := strongETag([]byte(goodSet))
	for _, tt := range []struct {
		inm  string
		want int
	}{
		{etag, http.StatusNotModified},
		{"W/" + etag, http.StatusNotModified},
		{`"other", ` + etag, http.StatusNotModified},
		{"*", http.StatusNotModified},
		{`"other"`, http.StatusOK},
		{strings.TrimSuffix(etag, `"`) + `-gz"`, http.StatusOK},
	} {
		resp := do(t, f.srv, "GET", "/p/acme/triggers.json", map[string]string{"If-None-Match": tt.inm})
		if resp.StatusCode != tt.want {
			t.Errorf("If-None-Match %s: status %d, want %d", tt.inm, resp.StatusCode, tt.want)
		}
		if resp.StatusCode == http.StatusNotModified && (resp.Header.Get("ETag") != etag || body(t, resp) != "") {
			t.Errorf("304 with ETag %q and a body", resp.Header.Get("ETag"))
		}
	}
	rng := do(t, f.srv, "GET", "/p/acme/triggers.json", map[string]string{"Range": "bytes=0-9"})
	if got := body(t, rng); rng.StatusCode != http.StatusPartialContent || got != goodSet[:10] {
		t.Errorf("Range: status %d body %q, want 206 and %q", rng.StatusCode, got, goodSet[:10])
	}
	head := do(t, f.srv, "HEAD", "/p/acme/triggers.json", nil)
	if head.Header.Get("Content-Length") != strconv.Itoa(len(goodSet)) {
		t.Errorf("HEAD Content-Length = %q, want %d", head.Header.Get("Content-Length"), len(goodSet))
	}
}

// TestSetHeadersAreNotShared: the header values of a published set are the
// same for every response, yet each response's header map stays its own:
// a handler that adds to one response's headers after serving it changes
// neither another response's nor the next one's.
func TestSetHeadersAreNotShared(t *testing.T) {
	t.Parallel()
	// Large enough to be offered gzipped, so that Vary is sent.
	set := goodSet + strings.Repeat(" ", 2*gzipMin)
	f := newFixture(t, map[string]string{"acme": set})
	serve := func(addVary string) http.Header {
		t.Helper()
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, httptest.NewRequest("GET", "/p/acme/triggers.json", nil))
		h := rec.Header()
		if addVary != "" {
			for _, k := range []string{"Vary", "Etag", "Content-Type", "Cache-Control", "Content-Length", "Access-Control-Allow-Origin"} {
				h.Add(k, addVary)
			}
		}
		return h
	}
	a := serve("Origin")
	b := serve("Cookie")
	if got := a.Values("Vary"); len(got) != 2 || got[0] != "Accept-Encoding" || got[1] != "Origin" {
		t.Errorf("first response's Vary = %q after another response's Add, want [Accept-Encoding Origin]", got)
	}
	for k, v := range a {
		if slices.Contains(v, "Cookie") {
			t.Errorf("first response's %s = %q: it took the second response's value", k, v)
		}
	}
	if got := b.Values("Vary"); len(got) != 2 || got[1] != "Cookie" {
		t.Errorf("second response's Vary = %q, want [Accept-Encoding Cookie]", got)
	}
	c := serve("")
	for k, v := range c {
		if len(v) != 1 {
			t.Errorf("a later response's %s = %q: earlier responses' values leaked into it", k, v)
		}
	}
	if c.Get("ETag") != strongETag([]byte(set)) || c.Get("Content-Length") != strconv.Itoa(len(set)) {
		t.Errorf("later response: ETag %q, Content-Length %q", c.Get("ETag"), c.Get("Content-Length"))
	}
}

// TestPropertyPathSegments: a path of more segments than a route has is
// not found, its property id checked first; escapes are undone per segment.
func TestPropertyPathSegments(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	for _, tt := range []struct {
		path   string
		status int
		msg    string
	}{
		{"/p/acme/triggers.json", http.StatusOK, ""},
		{"/p/ac%6De/triggers.json", http.StatusOK, ""},
		{"/p/acme/avatars/robot.svg/x", http.StatusNotFound, "not found"},
		{"/p/acme/avatars/robot.svg/x/y", http.StatusNotFound, "not found"},
		{"/p/acme/triggers.json/x/y/z", http.StatusNotFound, "not found"},
		{"/p/.acme/x/y/z", http.StatusNotFound, "not a valid property id"},
		{"/p/acme%2ftriggers.json", http.StatusNotFound, "not a valid property id"},
	} {
		resp := do(t, f.srv, "GET", tt.path, nil)
		got := body(t, resp)
		if resp.StatusCode != tt.status || !strings.Contains(got, tt.msg) {
			t.Errorf("GET %s: %d %q, want %d with %q", tt.path, resp.StatusCode, got, tt.status, tt.msg)
		}
	}
}
