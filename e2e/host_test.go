//go:build !js

package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// hostWelcome is the trigger of these tests: a welcome at once.
const hostWelcome = `{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
	"message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`

// The page's own globals named like Go's wasm_exec.js shims (fs, process,
// path, Go) are never changed, and the shims are never the page's globals:
// not right after widget.js has run, not after the widget has loaded. An
// element with id="fs" (which the browser makes window.fs) does not stop
// the widget either.
func TestHost_GlobalsNamedLikeGosShims(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(hostWelcome)
	tb.navigate(tb.sitePage("home", page{
		// A page's own var (a global the widget may not delete) and a
		// bundler's process polyfill, before the widget's tag.
		Head: `var path = location.pathname; window.process = {env: {NODE_ENV: "production"}}; window.__process = window.process;`,
		// Right after widget.js has run, before the runtime starts.
		OnLoad: `window.__after = {fs: typeof fs, go: typeof Go, path: path, process: window.process === window.__process};`,
		Body:   `<button id="fs">a button named fs</button>`,
	}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	var got struct {
		After struct {
			FS, Go, Path string
			Process      bool
		}
		FSIsButton, ProcessKept bool
		Path, GoType            string
	}
	tb.eval(`({After: {FS: __after.fs, Go: __after.go, Path: __after.path, Process: __after.process},
		FSIsButton: window.fs instanceof HTMLButtonElement, ProcessKept: window.process === window.__process,
		Path: path, GoType: typeof Go})`, &got)
	path := tb.dir() + "/home"
	if got.After.FS != "object" || got.After.Go != "undefined" || got.After.Path != path || !got.After.Process {
		t.Errorf("right after widget.js: typeof fs %q (the button: object), typeof Go %q, path %q, the page's process kept %v; want the page's own",
			got.After.FS, got.After.Go, got.After.Path, got.After.Process)
	}
	if !got.FSIsButton || !got.ProcessKept || got.Path != path || got.GoType != "undefined" {
		t.Errorf("after load: window.fs is the button %v, the page's process kept %v, path %q, typeof Go %q; want the page's own",
			got.FSIsButton, got.ProcessKept, got.Path, got.GoType)
	}
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Errorf("error events: %+v", errs)
	}
	tb.assertNoUncaught()
}

// A page without any global of those names gets none from the widget,
// right after widget.js or later.
func TestHost_NoShimsOnAPlainPage(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(hostWelcome)
	tb.navigate(tb.sitePage("home", page{
		OnLoad: `window.__after = ["fs", "process", "path", "Go"].filter(k => k in window);`,
	}))
	tb.waitLoad()
	var after, later []string
	tb.eval(`__after`, &after)
	tb.eval(`["fs", "process", "path", "Go"].filter(k => k in window)`, &later)
	if len(after) != 0 || len(later) != 0 {
		t.Errorf("globals of Go's shims on the page: right after widget.js %q, after load %q", after, later)
	}
	tb.assertNoUncaught()
}

// shutdown() from a listener of an event the runtime is dispatching (a
// trigger firing, the panel opening) ends the widget without throwing
// into the page and without an error event.
func TestHost_ShutdownFromAListener(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, onLoad, then string }{
		{"triggerFired", `TriggerWidget.on("triggerFired", function () { TriggerWidget.shutdown(); })`, ``},
		{"triggerFired after a delay", `TriggerWidget.on("triggerFired", function () { TriggerWidget.shutdown(); })`, `wait`},
		{"maximized after maximize()", `TriggerWidget.on("maximized", function () { TriggerWidget.shutdown(); })`, `TriggerWidget.maximize()`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			delay := 0
			if tc.then == "wait" {
				delay = 1
			}
			tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": ` + strconv.Itoa(delay) + `,
				"message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
			tb.navigate(tb.sitePage("home", page{OnLoad: tc.onLoad}))
			if tc.then == "wait" {
				tb.waitLoad()
				tb.pollFor("the trigger to fire", `__events.some(e => e.name === 'triggerFired')`, 5*time.Second)
			} else if tc.then != "" {
				tb.waitLoad()
				tb.exec(tc.then)
			} else {
				// The trigger fires in the first page view; its event,
				// held until load, comes right after it.
				tb.poll("the trigger to fire", `__events.some(e => e.name === 'triggerFired')`)
			}
			tb.poll("the widget to leave the page", `document.getElementById('triggerwidget-root') === null`)
			tb.sleep(margin)
			tb.assertNoUncaught()
			tb.poll("the runtime to end", `TriggerWidget.__stats === undefined`)
			if errs := tb.errorEvents(); len(errs) != 0 {
				t.Errorf("error events: %+v", errs)
			}
			var st any
			tb.eval(`TriggerWidget.getState()`, &st)
			if st != nil {
				t.Errorf("getState() after shutdown() = %v, want null", st)
			}
			tb.assertNoUncaught()
		})
	}
}

