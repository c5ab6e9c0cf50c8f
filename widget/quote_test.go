package widget

import (
	"strconv"
	"strings"
	"testing"
)

// A long value quoted in a message is cut between two characters, never in
// the middle of one.
func TestQuoteCutsBetweenCharacters(t *testing.T) {
	t.Parallel()
	got := quote(strings.Repeat("中", 40)) // 120 bytes
	want := strconv.Quote(strings.Repeat("中", 26) + "…")
	if got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
	if got := quote("short"); got != `"short"` {
		t.Errorf("quote(short) = %s", got)
	}
}
