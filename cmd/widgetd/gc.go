//go:build !js

package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is widgetd's garbage collector target (GOGC) unless the
// environment sets GOGC. widgetd's live heap is small (cached trigger
// sets, connection pools) while every request allocates a few kilobytes in
// net/http, so Go's default of 100 runs a collection every few thousand
// requests under load. 400 lets the heap grow to five times the live data
// (still a few tens of megabytes) and cuts the CPU of serving a published
// set by about a sixth (make bench, serve section).
const gcPercent = 400

func init() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
