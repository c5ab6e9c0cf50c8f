package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
	"github.com/triggerwidget/triggerwidget/widget"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata from the current output")

// result is what one run of the command gives.
type result struct {
	stdout, stderr string
	code           int
}

func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return result{out.String(), errOut.String(), code}
}

// golden is the text a case is compared with: standard output, then
// standard error under a "-- stderr --" line when there is any. A command
// that writes only to standard output (fmt) has a golden file that is
// exactly that output, so formatted goldens are themselves trigger sets.
func (r result) golden() string {
	if r.stderr == "" {
		return r.stdout
	}
	return r.stdout + "-- stderr --\n" + r.stderr
}

// The golden cases. Each names testdata/NAME.golden; run
// "go test ./cmd/triggers -run Golden -update" to rewrite them after a
// deliberate change, and read the diff.
var goldenCases = []struct {
	name string
	args []string
	code int
}{
	{"help", []string{"-h"}, exitOK},
	{"help-simulate", []string{"help", "simulate"}, exitOK},

	{"validate-spec7", []string{"validate", "testdata/spec7.json"}, exitOK},
	{"validate-broken", []string{"validate", "testdata/broken.json"}, exitProblem},
	{"validate-notjson", []string{"validate", "testdata/notjson.json", "testdata/spec7.json"}, exitProblem},
	// A misspelt key is a problem, with the known key it is closest to.
	{"validate-typo", []string{"validate", "testdata/typo.json"}, exitProblem},
	{"validate-duplicate-key", []string{"validate", "testdata/duplicate-key.json"}, exitProblem},
	// Rule errors point at the offending value, like syntax errors.
	{"validate-bad-regex", []string{"validate", "testdata/bad-regex.json"}, exitProblem},
	// A warning leaves the set valid.
	{"validate-unknown-zone", []string{"validate", "testdata/unknown-zone.json"}, exitOK},

	{"fmt-spec7", []string{"fmt", "testdata/spec7.json"}, exitOK},
	{"fmt-messy", []string{"fmt", "testdata/messy.json"}, exitOK},
	{"fmt-refused", []string{"fmt", "testdata/broken.json", "testdata/notjson.json"}, exitProblem},
	{"fmt-check", []string{"fmt", "-check", "testdata/spec7.json", "testdata/fmt-spec7.golden", "testdata/messy.json", "testdata/fmt-messy.golden"}, exitProblem},

	// The documented example set: site, page (with its shortcut's form), status away
	// cancelling and online re-arming, chat rescue answered then firing
	// in a second chat, maximized, and every kind of step.
	{"simulate-spec7", []string{"simulate", "testdata/spec7.json", "testdata/spec7-journey.json"}, exitOK},
	// A returning visitor stays 30 s on /pricing: hesitant-buyer fires at
	// +00:30.0, waits 5 s, then tags.
	{"simulate-hesitant", []string{"simulate", "testdata/spec7.json", "testdata/hesitant.json"}, exitOK},
	// The same visitor leaves at 20 s: it never fires, and -explain shows
	// which condition failed at each step.
	{"simulate-hesitant-leaves", []string{"simulate", "-explain", "testdata/spec7.json", "testdata/hesitant-leaves.json"}, exitOK},
	// custom_event and set_attributes drive an "any" trigger with an emit;
	// a maximize-driven trigger reads the hour in New York, waits, sends.
	{"simulate-shop", []string{"simulate", "testdata/shop.json", "testdata/shop-journey.json"}, exitOK},
	// Broken triggers are problems and skipped; the rest run; a served
	// chat holds a site trigger back.
	{"simulate-broken", []string{"simulate", "testdata/broken.json", "testdata/broken-journey.json"}, exitProblem},
	// Timers that start timers, waits, status changes, a chat: each
	// timer's report lands right after it, in the order they ran.
	{"simulate-timers", []string{"simulate", "testdata/timers.json", "testdata/timers-journey.json"}, exitOK},
	{"simulate-bad-journey", []string{"simulate", "testdata/spec7.json", "testdata/bad-journey.json"}, exitProblem},
	{"simulate-truncated-journey", []string{"simulate", "testdata/spec7.json", "testdata/truncated-journey.json"}, exitProblem},
	{"simulate-notjson", []string{"simulate", "testdata/notjson.json", "testdata/hesitant.json"}, exitProblem},
}

