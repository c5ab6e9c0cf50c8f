package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/widget/strict"
)

const validateHelp = `Usage: triggers validate SET.json...

Checks each trigger set the way the browser runtime does (widget.ParseSet,
then widget.Compile) and, on top of that, the way a person's document is
checked (package widget/strict): a key the runtime would silently ignore
(an unknown key such as a misspelt "dealy", or a key given twice, whose
first value is lost) is a problem too. It prints every problem, one per
line, in document order:

	SET.json:LINE:COL: trigger "ID": FIELD: PROBLEM [CODE]   a trigger's problem
	SET.json:LINE:COL: FIELD: PROBLEM [CODE]                 the set's problem
	SET.json:LINE:COL: warning: FIELD: PROBLEM [CODE]        a warning

LINE and COL (from 1; the column counts bytes) point at the offending
value; at the key itself for an unknown or duplicate key; at the object
that lacks it for a missing field; where reading stopped for a document
that is not JSON. A trigger is named by its id, or by its position ("#3")
when the id is missing. CODE is a stable name for the kind of problem
(unknown_key, duplicate_key, bad_regex, ...). An unknown key close to a
known key of the same object comes with a suggestion:

	SET.json:7:52: trigger "welcome": dealy: unknown field, ignored by the runtime; did you mean "delay"? [unknown_key]

A valid set ends with

	SET.json: ok (N triggers, M shortcuts)

The only warning is a time zone that is well formed but missing from the
IANA time zone database (browsers use UTC instead); warnings do not make a
set invalid. "-" reads standard input.

Exit status: 0 every set is valid, 1 a set has problems, 2 a file could not
be read.
`

func runValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	files, code, done := parseFlags(fs, validateHelp, args, stdout, stderr)
	if done {
		return code
	}
	if len(files) == 0 {
		fmt.Fprint(stderr, "triggers validate: no trigger set given\nRun \"triggers help validate\" for usage.\n")
		return exitUsage
	}
	for _, name := range files {
		data, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "triggers validate: %v\n", err)
			code = max(code, exitUsage)
			continue
		}
		if !validateOne(stdout, displayName(name), data) {
			code = max(code, exitProblem)
		}
	}
	return code
}

// validateOne prints the problems and warnings of one set and reports
// whether it is valid.
func validateOne(w io.Writer, name string, data []byte) bool {
	r := strict.Check(data)
	printProblems(w, name, r.Problems, r.Warnings)
	if !r.Valid() {
		return false
	}
	fmt.Fprintf(w, "%s: ok (%s, %s)\n", name, plural(len(r.Set.Triggers), "trigger"), plural(len(r.Set.Shortcuts), "shortcut"))
	return true
}

// printProblems prints problems and warnings, each list in document
// order, merged into one.
func printProblems(w io.Writer, name string, problems, warnings []strict.Problem) {
	for len(problems) > 0 || len(warnings) > 0 {
		if len(warnings) > 0 && (len(problems) == 0 || warnings[0].Offset < problems[0].Offset) {
			fmt.Fprintln(w, problemLine(name, warnings[0], true))
			warnings = warnings[1:]
			continue
		}
		fmt.Fprintln(w, problemLine(name, problems[0], false))
		problems = problems[1:]
	}
}

// problemLine lays out one problem:
// FILE:LINE:COL: [warning: ][trigger "ID": ][FIELD: ]PROBLEM [CODE].
func problemLine(name string, p strict.Problem, warning bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: ", name, p.Line, p.Col)
	if warning {
		b.WriteString("warning: ")
	}
	if p.TriggerID != "" {
		b.WriteString("trigger " + strconv.Quote(p.TriggerID) + ": ")
	}
	if p.Field != "" && p.Field != "(document)" { // the message says what (document) would
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Problem)
	if p.Code != "" {
		b.WriteString(" [" + p.Code + "]")
	}
	return b.String()
}

func displayName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
