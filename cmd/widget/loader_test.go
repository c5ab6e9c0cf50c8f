package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// TestLoaderSizeLimitIsTheRuntimes: widget.js refuses a trigger set over
// TW_MAX_SET bytes before it reaches Go; that limit must be the one the
// runtime and the validator apply, widget.MaxSetBytes.
func TestLoaderSizeLimitIsTheRuntimes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(filepath.Join("..", "..", "wasm", "assets", "loader.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^var TW_MAX_SET = ([0-9]+);`).FindSubmatch(src)
	if m == nil {
		t.Fatal("loader.js has no `var TW_MAX_SET = N;` line")
	}
	got, err := strconv.Atoi(string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if got != widget.MaxSetBytes {
		t.Errorf("loader.js's TW_MAX_SET = %d, widget.MaxSetBytes = %d: keep them equal", got, widget.MaxSetBytes)
	}
	if kib := regexp.MustCompile(`\(([0-9]+) KiB\)`).FindSubmatch(src); kib == nil || string(kib[1]) != strconv.Itoa(widget.MaxSetBytes>>10) {
		t.Errorf("loader.js's error message names the limit in KiB as %q, want %d", kib, widget.MaxSetBytes>>10)
	}
}
