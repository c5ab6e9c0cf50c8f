//go:build js && wasm

package wasm

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/triggerwidget/triggerwidget/widget"
)

// TestMarkup: the fixed markup the loader builds is a well-formed tree,
// has every part newUI and applyAppearance take out of it, holds no text
// of its own (the widget's words come in its language), and limits the
// input as the engine does.
func TestMarkup(t *testing.T) {
	var tree []any
	if err := json.Unmarshal([]byte(markup), &tree); err != nil {
		t.Fatalf("markup is not JSON: %v", err)
	}
	parts := map[string]map[string]any{}
	var walk func(n any)
	walk = func(n any) {
		node, ok := n.([]any)
		if !ok {
			if _, text := n.(string); !text {
				t.Fatalf("node %v is neither an element nor text", n)
			}
			return
		}
		if len(node) < 2 {
			t.Fatalf("element %v has no tag or attributes", node)
		}
		attrs, ok := node[1].(map[string]any)
		if _, tag := node[0].(string); !tag || !ok {
			t.Fatalf("element %v: want [tag, {attributes}, children...]", node)
		}
		if p, ok := attrs["data-part"].(string); ok {
			parts[p] = attrs
		}
		for name := range attrs {
			if name == "aria-label" || name == "placeholder" || name == "title" {
				t.Errorf("element %v has a fixed %s: the widget's words come from widget.Phrases", node[0], name)
			}
		}
		for _, c := range node[2:] {
			if text, ok := c.(string); ok && strings.ContainsFunc(text, unicode.IsLetter) {
				t.Errorf("element %v has the fixed text %q: the widget's words come from widget.Phrases", node[0], text)
			}
			walk(c)
		}
	}
	walk(tree)
	for _, p := range []string{"panel", "title", "subtitle", "status", "minimize", "transcript", "composer", "input", "send", "preview", "launcher", "launcher-label", "badge"} {
		if parts[p] == nil {
			t.Errorf("markup has no data-part=%q", p)
		}
	}
	if got, want := parts["input"]["maxlength"], strconv.Itoa(widget.MaxVisitorMessageLen); got != want {
		t.Errorf("input maxlength = %v, want widget.MaxVisitorMessageLen %s", got, want)
	}
}
