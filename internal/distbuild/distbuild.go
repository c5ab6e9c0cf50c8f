// Package distbuild builds the deployable widget: it compiles the
// wasm runtime, names it by content hash, assembles widget.js from Go's
// wasm_exec.js and our loader, copies the TypeScript declarations and the
// standard avatars, and writes precompressed .br and .gz copies. `make build`
// and the browser tests both use it, so they test what ships.
package distbuild

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"
)

// TestClockTag builds the wasm with a clock the browser tests drive instead
// of the real one (wasm/testclock.go). It is for package e2e only.
const TestClockTag = "triggerwidget_testclock"

// testClockMark is the name of the test clock's JS hook: every build with
// TestClockTag has it, and no other build may.
const testClockMark = "__testClock"

// Options tune a build.
type Options struct {
	// Root is the repository root (where go.mod is).
	Root string
	// Out is the directory to fill; it is emptied first.
	Out string
	// Version is stamped into widget.js.
	Version string
	// KeepSymbols keeps the wasm name section (for dependency checks).
	KeepSymbols bool
	// NoCompress skips the .br/.gz copies (faster test builds).
	NoCompress bool
	// KeepDataSegments leaves the linker's data segments as they are
	// (see MergeDataSegments), to compare.
	KeepDataSegments bool
	// Tags are extra build tags for the wasm. Only the browser tests set
	// one (triggerwidget_testclock, see wasm/testclock.go); `make build`
	// never does, so what ships is built without.
	Tags []string
}

// Result describes what was built.
type Result struct {
	WasmName string // e.g. widget.1a2b3c4d5e.wasm
	WasmSize int
}

// Build runs the whole build.
func Build(o Options) (Result, error) {
	var res Result
	if o.Version == "" {
		o.Version = "dev"
	}
	if err := os.RemoveAll(o.Out); err != nil {
		return res, err
	}
	if err := os.MkdirAll(filepath.Join(o.Out, "avatars"), 0o755); err != nil {
		return res, err
	}
	tmp := filepath.Join(o.Out, ".widget.wasm")
	ldflags := "-s -w"
	if o.KeepSymbols {
		ldflags = ""
	}
	args := []string{"build", "-trimpath", "-ldflags=" + ldflags}
	if len(o.Tags) > 0 {
		args = append(args, "-tags="+strings.Join(o.Tags, ","))
	}
	cmd := exec.Command("go", append(args, "-o", tmp, "./cmd/widget")...)
	cmd.Dir = o.Root
	cmd.Env = WasmEnv(o.Root)
	if out, err := cmd.CombinedOutput(); err != nil {
		return res, fmt.Errorf("go build ./cmd/widget: %v\n%s", err, out)
	}
	wasm, err := os.ReadFile(tmp)
	if err != nil {
		return res, err
	}
	if err := checkTestClock(wasm, o.Tags); err != nil {
		return res, err
	}
	if !o.KeepDataSegments {
		if wasm, err = MergeDataSegments(wasm, MergeDataGap); err != nil {
			return res, fmt.Errorf("merging the wasm's data segments: %w", err)
		}
	}
	sum := sha256.Sum256(wasm)
	res.WasmName = "widget." + hex.EncodeToString(sum[:])[:10] + ".wasm"
	res.WasmSize = len(wasm)
	if err := os.WriteFile(filepath.Join(o.Out, res.WasmName), wasm, 0o644); err != nil {
		return res, err
	}
	if err := os.Remove(tmp); err != nil {
		return res, err
	}
	js, err := widgetJS(o.Root, res.WasmName, o.Version)
	if err != nil {
		return res, err
	}
	files := map[string][]byte{"widget.js": js}
	if files["widget.d.ts"], err = os.ReadFile(filepath.Join(o.Root, "wasm", "assets", "widget.d.ts")); err != nil {
		return res, err
	}
	avatars, err := filepath.Glob(filepath.Join(o.Root, "wasm", "assets", "avatars", "*.svg"))
	if err != nil {
		return res, err
	}
	for _, a := range avatars {
		b, err := os.ReadFile(a)
		if err != nil {
			return res, err
		}
		files[filepath.Join("avatars", filepath.Base(a))] = b
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(o.Out, name), b, 0o644); err != nil {
			return res, err
		}
	}
	if o.NoCompress {
		return res, nil
	}
	files[res.WasmName] = wasm
	for name, b := range files {
		if err := compress(filepath.Join(o.Out, name), b); err != nil {
			return res, err
		}
	}
	return res, nil
}

