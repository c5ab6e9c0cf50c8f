//go:build js && wasm

// Package inityield splits the Go program's initialisation into two tasks
// of the page's event loop, so that the runtime's first task is no longer
// than a bare Go program's.
//
// Go initialises every package before main, in one go: the runtime, then
// the packages in the order of their import paths, each once its own
// imports are done. With `regexp` linked, that includes `unicode`'s tables
// of categories and scripts (maps built at start, by a function V8 has to
// compile first) and `regexp/syntax`'s, a few milliseconds that a program
// without `regexp` does not pay. This package imports nothing but `time`,
// so its import path (github.com/…) comes up as soon as `time` is done:
// before `unicode`, `reflect`, `fmt` and the rest. Its init sleeps for a
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
	// Long enough that the runtime's scheduler finds the timer still
	// pending and goes idle (a shorter one may have run out by then, and
	// the program would go on in the same task); the browser's timer is a
	// millisecond at least anyway.
	time.Sleep(time.Millisecond)
}
