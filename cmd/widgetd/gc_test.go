//go:build !js

package main

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestGCPercentUnlessTheEnvironmentSetsIt(t *testing.T) {
	got := debug.SetGCPercent(100)
	debug.SetGCPercent(got)
	want := gcPercent
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set in the environment: the runtime's setting stands")
	}
	if got != want {
		t.Errorf("GC percent = %d, want widgetd's %d", got, want)
	}
}
