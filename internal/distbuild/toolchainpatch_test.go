package distbuild

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fakeGOROOT writes files (paths under src, with slashes) under a new
// directory and returns it.
func fakeGOROOT(t *testing.T, files map[string]string) string {
	t.Helper()
	goroot := t.TempDir()
	for name, src := range files {
		path := filepath.Join(goroot, "src", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return goroot
}

const (
	fakeSpanSet = "package runtime\n\nconst (\n\tspanSetBlockEntries = 512 // 4KB on 64-bit\n\tspanSetInitSpineCap = 256 // Enough for 1GB heap on 64-bit\n)\n"
	fakeMGC     = "package runtime\n\nconst (\n\tsweepMinHeapDistance = 1024 * 1024\n)\n"
	// fakeParse has the lines regexpTables edits, as regexp/syntax's
	// parse.go writes them.
	fakeParse = `package syntax

func (p *parser) parsePerlClassEscape(s string, r []rune) (out []rune, rest string) {
	g := perlGroup[s[0:2]]
	return
}

func (p *parser) parseNamedClass(s string, r []rune) (out []rune, rest string, err error) {
	g := posixGroup[name]
	return
}

func initCategoryAliases() {
	for name, actual := range unicode.CategoryAliases {
		categoryAliases.m[canonicalName(name)] = actual
	}
}

func unicodeTable(name string) (tab, fold *unicode.RangeTable, sign int) {
	switch name {
	case "Lc":
		return unicode.Categories["LC"], unicode.FoldCategory["LC"], +1
	}
	if t := unicode.Categories[name]; t != nil {
		return t, unicode.FoldCategory[name], +1
	}
	if t := unicode.Scripts[name]; t != nil {
		return t, unicode.FoldScript[name], +1
	}
	if actual := categoryAliases.m[name]; actual != "" {
		t := unicode.Categories[actual]
		return t, unicode.FoldCategory[actual], +1
	}
	return nil, nil, 0
}
`
	fakePerlGroups = "package syntax\n\nvar perlGroup = map[string]charGroup{\n\t`\\d`: {+1, code1},\n}\n\nvar posixGroup = map[string]charGroup{\n\t`[:alpha:]`: {+1, code5},\n}\n"
	fakeTables     = "package unicode\n\nvar Categories = map[string]*RangeTable{\n\t\"Lu\": Lu,\n\t\"Ll\": Ll,\n}\n\nvar CategoryAliases = map[string]string{\n\t\"Uppercase_Letter\": \"Lu\",\n}\n\nvar Scripts = map[string]*RangeTable{\n\t\"Greek\": Greek,\n}\n"
)

// fakeGodebug has the line godebugMetrics edits.
const fakeGodebug = "package godebug\n\nfunc (s *Setting) register() {\n\tregisterMetric(\"/godebug/non-default-behavior/\"+s.Name()+\":events\", s.nonDefault.Load)\n}\n"

// fakeToolchain is a GOROOT with every file toolchainPatches reads.
func fakeToolchain() map[string]string {
	return map[string]string{
		"runtime/mspanset.go":          fakeSpanSet,
		"runtime/mgc.go":               fakeMGC,
		"runtime/malloc.go":            "package runtime\n",
		"regexp/syntax/parse.go":       fakeParse,
		"regexp/syntax/perl_groups.go": fakePerlGroups,
		"unicode/tables.go":            fakeTables,
		"internal/godebug/godebug.go":  fakeGodebug,
	}
}

// readOverlay reads an overlay file: the toolchain's file (under src,
// with slashes) → the contents of its patched copy.
func readOverlay(t *testing.T, goroot, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var overlay struct{ Replace map[string]string }
	if err := json.Unmarshal(b, &overlay); err != nil {
		t.Fatalf("overlay file: %v\n%s", err, b)
	}
	files := map[string]string{}
	for from, to := range overlay.Replace {
		rel, err := filepath.Rel(filepath.Join(goroot, "src"), from)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("the overlay replaces %s, outside the toolchain's source", from)
		}
		b, err := os.ReadFile(to)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = string(b)
	}
	return files
}

func TestOverlay(t *testing.T) {
	goroot := fakeGOROOT(t, fakeToolchain())
	dir := filepath.Join(t.TempDir(), "overlay")
	path, skipped, err := Overlay(goroot, dir, toolchainPatches)
	if err != nil || len(skipped) > 0 {
		t.Fatalf("Overlay: %v, skipped %v", err, skipped)
	}
	files := readOverlay(t, goroot, path)
	if got, want := slices.Sorted(maps.Keys(files)), []string{"internal/godebug/godebug.go", "regexp/syntax/overlaytables.go", "regexp/syntax/parse.go", "runtime/mgc.go", "runtime/mspanset.go"}; !slices.Equal(got, want) {
		t.Fatalf("the overlay replaces %v, want %v", got, want)
	}
	for name, want := range map[string]string{
		"runtime/mspanset.go":         "package runtime\n\nconst (\n\tspanSetBlockEntries = 64 // 4KB on 64-bit\n\tspanSetInitSpineCap = 16 // Enough for 1GB heap on 64-bit\n)\n",
		"runtime/mgc.go":              "package runtime\n\nconst (\n\tsweepMinHeapDistance = 256 * 1024\n)\n",
		"internal/godebug/godebug.go": "package godebug\n\nfunc (s *Setting) register() {\n\t// Not registered as a runtime metric in triggerwidget's wasm build\n\t// (internal/distbuild/godebugpatch.go).\n}\n",
	} {
		if files[name] != want {
			t.Errorf("patched %s = %q, want %q", name, files[name], want)
		}
	}
	parse := files["regexp/syntax/parse.go"]
	for _, gone := range []string{"unicode.Categories", "unicode.Scripts", "unicode.CategoryAliases", "perlGroup[", "posixGroup["} {
		if strings.Contains(parse, gone) {
			t.Errorf("patched parse.go still looks in %s:\n%s", gone, parse)
		}
	}
	if strings.Count(parse, "unicode.Fold") != 4 {
		t.Errorf("patched parse.go should keep its four fold lookups:\n%s", parse)
	}
	tables := files["regexp/syntax/overlaytables.go"]
	for _, want := range []string{
		"package syntax\n",
		"func overlayFind[T any](entries []overlayEntry[T], name string) T {\n",
		"func overlayTable(tables []overlayEntry[**unicode.RangeTable], name string) *unicode.RangeTable {\n",
		// Sorted by name, as overlayFind's search needs.
		"var overlayCategories = [...]overlayEntry[**unicode.RangeTable]{\n\t{\"Ll\", &unicode.Ll},\n\t{\"Lu\", &unicode.Lu},\n}\n",
		"var overlayScripts = [...]overlayEntry[**unicode.RangeTable]{\n\t{\"Greek\", &unicode.Greek},\n}\n",
		"var overlayPerlGroups = [...]overlayEntry[charGroup]{\n\t{\"\\\\d\", charGroup{+1, code1}},\n}\n",
		"var overlayPosixGroups = [...]overlayEntry[charGroup]{\n\t{\"[:alpha:]\", charGroup{+1, code5}},\n}\n",
		"var overlayCategoryAliases = [...][2]string{\n\t{\"Uppercase_Letter\", \"Lu\"},\n}\n",
	} {
		if !strings.Contains(tables, want) {
			t.Errorf("the generated file has no\n%s\nin:\n%s", want, tables)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "overlaytables.go", tables, 0); err != nil {
		t.Errorf("the generated file: %v", err)
	}
	// Again, as a second build would: same overlay, same files.
	if again, skipped, err := Overlay(goroot, dir, toolchainPatches); err != nil || len(skipped) > 0 || again != path {
		t.Errorf("second run: %q, %v, skipped %v; want %q", again, err, skipped, path)
	}
}

// A patch that does not fit is left out, with the reason, and the others
// still apply.
func TestOverlaySkipsWhatDoesNotFit(t *testing.T) {
	for name, tc := range map[string]struct {
		change  map[string]string // files changed from fakeToolchain ("" removes one)
		applied []string          // files the overlay still replaces
		want    string            // in the one skipped patch's error
	}{
		"declaration changed": {
			map[string]string{"runtime/mgc.go": strings.Replace(fakeMGC, "1024 * 1024", "1 << 20", 1)},
			[]string{"internal/godebug/godebug.go", "regexp/syntax/overlaytables.go", "regexp/syntax/parse.go"},
			"the runtime's span-set and sweep sizes: runtime/mgc.go of %s has \"sweepMinHeapDistance = 1024 * 1024\" 0 times, not once; the wasm is built without this patch (about 1 MB more",
		},
		"declared twice": {
			map[string]string{"runtime/mspanset.go": fakeSpanSet + fakeSpanSet},
			[]string{"internal/godebug/godebug.go", "regexp/syntax/overlaytables.go", "regexp/syntax/parse.go"},
			`has "spanSetBlockEntries = 512" 2 times`,
		},
		"file gone": {
			map[string]string{"runtime/mgc.go": ""},
			[]string{"internal/godebug/godebug.go", "regexp/syntax/overlaytables.go", "regexp/syntax/parse.go"},
			"mgc.go",
		},
		"lookup rewritten": {
			map[string]string{"regexp/syntax/parse.go": strings.Replace(fakeParse, "unicode.Scripts[name]", "unicode.Scripts[canonical]", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"regexp/syntax's name lookups: regexp/syntax/parse.go of %s has \"if t := unicode.Scripts[name]; t != nil {\" 0 times",
		},
		"table not a map": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "var Scripts = map[string]*RangeTable{\n\t\"Greek\": Greek,\n}", "var Scripts = scripts()", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"Scripts is not a map literal",
		},
		"value not a table": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "\"Lu\": Lu,", "\"Lu\": &RangeTable{},", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			`unicode.Categories: value &RangeTable{} of key "Lu" is not an exported table`,
		},
		"entry without a key": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "\"Lu\": Lu,", "Lu,", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"Categories has an entry Lu without a key",
		},
		"key not a string": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "\"Lu\": Lu,", "lu: Lu,", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"Categories has an entry lu: Lu without a string key",
		},
		"map gone": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "var Scripts =", "var scripts =", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"has no map Scripts with entries",
		},
		"alias not a string": {
			map[string]string{"unicode/tables.go": strings.Replace(fakeTables, "\"Uppercase_Letter\": \"Lu\",", "\"Uppercase_Letter\": upper,", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			`CategoryAliases: value upper of key "Uppercase_Letter" is not a string`,
		},
		"group typed": {
			map[string]string{"regexp/syntax/perl_groups.go": strings.Replace(fakePerlGroups, "{+1, code1}", "charGroup{+1, code1}", 1)},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"perlGroup: value charGroup{+1, code1} of key \"\\\\d\" is not an untyped literal",
		},
		"generated file there already": {
			map[string]string{"regexp/syntax/overlaytables.go": "package syntax\n"},
			[]string{"internal/godebug/godebug.go", "runtime/mgc.go", "runtime/mspanset.go"},
			"regexp/syntax/overlaytables.go of %s is there already",
		},
	} {
		files := fakeToolchain()
		for file, src := range tc.change {
			if src == "" {
				delete(files, file)
			} else {
				files[file] = src
			}
		}
		goroot := fakeGOROOT(t, files)
		dir := filepath.Join(t.TempDir(), "overlay")
		path, skipped, err := Overlay(goroot, dir, toolchainPatches)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := strings.Replace(tc.want, "%s", goroot, 1)
		if len(skipped) != 1 || !strings.Contains(skipped[0].Error(), want) {
			t.Errorf("%s: skipped %v, want one error with %q", name, skipped, want)
		}
		if got := slices.Sorted(maps.Keys(readOverlay(t, goroot, path))); !slices.Equal(got, tc.applied) {
			t.Errorf("%s: the overlay replaces %v, want %v", name, got, tc.applied)
		}
	}
	// Nothing fits: no overlay at all.
	goroot := fakeGOROOT(t, map[string]string{"runtime/mgc.go": fakeMGC})
	dir := filepath.Join(t.TempDir(), "overlay")
	if path, skipped, err := Overlay(goroot, dir, toolchainPatches); err != nil || path != "" || len(skipped) != len(toolchainPatches) {
		t.Errorf("with no patch fitting: %q, %v, skipped %v; want no overlay and every patch skipped", path, err, skipped)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("with no patch fitting, the overlay's directory was made")
	}
}

// When Go moves on, this fails: measure again (make bench: memory, ready,
// size) and update the patches, or drop them.
func TestToolchainPatchesApplyToThisToolchain(t *testing.T) {
	goroot, err := GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	if _, skipped, err := Overlay(goroot, t.TempDir(), toolchainPatches); err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
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
	// From a directory of the module (a package's test): the same overlay,
	// in the module's root.
	if sub := WasmGOFLAGS(filepath.Join(root, "cmd", "widget")); sub != got {
		t.Errorf("from cmd/widget: GOFLAGS = %q, want %q", sub, got)
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
	writeProgram(t, dir, "sizes", src)
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
	overlay, skipped, err := Overlay(goroot, filepath.Join(dir, "overlay"), []toolchainPatch{runtimeSizes})
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
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

// A toolchain that none of the patches fits builds with its packages as
// they are: GOFLAGS stays the caller's.
func TestWasmGOFLAGSWithAnotherRuntime(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	files := fakeToolchain()
	files["runtime/mgc.go"] = "package runtime\n"
	files["regexp/syntax/parse.go"] = "package syntax\n"
	files["internal/godebug/godebug.go"] = "package godebug\n"
	goroot := fakeGOROOT(t, files)
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
		t.Errorf("GOFLAGS = %q with a toolchain no patch fits, want the caller's %q", got, "-mod=mod")
	}
	if _, err := os.Stat(filepath.Join(root, ".cache")); err == nil {
		t.Error("an overlay was written for a toolchain no patch fits")
	}
}

// writeProgram writes a module of one main package, src, to dir.
func writeProgram(t *testing.T, dir, module, src string) {
	t.Helper()
	for name, b := range map[string]string{"main.go": src, "go.mod": "module " + module + "\n\ngo 1.22\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// regexpNamesProgram parses every Unicode class name package unicode
// knows, and variants of each, and every Perl and POSIX class, and
// prints each pattern with its parse (hashed) or its error.
const regexpNamesProgram = `package main

import (
	"hash/fnv"
	"os"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

func main() {
	names := []string{"Any", "any", "Assigned", "ASCII", "ascii", "L&", "Nope", "", " ", "_", "Greek_", "-Greek"}
	for _, m := range []map[string]*unicode.RangeTable{unicode.Categories, unicode.Scripts, unicode.Properties, unicode.FoldCategory, unicode.FoldScript} {
		for n := range m {
			names = append(names, n)
		}
	}
	for n, actual := range unicode.CategoryAliases {
		names = append(names, n, actual)
	}
	var variants []string
	for _, n := range names {
		variants = append(variants, n, strings.ToLower(n), strings.ToUpper(n), strings.ReplaceAll(n, "_", " "), strings.ReplaceAll(n, "_", ""), strings.ReplaceAll(n, "_", "-"))
	}
	var patterns []string
	for _, v := range variants {
		patterns = append(patterns, ` + "`\\p{`+v+`}`, `\\P{`+v+`}`, `(?i)\\p{`+v+`}`, `[^\\p{`+v+`}x]`" + `)
	}
	for c := ' '; c <= '~'; c++ {
		patterns = append(patterns, ` + "`\\p`+string(c), `\\P`+string(c), `\\`+string(c), `[\\`+string(c)+`]`, `(?i)[^\\`+string(c)+`]`" + `)
	}
	for _, n := range []string{"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit", "nope", "", "ALPHA"} {
		patterns = append(patterns, "[[:"+n+":]]", "[[:^"+n+":]]", "(?i)[[:"+n+":]x]", "[^[:"+n+":]]")
	}
	slices.Sort(patterns)
	patterns = slices.Compact(patterns)
	var out strings.Builder
	for _, p := range patterns {
		for _, flags := range []syntax.Flags{syntax.Perl, syntax.POSIX} {
			re, err := syntax.Parse(p, flags)
			if err != nil {
				out.WriteString(strconv.Quote(p) + " error " + err.Error() + "\n")
				continue
			}
			h := fnv.New64a()
			h.Write([]byte(re.String()))
			out.WriteString(strconv.Quote(p) + " " + strconv.FormatUint(h.Sum64(), 16) + "\n")
		}
	}
	os.Stdout.WriteString(out.String())
}
`

// The lookups regexpTables generates find what regexp/syntax finds in
// the maps: a program built with and without the patch (natively, which
// it changes just the same) prints the same parse for every name.
func TestRegexpPatchParsesAsTheToolchain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs")
	}
	goroot, err := GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeProgram(t, dir, "names", regexpNamesProgram)
	overlay, skipped, err := Overlay(goroot, filepath.Join(dir, "overlay"), []toolchainPatch{regexpTables})
	if err != nil || len(skipped) > 0 {
		t.Fatal(err, skipped)
	}
	goflags, err := overlayFlag(overlay)
	if err != nil {
		t.Fatal(err)
	}
	gocmd := func(goflags string, args ...string) []string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS="+goflags)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s (GOFLAGS=%q): %v", strings.Join(args, " "), goflags, err)
		}
		return strings.Split(strings.TrimSpace(string(out)), "\n")
	}
	// The go command builds regexp/syntax with the generated file: the
	// comparison below is between two different builds.
	if files := gocmd(goflags, "list", "-f", "{{.GoFiles}}", "regexp/syntax"); !strings.Contains(files[0], "overlaytables.go") {
		t.Fatalf("with the overlay, regexp/syntax is built from %v", files)
	}
	stock, patched := gocmd("", "run", "."), gocmd(goflags, "run", ".")
	parsed := 0
	for _, line := range stock {
		if !strings.Contains(line, " error ") {
			parsed++
		}
	}
	if parsed < 2000 || len(stock)-parsed < 1000 {
		t.Fatalf("the program parsed %d patterns and refused %d; want thousands of each:\n%s", parsed, len(stock)-parsed, strings.Join(stock[:min(len(stock), 20)], "\n"))
	}
	if len(patched) != len(stock) {
		t.Fatalf("%d lines patched, %d as the toolchain is", len(patched), len(stock))
	}
	diffs := 0
	for i := range stock {
		if stock[i] != patched[i] {
			if diffs++; diffs <= 10 {
				t.Errorf("as the toolchain is: %s\n                patched: %s", stock[i], patched[i])
			}
		}
	}
	if diffs > 0 {
		t.Errorf("%d of %d patterns parse differently with the patch", diffs, len(stock))
	}
}
