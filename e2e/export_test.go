//go:build !js

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/export"
	"github.com/triggerwidget/triggerwidget/sqlite"
	"github.com/triggerwidget/triggerwidget/upload"
)

// TestExportedTreeRunsTheDemo serves the demo site and an export of the
// demo's database from a plain static file server (net/http.FileServer on
// a directory: no widgetd, no negotiation, no special headers) and checks
// that the widget loads there and fires the demo's welcome, with its agent
// image an upload served from the tree's u/.
func TestExportedTreeRunsTheDemo(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	ctx := context.Background()
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root = filepath.Dir(root) // the repository

	// The demo's database: an account, the two demo properties as `make
	// demo` seeds them, and an upload that the welcome shows as its agent.
	db, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := admin.New(admin.Config{Store: db, Password: admin.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	acc, _, err := svc.Setup(ctx, ownerEmail, ownerPassword)
	if err != nil {
		t.Fatal(err)
	}
	owner := admin.Actor{Account: acc}
	for _, id := range []string{"demo", "demo-fr"} {
		set, err := os.ReadFile(filepath.Join(root, "demo", "properties", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateProperty(ctx, owner, "", admin.NewProperty{ID: id, Name: id, Set: set}); err != nil {
			t.Fatalf("property %s: %v", id, err)
		}
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = []uint8{30, 90, 60, 255}[i%4]
	}
	img.Set(0, 0, color.White)
	var pngData bytes.Buffer
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	up, err := svc.Upload(ctx, owner, "demo", "apollo.png", pngData.Bytes(), upload.Image)
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.Published(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	var set map[string]any
	if err := json.Unmarshal(v.Data, &set); err != nil {
		t.Fatal(err)
	}
	welcome := set["triggers"].([]any)[0].(map[string]any)
	if welcome["id"] != "welcome" {
		t.Fatalf("the demo's first trigger is %v, not the welcome", welcome["id"])
	}
	welcome["agent"].(map[string]any)["image"] = admin.UploadPath(up.Name)
	data, _ := json.Marshal(set)
	if _, err := svc.PutSet(ctx, owner, "demo", "*", data); err != nil {
		t.Fatalf("the demo set with an uploaded agent image: %v", err)
	}

	// The static site: the demo's pages and the export, in one directory.
	dir := t.TempDir()
	site := filepath.Join(root, "demo", "site")
	if err := os.CopyFS(dir, os.DirFS(site)); err != nil {
		t.Fatal(err)
	}
	ex, err := export.New(export.Config{Dir: dir, Dist: os.DirFS(env.dist), Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ex.All(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var paths []string
	files := http.FileServer(http.Dir(dir))
	static := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(static.Close)

	tb.run("open the demo on the static server", chromedp.Navigate(static.URL+"/"))
	tb.pollFor("the demo's welcome", shadowQ(msgSel("welcome"))+" != null", 30*time.Second)
	// The panel shows the transcript, whose (lazy) agent images then load;
	// opening it fires the demo's widget-opened trigger too.
	tb.exec("TriggerWidget.maximize()")
	tb.pollFor("the demo's widget-opened message", shadowQ(msgSel("opened"))+" != null", 30*time.Second)
	tb.pollFor("the uploaded agent image, loaded from the tree", `(() => {
		const img = `+shadowQ(msgSel("welcome")+" img[data-part=agent-image]")+`;
		return img && img.src.endsWith(`+jsString(admin.UploadPath(up.Name))+`) && img.complete && img.naturalWidth === 64;
	})()`, 10*time.Second)
	var text string
	tb.eval(shadowQ(msgSel("welcome"))+".textContent", &text)
	if !strings.Contains(text, "Apollo") {
		t.Errorf("the welcome's text %q does not name its agent Apollo", text)
	}
	tb.assertNoUncaught()

	mu.Lock()
	defer mu.Unlock()
	seen := strings.Join(paths, " ")
	wasm, _ := fs.Glob(os.DirFS(env.dist), "widget.*.wasm")
	if len(wasm) != 1 {
		t.Fatalf("the build has wasm files %q", wasm)
	}
	for _, want := range []string{"/widget/widget.js", "/widget/" + wasm[0], "/p/demo/triggers.json", "/u/" + up.Name} {
		if !strings.Contains(" "+seen+" ", " "+want+" ") {
			t.Errorf("the static server was not asked for %s; it served %s", want, seen)
		}
	}
}
