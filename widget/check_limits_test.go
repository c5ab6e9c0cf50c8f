package widget_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

var (
	emoji = "👋"
	// A shortcut the test sets always carry, so that triggers may name it.
	priceList = widget.Shortcut{ID: "price-list", Text: "Here is our price list:"}
)

// withCompanion puts tr first in a set, followed by a valid trigger, so tests
// can check that only the broken one is dropped.
func withCompanion(tr widget.Trigger) *widget.Set {
	s := setOf(tr, siteT("companion", 5))
	s.Shortcuts = []widget.Shortcut{priceList}
	return s
}

// TestValidate_TriggerLimits: every limit and rule of a trigger produces a
// FieldError naming the trigger and the field, and Compile skips exactly
// that trigger.
func TestValidate_TriggerLimits(t *testing.T) {
	t.Parallel()
	text := func(s string) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.Message = &widget.Message{Text: s} }
	}
	suggestions := func(list ...string) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.Suggestions = list }
	}
	agentName := func(n string) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.Agent.Name = n }
	}
	image := func(u string) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.Agent.Image = u }
	}
	delay := func(d int) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.Delay = d }
	}
	rule := func(match, value string) func(*widget.Trigger) {
		return func(t *widget.Trigger) { t.URL = &widget.URLRule{Match: match, Value: value} }
	}
	cases := []struct {
		name      string
		trigger   widget.Trigger
		wantID    string
		wantField string
	}{
		{"five suggestions", with(siteT("t", 0), suggestions("a", "b", "c", "d", "e")), "t", "suggestions"},
		{"suggestion of 61 characters", with(siteT("t", 0), suggestions("ok", strings.Repeat("x", 61))), "t", "suggestions[1]"},
		{"suggestion of 61 emojis", with(siteT("t", 0), suggestions(strings.Repeat(emoji, 61))), "t", "suggestions[0]"},
		{"blank suggestion", with(siteT("t", 0), suggestions("  ")), "t", "suggestions[0]"},
		{"negative delay", with(siteT("t", 0), delay(-1)), "t", "delay"},
		{"delay over an hour", with(siteT("t", 0), delay(3601)), "t", "delay"},
		{"text of 1001 characters", with(siteT("t", 0), text(strings.Repeat("a", 1001))), "t", "message.text"},
		{"text of 1001 emojis", with(siteT("t", 0), text(strings.Repeat(emoji, 1001))), "t", "message.text"},
		{"empty text", with(siteT("t", 0), text("")), "t", "message.text"},
		{"blank text", with(siteT("t", 0), text(" \n ")), "t", "message.text"},
		{"agent name of 51 characters", with(siteT("t", 0), agentName(strings.Repeat("n", 51))), "t", "agent.name"},
		{"agent name of 51 emojis", with(siteT("t", 0), agentName(strings.Repeat(emoji, 51))), "t", "agent.name"},
		{"empty agent name", with(siteT("t", 0), agentName("")), "t", "agent.name"},
		{"blank agent name", with(siteT("t", 0), agentName("   ")), "t", "agent.name"},
		{"missing message", with(siteT("t", 0), func(t *widget.Trigger) { t.Message = nil }), "t", "message"},
		{"text and shortcut", with(siteT("t", 0), func(t *widget.Trigger) {
			t.Message = &widget.Message{Text: "Hi", Shortcut: "price-list"}
		}), "t", "message"},
		{"unknown shortcut", with(siteT("t", 0), func(t *widget.Trigger) {
			t.Message = &widget.Message{Shortcut: "no-such-shortcut"}
		}), "t", "message.shortcut"},
		{"id with a space", siteT("hello world", 0), "hello world", "id"},
		{"id with a slash", siteT("a/b", 0), "a/b", "id"},
		{"id too long", siteT(strings.Repeat("i", widget.MaxIDLen+1), 0), "#1", "id"},
		{"empty id", siteT("", 0), "#1", "id"},
		{"name of 101 characters", with(siteT("t", 0), func(t *widget.Trigger) { t.Name = strings.Repeat("n", 101) }), "t", "name"},
		{"unknown type", trig("t", "popup", 0), "t", "type"},
		{"missing type", trig("t", "", 0), "t", "type"},
		{"advanced without an event", trig("t", widget.TypeAdvanced, 0), "t", "event"},
		{"page without url", trig("t", widget.TypePage, 0), "t", "url"},
		{"site with url", with(siteT("t", 0), rule("exact", "/pricing")), "t", "url"},
		{"chat_rescue with url", with(rescueT("t", 0), rule("exact", "/pricing")), "t", "url"},
		{"maximized with url", with(maxT("t", 0), rule("exact", "/pricing")), "t", "url"},
		{"page with unknown match", pageT("t", 0, "like", "/pricing"), "t", "url.match"},
		{"page with missing match", pageT("t", 0, "", "/pricing"), "t", "url.match"},
		{"page with empty value", pageT("t", 0, "exact", ""), "t", "url.value"},
		{"page with bad regex", pageT("t", 0, "regex", "/(unclosed"), "t", "url.value"},
		{"page with relative exact", pageT("t", 0, "exact", "pricing"), "t", "url.value"},
		{"page with ftp URL", pageT("t", 0, "starts_with", "ftp://x.test/"), "t", "url.value"},
		{"image javascript:", with(siteT("t", 0), image("javascript:alert(1)")), "t", "agent.image"},
		{"image JavaScript: mixed case", with(siteT("t", 0), image("JavaScript:alert(1)")), "t", "agent.image"},
		{"image javascript: with a slash later", with(siteT("t", 0), image("javascript:alert('/')")), "t", "agent.image"},
		{"image vbscript:", with(siteT("t", 0), image("vbscript:msgbox")), "t", "agent.image"},
		{"image http:", with(siteT("t", 0), image("http://cdn.x.test/a.png")), "t", "agent.image"},
		{"image data:", with(siteT("t", 0), image("data:image/png;base64,AAAA")), "t", "agent.image"},
		{"image data: svg", with(siteT("t", 0), image("data:image/svg+xml,<svg onload=alert(1)>")), "t", "agent.image"},
		{"image protocol-relative", with(siteT("t", 0), image("//evil.test/a.png")), "t", "agent.image"},
		{"image with a leading space", with(siteT("t", 0), image(" javascript:alert(1)")), "t", "agent.image"},
		{"image https without host", with(siteT("t", 0), image("https://")), "t", "agent.image"},
		{"unknown avatar", with(siteT("t", 0), image("avatar:pirate")), "t", "agent.image"},
		{"empty avatar name", with(siteT("t", 0), image("avatar:")), "t", "agent.image"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := withCompanion(tc.trigger)
			ve := asValidation(t, widget.Validate(s))
			if !hasProblem(ve.Problems, tc.wantID, tc.wantField) {
				t.Errorf("problems %v do not name trigger %q field %q", ve.Problems, tc.wantID, tc.wantField)
			}
			for _, p := range ve.Problems {
				if p.TriggerID != tc.wantID {
					t.Errorf("unexpected problem %+v: only trigger %q is broken", p, tc.wantID)
				}
				if p.Problem == "" {
					t.Errorf("problem %+v has no message", p)
				}
				if !strings.Contains(p.Error(), tc.wantID) {
					t.Errorf("problem text %q does not name the trigger %q", p.Error(), tc.wantID)
				}
			}
			if msg := ve.Error(); !strings.Contains(msg, tc.wantField) {
				t.Errorf("ValidationError.Error() = %q, want it to name %q", msg, tc.wantField)
			}
			c := widget.Compile(s)
			if got := triggerIDs(c); !reflect.DeepEqual(got, []string{"companion"}) {
				t.Errorf("Compile kept %q, want only [companion]", got)
			}
			if !reflect.DeepEqual(c.Skipped, []string{tc.wantID}) {
				t.Errorf("Compile.Skipped = %q, want [%s]", c.Skipped, tc.wantID)
			}
		})
	}
}

