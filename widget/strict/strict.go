// Package strict holds the checks that tools and servers apply to a trigger
// set someone wrote, on top of the checks the browser runtime applies
// (package widget), and tells where in the document each problem is.
//
// The runtime is lenient on purpose: it ignores keys it does not know, so
// that an older runtime can read a newer set, and easyjson keeps the last
// of a key given twice. For a person editing a set both are mistakes (a
// misspelt "dealy" makes a delay vanish), so Check reports them as
// problems. It also warns about a time zone that is well formed but
// missing from the IANA database (browsers then use UTC), and NewZone
// answers local-time questions from Go's zone database, embedded so that
// every machine agrees.
//
// This package is native only: it uses encoding/json, reflection and
// time/tzdata, none of which the wasm runtime may link (a test in
// cmd/widget keeps it out).
package strict

import (
	"errors"
	"slices"
	"strconv"

	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
	"github.com/triggerwidget/triggerwidget/widget"
)

// Problem is a problem of the document with the place it is about: the
// offending value (its first byte), or for an unknown or duplicate key the
// key itself, or for a document that is not JSON where decoding stopped.
// When the value is missing (a required field left out) the place is the
// object that should hold it.
type Problem struct {
	widget.FieldError
	// Offset is the byte offset in the document; Line and Col, both from
	// 1, are computed from it with widget.LineCol (the column counts
	// bytes).
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Col    int `json:"col"`
}

// Result is what Check finds in a document.
type Result struct {
	// Set is the decoded document and Compiled the checked set, as the
	// runtime would run it; both are nil when the document is rejected as
	// a whole (too large, not JSON, another format version).
	Set      *widget.Set
	Compiled *widget.Compiled
	// Problems make the set invalid: everything widget.Compile reports,
	// plus unknown keys, duplicate keys, verbatim values (condition
	// values, emit data) that are not valid JSON, and a document that is
	// not valid UTF-8. In document order.
	Problems []Problem
	// Warnings do not: a time zone missing from the zone database.
	Warnings []Problem
}

// Valid reports whether the document is a trigger set without problems.
func (r *Result) Valid() bool { return r.Compiled != nil && len(r.Problems) == 0 }

// Check decodes, checks and compiles a trigger-set document as the
// runtime does, adds the strict checks, and places every problem in the
// document.
func Check(data []byte) Result {
	set, err := widget.ParseSet(data)
	if err != nil {
		return Result{Problems: Locate(data, []widget.FieldError{rejection(err)})}
	}
	d := scan(data)
	c := widget.Compile(set)
	problems := slices.Clone(d.strict)
	for _, fe := range c.Problems {
		problems = append(problems, Problem{FieldError: fe, Offset: d.offset(fe)})
	}
	var warnings []Problem
	// Compiled.Timezone is "UTC" when the set names none or a malformed
	// one (which is a problem already).
	if tz := c.Timezone; tz != "UTC" && !KnownZone(tz) {
		fe := widget.FieldError{Field: "timezone", Code: widget.CodeUnknownTimezone,
			Problem: strconv.Quote(tz) + " is not in the IANA time zone database; browsers will use UTC"}
		warnings = append(warnings, Problem{FieldError: fe, Offset: d.offset(fe)})
	}
	place(data, problems)
	place(data, warnings)
	return Result{Set: set, Compiled: c, Problems: problems, Warnings: warnings}
}

// Locate places problems found in data by widget.ParseSet, widget.Compile,
// widget.Validate, Format or Check, in the order given. A problem whose
// path is not in the document (a missing field) is placed at the nearest
// enclosing value that is.
func Locate(data []byte, errs []widget.FieldError) []Problem {
	out := make([]Problem, len(errs))
	var d *document
	var queues map[keyRef][]int // the strict problems' offsets, in document order
	for i, fe := range errs {
		out[i].FieldError = fe
		switch {
		case fe.Field == "(document)" && fe.Code == widget.CodeTooLarge:
			out[i].Offset = 0
		case fe.Field == "(document)" && fe.Code == widget.CodeNotJSON:
			out[i].Offset = syntaxOffset(data)
		default:
			if d == nil {
				d = scan(data)
				queues = map[keyRef][]int{}
				for _, p := range d.strict {
					k := refOf(p.FieldError)
					queues[k] = append(queues[k], p.Offset)
				}
			}
			// A key given three times is two problems with one path: the
			// n-th such problem is the n-th occurrence found.
			if q := queues[refOf(fe)]; len(q) > 0 {
				out[i].Offset, queues[refOf(fe)] = q[0], q[1:]
			} else {
				out[i].Offset = d.offset(fe)
			}
		}
	}
	fillLineCol(data, out)
	return out
}

type keyRef struct {
	index       int
	field, code string
}

func refOf(fe widget.FieldError) keyRef { return keyRef{fe.Index, fe.Field, fe.Code} }

// rejection is ParseSet's error as the FieldError it is.
func rejection(err error) widget.FieldError {
	var fe *widget.FieldError
	if errors.As(err, &fe) {
		return *fe
	}
	return widget.FieldError{Field: "(document)", Code: widget.CodeNotJSON, Problem: err.Error()}
}

// syntaxOffset is where the decoder gave up on data: the place ParseSet's
// message names, or the end for a document that ends too early.
func syntaxOffset(data []byte) int {
	var s widget.Set
	l := jlexer.Lexer{Data: data}
	s.UnmarshalEasyJSON(&l)
	var le *jlexer.LexerError
	if errors.As(l.Error(), &le) {
		return max(0, min(le.Offset, len(data)))
	}
	return len(data)
}

// place sorts problems into document order (stably: problems of one
// place keep the checker's order) and fills in their lines and columns.
func place(data []byte, ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int { return a.Offset - b.Offset })
	fillLineCol(data, ps)
}

// fillLineCol sets Line and Col from Offset with widget.LineCol, reading
// the document once however many problems there are: each offset is
// counted from the previous one.
func fillLineCol(data []byte, ps []Problem) {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return ps[a].Offset - ps[b].Offset })
	line, col, at := 1, 1, 0
	for _, i := range order {
		off := max(0, min(ps[i].Offset, len(data)))
		l, c := widget.LineCol(data[at:], off-at)
		if l == 1 {
			col += c - 1
		} else {
			line, col = line+l-1, c
		}
		at = off
		ps[i].Offset, ps[i].Line, ps[i].Col = off, line, col
	}
}
