package widget

import "testing"

// TestLoadLazy_CompilesNothingUntilNeeded: a set loaded for the runtime
// holds its patterns uncompiled; the first match compiles each once. A set
// compiled for a tool holds them compiled, by the check that accepted them.
func TestLoadLazy_CompilesNothingUntilNeeded(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"version": 1, "property": "acme", "triggers": [
	  {"id": "p", "type": "page", "url": {"match": "regex", "value": "/docs/.*"},
	   "message": {"text": "hi"}, "agent": {"name": "Maya"}},
	  {"id": "a", "type": "advanced", "event": "page_view",
	   "conditions": [{"field": "page.title", "op": "regex", "value": ".*guide.*"}],
	   "actions": [{"type": "add_tags", "tags": ["x"]}]}]}`)
	patterns := func(c *Compiled) []*wholeRegexp {
		return []*wholeRegexp{c.Trigger("p").url.re, c.Trigger("a").conds[0].re}
	}

	lazy, problems := LoadLazy(doc)
	if lazy == nil || len(problems) != 0 {
		t.Fatalf("LoadLazy: %v", problems)
	}
	for i, w := range patterns(lazy) {
		if w.anchored != nil || w.err != nil {
			t.Errorf("pattern %d (%q) was compiled by LoadLazy", i, w.pattern)
		}
	}
	u := ParsePageURL("https://x.test/docs/a")
	if !lazy.Trigger("p").MatchesURL(&u) {
		t.Fatal("the lazy rule does not match /docs/a")
	}
	if re := lazy.Trigger("p").url.re; re.anchored == nil {
		t.Error("the rule's pattern is not kept compiled after its first use")
	}
	if re := lazy.Trigger("a").conds[0].re; re.anchored != nil {
		t.Error("matching the URL rule compiled the condition's pattern too")
	}

	eager, problems := Load(doc)
	if eager == nil || len(problems) != 0 {
		t.Fatalf("Load: %v", problems)
	}
	for i, w := range patterns(eager) {
		if w.anchored == nil {
			t.Errorf("pattern %d (%q) was not compiled by the check that accepted it", i, w.pattern)
		}
	}
}
