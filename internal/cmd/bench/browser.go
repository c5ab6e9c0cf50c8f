//go:build !js

package main

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/internal/chromium"
)

// newBrowser starts a headless Chromium whose profile and temporary files
// are in dir, and returns the context of its first tab. Canceling it ends
// the browser. jsFlags, when not empty, are V8 flags (Chromium's
// --js-flags).
func newBrowser(dir, jsFlags string) (context.Context, context.CancelFunc, error) {
	var extra []chromedp.ExecAllocatorOption
	if jsFlags != "" {
		extra = append(extra, chromedp.Flag("js-flags", jsFlags))
	}
	return chromium.Start("", dir, extra...)
}

// loadTimeout bounds one page load of a browser section.
const loadTimeout = 60 * time.Second

// coldTab opens a tab in a new browser context of the browser of bctx: no
// HTTP cache, no code cache, no storage from earlier loads.
func coldTab(bctx context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil {
		cancelTab()
		return nil, nil, err
	}
	tctx, cancelTimeout := context.WithTimeout(ctx, loadTimeout)
	return tctx, func() { cancelTimeout(); cancelTab() }, nil
}

// waitReady waits for the page's window.__ready (see readyScript): the
// milliseconds from its script tag to the widget's load event, or to the
// hello-world's call.
func waitReady(ctx context.Context) (float64, error) {
	return chromedp.Run(ctx, chromedp.Poll[float64](`window.__ready`, chromedp.WithPollingInterval(5*time.Millisecond)))
}

// memoryJS reads the wasm linear memory in bytes of each kind of page: the
// widget's through its __stats(), the hello's through its loader; null
// until they are there.
const (
	widgetMemoryJS = `(window.TriggerWidget && typeof TriggerWidget.__stats === "function") ? TriggerWidget.__stats().memory : null`
	helloMemoryJS  = `window.__helloMemory ? window.__helloMemory() : null`
)

// readMemory reads a page's wasm linear memory in bytes with js, waiting a
// little for it to be readable; 0 if it never is.
func readMemory(ctx context.Context, js string) float64 {
	mem, err := chromedp.Run(ctx, chromedp.Poll[float64](js, chromedp.WithPollingInterval(10*time.Millisecond), chromedp.WithPollingTimeout(2*time.Second)))
	if err != nil {
		return 0
	}
	return mem
}

// variant is one of the two programs compared side by side.
type variant struct {
	name     string // as printed
	page     string // path of its page
	memoryJS string
	script   string // path of its program's script, in its page
}

var (
	widgetVariant = variant{"widget (20 triggers)", "/bench/widget.html", widgetMemoryJS, "/widget/widget.js"}
	helloVariant  = variant{"safejs hello-world", "/bench/hello.html", helloMemoryJS, "/hello/hello.js"}
)

// alternate runs f n times for each variant, alternating which goes first
// so that a slow stretch of a shared machine falls on both alike.
func alternate(n int, vs []variant, f func(v variant) error) error {
	for i := range n {
		for k := range vs {
			v := vs[(i+k)%len(vs)]
			if err := f(v); err != nil {
				return fmt.Errorf("%s: %w", v.name, err)
			}
		}
	}
	return nil
}

// pairRatios describes the ratios of the loads taken side by side (load i
// of a with load i of b): their median and range, which tell how far a
// shared machine's noise moves the ratio of the medians.
func pairRatios(a, b []float64) string {
	var rs []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			rs = append(rs, a[i]/b[i])
		}
	}
	if len(rs) == 0 {
		return "no pairs"
	}
	return fmt.Sprintf("load by load: median %.2f×, %.2f–%.2f×", medianOf(rs), minOf(rs), maxOf(rs))
}

// --- 1. ready time ---

