package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
	"github.com/triggerwidget/triggerwidget/widget"
)

// store holds the published trigger sets of the Properties directory.
type store struct {
	dir string
	log *slog.Logger

	mu   sync.Mutex
	sets map[string]*entry // by property id; only ids whose file exists
}

// entry is one property. Its lock serialises loading and publishing, so a
// changed file is read, validated and logged once.
type entry struct {
	mu   sync.Mutex
	seen os.FileInfo // the file at the last load attempt
	good *published  // the version being served, nil if none
	err  error       // why the file as seen is not published, or nil
}

// published is a trigger set as served.
type published struct {
	data   []byte
	etag   string
	gz     []byte // nil when not worth compressing
	gzETag string
}

// gzipMin is the size under which a set is not worth gzipping.
const gzipMin = 1024

func newPublished(data []byte) *published {
	p := &published{data: data, etag: strongETag(data)}
	if len(data) >= gzipMin {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		_, _ = zw.Write(data)
		if zw.Close() == nil && b.Len() < len(data) {
			p.gz = b.Bytes()
			p.gzETag = strings.TrimSuffix(p.etag, `"`) + `-gz"`
		}
	}
	return p
}

// errNoSet: the property has no trigger-set file.
var errNoSet = errors.New("no trigger set")

func (st *store) path(id string) string { return filepath.Join(st.dir, id+".json") }

// entry returns the entry of id, creating it.
func (st *store) entry(id string) *entry {
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.sets[id]
	if e == nil {
		e = &entry{}
		st.sets[id] = e
	}
	return e
}

// loadAll loads every <id>.json of the directory, logging problems.
func (st *store) loadAll() error {
	list, err := os.ReadDir(st.dir)
	if err != nil {
		return errors.New("server: properties directory: " + err.Error())
	}
	for _, de := range list {
		name := de.Name()
		id, ok := strings.CutSuffix(name, ".json")
		if !ok || strings.HasPrefix(name, ".") || de.IsDir() {
			continue
		}
		if !validPropertyID(id) {
			st.log.Warn("ignoring trigger-set file: its name is not a valid property id",
				"file", filepath.Join(st.dir, name))
			continue
		}
		_, _ = st.get(id)
	}
	return nil
}

// get returns the version of id to serve, reloading the file when it
// changed. Its error is errNoSet, the reason the file was rejected (a
// *widget.FieldError when it does not parse), or an I/O error.
func (st *store) get(id string) (*published, error) {
	path := st.path(id)
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		err = fs.ErrNotExist
	}
	if errors.Is(err, fs.ErrNotExist) {
		st.forget(id)
		return nil, errNoSet
	}
	e := st.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		// Unreadable for now (permissions, I/O): keep what we have.
		if e.good != nil {
			return e.good, nil
		}
		return nil, err
	}
	if e.seen == nil || !sameVersion(e.seen, fi) {
		st.load(id, e)
	}
	if e.good != nil {
		return e.good, nil
	}
	return nil, e.err
}

// forget drops a property whose file is gone: it is no longer published.
func (st *store) forget(id string) {
	st.mu.Lock()
	e := st.sets[id]
	delete(st.sets, id)
	st.mu.Unlock()
	if e != nil {
		e.mu.Lock()
		wasPublished := e.good != nil
		e.mu.Unlock()
		if wasPublished {
			st.log.Info("trigger set removed: no longer published", "property", id)
		}
	}
}

// sameVersion reports whether a and b describe the same file contents, as
// far as size, mtime and identity (inode) tell.
func sameVersion(a, b os.FileInfo) bool {
	return a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && os.SameFile(a, b)
}

// load reads, parses and validates the file of id into e; e.mu is held.
func (st *store) load(id string, e *entry) {
	path := st.path(id)
	data, fi, err := readSet(path)
	if err != nil {
		e.seen, e.err = nil, err
		st.log.Error("cannot read trigger set", "property", id, "file", path, "error", err)
		return
	}
	e.seen = fi
	set, err := widget.ParseSet(data)
	if err != nil {
		e.err = err
		st.log.Error("trigger set rejected: not published", "property", id, "file", path, "error", shorten(err.Error()))
		if e.good != nil {
			st.log.Warn("still serving the last good trigger set", "property", id, "etag", e.good.etag)
		}
		return
	}
	problems := st.logProblems(id, set)
	e.good, e.err = newPublished(data), nil
	st.log.Info("trigger set loaded", "property", id, "triggers", len(set.Triggers),
		"problems", problems, "etag", e.good.etag)
}

