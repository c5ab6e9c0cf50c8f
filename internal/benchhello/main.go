//go:build js && wasm

// Command benchhello is the baseline of `make bench`: the smallest safejs
// program that tells the page it is running, built and loaded the same way
// as the widget.
package main

import "github.com/hack-pad/safejs"

func main() {
	if f, err := safejs.Global().Get("__helloReady"); err == nil && f.Type() == safejs.TypeFunction {
		_, _ = f.Invoke()
	}
}
