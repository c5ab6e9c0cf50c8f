//go:build !js

package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/upload"
)

// dist is a widget build as `make build` lays it out.
var dist = fstest.MapFS{
	"widget.js":                  {Data: []byte("// loader naming widget.0123abcd.wasm\n")},
	"widget.js.br":               {Data: []byte("br of widget.js")},
	"widget.js.gz":               {Data: []byte("gz of widget.js")},
	"widget.0123abcd.wasm":       {Data: []byte("\x00asm wasm bytes")},
	"widget.0123abcd.wasm.br":    {Data: []byte("br of the wasm")},
	"widget.0123abcd.wasm.gz":    {Data: []byte("gz of the wasm")},
	"widget.d.ts":                {Data: []byte("declare const TriggerWidget: unknown;\n")},
	"avatars/robot.svg":          {Data: []byte("<svg>robot</svg>")},
	"avatars/robot.svg.gz":       {Data: []byte("gz of robot")},
	".hidden":                    {Data: []byte("not served")},
	"avatars/.DS_Store":          {Data: []byte("not served")},
	".git/config":                {Data: []byte("not served")},
	"avatars/headset.svg":        {Data: []byte("<svg>headset</svg>")},
	"avatars/headset.svg.br":     {Data: []byte("br of headset")},
	"nested/dir/readme.txt":      {Data: []byte("a nested file")},
	"nested/dir/readme.txt.gz":   {Data: []byte("gz of readme")},
	"widget.0123abcd.wasm.extra": {Data: []byte("hashed, no sibling")},
}

// fixture is a store with two properties (one set large enough to be
// gzipped) and an upload, and the admin over it.
type fixture struct {
	db    *sqlite.DB
	svc   *admin.Service
	owner admin.Actor
	png   *store.Upload
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db}
	f.svc = f.service(db)
	acc, _, err := f.svc.Setup(ctx, "ann@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	f.owner = admin.Actor{Account: acc}
	for _, id := range []string{"acme", "tiny"} {
		if _, err := f.svc.CreateProperty(ctx, f.owner, "", admin.NewProperty{ID: id, Name: id}); err != nil {
			t.Fatal(err)
		}
	}
	f.png, err = f.svc.Upload(ctx, f.owner, "acme", "agent.png", pngBytes(t, color.RGBA{200, 30, 30, 255}), upload.Image)
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, f.svc, "acme", setWith("acme", 30, "/u/"+f.png.Name))
	return f
}

