package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/triggerwidget/triggerwidget/store"
)

// SetSource gives the trigger set a property publishes.
type SetSource interface {
	// PublishedSet returns what /p/ID/triggers.json serves. An error whose
	// store.ErrorCode is store.NotFound answers 404; any other error 500
	// (logged, with a message that leaks nothing).
	PublishedSet(ctx context.Context, propertyID string) (*Published, error)
}

// Published is a trigger set ready to serve: its bytes, a strong ETag
// (SHA-256 of the bytes), and a gzip copy when worth it. Build it with
// NewPublished. It is immutable once built: neither the server nor a
// SetSource may change its fields or the bytes they hold, so one value can
// be served to any number of requests at once.
type Published struct {
	// Data is the set as served, byte for byte.
	Data []byte
	// ETag is Data's strong ETag, quoted.
	ETag string
	// Gzip is Data gzipped, or nil when that is not worth it; GzipETag is
	// its own strong ETag (a cache must not mix up the two encodings).
	Gzip     []byte
	GzipETag string
	// Version is the source's version of the set (a store's revision, a
	// counter), for the source and its callers; the server does not use it.
	Version int64

	// hdr holds the header values of each encoding, built once by
	// NewPublished (nil in a Published built otherwise: then each
	// response builds its own).
	hdr *[2]encodingHeaders
}

// encodingHeaders are the header values of one encoding of a set, as
// header map entries: assigned to a response's header map directly, they
// cost no allocation and no key canonicalisation per request. Every slice
// has length and capacity 1, so that a handler that Adds to one of these
// headers later gets a new slice instead of writing into the shared one.
type encodingHeaders struct {
	etag, length []string
}

func newEncodingHeaders(etag string, body []byte) encodingHeaders {
	return encodingHeaders{etag: []string{etag}, length: []string{strconv.Itoa(len(body))}}
}

// Header values every published set is served with, shared likewise.
var (
	hdrJSON        = []string{"application/json; charset=utf-8"}
	hdrSetCache    = []string{"public, max-age=60, must-revalidate"}
	hdrVaryCoding  = []string{"Accept-Encoding"}
	hdrGzip        = []string{"gzip"}
	hdrExposeETag  = []string{"ETag"}
	hdrAnyOrigin   = []string{"*"}
	hdrCrossOrigin = []string{"cross-origin"}
)

// gzipMin is the size under which a set is not worth gzipping.
const gzipMin = 1024

// NewPublished prepares data for serving: it computes the ETag and, for a
// set of at least 1 KiB, compresses it once, keeping the gzip copy only when
// it is smaller. data is kept, not copied: the caller must not change it
// afterwards.
func NewPublished(data []byte, version int64) *Published {
	p := &Published{Data: data, ETag: strongETag(data), Version: version}
	if len(data) >= gzipMin {
		var b bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&b)
		_, _ = zw.Write(data)
		if zw.Close() == nil && b.Len() < len(data) {
			p.Gzip = b.Bytes()
			p.GzipETag = strings.TrimSuffix(p.ETag, `"`) + `-gz"`
		}
		gzipWriters.Put(zw)
	}
	p.hdr = &[2]encodingHeaders{newEncodingHeaders(p.ETag, p.Data)}
	if p.Gzip != nil {
		p.hdr[1] = newEncodingHeaders(p.GzipETag, p.Gzip)
	}
	return p
}

// gzipWriters keeps compressors between publishes: a new one at the best
// compression allocates most of a megabyte.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

// MemorySets is an in-memory SetSource for tests, benchmarks and demos. It
// publishes whatever it is given, without checking it: the browser runtime
// copes with any bytes, and whoever fills a MemorySets decides what is
// valid. It is safe for concurrent use; the zero value is not, use
// NewMemorySets.
type MemorySets struct {
	mu      sync.RWMutex
	sets    map[string]*Published
	version int64 // of the last Put, across properties
}

// NewMemorySets returns an empty MemorySets: every property answers
// store.NotFound.
func NewMemorySets() *MemorySets {
	return &MemorySets{sets: map[string]*Published{}}
}

// Put makes data (any bytes, copied) the published set of property id,
// served from the next request on with its new ETag.
func (m *MemorySets) Put(id string, data []byte) {
	data = bytes.Clone(data)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.version++
	m.sets[id] = NewPublished(data, m.version)
}

// Delete unpublishes property id; it is not an error if it had no set.
func (m *MemorySets) Delete(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sets, id)
}

// PublishedSet returns the set last Put for propertyID, or an error coded
// store.NotFound.
func (m *MemorySets) PublishedSet(_ context.Context, propertyID string) (*Published, error) {
	m.mu.RLock()
	p := m.sets[propertyID]
	m.mu.RUnlock()
	if p == nil {
		return nil, store.Errorf(store.NotFound, "no trigger set is published for property %q", propertyID)
	}
	return p, nil
}

// serveTriggers serves /p/{id}/triggers.json from the SetSource.
func (s *Server) serveTriggers(w http.ResponseWriter, r *http.Request, id string) {
	ctx := r.Context()
	p, err := s.sets.PublishedSet(ctx, id)
	if err == nil && p == nil {
		err = errors.New("the set source returned neither a set nor an error")
	}
	if err != nil {
		if store.IsCode(err, store.NotFound) {
			writeJSONError(w, http.StatusNotFound, "no trigger set is published for property "+quoteForError(id))
			return
		}
		// The error's text is for the log only: it may name files, tables
		// or queries.
		level := slog.LevelError
		if ctx.Err() != nil {
			// The client went away (or the server is shutting down):
			// nobody reads this answer and nothing is broken.
			level = slog.LevelDebug
		}
		s.log.Log(ctx, level, "cannot serve trigger set", "property", id, "error", err)
		writeJSONError(w, http.StatusInternalServerError, "cannot read the trigger set of property "+quoteForError(id))
		return
	}
	// The headers are assigned to the map, not Set: see encodingHeaders.
	h := w.Header()
	h["Content-Type"] = hdrJSON
	h["Cache-Control"] = hdrSetCache
	body, etag, enc := p.Data, p.ETag, 0
	if p.Gzip != nil && p.GzipETag != "" {
		if _, ok := h["Vary"]; ok {
			h.Add("Vary", "Accept-Encoding")
		} else {
			h["Vary"] = hdrVaryCoding
		}
		if ae := r.Header["Accept-Encoding"]; len(ae) > 0 && AcceptsEncoding(ae[0], "gzip") {
			body, etag, enc = p.Gzip, p.GzipETag, 1
			h["Content-Encoding"] = hdrGzip
		}
	}
	var eh encodingHeaders
	if p.hdr != nil {
		eh = p.hdr[enc]
	} else {
		eh = newEncodingHeaders(etag, body)
	}
	h["Etag"] = eh.etag
	if len(r.Header["Range"]) > 0 && r.Header["Range"][0] != "" {
		ServeContent(w, r, "triggers.json", time.Time{}, bytes.NewReader(body))
		return
	}
	// The common case, without ServeContent's general machinery: a
	// revalidation answered 304, or the whole body in one write.
	if inm := r.Header["If-None-Match"]; len(inm) > 0 && inm[0] != "" && etagMatch(inm[0], etag) {
		delete(h, "Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = eh.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// etagMatch reports whether an If-None-Match header names etag: "*", or
// etag in its list, compared weakly as RFC 9110 asks for If-None-Match.
func etagMatch(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}
