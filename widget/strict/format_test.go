package strict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
	"github.com/triggerwidget/triggerwidget/widget"
)

// formatCases are documents Format accepts, each exercising something.
var formatCases = map[string][]byte{
	// An advanced trigger has no agent of its own: none is added.
	"advanced without agent": doc(header, ` "triggers": [{"id": "adv", "type": "advanced", "event": "page_view",`,
		` "actions": [{"type": "send_message", "message": {"text": "Hi"}, "agent": {"name": "Maya"}}]}]}`),
	// Required fields left out stay out (the checker reports them):
	// no empty type, agent name, condition op, URL value or list of
	// triggers appears.
	"required fields left out": doc(`{"version": 1, "property": "acme", "shortcuts": [{"text": "t", "attachments": [{"url": "/a"}]}],`,
		` "triggers": [{"id": "a", "agent": {"image": "avatar:robot"}, "url": {"match": "exact"},`,
		` "conditions": [{"field": "page.path", "value": "/x"}], "actions": [{}]}]}`),
	// Defaults the owner wrote go (they mean what their absence means).
	"defaults": doc(header, ` "status": "", "triggers": [{"id": "a", "type": "site", "enabled": true, "delay": 0,`,
		` "oncePerVisitor": false, "url": null, "agent": {"name": ""}, "suggestions": [], "message": {"text": "Hi"}}],`,
		` "shortcuts": []}`),
	// Verbatim values keep their content, laid out like the rest.
	"verbatim values": doc(header, ` "triggers": [{"id": "a", "type": "advanced", "event": "custom_event",`,
		` "conditions": [{"field": "event.name", "op": "in", "value": [ "a" , "b" ]}, {"field": "visitor.email", "op": "exists", "value": null}],`,
		` "actions": [{"type": "emit", "name": "e", "data": {"z": 1, "a": [1, 2, {"deep": "<&>"}], "s": "\u00e9\n"}},`,
		`             {"type": "set_attr", "key": "k", "value": 1.50}]}]}`),
	// The widget object: an offset of 0 is a value, kept; a false
	// sound is its default, dropped; an empty launcher stays as written.
	"widget object": doc(header, ` "widget": {"sound": false, "launcher": {"label": "Discuter", "style": "tab"},`,
		`   "offset": 0, "language": "fr", "color": "#0A7D3B", "title": "Une question ?"}, "triggers": []}`),
	"empty widget object": doc(header, ` "triggers": [], "widget": {"launcher": {}}}`),
	"empty set":           []byte(`{"version":1,"property":"p"}`),
}

func testdataCases(t *testing.T) map[string][]byte {
	t.Helper()
	cases := map[string][]byte{}
	for k, v := range formatCases {
		cases[k] = v
	}
	for _, name := range []string{"spec7.json", "messy.json"} {
		data, err := os.ReadFile(samples + name)
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = data
	}
	return cases
}

func TestFormat_NoAgentAdded(t *testing.T) {
	t.Parallel()
	out, errs := Format(formatCases["advanced without agent"])
	if errs != nil {
		t.Fatal(errs)
	}
	var set struct {
		Triggers []map[string]json.RawMessage `json:"triggers"`
	}
	if err := json.Unmarshal(out, &set); err != nil {
		t.Fatal(err)
	}
	if _, ok := set.Triggers[0]["agent"]; ok {
		t.Errorf("Format gave the advanced trigger an agent:\n%s", out)
	}
	if !bytes.Contains(out, []byte(`"name": "Maya"`)) {
		t.Errorf("Format dropped the action's agent:\n%s", out)
	}
}

func TestFormat_AddsNoKey(t *testing.T) {
	t.Parallel()
	out, errs := Format(formatCases["required fields left out"])
	if errs != nil {
		t.Fatal(errs)
	}
	for _, key := range []string{`"type"`, `"op"`, `"value": ""`, `"triggers": null`, `"id": ""`, `"kind"`, `"name": ""`} {
		if bytes.Contains(out, []byte(key)) {
			t.Errorf("Format added %s:\n%s", key, out)
		}
	}
}

