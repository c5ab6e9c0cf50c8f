package widget_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"

	"github.com/triggerwidget/triggerwidget/widget"
)

func isProblemCode(code string) bool {
	return slices.ContainsFunc(widget.ProblemCodes, func(c struct{ Code, Meaning string }) bool { return c.Code == code })
}

// TestCheck_Codes: each kind of problem carries its stable code, the
// trigger's position and the field.
func TestCheck_Codes(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 1001)
	cases := []struct {
		name    string
		trigger widget.Trigger
		field   string
		code    string
	}{
		{"missing text", with(siteT("t", 0), func(t *widget.Trigger) { t.Message.Text = "" }), "message.text", widget.CodeMissing},
		{"bad id", siteT("a b", 0), "id", widget.CodeBadID},
		{"too many suggestions", with(siteT("t", 0), func(t *widget.Trigger) { t.Suggestions = []string{"a", "b", "c", "d", "e"} }), "suggestions", widget.CodeTooMany},
		{"text too long", with(siteT("t", 0), func(t *widget.Trigger) { t.Message.Text = long }), "message.text", widget.CodeTooLong},
		{"delay out of range", siteT("t", 3601), "delay", widget.CodeOutOfRange},
		{"unknown type", trig("t", "popup", 0), "type", widget.CodeUnknownValue},
		{"unknown condition field", advT("t", widget.EventPageView, conds(cnd("page.mood", "eq", `"x"`))), "conditions[0].field", widget.CodeUnknownField},
		{"unknown operator", advT("t", widget.EventPageView, conds(cnd("page.path", "like", `"x"`))), "conditions[0].op", widget.CodeUnknownOperator},
		{"operator of another type", advT("t", widget.EventPageView, conds(cnd("page.path", "gt", `3`))), "conditions[0].op", widget.CodeWrongType},
		{"value of another type", advT("t", widget.EventPageView, conds(cnd("visit.page_views", "gt", `"3"`))), "conditions[0].value", widget.CodeWrongType},
		{"bad regex in a condition", advT("t", widget.EventPageView, conds(cnd("page.path", "regex", `"(x"`))), "conditions[0].value", widget.CodeBadRegex},
		{"hour out of range", advT("t", widget.EventPageView, conds(cnd("time.hour", "eq", `24`))), "conditions[0].value", widget.CodeOutOfRange},
		{"bad regex in a URL rule", pageT("t", 0, "regex", "/(x"), "url.value", widget.CodeBadRegex},
		{"unknown match kind", pageT("t", 0, "like", "/x"), "url.match", widget.CodeUnknownValue},
		{"javascript image", with(siteT("t", 0), func(t *widget.Trigger) { t.Agent.Image = "javascript:alert(1)" }), "agent.image", widget.CodeBadURL},
		{"url on a site trigger", with(siteT("t", 0), func(t *widget.Trigger) { t.URL = &widget.URLRule{Match: "exact", Value: "/"} }), "url", widget.CodeNotAllowed},
		{"text and shortcut", with(siteT("t", 0), func(t *widget.Trigger) { t.Message.Shortcut = "x" }), "message", widget.CodeConflict},
		{"unknown shortcut", with(siteT("t", 0), func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "nope"} }), "message.shortcut", widget.CodeUnknownShortcut},
		{"invalid UTF-8", with(siteT("t", 0), func(t *widget.Trigger) { t.Message.Text = "a\xffb" }), "message.text", widget.CodeBadText},
		{"set_attr value too long", advT("t", widget.EventPageView, nil, setAttrA("plan", `"`+strings.Repeat("v", widget.MaxAttrValueLen+1)+`"`)), "actions[0].value", widget.CodeTooLong},
		{"set_attr value an object", advT("t", widget.EventPageView, nil, setAttrA("plan", `{"a":1}`)), "actions[0].value", widget.CodeWrongType},
		{"agent at the top of an advanced trigger", with(advT("t", widget.EventPageView, nil), func(t *widget.Trigger) { t.Agent = widget.Agent{Name: "Maya"} }), "agent", widget.CodeNotAllowed},
		{"emit data too large", advT("t", widget.EventPageView, nil, emitA("x", `"`+strings.Repeat("d", 5000)+`"`)), "actions[0].data", widget.CodeTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := widget.Compile(setOf(siteT("first", 0), tc.trigger))
			var found bool
			for _, p := range c.Problems {
				if !isProblemCode(p.Code) {
					t.Errorf("problem %+v has a code outside ProblemCodes", p)
				}
				if p.Field == tc.field && p.Code == tc.code && p.Index == 2 {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %+v: none at trigger #2 %s with code %s", c.Problems, tc.field, tc.code)
			}
		})
	}
}

