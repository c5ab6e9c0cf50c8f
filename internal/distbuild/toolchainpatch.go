package distbuild

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
)

// The wasm is built with a few of the Go toolchain's own packages changed,
// through the go command's -overlay flag: the files a patch changes are
// copied from the toolchain, edited, and the build told to read the
// copies; a patch may also add a file it generates from the toolchain's
// source. Each patch is in a file of its own (runtimepatch.go,
// regexppatch.go, godebugpatch.go), with the reasons. The server, built
// natively, reads the toolchain as it is.
//
// A patch applies whole or not at all: every edit must find its text
// exactly once, and a generated file must not be there already. One that
// does not fit a toolchain is left out (WasmGOFLAGS says so on stderr; the
// widget works the same without it), and TestToolchainPatchesApplyToThisToolchain
// fails, so that someone measures again before a patch follows a new Go.
var toolchainPatches = []toolchainPatch{runtimeSizes, regexpTables, godebugMetrics}

// A toolchainPatch is one change to the toolchain's packages for the wasm.
type toolchainPatch struct {
	name    string       // what it changes
	without string       // what the wasm is like without it
	edits   []sourceEdit // in the order they apply
	// generate, if set, returns a file to add to a package of the
	// toolchain: its path under $GOROOT/src and its source.
	generate func(goroot string) (file string, src []byte, err error)
}

// sourceEdit replaces one piece of text in one of the toolchain's files.
type sourceEdit struct {
	file     string // under $GOROOT/src, with slashes
	old, new string // exactly as it reads there, and what it becomes
}

// apply returns the files p changes, read from goroot unless files has
// them already (from the patches before it).
func (p toolchainPatch) apply(goroot string, files map[string][]byte) (map[string][]byte, error) {
	changed := map[string][]byte{}
	for _, e := range p.edits {
		src, ok := changed[e.file]
		if !ok {
			src, ok = files[e.file]
		}
		if !ok {
			b, err := os.ReadFile(filepath.Join(goroot, "src", filepath.FromSlash(e.file)))
			if err != nil {
				return nil, err
			}
			src = b
		}
		if n := bytes.Count(src, []byte(e.old)); n != 1 {
			return nil, fmt.Errorf("%s of %s has %q %d times, not once", e.file, goroot, strings.TrimSpace(e.old), n)
		}
		changed[e.file] = bytes.Replace(src, []byte(e.old), []byte(e.new), 1)
	}
	if p.generate != nil {
		file, src, err := p.generate(goroot)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(filepath.Join(goroot, "src", filepath.FromSlash(file))); !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s of %s is there already", file, goroot)
		}
		changed[file] = src
	}
	return changed, nil
}

// Overlay writes to dir the toolchain's files that patches change, and
// beside them the overlay file the go command's -overlay flag reads (the
// toolchain's file → its patched copy); it returns the overlay file's
// path, or "" when no patch applies, and why each patch left out does not
// apply. Files already there with the same contents are left as they
// are, so concurrent builds can share dir.
func Overlay(goroot, dir string, patches []toolchainPatch) (path string, skipped []error, err error) {
	files := map[string][]byte{}
	for _, p := range patches {
		changed, err := p.apply(goroot, files)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("%s: %w; the wasm is built without this patch (%s)", p.name, err, p.without))
			continue
		}
		maps.Copy(files, changed)
	}
	if len(files) == 0 {
		return "", skipped, nil
	}
	overlay := struct{ Replace map[string]string }{map[string]string{}}
	for _, file := range slices.Sorted(maps.Keys(files)) {
		patched := filepath.Join(dir, filepath.FromSlash(file))
		if err := os.MkdirAll(filepath.Dir(patched), 0o755); err != nil {
			return "", skipped, err
		}
		if err := writeIfChanged(patched, files[file]); err != nil {
			return "", skipped, err
		}
		overlay.Replace[filepath.Join(goroot, "src", filepath.FromSlash(file))] = patched
	}
	b, err := json.MarshalIndent(overlay, "", "\t")
	if err != nil {
		return "", skipped, err
	}
	path = filepath.Join(dir, "overlay.json")
	if err := writeIfChanged(path, append(b, '\n')); err != nil {
		return "", skipped, err
	}
	return path, skipped, nil
}

// writeIfChanged replaces name with b, atomically, unless it holds b.
func writeIfChanged(name string, b []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return atomicfile.WriteFile(name, b, 0o644)
}

// overlayDir is where the patched files of a checkout live (ignored by
// git, removed by make clean), one directory per toolchain.
func overlayDir(root, goroot string) string {
	sum := sha256.Sum256([]byte(goroot))
	return filepath.Join(root, ".cache", "wasm-toolchain", hex.EncodeToString(sum[:6]))
}

// WasmGOFLAGS is the GOFLAGS of a wasm build in root: the go command's own
// (environment or `go env -w`) with -overlay naming the patched files
// (see toolchainPatches). It says on stderr which patches are left out,
// and leaves GOFLAGS as it is when none applies or the caller's GOFLAGS
// already has an overlay of its own.
func WasmGOFLAGS(root string) string {
	prev := os.Getenv("GOFLAGS")
	if out, err := wasmGoEnv(root, "GOFLAGS"); err == nil {
		prev = out
	}
	goroot, err := GOROOT()
	if err != nil {
		fmt.Fprintf(os.Stderr, "distbuild: %v; the wasm is built with the toolchain's packages as they are\n", err)
		return prev
	}
	// The module's root, when root is one of its directories (a test's).
	if abs, err := filepath.Abs(root); err == nil {
		if r, err := FindRoot(abs); err == nil {
			root = r
		}
	}
	dir := overlayDir(root, goroot)
	if strings.Contains(prev, "-overlay=") {
		if !strings.Contains(prev, dir) {
			fmt.Fprintln(os.Stderr, "distbuild: GOFLAGS has an -overlay of its own; the wasm is built without the toolchain patches (docs/design.md, \"Patches to the toolchain\")")
		}
		return prev
	}
	overlay, skipped, err := Overlay(goroot, dir, toolchainPatches)
	for _, err := range skipped {
		fmt.Fprintf(os.Stderr, "distbuild: %v\n", err)
	}
	if err == nil && overlay != "" {
		var flag string
		if flag, err = overlayFlag(overlay); err == nil {
			return strings.TrimSpace(prev + " " + flag)
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "distbuild: %v; the wasm is built with the toolchain's packages as they are\n", err)
	}
	return prev
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
