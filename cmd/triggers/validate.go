package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

const validateHelp = `Usage: triggers validate SET.json...

Checks each trigger set the way the admin and the browser runtime do
(widget.ParseSet, then widget.Validate) and prints every problem, one per
line:

	SET.json: trigger "ID": FIELD: PROBLEM     a problem of one trigger
	SET.json: FIELD: PROBLEM                   a problem of the set itself
	SET.json: warning: ...                     something the runtime ignores

or, when the set is valid:

	SET.json: ok (N triggers, M shortcuts)

Warnings name keys the runtime ignores (unknown fields such as a misspelt
"dealy", or a key given twice) and a time zone missing from the IANA
database; they do not change the exit status. "-" reads standard input.

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

// validateOne prints the problems of one set and reports whether it is
// valid.
func validateOne(w io.Writer, name string, data []byte) bool {
	set, err := widget.ParseSet(data)
	if err != nil {
		fmt.Fprintf(w, "%s: %s\n", name, parseProblem(err))
		return false
	}
	for _, p := range ignoredKeys(data) {
		fmt.Fprintf(w, "%s: warning: %s\n", name, p.Error())
	}
	if tz := set.Timezone; tz != "" && tz != "UTC" {
		if _, err := time.LoadLocation(tz); err != nil {
			fmt.Fprintf(w, "%s: warning: timezone: %q is not in the IANA time zone database; browsers will use UTC\n", name, tz)
		}
	}
	if err := widget.Validate(set); err != nil {
		var ve *widget.ValidationError
		if !errors.As(err, &ve) {
			fmt.Fprintf(w, "%s: %v\n", name, err)
			return false
		}
		for _, p := range ve.Problems {
			fmt.Fprintf(w, "%s: %s\n", name, p.Error())
		}
		return false
	}
	fmt.Fprintf(w, "%s: ok (%s, %s)\n", name, plural(len(set.Triggers), "trigger"), plural(len(set.Shortcuts), "shortcut"))
	return true
}

// parseProblem words a ParseSet error: its "(document)" pseudo-field says
// nothing the message does not.
func parseProblem(err error) string {
	var fe *widget.FieldError
	if errors.As(err, &fe) && fe.Field == "(document)" {
		return fe.Problem
	}
	return err.Error()
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
