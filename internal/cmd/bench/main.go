//go:build !js

// Command bench prints the figures the project tracks (make bench). Each
// figure of the widget is measured beside a reference in the same run, and
// a summary block at the end lists every figure and ratio:
//
//   - size: the widget's wasm raw, gzip -9 and brotli 11, beside a safejs
//     hello-world (internal/benchhello) built the same way, and the
//     widget's brotli size against its budget;
//   - ready: in headless Chromium, the median time from the script tag to
//     ready (the widget's load event; the hello's call into the page) over
//     cold loads of both, and the ratio;
//   - tasks: the longest task of the page's main thread from navigation to
//     ready, from Chromium's trace (no task is too short to be seen), for
//     both, and the ratio; and, from traced loads of their own, the wasm
//     functions V8 compiled on their first call until ready (how many,
//     their bytes, the main thread's CPU time in it), a count that the
//     machine's load does not move;
//   - hostload: the host page's own load event on a page whose image takes
//     400 ms: alone, with the widget, and with another small async script
//     (any second resource delays the image's request);
//   - repeat: a second visit in a new tab of the same profile with a warm
//     HTTP cache: its ready time, and whether V8's wasm code cache was used;
//   - events: after 1,000 mixed API events, the wasm linear memory, every
//     localStorage write's duration (worst and median) and the size of the
//     widget's stored state;
//   - engine: the engine's Go benchmarks natively and in wasm under Node;
//   - server (server.go): widgetd over SQLite on a loopback port serving
//     the published set to many clients, writes through the API, and the
//     cost of a publish, each beside a reference;
//   - serve (serve.go): built widgetd binaries, one and two on one
//     throwaway PostgreSQL, serving the published set beside Debian's
//     nginx serving the same file (rates, p99, server CPU per answer), and
//     API writes on SQLite and on PostgreSQL.
//
// Flags:
//
//	-only LIST          run these sections only, comma-separated: size, ready, tasks,
//	                    hostload, repeat, events, engine, server, serve; "browser" stands for
//	                    ready,tasks,hostload,repeat,events
//	-loads N            cold page loads per variant for ready (default 15, at least 10)
//	-trace-loads N      traced cold loads per variant for tasks (default 10)
//	-host-loads N       cold page loads per variant for hostload (default 10)
//	-repeats N          repeat-visit trials per variant (default 3)
//	-repeat-wait D      how long the first visit stays open for V8 to write its code cache (default 3s)
//	-events N           API events of the events section (default 1000)
//	-js-flags 'F …'     V8 flags for the browser of ready, tasks, hostload and events
//	                    (an experiment: what a V8 setting a page cannot choose would change)
//	-trace-dir DIR      also write every trace as a JSON file (DevTools' Performance panel opens them)
//	-server-rounds N    rounds of the server section, alternating widgetd and its reference (default 5)
//	-server-dur D       duration of each read round (default 3s)
//	-server-clients N   concurrent clients of the read rounds (default 64)
//	-server-writes N    API writes per write round (default 200)
//	-server-cpuprofile F  CPU profile of the server section
//	-serve-rounds N     rounds of the serve section, rotating nginx and the widgetd variants (default 5)
//	-serve-dur D        duration of each read round of the serve section (default 3s)
//	-serve-clients N    concurrent keep-alive clients of the serve section (default 64)
//	-serve-writes N     API writes per write round of the serve section (default 100)
//	-serve-baseline REV also measure a widgetd built from git revision REV (a before/after in one run)
//	-serve-env 'V=x …'  also measure a widgetd with these environment settings (e.g. GOGC=400; ';' separates variants)
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
)

// brotliBudget is the most the widget's wasm may weigh, brotli 11, with
// every feature in. (For a while it was 15 KB more, allowed to the site
// owner's appearance and languages and the visitor's comforts that came
// after it was set; the toolchain patches of internal/distbuild took the
// wasm back under it.)
const brotliBudget = 860_000

// options are the flags of the browser and size sections (the server
// section's are in server.go).
type options struct {
	loads, traceLoads, hostLoads, repeats, events int
	repeatWait                                    time.Duration
	jsFlags                                       string // V8 flags of the shared browser, for experiments
}

// sectionNames are the sections in the order they run.
var sectionNames = []string{"size", "ready", "tasks", "hostload", "repeat", "events", "engine", "server", "serve"}

var browserSections = []string{"ready", "tasks", "hostload", "repeat", "events"}