// TestValidate_AcceptsAtTheLimits: values at or inside every limit pass.
func TestValidate_AcceptsAtTheLimits(t *testing.T) {
	t.Parallel()
	set := func(f func(*widget.Trigger)) func(*widget.Trigger) { return f }
	cases := []struct {
		name    string
		trigger widget.Trigger
	}{
		{"four suggestions", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Suggestions = []string{"a", "b", "c", "d"} }))},
		{"suggestion of 60 characters", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Suggestions = []string{strings.Repeat("x", 60)} }))},
		{"suggestion of 60 emojis", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Suggestions = []string{strings.Repeat(emoji, 60)} }))},
		{"no delay", siteT("t", 0)},
		{"delay of an hour", siteT("t", 3600)},
		{"text of 1000 characters", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Message.Text = strings.Repeat("a", 1000) }))},
		{"text of 1000 emojis", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Message.Text = strings.Repeat(emoji, 1000) }))},
		{"text of 1000 accented letters", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Message.Text = strings.Repeat("é", 1000) }))},
		{"text with line breaks and a URL", with(siteT("t", 0), set(func(t *widget.Trigger) {
			t.Message.Text = "Hi!\nSee https://x.test/help <b>not bold</b>\n\nBye"
		}))},
		{"agent name of 50 characters", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Name = strings.Repeat("n", 50) }))},
		{"agent name of 50 emojis", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Name = strings.Repeat(emoji, 50) }))},
		{"https image", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "https://cdn.example.com/maya.png" }))},
		{"HTTPS image", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "HTTPS://cdn.example.com/maya.png" }))},
		{"relative image", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "avatars/robot.svg" }))},
		{"root-relative image", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "/img/maya.png" }))},
		{"relative image with a colon in the query", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "img/a.png?t=12:30" }))},
		{"robot avatar", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "avatar:robot" }))},
		{"no image", siteT("t", 0)},
		{"shortcut message", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "price-list"} }))},
		{"disabled", disabled(siteT("t", 0))},
		{"once per visitor", onceEver(siteT("t", 0))},
		{"id of punctuation", siteT("a-b_c.D9", 0)},
		{"id of 64 characters", siteT(strings.Repeat("i", widget.MaxIDLen), 0)},
		{"name of 100 characters", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Name = strings.Repeat("n", 100) }))},
		{"no name", with(siteT("t", 0), set(func(t *widget.Trigger) { t.Name = "" }))},
		{"page trigger", pageT("t", 10, "starts_with", "/pricing")},
		{"page trigger, full URL", pageT("t", 10, "exact", "https://x.test/pricing")},
		{"chat rescue", rescueT("t", 30)},
		{"maximized", maxT("t", 0)},
	}
	for _, avatar := range widget.StandardAvatars {
		cases = append(cases, struct {
			name    string
			trigger widget.Trigger
		}{"standard avatar " + avatar, with(siteT("t", 0), set(func(t *widget.Trigger) { t.Agent.Image = "avatar:" + avatar }))})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := withCompanion(tc.trigger)
			if err := widget.Validate(s); err != nil {
				t.Fatalf("Validate = %v, want nil", err)
			}
			if c := widget.Compile(s); len(c.Triggers) != 2 || len(c.Skipped) != 0 {
				t.Errorf("Compile kept %q and skipped %q, want both triggers", triggerIDs(c), c.Skipped)
			}
		})
	}
}

