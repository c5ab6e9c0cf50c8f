package widget

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// errorString is a constant-friendly error that needs no fmt.
type errorString string

func (e errorString) Error() string { return string(e) }

// Problem codes: the stable, machine-readable half of a FieldError. The
// message may be reworded; a code never changes meaning. ProblemCodes lists
// them all with their meaning (docs/format.md documents the same list, and
// a test keeps the two in step).
const (
	CodeNotJSON         = "not_json"
	CodeTooLarge        = "too_large"
	CodeBadVersion      = "bad_version"
	CodeUnknownKey      = "unknown_key"
	CodeDuplicateKey    = "duplicate_key"
	CodeUnknownTimezone = "unknown_timezone"
	CodeMissing         = "missing"
	CodeBadID           = "bad_id"
	CodeDuplicateID     = "duplicate_id"
	CodeTooManyTriggers = "too_many_triggers"
	CodeTooMany         = "too_many"
	CodeTooLong         = "too_long"
	CodeOutOfRange      = "out_of_range"
	CodeUnknownValue    = "unknown_value"
	CodeUnknownField    = "unknown_field"
	CodeUnknownOperator = "unknown_operator"
	CodeWrongType       = "wrong_type"
	CodeBadRegex        = "bad_regex"
	CodeBadURL          = "bad_url"
	CodeBadTimezone     = "bad_timezone"
	CodeNotAllowed      = "not_allowed"
	CodeConflict        = "conflict"
	CodeUnknownShortcut = "unknown_shortcut"
	CodeInvalidShortcut = "invalid_shortcut"
	CodeBadText         = "bad_text"
	CodeBadColor        = "bad_color"
)

// ProblemCodes is every problem code with its meaning, in documentation
// order. The checker never reports a code that is not here (a test walks
// the checker's output and this table).
var ProblemCodes = []struct{ Code, Meaning string }{
	{CodeNotJSON, "the document is not JSON, or a value has the wrong JSON type for its field"},
	{CodeTooLarge, "the document, or an emit action's data, is over its size limit"},
	{CodeBadVersion, "the format version is missing or not one this runtime reads"},
	{CodeUnknownKey, "a key the format does not define (strict checks only)"},
	{CodeDuplicateKey, "a key given twice in one object (strict checks only)"},
	{CodeUnknownTimezone, "a time zone missing from the IANA database (strict checks only; a warning)"},
	{CodeMissing, "a required field is absent or empty"},
	{CodeBadID, "an id is not 1 to 64 letters, digits, '-', '_' or '.'"},
	{CodeDuplicateID, "two triggers, shortcuts or form fields share an id"},
	{CodeTooManyTriggers, "more triggers than a set may have"},
	{CodeTooMany, "more items than a list may have"},
	{CodeTooLong, "a text over its length limit"},
	{CodeOutOfRange, "a number outside its range"},
	{CodeUnknownValue, "a value outside its closed list"},
	{CodeUnknownField, "a condition names a field that does not exist"},
	{CodeUnknownOperator, "a condition names an operator that does not exist"},
	{CodeWrongType, "an operator that does not apply to the field, or a value of the wrong type"},
	{CodeBadRegex, "not a valid RE2 regular expression"},
	{CodeBadURL, "a URL whose scheme or shape is not allowed"},
	{CodeBadTimezone, "not shaped like an IANA time zone name"},
	{CodeNotAllowed, "a field that does not belong to this kind of trigger"},
	{CodeConflict, "two fields that exclude each other are both given"},
	{CodeUnknownShortcut, "a message names a shortcut the set does not have"},
	{CodeInvalidShortcut, "a message names a shortcut that has problems of its own"},
	{CodeBadText, "text that is not valid UTF-8"},
	{CodeBadColor, "a colour that is not \"#rrggbb\" or \"#rgb\""},
}

// FieldError is one problem in a trigger set. TriggerID is empty for
// problems of the set itself (and of its shortcuts); Field is a dotted path
// inside the trigger (or the set), like "suggestions[4]" or "url.value".
type FieldError struct {
	TriggerID string `json:"triggerId,omitempty"`
	// Index is the trigger's position in the set's list of triggers,
	// counted from 1 (the N of a "#N" label), so that two triggers with
	// the same id are told apart; 0 when the problem is not one trigger's.
	Index   int    `json:"index,omitempty"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Problem string `json:"message"`
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

// RuleError says which part of a URL rule or a condition is wrong: Field is
// "match" or "value" for a URL rule, "field", "op" or "value" for a
// condition; Code is one of ProblemCodes.
type RuleError struct{ Field, Code, Problem string }

func (e *RuleError) Error() string { return e.Field + ": " + e.Problem }

// itoa is strconv.Itoa kept out of line: inlined at each of its many call
// sites, it cost the wasm kilobytes.
//
//go:noinline
func itoa(n int) string { return strconv.Itoa(n) }

// quote quotes s for a message, its first 80 bytes at most, cut between
// two characters.
func quote(s string) string {
	if len(s) > 80 {
		n := 80
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return strconv.Quote(s)
}

// runeCount is utf8.RuneCountInString kept out of line (smaller wasm).
//
//go:noinline
func runeCount(s string) int { return utf8.RuneCountInString(s) }
