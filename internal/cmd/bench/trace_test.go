//go:build !js

package main

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// sampleTrace is a trace of two renderers in Chromium's JSON format: the
// page's main thread (pid 2) with a nested task and an instant event, an
// idle one (pid 1) and a worker thread of the page's process whose long
// task is not the main thread's.
const sampleTrace = `[
 {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"CrRendererMain"}},
 {"name":"thread_name","ph":"M","pid":2,"tid":7,"args":{"name":"CrRendererMain"}},
 {"name":"thread_name","ph":"M","pid":2,"tid":9,"args":{"name":"ThreadPoolForegroundWorker"}},
 {"name":"RunTask","ph":"X","pid":1,"tid":1,"ts":0,"dur":900000},
 {"name":"ParseHTML","ph":"X","pid":2,"tid":7,"ts":1000,"dur":500,"args":{"beginData":{"url":"http://127.0.0.1:1/bench/widget.html"}}},
 {"name":"ThreadControllerImpl::RunTask","ph":"X","pid":2,"tid":7,"ts":10000,"dur":200000},
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":9000,"dur":230000},
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":300000,"dur":20000},
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":400000,"dur":60000},
 {"name":"RunTask","ph":"X","pid":2,"tid":9,"ts":0,"dur":5000000},
 {"name":"v8.wasm.moduleCacheHit","ph":"I","pid":2,"tid":9,"ts":5,"args":{"url":"x","consumedCacheSize":4000}},
 {"name":"v8.wasm.cachedModule","ph":"I","pid":2,"tid":9,"ts":6,"args":{"producedCacheSize":9000}},
 {"name":"v8.wasm.cachedModule","ph":"I","pid":2,"tid":9,"ts":7,"args":{"producedCacheSize":1000}}
]`

func parseSample(t *testing.T) []traceEvent {
	t.Helper()
	var events []traceEvent
	if err := json.Unmarshal([]byte(sampleTrace), &events); err != nil {
		t.Fatal(err)
	}
	return events
}

func TestPageMainThread(t *testing.T) {
	events := parseSample(t)
	th, ok := pageMainThread(events, "/bench/widget.html")
	if !ok || th != (thread{2, 7}) {
		t.Errorf("pageMainThread = %v, %v; want the thread that parsed the page, {2 7}", th, ok)
	}
	// Without a ParseHTML of the page: the renderer main thread with the
	// most task time.
	th, ok = pageMainThread(events, "/bench/other.html")
	if !ok || th != (thread{1, 1}) {
		t.Errorf("pageMainThread(other page) = %v, %v; want the busiest renderer main thread, {1 1}", th, ok)
	}
}

func TestMainThreadTasks(t *testing.T) {
	got := mainThreadTasks(parseSample(t), thread{2, 7})
	// The nested ThreadControllerImpl::RunTask counts as part of its
	// outer RunTask; the worker thread's task is not there.
	want := []float64{230, 20, 60}
	if !slices.Equal(got, want) {
		t.Errorf("mainThreadTasks = %v, want %v", got, want)
	}
	if b := blockingTime(got); b != 180+10 {
		t.Errorf("blockingTime(%v) = %v, want 190", got, b)
	}
}

// The program's tasks begin with the one in which its script began to
// run: the page's navigation task before it is not one of them.
func TestProgramTasks(t *testing.T) {
	var events []traceEvent
	if err := json.Unmarshal([]byte(`[
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":0,"dur":40000},
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":50000,"dur":12000},
 {"name":"EvaluateScript","ph":"X","pid":2,"tid":7,"ts":51000,"dur":10000,"args":{"data":{"url":"http://127.0.0.1:1/widget/widget.js"}}},
 {"name":"EvaluateScript","ph":"X","pid":2,"tid":7,"ts":41000,"dur":1000,"args":{"data":{"url":"http://127.0.0.1:1/site.js"}}},
 {"name":"RunTask","ph":"X","pid":2,"tid":7,"ts":90000,"dur":25000},
 {"name":"EvaluateScript","ph":"X","pid":9,"tid":7,"ts":1000,"dur":1000,"args":{"data":{"url":"http://127.0.0.1:1/widget/widget.js"}}}
]`), &events); err != nil {
		t.Fatal(err)
	}
	got, ok := programTasks(events, thread{2, 7}, "/widget/widget.js")
	if want := []float64{12, 25}; !ok || !slices.Equal(got, want) {
		t.Errorf("programTasks = %v, %v; want %v (the navigation's 40 ms task before the script is the page's)", got, ok, want)
	}
	if _, ok := programTasks(events, thread{2, 7}, "/hello/hello.js"); ok {
		t.Errorf("programTasks found a script the trace does not run")
	}
}