func main() {
	var o options
	flag.IntVar(&o.loads, "loads", 15, "cold page loads per variant for ready (at least 10)")
	flag.IntVar(&o.traceLoads, "trace-loads", 10, "traced cold loads per variant for tasks")
	flag.IntVar(&o.hostLoads, "host-loads", 10, "cold page loads per variant for hostload")
	flag.IntVar(&o.repeats, "repeats", 3, "repeat-visit trials per variant")
	flag.DurationVar(&o.repeatWait, "repeat-wait", 3*time.Second, "how long the first visit stays open for V8 to write its code cache")
	flag.IntVar(&o.events, "events", 1000, "API events of the events section")
	flag.StringVar(&o.jsFlags, "js-flags", "", "V8 flags (Chromium's --js-flags) for the browser of ready, tasks, hostload and events, to see what a V8 setting would change")
	only := flag.String("only", "", "comma-separated sections to run: "+strings.Join(sectionNames, ", ")+`; "browser" = `+strings.Join(browserSections, ","))
	flag.Parse()
	sections, err := parseSections(*only)
	if err == nil {
		err = run(o, sections)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// parseSections reads -only: the set of sections to run (all when empty).
func parseSections(only string) (map[string]bool, error) {
	want := map[string]bool{}
	if strings.TrimSpace(only) == "" {
		for _, s := range sectionNames {
			want[s] = true
		}
		return want, nil
	}
	for _, s := range strings.Split(only, ",") {
		s = strings.TrimSpace(s)
		switch {
		case s == "browser":
			for _, b := range browserSections {
				want[b] = true
			}
		case slices.Contains(sectionNames, s):
			want[s] = true
		default:
			return nil, fmt.Errorf("-only: no section %q (sections: %s, or browser)", s, strings.Join(sectionNames, ", "))
		}
	}
	return want, nil
}

// env is what the sections share.
type env struct {
	opts options
	root string // the repository
	tmp  string // scratch directory, removed at the end
	url  string // the page server (pages.go)
	bctx context.Context
	sum  *figures
	n    int // traces taken, for their file names
}

// traceName names the next trace of a section, for -trace-dir.
func (e *env) traceName(section, page string) string {
	e.n++
	return fmt.Sprintf("%03d-%s-%s", e.n, section, strings.TrimSuffix(path.Base(page), ".html"))
}

func run(o options, sections map[string]bool) error {
	o.loads = max(o.loads, 10)
	o.traceLoads = max(o.traceLoads, 1)
	o.hostLoads = max(o.hostLoads, 1)
	o.repeats = max(o.repeats, 1)
	o.events = max(o.events, 10)
	wd, _ := os.Getwd()
	root, err := distbuild.FindRoot(wd)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "twbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	e := &env{opts: o, root: root, tmp: tmp, sum: &figures{}}

	needBrowser := slices.ContainsFunc(browserSections, func(s string) bool { return sections[s] })
	if sections["size"] || needBrowser {
		dist, hello := filepath.Join(tmp, "dist"), filepath.Join(tmp, "hello")
		res, err := distbuild.Build(distbuild.Options{Root: root, Out: dist, Version: "bench"})
		if err != nil {
			return err
		}
		if err := buildHello(root, hello); err != nil {
			return err
		}
		if sections["size"] {
			if err := sizeSection(e, dist, res.WasmName, hello); err != nil {
				return err
			}
		}
		if needBrowser {
			set, err := os.ReadFile(filepath.Join(root, "widget", "testdata", "bench-set.json"))
			if err != nil {
				return err
			}
			ts, err := pageServer(dist, hello, set)
			if err != nil {
				return err
			}
			defer ts.Close()
			e.url = ts.URL
			if err := browserRun(e, sections); err != nil {
				return err
			}
		}
	}
	if sections["engine"] {
		t0 := time.Now()
		if err := engineSection(root); err != nil {
			return err
		}
		tookSince(t0)
	}
	if sections["server"] {
		t0 := time.Now()
		if err := runServer(root); err != nil {
			return err
		}
		tookSince(t0)
	}
	if sections["serve"] {
		t0 := time.Now()
		if err := runServe(root, e.sum); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		tookSince(t0)
	}
	e.sum.print()
	flags := ""
	if o.jsFlags != "" {
		flags = ", V8 flags " + o.jsFlags
	}
	fmt.Printf("\n(%s, %d cores, %s%s)\n", runtime.Version(), runtime.NumCPU(), time.Now().UTC().Format(time.RFC3339), flags)
	return nil
}

// browserRun runs the browser sections in one headless Chromium (the
// repeat section starts its own, one per trial).
func browserRun(e *env, sections map[string]bool) error {
	bctx, cancel, err := newBrowser(filepath.Join(e.tmp, "chromium"), e.opts.jsFlags)
	if err != nil {
		return err
	}
	defer cancel()
	e.bctx = bctx
	for _, s := range []struct {
		name string
		f    func(*env) error
	}{
		{"ready", readySection},
		{"tasks", tasksSection},
		{"hostload", hostLoadSection},
		{"repeat", repeatSection},
		{"events", eventsSection},
	} {
		if !sections[s.name] {
			continue
		}
		t0 := time.Now()
		if err := s.f(e); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		tookSince(t0)
	}
	return nil
}

// tookSince prints how long a section took, for whoever tunes the flags
// to keep the whole run short.
func tookSince(t0 time.Time) {
	fmt.Printf("(section: %s)\n", time.Since(t0).Round(100*time.Millisecond))
}

// --- 4. size ---

// sizeSection prints the wasm sizes of the widget and the hello-world, and
// widget.js's.
func sizeSection(e *env, dist, wasmName, hello string) error {
	widgetWasm, err := os.ReadFile(filepath.Join(dist, wasmName))
	if err != nil {
		return err
	}
	helloWasm, err := os.ReadFile(filepath.Join(hello, "hello.wasm"))
	if err != nil {
		return err
	}
	js, err := os.ReadFile(filepath.Join(dist, "widget.js"))
	if err != nil {
		return err
	}
	fmt.Println("== size (wasm built with -trimpath -ldflags='-s -w')")
	fmt.Printf("%-22s %10s %10s %10s\n", "", "raw", "gzip -9", "brotli 11")
	// The build wrote the widget's brotli copy (quality 11): its size is
	// the figure, without compressing 4 MB once more.
	widgetBr := br(widgetWasm)
	if fi, err := os.Stat(filepath.Join(dist, wasmName+".br")); err == nil {
		widgetBr = int(fi.Size())
	}
	helloBr := br(helloWasm)
	for _, v := range []struct {
		name string
		b    []byte
		br   int
	}{{"widget " + wasmName, widgetWasm, widgetBr}, {"safejs hello-world", helloWasm, helloBr}, {"widget.js", js, br(js)}} {
		fmt.Printf("%-22s %10s %10s %10s\n", short(v.name), kb(len(v.b)), kb(gz(v.b)), kb(v.br))
	}
	fmt.Printf("widget wasm brotli: %s of the %s budget (%s)\n", kb(widgetBr), kb(brotliBudget), overUnder(widgetBr, brotliBudget))
	e.sum.add("wasm size, brotli 11", "widget %s (budget %s: %s), hello %s", kb(widgetBr), kb(brotliBudget), overUnder(widgetBr, brotliBudget), kb(helloBr))
	return nil
}

// overUnder says how far n is from budget.
func overUnder(n, budget int) string {
	if n > budget {
		return kb(n-budget) + " over"
	}
	return kb(budget-n) + " under"
}

// --- engine ---

// engineSection runs the engine's Go benchmarks natively, then compiled
// to wasm under Node.
func engineSection(root string) error {
	fmt.Println("\n== engine (go test -bench, native)")
	if err := goBench(root, nil); err != nil {
		return err
	}
	fmt.Println("\n== engine in wasm under Node (GOOS=js GOARCH=wasm go test -bench)")
	goroot, err := distbuild.GOROOT()
	if err != nil {
		return err
	}
	return goBench(root, distbuild.WasmEnv(root), "-exec="+filepath.Join(goroot, "lib", "wasm", "go_js_wasm_exec"))
}

// goBench runs the widget package's benchmarks and prints their lines, in
// env (nil: the process's own environment).
func goBench(root string, env []string, extra ...string) error {
	args := append([]string{"test", "-run=^$", "-bench=.", "-benchmem"}, extra...)
	cmd := exec.Command("go", append(args, "./widget/")...)
	cmd.Dir = root
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") {
			fmt.Println(line)
		}
	}
	if err != nil {
		return fmt.Errorf("go test -bench %s: %v\n%s", strings.Join(env, " "), err, out)
	}
	return nil
}

// --- summary ---

// figures collects one line per figure, printed at the end as the
// summary: what the numbers above come to, in one place to quote.
type figures struct{ lines [][2]string }

func (s *figures) add(what, format string, args ...any) {
	s.lines = append(s.lines, [2]string{what, fmt.Sprintf(format, args...)})
}

func (s *figures) print() {
	if len(s.lines) == 0 {
		return
	}
	fmt.Println("\n== summary")
	width := 0
	for _, l := range s.lines {
		width = max(width, len([]rune(l[0])))
	}
	for _, l := range s.lines {
		fmt.Printf("  %s%s  %s\n", l[0], strings.Repeat(" ", width-len([]rune(l[0]))), l[1])
	}
}

// --- helpers ---

func minOf(s []float64) float64 {
	if len(s) == 0 {
		return 0
	}
	return slices.Min(s)
}

func maxOf(s []float64) float64 {
	if len(s) == 0 {
		return 0
	}
	return slices.Max(s)
}

func sumOf(s []float64) float64 {
	var t float64
	for _, v := range s {
		t += v
	}
	return t
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
