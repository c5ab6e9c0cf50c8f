//go:build js && wasm

package wasm

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// TestUXMarkup: the parts the visitor's comforts add are a well-formed
// tree with every part buildUX takes out of it, and each number in it is
// the phrase meant there (read in English); the form's fields have the
// engine's limits.
func TestUXMarkup(t *testing.T) {
	var tree []any
	if err := json.Unmarshal([]byte(uxMarkup), &tree); err != nil {
		t.Fatalf("uxMarkup is not JSON: %v", err)
	}
	en := widget.Phrases("en")
	word := func(v any) string {
		switch x := v.(type) {
		case float64:
			if x < 0 || int(x) >= int(widget.NumPhrases) || x != float64(int(x)) {
				t.Fatalf("%v is not a phrase number", x)
			}
			return en[int(x)]
		case string:
			return x
		}
		t.Fatalf("%v is neither text nor a phrase", v)
		return ""
	}
	texts := map[string]string{} // data-part or tag -> its text or aria-label
	var walk func(n any, owner string)
	walk = func(n any, owner string) {
		node, ok := n.([]any)
		if !ok {
			texts[owner] += word(n)
			return
		}
		attrs, ok := node[1].(map[string]any)
		if _, tag := node[0].(string); !tag || !ok {
			t.Fatalf("element %v: want [tag, {attributes}, children...]", node)
		}
		key := node[0].(string)
		if key == "label" && len(node) == 4 {
			// ["label",{},["span",{},PHRASE],["input",{"name":NAME,…}]]
			span, _ := node[2].([]any)
			field, _ := node[3].([]any)
			if len(span) != 3 || len(field) < 2 {
				t.Fatalf("label %v: want a caption and a field", node)
			}
			fa := field[1].(map[string]any)
			texts["field "+fa["name"].(string)] = word(span[2])
			texts["max "+fa["name"].(string)], _ = fa["maxlength"].(string)
			return
		}
		if p, ok := attrs["data-part"].(string); ok {
			key = p
			texts[key] = ""
		}
		if l, ok := attrs["aria-label"]; ok {
			texts[key+" label"] = word(l)
		}
		for _, c := range node[2:] {
			walk(c, key)
		}
	}
	walk(tree, "")
	for part, want := range map[string]string{
		"close label":   en[widget.PhraseCloseChat],
		"new-message":   en[widget.PhraseNewMessage],
		"offline-sent":  en[widget.PhraseOfflineThanks],
		"typing-text":   "",
		"field name":    en[widget.PhraseName],
		"field email":   en[widget.PhraseEmail],
		"field message": en[widget.PhraseMessage],
		// The engine's limits (LeaveMessage).
		"max name":    strconv.Itoa(widget.MaxAttrValueLen),
		"max email":   strconv.Itoa(widget.MaxAttrValueLen),
		"max message": strconv.Itoa(widget.MaxVisitorMessageLen),
	} {
		if got, ok := texts[part]; !ok || got != want {
			t.Errorf("uxMarkup %s = %q (present %v), want %q", part, got, ok, want)
		}
	}
	for _, want := range []widget.Phrase{widget.PhraseOfflineTitle, widget.PhraseOfflineIntro, widget.PhraseSendMessage} {
		found := false
		for _, got := range texts {
			found = found || got == en[want]
		}
		if !found {
			t.Errorf("uxMarkup lacks the phrase %q", en[want])
		}
	}
	for _, p := range []string{"typing", "offline", "offline-form"} {
		if _, ok := texts[p]; !ok {
			t.Errorf("uxMarkup has no data-part=%q", p)
		}
	}
}
