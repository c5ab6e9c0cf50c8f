package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0 // success
	exitProblem = 1 // the input has problems (or would change, for fmt -check)
	exitUsage   = 2 // bad command line or unreadable / unwritable files
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// command is one subcommand: its one-line summary, its help text and its
// body, which gets the arguments after the subcommand's name.
type command struct {
	name    string
	summary string
	help    string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"validate", "check trigger sets against the format's rules", validateHelp, runValidate},
		{"fmt", "rewrite trigger sets in the canonical layout", fmtHelp, runFmt},
		{"simulate", "replay a visitor's journey against a trigger set", simulateHelp, runSimulate},
		{"push", "publish a trigger set through widgetd's API", pushHelp, runPush},
		{"pull", "download a property's published trigger set", pullHelp, runPull},
	}
}

const mainHelp = `triggers works with triggerwidget trigger sets from the command line.

Usage:

	triggers <command> [flags] [arguments]

Commands:
%s
Run "triggers help <command>" for a command's flags, input and output.

Exit status: 0 success, 1 the input has problems, 2 bad usage or an
unreadable file.
`

func usage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "\t%-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, mainHelp, b.String())
}

// run is the whole program; tests call it in-process. args excludes the
// program name.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "help":
		if len(rest) == 0 {
			usage(stdout)
			return exitOK
		}
		for _, c := range commands() {
			if c.name == rest[0] {
				fmt.Fprint(stdout, c.help)
				return exitOK
			}
		}
		fmt.Fprintf(stderr, "triggers help: unknown command %q\n", rest[0])
		return exitUsage
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(rest, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "triggers: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

// parseFlags parses a subcommand's flags, which may come before, between
// or after its file arguments ("triggers fmt a.json -w"). A lone "-" is an
// argument (standard input), and "--" ends the flags. When done is true the
// caller returns code at once: -h printed the help (exitOK), or a flag was
// wrong (exitUsage).
func parseFlags(fs *flag.FlagSet, help string, args []string, stdout, stderr io.Writer) (files []string, code int, done bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, help)
			return nil, exitOK, true
		}
		if err != nil {
			fmt.Fprintf(stderr, "triggers %s: %v\nRun \"triggers help %s\" for usage.\n", fs.Name(), err, fs.Name())
			return nil, exitUsage, true
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(files, rest...), exitOK, false // flag consumed "--"
		}
		if len(rest) == 0 {
			return files, exitOK, false
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}

// readInput reads a named file, or standard input for "-".
func readInput(name string, in io.Reader) ([]byte, error) {
	if name == "-" {
		if in == nil {
			return nil, errors.New("no standard input")
		}
		return io.ReadAll(in)
	}
	return os.ReadFile(name)
}

// stdin is where "-" reads from; tests replace it.
var stdin io.Reader = os.Stdin
