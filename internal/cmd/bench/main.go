//go:build !js

// Command bench prints the figures the project tracks (make bench): the
// widget's wasm size raw, gzip and brotli beside a safejs hello-world; in
// headless Chromium, the median time from script tag to ready over repeated
// cold loads, for both; the linear memory after start; the engine's Go
// benchmarks for a full 20-trigger set; and the server (server.go): widgetd
// over SQLite on a loopback port serving the published set to many clients,
// writes through the API, and the cost of a publish, each beside a
// reference measured in the same run.
//
// Flags:
//
//	-loads N            cold page loads per variant (default 15)
//	-only server        run only the server section (no build, no Chromium)
//	-server-rounds N    rounds of the server section, alternating widgetd and its reference (default 5)
//	-server-dur D       duration of each read round (default 3s)
//	-server-clients N   concurrent clients of the read rounds (default 64)
//	-server-writes N    API writes per write round (default 200)
//	-server-cpuprofile F  CPU profile of the server section
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/server"
)

func main() {
	loads := flag.Int("loads", 15, "cold page loads per variant (at least 10)")
	only := flag.String("only", "", `run one section only: "server"`)
	flag.Parse()
	if err := run(*loads, *only); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(loads int, only string) error {
	if loads < 10 {
		loads = 10
	}
	wd, _ := os.Getwd()
	root, err := distbuild.FindRoot(wd)
	if err != nil {
		return err
	}
	switch only {
	case "":
	case "server":
		if err := runServer(root); err != nil {
			return err
		}
		footer()
		return nil
	default:
		return fmt.Errorf("-only %q: the section that runs alone is server", only)
	}
	tmp, err := os.MkdirTemp("", "twbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	dist := filepath.Join(tmp, "dist")
	res, err := distbuild.Build(distbuild.Options{Root: root, Out: dist, Version: "bench"})
	if err != nil {
		return err
	}
	hello := filepath.Join(tmp, "hello")
	if err := buildHello(root, hello); err != nil {
		return err
	}
	widgetWasm, _ := os.ReadFile(filepath.Join(dist, res.WasmName))
	helloWasm, _ := os.ReadFile(filepath.Join(hello, "hello.wasm"))

	fmt.Println("== size (wasm built with -trimpath -ldflags='-s -w')")
	fmt.Printf("%-22s %10s %10s %10s\n", "", "raw", "gzip -9", "brotli 11")
	for _, v := range []struct {
		name string
		b    []byte
	}{{"widget " + res.WasmName, widgetWasm}, {"safejs hello-world", helloWasm}} {
		fmt.Printf("%-22s %10s %10s %10s\n", short(v.name), kb(len(v.b)), kb(gz(v.b)), kb(br(v.b)))
	}
	js, _ := os.ReadFile(filepath.Join(dist, "widget.js"))
	fmt.Printf("%-22s %10s %10s %10s\n", "widget.js", kb(len(js)), kb(gz(js)), kb(br(js)))

	set, err := os.ReadFile(filepath.Join(root, "widget", "testdata", "bench-set.json"))
	if err != nil {
		return err
	}
	sets := server.NewMemorySets()
	sets.Put("bench", set)
	srv, err := server.New(server.Config{Dist: os.DirFS(dist), Sets: sets})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/hello/", http.StripPrefix("/hello/", http.FileServer(http.Dir(hello))))
	mux.HandleFunc("/bench/widget.html", page(`<script>window.TriggerWidget = { onLoad: function () { window.__ready = performance.now() - window.__t0; } }; window.__t0 = performance.now();</script>
<script async src="/widget/widget.js" data-property="bench"></script>`))
	mux.HandleFunc("/bench/hello.html", page(`<script>window.__helloReady = function () { window.__ready = performance.now() - window.__t0; }; window.__t0 = performance.now();</script>
<script async src="/hello/hello.js"></script>`))
	mux.Handle("/", srv)
	ts := httptest.NewServer(mux)
	defer ts.Close()

	browser := os.Getenv("CHROMIUM")
	if browser == "" {
		browser, _ = exec.LookPath("chromium")
	}
	if browser == "" {
		return fmt.Errorf("chromium not found: run make deps")
	}
	userDir := filepath.Join(tmp, "chromium")
	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(userDir))...)
	defer cancel()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		return err
	}

	fmt.Printf("\n== headless Chromium, %d cold loads each (fresh browser context: no HTTP or code cache)\n", loads)
	fmt.Printf("%-22s %12s %12s %12s %14s\n", "", "median ms", "min ms", "max ms", "wasm memory")
	for _, v := range []struct{ name, path, memJS string }{
		{"widget (20 triggers)", "/bench/widget.html", "TriggerWidget.__stats().memory"},
		{"safejs hello-world", "/bench/hello.html", "window.__helloMemory()"},
	} {
		var times []float64
		var mem float64
		for i := 0; i < loads; i++ {
			ms, m, err := load(bctx, ts.URL+v.path, v.memJS)
			if err != nil {
				return fmt.Errorf("%s: %w", v.name, err)
			}
			times = append(times, ms)
			mem = m
		}
		sort.Float64s(times)
		fmt.Printf("%-22s %12.1f %12.1f %12.1f %11.1f MB\n", v.name, median(times), times[0], times[len(times)-1], mem/1e6)
	}

	fmt.Println("\n== engine (go test -bench, native)")
	cmd := exec.Command("go", "test", "-run=^$", "-bench=.", "-benchmem", "./widget/")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") {
			fmt.Println(line)
		}
	}
	if err != nil {
		return fmt.Errorf("go test -bench: %v\n%s", err, out)
	}
	fmt.Println("\n== engine in wasm under Node (GOOS=js GOARCH=wasm go test -bench)")
	goroot, err := distbuild.GOROOT()
	if err != nil {
		return err
	}
	cmd = exec.Command("go", "test", "-run=^$", "-bench=.", "-benchmem", "-exec="+filepath.Join(goroot, "lib", "wasm", "go_js_wasm_exec"), "./widget/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err = cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") {
			fmt.Println(line)
		}
	}
	if err != nil {
		return fmt.Errorf("wasm go test -bench: %v\n%s", err, out)
	}
	if err := runServer(root); err != nil {
		return err
	}
	footer()
	return nil
}

func footer() {
	fmt.Printf("\n(%s, %d cores, %s)\n", runtime.Version(), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339))
}

func page(head string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, "<!doctype html><html><head><meta charset=utf-8><title>bench</title>%s</head><body><h1>bench</h1></body></html>", head)
	}
}

// load opens url in a fresh browser context and waits for window.__ready.
func load(bctx context.Context, url, memJS string) (ms, mem float64, err error) {
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 30*time.Second)
	defer cancelT()
	if err = chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return 0, 0, err
	}
	if ms, err = chromedp.Run(ctx, chromedp.Poll[float64](`window.__ready`, chromedp.WithPollingInterval(5*time.Millisecond))); err != nil {
		return 0, 0, err
	}
	mem, err = chromedp.Run(ctx, chromedp.Evaluate[float64](memJS))
	return ms, mem, err
}

func buildHello(root, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(out, "hello.wasm"), "./internal/benchhello")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
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
	return os.WriteFile(filepath.Join(out, "hello.js"), append(execJS, loader...), 0o644)
}

func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func gz(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func br(b []byte) int {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

func kb(n int) string { return strconv.FormatFloat(float64(n)/1000, 'f', 1, 64) + " KB" }

func short(s string) string {
	if len(s) > 22 {
		return s[:22]
	}
	return s
}