func TestValidate_SetLevel(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		change    func(*widget.Set)
		wantField string
	}{
		{"version 2", func(s *widget.Set) { s.Version = 2 }, "version"},
		{"version 0", func(s *widget.Set) { s.Version = 0 }, "version"},
		{"empty property", func(s *widget.Set) { s.Property = "" }, "property"},
		{"property with a space", func(s *widget.Set) { s.Property = "acme corp" }, "property"},
		{"unknown status", func(s *widget.Set) { s.Status = "busy" }, "status"},
		{"bad timezone", func(s *widget.Set) { s.Timezone = "Paris time" }, "timezone"},
		{"shortcut without content", func(s *widget.Set) { s.Shortcuts = []widget.Shortcut{{ID: "empty"}} }, "shortcuts[0]"},
		{"duplicate shortcut", func(s *widget.Set) { s.Shortcuts = []widget.Shortcut{priceList, priceList} }, "shortcuts[1].id"},
		{"shortcut javascript link", func(s *widget.Set) {
			s.Shortcuts = []widget.Shortcut{{ID: "x", Attachments: []widget.Attachment{{Kind: "link", URL: "javascript:alert(1)", Title: "Go"}}}}
		}, "shortcuts[0].attachments[0].url"},
		{"shortcut http image", func(s *widget.Set) {
			s.Shortcuts = []widget.Shortcut{{ID: "x", Attachments: []widget.Attachment{{Kind: "image", URL: "http://x.test/a.png"}}}}
		}, "shortcuts[0].attachments[0].url"},
		{"shortcut unknown attachment kind", func(s *widget.Set) {
			s.Shortcuts = []widget.Shortcut{{ID: "x", Attachments: []widget.Attachment{{Kind: "video", URL: "https://x.test/a.mp4"}}}}
		}, "shortcuts[0].attachments[0].kind"},
		{"shortcut form without fields", func(s *widget.Set) {
			s.Shortcuts = []widget.Shortcut{{ID: "x", Attachments: []widget.Attachment{{Kind: "form", Submit: "Send"}}}}
		}, "shortcuts[0].attachments[0].fields"},
		{"shortcut text too long", func(s *widget.Set) {
			s.Shortcuts = []widget.Shortcut{{ID: "x", Text: strings.Repeat("a", 1001)}}
		}, "shortcuts[0].text"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := setOf(siteT("welcome", 5))
			tc.change(s)
			ve := asValidation(t, widget.Validate(s))
			if !hasProblem(ve.Problems, "", tc.wantField) {
				t.Errorf("problems %v do not name the set field %q", ve.Problems, tc.wantField)
			}
		})
	}
}

