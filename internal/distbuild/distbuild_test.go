package distbuild

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/internal/wasmsym"
)

const module = "github.com/triggerwidget/triggerwidget"

// testClockCode is code that only wasm/testclock.go brings in: the manual
// clock and the hook's own functions.
var testClockCode = []string{
	module + "/widget.(*ManualClock)",
	module + "/wasm.advanceTestClock",
	module + "/wasm.savedTestClock",
	module + "/wasm.saveTestClock",
}

// testClockData is text that only wasm/testclock.go puts in the binary: the
// hook's name and its sessionStorage key.
var testClockData = []string{testClockMark, "triggerwidget:testclock"}

func root(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	r, err := FindRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTestClockOnlyWhenAsked builds the wasm as `make build` does and with
// TestClockTag, keeping the symbols: the first links none of the test
// clock's code and holds none of its text; the second has both, which shows
// that the first check looks for what is really there.
func TestTestClockOnlyWhenAsked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm twice")
	}
	r := root(t)
	for _, tc := range []struct {
		name string
		tags []string
		want bool
	}{
		{"shipped", nil, false},
		{"testclock", []string{TestClockTag}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			res, err := Build(Options{Root: r, Out: out, NoCompress: true, KeepSymbols: true, Tags: tc.tags})
			if err != nil {
				t.Fatal(err)
			}
			wasm, err := os.ReadFile(filepath.Join(out, res.WasmName))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range testClockData {
				if has := bytes.Contains(wasm, []byte(s)); has != tc.want {
					t.Errorf("the wasm holds %q: %v, want %v", s, has, tc.want)
				}
			}
			funcs, err := wasmsym.Funcs(wasm)
			if err != nil {
				t.Fatal(err)
			}
			for _, prefix := range testClockCode {
				var found []string
				for _, f := range funcs {
					if wasmsym.InPackage(f.Name, prefix) {
						found = append(found, f.Name)
					}
				}
				if has := len(found) > 0; has != tc.want {
					t.Errorf("the wasm links %s: %v (%q), want %v", prefix, has, found, tc.want)
				}
			}
		})
	}
}

// TestBuildRefusesAStrayTestClock: a tag that reaches the build from the
// environment, not from Options.Tags, must not produce a dist.
func TestBuildRefusesAStrayTestClock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm")
	}
	r := root(t)
	t.Setenv("GOFLAGS", "-tags="+TestClockTag)
	_, err := Build(Options{Root: r, Out: t.TempDir(), NoCompress: true})
	if err == nil || !strings.Contains(err.Error(), "GOFLAGS") {
		t.Fatalf("Build with GOFLAGS=-tags=%s: error %v, want a refusal naming GOFLAGS", TestClockTag, err)
	}
}

func TestCheckTestClock(t *testing.T) {
	t.Parallel()
	with := []byte("\x00asm...TriggerWidget." + testClockMark + "...")
	without := []byte("\x00asm...TriggerWidget...")
	for _, tc := range []struct {
		name string
		wasm []byte
		tags []string
		ok   bool
	}{
		{"shipped", without, nil, true},
		{"shipped-other-tags", without, []string{"netgo"}, true},
		{"testclock", with, []string{"netgo", TestClockTag}, true},
		{"stray-hook", with, nil, false},
		{"missing-hook", without, []string{TestClockTag}, false},
	} {
		if err := checkTestClock(tc.wasm, tc.tags); (err == nil) != tc.ok {
			t.Errorf("%s: checkTestClock = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

// lastValue returns the value of the last key=value entry of env for key
// (the one exec.Cmd uses), and whether there is one.
func lastValue(env []string, key string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], key+"="); ok {
			return v, true
		}
	}
	return "", false
}

func TestWasmEnv(t *testing.T) {
	root := root(t)
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	known := strings.HasPrefix(strings.TrimSpace(string(out)), "go1.26")

	t.Setenv("GOEXPERIMENT", "")
	env := WasmEnv(root)
	for key, want := range map[string]string{"GOOS": "js", "GOARCH": "wasm"} {
		if got, _ := lastValue(env, key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if got, _ := lastValue(env, "GOEXPERIMENT"); known && got != wasmExperiment {
		t.Errorf("GOEXPERIMENT = %q on this toolchain, want %q", got, wasmExperiment)
	}
	goroot, err := GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := lastValue(env, "GOFLAGS"); !strings.Contains(got, "-overlay="+filepath.Join(overlayDir(root, goroot), "overlay.json")) {
		t.Errorf("GOFLAGS = %q, want the toolchain patches' overlay", got)
	}

	// A setting of the caller's is kept, and ours added to it; a collector
	// the caller chose is theirs.
	for set, want := range map[string]string{"nodwarf5": "nodwarf5," + wasmExperiment, "greenteagc": "greenteagc"} {
		t.Setenv("GOEXPERIMENT", set)
		if got, _ := lastValue(WasmEnv(root), "GOEXPERIMENT"); known && got != want {
			t.Errorf("with GOEXPERIMENT=%s set: GOEXPERIMENT = %q, want %q", set, got, want)
		}
	}

	// A setting the go command refuses is left to the build to report,
	// not made worse.
	t.Setenv("GOEXPERIMENT", "nosuchexperiment")
	if got, _ := lastValue(WasmEnv(root), "GOEXPERIMENT"); got != "nosuchexperiment" {
		t.Errorf("with an unknown experiment set: GOEXPERIMENT = %q, want it untouched", got)
	}
}

// A toolchain that no longer has the previous collector (Go 1.27 plans to
// drop it) builds with its own: the go command on PATH here refuses the
// setting as such a toolchain would.
func TestWasmEnvWithoutThePreviousCollector(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := "#!/bin/sh\ncase \"$GOEXPERIMENT\" in *" + wasmExperiment + "*) echo \"go: unknown GOEXPERIMENT " + wasmExperiment + "\" >&2; exit 2;; esac\nexec " + realGo + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	for set, want := range map[string]string{"": "", "nodwarf5": "nodwarf5"} {
		t.Setenv("GOEXPERIMENT", set)
		if got, _ := lastValue(WasmEnv(root(t)), "GOEXPERIMENT"); got != want {
			t.Errorf("with GOEXPERIMENT=%q set and a toolchain without %s: GOEXPERIMENT = %q, want %q", set, wasmExperiment, got, want)
		}
	}
}
