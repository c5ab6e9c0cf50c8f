package main

// These tests keep the wasm binary lean. They are native tests: they build
// the wasm with the same toolchain and inspect it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/internal/wasmsym"
)

const module = "github.com/triggerwidget/triggerwidget"

func goList(t *testing.T, format string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", format, ".")
	cmd.Env = distbuild.WasmEnv(".")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

// TestOwnPackagesImportNoHeavyPackages: none of our packages in the wasm
// build imports encoding/json, fmt, net/http or any easyjson package.
// (fmt is in the binary anyway, through safejs; we must not add to it.)
func TestOwnPackagesImportNoHeavyPackages(t *testing.T) {
	banned := []string{"encoding/json", "fmt", "net/http", "github.com/mailru/easyjson", "github.com/mailru/easyjson/jlexer", "github.com/mailru/easyjson/jwriter", "syscall/js"}
	lines := goList(t, `{{.ImportPath}}:{{join .Imports " "}}`)
	checked := 0
	for _, line := range lines {
		pkg, imports, _ := strings.Cut(line, ":")
		if !strings.HasPrefix(pkg, module) {
			continue
		}
		checked++
		for _, imp := range strings.Fields(imports) {
			for _, b := range banned {
				if imp == b {
					t.Errorf("%s imports %s; the wasm build must not", pkg, b)
				}
			}
		}
	}
	if checked < 3 {
		t.Fatalf("checked only %d of our packages; the go list output changed?\n%s", checked, strings.Join(lines, "\n"))
	}
}

// TestNoHeavyDependencies: nothing in the wasm build, ours or not, depends
// on net (easyjson's writer brought it for one net.Buffers call, with an
// init that costs tens of KB), encoding/json (easyjson's lexer brought it
// for json.Valid), or any easyjson package: internal/jsonlex and
// internal/jsonwrite read and write the JSON, and only the generator is
// easyjson's. encoding/base64 and josharian/intern came with easyjson's
// lexer too. fmt is still there, through safejs.
func TestNoHeavyDependencies(t *testing.T) {
	banned := []string{"net", "encoding/json", "encoding/base64", "github.com/mailru/easyjson", "github.com/josharian/intern"}
	deps := goList(t, `{{.ImportPath}}`)
	for _, dep := range deps {
		for _, b := range banned {
			if dep == b || strings.HasPrefix(dep, b+"/") {
				t.Errorf("the wasm build depends on %s", dep)
			}
		}
	}
	for _, want := range []string{module + "/internal/jsonlex", module + "/internal/jsonwrite", "fmt"} {
		if !slices.Contains(deps, want) {
			t.Errorf("the wasm build's dependencies lack %s; the go list output changed?", want)
		}
	}
}

// TestNoNativeOnlyDependencies: the strict checks and the simulator
// (package widget/strict, package widget/simulate and anything under
// them) and Go's embedded time zone database are for tools and servers.
// The wasm build must not depend on them at all, even indirectly: the
// runtime ignores unknown keys on purpose, and asks the browser for time
// zones.
func TestNoNativeOnlyDependencies(t *testing.T) {
	banned := []string{module + "/widget/strict", module + "/widget/simulate", "time/tzdata"}
	deps := goList(t, `{{.ImportPath}}`)
	for _, dep := range deps {
		for _, b := range banned {
			if dep == b || strings.HasPrefix(dep, b+"/") {
				t.Errorf("the wasm build depends on %s, which is native only", dep)
			}
		}
	}
	if !slices.Contains(deps, module+"/widget") || !slices.Contains(deps, "time") {
		t.Fatalf("the wasm build's dependencies lack widget or time; the go list output changed?\n%s", strings.Join(deps, "\n"))
	}
}

// TestBinaryLinksNoBannedCode inspects the linked binary's function names:
// none of net, encoding/json or easyjson's packages may be there at all,
// whatever imports them.
func TestBinaryLinksNoBannedCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm binary")
	}
	out := filepath.Join(t.TempDir(), "widget.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
	cmd.Env = distbuild.WasmEnv(".") // as make build does
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	funcs, err := wasmsym.Funcs(bin)
	if err != nil {
		t.Fatal(err)
	}
	if len(funcs) < 1000 {
		t.Fatalf("read only %d functions from the binary", len(funcs))
	}
	banned := map[string]string{
		"net":                                "net",
		"net/http":                           "net/http",
		"encoding/json":                      "encoding/json",
		"encoding/base64":                    "encoding/base64",
		"github.com/mailru/easyjson":         "easyjson's root package",
		"github.com/mailru/easyjson/jlexer":  "easyjson's lexer",
		"github.com/mailru/easyjson/jwriter": "easyjson's writer",
		"github.com/mailru/easyjson/buffer":  "easyjson's buffer",
		"github.com/josharian/intern":        "josharian/intern",
		// Printers the runtime never calls, linked as soon as a value
		// reaches an interface: a time.Time in an interface method's
		// signature (widget.Clock, widget.Zone, a *time.Timer as a
		// widget.Timer) brings Go's time formatting; printing a parsed
		// regular expression brings regexp/syntax's printer.
		"time.Time.appendFormat":    "Go's time formatting (a time.Time reached an interface)",
		"regexp/syntax.writeRegexp": "regexp/syntax's printer (syntax.Regexp.String)",
		// The initialisers of package-level maps the wasm build's
		// toolchain patch takes out of regexp/syntax's reach (unicode's
		// categories, scripts and aliases, regexp/syntax's Perl and
		// POSIX groups), built at every start otherwise.
		"unicode.map.init":       "unicode's name maps (distbuild's regexp/syntax patch did not apply?)",
		"regexp/syntax.map.init": "regexp/syntax's group maps (distbuild's regexp/syntax patch did not apply?)",
		// The runtime's table of metrics, which only internal/godebug's
		// metric registration reaches (distbuild's godebug patch).
		"runtime.initMetrics": "the runtime's metrics table (distbuild's internal/godebug patch did not apply?)",
	}
	var ownCode int
	for _, f := range funcs {
		if strings.HasPrefix(f.Name, wasmsym.Mangle(module+"/")) {
			ownCode++
		}
		for prefix, what := range banned {
			if wasmsym.InPackage(f.Name, prefix) {
				t.Errorf("the wasm binary links %s (%s)", what, f.Name)
			}
		}
	}
	if ownCode == 0 {
		t.Fatalf("found none of our own functions; symbol names changed?")
	}
	// The check would pass on names it cannot see: make sure it sees
	// packages it must find.
	for _, pkg := range []string{module + "/internal/jsonlex", "fmt", "strconv"} {
		if !slices.ContainsFunc(funcs, func(f wasmsym.Func) bool { return wasmsym.InPackage(f.Name, pkg) }) {
			t.Errorf("found no function of %s in the binary; symbol names changed?", pkg)
		}
	}
}
