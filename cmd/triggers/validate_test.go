package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

func TestProblemLine(t *testing.T) {
	t.Parallel()
	p := func(trigger, field, code, msg string, line, col int) strict.Problem {
		return strict.Problem{FieldError: widget.FieldError{TriggerID: trigger, Field: field, Code: code, Problem: msg}, Line: line, Col: col}
	}
	for _, c := range []struct {
		p       strict.Problem
		warning bool
		want    string
	}{
		{p("a", "url.value", "bad_regex", "not valid", 8, 43), false, `s.json:8:43: trigger "a": url.value: not valid [bad_regex]`},
		{p("", "status", "unknown_value", "unknown status", 5, 13), false, `s.json:5:13: status: unknown status [unknown_value]`},
		{p("", "timezone", "unknown_timezone", "not known", 4, 15), true, `s.json:4:15: warning: timezone: not known [unknown_timezone]`},
		{p("", "(document)", "not_json", "not JSON", 6, 5), false, `s.json:6:5: not JSON [not_json]`},
		{p("#3", "id", "bad_id", `say "hi"`, 1, 1), false, `s.json:1:1: trigger "#3": id: say "hi" [bad_id]`},
		{p("a", "", "", "over the limit", 2, 3), false, `s.json:2:3: trigger "a": over the limit`},
	} {
		if got := problemLine("s.json", c.p, c.warning); got != c.want {
			t.Errorf("problemLine =\n  %s\nwant\n  %s", got, c.want)
		}
	}
}

// Problems and warnings come out in one document order.
func TestPrintProblems(t *testing.T) {
	t.Parallel()
	at := func(off int, msg string) strict.Problem {
		return strict.Problem{FieldError: widget.FieldError{Problem: msg}, Offset: off, Line: 1, Col: off + 1}
	}
	var b bytes.Buffer
	printProblems(&b, "s", []strict.Problem{at(1, "p1"), at(5, "p5"), at(9, "p9")}, []strict.Problem{at(0, "w0"), at(5, "w5"), at(20, "w20")})
	want := []string{"s:1:1: warning: w0", "s:1:2: p1", "s:1:6: p5", "s:1:6: warning: w5", "s:1:10: p9", "s:1:21: warning: w20"}
	if got := strings.Split(strings.TrimSpace(b.String()), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("printProblems:\n%s\nwant\n%s", b.String(), strings.Join(want, "\n"))
	}
}

// Unknown and duplicate keys make validate fail and fmt refuse, with the
// same lines.
func TestKeysAreProblems(t *testing.T) {
	data := []byte(`{"version": 1, "property": "acme", "triggers": [
  {"id": "a", "type": "site", "dealy": 3, "message": {"text": "Hi"}, "agent": {"name": "Ann"}, "type": "site"}]}`)
	stdin = bytes.NewReader(data)
	t.Cleanup(func() { stdin = os.Stdin })
	v := runCmd(t, "validate", "-")
	want := "<stdin>:2:31: trigger \"a\": dealy: unknown field, ignored by the runtime; did you mean \"delay\"? [unknown_key]\n" +
		"<stdin>:2:96: trigger \"a\": type: duplicate key; only its last value counts [duplicate_key]\n"
	if v.code != exitProblem || v.stdout != want {
		t.Errorf("validate = exit %d\n%s\nwant exit 1\n%s", v.code, v.stdout, want)
	}
	stdin = bytes.NewReader(data)
	f := runCmd(t, "fmt", "-")
	if f.code != exitProblem || f.stdout != "" || !strings.HasPrefix(f.stderr, want) || !strings.Contains(f.stderr, "left as it is") {
		t.Errorf("fmt = exit %d, stdout %q, stderr\n%s", f.code, f.stdout, f.stderr)
	}
}