func TestWasmCacheEvents(t *testing.T) {
	got := wasmCacheEvents(parseSample(t))
	want := wasmCache{hits: 1, written: 2, consumedBytes: 4000, producedBytes: 10000}
	if got != want {
		t.Errorf("wasmCacheEvents = %+v, want %+v", got, want)
	}
}

func TestParseSections(t *testing.T) {
	all, err := parseSections("")
	if err != nil || len(all) != len(sectionNames) {
		t.Errorf(`parseSections("") = %v, %v; want every section`, all, err)
	}
	got, err := parseSections("browser, size")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append([]string{"size"}, browserSections...) {
		if !got[s] {
			t.Errorf(`parseSections("browser, size") lacks %q: %v`, s, got)
		}
	}
	if got["server"] || got["engine"] {
		t.Errorf(`parseSections("browser, size") = %v, want no server or engine`, got)
	}
	if _, err := parseSections("brwoser"); err == nil {
		t.Error(`parseSections("brwoser") = nil error, want one naming the unknown section`)
	}
}

func TestPairRatios(t *testing.T) {
	got := pairRatios([]float64{200, 300, 900}, []float64{100, 100, 300})
	if want := "load by load: median 3.00×, 2.00–3.00×"; got != want {
		t.Errorf("pairRatios = %q, want %q", got, want)
	}
	if got := pairRatios(nil, nil); got != "no pairs" {
		t.Errorf("pairRatios(nil, nil) = %q, want \"no pairs\"", got)
	}
}

func TestFirstCallsOf(t *testing.T) {
	const trace = `[
 {"name":"wasm.CompileLazy","ph":"X","pid":2,"tid":7,"ts":100,"dur":300,"tdur":200,"args":{"func_index":40}},
 {"name":"wasm.CompileBaseline","ph":"X","pid":2,"tid":7,"ts":110,"dur":250,"tdur":150,"args":{"bodySize":1200,"funcIndex":40}},
 {"name":"wasm.CompileLazy","ph":"X","pid":2,"tid":7,"ts":500,"dur":100,"tdur":100,"args":{"func_index":41}},
 {"name":"wasm.CompileBaseline","ph":"X","pid":2,"tid":7,"ts":510,"dur":80,"tdur":80,"args":{"bodySize":300,"funcIndex":41}},
 {"name":"wasm.CompileBaseline","ph":"X","pid":2,"tid":9,"ts":520,"dur":80,"tdur":80,"args":{"bodySize":5000,"funcIndex":42}},
 {"name":"wasm.CompileBaseline","ph":"B","pid":2,"tid":7,"ts":600,"args":{"bodySize":900,"funcIndex":44}},
 {"name":"bench-ready","ph":"R","cat":"blink.user_timing","pid":3,"tid":1,"ts":50},
 {"name":"bench-ready","ph":"R","cat":"blink.user_timing","pid":2,"tid":7,"ts":700},
 {"name":"wasm.CompileLazy","ph":"X","pid":2,"tid":7,"ts":900,"dur":100,"tdur":100,"args":{"func_index":43}},
 {"name":"wasm.CompileBaseline","ph":"X","pid":2,"tid":7,"ts":910,"dur":80,"tdur":80,"args":{"bodySize":700,"funcIndex":43}}
]`
	var events []traceEvent
	if err := json.Unmarshal([]byte(trace), &events); err != nil {
		t.Fatal(err)
	}
	// Only the main thread's complete compile events before the page's
	// mark count: not the worker's (tid 9), not a begin event, not the one
	// after ready, and another renderer's mark is not this page's.
	got := firstCallsOf(events, thread{2, 7})
	if got.functions != 2 || got.bytes != 1500 || !got.marked || math.Abs(got.cpu-0.3) > 1e-9 || math.Abs(got.wall-0.4) > 1e-9 {
		t.Errorf("firstCallsOf = %+v, want 2 functions, 1500 bytes, 0.3 ms CPU, 0.4 ms wall, marked", got)
	}
	// Without the page's mark, the whole trace (the begin event and the
	// other renderer's mark stay: neither counts, nor marks the trace).
	events = append(events[:7:7], events[8:]...)
	got = firstCallsOf(events, thread{2, 7})
	if got.marked || got.functions != 3 || got.bytes != 2200 {
		t.Errorf("firstCallsOf without the mark = %+v, want all 3 main-thread functions, 2200 bytes", got)
	}
}
