package distbuild

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeGOROOT writes a runtime of the given files under a new directory and
// returns it.
func fakeGOROOT(t *testing.T, files map[string]string) string {
	t.Helper()
	goroot := t.TempDir()
	dir := filepath.Join(goroot, "src", "runtime")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return goroot
}

const (
	fakeSpanSet = "package runtime\n\nconst (\n\tspanSetBlockEntries = 512 // 4KB on 64-bit\n\tspanSetInitSpineCap = 256 // Enough for 1GB heap on 64-bit\n)\n"
	fakeMGC     = "package runtime\n\nconst (\n\tsweepMinHeapDistance = 1024 * 1024\n)\n"
)

func TestRuntimeOverlay(t *testing.T) {
	goroot := fakeGOROOT(t, map[string]string{"mspanset.go": fakeSpanSet, "mgc.go": fakeMGC, "malloc.go": "package runtime\n"})
	dir := filepath.Join(t.TempDir(), "overlay")
	path, err := RuntimeOverlay(goroot, dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var overlay struct{ Replace map[string]string }
	if err := json.Unmarshal(b, &overlay); err != nil {
		t.Fatalf("overlay file: %v\n%s", err, b)
	}
	want := map[string]string{
		"mspanset.go": "package runtime\n\nconst (\n\tspanSetBlockEntries = 64 // 4KB on 64-bit\n\tspanSetInitSpineCap = 16 // Enough for 1GB heap on 64-bit\n)\n",
		"mgc.go":      "package runtime\n\nconst (\n\tsweepMinHeapDistance = 256 * 1024\n)\n",
	}
	if len(overlay.Replace) != len(want) {
		t.Errorf("overlay replaces %d files, want %d: %v", len(overlay.Replace), len(want), overlay.Replace)
	}
	for name, src := range want {
		patched, ok := overlay.Replace[filepath.Join(goroot, "src", "runtime", name)]
		if !ok {
			t.Errorf("overlay does not replace %s: %v", name, overlay.Replace)
			continue
		}
		if got, err := os.ReadFile(patched); err != nil || string(got) != src {
			t.Errorf("patched %s = %q (%v), want %q", name, got, err, src)
		}
	}
	// Again, as a second build would: same overlay, same files.
	if again, err := RuntimeOverlay(goroot, dir); err != nil || again != path {
		t.Errorf("second run: %q, %v; want %q", again, err, path)
	}
}

func TestRuntimeOverlayRefusesAnotherRuntime(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"declaration changed": {map[string]string{"mspanset.go": fakeSpanSet, "mgc.go": strings.Replace(fakeMGC, "1024 * 1024", "1 << 20", 1)}, `mgc.go of ` + "%s" + ` has "sweepMinHeapDistance = 1024 * 1024" 0 times`},
		"declared twice":      {map[string]string{"mspanset.go": fakeSpanSet + fakeSpanSet, "mgc.go": fakeMGC}, `has "spanSetBlockEntries = 512" 2 times`},
		"file gone":           {map[string]string{"mspanset.go": fakeSpanSet}, "mgc.go"},
	} {
		goroot := fakeGOROOT(t, tc.files)
		dir := filepath.Join(t.TempDir(), "overlay")
		_, err := RuntimeOverlay(goroot, dir)
		want := strings.Replace(tc.want, "%s", goroot, 1)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one with %q", name, err, want)
		}
		if _, err := os.Stat(filepath.Join(dir, "overlay.json")); err == nil {
			t.Errorf("%s: an overlay was written", name)
		}
	}
}

