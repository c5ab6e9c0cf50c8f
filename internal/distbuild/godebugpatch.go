package distbuild

// godebugMetrics leaves out the one call that links the Go runtime's table
// of metrics into the wasm.
//
// Package internal/godebug counts each use of a GODEBUG setting's
// non-default behaviour, and the first such use registers the count as a
// runtime metric (/godebug/non-default-behavior/…), read through package
// runtime/metrics. That registration is the only path from the widget's
// code to the runtime's metrics table: runtime.initMetrics and the
// readers of every metric, about 95 KB of wasm (6 KB brotli) that the
// page downloads and V8 decodes on every visit. The widget reads no
// metric, and a page sets no GODEBUG (the browser gives the program no
// environment), so the metric would never exist or be read. Without the
// call, the count is still kept; only its registration goes.
// cmd/widget's deps test fails if the metrics table is linked again.
var godebugMetrics = toolchainPatch{
	name:    "internal/godebug's metric registration",
	without: "the runtime's metrics table linked, about 95 KB more wasm",
	edits: []sourceEdit{
		{"internal/godebug/godebug.go",
			"\tregisterMetric(\"/godebug/non-default-behavior/\"+s.Name()+\":events\", s.nonDefault.Load)\n",
			"\t// Not registered as a runtime metric in triggerwidget's wasm build\n\t// (internal/distbuild/godebugpatch.go).\n"},
	},
}
