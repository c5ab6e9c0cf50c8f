//go:build js && wasm

package wasm

// These tests run under Node (make test: GOOS=js GOARCH=wasm go test with
// Go's go_js_wasm_exec), against JS stand-ins for the browser objects.

import (
	"testing"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// evalJS makes a JS value from source, e.g. a stand-in localStorage.
func evalJS(t *testing.T, src string) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	f, err := fn.New("return (" + src + ");")
	if err != nil {
		t.Fatalf("compiling %s: %v", src, err)
	}
	v, err := f.Invoke()
	if err != nil {
		t.Fatalf("running %s: %v", src, err)
	}
	return v
}

func setGlobal(t *testing.T, name string, v any) {
	t.Helper()
	g := safejs.Global()
	old, _ := g.Get(name)
	if err := g.Set(name, v); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Set(name, old) })
}

const mapStorage = `(function () {
	var m = new Map();
	return {
		getItem: function (k) { return m.has(k) ? m.get(k) : null; },
		setItem: function (k, v) { m.set(k, String(v)); },
		removeItem: function (k) { m.delete(k); },
		dump: function () { return JSON.stringify(Array.from(m.entries())); }
	};
})()`

func TestLocalStorageRoundTrip(t *testing.T) {
	ls := evalJS(t, mapStorage)
	setGlobal(t, "localStorage", ls)
	s := newLocalStorage("acme")
	if s.fallback {
		t.Fatal("fell back to memory with a working localStorage")
	}
	if _, ok, err := s.Get("visit"); ok || err != nil {
		t.Fatalf("Get on empty storage = ok %v, err %v", ok, err)
	}
	if err := s.Set("visit", `{"v":1}`); err != nil {
		t.Fatal(err)
	}
	raw, err := ls.Call("getItem", "triggerwidget:acme:visit")
	if err != nil {
		t.Fatal(err)
	}
	if got := jsString(raw); got != `{"v":1}` {
		t.Errorf("localStorage holds %q under the prefixed key, want {\"v\":1}", got)
	}
	if v, ok, err := s.Get("visit"); !ok || err != nil || v != `{"v":1}` {
		t.Errorf("Get = %q, %v, %v", v, ok, err)
	}
	if err := s.Remove("visit"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("visit"); ok {
		t.Error("Get after Remove still finds the key")
	}
}

func TestLocalStorageFallsBackWhenItThrows(t *testing.T) {
	setGlobal(t, "localStorage", evalJS(t, `{
		getItem: function () { throw new Error("SecurityError: blocked"); },
		setItem: function () { throw new Error("QuotaExceededError"); },
		removeItem: function () { throw new Error("blocked"); }
	}`))
	s := newLocalStorage("acme")
	if err := s.Set("visit", "x"); err == nil {
		t.Fatal("Set on a throwing localStorage returned no error")
	}
	// From now on it is memory: the value written is readable.
	if v, ok, err := s.Get("visit"); !ok || err != nil || v != "x" {
		t.Errorf("after fallback Get = %q, %v, %v; want the value in memory", v, ok, err)
	}

	// The engine on top reports the failure once and keeps working.
	var errs int
	clock := widget.NewManualClock(time.Unix(1_700_000_000, 0))
	set := widget.Compile(&widget.Set{Version: 1, Property: "acme", Triggers: []widget.Trigger{{
		ID: "hi", Type: widget.TypeSite, Delay: 1, Message: &widget.Message{Text: "Hello"}, Agent: widget.Agent{Name: "Ann"},
	}}})
	fresh := newLocalStorage("acme2")
	fresh.fallback = false
	fresh.ls = evalJS(t, `{ getItem: function () { return null; }, setItem: function () { throw new Error("QuotaExceededError"); }, removeItem: function () {} }`)
	e := widget.New(set, widget.Options{Clock: clock, Storage: fresh, Sink: func(ef widget.Effect) {
		if ef.Kind == widget.EffectError && ef.Code == "storage" {
			errs++
		}
	}})
	e.PageView(widget.Page{URL: "https://acme.test/"})
	clock.Advance(2 * time.Second)
	if errs != 1 {
		t.Errorf("storage errors reported = %d, want 1", errs)
	}
	if n := len(e.Transcript()); n != 1 {
		t.Errorf("transcript has %d entries, want the site message", n)
	}
}

func TestLocalStorageMissing(t *testing.T) {
	setGlobal(t, "localStorage", safejs.Undefined())
	s := newLocalStorage("acme")
	if !s.fallback {
		t.Fatal("no localStorage, but not in memory mode")
	}
	if err := s.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.Get("k"); !ok || v != "v" {
		t.Errorf("Get = %q, %v", v, ok)
	}
}

func TestHasCookie(t *testing.T) {
	tests := []struct {
		cookies, name string
		want          bool
	}{
		{"", "tw_acme", false},
		{"tw_acme=1", "tw_acme", true},
		{"a=b; tw_acme=1; c=d", "tw_acme", true},
		{"tw_acme2=1", "tw_acme", false},
		{"x=tw_acme", "tw_acme", false},
	}
	for _, tt := range tests {
		if got := hasCookie(tt.cookies, tt.name); got != tt.want {
			t.Errorf("hasCookie(%q, %q) = %v, want %v", tt.cookies, tt.name, got, tt.want)
		}
	}
	if got := cookieSafe("a b;c=d"); got != "a_b_c_d" {
		t.Errorf("cookieSafe = %q", got)
	}
	// The loader's name for the same property, from JS's own replace().
	for _, p := range []string{"shop-1", "é😀x", "a\u00a0b"} {
		want, err := evalJS(t, `"`+p+`".replace(/[^A-Za-z0-9_-]/g, "_")`).String()
		if err != nil {
			t.Fatal(err)
		}
		if got := cookieSafe(jsString(evalJS(t, `"`+p+`"`))); got != want {
			t.Errorf("cookieSafe(%q) = %q, the loader makes %q", p, got, want)
		}
	}
}

func TestAwait(t *testing.T) {
	v, err := await(evalJS(t, `Promise.resolve("set")`), time.Second)
	if err != nil || jsString(v) != "set" {
		t.Errorf("resolved promise: %q, %v", jsString(v), err)
	}
	_, err = await(evalJS(t, `Promise.reject(new Error("HTTP 404"))`), time.Second)
	if err == nil || err.Error() != "HTTP 404" {
		t.Errorf("rejected promise: err = %v, want HTTP 404", err)
	}
	_, err = await(evalJS(t, `new Promise(function () {})`), 50*time.Millisecond)
	if err == nil {
		t.Error("a promise that never settles did not time out")
	}
}

func TestStringListAndMap(t *testing.T) {
	got, err := stringList(evalJS(t, `["a", "b"]`), 50)
	if err != nil || len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("stringList(array) = %q, %v", got, err)
	}
	if got, err := stringList(evalJS(t, `"solo"`), 50); err != nil || len(got) != 1 || got[0] != "solo" {
		t.Errorf("stringList(string) = %q, %v", got, err)
	}
	if _, err := stringList(evalJS(t, `42`), 50); err == nil {
		t.Error("stringList(42) succeeded")
	}
	if _, err := stringList(evalJS(t, `["a", "b", "c"]`), 2); err == nil || err.Error() != "too many tags in one call: 3 (at most 2)" {
		t.Errorf("stringList of 3 with a cap of 2: %v", err)
	}
	// Only strings are texts: String() of an object would be "[object Object]".
	if _, err := hostText(evalJS(t, `({})`), "the status"); err == nil || err.Error() != "the status must be a string, not an object" {
		t.Errorf("hostText of an object: %v", err)
	}
	if got, err := hostText(evalJS(t, `"  away "`), "the status"); err != nil || got != "  away " {
		t.Errorf("hostText of a string = %q, %v", got, err)
	}
	m, err := stringMap(evalJS(t, `{plan: "pro", seats: 3, vip: true}`))
	if err != nil || m["plan"] != "pro" || m["seats"] != "3" || m["vip"] != "true" {
		t.Errorf("stringMap = %v, %v", m, err)
	}
	if _, err := stringMap(evalJS(t, `null`)); err == nil {
		t.Error("stringMap(null) succeeded")
	}
}