// readySection measures, over cold loads, the time from the script tag to
// ready (the widget's load event; the hello's call), and the linear memory
// right after. Ratio = widget median / hello median.
func readySection(e *env) error {
	type result struct {
		times []float64
		mem   float64
	}
	res := map[string]*result{widgetVariant.name: {}, helloVariant.name: {}}
	err := alternate(e.opts.loads, []variant{widgetVariant, helloVariant}, func(v variant) error {
		ctx, cancel, err := coldTab(e.bctx)
		if err != nil {
			return err
		}
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+v.page)); err != nil {
			return err
		}
		ms, err := waitReady(ctx)
		if err != nil {
			return err
		}
		r := res[v.name]
		r.times = append(r.times, ms)
		r.mem = readMemory(ctx, v.memoryJS)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n== ready time: script tag → ready (widget: its load event; hello: its call), %d cold loads each\n", e.opts.loads)
	fmt.Println("   (a new browser context per load: no HTTP cache, no code cache, no storage; variants alternate)")
	fmt.Printf("%-22s %12s %12s %12s %14s\n", "", "median ms", "min ms", "max ms", "wasm memory")
	for _, v := range []variant{widgetVariant, helloVariant} {
		r := res[v.name]
		fmt.Printf("%-22s %12.1f %12.1f %12.1f %11.1f MB\n", v.name, medianOf(r.times), minOf(r.times), maxOf(r.times), r.mem/1e6)
	}
	w, h := medianOf(res[widgetVariant.name].times), medianOf(res[helloVariant.name].times)
	fmt.Printf("ratio widget/hello: %.2f× (target ≤ 2×; %s)\n", w/h, pairRatios(res[widgetVariant.name].times, res[helloVariant.name].times))
	e.sum.add("ready time, median of cold loads", "widget %.0f ms, hello %.0f ms: %.2f× (target ≤ 2×)", w, h, w/h)
	e.sum.add("wasm memory after start", "widget %.1f MB, hello %.1f MB", res[widgetVariant.name].mem/1e6, res[helloVariant.name].mem/1e6)
	return nil
}

// --- 2. longest main-thread task ---

// taskSettle is how long a traced load goes on after ready, so that work
// the program does right after it is in the trace too.
const taskSettle = 500 * time.Millisecond

