//go:build !js

package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/internal/distbuild"
)

// TestInitYieldsBeforeUnicode runs the wasm under Node. The program must
// hand the thread back to the event loop before main (go.run returns
// before main has read the loader's boot object, and main runs later), and, by Go's
// init trace, it does so in wasm/inityield, initialised after syscall
// (which reads wasm_exec.js's shims before the loader takes them off the
// page's globals) and before the packages whose initialisation is the
// costly part (unicode's tables, regexp/syntax, reflect).
func TestInitYieldsBeforeUnicode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm binary")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found")
	}
	out := filepath.Join(t.TempDir(), "widget.wasm")
	build := exec.Command("go", "build", "-trimpath", "-o", out, ".")
	build.Env = distbuild.WasmEnv(".")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	goroot, err := distbuild.GOROOT()
	if err != nil {
		t.Fatal(err)
	}
	harness := `require(process.argv[1]);
let read = false;
Object.defineProperty(globalThis, "__triggerwidgetBoot", { get() { read = true; return undefined; }, configurable: true });
const go = new Go();
WebAssembly.instantiate(require("fs").readFileSync(process.argv[2]), go.importObject).then((r) => {
  go.run(r.instance);
  console.log(read ? "main ran in go.run's task" : "handed back before main");
  setTimeout(() => console.log(read ? "main ran after" : "main never ran"), 500);
});`
	node := exec.Command("node", "-e", harness, filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"), out)
	got, _ := node.CombinedOutput()
	if !strings.HasPrefix(string(got), "handed back before main\n") || !strings.Contains(string(got), "\nmain ran after\n") {
		t.Errorf("under Node the program printed:\n%s\nwant \"handed back before main\" first, then \"main ran after\"", got)
	}

	run := exec.Command(filepath.Join(goroot, "lib", "wasm", "go_js_wasm_exec"), out)
	run.Env = append(distbuild.WasmEnv("."), "GODEBUG=inittrace=1")
	// Outside a page the program stops at once (no widget.js): only the
	// trace of the initialisation matters here.
	b, _ := run.CombinedOutput()
	var order []string
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "init" {
			order = append(order, f[1])
		}
	}
	at := func(pkg string) int {
		i := slices.Index(order, pkg)
		if i < 0 {
			t.Fatalf("no init of %s in the trace:\n%s", pkg, b)
		}
		return i
	}
	yield := at(module + "/wasm/inityield")
	for _, before := range []string{"syscall", "syscall/js", "time"} {
		if at(before) > yield {
			t.Errorf("%s is initialised after inityield; order: %v", before, order)
		}
	}
	for _, after := range []string{"unicode", "regexp/syntax", "reflect"} {
		if at(after) < yield {
			t.Errorf("%s is initialised before inityield; order: %v", after, order)
		}
	}
}
