//go:build !js

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTypeScriptDeclarations compiles testdata/typescript/usage.ts, the
// documented uses of the JavaScript API as a TypeScript page writes them,
// against wasm/assets/widget.d.ts with tsc --strict. TypeScript comes from
// the npm registry (make deps installs it); without it the test is skipped,
// unless TRIGGERWIDGET_REQUIRE_BROWSER=1 (make test), which makes it fail.
func TestTypeScriptDeclarations(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("testdata", "typescript")
	tsc := filepath.Join(dir, "node_modules", "typescript", "bin", "tsc")
	if _, err := os.Stat(tsc); err != nil {
		if os.Getenv("TRIGGERWIDGET_REQUIRE_BROWSER") == "1" {
			t.Fatalf("TypeScript is not installed in %s (make deps installs it)", dir)
		}
		t.Skipf("TypeScript is not installed in %s (make deps installs it)", dir)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	out, err := exec.Command(node, tsc, "-p", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("tsc --strict on %s: %v\n%s", filepath.Join(dir, "usage.ts"), err, out)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("tsc printed:\n%s", s)
	}
}