func TestCheck_SetLevelCodes(t *testing.T) {
	t.Parallel()
	s := setOf(siteT("t", 0))
	s.Property, s.Status, s.Timezone = "a/b", "busy", "Paris"
	s.Shortcuts = []widget.Shortcut{{ID: "sc", Text: "x"}, {ID: "sc", Text: "y"}}
	c := widget.Compile(s)
	want := map[string]string{"property": widget.CodeBadID, "status": widget.CodeUnknownValue, "timezone": widget.CodeBadTimezone, "shortcuts[1].id": widget.CodeDuplicateID}
	for _, p := range c.Problems {
		if p.Index != 0 || p.TriggerID != "" {
			t.Errorf("set-level problem %+v names a trigger", p)
		}
		if want[p.Field] == p.Code {
			delete(want, p.Field)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing problems %v in %+v", want, c.Problems)
	}
	var many []widget.Trigger
	for i := range widget.MaxTriggers + 1 {
		many = append(many, siteT("t"+strings.Repeat("x", i), 0))
	}
	c = widget.Compile(setOf(many...))
	if len(c.Problems) != 2 || c.Problems[0].Code != widget.CodeTooManyTriggers || c.Problems[1].Index != 21 || len(c.Triggers) != 20 {
		t.Errorf("21 triggers: problems %+v, %d compiled", c.Problems, len(c.Triggers))
	}
}

// TestCheck_DuplicateIDNamesBothPositions: two triggers with one id are
// told apart by their positions.
func TestCheck_DuplicateIDNamesBothPositions(t *testing.T) {
	t.Parallel()
	c := widget.Compile(setOf(siteT("welcome", 0), siteT("other", 0), siteT("welcome", 5)))
	if len(c.Problems) != 1 {
		t.Fatalf("problems = %+v, want one", c.Problems)
	}
	p := c.Problems[0]
	if p.Code != widget.CodeDuplicateID || p.Index != 3 || p.TriggerID != "welcome" || !strings.Contains(p.Problem, "#3") || !strings.Contains(p.Problem, "#1") {
		t.Errorf("problem = %+v, want duplicate_id at #3 naming #1", p)
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc, code string
	}{
		{"not JSON", `{"version": 1,`, widget.CodeNotJSON},
		{"no version", `{"property": "p", "triggers": []}`, widget.CodeBadVersion},
		{"version 2", `{"version": 2, "property": "p", "triggers": []}`, widget.CodeBadVersion},
		{"too large", `{"version": 1, "property": "` + strings.Repeat("p", widget.MaxSetBytes) + `"}`, widget.CodeTooLarge},
	} {
		c, problems := widget.Load([]byte(tc.doc))
		if c != nil || len(problems) != 1 || problems[0].Code != tc.code {
			t.Errorf("%s: Load = %v, %+v; want nil and one %s", tc.name, c, problems, tc.code)
		}
	}
	c, problems := widget.Load([]byte(`{"version": 1, "property": "p", "triggers": [
		{"id": "ok", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A"}},
		{"id": "bad", "type": "site", "message": {"text": ""}, "agent": {"name": "A"}}]}`))
	if c == nil || len(c.Triggers) != 1 || len(problems) != 1 || problems[0].TriggerID != "bad" || problems[0].Index != 2 {
		t.Errorf("Load = %+v, %+v; want ok compiled and bad's one problem", c, problems)
	}
}

// TestProblemCodes_Declared: every Code* constant is in the table, once,
// and the checker names codes only through those constants.
func TestProblemCodes_Declared(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := 0
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs, ok := spec.(*ast.ValueSpec)
			if !ok {
				continue
			}
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Code") {
					continue
				}
				consts++
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || !isProblemCode(strings.Trim(lit.Value, `"`)) {
					t.Errorf("%s is not in ProblemCodes", n.Name)
				}
			}
		}
	}
	if consts != len(widget.ProblemCodes) {
		t.Errorf("%d Code constants, %d table entries", consts, len(widget.ProblemCodes))
	}
	seen := map[string]bool{}
	for _, c := range widget.ProblemCodes {
		if seen[c.Code] || c.Meaning == "" {
			t.Errorf("code %q is listed twice or has no meaning", c.Code)
		}
		seen[c.Code] = true
	}
	for _, name := range []string{"check.go", "compile.go", "urlrule.go", "appearance.go"} {
		src, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(src, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "add" && len(call.Args) == 3 {
				if _, lit := call.Args[1].(*ast.BasicLit); lit {
					t.Errorf("%s: a problem code given as a literal at %v", name, fset.Position(call.Pos()))
				}
			}
			return true
		})
	}
}

// TestMarshal_OmitsAnAgentNobodyWrote: writing a set back (triggers fmt,
// the server) never adds an empty agent to an advanced trigger.
func TestMarshal_OmitsAnAgentNobodyWrote(t *testing.T) {
	t.Parallel()
	tr := advT("adv", widget.EventPageView, nil, waitA(5))
	var w jwriter.Writer
	tr.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"agent"`) {
		t.Errorf("marshalled %s: an agent nobody wrote", b)
	}
}