// readSet reads a trigger-set file, at most one byte more than the format
// allows (so that ParseSet reports "too large" without reading it all).
func readSet(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, widget.MaxSetBytes+1))
	if err != nil {
		return nil, nil, err
	}
	return data, fi, nil
}

// logProblems validates set and logs each problem, naming the property,
// the trigger and the field. It returns the number of problems.
func (st *store) logProblems(id string, set *widget.Set) int {
	var problems []widget.FieldError
	var ve *widget.ValidationError
	if errors.As(widget.Validate(set), &ve) {
		problems = ve.Problems
	}
	if fe := propertyMismatch(id, set); fe != nil {
		problems = append(problems, *fe)
	}
	for _, p := range problems {
		attrs := []any{"property", id}
		msg := "trigger set problem"
		if p.TriggerID != "" {
			msg = "invalid trigger: the browser runtime will skip it"
			attrs = append(attrs, "trigger", p.TriggerID)
		}
		attrs = append(attrs, "field", p.Field, "problem", p.Problem)
		st.log.Warn(msg, attrs...)
	}
	return len(problems)
}

// propertyMismatch reports a set whose "property" is not the id it is
// published under, or nil.
func propertyMismatch(id string, set *widget.Set) *widget.FieldError {
	if set.Property == id || set.Property == "" {
		return nil // an empty property is reported by Validate
	}
	return &widget.FieldError{Field: "property", Code: widget.CodeConflict, Problem: "is " + strconv.Quote(set.Property) +
		" but the set is published as property " + strconv.Quote(id)}
}

// Publish makes data the published trigger set of property id. It refuses
// (returning the error of widget.ParseSet or Validate unchanged, so that
// callers can show every problem) a set that does not parse, breaks a limit
// or names another property, and an invalid id (ErrInvalidPropertyID).
// Otherwise it replaces <Properties>/<id>.json atomically and serves the
// new set from the next request on.
func (s *Server) Publish(id string, data []byte) error {
	if !validPropertyID(id) {
		return ErrInvalidPropertyID
	}
	set, err := widget.ParseSet(data)
	if err != nil {
		return err
	}
	err = widget.Validate(set)
	if fe := propertyMismatch(id, set); fe != nil {
		ve, ok := err.(*widget.ValidationError)
		if !ok {
			ve = &widget.ValidationError{}
		}
		ve.Problems = append(ve.Problems, *fe)
		err = ve
	}
	if err != nil {
		return err
	}
	st := s.props
	e := st.entry(id)
	e.mu.Lock()
	defer e.mu.Unlock()
	data = bytes.Clone(data)
	path := st.path(id)
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	e.seen, e.good, e.err = fi, newPublished(data), nil
	st.log.Info("trigger set published", "property", id, "triggers", len(set.Triggers), "etag", e.good.etag)
	return nil
}

// serveTriggers serves /p/{id}/triggers.json.
func (s *Server) serveTriggers(w http.ResponseWriter, r *http.Request, id string) {
	p, err := s.props.get(id)
	if err != nil {
		var fe *widget.FieldError
		switch {
		case errors.Is(err, errNoSet):
			writeJSONError(w, http.StatusNotFound, "no trigger set is published for property "+quoteForError(id))
		case errors.As(err, &fe):
			writeJSONError(w, http.StatusNotFound, "trigger set for property "+quoteForError(id)+" is invalid: "+shorten(fe.Error()))
		default:
			s.log.Error("cannot serve trigger set", "property", id, "error", err)
			writeJSONError(w, http.StatusInternalServerError, "cannot read the trigger set of property "+quoteForError(id))
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=60, must-revalidate")
	body, etag := p.data, p.etag
	if p.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsEncoding(r.Header.Get("Accept-Encoding"), "gzip") {
			body, etag = p.gz, p.gzETag
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "triggers.json", time.Time{}, bytes.NewReader(body))
}

// maxErrorLen bounds error messages in logs and responses: a JSON syntax
// error of the decoder may quote the whole document.
const maxErrorLen = 400

// shorten cuts msg to maxErrorLen bytes, on a rune boundary.
func shorten(msg string) string {
	if len(msg) <= maxErrorLen {
		return msg
	}
	cut := maxErrorLen
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}
