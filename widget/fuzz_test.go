package widget_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

// FuzzParseSet feeds arbitrary documents through ParseSet → Validate →
// Compile, and runs an engine on what compiles. Nothing may panic, and
// every trigger of a parsed set is either compiled or listed as skipped.
// Seeds: the f.Add calls below and testdata/fuzz/FuzzParseSet.
func FuzzParseSet(f *testing.F) {
	f.Add([]byte(spec7))
	f.Add([]byte(`{"version":1,"property":"acme","triggers":[]}`))
	f.Add([]byte(`{"version":2,"property":"acme","triggers":[]}`))
	f.Add([]byte(`{"version":1,"property":"a","status":"away","triggers":[{"id":"x","type":"page","url":{"match":"regex","value":"^/(a|b)+$"},"message":{"text":"hi"},"agent":{"name":"A"}}]}`))
	f.Add([]byte(`{"version":1,"property":"a","triggers":[null,{},{"id":"a","id":"b"}],"shortcuts":[null]}`))
	f.Add([]byte(`{"version":1,"property":"a","triggers":[{"id":"w","type":"site","delay":-1,"enabled":false,"suggestions":["a","b","c","d","e"],"message":{"text":"","shortcut":"s"},"agent":{"name":"","image":"javascript:x"}}]}`))
	f.Add([]byte(`{"version":1,"triggers":[{"type":"advanced","conditions":[{"field":"f","op":"eq","value":{"deep":[1,{"x":null}]}}],"actions":[{"type":"emit","data":null}]}]}`))
	f.Add([]byte(`[`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := widget.ParseSet(data)
		if err != nil {
			var fe *widget.FieldError
			if !errors.As(err, &fe) || fe.Field == "" {
				t.Fatalf("ParseSet error %v (%T) does not name a field", err, err)
			}
			return
		}
		verr := widget.Validate(s)
		if verr != nil {
			var ve *widget.ValidationError
			if !errors.As(verr, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Validate error %v (%T) is not a non-empty *ValidationError", verr, verr)
			}
			_ = ve.Error()
		}
		c := widget.Compile(s)
		if got := len(c.Triggers) + len(c.Skipped); got != len(s.Triggers) {
			t.Fatalf("compiled %d + skipped %d != %d triggers", len(c.Triggers), len(c.Skipped), len(s.Triggers))
		}
		if verr == nil && (len(c.Skipped) != 0 || len(c.Problems) != 0) {
			t.Fatalf("valid set, but Compile skipped %q with problems %v", c.Skipped, c.Problems)
		}
		if !validStatus(c.Status) {
			t.Fatalf("compiled status %q", c.Status)
		}
		runEngine(t, c)
	})
}

func validStatus(s string) bool {
	return s == widget.StatusOnline || s == widget.StatusAway || s == widget.StatusOffline
}

// runEngine drives an engine through a short visit of every event kind.
func runEngine(t *testing.T, c *widget.Compiled) {
	clock := widget.NewManualClock(t0)
	e := widget.New(c, widget.Options{Clock: clock, Storage: widget.NewMemoryStorage(), Sink: func(widget.Effect) {}})
	e.PageView(widget.Page{URL: "https://x.test/pricing"})
	e.SetMaximized(true)
	_ = e.VisitorMessage("hello")
	clock.Advance(20 * time.Minute)
	for _, en := range e.Transcript() {
		if len(en.Suggestions) > 0 && !en.Retired {
			if _, err := e.UseSuggestion(en.ID, 0); err != nil {
				t.Fatalf("UseSuggestion(%d, 0) on a message with suggestions: %v", en.ID, err)
			}
			break
		}
	}
	_ = e.SetStatus(widget.StatusAway)
	_ = e.SetStatus(widget.StatusOnline)
	e.ChatEnded()
	clock.Advance(2 * time.Hour)
	_ = e.Snapshot()
	e.Stop()
}

// FuzzURLRule compiles arbitrary rules and matches them against arbitrary
// URLs. Nothing may panic; a refused rule says which field is wrong.
// Seeds: the f.Add calls below and testdata/fuzz/FuzzURLRule.
func FuzzURLRule(f *testing.F) {
	seeds := []struct{ match, value, url string }{
		{"exact", "/pricing", "https://x.test/pricing/"},
		{"exact", "/app#/pricing", "https://x.test/app#/pricing"},
		{"exact", "/pricing?plan=pro", "https://x.test/pricing?plan=pro"},
		{"contains", "pricing", "https://X.TEST:443/en/pricing?x#y"},
		{"starts_with", "https://x.test/blog", "https://x.test/blog/post"},
		{"wildcard", "*a*a*a*a*b", "https://x.test/aaaaaaaaaaaaaaaaaaaaaaaa"},
		{"wildcard", "https://*.x.test/*", "https://www.x.test/"},
		{"regex", `^/blog/.*`, "https://x.test/blog/post"},
		{"regex", `(a+)+b`, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
		{"regex", `https://x\.test/(pricing|plans)`, "https://x.test/plans"},
		{"regex", `([`, "/"},
		{"", "", ""},
		{"exact", "ftp://x/", "://"},
		{"exact", "https://user@[::1]:443/a", "https://[::1]/a"},
	}
	for _, s := range seeds {
		f.Add(s.match, s.value, s.url)
	}
	f.Fuzz(func(t *testing.T, match, value, url string) {
		u := widget.ParsePageURL(url)
		_ = u.String()
		m, err := widget.CompileURLRule(widget.URLRule{Match: match, Value: value})
		if err != nil {
			var re *widget.RuleError
			if !errors.As(err, &re) || (re.Field != "match" && re.Field != "value") {
				t.Fatalf("CompileURLRule error %v (%T) does not name match or value", err, err)
			}
			return
		}
		got := m.Match(&u)
		if again := m.Match(&u); again != got {
			t.Fatalf("Match is not deterministic: %v then %v", got, again)
		}
		// A literal rule matches the page it names.
		if match != widget.MatchRegex {
			self := widget.ParsePageURL(strings.TrimSpace(value))
			if !m.Match(&self) {
				t.Fatalf("rule %s %q does not match the page %q it names", match, value, self.String())
			}
		}
	})
}
