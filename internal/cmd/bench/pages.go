//go:build !js

package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/server"
)

// The browser sections load small pages from one loopback server: the built
// widget and the bench set as widgetd serves them (server.New; the set of
// benchProperty at /p/bench/triggers.json, where widget.js looks for it),
// the hello-world under /hello/, and the pages below under /bench/. Every
// page is served with no-store, so each load parses it afresh; what a page
// loads is cached as its server says (the widget's hashed wasm for a year).

// slowImageDelay is how long the server holds the image of the slow pages:
// a host page whose own load event is late, as with a large hero image.
const slowImageDelay = 400 * time.Millisecond

// readyScript stamps the page's clock just before the program's script
// tag, runs prelude, and sets hook to a function that records in
// window.__ready the milliseconds from the stamp to its first call, and
// marks that moment (readyMark).
func readyScript(prelude, hook string) string {
	return `<script>window.__t0 = performance.now(); ` + prelude + ` ` + hook +
		` = function () { if (window.__ready === undefined) { window.__ready = performance.now() - window.__t0; performance.mark("` + readyMark + `"); } };</script>`
}

// readyMark is the User Timing mark the ready hook sets, so that a trace
// can tell what happened before ready.
const readyMark = "bench-ready"

// The widget's pages learn it is ready through its public API: the onLoad
// callback a page may set before widget.js runs.
var (
	widgetReady = readyScript(`window.TriggerWidget = window.TriggerWidget || {};`, `window.TriggerWidget.onLoad`)
	widgetTag   = `<script async src="/widget/widget.js" data-property="` + benchProperty + `"></script>`
	helloReady  = readyScript(``, `window.__helloReady`)
	helloTag    = `<script async src="/hello/hello.js"></script>`
	// otherScript is the tag of another async script, a small one of the
	// host's own: the reference for what any second resource on the page
	// costs the slow image (the browser schedules the two requests).
	otherScript = `<script async src="/bench/other.js"></script>`
	// otherReady is the widget page's inline stamp, on the other script's
	// page too: the two differ only by the script they load.
	otherReady = readyScript(``, `window.__otherReady`)
	// slowImage is the host's own late resource; ?n= keeps every load's
	// request distinct.
	slowImage = `<img alt="" width="16" height="16" src="/bench/slow.png?n=">`
)

// storageProbe wraps Storage.prototype.setItem before widget.js loads, so
// that every write the page makes to localStorage is timed.
const storageProbe = `<script>
(function () {
  var times = window.__setItemTimes = [];
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function () {
    var t = performance.now();
    try { return setItem.apply(this, arguments); } finally { times.push(performance.now() - t); }
  };
})();
</script>`

// benchPages are the pages of the browser sections, by path under /bench/.
var benchPages = map[string]string{
	"widget.html":      widgetReady + widgetTag,                // ready time, longest task, repeat visit
	"hello.html":       helloReady + helloTag,                  // the same for the hello-world
	"slow-plain.html":  "",                                     // the slow image only
	"slow-script.html": otherReady + otherScript,               // the slow image and another async script
	"slow-widget.html": widgetReady + widgetTag,                // the slow image and the widget
	"events.html":      storageProbe + widgetReady + widgetTag, // memory and storage after many events
}

// slowBody lists the pages whose body holds the slow image.
var slowBody = map[string]bool{"slow-plain.html": true, "slow-script.html": true, "slow-widget.html": true}

// pageServer serves the widget files of dist, the bench set, the hello-world
// of hello and the bench pages.
func pageServer(dist, hello string, set []byte) (*httptest.Server, error) {
	sets := server.NewMemorySets()
	sets.Put(benchProperty, set)
	srv, err := server.New(server.Config{Dist: os.DirFS(dist), Sets: sets})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	// The hello's files get the headers widgetd gives the widget's hashed
	// wasm, so that both can be cached alike on a repeat visit, and its wasm
	// comes brotli-compressed when the browser takes it, as the widget's
	// does: both pay the same decompression, and neither is timed on bytes
	// a real site would never send.
	helloFiles := http.StripPrefix("/hello/", http.FileServer(http.Dir(hello)))
	helloBr, err := os.ReadFile(filepath.Join(hello, "hello.wasm.br"))
	if err != nil {
		return nil, err
	}
	mux.HandleFunc("/hello/", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		if r.URL.Path == "/hello/hello.wasm" {
			h.Set("Vary", "Accept-Encoding")
			if server.AcceptsEncoding(r.Header.Get("Accept-Encoding"), "br") {
				h.Set("Content-Type", "application/wasm")
				h.Set("Content-Encoding", "br")
				h.Set("Content-Length", strconv.Itoa(len(helloBr)))
				if r.Method != http.MethodHead {
					_, _ = w.Write(helloBr)
				}
				return
			}
		}
		helloFiles.ServeHTTP(w, r)
	})
	mux.HandleFunc("/bench/other.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(otherJS)
	})
	mux.HandleFunc("/bench/slow.png", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(slowImageDelay)
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(tinyPNG)
	})
	mux.HandleFunc("/bench/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/bench/")
		head, ok := benchPages[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body := "<h1>bench</h1>"
		if slowBody[name] {
			body += strings.Replace(slowImage, "?n=", "?n="+fmt.Sprint(time.Now().UnixNano()), 1)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "<!doctype html><html><head><meta charset=utf-8><title>bench</title>%s</head><body>%s</body></html>", head, body)
	})
	mux.Handle("/", srv)
	return httptest.NewServer(mux), nil
}

// otherJS is the other async script: 4 KB that does next to nothing, the
// size of a small analytics snippet.
var otherJS = []byte("window.__other = true;\n" + strings.Repeat("// a host page's own small script\n", 120))

// tinyPNG is a 16×16 grey PNG.
var tinyPNG = func() []byte {
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}()

// buildHello builds the hello-world (internal/benchhello) into out as
// hello.wasm, and hello.js: Go's wasm_exec.js and a loader that streams,
// instantiates and runs it, as widget.js does for the widget.
func buildHello(root, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "hello.wasm"), "./internal/benchhello")
	cmd.Dir = root
	cmd.Env = distbuild.WasmEnv(root) // as the widget's, collector included
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building hello-world: %v\n%s", err, b)
	}
	goroot, err := distbuild.GOROOT()
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return err
	}
	loader := `
(function () {
  var go = new Go();
  WebAssembly.instantiateStreaming(fetch("/hello/hello.wasm"), go.importObject).then(function (r) {
    window.__helloMemory = function () { return r.instance.exports.mem.buffer.byteLength; };
    go.run(r.instance);
  });
})();
`
	if err := os.WriteFile(filepath.Join(out, "hello.js"), append(execJS, loader...), 0o644); err != nil {
		return err
	}
	wasm, err := os.ReadFile(filepath.Join(out, "hello.wasm"))
	if err != nil {
		return err
	}
	br, err := distbuild.Brotli(wasm)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "hello.wasm.br"), br, 0o644)
}