func TestValidate_TriggerCount(t *testing.T) {
	t.Parallel()
	many := func(n int) *widget.Set {
		s := setOf()
		for i := 1; i <= n; i++ {
			s.Triggers = append(s.Triggers, siteT("t"+strconv.Itoa(i), i))
		}
		return s
	}
	t.Run("20 triggers", func(t *testing.T) {
		t.Parallel()
		if err := widget.Validate(many(widget.MaxTriggers)); err != nil {
			t.Errorf("Validate(20 triggers) = %v, want nil", err)
		}
	})
	t.Run("21 triggers", func(t *testing.T) {
		t.Parallel()
		s := many(widget.MaxTriggers + 1)
		ve := asValidation(t, widget.Validate(s))
		if !hasProblem(ve.Problems, "", "triggers") {
			t.Errorf("problems %v do not name the set field \"triggers\"", ve.Problems)
		}
		named := false
		for _, p := range ve.Problems {
			if p.TriggerID == "t21" {
				named = true
			} else if p.TriggerID != "" {
				t.Errorf("problem %+v names a trigger within the limit", p)
			}
		}
		if !named {
			t.Errorf("problems %v do not name the 21st trigger t21", ve.Problems)
		}
		c := widget.Compile(s)
		if len(c.Triggers) != widget.MaxTriggers || c.Triggers[19].ID != "t20" {
			t.Errorf("Compile kept %q, want t1..t20", triggerIDs(c))
		}
		if !reflect.DeepEqual(c.Skipped, []string{"t21"}) {
			t.Errorf("Skipped = %q, want [t21]", c.Skipped)
		}
	})
}