// checkTestClock refuses a wasm that has the test clock's hook without
// being asked for it (GOFLAGS=-tags=… in the environment would do that to
// `make build`), and one asked for it that lacks it (the hook was renamed,
// and this check would no longer see it).
func checkTestClock(wasm []byte, tags []string) error {
	want := slices.Contains(tags, TestClockTag)
	switch has := bytes.Contains(wasm, []byte(testClockMark)); {
	case has && !want:
		return fmt.Errorf("the wasm has the test clock (%s) although -tags %s was not asked for; is it set in GOFLAGS?", testClockMark, TestClockTag)
	case want && !has:
		return fmt.Errorf("the wasm built with -tags %s has no %s hook; was it renamed? (update testClockMark)", TestClockTag, testClockMark)
	}
	return nil
}

// widgetJS wraps Go's wasm_exec.js and our loader in one function scope so
// that neither leaks globals into the host page (see loader.js).
func widgetJS(root, wasmName, version string) ([]byte, error) {
	goroot, err := GOROOT()
	if err != nil {
		return nil, err
	}
	execJS, err := os.ReadFile(filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return nil, fmt.Errorf("reading Go's wasm_exec.js: %w", err)
	}
	loader, err := os.ReadFile(filepath.Join(root, "wasm", "assets", "loader.js"))
	if err != nil {
		return nil, err
	}
	css, err := os.ReadFile(filepath.Join(root, "wasm", "widget.css"))
	if err != nil {
		return nil, err
	}
	// The stylesheet goes in as a JSON string, which is a JS string literal
	// (json.Marshal also escapes <, > and &).
	cssJS, err := json.Marshal(string(css))
	if err != nil {
		return nil, err
	}
	for _, p := range []string{"__TW_WASM__", "__TW_VERSION__", `"__TW_CSS__"`} {
		if bytes.Count(loader, []byte(p)) != 1 {
			return nil, fmt.Errorf("loader.js must hold its %s placeholder once", p)
		}
	}
	loader = bytes.ReplaceAll(loader, []byte("__TW_WASM__"), []byte(wasmName))
	loader = bytes.ReplaceAll(loader, []byte("__TW_VERSION__"), []byte(version))
	loader = bytes.ReplaceAll(loader, []byte(`"__TW_CSS__"`), cssJS)
	var b bytes.Buffer
	fmt.Fprintf(&b, "/*! triggerwidget %s | includes Go's wasm_exec.js (BSD-3-Clause, The Go Authors) */\n", version)
	b.WriteString(`(function () {
"use strict";
// Go's wasm_exec.js defines the Go class and, unless the page already has
// them, fs, process and path shims as globals, which Go's syscall package
// reads when the program starts. They are globals only while this script's
// own synchronous code runs (the evaluation of wasm_exec.js just below, and
// the call that starts the program: withShims), so the page's scripts
// never see them; and whatever the page had under those names (its own
// process object, an element with id="fs") is set aside meanwhile and put
// back untouched.
var fs, process, path, Go;
function swapGlobals(values) {
  var saved = [];
  ["fs", "process", "path", "Go"].forEach(function (k) {
    if (!(k in values)) return;
    var desc = Object.getOwnPropertyDescriptor(globalThis, k);
    // A getter the page cannot let go of: not ours to set (nor its setter
    // to call); wasm_exec.js then sees the page's value.
    if (desc && !desc.configurable && !("value" in desc)) return;
    try {
      if (!desc || desc.configurable) {
        Object.defineProperty(globalThis, k, { value: values[k], writable: true, configurable: true });
      } else {
        globalThis[k] = values[k]; // the page's own var: writable, not configurable
      }
      saved.push([k, desc]);
    } catch (e) { /* a name the page froze: left as it is */ }
  });
  return function () {
    saved.forEach(function (s) {
      try {
        if (!s[1]) delete globalThis[s[0]];
        else if (s[1].configurable) Object.defineProperty(globalThis, s[0], s[1]);
        else globalThis[s[0]] = s[1].value;
      } catch (e) { /* ignore */ }
    });
  };
}
function withShims(fn) {
  var restore = swapGlobals({ fs: fs, process: process, path: path });
  try { return fn(); } finally { restore(); }
}
var __restore = swapGlobals({ fs: undefined, process: undefined, path: undefined, Go: undefined });
try {
`)
	b.Write(execJS)
	b.WriteString(`
  fs = globalThis.fs; process = globalThis.process; path = globalThis.path; Go = globalThis.Go;
} catch (e) {
  try { console.error("[triggerwidget] this browser cannot run the widget:", e); } catch (e2) { /* ignore */ }
  return;
} finally {
  __restore();
}
try {
`)
	b.Write(loader)
	b.WriteString(`
} catch (e) {
  try { console.error("[triggerwidget] could not start:", e); } catch (e2) { /* ignore */ }
}
})();
`)
	return b.Bytes(), nil
}