// When Go's runtime moves on, this fails: measure the memory again
// (make bench) and update runtimePatches, or drop them.
func TestRuntimeOverlayAppliesToThisToolchain(t *testing.T) {
	goroot, err := GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RuntimeOverlay(goroot, t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

func TestWasmGOFLAGS(t *testing.T) {
	root := root(t)
	t.Setenv("GOFLAGS", "-mod=mod")
	got := WasmGOFLAGS(root)
	overlay, ok := strings.CutPrefix(got, "-mod=mod -overlay=")
	if !ok {
		t.Fatalf("GOFLAGS = %q, want the caller's flags and an overlay", got)
	}
	if _, err := os.Stat(overlay); err != nil {
		t.Errorf("the overlay GOFLAGS names: %v", err)
	}
	// Ours already there (GOFLAGS exported from distbuild -goflags): kept
	// as it is, not added twice.
	t.Setenv("GOFLAGS", got)
	if again := WasmGOFLAGS(root); again != got {
		t.Errorf("with our overlay set: GOFLAGS = %q, want %q", again, got)
	}
	// An overlay of the caller's own wins: ours is not added.
	t.Setenv("GOFLAGS", "-overlay=/elsewhere.json")
	if got := WasmGOFLAGS(root); got != "-overlay=/elsewhere.json" {
		t.Errorf("with an overlay set: GOFLAGS = %q, want it untouched", got)
	}
}

func TestOverlayFlag(t *testing.T) {
	for path, want := range map[string]string{
		"/src/app/.cache/o.json":    "-overlay=/src/app/.cache/o.json",
		"/home/a b/app/o.json":      "'-overlay=/home/a b/app/o.json'",
		"/home/it's/app/o.json":     "",
		"/home/a b/it's/app/o.json": "",
	} {
		got, err := overlayFlag(path)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("overlayFlag(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
}

// The patch does what it is for: a program that uses many of the heap's
// size classes, built as the widget is, keeps well under half the
// collector metadata it keeps when built with the runtime as it is, and
// after a collection at GOGC 10 over a small live heap its next goal is
// not the live heap plus 1 MiB.
func TestRuntimePatchTakesEffect(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two wasm programs")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not found")
	}
	goroot, err := GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := `package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
)

var bytes [][]byte
var pointers [][]*int

func main() {
	for round := 0; round < 4; round++ {
		for size := 8; size <= 32768; size += size/8 + 8 {
			bytes = append(bytes, make([]byte, size))
			pointers = append(pointers, make([]*int, size/8))
		}
		runtime.GC()
	}
	bytes, pointers = nil, nil
	debug.SetGCPercent(10)
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/metadata/other:bytes"}, {Name: "/gc/heap/goal:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	os.Stdout.WriteString(strconv.FormatUint(s[0].Value.Uint64(), 10) + " " + strconv.FormatUint(s[1].Value.Uint64()-s[2].Value.Uint64(), 10))
}
`
	for name, b := range map[string]string{"main.go": src, "go.mod": "module sizes\n\ngo 1.22\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	measure := func(goflags string) (metadata, distance int) {
		t.Helper()
		out := filepath.Join(dir, "m.wasm")
		build := exec.Command("go", "build", "-o", out, ".")
		build.Dir = dir
		build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOFLAGS="+goflags)
		if b, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build (GOFLAGS=%q): %v\n%s", goflags, err, b)
		}
		b, err := exec.Command(node, filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js"), out).CombinedOutput()
		m, d, _ := strings.Cut(string(b), " ")
		metadata, merr := strconv.Atoi(m)
		distance, derr := strconv.Atoi(d)
		if err != nil || merr != nil || derr != nil {
			t.Fatalf("running it (GOFLAGS=%q): %v\n%s", goflags, err, b)
		}
		return metadata, distance
	}
	overlay, err := RuntimeOverlay(goroot, filepath.Join(dir, "overlay"))
	if err != nil {
		t.Fatal(err)
	}
	plain, plainDist := measure("")
	patched, patchedDist := measure("-overlay=" + overlay)
	t.Logf("collector metadata: %d bytes with the runtime as it is, %d patched; heap goal past the live heap at GOGC 10: %d and %d bytes", plain, patched, plainDist, patchedDist)
	if patched*2 > plain {
		t.Errorf("collector metadata: %d bytes patched, %d with the runtime as it is; want under half", patched, plain)
	}
	if plainDist < 1<<20 || patchedDist >= 512<<10 {
		t.Errorf("heap goal past the live heap after a collection at GOGC 10: %d bytes with the runtime as it is (want 1 MiB or more), %d patched (want under 512 KiB)", plainDist, patchedDist)
	}
}

// A toolchain whose runtime does not read as the patch expects builds
// with its runtime as it is: GOFLAGS stays the caller's.
func TestWasmGOFLAGSWithAnotherRuntime(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	goroot := fakeGOROOT(t, map[string]string{"mspanset.go": fakeSpanSet, "mgc.go": "package runtime\n"})
	dir := t.TempDir()
	script := "#!/bin/sh\nif [ \"$1 $2\" = \"env GOROOT\" ]; then echo " + goroot + "; exit 0; fi\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("GOFLAGS", "-mod=mod")
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := WasmGOFLAGS(root); got != "-mod=mod" {
		t.Errorf("GOFLAGS = %q with a runtime the patch does not fit, want the caller's %q", got, "-mod=mod")
	}
	if _, err := os.Stat(filepath.Join(root, ".cache")); err == nil {
		t.Error("an overlay was written for a runtime the patch does not fit")
	}
}
