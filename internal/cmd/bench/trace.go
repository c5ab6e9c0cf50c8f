//go:build !js

package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// A trace is Chromium's own record of what its threads did, through the
// DevTools protocol's Tracing domain: every task of the page's main thread
// is an event with its duration, however short (a PerformanceObserver of
// "longtask" would miss every task under 50 ms), and the wasm code cache
// reports its hits and writes as events of the same trace.

var traceDir = flag.String("trace-dir", "", "write every trace of the browser sections to this directory, as JSON trace files")

// traceCategories are the categories a trace records: toplevel holds the
// tasks of every thread's message loop, devtools.timeline and its
// disabled-by-default sibling what the Performance panel shows (parsing,
// scripts, and the v8.wasm.* events of the code cache).
var traceCategories = []string{
	"toplevel",
	"devtools.timeline",
	"disabled-by-default-devtools.timeline",
	"__metadata",
}

// firstCallCategories add V8's events of each wasm function compiled on
// its first call (wasm.CompileLazy, and
// wasm.CompileBaseline with the function's body size) and the User Timing
// mark of ready (readyMark).
var firstCallCategories = append(slices.Clone(traceCategories), "v8.wasm", "disabled-by-default-v8.wasm.detailed", "blink.user_timing")

// wasmCategories add V8's own wasm events (baseline and top-tier
// compilation, wasm.CompilationChunkFinished when V8 offers code for
// caching) to a trace of the repeat section.
var wasmCategories = append(slices.Clone(traceCategories), "v8.wasm")

// taskNames are the names of a top-level task of a thread's message loop,
// in the builds of recent years.
var taskNames = map[string]bool{
	"RunTask":                       true,
	"ThreadControllerImpl::RunTask": true,
}

// traceEvent is one event of Chromium's JSON trace format.
type traceEvent struct {
	Name string          `json:"name"`
	Cat  string          `json:"cat"`
	Ph   string          `json:"ph"`
	Pid  int64           `json:"pid"`
	Tid  int64           `json:"tid"`
	Ts   float64         `json:"ts"`   // µs
	Dur  float64         `json:"dur"`  // µs, for complete ("X") events
	Tdur float64         `json:"tdur"` // µs of the thread's CPU time, for complete events
	Args json.RawMessage `json:"args"`
}

// tracer collects the events of one tab's trace.
type tracer struct {
	mu       sync.Mutex
	raw      [][]byte
	complete chan struct{}
	once     sync.Once
}

// startTrace starts tracing categories in the tab of ctx (which must have
// run once).
func startTrace(ctx context.Context, categories []string) (*tracer, error) {
	tr := &tracer{complete: make(chan struct{})}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			tr.mu.Lock()
			for _, v := range e.Value {
				tr.raw = append(tr.raw, []byte(v))
			}
			tr.mu.Unlock()
		case *tracing.EventTracingComplete:
			tr.once.Do(func() { close(tr.complete) })
		}
	})
	if err != nil {
		return nil, err
	}
	_, err = chromedp.Call(ctx, tracing.Start, tracing.StartParams{
		TransferMode: tracing.StartTransferModeReportEvents,
		TraceConfig:  &tracing.TraceConfig{IncludedCategories: categories},
	})
	return tr, err
}

