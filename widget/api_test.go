//go:build !js

package widget_test

// The JavaScript API's names live once in Go (api.go); the loader, the
// runtime and the TypeScript declarations spell them again in their own
// languages. These tests read those files and fail when one drifts.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// quoted returns the double-quoted strings of s, in order.
func quoted(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`"([^"\\]*)"`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s = %q\nwant   %q (the table in widget/api.go)", what, g, w)
	}
}

// block returns the text between the first match of start and the first
// line after it that is exactly end.
func block(t *testing.T, src, start, end string) string {
	t.Helper()
	i := strings.Index(src, start)
	if i < 0 {
		t.Fatalf("no %q", start)
	}
	rest := src[i+len(start):]
	j := strings.Index(rest, "\n"+end+"\n")
	if j < 0 {
		t.Fatalf("no %q after %q", end, start)
	}
	return rest[:j]
}

func TestAPITable_Loader(t *testing.T) {
	t.Parallel()
	js := readRepoFile(t, "wasm/assets/loader.js")
	m := regexp.MustCompile(`(?s)var METHODS = \[(.*?)\];`).FindStringSubmatch(js)
	if m == nil {
		t.Fatal("loader.js has no METHODS array")
	}
	if got := quoted(m[1]); !slices.Equal(got, widget.APIMethods) {
		t.Errorf("loader.js METHODS = %q\nwant %q (same order: the loader calls the runtime with a method's index in it, and the docs list them so)", got, widget.APIMethods)
	}
	m = regexp.MustCompile(`(?s)var EVENTS = \[(.*?)\];`).FindStringSubmatch(js)
	if m == nil {
		t.Fatal("loader.js has no EVENTS array")
	}
	if got := quoted(m[1]); !slices.Equal(got, widget.HostEvents) {
		t.Errorf("loader.js EVENTS = %q\nwant %q (on() warns of any other name)", got, widget.HostEvents)
	}
	// What the loader reports itself: its error codes and event names.
	codes := regexp.MustCompile(`report\("([a-z_]+)"`).FindAllStringSubmatch(js, -1)
	if len(codes) == 0 {
		t.Fatal("found no report(code, …) call in loader.js")
	}
	for _, c := range codes {
		if !slices.Contains(widget.ErrorCodes, c[1]) {
			t.Errorf("loader.js reports error code %q, not in widget.ErrorCodes", c[1])
		}
	}
	for _, d := range regexp.MustCompile(`dispatch\("([A-Za-z]+)"`).FindAllStringSubmatch(js, -1) {
		if !slices.Contains(widget.HostEvents, d[1]) {
			t.Errorf("loader.js dispatches %q, not in widget.HostEvents", d[1])
		}
	}
}

func TestAPITable_TypeScript(t *testing.T) {
	t.Parallel()
	ts := readRepoFile(t, "wasm/assets/widget.d.ts")

	api := block(t, ts, "export interface TriggerWidgetAPI extends Listeners {", "}")
	var methods []string
	for _, m := range regexp.MustCompile(`(?m)^\s+([a-zA-Z]+)(<[^>]*>)?\(`).FindAllStringSubmatch(api, -1) {
		if m[1] != "on" && m[1] != "off" {
			methods = append(methods, m[1])
		}
	}
	sameSet(t, "widget.d.ts TriggerWidgetAPI methods", methods, widget.APIMethods)

	events := block(t, ts, "export interface WidgetEvents {", "}")
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^\s+([a-zA-Z]+): `).FindAllStringSubmatch(events, -1) {
		names = append(names, m[1])
	}
	sameSet(t, "widget.d.ts WidgetEvents", names, widget.HostEvents)

	union := regexp.MustCompile(`(?s)export type ErrorCode =(.*?);`).FindStringSubmatch(ts)
	if union == nil {
		t.Fatal("widget.d.ts has no ErrorCode union")
	}
	sameSet(t, "widget.d.ts ErrorCode", quoted(union[1]), widget.ErrorCodes)
	if !strings.Contains(events, "error: { code: ErrorCode;") {
		t.Errorf("widget.d.ts: the error event's code is not typed as ErrorCode")
	}
}

// TestAPITable_Runtime reads the wasm runtime's source: its method table
// (an array literal of {name, func} pairs) has exactly the API's methods,
// in their order (the loader calls a method by its index), then the
// navigation (navigateMethod); and it names events and error codes only
// through the widget constants.
func TestAPITable_Runtime(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../wasm/api.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var methods []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		at, ok := lit.Type.(*ast.ArrayType)
		if !ok {
			return true
		}
		if elt, ok := at.Elt.(*ast.Ident); !ok || elt.Name != "method" {
			return true
		}
		for _, el := range lit.Elts {
			pair, ok := el.(*ast.CompositeLit)
			if !ok || len(pair.Elts) != 2 {
				t.Errorf("wasm/api.go: method table entry at %s is not a {name, func} pair", fset.Position(el.Pos()))
				continue
			}
			switch name := pair.Elts[0].(type) {
			case *ast.BasicLit:
				s, _ := strconv.Unquote(name.Value)
				methods = append(methods, s)
			case *ast.Ident:
				if name.Name != "navigateMethod" {
					t.Errorf("wasm/api.go: method named by %s", name.Name)
				}
			default:
				t.Errorf("wasm/api.go: method table entry at %s is not named by a string", fset.Position(name.Pos()))
			}
		}
		return false
	})
	if !slices.Equal(methods, widget.APIMethods) {
		t.Errorf("wasm/api.go methods = %q\nwant %q, in this order", methods, widget.APIMethods)
	}

	for _, name := range []string{"api.go", "runtime.go", "ui.go", "zone.go", "storage.go", "dom.go", "jsutil.go", "testclock.go", "systemclock.go"} {
		src := readRepoFile(t, "wasm/"+name)
		for _, bad := range regexp.MustCompile(`(dispatch|reportError|guard)\("[^"]*"`).FindAllString(src, -1) {
			t.Errorf("wasm/%s: %s…: name events and error codes with the widget constants", name, bad)
		}
	}
}

// TestCodes_Documented: every problem code, error-event code and condition
// field is explained in docs/format.md.
func TestCodes_Documented(t *testing.T) {
	t.Parallel()
	doc := readRepoFile(t, "docs/format.md")
	for _, c := range widget.ProblemCodes {
		if !strings.Contains(doc, "`"+c.Code+"`") {
			t.Errorf("docs/format.md does not document problem code %q", c.Code)
		}
	}
	for _, c := range widget.ErrorCodes {
		if !strings.Contains(doc, "`"+c+"`") {
			t.Errorf("docs/format.md does not document error code %q", c)
		}
	}
	for _, f := range widget.ConditionFields() {
		if !strings.Contains(doc, "`"+f.Name) {
			t.Errorf("docs/format.md does not document condition field %q", f.Name)
		}
	}
}