// tasksSection traces cold loads of both pages and takes, on the page's
// main thread, from navigation to ready + taskSettle: the longest task,
// and the blocking time (the sum over tasks of what exceeds 50 ms); and
// the longest task from the one in which the program's script began to
// run: the program's own (the download handed to the compiler, its
// start-up, the first steps), without the navigation and the parsing of
// the page before it, which are the page's whatever it embeds. The target
// compares the latter: no task of the widget longer than the hello's
// start-up task.
func tasksSection(e *env) error {
	longest := map[string][]float64{}
	program := map[string][]float64{}
	blocking := map[string][]float64{}
	err := alternate(e.opts.traceLoads, []variant{widgetVariant, helloVariant}, func(v variant) error {
		all, own, err := tracedTasks(e, v)
		if err != nil {
			return err
		}
		longest[v.name] = append(longest[v.name], maxOf(all))
		program[v.name] = append(program[v.name], maxOf(own))
		blocking[v.name] = append(blocking[v.name], blockingTime(all))
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n== longest main-thread task, %d traced cold loads each, until ready + %s\n", e.opts.traceLoads, taskSettle)
	fmt.Println("   (Chromium's trace of the page's renderer main thread: every task, however short;")
	fmt.Println("   \"program\": from the task in which the program's script began to run; \"page\": from navigation)")
	fmt.Printf("%-22s %16s %12s %12s %14s %18s\n", "", "program, median", "min ms", "max ms", "page, median", "blocking ms (med)")
	for _, v := range []variant{widgetVariant, helloVariant} {
		p := program[v.name]
		fmt.Printf("%-22s %16.1f %12.1f %12.1f %14.1f %18.1f\n", v.name, medianOf(p), minOf(p), maxOf(p), medianOf(longest[v.name]), medianOf(blocking[v.name]))
	}
	w, h := medianOf(program[widgetVariant.name]), medianOf(program[helloVariant.name])
	fmt.Printf("ratio widget/hello, the program's tasks: %.2f× (target ≤ 1×: no widget task longer than the hello's start-up task; %s)\n",
		w/h, pairRatios(program[widgetVariant.name], program[helloVariant.name]))
	pw, ph := medianOf(longest[widgetVariant.name]), medianOf(longest[helloVariant.name])
	fmt.Printf("ratio widget/hello, the whole page's tasks: %.2f×\n", pw/ph)
	e.sum.add("longest main-thread task, median", "the program's: widget %.0f ms, hello %.0f ms: %.2f× (target ≤ 1×); the whole page's: %.0f and %.0f ms", w, h, w/h, pw, ph)
	return firstCallsSection(e)
}

// firstCallLoads is how many cold loads of each page firstCallsSection
// traces: the functions and bytes are the same from load to load.
const firstCallLoads = 3

// firstCallsSection traces cold loads of both pages with V8's wasm
// compilation events and prints what V8 compiled until ready because a
// function was called for the first time (firstCallsOf): the functions and
// their bytes do not depend on the machine's load, so they show a change
// in the start-up's code that the timings' noise hides. These are loads of
// their own: the events (about 3,000 in a widget load) would weigh on the
// tasks the section above compares.
func firstCallsSection(e *env) error {
	first := map[string][]firstCalls{}
	err := alternate(firstCallLoads, []variant{widgetVariant, helloVariant}, func(v variant) error {
		events, th, err := tracedLoad(e, v, firstCallCategories, "firstcalls")
		if err != nil {
			return err
		}
		first[v.name] = append(first[v.name], firstCallsOf(events, th))
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n== wasm compiled on first call until ready, %d traced cold loads each\n", firstCallLoads)
	fmt.Println("   (V8 compiles each function when it is first called, on the main thread; CPU: the thread's time in it)")
	fmt.Printf("%-22s %12s %12s %18s %18s\n", "", "functions", "KB", "CPU ms (median)", "wall ms (median)")
	med := map[string]firstCalls{}
	for _, v := range []variant{widgetVariant, helloVariant} {
		var fns, kb, cpu, wall []float64
		for _, fc := range first[v.name] {
			if !fc.marked {
				return fmt.Errorf("a trace of %s has no %q mark", v.page, readyMark)
			}
			fns = append(fns, float64(fc.functions))
			kb = append(kb, float64(fc.bytes)/1000)
			cpu = append(cpu, fc.cpu)
			wall = append(wall, fc.wall)
		}
		m := firstCalls{functions: int(medianOf(fns)), bytes: int64(medianOf(kb) * 1000), cpu: medianOf(cpu), wall: medianOf(wall)}
		if m.functions == 0 {
			return fmt.Errorf("the traces of %s have no wasm.CompileBaseline event on the page's main thread", v.page)
		}
		med[v.name] = m
		fmt.Printf("%-22s %12d %12.1f %18.1f %18.1f\n", v.name, m.functions, float64(m.bytes)/1000, m.cpu, m.wall)
	}
	w, h := med[widgetVariant.name], med[helloVariant.name]
	e.sum.add("wasm compiled on first call until ready", "widget %d functions, %.1f KB, %.0f ms CPU; hello %d, %.1f KB, %.0f ms",
		w.functions, float64(w.bytes)/1000, w.cpu, h.functions, float64(h.bytes)/1000, h.cpu)
	return nil
}

// tracedTasks loads v's page cold with a trace running and returns the
// durations in ms of its main thread's tasks: all of them, and those from
// the one in which v's script began to run.
func tracedTasks(e *env, v variant) (all, program []float64, err error) {
	events, th, err := tracedLoad(e, v, traceCategories, "tasks")
	if err != nil {
		return nil, nil, err
	}
	all = mainThreadTasks(events, th)
	if len(all) == 0 {
		return nil, nil, fmt.Errorf("the trace has no task on the main thread of %s", v.page)
	}
	program, ok := programTasks(events, th, v.script)
	if !ok || len(program) == 0 {
		return nil, nil, fmt.Errorf("the trace of %s has no EvaluateScript of %s", v.page, v.script)
	}
	return all, program, nil
}

// tracedLoad loads v's page cold with a trace of categories running, until
// ready + taskSettle, and returns the trace's events and the page's main
// thread.
func tracedLoad(e *env, v variant, categories []string, section string) ([]traceEvent, thread, error) {
	ctx, cancel, err := coldTab(e.bctx)
	if err != nil {
		return nil, thread{}, err
	}
	defer cancel()
	tr, err := startTrace(ctx, categories)
	if err != nil {
		return nil, thread{}, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+v.page)); err != nil {
		return nil, thread{}, err
	}
	if _, err := waitReady(ctx); err != nil {
		return nil, thread{}, err
	}
	time.Sleep(taskSettle)
	events, err := tr.stop(ctx, e.traceName(section, v.page))
	if err != nil {
		return nil, thread{}, err
	}
	th, ok := pageMainThread(events, v.page)
	if !ok {
		return nil, thread{}, fmt.Errorf("the trace has no main thread of %s (%d events)", v.page, len(events))
	}
	return events, th, nil
}

// blockingTime is the sum over tasks of their part beyond 50 ms: how long
// input would have waited (Lighthouse's Total Blocking Time, over the
// whole traced window).
func blockingTime(tasks []float64) float64 {
	var sum float64
	for _, d := range tasks {
		if d > 50 {
			sum += d - 50
		}
	}
	return sum
}

// --- 3. the host page's load event ---

// hostLoadSection loads a page whose own image takes slowImageDelay, with
// and without the widget, and reads the page's load event time
// (PerformanceNavigationTiming.loadEventStart, ms after navigation start).
// What the widget adds to it is the difference of the medians. It also
// reads how long after the image's last byte (its resource timing's
// responseEnd) the load event came: what the widget adds there is time the
// load event waited for the widget itself, apart from any shift of the
// image's own request (whose start the section prints too).
func hostLoadSection(e *env) error {
	plain := variant{name: "page alone", page: "/bench/slow-plain.html"}
	other := variant{name: "page + other script", page: "/bench/slow-script.html"}
	with := variant{name: "page + widget", page: "/bench/slow-widget.html"}
	times := map[string][]float64{}
	after := map[string][]float64{}
	asked := map[string][]float64{} // when the image was requested
	err := alternate(e.opts.hostLoads, []variant{with, plain, other}, func(v variant) error {
		ctx, cancel, err := coldTab(e.bctx)
		if err != nil {
			return err
		}
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(e.url+v.page)); err != nil {
			return err
		}
		ms, err := chromedp.Run(ctx, chromedp.Poll[[]float64](`(function () {
  var n = performance.getEntriesByType("navigation")[0];
  if (!n || !(n.loadEventEnd > 0)) return null;
  var img = performance.getEntriesByType("resource").filter(function (r) { return r.name.indexOf("/bench/slow.png") >= 0; })[0];
  return [n.loadEventStart, img ? img.responseEnd : 0, img ? img.requestStart : 0];
})()`, chromedp.WithPollingInterval(5*time.Millisecond)))
		if err != nil {
			return err
		}
		if len(ms) != 3 || ms[1] == 0 {
			return fmt.Errorf("%s: no resource timing for the slow image", v.page)
		}
		times[v.name] = append(times[v.name], ms[0])
		after[v.name] = append(after[v.name], ms[0]-ms[1])
		asked[v.name] = append(asked[v.name], ms[2])
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Printf("\n== the host's load event on a page with a %s image, %d cold loads each\n", slowImageDelay, e.opts.hostLoads)
	fmt.Printf("%-22s %12s %12s %12s %18s\n", "", "median ms", "min ms", "max ms", "after image, med")
	for _, v := range []variant{plain, other, with} {
		t := times[v.name]
		fmt.Printf("%-22s %12.1f %12.1f %12.1f %18.1f\n", v.name, medianOf(t), minOf(t), maxOf(t), medianOf(after[v.name]))
	}
	p, o, w := medianOf(times[plain.name]), medianOf(times[other.name]), medianOf(times[with.name])
	pa, wa := medianOf(after[plain.name]), medianOf(after[with.name])
	fmt.Printf("the widget delays the host's load event by %+.0f ms against the page alone, %+.0f ms against the page with another async script (target: none beyond noise);\n", w-p, w-o)
	fmt.Printf("the load event comes %.1f ms after the image's last byte with the widget, %.1f ms without;\n", wa, pa)
	fmt.Printf("the image is requested %.1f ms after navigation with the widget, %.1f ms with another script, %.1f ms alone\n",
		medianOf(asked[with.name]), medianOf(asked[other.name]), medianOf(asked[plain.name]))
	e.sum.add("host load event, 400 ms image", "alone %.0f ms, with another async script %.0f ms, with widget %.0f ms: %+.0f ms against alone, %+.0f ms against the other script (load event after the image's last byte: alone %.1f ms, with widget %.1f ms)", p, o, w, w-p, w-o, pa, wa)
	return nil
}
