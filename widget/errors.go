package widget

import (
	"strconv"
	"strings"
)

// errorString is a constant-friendly error that needs no fmt.
type errorString string

func (e errorString) Error() string { return string(e) }

// FieldError is one problem in a trigger set. TriggerID is empty for
// problems of the set itself; Field is a dotted path inside the trigger (or
// the set), like "suggestions[4]" or "url.value".
type FieldError struct {
	TriggerID string `json:"triggerId,omitempty"`
	Field     string `json:"field"`
	Problem   string `json:"message"`
}

func (e FieldError) Error() string {
	var b strings.Builder
	if e.TriggerID != "" {
		b.WriteString("trigger ")
		b.WriteString(quote(e.TriggerID))
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// ValidationError lists every problem found in a trigger set.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	switch len(e.Problems) {
	case 0:
		return "invalid trigger set"
	case 1:
		return "invalid trigger set: " + e.Problems[0].Error()
	}
	var b strings.Builder
	b.WriteString("invalid trigger set: ")
	b.WriteString(itoa(len(e.Problems)))
	b.WriteString(" problems:")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// ForTrigger returns the problems that name the given trigger.
func (e *ValidationError) ForTrigger(id string) []FieldError {
	var out []FieldError
	for _, p := range e.Problems {
		if p.TriggerID == id {
			out = append(out, p)
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func quote(s string) string {
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strconv.Quote(s)
}
