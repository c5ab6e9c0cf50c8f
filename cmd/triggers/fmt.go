package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"

	"github.com/triggerwidget/triggerwidget/internal/atomicfile"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

const fmtHelp = `Usage: triggers fmt [-w] [-check] SET.json...

Rewrites each trigger set in the canonical layout: the fields in the order
of the model (widget.Set), two-space indentation, one trailing newline,
non-ASCII text as UTF-8 and <, >, & unescaped. Fields at their default
(false booleans, empty lists and texts, a zero "delay", an empty "agent",
a null) are dropped, and no field is added: a required field that is
missing stays missing, for "triggers validate" to report. Nothing else
changes meaning. Formatting is idempotent.

Without flags the result goes to standard output ("-" reads standard input).

Flags:
	-w      rewrite the files in place (atomically, keeping their mode and
	        writing through symbolic links; unchanged files are not touched)
	-check  list the files that are not formatted; change nothing

A set is refused, and left as it is, when it does not parse or when
formatting would lose something: an unknown key (which the runtime
ignores) or the first value of a key given twice would be dropped, a
verbatim value that is not JSON cannot be laid out, bytes that are not
UTF-8 would be replaced. Its problems are printed to standard error as
"triggers validate" prints them (SET.json:LINE:COL: ... [CODE]). Other
problems do not stop formatting; "triggers validate" lists them.

Exit status: 0 done, 1 a set was refused or (-check) is not formatted,
2 bad usage or a file could not be read or written.
`

func runFmt(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	write := fs.Bool("w", false, "rewrite files in place")
	check := fs.Bool("check", false, "list files that would change")
	files, code, done := parseFlags(fs, fmtHelp, args, stdout, stderr)
	if done {
		return code
	}
	switch {
	case len(files) == 0:
		fmt.Fprint(stderr, "triggers fmt: no trigger set given (use - for standard input)\nRun \"triggers help fmt\" for usage.\n")
		return exitUsage
	case *write && *check:
		fmt.Fprint(stderr, "triggers fmt: -w and -check do not go together\n")
		return exitUsage
	}
	for _, name := range files {
		if *write && name == "-" {
			fmt.Fprint(stderr, "triggers fmt: -w cannot rewrite standard input\n")
			code = max(code, exitUsage)
			continue
		}
		data, err := readInput(name, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "triggers fmt: %v\n", err)
			code = max(code, exitUsage)
			continue
		}
		out, problems := formatSet(data)
		if problems != nil {
			printProblems(stderr, displayName(name), problems, nil)
			if !rejectedWhole(problems) {
				fmt.Fprintf(stderr, "%s: left as it is: formatting would drop or change what is named above\n", displayName(name))
			}
			code = max(code, exitProblem)
			continue
		}
		changed := !bytes.Equal(out, data)
		switch {
		case *check:
			if changed {
				fmt.Fprintln(stdout, displayName(name))
				code = max(code, exitProblem)
			}
		case *write:
			if changed {
				if err := atomicfile.WriteFile(name, out, 0o644); err != nil {
					fmt.Fprintf(stderr, "triggers fmt: %v\n", err)
					code = max(code, exitUsage)
				}
			}
		default:
			_, _ = stdout.Write(out)
		}
	}
	return code
}

// formatSet returns the canonical form of a trigger set, or the problems
// (placed in the document) that stop it from being formatted without
// losing anything.
func formatSet(data []byte) ([]byte, []strict.Problem) {
	out, errs := strict.Format(data)
	if errs != nil {
		return nil, strict.Locate(data, errs)
	}
	return out, nil
}

// rejectedWhole reports whether problems are those of a document refused
// as a whole (too large, not JSON, another version), which say for
// themselves why it cannot be formatted.
func rejectedWhole(problems []strict.Problem) bool {
	if len(problems) != 1 {
		return false
	}
	p := problems[0]
	return p.Code == widget.CodeBadVersion || p.Field == "(document)" && (p.Code == widget.CodeNotJSON || p.Code == widget.CodeTooLarge)
}
