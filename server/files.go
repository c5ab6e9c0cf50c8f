package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// files serves the regular files of one fs.FS with strong ETags. The ETag of
// a file is computed once per (name, size, mtime) and, on an OS file system,
// per file: a file replaced by another of the same size and time (a release
// whose build sets every time alike, written by rename) is hashed again.
// An fs.FS that changes a file in place without changing its size or time
// (fstest.MapFS has no times) keeps its first ETag.
type files struct {
	fsys fs.FS

	mu    sync.Mutex
	etags map[string]etagEntry
}

type etagEntry struct {
	modTime time.Time
	size    int64
	info    fs.FileInfo // the file's identity, where os.SameFile can tell
	etag    string
}

func newFiles(fsys fs.FS) *files {
	return &files{fsys: fsys, etags: map[string]etagEntry{}}
}

var errNotRegular = errors.New("not a regular file")

// open opens name when it is a regular file. Invalid names, names with a
// hidden element (".git/…"), backslashes or NULs are "not found".
func (fl *files) open(name string) (fs.File, fs.FileInfo, error) {
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") {
		return nil, nil, fs.ErrNotExist
	}
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") {
			return nil, nil, fs.ErrNotExist
		}
	}
	f, err := fl.fsys.Open(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fi, errNotRegular
	}
	return f, fi, nil
}

// isDir reports whether name is a directory of the FS.
func (fl *files) isDir(name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	fi, err := fs.Stat(fl.fsys, name)
	return err == nil && fi.IsDir()
}

// precompressed lists the sibling encodings, most preferred first.
var precompressed = []struct{ coding, ext string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// serve writes the file name with the given Cache-Control, or its best
// precompressed sibling when withSiblings is set and the request accepts
// one. It reports false, having written nothing, when there is no such file.
func (fl *files) serve(w http.ResponseWriter, r *http.Request, name, cacheControl string, withSiblings bool) bool {
	f, fi, err := fl.open(name)
	if err != nil {
		return false
	}
	defer func() { f.Close() }()
	h := w.Header()
	h.Set("Content-Type", contentType(name))
	served := name
	if withSiblings {
		accept := r.Header.Get("Accept-Encoding")
		varies, chosen := false, false
		for _, enc := range precompressed {
			sf, sfi, err := fl.open(name + enc.ext)
			if err != nil {
				continue
			}
			varies = true
			if chosen || !AcceptsEncoding(accept, enc.coding) {
				sf.Close()
				continue
			}
			chosen = true
			f.Close()
			f, fi, served = sf, sfi, name+enc.ext
			h.Set("Content-Encoding", enc.coding)
		}
		if varies {
			h.Add("Vary", "Accept-Encoding")
		}
	}
	body, etag, err := fl.content(served, f, fi)
	if err != nil {
		h.Del("Content-Encoding")
		http.Error(w, "500 cannot read file", http.StatusInternalServerError)
		return true
	}
	h.Set("ETag", etag)
	h.Set("Cache-Control", cacheControl)
	ServeContent(w, r, name, fi.ModTime(), body)
	return true
}

// content returns a reader of the open file f and its ETag, hashing the
// file only when this version of it was not seen before.
func (fl *files) content(name string, f fs.File, fi fs.FileInfo) (io.ReadSeeker, string, error) {
	fl.mu.Lock()
	e, ok := fl.etags[name]
	fl.mu.Unlock()
	if ok && e.size == fi.Size() && e.modTime.Equal(fi.ModTime()) && sameFile(e.info, fi) {
		if rs, ok := f.(io.ReadSeeker); ok {
			return rs, e.etag, nil
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, "", err
	}
	etag := strongETag(data)
	fl.mu.Lock()
	fl.etags[name] = etagEntry{modTime: fi.ModTime(), size: fi.Size(), info: fi, etag: etag}
	fl.mu.Unlock()
	return bytes.NewReader(data), etag, nil
}

// sameFile reports whether a and b describe the same file: by device and
// inode for an OS file system's, and always for others (which have no such
// identity).
func sameFile(a, b fs.FileInfo) bool {
	if a.Sys() == nil && b.Sys() == nil {
		return true
	}
	return os.SameFile(a, b)
}

// strongETag is a quoted, 128-bit prefix of the SHA-256 of data.
func strongETag(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// hashedName matches a content hash in a file name: 8 or more hex digits
// between dots, as in widget.3f9a1c2b.wasm.
var hashedName = regexp.MustCompile(`\.[0-9a-fA-F]{8,}\.`)

// distCacheControl is the Cache-Control of a widget file: a year and
// immutable for content-hashed names, five minutes for stable names such as
// widget.js, so that a new release reaches visitors quickly.
func distCacheControl(name string) string {
	if hashedName.MatchString(path.Base(name)) {
		return "public, max-age=31536000, immutable"
	}
	return "public, max-age=300"
}

// contentTypes fixes the types that matter, independently of the host's
// mime.types (some map .js to application/javascript or miss .wasm).
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".wasm":  "application/wasm",
	".svg":   "image/svg+xml",
	".json":  "application/json; charset=utf-8",
	".map":   "application/json; charset=utf-8",
	".html":  "text/html; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".ts":    "text/plain; charset=utf-8", // widget.d.ts: readable in a browser
	".txt":   "text/plain; charset=utf-8",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".gz":    "application/gzip",
	".br":    "application/octet-stream",
}

// contentType is the Content-Type of a file by its name.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// AcceptsEncoding reports whether an Accept-Encoding header value allows
// coding: listed with q > 0, or covered by "*" with q > 0 and not listed.
func AcceptsEncoding(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(p, "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				f = 0
			}
			q = f
		}
		if name == coding || coding == "gzip" && name == "x-gzip" {
			return q > 0
		}
		if name == "*" {
			star = q > 0
		}
	}
	return star
}

// serveSite serves the static site: see the package documentation.
func (s *Server) serveSite(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Referrer-Policy", "strict-origin-when-cross-origin")
	if !allowMethod(w, r, false) {
		return
	}
	const cacheControl = "no-cache"
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		s.notFound(w, r)
		return
	}
	name := p[1:]
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if s.site.serve(w, r, name, cacheControl, false) {
		return
	}
	if s.site.isDir(name) {
		if _, err := fs.Stat(s.site.fsys, name+"/index.html"); err == nil {
			u := url.URL{Path: p + "/", RawQuery: r.URL.RawQuery}
			http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
			return
		}
	}
	if path.Ext(name) == "" && s.site.serve(w, r, name+".html", cacheControl, false) {
		return
	}
	if (p == "/app" || strings.HasPrefix(p, "/app/")) && s.site.serve(w, r, "app.html", cacheControl, false) {
		return
	}
	s.notFound(w, r)
}

const default404 = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>
<body><h1>404 — page not found</h1><p><a href="/">Back to the home page</a></p></body></html>
`

// notFound answers 404 with the site's 404.html, or a built-in page.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	body := []byte(default404)
	if f, _, err := s.site.open("404.html"); err == nil {
		data, err := io.ReadAll(io.LimitReader(f, 1<<20))
		f.Close()
		if err == nil {
			body = data
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}