func TestGolden(t *testing.T) {
	// Not parallel: fmt-check reads goldens that -update rewrites first.
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			r := runCmd(t, c.args...)
			if r.code != c.code {
				t.Errorf("triggers %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, r.stdout, r.stderr)
			}
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(r.golden()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := r.golden(); got != string(want) {
				t.Errorf("triggers %s: output differs from %s (run with -update to accept)\n%s", strings.Join(c.args, " "), path, lineDiff(string(want), got))
			}
		})
	}
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(same lines)"
}

// TestFmtIdempotent formats each formatted golden again: nothing changes,
// and the formatted set means what the original meant.
func TestFmtIdempotent(t *testing.T) {
	for _, c := range []struct{ original, formatted string }{
		{"testdata/spec7.json", "testdata/fmt-spec7.golden"},
		{"testdata/messy.json", "testdata/fmt-messy.golden"},
	} {
		formatted, err := os.ReadFile(c.formatted)
		if err != nil {
			t.Fatal(err)
		}
		again, problems := formatSet(formatted)
		if problems != nil {
			t.Fatalf("fmt %s: %v", c.formatted, problems)
		}
		if !bytes.Equal(again, formatted) {
			t.Errorf("fmt %s is not a fixed point:\n%s", c.formatted, lineDiff(string(formatted), string(again)))
		}
		original, err := os.ReadFile(c.original)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := modelBytes(t, original), modelBytes(t, formatted); a != b {
			t.Errorf("fmt changed the meaning of %s:\n  before: %s\n  after:  %s", c.original, a, b)
		}
	}
}

// modelBytes is the set as the model sees it, re-encoded compactly, with
// the whitespace inside verbatim values (RawJSON) removed too.
func modelBytes(t *testing.T, data []byte) string {
	t.Helper()
	s, err := widget.ParseSet(data)
	if err != nil {
		t.Fatal(err)
	}
	var w jwriter.Writer
	s.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer // condition values and emit data are kept verbatim
	if err := json.Compact(&c, b); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

func TestFmtWrite(t *testing.T) {
	dir := t.TempDir()
	messy, err := os.ReadFile("testdata/messy.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/fmt-messy.golden")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "set.json")
	if err := os.WriteFile(file, messy, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("set.json", link); err != nil {
		t.Fatal(err)
	}

	if r := runCmd(t, "fmt", "-check", file); r.code != exitProblem || r.stdout != file+"\n" {
		t.Fatalf("fmt -check on a messy set = %+v, want exit 1 listing it", r)
	}
	if r := runCmd(t, "fmt", link, "-w"); r.code != exitOK || r.stdout != "" || r.stderr != "" {
		t.Fatalf("fmt -w = %+v", r)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fmt -w wrote:\n%s\nwant:\n%s", got, want)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("fmt -w through a symlink replaced the link: %v, %v", fi.Mode(), err)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("fmt -w changed the permissions to %v (%v), want 0640", fi.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("fmt -w left files behind: %v", entries)
	}
	if r := runCmd(t, "fmt", "-check", file); r.code != exitOK || r.stdout != "" {
		t.Errorf("fmt -check after fmt -w = %+v, want exit 0 and no output", r)
	}

	// A refused set is left as it is.
	broken, _ := os.ReadFile("testdata/broken.json")
	bad := filepath.Join(dir, "broken.json")
	if err := os.WriteFile(bad, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, "fmt", "-w", bad); r.code != exitProblem || !strings.Contains(r.stderr, "dealy: unknown field") {
		t.Errorf("fmt -w on a set with an unknown field = %+v, want exit 1 naming it", r)
	}
	if after, _ := os.ReadFile(bad); !bytes.Equal(after, broken) {
		t.Error("fmt -w rewrote a set it refused")
	}
}

func TestFmtStdin(t *testing.T) {
	messy, _ := os.ReadFile("testdata/messy.json")
	want, _ := os.ReadFile("testdata/fmt-messy.golden")
	stdin = bytes.NewReader(messy)
	t.Cleanup(func() { stdin = os.Stdin })
	if r := runCmd(t, "fmt", "-"); r.code != exitOK || r.stdout != string(want) {
		t.Errorf("fmt - = exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "Usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"validate"}, "no trigger set given"},
		{[]string{"validate", "testdata/missing.json"}, "no such file"},
		{[]string{"validate", "-x", "testdata/spec7.json"}, "flag provided but not defined: -x"},
		{[]string{"fmt"}, "no trigger set given"},
		{[]string{"fmt", "-w", "-check", "testdata/spec7.json"}, "do not go together"},
		{[]string{"fmt", "-w", "-"}, "cannot rewrite standard input"},
		{[]string{"simulate", "testdata/spec7.json"}, "want a trigger set and a journey"},
		{[]string{"simulate", "testdata/spec7.json", "testdata/missing.json"}, "no such file"},
	} {
		r := runCmd(t, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("triggers %v = exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

func TestHelpFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"--help"}, {"validate", "-h"}, {"fmt", "-help"}, {"simulate", "-h"}, {"help", "fmt"}} {
		if r := runCmd(t, args...); r.code != exitOK || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("triggers %v = exit %d, stdout %q", args, r.code, r.stdout)
		}
	}
}