// Every document formats to a fixed point that means what the document
// meant, and keeps every value the owner wrote that is not a default.
func TestFormat_IdempotentAndLossless(t *testing.T) {
	t.Parallel()
	for name, data := range testdataCases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out, errs := Format(data)
			if errs != nil {
				t.Fatalf("Format: %v", errs)
			}
			if !bytes.HasSuffix(out, []byte("}\n")) || bytes.HasSuffix(out, []byte("\n\n")) {
				t.Errorf("output does not end in exactly one newline:\n%q", out)
			}
			again, errs := Format(out)
			if errs != nil {
				t.Fatalf("Format of the output: %v", errs)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("not a fixed point:\n%s\nthen:\n%s", out, again)
			}
			if a, b := meaning(t, data), meaning(t, out); a != b {
				t.Errorf("the meaning changed:\n  before: %s\n  after:  %s", a, b)
			}
			var in, got any
			if err := json.Unmarshal(data, &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if err := kept(in, got, ""); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
			if err := added(in, got, ""); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

// meaning is the set as the model decodes it, encoded compactly, with
// the layout inside verbatim values removed too.
func meaning(t *testing.T, data []byte) string {
	t.Helper()
	s, err := widget.ParseSet(data)
	if err != nil {
		t.Fatal(err)
	}
	var w jwriter.Writer
	s.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		t.Fatal(err)
	}
	return c.String()
}

// isDefault reports whether a decoded JSON value means what its absence
// means: null, false, 0, "", [], or an object of defaults.
func isDefault(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case float64:
		return v == 0
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		for _, x := range v {
			if !isDefault(x) {
				return false
			}
		}
		return true
	}
	return false
}

