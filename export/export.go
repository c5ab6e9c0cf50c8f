//go:build !js

// Package export writes what widgetd serves to visitors as a static tree
// that any static host or CDN can serve, so that a site can run with no
// widgetd on the visitor's path:
//
//	widget/…                   the built widget (Config.Dist), with its .br/.gz siblings
//	p/ID/triggers.json         each property's published set, the bytes widgetd serves
//	p/ID/triggers.json.gz      its gzip copy, when widgetd offers one (1 KiB or more, and smaller)
//	p/ID/avatars/…             the standard avatars, as widgetd serves them beside the set
//	u/NAME                     every upload, under its content-addressed name
//
// The names are widgetd's paths, so a page embeds the widget from the
// static host exactly as from widgetd. The precompressed copies sit beside
// their file under the name a static server looks for (nginx's
// gzip_static and brotli_static, most CDNs' origin rules).
//
// Decisions:
//
//   - Every file is written whole to a temporary file in its directory and
//     renamed over the old one: a reader sees the old file or the new one,
//     never half of one. A file whose bytes are already on disk is left
//     alone (its mtime, and so a static server's ETag, stays).
//   - Order: what is referred to is written before what refers to it.
//     Content-hashed widget files (widget.<hash>.wasm) come before
//     widget.js, which names them; the uploads and avatars of a property
//     before its triggers.json; a file's .br and .gz before the file.
//   - Nothing is ever deleted: an old widget.<hash>.wasm stays for the
//     browsers and caches that still hold the widget.js naming it, and an
//     upload stays for the sets of other properties or older versions that
//     show it. The one exception is a set's gzip copy when its new version
//     is too small to have one (a copy of the old set otherwise).
//   - The set is read from the store and laid out canonically, as the admin
//     publishes and widgetd serves it (strict.Canonical, then
//     server.NewPublished for the gzip copy), not from a server's cache:
//     an export that runs just after a publish sees that publish.
//   - Only names widgetd would serve are written: property ids and upload
//     names are checked again here, and hidden files of the dist are
//     skipped.
package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/upload"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// Config is what an Exporter exports, and where to.
type Config struct {
	// Dir is the root of the tree; it is created if missing.
	Dir string
	// Dist is the built widget, exported under widget/. Required.
	Dist fs.FS
	// Store holds the properties, their published sets and the uploads.
	Store store.Store
	// Logger receives the failures of the exports that follow publishes
	// (Watch, Follow). Nil discards.
	Logger *slog.Logger
}

// Stats counts the files an export wrote and those it found already
// current.
type Stats struct {
	Properties int
	Uploads    int // uploads exported (whether written or already there)
	Written    int
	Unchanged  int
}

func (s *Stats) add(o Stats) {
	s.Properties += o.Properties
	s.Uploads += o.Uploads
	s.Written += o.Written
	s.Unchanged += o.Unchanged
}

// Exporter writes the tree. It is safe for concurrent use: exports run one
// at a time.
type Exporter struct {
	dir  string
	dist fs.FS
	st   store.Store
	log  *slog.Logger

	mu       sync.Mutex
	versions map[string]int64 // the set version written per property
}