// TestFlagsAfterFiles: flags may follow the files, and "--" ends them.
func TestFlagsAfterFiles(t *testing.T) {
	t.Parallel()
	if r := runCmd(t, "fmt", "testdata/messy.json", "-check"); r.code != exitProblem || r.stdout != "testdata/messy.json\n" {
		t.Errorf("fmt FILE -check = %+v", r)
	}
	if r := runCmd(t, "validate", "--", "-check"); r.code != exitUsage || !strings.Contains(r.stderr, "-check") {
		t.Errorf("validate -- -check should read a file named -check: %+v", r)
	}
}

// TestHesitantBuyer states the documented example in words: a returning
// visitor 30 s on /pricing gets the message at exactly +30 s and the tag 5 s
// later; one who leaves at 20 s gets neither, and the summary says why.
func TestHesitantBuyer(t *testing.T) {
	t.Parallel()
	r := runCmd(t, "simulate", "testdata/spec7.json", "testdata/hesitant.json")
	for _, want := range []string{
		"+00:30.0  FIRED      hesitant-buyer (advanced) — Maya: \"Need a hand choosing a plan?\"  [Yes please | Just looking]\n",
		"+00:30.0  wait       hesitant-buyer: 5s, its next action at +00:35.0\n",
		"+00:35.0  tagged     pricing-interest\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("timeline lacks %q:\n%s", want, r.stdout)
		}
	}
	r = runCmd(t, "simulate", "testdata/spec7.json", "testdata/hesitant-leaves.json")
	if strings.Contains(r.stdout, "FIRED      hesitant-buyer") {
		t.Errorf("hesitant-buyer fired although the visitor left at 20 s:\n%s", r.stdout)
	}
	if want := `hesitant-buyer  advanced     waiting for its event, page_view; condition 1 (page.path starts_with) is false: "/docs"`; !strings.Contains(r.stdout, "\n  "+want+"\n") {
		t.Errorf("summary lacks %q:\n%s", want, r.stdout)
	}
}

// TestSimulateDeterministic: the timeline depends on nothing but its
// inputs (no wall clock, no map order).
func TestSimulateDeterministic(t *testing.T) {
	t.Parallel()
	first := runCmd(t, "simulate", "-explain", "testdata/spec7.json", "testdata/spec7-journey.json")
	for range 5 {
		if again := runCmd(t, "simulate", "-explain", "testdata/spec7.json", "testdata/spec7-journey.json"); again != first {
			t.Fatalf("two runs differ:\n%s", lineDiff(first.stdout, again.stdout))
		}
	}
}