// TestValidate_AllProblemsAtOnce: a set with three broken triggers lists all
// three, and Compile runs the valid one.
func TestValidate_AllProblemsAtOnce(t *testing.T) {
	t.Parallel()
	s := setOf(
		with(siteT("bad-delay", 0), func(t *widget.Trigger) { t.Delay = -5 }),
		siteT("good", 5),
		trig("bad-page", widget.TypePage, 0),
		with(maxT("bad-image", 0), func(t *widget.Trigger) { t.Agent.Image = "javascript:alert(1)"; t.Agent.Name = "" }),
	)
	ve := asValidation(t, widget.Validate(s))
	for _, want := range []struct{ id, field string }{
		{"bad-delay", "delay"}, {"bad-page", "url"}, {"bad-image", "agent.image"}, {"bad-image", "agent.name"},
	} {
		if !hasProblem(ve.Problems, want.id, want.field) {
			t.Errorf("problems %v do not name %s/%s", ve.Problems, want.id, want.field)
		}
		if !strings.Contains(ve.Error(), want.id) {
			t.Errorf("Error() does not name %q:\n%s", want.id, ve.Error())
		}
	}
	if got := len(ve.ForTrigger("bad-image")); got != 2 {
		t.Errorf("ForTrigger(bad-image) has %d problems, want 2", got)
	}
	if got := ve.ForTrigger("good"); len(got) != 0 {
		t.Errorf("ForTrigger(good) = %v, want none", got)
	}
	c := widget.Compile(s)
	if got := triggerIDs(c); !reflect.DeepEqual(got, []string{"good"}) {
		t.Errorf("Compile kept %q, want [good]", got)
	}
	if want := []string{"bad-delay", "bad-page", "bad-image"}; !reflect.DeepEqual(c.Skipped, want) {
		t.Errorf("Skipped = %q, want %q", c.Skipped, want)
	}
	if len(c.Problems) != len(ve.Problems) {
		t.Errorf("Compile.Problems has %d entries, Validate %d", len(c.Problems), len(ve.Problems))
	}
}

func TestFieldError_Error(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  widget.FieldError
		want string
	}{
		{widget.FieldError{TriggerID: "welcome", Field: "delay", Problem: "too long"}, `trigger "welcome": delay: too long`},
		{widget.FieldError{Field: "version", Problem: "unsupported"}, `version: unsupported`},
		{widget.FieldError{Problem: "bad"}, `bad`},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestParseSet_Rejects(t *testing.T) {
	t.Parallel()
	valid := `{"version":1,"property":"acme","triggers":[]}`
	cases := []struct {
		name      string
		doc       string
		wantField string
	}{
		{"version 2", `{"version":2,"property":"acme","triggers":[]}`, "version"},
		{"version missing", `{"property":"acme","triggers":[]}`, "version"},
		{"version as a string", `{"version":"1","property":"acme","triggers":[]}`, "(document)"},
		{"empty document", ``, "(document)"},
		{"only spaces", "  \n ", "(document)"},
		{"truncated", `{"version":1,"property":"acme","triggers":[`, "(document)"},
		{"not JSON", `version: 1`, "(document)"},
		{"a list", `[1,2]`, "(document)"},
		{"trailing garbage", valid + ` {"version":2}`, "(document)"},
		{"trailing comma", `{"version":1,"property":"acme","triggers":[],}`, "(document)"},
		{"delay as a string", `{"version":1,"property":"acme","triggers":[{"id":"a","type":"site","delay":"5"}]}`, "(document)"},
		{"delay as a fraction", `{"version":1,"property":"acme","triggers":[{"id":"a","type":"site","delay":1.5}]}`, "(document)"},
		{"triggers as an object", `{"version":1,"property":"acme","triggers":{}}`, "(document)"},
		{"oversize", valid + strings.Repeat(" ", widget.MaxSetBytes-len(valid)+1), "(document)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := widget.ParseSet([]byte(tc.doc))
			if err == nil {
				t.Fatalf("ParseSet = %+v, nil; want an error on %q", s, tc.wantField)
			}
			var fe *widget.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", err, err)
			}
			if fe.Field != tc.wantField {
				t.Errorf("Field = %q, want %q (%v)", fe.Field, tc.wantField, err)
			}
			if !strings.Contains(err.Error(), tc.wantField) {
				t.Errorf("Error() = %q, want it to name %q", err.Error(), tc.wantField)
			}
		})
	}
}

