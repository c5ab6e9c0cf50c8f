//go:build js && wasm

// Command widget is the triggerwidget runtime, compiled with GOOS=js
// GOARCH=wasm and started by widget.js. See package wasm.
package main

import "github.com/triggerwidget/triggerwidget/wasm"

func main() { wasm.Main() }
