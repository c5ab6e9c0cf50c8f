package widget

import (
	"strings"
	"testing"
)

func TestConditionRefusesImpossibleTimes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		field, op, value string
		ok               bool
	}{
		{"time.weekday", "eq", `7`, true},
		{"time.weekday", "eq", `"sun"`, true},
		{"time.weekday", "eq", `0`, false},
		{"time.weekday", "in", `[1, 8]`, false},
		{"time.weekday", "eq", `2.5`, false},
		{"time.hour", "gte", `0`, true},
		{"time.hour", "lt", `23`, true},
		{"time.hour", "lt", `24`, false},
		{"time.hour", "eq", `-1`, false},
		{"visit.time_on_page", "gte", `86400`, true},
	}
	for _, tt := range tests {
		_, err := compileCondition(Condition{Field: tt.field, Op: tt.op, Value: RawJSON(tt.value)})
		if got := err == nil; got != tt.ok {
			t.Errorf("%s %s %s: error %v, want ok=%v", tt.field, tt.op, tt.value, err, tt.ok)
			continue
		}
		if err != nil {
			re := err.(*RuleError)
			if re.Field != "value" || !strings.Contains(re.Problem, tt.field) {
				t.Errorf("%s %s %s: problem %+v, want it on value naming the field", tt.field, tt.op, tt.value, re)
			}
		}
	}
}

func TestAttachmentURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, url string
		ok        bool
	}{
		{AttachLink, "http://example.com/compare", true},
		{AttachLink, "https://example.com/compare", true},
		{AttachLink, "/pricing#compare", true},
		{AttachLink, "javascript:alert(1)", false},
		{AttachLink, "http://example.com/<script>", false},
		{AttachImage, "http://example.com/a.png", false},
		{AttachFile, "http://example.com/a.pdf", false},
		{AttachFile, "https://example.com/a.pdf", true},
	}
	for _, tt := range tests {
		_, problem := checkAttachmentURL(tt.kind, tt.url)
		if got := problem == ""; got != tt.ok {
			t.Errorf("%s %q: ok = %v, want %v (%s)", tt.kind, tt.url, got, tt.ok, problem)
		}
	}
}
