//go:build !js

package e2e

import (
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// onePixelPNG is a 1×1 transparent PNG.
var onePixelPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

// hostLoadProbe records, at the host page's own load event, what the widget
// had done by then. It is registered before widget.js runs, like a host
// page's own listener.
const hostLoadProbe = `window.addEventListener('load', function () {
  window.__hostLoad = {
    root: !!document.getElementById('triggerwidget-root'),
    ready: TriggerWidget.getState() !== null,
    events: __events.map(function (e) { return e.name; })
  };
});`

// The widget's downloads start at once, but its runtime starts only after
// the host page's load event: on a page whose own load is slow (an image
// that takes 400 ms, and is sent only once the widget's wasm and trigger
// set have been asked for, so the order is certain whatever the machine's
// speed), nothing of the widget has run when the page's load event fires,
// and it then starts and loads as usual.
func TestStartup_RuntimeStartsAfterHostLoad(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "hello", "name": "Hello", "type": "site", "delay": 0,
		"message": {"text": "Hello after load"}, "agent": {"name": "Apollo"}}`)
	img := tb.dir() + "/slow.png"
	asked := func(prefix string) bool { return len(env.world.requests("a", prefix)) > 0 }
	env.world.serveHandler(t, img, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadline := time.Now().Add(waitTimeout)
		for !(asked("/widget/widget.") && asked("/p/"+tb.prop+"/triggers.json")) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(400 * time.Millisecond)
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(onePixelPNG)
	}))
	tb.navigate(tb.sitePage("home", page{Head: hostLoadProbe, Body: `<img src="` + img + `" alt="slow">`}))
	tb.waitLoad()
	tb.waitMessage("hello")

	var at struct {
		Root   bool     `json:"root"`
		Ready  bool     `json:"ready"`
		Events []string `json:"events"`
	}
	tb.eval("window.__hostLoad", &at)
	if at.Root || at.Ready || len(at.Events) > 0 {
		t.Errorf("at the host page's load event the widget had already run: root element %v, API ready %v, events %q; want nothing before load", at.Root, at.Ready, at.Events)
	}
	var wasmAsked bool
	for _, r := range env.world.requests("a", "/widget/") {
		wasmAsked = wasmAsked || strings.HasSuffix(r.path, ".wasm")
	}
	if !wasmAsked {
		t.Error("the wasm was never fetched")
	}
	tb.assertNoUncaught()
}

// The widget's two downloads do not hold the host page's load event: here
// the wasm and the trigger set are each held back by the server until the
// page has told it (from its own load listener) that it has loaded. Were
// either download holding the load event, neither would ever come, and the
// widget would not load.
func TestStartup_DownloadsDoNotHoldHostLoad(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	wasms, err := filepath.Glob(filepath.Join(env.dist, "widget.*.wasm"))
	if err != nil || len(wasms) != 1 {
		t.Fatalf("the shipped build's wasm: %v %v", wasms, err)
	}
	wasm, err := os.ReadFile(wasms[0])
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(env.dist, "widget.js"))
	if err != nil {
		t.Fatal(err)
	}
	loaded := make(chan struct{})
	var once atomic.Bool
	env.world.serveHandler(t, tb.dir()+"/loaded", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if once.CompareAndSwap(false, true) {
			close(loaded)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	var heldBack atomic.Int32 // responses that waited for the page's load
	afterLoad := func(contentType string, body []byte) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-loaded:
				heldBack.Add(1)
			case <-time.After(waitTimeout / 2):
				t.Errorf("%s was asked for, but the host page's load event never came", r.URL.Path)
			}
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(body)
		})
	}
	dir := tb.dir() + "/w/"
	env.world.serve(t, dir+"widget.js", "text/javascript", string(js))
	env.world.serveHandler(t, dir+filepath.Base(wasms[0]), afterLoad("application/wasm", wasm))
	env.world.serveHandler(t, tb.dir()+"/set.json", afterLoad("application/json", []byte(triggerSet(tb.prop,
		`{"id": "hello", "name": "Hello", "type": "site", "delay": 0, "message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`))))
	tb.navigate(tb.page("home", page{Src: dir + "widget.js", Triggers: tb.dir() + "/set.json",
		Head: `window.addEventListener('load', function () { fetch(` + jsString(tb.dir()+"/loaded") + `); });`}))
	tb.waitLoad()
	tb.waitMessage("hello")
	if n := heldBack.Load(); n != 2 {
		t.Errorf("%d of the 2 downloads were served after the host page's load event", n)
	}
	tb.assertNoUncaught()
}

// A widget.js added after the page has loaded (document.readyState is
// "complete": there is no load event left to wait for) starts at once, and
// calls made before its runtime is ready are still queued, not lost.
func TestStartup_AddedAfterLoadStartsAtOnce(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "opened", "name": "Opened", "type": "maximized", "delay": 0,
		"message": {"text": "Hi! Ask us anything."}, "agent": {"name": "Support"}}`)
	// A page of its own: pageHTML would add the widget's tag itself.
	path := tb.dir() + "/home"
	env.world.serve(t, path, "text/html; charset=utf-8", `<!doctype html>
<html><head><meta charset=utf-8><title>late</title>
`+recorder+`
<script>
window.addEventListener('load', function () {
  setTimeout(function () {
    var s = document.createElement('script');
    s.src = '/widget/widget.js';
    s.setAttribute('data-property', `+jsString(tb.prop)+`);
    s.onload = function () { window.__readyState = document.readyState; TriggerWidget.maximize(); };
    document.head.appendChild(s);
  }, 0);
});
</script></head><body><h1>late</h1></body></html>`)
	tb.navigate(path)
	tb.waitLoad()
	tb.waitMessage("opened")
	var readyState string
	tb.eval("window.__readyState", &readyState)
	if readyState != "complete" {
		t.Fatalf("widget.js ran with document.readyState %q; the test needs \"complete\"", readyState)
	}
	tb.assertNoUncaught()
}

// shutdown() called before the runtime is ready means no widget on this
// page: the runtime does not start (or its start-up ends at its next
// step), nothing fires, nothing of the widget reaches the page (no
// element, no session cookie) and nothing is thrown.
func TestStartup_ShutdownBeforeReady(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "hello", "name": "Hello", "type": "site", "delay": 0,
		"message": {"text": "Hello"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("home", page{
		Head: `window.__rootSeen = false; new MutationObserver(function () {
			if (document.getElementById('triggerwidget-root')) __rootSeen = true;
		}).observe(document.documentElement, {childList: true, subtree: true});`,
		OnLoad: `TriggerWidget.shutdown()`,
	}))
	tb.assertQueued()
	// The runtime has run its queued calls once the set has been fetched
	// and the wasm has started; give it that long, then check nothing
	// showed up.
	tb.poll("the trigger set request", "performance.getEntriesByType('resource').some(e => e.name.endsWith('/triggers.json'))")
	tb.sleep(margin)
	if n := tb.count(msgSel("hello")); n != 0 {
		t.Errorf("a trigger fired after a queued shutdown()")
	}
	if fired := tb.firedEvents(); len(fired) != 0 {
		t.Errorf("triggerFired after a queued shutdown(): %q", fired)
	}
	var state any
	tb.eval("TriggerWidget.getState()", &state)
	if state != nil {
		t.Errorf("getState() = %v after shutdown(), want null", state)
	}
	var seen struct {
		Root    bool
		Cookies string
	}
	tb.eval(`({Root: __rootSeen, Cookies: document.cookie})`, &seen)
	if seen.Root || strings.Contains(seen.Cookies, "tw_") {
		t.Errorf("after shutdown() before ready: the widget's element was on the page %v, cookies %q", seen.Root, seen.Cookies)
	}
	tb.assertNoUncaught()
}
