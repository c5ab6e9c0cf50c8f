package strict

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// samples are the trigger sets the triggers command's golden tests use:
// the documented example, a set with a problem of every kind, a messy
// layout and a document that is not JSON.
const samples = "../../cmd/triggers/testdata/"

// doc joins lines into a document, so that cases read line by line.
func doc(lines ...string) []byte { return []byte(strings.Join(lines, "\n")) }

// render writes a problem as "LINE:COL #INDEX "TRIGGER" FIELD CODE", with
// the message for the problems this package words itself.
func render(p Problem) string {
	s := fmt.Sprintf("%d:%d", p.Line, p.Col)
	if p.Index > 0 || p.TriggerID != "" {
		s += fmt.Sprintf(" #%d %q", p.Index, p.TriggerID)
	}
	s += " " + p.Field + " " + p.Code
	switch p.Code {
	case widget.CodeUnknownKey, widget.CodeDuplicateKey, widget.CodeUnknownTimezone:
		s += ": " + p.Problem
	}
	return s
}

func renderAll(ps []Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, render(p))
	}
	return out
}

// A valid trigger of each kind, to build cases around.
const (
	siteTrigger = `{"id": "hello", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "Ann"}}`
	header      = `{"version": 1, "property": "acme",`
)

func TestCheck(t *testing.T) {
	t.Parallel()
	big := append([]byte(header+` "triggers": [], "x": "`), make([]byte, widget.MaxSetBytes)...)
	for i := range big[len(header):] {
		if big[len(header)+i] == 0 {
			big[len(header)+i] = 'a'
		}
	}
	for _, c := range []struct {
		name     string
		data     []byte
		problems []string
		warnings []string
	}{
		{
			name:     "valid",
			data:     doc(header, ` "timezone": "Europe/Paris",`, ` "triggers": [`+siteTrigger+`]}`),
			problems: []string{},
			warnings: []string{},
		},
		{
			name: "syntax error",
			data: doc(header,
				` "triggers": [`,
				`   {"id": "a", "type": "site"}`,
				`   {"id": "b"}`,
				` ]}`),
			// Where the decoder stopped, as its own message says.
			problems: []string{"4:4 (document) not_json"},
		},
		{
			name:     "truncated",
			data:     doc(header, ` "triggers": [`),
			problems: []string{"2:15 (document) not_json"},
		},
		{
			name:     "wrong type",
			data:     doc(header, ` "triggers": [{"id": 7}]}`),
			problems: []string{"2:22 (document) not_json"}, // the 7
		},
		{
			name:     "too large",
			data:     big,
			problems: []string{"1:1 (document) too_large"},
		},
		{
			name:     "other version",
			data:     doc(`{"property": "acme",`, ` "version": 2, "triggers": []}`),
			problems: []string{"2:13 version bad_version"},
		},
		{
			name:     "no version",
			data:     doc(`{"property": "acme", "triggers": []}`),
			problems: []string{"1:1 version bad_version"},
		},
		{
			name: "unknown keys, with and without a suggestion",
			data: doc(header,
				` "extra": true, "Timezone": "UTC",`,
				` "triggers": [`,
				`  {"dealy": 3, "id": "a", "type": "site", "message": {"text": "Hi", "shortcutt": "x"},`,
				`   "agent": {"name": "Ann", "nme": "Bob"}, "x": 1},`,
				`  {"type": "advanced", "event": "page_view",`,
				`   "actions": [{"type": "wait", "secs": 5, "second": 5}]}],`,
				` "shortcuts": [{"id": "s", "text": "t", "attachments": [{"kind": "form", "fields": [{"name": "n", "lable": "N"}]}]}]}`),
			problems: []string{
				`2:2 extra unknown_key: unknown field, ignored by the runtime`,
				`2:17 Timezone unknown_key: unknown field, ignored by the runtime; did you mean "timezone"?`,
				`4:4 #1 "a" dealy unknown_key: unknown field, ignored by the runtime; did you mean "delay"?`,
				`4:69 #1 "a" message.shortcutt unknown_key: unknown field, ignored by the runtime; did you mean "shortcut"?`,
				`5:29 #1 "a" agent.nme unknown_key: unknown field, ignored by the runtime; did you mean "name"?`,
				`5:44 #1 "a" x unknown_key: unknown field, ignored by the runtime`,
				`6:3 #2 "#2" id bad_id`,
				`7:16 #2 "#2" actions[0].seconds out_of_range`, // none given: the action
				`7:33 #2 "#2" actions[0].secs unknown_key: unknown field, ignored by the runtime`,
				`7:44 #2 "#2" actions[0].second unknown_key: unknown field, ignored by the runtime; did you mean "seconds"?`,
				`8:99 shortcuts[0].attachments[0].fields[0].lable unknown_key: unknown field, ignored by the runtime; did you mean "label"?`,
			},
		},
		{
			name: "duplicate keys point at the second",
			data: doc(header, ` "triggers": [`,
				`  {"id": "a", "type": "site", "message": {"text": "Hi"},`,
				`   "agent": {"name": "Ann"},`,
				`   "agent": {"name": "Bob", "name": "Cy"}}],`,
				` "version": 1}`),
			problems: []string{
				`5:4 #1 "a" agent duplicate_key: duplicate key; only its last value counts`,
				`5:29 #1 "a" agent.name duplicate_key: duplicate key; only its last value counts`,
				`6:2 version duplicate_key: duplicate key; only its last value counts`,
			},
		},
		{
			name: "a key given three times, and an unknown key twice",
			data: doc(header, ` "status": "away",`, ` "status": "away",`, ` "status": "online",`,
				` "triggers": [], "zz": 1, "zz": 2}`),
			problems: []string{
				`3:2 status duplicate_key: duplicate key; only its last value counts`,
				`4:2 status duplicate_key: duplicate key; only its last value counts`,
				`5:18 zz unknown_key: unknown field, ignored by the runtime`,
				`5:27 zz unknown_key: unknown field, ignored by the runtime`,
			},
		},
		{
			name: "escaped keys are the keys they spell",
			data: doc(header, ` "triggers": [{"id": "a", "type": "site", "message": {"text": "Hi"},`,
				`   "agent": {"name": "Ann"}, "d\u0065alay": 1, "\u0064elay": 2}]}`),
			problems: []string{
				`3:30 #1 "a" dealay unknown_key: unknown field, ignored by the runtime; did you mean "delay"?`,
			},
		},
		{
			name: "a bad regex in a URL rule points at the value",
			data: doc(header, ` "triggers": [`,
				`  {"id": "p", "type": "page",`,
				`   "url": {"match": "regex",`,
				`           "value": "(unclosed"},`,
				`   "message": {"text": "Hi"}, "agent": {"name": "Ann"}}]}`),
			problems: []string{`5:21 #1 "p" url.value bad_regex`},
		},
		{
			name: "a bad regex in a condition points at the value",
			data: doc(header, ` "triggers": [`,
				`  {"id": "adv", "type": "advanced", "event": "page_view",`,
				`   "conditions": [`,
				`     {"field": "page.path", "op": "starts_with", "value": "/x"},`,
				`     {"field": "page.url", "op": "regex", "value": "[z-a]"}],`,
				`   "actions": [{"type": "maximize"}]}]}`),
			problems: []string{`6:52 #1 "adv" conditions[1].value bad_regex`},
		},
		{
			name: "a duplicate id points at the second trigger's id",
			data: doc(header, ` "triggers": [`,
				`  `+siteTrigger+`,`,
				`  {"type": "site", "message": {"text": "Hi"}, "agent": {"name": "Ann"},`,
				`   "id": "hello"}]}`),
			problems: []string{`5:10 #2 "hello" id duplicate_id`},
		},
		{
			name: "a missing field points at the object that lacks it",
			data: doc(header, ` "triggers": [`,
				`  {"id": "p", "type": "page", "message": {"text": "Hi"},`,
				`   "agent": {"image": "avatar:robot"}}],`,
				` "shortcuts": [{"id": "s"}]}`),
			problems: []string{
				`3:3 #1 "p" url missing`,
				`4:13 #1 "p" agent.name missing`,
				`5:16 shortcuts[0] missing`,
			},
		},
		{
			name: "set-level problems",
			data: doc(header, ` "status": "busy",`, ` "timezone": "Paris",`, ` "triggers": []}`),
			problems: []string{
				`2:12 status unknown_value`,
				`3:14 timezone bad_timezone`,
			},
			warnings: []string{},
		},
		{
			name:     "a zone missing from the database is a warning",
			data:     doc(header, ` "timezone": "Mars/Olympus",`, ` "triggers": [`+siteTrigger+`]}`),
			problems: []string{},
			warnings: []string{`2:14 timezone unknown_timezone: "Mars/Olympus" is not in the IANA time zone database; browsers will use UTC`},
		},
		{
			// A verbatim value is JSON or the document is not: the
			// decoder refuses it, at the control character.
			name: "a verbatim value that is not JSON",
			data: doc(header, ` "triggers": [{"id": "adv", "type": "advanced", "event": "custom_event",`,
				"   \"actions\": [{\"type\": \"emit\", \"name\": \"e\", \"data\": \"\x01\"}]}]}"),
			problems: []string{`3:55 (document) not_json`},
		},
		{
			name: "bytes that are not UTF-8",
			data: doc(header, " \"triggers\": [{\"id\": \"a\", \"type\": \"site\", \"message\": {\"text\": \"caf\xe9\"},",
				` "agent": {"name": "Ann"}}]}`),
			problems: []string{
				`2:63 #1 "a" message.text bad_text`,
				`2:67 (document) bad_text`, // the first bad byte,
			},
		},
		{
			name: "the widget object: unknown and duplicate keys at every level, and checker problems",
			data: doc(header, ` "triggers": [],`,
				` "widget": {"colour": "#fff", "color": "red", "title": "A", "title": "B",`,
				`   "launcher": {"style": "tab", "lable": "Chat", "style": "pill"}, "offset": 300, "theme": "dark"}}`),
			problems: []string{
				`3:13 widget.colour unknown_key: unknown field, ignored by the runtime; did you mean "color"?`,
				`3:40 widget.color bad_color`,
				`3:61 widget.title duplicate_key: duplicate key; only its last value counts`,
				`4:33 widget.launcher.lable unknown_key: unknown field, ignored by the runtime; did you mean "label"?`,
				`4:50 widget.launcher.style duplicate_key: duplicate key; only its last value counts`,
				`4:59 widget.launcher.style unknown_value`,
				`4:78 widget.offset out_of_range`,
				`4:83 widget.theme unknown_key: unknown field, ignored by the runtime`,
			},
		},
		{
			name:     "a widget offset that is not a whole number",
			data:     doc(header, ` "triggers": [],`, ` "widget": {"offset": 1.5}}`),
			problems: []string{"3:23 (document) not_json"},
		},
		{
			name:     "a widget sound that is not a boolean",
			data:     doc(header, ` "triggers": [],`, ` "widget": {"sound": "yes"}}`),
			problems: []string{"3:22 (document) not_json"},
		},
		{
			name: "strict and checker problems in document order",
			data: doc(header, ` "triggers": [`,
				`  {"id": "a", "type": "site", "delay": -1, "dealy": 1, "message": {"text": "Hi"}, "agent": {"name": "Ann"}}]}`),
			problems: []string{
				`3:40 #1 "a" delay out_of_range`,
				`3:44 #1 "a" dealy unknown_key: unknown field, ignored by the runtime; did you mean "delay"?`,
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := Check(c.data)
			if got := renderAll(r.Problems); !slices.Equal(got, c.problems) {
				t.Errorf("problems:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(c.problems, "\n       "))
			}
			if c.warnings != nil {
				if got := renderAll(r.Warnings); !slices.Equal(got, c.warnings) {
					t.Errorf("warnings:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(c.warnings, "\n       "))
				}
			}
			if r.Valid() != (len(c.problems) == 0) {
				t.Errorf("Valid() = %v with %d problems", r.Valid(), len(c.problems))
			}
			for _, p := range append(r.Problems, r.Warnings...) {
				if line, col := widget.LineCol(c.data, p.Offset); line != p.Line || col != p.Col {
					t.Errorf("%s: offset %d is %d:%d", render(p), p.Offset, line, col)
				}
			}
		})
	}
}

// The syntax error's place is the one its message names.
func TestCheck_SyntaxErrorAgreesWithMessage(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(samples + "notjson.json")
	if err != nil {
		t.Fatal(err)
	}
	r := Check(data)
	if len(r.Problems) != 1 || r.Set != nil || r.Compiled != nil {
		t.Fatalf("Check = %+v, want one problem and no set", r)
	}
	p := r.Problems[0]
	if want := fmt.Sprintf("at line %d, column %d", p.Line, p.Col); !strings.Contains(p.Problem, want) {
		t.Errorf("placed at %d:%d, but the message says %q", p.Line, p.Col, p.Problem)
	}
}

// Every code Check reports is in widget's table, and the strict ones are
// reported by the cases above.
func TestCheck_CodesAreKnown(t *testing.T) {
	t.Parallel()
	known := map[string]bool{}
	for _, c := range widget.ProblemCodes {
		known[c.Code] = true
	}
	for _, code := range []string{widget.CodeUnknownKey, widget.CodeDuplicateKey, widget.CodeUnknownTimezone, widget.CodeNotJSON, widget.CodeBadText} {
		if !known[code] {
			t.Errorf("code %q is not in widget.ProblemCodes", code)
		}
	}
	for _, name := range []string{"spec7.json", "broken.json", "notjson.json"} {
		data, err := os.ReadFile(samples + name)
		if err != nil {
			t.Fatal(err)
		}
		r := Check(data)
		for _, p := range append(r.Problems, r.Warnings...) {
			if !known[p.Code] {
				t.Errorf("%s: %s has a code missing from widget.ProblemCodes", name, render(p))
			}
		}
	}
}

func TestCheck_Testdata(t *testing.T) {
	t.Parallel()
	for name, want := range map[string][]string{
		"spec7.json": {},
		"broken.json": {
			"5:13 status unknown_value",
			`7:52 #1 "welcome" dealy unknown_key: unknown field, ignored by the runtime; did you mean "delay"?`,
			`9:13 #2 "welcome" id duplicate_id`,
			`10:43 #2 "welcome" url.value bad_regex`,
			`11:28 #2 "welcome" message.text missing`,
			`12:26 #2 "welcome" agent.name missing`,
			`12:39 #2 "welcome" agent.image bad_url`,
			`13:22 #2 "welcome" suggestions too_many`,
			`14:13 #3 "too slow" id bad_id`, // labelled by its id all the same
			`14:50 #3 "too slow" delay out_of_range`,
			`15:32 #3 "too slow" message.shortcut unknown_shortcut`,
			`16:49 #4 "adv" event unknown_value`,
			`16:71 #4 "adv" delay not_allowed`,
			`17:34 #4 "adv" conditions[0].field unknown_field`,
			`18:18 #4 "adv" actions missing`,
			`23:7 #6 "still-there" agent duplicate_key: duplicate key; only its last value counts`,
			`25:24 widget.color bad_color`,
			`25:44 widget.position unknown_value`,
			`26:35 widget.launcher.lable unknown_key: unknown field, ignored by the runtime; did you mean "label"?`,
		},
	} {
		data, err := os.ReadFile(samples + name)
		if err != nil {
			t.Fatal(err)
		}
		if got := renderAll(Check(data).Problems); !slices.Equal(got, want) {
			t.Errorf("%s:\n  got  %s\n  want %s", name, strings.Join(got, "\n       "), strings.Join(want, "\n       "))
		}
	}
}

// Locate places problems from elsewhere in the order given, including the
// n-th of several problems with one path at the n-th occurrence.
func TestLocate(t *testing.T) {
	t.Parallel()
	data := doc(header, ` "triggers": [`,
		`  {"id": "a", "type": "site", "message": {"text": " "}, "agent": {"name": "Ann"}}],`,
		` "zz": 1,`,
		` "zz": 2}`)
	set, err := widget.ParseSet(data)
	if err != nil {
		t.Fatal(err)
	}
	errs := append([]widget.FieldError{}, widget.Compile(set).Problems...)
	errs = append(errs,
		widget.FieldError{Field: "zz", Code: widget.CodeUnknownKey},
		widget.FieldError{Field: "zz", Code: widget.CodeUnknownKey},
		widget.FieldError{Field: "nowhere[3].deeper", Code: widget.CodeMissing},
		widget.FieldError{Index: 9, Field: "id", Code: widget.CodeBadID},
		widget.FieldError{Field: "(document)", Code: widget.CodeTooLarge},
	)
	slices.Reverse(errs)
	got := renderAll(Locate(data, errs))
	want := []string{
		"1:1 (document) too_large",
		`2:14 #9 "" id bad_id`, // no such trigger: the list
		"1:1 nowhere[3].deeper missing",
		"4:2 zz unknown_key: ", // the first such problem, the first occurrence
		"5:2 zz unknown_key: ",
		`3:51 #1 "a" message.text missing`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Locate:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	names := []string{"id", "name", "type", "enabled", "delay", "oncePerVisitor", "url", "message", "agent", "suggestions", "event", "match", "conditions", "actions"}
	for key, want := range map[string]string{
		"dealy":          "delay",          // a swap is one edit
		"Delay":          "delay",          // case is none
		"oncepervisitor": "oncePerVisitor", // same
		"delays":         "delay",
		"dely":           "delay",
		"suggestion":     "suggestions",
		"condition":      "conditions",
		"agnet":          "agent",
		"mesage":         "message",
		"ID":             "id",
		"ur":             "url",
		"x":              "", // too short to guess
		"ab":             "", // two edits from "id", as long as the key
		"delayed_by":     "", // too far
		"timeout":        "", // unrelated
		"eventt":         "event",
		"nmae":           "name",
	} {
		if got := suggest(key, names); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"delay", "delay", 0},
		{"dealy", "delay", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3},
		{"héllo", "hello", 1}, {"abcd", "badc", 2},
	} {
		if got := distance([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := distance([]rune(c.b), []rune(c.a)); got != c.want {
			t.Errorf("distance(%q, %q) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}

func TestPathSegments(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"":                    "",
		"url.value":           "url value",
		"conditions[2].value": "conditions [2] value",
		"shortcuts[0].attachments[1].fields[10].name": "shortcuts [0] attachments [1] fields [10] name",
		"(document)": "(document)",
		"a[x].b":     "a",
		"a[":         "a",
	} {
		var got []string
		for _, s := range pathSegments(path) {
			if s.index >= 0 {
				got = append(got, fmt.Sprintf("[%d]", s.index))
			} else {
				got = append(got, s.name)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("pathSegments(%q) = %q, want %q", path, strings.Join(got, " "), want)
		}
	}
}

// Line and column counting is incremental; it must agree with LineCol for
// offsets in any order, including repeated ones and ones past the end.
func TestFillLineCol(t *testing.T) {
	t.Parallel()
	data := []byte("ab\ncd\n\nxyz")
	offs := []int{9, 0, 3, 3, 100, 6, -4, 2, 7}
	ps := make([]Problem, len(offs))
	for i, o := range offs {
		ps[i].Offset = o
	}
	fillLineCol(data, ps)
	for i, p := range ps {
		off := max(0, min(offs[i], len(data)))
		if line, col := widget.LineCol(data, off); p.Offset != off || p.Line != line || p.Col != col {
			t.Errorf("offset %d: got %d at %d:%d, want %d at %d:%d", offs[i], p.Offset, p.Line, p.Col, off, line, col)
		}
	}
}

// TestCheck_LongUnknownKeyNamedByItsStart: a problem names an unknown key
// by its start when the key is long, so that a 20,000-character key (or a
// secret pasted as one) is not echoed whole; the problem still points at
// the key.
func TestCheck_LongUnknownKeyNamedByItsStart(t *testing.T) {
	t.Parallel()
	key := "sk_live_" + strings.Repeat("é", 10000)
	data := doc(header+` "triggers": [`+siteTrigger+`],`, `  "`+key+`": true}`)
	res := Check(data)
	var found bool
	for _, p := range res.Problems {
		if p.Code != widget.CodeUnknownKey {
			continue
		}
		found = true
		if want := "sk_live_" + strings.Repeat("é", 14) + "…"; p.Field != want {
			t.Errorf("field %q, want %q", p.Field, want)
		}
		if p.Line != 2 || p.Col != 3 {
			t.Errorf("at %d:%d, want 2:3 (the key)", p.Line, p.Col)
		}
	}
	if !found {
		t.Fatalf("no unknown-key problem in %v", renderAll(res.Problems))
	}
	// A short unknown key is named whole.
	res = Check(doc(header+` "triggers": [`+siteTrigger+`],`, `  "sk_live_51Habc": true}`))
	if got := renderAll(res.Problems); !slices.Contains(got, `2:3 sk_live_51Habc unknown_key: unknown field, ignored by the runtime`) {
		t.Errorf("problems %q", got)
	}
}
