package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/triggerwidget/triggerwidget/widget/simulate"
)

// The timeline's layout: the time, two spaces, a label padded to ten
// characters, a space and the details; explanations indented under the
// step they follow; then the summary.

func printTimeline(w io.Writer, res *simulate.Result) {
	for _, l := range res.Lines {
		if l.Label == "problem" {
			continue // the engine's report of the problems printed above
		}
		if l.State != nil {
			printState(w, "          ", l.State)
			continue
		}
		text := fmt.Sprintf("%s  %-10s %s", simulate.RelTime(l.At), l.Label, l.Detail)
		fmt.Fprintln(w, strings.TrimRight(text, " "))
	}
	fmt.Fprintf(w, "\nsummary at %s\n", simulate.RelTime(res.End))
	printState(w, "  ", &res.Summary)
}

// printState prints the widget and the visitor, then each trigger's state
// and, for advanced triggers, each condition now.
func printState(w io.Writer, indent string, st *simulate.State) {
	visitor := plural(st.Visits, "visit")
	if st.Returning {
		visitor += " (returning)"
	}
	widgetState := "closed"
	if st.Open {
		widgetState = "open"
	}
	fmt.Fprintf(w, "%sstatus %s, chat %s, widget %s; visitor: %s, tags [%s], attributes {%s}\n",
		indent, st.Status, st.Chat, widgetState, visitor, strings.Join(st.Tags, ", "), simulate.Pairs(st.Attrs))
	width := 0
	for _, t := range st.Triggers {
		width = max(width, len(t.ID))
	}
	for _, t := range st.Triggers {
		fmt.Fprintf(w, "%s%-*s  %-11s  %s\n", indent, width, t.ID, t.Type, t.State)
		for _, c := range t.Conditions {
			mark := "✗"
			if c.Holds {
				mark = "✓"
			}
			fmt.Fprintf(w, "%s    %s %s — actual %s\n", indent, mark, c.Text, c.Actual)
		}
	}
	if len(st.Skipped) > 0 {
		fmt.Fprintf(w, "%sskipped: %s (see the problems)\n", indent, strings.Join(st.Skipped, ", "))
	}
}
