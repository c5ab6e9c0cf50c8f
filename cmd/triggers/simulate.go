package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/triggerwidget/triggerwidget/widget/simulate"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

const simulateHelp = `Usage: triggers simulate [-explain] SET.json JOURNEY.json

Replays a scripted visitor against a trigger set with the browser's own
engine (package widget) on a manual clock and in-memory storage, and prints
what happens, one line per event, in time order:

	+00:00.0  page_view  https://acme.test/ "Home"
	+00:00.0  armed      welcome (site): fires at +00:05.0
	+00:05.0  FIRED      welcome (site) — Apollo: "Bonjour 👋 …"  [Tarifs | Parler à un humain]
	+00:07.0  cancelled  pricing-help (page): left_page — the visitor left the matching page

then a summary of every trigger as engine.Explain() sees it, with each
condition of an advanced trigger, its actual value and ✓ or ✗.

A journey is a JSON document:

	{
	  "start": "2026-03-02T09:00:00Z",
	  "visitor": {"returning": true, "language": "fr", "device": "mobile"},
	  "steps": [
	    {"at": 0, "event": "page_view", "url": "https://acme.test/pricing", "title": "Pricing"},
	    {"at": 12.5, "event": "visitor_message", "text": "hi"},
	    {"at": 60, "event": "end"}
	  ]
	}

"at" is seconds from the start (fractions allowed), in non-decreasing order.
Events: page_view, visitor_message, agent_message, agent_joined, chat_ended,
status, custom_event, set_attributes, add_tags, remove_tags, maximize,
minimize, suggestion, submit_form, end. The package documentation
(go doc ./cmd/triggers) describes every field.

After the last step the clock runs on for one hour, so pending countdowns
play out, unless the journey ends with an "end" step.

Flags:
	-explain  print engine.Explain() after every step

Exit status: 0 simulated a valid set, 1 the set has problems (they come
first, as validate prints them; the broken triggers are skipped and the
rest run as in the browser, so the timeline still shows what visitors
would get),
the set does not parse or the journey is invalid (every problem is
listed), 2 bad usage or an unreadable file.
`

func runSimulate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	explain := fs.Bool("explain", false, "print Explain() after every step")
	files, code, done := parseFlags(fs, simulateHelp, args, stdout, stderr)
	if done {
		return code
	}
	if len(files) != 2 {
		fmt.Fprint(stderr, "triggers simulate: want a trigger set and a journey\nRun \"triggers help simulate\" for usage.\n")
		return exitUsage
	}
	setName, journeyName := files[0], files[1]
	if setName == "-" && journeyName == "-" {
		fmt.Fprint(stderr, "triggers simulate: only one of the set and the journey can come from standard input\n")
		return exitUsage
	}
	setData, err := readInput(setName, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "triggers simulate: %v\n", err)
		return exitUsage
	}
	journeyData, err := readInput(journeyName, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "triggers simulate: %v\n", err)
		return exitUsage
	}
	r := strict.Check(setData)
	if r.Compiled == nil {
		printProblems(stderr, displayName(setName), r.Problems, nil)
		return exitProblem
	}
	j, err := simulate.ParseJourney(journeyData)
	if err != nil {
		for _, p := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "%s: %s\n", displayName(journeyName), p)
		}
		return exitProblem
	}
	// The set's problems come first, placed by line and column, as
	// validate prints them; the timeline then shows what the browser
	// would do with the valid triggers.
	printProblems(stdout, displayName(setName), r.Problems, r.Warnings)
	res := simulate.Run(r.Compiled, j, simulate.Options{Zone: strict.NewZone(nil), Explain: *explain})
	printTimeline(stdout, res)
	if !r.Valid() {
		return exitProblem
	}
	return exitOK
}
