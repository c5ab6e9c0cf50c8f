//go:build js && wasm

package wasm

import (
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// The loader calls impl(i, ...args) for its METHODS[i], which a test keeps
// equal to widget.APIMethods: every one of them has a Go side, and a
// number that names none (a loader of another version) is an api error
// event naming it, never a throw into the page.
func TestAPI_EveryMethodHasAnImplementation(t *testing.T) {
	rt := &runtime{ready: true, dispatchFn: evalJS(t, `function (name, payload) { this.push(name + ":" + payload.code + ":" + payload.message); }.bind(globalThis.__twAPI = [])`)}
	impl, err := rt.api()
	if err != nil {
		t.Fatalf("api() = %v, want every method of widget.APIMethods implemented", err)
	}
	if impl.Type() != safejs.TypeFunction {
		t.Fatalf("api() is a %v, want a function", impl.Type())
	}
	nan := evalJS(t, "NaN")
	for _, args := range [][]any{{len(widget.APIMethods) + 1}, {-1}, {"visitorMessage", "hi"}, {}, {nan, "hi"}, {0.5, "hi"}} {
		if _, err := impl.Invoke(args...); err != nil {
			t.Errorf("impl(%v) threw: %v", args, err)
		}
	}
	got := evalJS(t, `globalThis.__twAPI.join("\n")`)
	s, _ := got.String()
	if n := strings.Count(s, "error:api:impl: no method number"); n != 6 {
		t.Errorf("events:\n%s\nwant six api errors naming the method number", s)
	}
}

// The loader names API methods and DOM listeners by number; only a whole
// number in range names one.
func TestIndex(t *testing.T) {
	for _, tc := range []struct {
		js   string
		want int
		ok   bool
	}{{"0", 0, true}, {"2", 2, true}, {"3", 0, false}, {"-1", 0, false}, {"1.5", 0, false}, {"NaN", 0, false}, {"Infinity", 0, false}, {`"1"`, 0, false}, {"null", 0, false}} {
		if got, ok := index(evalJS(t, tc.js), 3); got != tc.want || ok != tc.ok {
			t.Errorf("index(%s, 3) = %d, %v; want %d, %v", tc.js, got, ok, tc.want, tc.ok)
		}
	}
}
