package server

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A widget.js replaced by another of the same size and time (a release
// whose build sets every time alike, written by rename, as widget.js
// differs only in the wasm's hash) gets a new ETag: a browser revalidating
// the old one is sent the new file, not 304.
func TestETag_NewForAReplacedFileOfTheSameSizeAndTime(t *testing.T) {
	t.Parallel()
	dist := t.TempDir()
	when := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(text string) {
		t.Helper()
		tmp := filepath.Join(dist, "widget.js.tmp")
		if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(tmp, when, when); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dist, "widget.js")); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := New(Config{Dist: os.DirFS(dist), Sets: NewMemorySets()})
	if err != nil {
		t.Fatal(err)
	}
	get := func(ifNoneMatch string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/widget/widget.js", nil)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		return w
	}
	put(`load("widget.aaaaaaaaaa.wasm")`)
	first := get("")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || etag == "" {
		t.Fatalf("first answer %d, ETag %q", first.Code, etag)
	}
	if w := get(etag); w.Code != http.StatusNotModified {
		t.Fatalf("revalidating the same file: %d, want 304", w.Code)
	}
	put(`load("widget.bbbbbbbbbb.wasm")`)
	w := get(etag)
	if w.Code != http.StatusOK || w.Body.String() != `load("widget.bbbbbbbbbb.wasm")` || w.Header().Get("ETag") == etag {
		t.Errorf("after the release: %d, %q, ETag %q (old %q); want the new file under a new ETag", w.Code, w.Body.String(), w.Header().Get("ETag"), etag)
	}
}