// Brotli compresses b at brotli's best quality (11), as the build's .br
// copies are.
func Brotli(b []byte) ([]byte, error) {
	var br bytes.Buffer
	w := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return br.Bytes(), nil
}

func compress(path string, b []byte) error {
	br, err := Brotli(b)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	g, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := io.Copy(g, bytes.NewReader(b)); err != nil {
		return err
	}
	if err := g.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(path+".br", br, 0o644); err != nil {
		return err
	}
	return os.WriteFile(path+".gz", gz.Bytes(), 0o644)
}

// wasmExperiment is the GOEXPERIMENT setting every wasm of ours is built
// with, where the toolchain knows it. Go 1.26's default collector, Green
// Tea, marks memory a span at a time, which pays off on many cores and
// large heaps; the widget runs one thread over a live heap of under 1 MB,
// where the previous collector does as well (the same linear memory after
// the bench's 1,000 events) and Green Tea's code only costs 49 KB of wasm
// (9 KB brotli). A toolchain without the setting (Go 1.27 drops it) builds
// with its default.
const wasmExperiment = "nogreenteagc"

// WasmEnv is the environment of a `go build` or `go test` of the wasm run
// in root: the process's own, GOOS=js, GOARCH=wasm, GOEXPERIMENT set to
// WasmExperiment(root) and GOFLAGS to WasmGOFLAGS(root).
func WasmEnv(root string) []string {
	env := append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	return append(env, "GOEXPERIMENT="+WasmExperiment(root), "GOFLAGS="+WasmGOFLAGS(root))
}

// WasmExperiment is the GOEXPERIMENT the wasm is built with in root: the
// one the go command is configured with (environment or `go env -w`), with
// wasmExperiment added when the go command accepts it and no setting of
// the collector is there already. When the go command refuses it, it says
// so on stderr and leaves the configured setting as it is.
func WasmExperiment(root string) string {
	prev, err := wasmGoEnv(root, "GOEXPERIMENT")
	if err != nil {
		// A setting the go command refuses: the build will say so.
		return os.Getenv("GOEXPERIMENT")
	}
	if strings.Contains(prev, "greenteagc") {
		return prev // the caller chose a collector
	}
	exp := wasmExperiment
	if prev != "" {
		exp = prev + "," + exp
	}
	if _, err := wasmGoEnv(root, "GOEXPERIMENT", "GOEXPERIMENT="+exp); err != nil {
		fmt.Fprintf(os.Stderr, "distbuild: the go command refuses GOEXPERIMENT=%s; the wasm is built with the toolchain's default collector (about 9 KB brotli more on Go 1.26)\n", exp)
		return prev
	}
	return exp
}

// GOROOT asks the go command on PATH for its root, where wasm_exec.js and
// go_js_wasm_exec live (the toolchain that builds the wasm, not the one
// that built this program).
func GOROOT() (string, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOROOT: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// FindRoot walks up from dir to the directory holding go.mod.
func FindRoot(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir || strings.TrimSpace(parent) == "" {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}