func TestParseSet_Accepts(t *testing.T) {
	t.Parallel()
	valid := `{"version":1,"property":"acme","triggers":[]}`
	cases := []struct {
		name string
		doc  string
	}{
		{"minimal", valid},
		{"exactly the size limit", valid + strings.Repeat(" ", widget.MaxSetBytes-len(valid))},
		{"unknown fields are ignored", `{"version":1,"property":"acme","x-editor":{"by":"me"},"triggers":[{"id":"a","type":"site","future":[1,2]}]}`},
		{"surrounding whitespace", "\n\t " + valid + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := widget.ParseSet([]byte(tc.doc)); err != nil {
				t.Errorf("ParseSet = %v, want nil", err)
			}
		})
	}
}

func TestParseSet_Defaults(t *testing.T) {
	t.Parallel()
	s, err := widget.ParseSet([]byte(`{"version":1,"property":"acme","triggers":[
		{"id":"a","type":"site","message":{"text":"Hi"},"agent":{"name":"Maya"}},
		{"id":"b","type":"site","enabled":false,"message":{"text":"Hi"},"agent":{"name":"Maya"}},
		{"id":"c","type":"site","enabled":null,"message":{"text":"Hi"},"agent":{"name":"Maya"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := s.Triggers[0], s.Triggers[1], s.Triggers[2]
	if !a.IsEnabled() || a.Delay != 0 || a.OncePerVisitor {
		t.Errorf("defaults: enabled=%v delay=%d oncePerVisitor=%v, want true 0 false", a.IsEnabled(), a.Delay, a.OncePerVisitor)
	}
	if b.IsEnabled() {
		t.Errorf("enabled:false read as enabled")
	}
	if !c.IsEnabled() {
		t.Errorf("enabled:null must take the default, true")
	}
	comp := compileOK(t, s)
	if comp.Status != widget.StatusOnline {
		t.Errorf("Compile status = %q, want the default online", comp.Status)
	}
	if comp.Trigger("b") == nil || comp.Trigger("b").Enabled {
		t.Errorf("a disabled trigger is valid: compiled, with Enabled false")
	}
}

func TestCompile_Status(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"", widget.StatusOnline},
		{widget.StatusOnline, widget.StatusOnline},
		{widget.StatusAway, widget.StatusAway},
		{widget.StatusOffline, widget.StatusOffline},
		{"busy", widget.StatusOnline}, // reported, and the default is used
	}
	for _, tc := range cases {
		s := setOf(siteT("welcome", 5))
		s.Status = tc.in
		c := widget.Compile(s)
		if c.Status != tc.want {
			t.Errorf("Compile(status %q).Status = %q, want %q", tc.in, c.Status, tc.want)
		}
		if c.Trigger("welcome") == nil {
			t.Errorf("status %q: a set-level problem must not drop triggers", tc.in)
		}
	}
}

func TestCompile_ResolvesMessage(t *testing.T) {
	t.Parallel()
	sc := widget.Shortcut{ID: "price-list", Text: "Prices:", Attachments: []widget.Attachment{
		{Kind: "link", URL: "https://example.com/compare", Title: "Compare"},
	}}
	s := setOf(
		with(siteT("by-shortcut", 3), func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "price-list"} }),
		with(siteT("by-text", 0), func(t *widget.Trigger) {
			t.Message.Text = "Line 1\nhttps://x.test"
			t.Suggestions = []string{"Yes", "No"}
			t.Agent = widget.Agent{Name: "Apollo", Image: "avatar:robot"}
		}),
	)
	s.Shortcuts = []widget.Shortcut{sc}
	c := compileOK(t, s)
	a := c.Trigger("by-shortcut")
	if a.Text != "Prices:" || !reflect.DeepEqual(a.Attachments, sc.Attachments) || a.Delay != 3000 || a.Index != 0 {
		t.Errorf("by-shortcut = %+v", a)
	}
	b := c.Trigger("by-text")
	if b.Text != "Line 1\nhttps://x.test" || len(b.Attachments) != 0 || b.Index != 1 ||
		!reflect.DeepEqual(b.Suggestions, []string{"Yes", "No"}) || b.Agent != (widget.Agent{Name: "Apollo", Image: "avatar:robot"}) {
		t.Errorf("by-text = %+v", b)
	}
	if c.Trigger("nope") != nil {
		t.Errorf("Trigger(unknown id) != nil")
	}
}

// TestCompile_DuplicateIDKeepsFirst: the runtime skips only the
// broken triggers. With two triggers sharing an id, the second is the broken
// one ("duplicate id"); the first is fine and must still run.
func TestCompile_DuplicateIDKeepsFirst(t *testing.T) {
	t.Parallel()
	first := siteT("welcome", 5)
	second := with(siteT("welcome", 10), func(t *widget.Trigger) { t.Message.Text = "copy" })
	s := setOf(first, siteT("other", 1), second)
	ve := asValidation(t, widget.Validate(s))
	if !hasProblem(ve.Problems, "welcome", "id") {
		t.Fatalf("problems %v do not report the duplicate id", ve.Problems)
	}
	c := widget.Compile(s)
	if got, want := triggerIDs(c), []string{"welcome", "other"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Compile kept %q, want %q (the first welcome is not broken)", got, want)
	}
	if w := c.Trigger("welcome"); w != nil && (w.Index != 0 || w.Text != "Hello from welcome") {
		t.Errorf("kept welcome = index %d text %q, want the first one", w.Index, w.Text)
	}
	if !reflect.DeepEqual(c.Skipped, []string{"welcome"}) {
		t.Errorf("Skipped = %q, want one welcome (the duplicate)", c.Skipped)
	}
}

// TestCompile_SkipsTriggerOfBrokenShortcut: a trigger that sends a shortcut
// whose attachment is refused (a javascript: link) is broken: Compile must
// not hand it to the runtime with that attachment.
func TestCompile_SkipsTriggerOfBrokenShortcut(t *testing.T) {
	t.Parallel()
	s := setOf(
		with(siteT("sends-bad", 0), func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "evil"} }),
		siteT("fine", 0),
	)
	s.Shortcuts = []widget.Shortcut{{ID: "evil", Text: "Click", Attachments: []widget.Attachment{
		{Kind: "link", URL: "javascript:alert(document.cookie)", Title: "Offer"},
	}}}
	ve := asValidation(t, widget.Validate(s))
	if !hasProblem(ve.Problems, "", "shortcuts[0].attachments[0].url") {
		t.Fatalf("problems %v do not report the javascript: link", ve.Problems)
	}
	c := widget.Compile(s)
	for _, ct := range c.Triggers {
		for _, a := range ct.Attachments {
			if containsFold(a.URL, "javascript:") {
				t.Errorf("compiled trigger %q carries the refused attachment %q", ct.ID, a.URL)
			}
		}
	}
	if c.Trigger("fine") == nil {
		t.Errorf("the valid trigger was dropped")
	}
	if !reflect.DeepEqual(c.Skipped, []string{"sends-bad"}) {
		t.Errorf("Skipped = %q, want [sends-bad]", c.Skipped)
	}
}
