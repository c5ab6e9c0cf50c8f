package wasm

// This file has no build constraint on purpose: it runs natively and checks
// that every other file of the package is for js/wasm only, and that the
// browser is reached through safejs alone.

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEveryFileIsForJSWasm(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if name == "tags_test.go" {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		var expr constraint.Expr
		for _, line := range strings.Split(string(src), "\n") {
			if constraint.IsGoBuild(line) {
				if expr, err = constraint.Parse(line); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				break
			}
			if strings.HasPrefix(line, "package ") {
				break
			}
		}
		if expr == nil {
			t.Errorf("%s has no //go:build line; want //go:build js && wasm", name)
			continue
		}
		// The test clock's pair of files (testclock.go, systemclock.go)
		// depend on one more tag: each must still be for js/wasm only.
		native, browser := false, false
		for _, testClock := range []bool{false, true} {
			native = native || expr.Eval(func(tag string) bool {
				return tag == "linux" || tag == "amd64" || testClock && tag == "triggerwidget_testclock"
			})
			browser = browser || expr.Eval(func(tag string) bool {
				return tag == "js" || tag == "wasm" || testClock && tag == "triggerwidget_testclock"
			})
		}
		if native || !browser {
			t.Errorf("%s: build constraint %q, want js && wasm", name, expr)
		}
	}
	if checked == 0 {
		t.Fatal("no files checked")
	}
}

// TestNoRawSyscallJS: the package goes through safejs, which turns JS
// exceptions into errors; a raw syscall/js call would panic instead.
func TestNoRawSyscallJS(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	for _, dir := range []string{".", filepath.Join("..", "widget"), filepath.Join("..", "cmd", "widget")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				if imp.Path.Value == `"syscall/js"` {
					t.Errorf("%s imports syscall/js; use github.com/hack-pad/safejs", name)
				}
			}
		}
	}
}