// on() and off() take any event name, those of Object.prototype included.
func TestHost_ListenerNamesOfObjectPrototype(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(hostWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	var threw string
	tb.eval(`(() => { try {
		const f = () => {};
		for (const n of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) { TriggerWidget.on(n, f); TriggerWidget.off(n, f); }
		TriggerWidget.off("isPrototypeOf", f);
		return "";
	} catch (e) { return String(e); } })()`, &threw)
	if threw != "" {
		t.Errorf("on()/off() threw: %s", threw)
	}
	tb.waitMessage("welcome")
	tb.assertNoUncaught()
}

// A tag that cannot work reports a config error and leaves the page as it
// found it: history's methods unwrapped, nothing queued, nothing thrown.
func TestHost_MisconfiguredTagLeavesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		p    page
		want string
	}{
		{"no property", page{}, "data-property"},
		{"a trigger set URL that is not one", page{Triggers: "http://[bad"}, "is not a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tc.p.Head = `window.__push = history.pushState; window.__replace = history.replaceState;`
			tb.navigate(tb.page("home", tc.p))
			tb.poll("the error event", `__events.some(e => e.name === 'error')`)
			errs := tb.errorEvents()
			if len(errs) != 1 || errs[0].Code != "config" || !strings.Contains(errs[0].Message, tc.want) {
				t.Fatalf("error events = %+v, want one, code config, naming %q", errs, tc.want)
			}
			var kept bool
			tb.eval(`history.pushState === __push && history.replaceState === __replace && TriggerWidget.maximize() === undefined`, &kept)
			if !kept {
				t.Errorf("history.pushState/replaceState are still the widget's wrappers")
			}
			tb.assertNoUncaught()
		})
	}
}

// A wasm the server does not have is reported with its HTTP status, and
// asked for once.
func TestHost_MissingWasmReportedOnce(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(hostWelcome)
	// widget.js served from a directory without its wasm.
	js, err := os.ReadFile(filepath.Join(env.dist, "widget.js"))
	if err != nil {
		t.Fatal(err)
	}
	env.world.serve(t, tb.dir()+"/lonely/widget.js", "text/javascript", string(js))
	tb.navigate(tb.page("home", page{Src: tb.dir() + "/lonely/widget.js", Property: tb.prop}))
	tb.poll("the error event", `__events.some(e => e.name === 'error')`)
	errs := tb.errorEvents()
	if len(errs) != 1 || errs[0].Code != "load" || !strings.Contains(errs[0].Message, "HTTP 404") {
		t.Errorf("error events = %+v, want one, code load, naming HTTP 404", errs)
	}
	tb.sleep(margin)
	if n := len(env.world.requests("a", tb.dir()+"/lonely/widget.")) - 1; n != 1 { // widget.js itself is one
		t.Errorf("the wasm was asked for %d times, want once", n)
	}
	tb.assertNoUncaught()
}

// After shutdown() the page keeps no hook to the runtime: __stats, whose
// function held the instance (and so its memory), goes with it.
func TestHost_ShutdownLetsTheRuntimeGo(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(hostWelcome)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	var before bool
	tb.eval(`typeof TriggerWidget.__stats === "function" && TriggerWidget.__stats().memory > 0`, &before)
	if !before {
		t.Fatalf("TriggerWidget.__stats() does not report the memory before shutdown(); the test tests nothing")
	}
	tb.exec(`TriggerWidget.shutdown()`)
	tb.pollFor("the runtime to end", `!("__stats" in TriggerWidget)`, 5*time.Second)
	tb.assertNoUncaught()
}

// shutdown() while the runtime waits for its trigger set: the start-up
// ends there, and what then happens to the set (here a 404) reaches the
// page neither as an error event nor as the widget.
func TestHost_ShutdownWhileTheSetLoads(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	release := make(chan struct{})
	set := tb.dir() + "/slow.json"
	env.world.serveHandler(t, set, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		http.NotFound(w, r)
	}))
	tb.navigate(tb.page("home", page{Triggers: set}))
	tb.poll("the runtime to start", `typeof TriggerWidget.__stats === "function"`)
	tb.exec(`TriggerWidget.shutdown()`)
	close(release)
	tb.poll("the runtime to end", `!("__stats" in TriggerWidget)`)
	tb.sleep(margin)
	if errs := tb.errorEvents(); len(errs) != 0 {
		t.Errorf("error events after shutdown(): %+v", errs)
	}
	var root bool
	tb.eval(`document.getElementById('triggerwidget-root') !== null`, &root)
	if root {
		t.Errorf("the widget's element is on the page after shutdown()")
	}
	tb.assertNoUncaught()
}
