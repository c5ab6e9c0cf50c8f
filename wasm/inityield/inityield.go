//go:build js && wasm

// Package inityield splits the Go program's initialisation into two tasks
// of the page's event loop, so that the runtime's first task is no longer
// than a bare Go program's.
//
// Go initialises every package before main, in one go: the runtime, then
// the packages in the order of their import paths, each once its own
// imports are done. Beyond what a bare program initialises, that is
// `reflect`, `fmt`, `unicode`, `regexp/syntax` and our own packages, whose
// initialisers V8 compiles on their first call. (`unicode`'s maps of
// categories and scripts, the costliest, are not built where the wasm
// build's toolchain patch applies: "Patches to the toolchain" in
// docs/design.md.) This package imports nothing but `time`, so its import
// path (github.com/…) comes up as soon as `time` is done: before
// `unicode`, `reflect`, `fmt` and the rest. Its init sleeps for a
// moment, which on js/wasm hands the thread back to the browser (the
// runtime's wake-up is a setTimeout); the remaining packages and main run
// in the next task.
//
// By then `syscall` has read the `fs` and `process` shims of wasm_exec.js,
// which the loader takes off the page's globals once the program first
// hands the thread back. cmd/widget imports this package; its test checks
// the order.
package inityield

import "time"

func init() {
	// The runtime goes idle, and hands the thread back, only if its
	// scheduler finds the timer still pending. The first sleep in the
	// program has V8 compile the runtime's timer and scheduler code on its
	// first call, which on a busy machine took longer than a millisecond:
	// the timer had run out by the time the scheduler looked, and the whole
	// initialisation ran in one task (two of six traced loads, 2026-12-01).
	// So a momentary sleep comes first, which hardly ever hands back (its
	// timer is due at once; if the clock has not moved by the time the
	// scheduler looks, it does, and that is one more short task) but
	// compiles that code; the millisecond's timer is then still pending
	// when the scheduler looks.
	time.Sleep(time.Nanosecond)
	time.Sleep(time.Millisecond)
}