func (f *fixture) service(st store.Store) *admin.Service {
	return admin.New(admin.Config{Store: st, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
}

// put publishes set as property id's set through svc.
func (f *fixture) put(t *testing.T, svc *admin.Service, id, set string) {
	t.Helper()
	if _, err := svc.PutSet(t.Context(), f.owner, id, "*", []byte(set)); err != nil {
		t.Fatalf("publishing the set of %s: %v", id, err)
	}
}

// setWith is a valid set of n site triggers, the first showing image.
func setWith(id string, n int, image string) string {
	var ts []string
	for i := range n {
		img := "avatar:robot"
		if i == 0 {
			img = image
		}
		ts = append(ts, fmt.Sprintf(`{"id":"t%d","type":"site","delay":%d,"message":{"text":"Message number %d, long enough to make the set worth compressing."},"agent":{"name":"Ann","image":%q}}`, i, i%60, i, img))
	}
	return fmt.Sprintf(`{"version":1,"property":%q,"triggers":[%s]}`, id, strings.Join(ts[:min(n, 20)], ","))
}

func pngBytes(t *testing.T, c color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// widgetd is the server the tree stands in for, over the same store (a
// new service, whose cache is empty: it serves what is stored now).
func (f *fixture) widgetd(t *testing.T) http.Handler {
	t.Helper()
	svc := f.service(f.db)
	srv, err := server.New(server.Config{Dist: dist, Sets: svc, Admin: admin.NewHandler(svc, admin.HandlerConfig{})})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// get asks h for path with an Accept-Encoding.
func get(t *testing.T, h http.Handler, path, encoding string) (*http.Response, []byte) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	r.Header.Set("Accept-Encoding", encoding)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// files lists the tree's files by slash path.
func files(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Every file of the tree is what widgetd answers at the same path: the
// plain file to a request that accepts no encoding, X.gz and X.br to one
// that accepts only that encoding (with Content-Encoding set); and every
// path widgetd serves to visitors is in the tree.
func TestTreeIsWhatWidgetdServes(t *testing.T) {
	f := newFixture(t)
	dir := filepath.Join(t.TempDir(), "tree")
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	st, err := ex.All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	tree := files(t, dir)
	if st.Properties != 2 || st.Uploads != 1 || st.Written != len(tree) || st.Unchanged != 0 {
		t.Errorf("stats %+v; want 2 properties, 1 upload, %d files written", st, len(tree))
	}
	h := f.widgetd(t)
	for name, data := range tree {
		urlPath, encoding := "/"+name, "identity"
		if p, ok := strings.CutSuffix(name, ".gz"); ok {
			urlPath, encoding = "/"+p, "gzip"
		} else if p, ok := strings.CutSuffix(name, ".br"); ok {
			urlPath, encoding = "/"+p, "br"
		}
		res, body := get(t, h, urlPath, encoding)
		if res.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
			t.Errorf("%s: widgetd answers %s (Accept-Encoding %s) with %d %q; the tree has %q", name, urlPath, encoding, res.StatusCode, body, data)
		}
		if want := map[string]string{"identity": "", "gzip": "gzip", "br": "br"}[encoding]; res.Header.Get("Content-Encoding") != want {
			t.Errorf("%s: widgetd's Content-Encoding for %s is %q, want %q", name, urlPath, res.Header.Get("Content-Encoding"), want)
		}
	}

	var want []string
	for name := range dist {
		if !strings.Contains(name, "/.") && !strings.HasPrefix(name, ".") {
			want = append(want, "widget/"+name)
		}
	}
	for _, id := range []string{"acme", "tiny"} {
		want = append(want, "p/"+id+"/triggers.json", "p/"+id+"/avatars/robot.svg", "p/"+id+"/avatars/robot.svg.gz",
			"p/"+id+"/avatars/headset.svg", "p/"+id+"/avatars/headset.svg.br")
	}
	want = append(want, "p/acme/triggers.json.gz", "u/"+f.png.Name)
	got := slices.Sorted(func(yield func(string) bool) {
		for name := range tree {
			if !yield(name) {
				return
			}
		}
	})
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the tree has\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	// A small set is not gzipped, by widgetd or in the tree; the large
	// one is served gzipped by widgetd, and the tree has that copy.
	if res, _ := get(t, h, "/p/acme/triggers.json", "gzip"); res.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("the acme set is not large enough to be gzipped: the test does not test the .gz copy")
	}
	if !bytes.Equal(tree["u/"+f.png.Name], f.png.Data) {
		t.Errorf("the upload's bytes differ from the stored ones")
	}
}

// A second export writes nothing when nothing changed, leaves no
// temporary file behind, and rewrites only what a publish changed.
func TestExportAgainWritesOnlyChanges(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	first, err := ex.All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	set := filepath.Join(dir, "p", "tiny", "triggers.json")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(set, old, old); err != nil {
		t.Fatal(err)
	}
	again, err := ex.All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if again.Written != 0 || again.Unchanged != first.Written {
		t.Errorf("second export: %+v; want nothing written and %d unchanged", again, first.Written)
	}
	if fi, _ := os.Stat(set); !fi.ModTime().Equal(old) {
		t.Errorf("an unchanged set was rewritten (mtime %v)", fi.ModTime())
	}

	f.put(t, f.svc, "tiny", setWith("tiny", 1, "avatar:man"))
	third, err := ex.All(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if third.Written != 1 {
		t.Errorf("after publishing one small set: %d files written, want 1 (its triggers.json)", third.Written)
	}
	data, _ := os.ReadFile(set)
	if !strings.Contains(string(data), "avatar:man") {
		t.Errorf("the tree's set is not the published one: %s", data)
	}
	for name := range files(t, dir) {
		if strings.Contains(name, ".export-") {
			t.Errorf("temporary file %s left in the tree", name)
		}
	}
	fi, err := os.Stat(set)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("the set's mode is %v, want -rw-r--r-- (readable by a web server)", fi.Mode())
	}
}

// Files are written referred-to first: hashed widget files before
// widget.js, and each file's compressed copies before it.
func TestWriteOrder(t *testing.T) {
	got := writeOrder([]string{"widget.js", "widget.js.gz", "avatars/a.svg", "widget.0123abcd.wasm", "widget.js.br", "widget.0123abcd.wasm.br", "widget.d.ts"})
	want := []string{"widget.0123abcd.wasm.br", "widget.0123abcd.wasm", "avatars/a.svg", "widget.d.ts", "widget.js.br", "widget.js.gz", "widget.js"}
	if !slices.Equal(got, want) {
		t.Errorf("writeOrder: %q, want %q", got, want)
	}
}

// The admin writing through a watched store keeps the tree current: a
// publish, a new property and an upload are in the tree when the call
// returns.
func TestWatchExportsEachWrite(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.All(t.Context()); err != nil {
		t.Fatal(err)
	}
	svc := f.service(ex.Watch(f.db))
	ctx := t.Context()

	u, err := svc.Upload(ctx, f.owner, "tiny", "blue.png", pngBytes(t, color.RGBA{0, 0, 200, 255}), upload.Image)
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "u", u.Name)); err != nil || !bytes.Equal(data, u.Data) {
		t.Errorf("u/%s after the upload: %v; want the upload's bytes", u.Name, err)
	}

	f.put(t, svc, "tiny", setWith("tiny", 2, "/u/"+u.Name))
	data, _ := os.ReadFile(filepath.Join(dir, "p", "tiny", "triggers.json"))
	if !strings.Contains(string(data), u.Name) {
		t.Errorf("p/tiny/triggers.json after the publish: %s; want the new set", data)
	}
	_, served := get(t, f.widgetd(t), "/p/tiny/triggers.json", "identity")
	if !bytes.Equal(served, data) {
		t.Errorf("the tree's set differs from what widgetd serves:\n%s\n%s", data, served)
	}

	if _, err := svc.CreateProperty(ctx, f.owner, "", admin.NewProperty{ID: "newcomer", Name: "Newcomer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "newcomer", "triggers.json")); err != nil {
		t.Errorf("a new property's set is not in the tree: %v", err)
	}
}

// A failed export is logged and does not fail the write: the database is
// the truth.
func TestWatchDoesNotFailTheWrite(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	var logged bytes.Buffer
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db, Logger: newLogger(&logged)})
	if err != nil {
		t.Fatal(err)
	}
	// p/tiny cannot be a directory: a file is in the way.
	if err := os.MkdirAll(filepath.Join(dir, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p", "tiny"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	svc := f.service(ex.Watch(f.db))
	f.put(t, svc, "tiny", setWith("tiny", 1, "avatar:woman"))
	if !strings.Contains(logged.String(), "cannot update the exported tree") || !strings.Contains(logged.String(), "property=tiny") {
		t.Errorf("log %q; want the failure logged with the property", logged.String())
	}
	v, err := f.db.Published(t.Context(), "tiny")
	if err != nil || !strings.Contains(string(v.Data), "avatar:woman") {
		t.Errorf("the write did not happen: %v", err)
	}
}

// Follow exports what the listener reports, everything when it
// (re)connects, and starts it again when it fails.
func TestFollow(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	set := func() string {
		data, _ := os.ReadFile(filepath.Join(dir, "p", "tiny", "triggers.json"))
		return string(data)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	calls := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		ex.Follow(ctx, func(ctx context.Context, changed func(string)) error {
			calls++
			switch calls {
			case 1:
				changed("")
				if !strings.Contains(set(), `"property": "tiny"`) {
					t.Errorf("after the first notification, p/tiny/triggers.json is %q", set())
				}
				// Another instance publishes: only the notification tells.
				f.put(t, f.svc, "tiny", setWith("tiny", 1, "avatar:headset"))
				changed("tiny")
				if !strings.Contains(set(), "avatar:headset") {
					t.Errorf("after a notification for tiny, its set is %q", set())
				}
				f.put(t, f.svc, "tiny", setWith("tiny", 1, "avatar:man"))
				return errors.New("connection lost") // missed the notification
			default:
				changed("")
				if !strings.Contains(set(), "avatar:man") {
					t.Errorf("after reconnecting, the set is %q; want the one published while not listening", set())
				}
				cancel()
				<-ctx.Done()
				return nil
			}
		})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Follow did not return after its context ended")
	}
	if calls != 2 {
		t.Errorf("the listener was started %d times, want 2", calls)
	}
}

func TestBadConfigAndNames(t *testing.T) {
	f := newFixture(t)
	for _, cfg := range []Config{{Dist: dist, Store: f.db}, {Dir: t.TempDir(), Store: f.db}, {Dir: t.TempDir(), Dist: dist}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted an incomplete config", cfg)
		}
	}
	ex, err := New(Config{Dir: t.TempDir(), Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.Property(t.Context(), "../etc"); err == nil || !strings.Contains(err.Error(), `"../etc"`) {
		t.Errorf("Property(../etc): %v; want it refused by name", err)
	}
	if err := ex.Upload(&store.Upload{Name: "../../passwd"}); err == nil || !strings.Contains(err.Error(), "not a content-addressed name") {
		t.Errorf("Upload(../../passwd): %v; want it refused", err)
	}
	if _, err := ex.Property(t.Context(), "nobody"); !store.IsCode(err, store.NotFound) {
		t.Errorf("Property(nobody): %v; want NotFound", err)
	}
}

func newLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// An export of an older version, finishing after a newer one was written
// (a publish's own export and another instance's notification racing),
// leaves the newer set in the tree.
func TestOlderVersionDoesNotOverwrite(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	older, err := f.db.Published(t.Context(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, f.svc, "tiny", setWith("tiny", 1, "avatar:woman"))
	if _, err := ex.All(t.Context()); err != nil {
		t.Fatal(err)
	}
	ex.mu.Lock()
	_, err = ex.property(t.Context(), "tiny", older)
	ex.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "p", "tiny", "triggers.json")); !strings.Contains(string(data), "avatar:woman") {
		t.Errorf("version %d overwrote the newer set: %s", older.Number, data)
	}
}

// A property whose stored set cannot be served (widgetd answers 500 for
// it) is named in the error, and the other properties are exported.
func TestBrokenPropertyDoesNotStopTheOthers(t *testing.T) {
	f := newFixture(t)
	cur, err := f.db.Published(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.Publish(t.Context(), &store.Version{PropertyID: "acme", Data: []byte("not a set"), Author: "hand", Created: time.Now()}, cur.Number); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	st, err := ex.All(t.Context())
	if err == nil || !strings.Contains(err.Error(), "of acme is not a readable trigger set") {
		t.Errorf("All: %v; want the broken set of acme named", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "tiny", "triggers.json")); err != nil || st.Properties != 1 {
		t.Errorf("the other property was not exported (%v, %d properties)", err, st.Properties)
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "acme", "triggers.json")); err == nil {
		t.Errorf("a set widgetd does not serve is in the tree")
	}
}

func TestUnwritableDirectory(t *testing.T) {
	f := newFixture(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Dir: filepath.Join(file, "tree"), Dist: dist, Store: f.db}); err == nil || !strings.Contains(err.Error(), file) {
		t.Errorf("New under a file: %v; want it refused, naming the path", err)
	}
	if os.Geteuid() == 0 {
		return // root writes to a read-only directory
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	if _, err := New(Config{Dir: dir, Dist: dist, Store: f.db}); err == nil || !strings.Contains(err.Error(), "cannot write to "+dir) {
		t.Errorf("New on a read-only directory: %v; want it refused, naming the directory", err)
	}
}

// A set that shrinks below the size worth compressing leaves no gzip copy
// of the old one, which a static server (nginx's gzip_static) would go on
// sending to every client that accepts gzip.
func TestShrunkSetLeavesNoOldGzip(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: f.db})
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, f.svc, "tiny", setWith("tiny", 20, "avatar:man"))
	if _, err := ex.All(t.Context()); err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "p", "tiny", "triggers.json.gz")
	if _, err := os.Stat(gz); err != nil {
		t.Fatalf("a set of 20 triggers has no gzip copy (%v); the test needs one", err)
	}
	f.put(t, f.svc, "tiny", `{"version":1,"property":"tiny","triggers":[]}`)
	if _, err := ex.All(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(gz); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old set's gzip copy is still in the tree (%v)", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "p", "tiny", "triggers.json"))
	if !strings.Contains(string(data), `"triggers": []`) && !strings.Contains(string(data), `"triggers":[]`) {
		t.Errorf("the tree's set is not the empty one: %s", data)
	}
}

// publishingStore publishes a newer version of property id (through svc)
// right after the exporter has read the published set the first time, as
// another instance with -export could between that read and the write.
type publishingStore struct {
	store.Store
	t     *testing.T
	f     *fixture
	id    string
	reads int
}

func (s *publishingStore) Published(ctx context.Context, id string) (*store.Version, error) {
	v, err := s.Store.Published(ctx, id)
	if id == s.id {
		if s.reads++; s.reads == 1 {
			s.f.put(s.t, s.f.svc, id, setWith(id, 2, "avatar:woman"))
		}
	}
	return v, err
}

// An export that read a version which another publish has since replaced
// does not write it over the tree (where the other exporter puts the
// newer one).
func TestExportDoesNotWriteASetReplacedMeanwhile(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	ex, err := New(Config{Dir: dir, Dist: dist, Store: &publishingStore{Store: f.db, t: t, f: f, id: "tiny"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.All(t.Context()); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "p", "tiny", "triggers.json")); err == nil {
		t.Errorf("the export wrote the set it read before a newer one was published: %.200s", data)
	}
}
