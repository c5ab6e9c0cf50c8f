//go:build js && wasm

// Command widget is the triggerwidget runtime, compiled with GOOS=js
// GOARCH=wasm and started by widget.js. See package wasm.
package main

import (
	"github.com/triggerwidget/triggerwidget/wasm"
	// Before unicode's and regexp's initialisation, a task boundary.
	_ "github.com/triggerwidget/triggerwidget/wasm/inityield"
)

func main() { wasm.Main() }
