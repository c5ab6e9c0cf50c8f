package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mailru/easyjson/jwriter"
	"github.com/triggerwidget/triggerwidget/widget"
)

const fmtHelp = `Usage: triggers fmt [-w] [-check] SET.json...

Rewrites each trigger set in the canonical layout: the fields in the order
of the model (widget.Set), two-space indentation, one trailing newline,
non-ASCII text as UTF-8 and <, >, & unescaped. Fields at their default
(false booleans, empty lists, a zero "delay", an empty "agent") are dropped;
nothing else changes meaning. Formatting is idempotent.

Without flags the result goes to standard output ("-" reads standard input).

Flags:
	-w      rewrite the files in place (atomically; unchanged files are
	        not touched)
	-check  list the files that are not formatted; change nothing

A set that does not parse, or that has keys the runtime ignores (which
formatting would drop), is refused with the problem named; run
"triggers validate" for the whole list of problems.

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
			for _, p := range problems {
				fmt.Fprintf(stderr, "%s: %s\n", displayName(name), p)
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
				if err := writeAtomic(name, out); err != nil {
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
// that stop it from being formatted without losing anything.
func formatSet(data []byte) ([]byte, []string) {
	set, err := widget.ParseSet(data)
	if err != nil {
		return nil, []string{parseProblem(err)}
	}
	if ignored := ignoredKeys(data); len(ignored) > 0 {
		var problems []string
		for _, p := range ignored {
			problems = append(problems, p.Error()+"; formatting would drop it, so the file is left alone")
		}
		return nil, problems
	}
	w := jwriter.Writer{NoEscapeHTML: true}
	set.MarshalEasyJSON(&w)
	compact, err := w.BuildBytes()
	if err != nil {
		return nil, []string{"cannot encode the set: " + err.Error()}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, []string{"cannot indent the set: " + err.Error()}
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// writeAtomic replaces a file by writing a temporary file beside it and
// renaming it over the original, keeping the original's permissions. A
// symbolic link is followed, so the link stays a link.
func writeAtomic(name string, data []byte) (err error) {
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), info.Mode().Perm()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