// stop ends the trace and returns its events. With -trace-dir, it also
// writes them as name.json (Chromium's JSON trace format, which the
// Performance panel of DevTools and Perfetto open).
func (tr *tracer) stop(ctx context.Context, name string) ([]traceEvent, error) {
	if _, err := chromedp.Call(ctx, tracing.End, struct{}{}); err != nil {
		return nil, err
	}
	select {
	case <-tr.complete:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("the trace did not complete within 30 s")
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if *traceDir != "" {
		if err := writeTrace(filepath.Join(*traceDir, name+".json"), tr.raw); err != nil {
			return nil, err
		}
	}
	events := make([]traceEvent, 0, len(tr.raw))
	for _, b := range tr.raw {
		var e traceEvent
		if json.Unmarshal(b, &e) == nil {
			events = append(events, e)
		}
	}
	return events, nil
}

// writeTrace writes raw events as a JSON trace file.
func writeTrace(path string, raw [][]byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(`{"traceEvents":[`)
	for i, r := range raw {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(r)
	}
	b.WriteString("]}\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// thread identifies one thread of one process of a trace.
type thread struct{ pid, tid int64 }

// pageMainThread finds the main thread of the renderer that parsed a page
// whose URL contains pagePath: the thread of its ParseHTML event. It falls
// back to the renderer main thread with the most task time.
func pageMainThread(events []traceEvent, pagePath string) (thread, bool) {
	names := map[thread]string{}
	for _, e := range events {
		if e.Ph == "M" && e.Name == "thread_name" {
			var a struct{ Name string }
			_ = json.Unmarshal(e.Args, &a)
			names[thread{e.Pid, e.Tid}] = a.Name
		}
	}
	for _, e := range events {
		if e.Name != "ParseHTML" || names[thread{e.Pid, e.Tid}] != "CrRendererMain" {
			continue
		}
		var a struct {
			BeginData struct{ URL string } `json:"beginData"`
		}
		_ = json.Unmarshal(e.Args, &a)
		if strings.Contains(a.BeginData.URL, pagePath) {
			return thread{e.Pid, e.Tid}, true
		}
	}
	busy := map[thread]float64{}
	for _, e := range events {
		t := thread{e.Pid, e.Tid}
		if names[t] == "CrRendererMain" && e.Ph == "X" && taskNames[e.Name] {
			busy[t] += e.Dur
		}
	}
	var best thread
	found := false
	for t, d := range busy {
		if !found || d > busy[best] {
			best, found = t, true
		}
	}
	return best, found
}

// mainThreadTasks are the durations in ms of the top-level tasks of thread
// th. Nested task events (a task run inside another's nested loop) are
// counted once, as part of the outer one.
func mainThreadTasks(events []traceEvent, th thread) []float64 {
	var out []float64
	for _, s := range mainThreadSpans(events, th) {
		out = append(out, (s.end-s.start)/1000)
	}
	return out
}

// span is a top-level task of a thread, in µs of the trace's clock.
type span struct{ start, end float64 }

// mainThreadSpans returns the top-level tasks of th in order.
func mainThreadSpans(events []traceEvent, th thread) []span {
	var spans []span
	for _, e := range events {
		if e.Pid == th.pid && e.Tid == th.tid && e.Ph == "X" && taskNames[e.Name] {
			spans = append(spans, span{e.Ts, e.Ts + e.Dur})
		}
	}
	// Events arrive in order of their end on one thread, not of their
	// start: sort by start, then drop spans inside the previous outer one.
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	var out []span
	end := -1.0
	for _, s := range spans {
		if s.start < end {
			continue
		}
		out = append(out, s)
		end = s.end
	}
	return out
}

// programTasks returns the durations in ms of th's tasks from the one in
// which the script whose URL contains script began to run (its first
// EvaluateScript) on: the program's own tasks, and whatever the page does
// meanwhile, but not the navigation and the parsing of the page before it.
// ok is false when the trace has no such script.
func programTasks(events []traceEvent, th thread, script string) (tasks []float64, ok bool) {
	from := -1.0
	for _, e := range events {
		if e.Pid != th.pid || e.Tid != th.tid || e.Name != "EvaluateScript" {
			continue
		}
		var a struct {
			Data struct{ URL string } `json:"data"`
		}
		_ = json.Unmarshal(e.Args, &a)
		if strings.Contains(a.Data.URL, script) && (from < 0 || e.Ts < from) {
			from = e.Ts
		}
	}
	if from < 0 {
		return nil, false
	}
	for _, s := range mainThreadSpans(events, th) {
		if s.end > from {
			tasks = append(tasks, (s.end-s.start)/1000)
		}
	}
	return tasks, true
}

// wasmCache is what a trace tells about V8's wasm code cache: Blink emits
// v8.wasm.moduleCacheHit when it hands cached code to V8 for a streamed
// module, v8.wasm.moduleCacheInvalid when V8 refuses it,
// v8.wasm.compiledModule when the module was compiled, and
// v8.wasm.cachedModule when it writes code to the cache.
type wasmCache struct {
	hits, invalid, compiled, written int
	consumedBytes, producedBytes     int64
}

func wasmCacheEvents(events []traceEvent) wasmCache {
	var c wasmCache
	for _, e := range events {
		var a struct {
			Consumed int64 `json:"consumedCacheSize"`
			Produced int64 `json:"producedCacheSize"`
		}
		switch e.Name {
		case "v8.wasm.moduleCacheHit":
			_ = json.Unmarshal(e.Args, &a)
			c.hits++
			c.consumedBytes += a.Consumed
		case "v8.wasm.moduleCacheInvalid":
			c.invalid++
		case "v8.wasm.compiledModule":
			c.compiled++
		case "v8.wasm.cachedModule":
			_ = json.Unmarshal(e.Args, &a)
			c.written++
			c.producedBytes += a.Produced
		}
	}
	return c
}

// firstCalls is what V8 compiled on thread th of a trace, before the
// readyMark (or in the whole trace, without the mark), because a wasm
// function was called for the first time: V8 compiles a module's
// functions lazily, each with its baseline compiler (Liftoff) when first
// called, on the thread that calls it.
type firstCalls struct {
	functions int
	bytes     int64   // the functions' wasm bodies
	cpu       float64 // ms of the thread's CPU time in wasm.CompileLazy
	wall      float64 // ms of wall time in it
	marked    bool    // whether the trace had the ready mark
}

func firstCallsOf(events []traceEvent, th thread) firstCalls {
	var fc firstCalls
	until := 0.0
	for _, e := range events {
		if e.Name == readyMark && e.Pid == th.pid {
			if !fc.marked || e.Ts < until {
				until = e.Ts
			}
			fc.marked = true
		}
	}
	for _, e := range events {
		if e.Ph != "X" || e.Pid != th.pid || e.Tid != th.tid || (fc.marked && e.Ts > until) {
			continue
		}
		switch e.Name {
		case "wasm.CompileLazy":
			fc.cpu += e.Tdur / 1000
			fc.wall += e.Dur / 1000
		case "wasm.CompileBaseline":
			var a struct {
				BodySize int64 `json:"bodySize"`
			}
			_ = json.Unmarshal(e.Args, &a)
			fc.functions++
			fc.bytes += a.BodySize
		}
	}
	return fc
}