// New checks cfg, creates the tree's root, makes sure it can write there,
// and returns the Exporter.
func New(cfg Config) (*Exporter, error) {
	if cfg.Dir == "" {
		return nil, errors.New("export: no directory to export to")
	}
	if cfg.Dist == nil {
		return nil, errors.New("export: no widget build to export (Config.Dist is nil)")
	}
	if cfg.Store == nil {
		return nil, errors.New("export: no store to export from (Config.Store is nil)")
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	// Find out now that the tree cannot be written, not at a publish.
	probe, err := os.CreateTemp(cfg.Dir, ".export-*")
	if err != nil {
		return nil, fmt.Errorf("export: cannot write to %s: %w", cfg.Dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Exporter{dir: cfg.Dir, dist: cfg.Dist, st: cfg.Store, log: log, versions: map[string]int64{}}, nil
}

// Dir is the root of the tree.
func (e *Exporter) Dir() string { return e.dir }

// All exports everything: the widget, then every property with its
// uploads and its set. The error names every property that could not be
// exported; the others are.
func (e *Exporter) All(ctx context.Context) (Stats, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var st Stats
	w, err := e.widget()
	st.add(w)
	if err != nil {
		return st, err
	}
	props, err := e.st.AllProperties(ctx)
	if err != nil {
		return st, fmt.Errorf("export: listing the properties: %w", err)
	}
	// A property that cannot be exported does not keep the others out
	// of the tree.
	var errs []error
	for _, p := range props {
		ps, err := e.property(ctx, p.ID, nil)
		st.add(ps)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return st, errors.Join(errs...)
}

// Property exports one property: its uploads that are not in the tree
// yet, the avatars beside its set, and its published set.
func (e *Exporter) Property(ctx context.Context, id string) (Stats, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.property(ctx, id, nil)
}

// Upload exports one upload (already stored).
func (e *Exporter) Upload(u *store.Upload) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, err := e.upload(context.Background(), u.Name, u.Data)
	return err
}

// widget copies Dist under widget/: content-hashed names first, then the
// rest, each name's precompressed siblings before it.
func (e *Exporter) widget() (Stats, error) {
	var st Stats
	var names []string
	err := fs.WalkDir(e.dist, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			// A symbolic link is exported as the file it names, when it
			// is one (widgetd serves it so, inside its root).
			fi, err := fs.Stat(e.dist, name)
			if err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		}
		names = append(names, name)
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("export: reading the widget build: %w", err)
	}
	for _, name := range writeOrder(names) {
		data, err := fs.ReadFile(e.dist, name)
		if err != nil {
			return st, fmt.Errorf("export: reading the widget build: %w", err)
		}
		if err := e.write(&st, "widget/"+name, data); err != nil {
			return st, err
		}
	}
	return st, nil
}

// hashedName matches a content hash in a file name, as widgetd's server
// recognises it: 8 or more hex digits between dots.
var hashedName = regexp.MustCompile(`\.[0-9a-fA-F]{8,}\.`)

// writeOrder sorts names so that content-hashed files come first and a
// file's .br and .gz come just before it.
func writeOrder(names []string) []string {
	out := append([]string(nil), names...)
	rank := func(n string) (string, int, int) {
		base, sib := n, 1
		for _, ext := range []string{".br", ".gz"} {
			if b, ok := strings.CutSuffix(n, ext); ok {
				base, sib = b, 0
			}
		}
		hashed := 1
		if hashedName.MatchString(path.Base(base)) {
			hashed = 0
		}
		return base, hashed, sib
	}
	sort.SliceStable(out, func(i, j int) bool {
		bi, hi, si := rank(out[i])
		bj, hj, sj := rank(out[j])
		if hi != hj {
			return hi < hj
		}
		if bi != bj {
			return bi < bj
		}
		if si != sj {
			return si < sj
		}
		return out[i] < out[j]
	})
	return out
}

// validPropertyID is widgetd's rule for a property id in a URL.
func validPropertyID(id string) bool { return widget.ValidID(id) && id[0] != '.' }

// property exports one property; v, when not nil, is the version just
// published (else the store's published version is read).
func (e *Exporter) property(ctx context.Context, id string, v *store.Version) (Stats, error) {
	var st Stats
	if !validPropertyID(id) {
		return st, fmt.Errorf("export: property id %q cannot be a path segment of the tree", id)
	}
	if v == nil {
		var err error
		if v, err = e.st.Published(ctx, id); err != nil {
			return st, fmt.Errorf("export: the published set of %s: %w", id, err)
		}
	}
	if old, ok := e.versions[id]; ok && old > v.Number {
		return st, nil // a newer version is in the tree already
	}
	ups, err := e.st.UploadsOf(ctx, id)
	if err != nil {
		return st, fmt.Errorf("export: the uploads of %s: %w", id, err)
	}
	for _, u := range ups {
		written, err := e.upload(ctx, u.Name, nil)
		if err != nil {
			return st, err
		}
		st.Uploads++
		if written {
			st.Written++
		} else {
			st.Unchanged++
		}
	}
	avatars, err := fs.Glob(e.dist, "avatars/*")
	if err != nil {
		return st, fmt.Errorf("export: %w", err)
	}
	for _, name := range writeOrder(avatars) {
		data, err := fs.ReadFile(e.dist, name)
		if err != nil || strings.HasPrefix(path.Base(name), ".") {
			continue // a directory, or a file widgetd does not serve
		}
		if err := e.write(&st, "p/"+id+"/"+name, data); err != nil {
			return st, err
		}
	}
	// Another exporter (an instance with -export beside this command) may
	// have written a newer version while this one wrote the uploads: the
	// set is written only if it is still the newest.
	if latest, err := e.st.Published(ctx, id); err == nil && latest.Number > v.Number {
		return st, nil
	}
	data, problems := strict.Canonical(v.Data)
	if problems != nil {
		return st, fmt.Errorf("export: version %d of the set of %s is not a readable trigger set (%s); widgetd does not serve it either", v.Number, id, problems[0].Error())
	}
	p := server.NewPublished(data, v.Number)
	gz := "p/" + id + "/triggers.json.gz"
	if p.Gzip != nil {
		if err := e.write(&st, gz, p.Gzip); err != nil {
			return st, err
		}
	} else if err := os.Remove(e.path(gz)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		// A set too small to compress: the last, larger one's gzip copy
		// must not stay, or a static server would keep sending it to
		// every client that accepts gzip.
		return st, fmt.Errorf("export: %w", err)
	}
	if err := e.write(&st, "p/"+id+"/triggers.json", p.Data); err != nil {
		return st, err
	}
	e.versions[id] = v.Number
	st.Properties++
	return st, nil
}

// upload writes u/NAME unless it is there: a name is its content's hash,
// and a file in the tree is whole (see write), so one that exists is
// current. data, when nil, is read from the store.
func (e *Exporter) upload(ctx context.Context, name string, data []byte) (bool, error) {
	if !upload.ValidName(name) {
		return false, fmt.Errorf("export: upload name %q is not a content-addressed name", name)
	}
	rel := "u/" + name
	if _, err := os.Stat(e.path(rel)); err == nil {
		return false, nil
	}
	if data == nil {
		u, err := e.st.Upload(ctx, name)
		if err != nil {
			return false, fmt.Errorf("export: upload %s: %w", name, err)
		}
		data = u.Data
	}
	var st Stats
	if err := e.write(&st, rel, data); err != nil {
		return false, err
	}
	return st.Written > 0, nil
}

func (e *Exporter) path(rel string) string { return filepath.Join(e.dir, filepath.FromSlash(rel)) }

// write makes the file rel hold data: unchanged when it does already,
// else through a temporary file renamed over it.
func (e *Exporter) write(st *Stats, rel string, data []byte) error {
	p := e.path(rel)
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
		st.Unchanged++
		return nil
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	f, err := os.CreateTemp(dir, ".export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		// Readable by a web server running as another user.
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export: writing %s: %w", rel, err)
	}
	st.Written++
	return nil
}
