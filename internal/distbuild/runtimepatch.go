package distbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
)

// The wasm is built with two of the Go runtime's tunings changed, through
// the go command's -overlay flag: the runtime's source files that hold
// them are copied from the toolchain, the declarations rewritten, and the
// build told to read the copies. Both are sized for servers, and a page's
// linear memory never gives back what they take (docs/design.md, "Memory"):
//
//   - The heap keeps, for each of its size classes, four sets of spans
//     (partly used and full, swept and not), each a spine of 256 pointers
//     (2 KB) and blocks of 512 (4 KB) that a set holds while it has a
//     span, then gives back to a pool that never shrinks. The widget uses
//     some fifty classes with a span or two in each: 1 MB of the page's
//     memory after a long visit was these sets, nearly all of it empty.
//     With 16 and 64 entries they took 0.9 MB less on the bench's visit.
//   - After each collection the next one waits until the heap has grown
//     by at least 1 MiB, whatever GOGC says, so that the sweeper has room
//     (on many cores, sweeping runs beside the program). The widget's live
//     heap is a few hundred KB, so the heap reached its live size plus
//     1 MiB before each collection, and the page kept that high mark for
//     good. 256 KiB lets GOGC and the minimum heap decide, as for a heap
//     of a few MB.
//
// The constants are only sizes, read where the runtime allocates the sets
// and where it sets the next collection's goal. The sweeper's pacing
// takes 1 MiB off that distance as a margin, so with 256 KiB it sweeps
// what is left within the next page allocated, as it already did for a
// live heap this small.
// A toolchain whose runtime does not have these declarations as written
// here is not patched (WasmGOFLAGS says so and builds with the runtime as
// it is), and TestRuntimeOverlayAppliesToThisToolchain fails, so that
// someone measures again before the patch follows a new Go.
var runtimePatches = []runtimePatch{
	{"mspanset.go", "\tspanSetBlockEntries = 512 ", "\tspanSetBlockEntries = 64 "},
	{"mspanset.go", "\tspanSetInitSpineCap = 256 ", "\tspanSetInitSpineCap = 16 "},
	{"mgc.go", "\tsweepMinHeapDistance = 1024 * 1024\n", "\tsweepMinHeapDistance = 256 * 1024\n"},
}

// runtimePatch replaces one declaration in one file of package runtime.
type runtimePatch struct {
	file     string // in $GOROOT/src/runtime
	old, new string // exactly as it reads there, and what it becomes
}

// RuntimeOverlay writes the runtime files runtimePatches changes, patched,
// to dir, and beside them the overlay file the go command's -overlay flag
// reads (the toolchain's file → its patched copy); it returns the overlay
// file's path. Files already there with the same contents are left as they
// are, so concurrent builds can share dir. Every patch must find its text
// exactly once in goroot's runtime, or nothing is written.
func RuntimeOverlay(goroot, dir string) (string, error) {
	files := map[string][]byte{}
	var order []string
	for _, p := range runtimePatches {
		src, ok := files[p.file]
		if !ok {
			b, err := os.ReadFile(filepath.Join(goroot, "src", "runtime", p.file))
			if err != nil {
				return "", fmt.Errorf("runtime patch: %w", err)
			}
			src = b
			order = append(order, p.file)
		}
		switch n := bytes.Count(src, []byte(p.old)); n {
		case 1:
			files[p.file] = bytes.Replace(src, []byte(p.old), []byte(p.new), 1)
		default:
			return "", fmt.Errorf("runtime patch: %s of %s has %q %d times, not once", p.file, goroot, strings.TrimSpace(p.old), n)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("runtime patch: %w", err)
	}
	overlay := struct{ Replace map[string]string }{map[string]string{}}
	for _, name := range order {
		patched := filepath.Join(dir, name)
		if err := writeIfChanged(patched, files[name]); err != nil {
			return "", fmt.Errorf("runtime patch: %w", err)
		}
		overlay.Replace[filepath.Join(goroot, "src", "runtime", name)] = patched
	}
	b, err := json.MarshalIndent(overlay, "", "\t")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	if err := writeIfChanged(path, append(b, '\n')); err != nil {
		return "", fmt.Errorf("runtime patch: %w", err)
	}
	return path, nil
}

// writeIfChanged replaces name with b, atomically, unless it holds b.
func writeIfChanged(name string, b []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return atomicfile.WriteFile(name, b, 0o644)
}

// runtimeOverlayDir is where the patched runtime files of a checkout live
// (ignored by git, removed by make clean), one directory per toolchain.
func runtimeOverlayDir(root, goroot string) string {
	sum := sha256.Sum256([]byte(goroot))
	return filepath.Join(root, ".cache", "wasm-runtime", hex.EncodeToString(sum[:6]))
}

// WasmGOFLAGS is the GOFLAGS of a wasm build in root: the go command's own
// (environment or `go env -w`) with -overlay naming the patched runtime
// files (see runtimePatches). When the caller's GOFLAGS already has
// another overlay, or the runtime cannot be patched, it says so on stderr
// and leaves GOFLAGS as it is.
func WasmGOFLAGS(root string) string {
	prev := os.Getenv("GOFLAGS")
	if out, err := wasmGoEnv(root, "GOFLAGS"); err == nil {
		prev = out
	}
	goroot, err := GOROOT()
	var flag string
	if err == nil {
		dir := runtimeOverlayDir(root, goroot)
		if strings.Contains(prev, "-overlay=") {
			if !strings.Contains(prev, dir) {
				fmt.Fprintln(os.Stderr, "distbuild: GOFLAGS has an -overlay of its own; the wasm is built without the runtime patch (docs/design.md, \"Two of the runtime's sizes\")")
			}
			return prev
		}
		var overlay string
		if overlay, err = RuntimeOverlay(goroot, dir); err == nil {
			flag, err = overlayFlag(overlay)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "distbuild: %v; the wasm is built with the Go runtime as it is (about 1 MB more linear memory after a long visit)\n", err)
		return prev
	}
	return strings.TrimSpace(prev + " " + flag)
}

// overlayFlag is the -overlay flag for path as GOFLAGS holds it: a path
// with spaces is quoted, which the go command reads as one flag.
func overlayFlag(path string) (string, error) {
	flag := "-overlay=" + path
	switch {
	case !strings.ContainsAny(path, " \t\n\r'\""):
		return flag, nil
	case !strings.ContainsAny(path, "'\n\r"):
		return "'" + flag + "'", nil
	}
	return "", fmt.Errorf("the overlay's path %q cannot be written in GOFLAGS", path)
}

// wasmGoEnv asks the go command in root for the value of the variable
// name in a wasm build's environment, with extra set too.
func wasmGoEnv(root, name string, extra ...string) (string, error) {
	cmd := exec.Command("go", "env", name)
	cmd.Dir = root
	cmd.Env = append(append(os.Environ(), "GOOS=js", "GOARCH=wasm"), extra...)
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}
