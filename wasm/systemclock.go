//go:build js && wasm && !triggerwidget_testclock

package wasm

import (
	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// engineClock is the engine's clock: the real one. (The browser tests build
// the widget with a clock they drive instead; see testclock.go.)
func engineClock() widget.Clock { return widget.SystemClock{} }

// installTestClock does nothing: the shipped widget has no test hook.
func installTestClock(*runtime, safejs.Value) error { return nil }