// kept checks that out holds every value of in that is not a default.
func kept(in, out any, path string) error {
	switch in := in.(type) {
	case map[string]any:
		o, ok := out.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: was an object, is %v", path, out)
		}
		for _, k := range slices.Sorted(mapsKeys(in)) {
			if isDefault(in[k]) {
				continue
			}
			v, ok := o[k]
			if !ok {
				return fmt.Errorf("%s.%s: dropped", path, k)
			}
			if err := kept(in[k], v, path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		o, ok := out.([]any)
		if !ok || len(o) != len(in) {
			return fmt.Errorf("%s: was %v, is %v", path, in, out)
		}
		for i := range in {
			if err := kept(in[i], o[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	default:
		if !reflect.DeepEqual(in, out) {
			return fmt.Errorf("%s: was %v, is %v", path, in, out)
		}
	}
	return nil
}

// added checks that every key of out is a key of in.
func added(in, out any, path string) error {
	switch out := out.(type) {
	case map[string]any:
		i, _ := in.(map[string]any)
		for _, k := range slices.Sorted(mapsKeys(out)) {
			if _, ok := i[k]; !ok {
				return fmt.Errorf("%s.%s: added", path, k)
			}
			if err := added(i[k], out[k], path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		i, _ := in.([]any)
		for n := range out {
			if n < len(i) {
				if err := added(i[n], out[n], fmt.Sprintf("%s[%d]", path, n)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func mapsKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// Format refuses what it would lose, with the problems Check reports.
func TestFormat_Refuses(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		data []byte
		want []string // FIELD CODE
	}{
		"not JSON":      {[]byte(`{"version": 1,`), []string{"(document) not_json"}},
		"other version": {[]byte(`{"version": 3, "triggers": []}`), []string{"version bad_version"}},
		"unknown and duplicate keys": {
			doc(header, ` "triggers": [{"id": "a", "dealy": 1}], "property": "x"}`),
			[]string{"dealy unknown_key", "property duplicate_key"},
		},
		"verbatim value that is not JSON": {
			doc(header, " \"triggers\": [{\"id\": \"a\", \"conditions\": [{\"value\": \"\x02\"}]}]}"),
			[]string{"(document) not_json"},
		},
	} {
		out, errs := Format(c.data)
		if out != nil {
			t.Errorf("%s: Format gave output:\n%s", name, out)
		}
		var got []string
		for _, e := range errs {
			got = append(got, e.Field+" "+e.Code)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: problems %q, want %q", name, got, c.want)
		}
		check := Check(c.data)
		for _, e := range errs {
			if !slices.ContainsFunc(check.Problems, func(p Problem) bool { return p.FieldError == e }) {
				t.Errorf("%s: Format's problem %+v is not one of Check's (%+v)", name, e, check.Problems)
			}
		}
	}
}

// A set with problems other than keys is still formatted: layout is not
// validity.
func TestFormat_InvalidSet(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(samples + "broken.json")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"dealy": 5,`), nil, 1)
	data = bytes.Replace(data, []byte(`"agent": { "name": "Apollo" },`), nil, 1)
	data = bytes.Replace(data, []byte(`"lable"`), []byte(`"label"`), 1)
	out, errs := Format(data)
	if errs != nil {
		t.Fatalf("Format: %v", errs)
	}
	for _, kept := range []string{`"value": "(unclosed"`, `"color": "blue"`, `"position": "center"`} {
		if !strings.Contains(string(out), kept) {
			t.Errorf("%s is gone:\n%s", kept, out)
		}
	}
}

// TestFormat_WidgetObject: the widget object comes last, its keys in the
// model's order; a zero offset stays (it is a value), a false sound goes
// (it is the default), and the owner's colour is kept as written.
func TestFormat_WidgetObject(t *testing.T) {
	t.Parallel()
	out, errs := Format(formatCases["widget object"])
	if errs != nil {
		t.Fatal(errs)
	}
	want := `{
  "version": 1,
  "property": "acme",
  "triggers": [],
  "widget": {
    "title": "Une question ?",
    "color": "#0A7D3B",
    "offset": 0,
    "language": "fr",
    "launcher": {
      "style": "tab",
      "label": "Discuter"
    }
  }
}
`
	if string(out) != want {
		t.Errorf("Format:\n%s\nwant:\n%s", out, want)
	}
}

// A verbatim value nested deep stays on one line: laid out as the rest,
// 4 KB of nested arrays grew to megabytes (two spaces a level on each of
// its lines), past every limit the set was checked against.
func TestFormat_DeepVerbatimValueStaysSmall(t *testing.T) {
	t.Parallel()
	const depth = 2000
	data := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	in := doc(header, ` "triggers": [{"id": "a", "type": "advanced", "event": "custom_event",`,
		` "conditions": [{"field": "event.name", "op": "in", "value": [ "a" ,`, "\n", ` "b" ]}],`,
		` "actions": [{"type": "emit", "name": "e", "data": `+data+`}]}]}`)
	out, errs := Format(in)
	if len(errs) > 0 {
		t.Fatalf("Format: %v", errs)
	}
	if len(out) > len(in)+1024 {
		t.Errorf("the laid-out set is %d bytes, from %d", len(out), len(in))
	}
	for _, want := range []string{`"data": ` + data + "\n", `"value": ["a", "b"]` + "\n"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("the layout lacks %.60q…:\n%.400s", want, out)
		}
	}
	if _, err := widget.ParseSet(out); err != nil {
		t.Fatalf("the runtime refuses the laid-out set: %v", err)
	}
	res := Check(out)
	if len(res.Problems) > 0 {
		t.Errorf("the laid-out set has problems: %v", res.Problems)
	}
}

// An emit action's data is limited in bytes of JSON, whitespace aside, so
// that the same value passes or not however it is laid out.
func TestCheck_EmitDataLimitIgnoresWhitespace(t *testing.T) {
	t.Parallel()
	set := func(data string) []byte {
		return doc(header, ` "triggers": [{"id": "a", "type": "advanced", "event": "custom_event",`,
			` "actions": [{"type": "emit", "name": "e", "data": `+data+`}]}]}`)
	}
	items := strings.Repeat(`"x",`, (widget.MaxEmitDataBytes-2)/4) // 4 bytes an item
	atLimit := `[` + strings.TrimSuffix(items, ",") + strings.Repeat(" ", 1) + `]`
	spaced := strings.ReplaceAll(atLimit, ",", ", \n ")
	for name, data := range map[string]string{"compact": atLimit, "spaced": spaced} {
		if res := Check(set(data)); len(res.Problems) > 0 {
			t.Errorf("%s data of %d bytes of JSON: %v", name, len(strings.Join(strings.Fields(atLimit), "")), res.Problems)
		}
	}
	over := `[` + items + `"xy"]`
	res := Check(set(over))
	if len(res.Problems) != 1 || res.Problems[0].Code != widget.CodeTooLarge || !strings.Contains(res.Problems[0].Problem, "whitespace aside") {
		t.Errorf("data of %d bytes: problems %v, want one too_large", len(over), res.Problems)
	}
}

// A set the runtime reads can still pass its 256 KiB once indented; the
// canonical layout is what is published, so Format and Canonical refuse it
// with a problem that says why.
func TestFormat_RefusesALayoutOverTheSizeLimit(t *testing.T) {
	t.Parallel()
	field := `{"name":"f","label":"l"}`
	form := `{"kind":"form","fields":[` + strings.TrimSuffix(strings.Repeat(field+",", widget.MaxFormFields), ",") + `]}`
	shortcut := func(i int) string {
		return `{"id":"s` + fmt.Sprint(i) + `","attachments":[` + strings.TrimSuffix(strings.Repeat(form+",", widget.MaxAttachments), ",") + `]}`
	}
	var shortcuts []string
	for i := 0; len(strings.Join(shortcuts, ",")) < 120<<10; i++ {
		shortcuts = append(shortcuts, shortcut(i))
	}
	in := []byte(`{"version":1,"property":"acme","triggers":[],"shortcuts":[` + strings.Join(shortcuts, ",") + `]}`)
	if _, err := widget.ParseSet(in); err != nil {
		t.Fatalf("the compact set (%d bytes) is refused already: %v", len(in), err)
	}
	for name, f := range map[string]func([]byte) ([]byte, []widget.FieldError){"Format": Format, "Canonical": Canonical} {
		out, errs := f(in)
		if out != nil || len(errs) != 1 || errs[0].Code != widget.CodeTooLarge || !strings.Contains(errs[0].Problem, "once laid out") {
			t.Errorf("%s of a %d-byte set whose layout is larger than %d: %d bytes, problems %v; want a too_large problem",
				name, len(in), widget.MaxSetBytes, len(out), errs)
		}
	}
}
