package widget

import (
	"bytes"
	"math/bits"
	"strconv"
	"strings"
	"testing"
	"time"
)

// storingEngine is an engine with no triggers and a storage, on a page.
func storingEngine() *Engine {
	e := New(Compile(&Set{Version: FormatVersion, Property: "acme"}), Options{Clock: NewManualClock(time.Unix(1_700_000_000, 0)), Storage: NewMemoryStorage()})
	e.PageView(Page{URL: "https://acme.test/"})
	return e
}

// The engine's allocations that grow with a visit take sizes whose spans
// are a few pages at most (see roomForOne and record): the transcript's
// backing array is 16 entries, then MaxTranscript+1, and nothing else.
func TestTranscriptGrowsTwiceAtMost(t *testing.T) {
	e := storingEngine()
	caps := map[int]bool{}
	for i := range 3 * MaxTranscript {
		if err := e.AgentMessage("Maya", "line "+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
		caps[cap(e.visit.Transcript)] = true
	}
	if len(e.visit.Transcript) != MaxTranscript || len(caps) != 2 || !caps[16] || !caps[MaxTranscript+1] {
		t.Errorf("transcript of %d entries; its capacities on the way: %v, want 16 and %d", len(e.visit.Transcript), caps, MaxTranscript+1)
	}
	// A full transcript with no room left: one more entry needs
	// MaxTranscript+1, no more.
	e.visit.Transcript = append([]Entry(nil), e.visit.Transcript...)[:MaxTranscript:MaxTranscript]
	if err := e.AgentMessage("Maya", "one more"); err != nil {
		t.Fatal(err)
	}
	if c := cap(e.visit.Transcript); c != MaxTranscript+1 {
		t.Errorf("a full transcript grew to %d entries, want %d", c, MaxTranscript+1)
	}
}

func TestRecordCopies(t *testing.T) {
	for _, n := range []int{0, 1, 2048, 2049, 5000, 40_000} {
		b := bytes.Repeat([]byte("a<"), n)[:n]
		got := record(b)
		if got != string(b) {
			t.Fatalf("record of %d bytes is not a copy of them", n)
		}
		for i := range b {
			b[i] = 'x'
		}
		if n > 0 && strings.Contains(got, "x") {
			t.Fatalf("record of %d bytes shares the buffer it was encoded in", n)
		}
	}
}

// After each write the encoding buffer has room for a record twice the
// size of the last, in the power of two above (MaxStateBytes at most), so
// the next encoding does not grow it through append's sizes; and no more
// than that.
func TestWriteKeepsRoomForTheNextRecord(t *testing.T) {
	e := storingEngine()
	for i := range 150 {
		if err := e.VisitorMessage("question " + strconv.Itoa(i) + ": is the <b>blue</b> tent in stock?"); err != nil {
			t.Fatal(err)
		}
		e.Flush()
		if n := len(e.seenVisit); n > 2048 {
			want := min(1<<bits.Len(uint(2*n)), MaxStateBytes)
			if c := cap(e.scratch); bits.OnesCount(uint(c)) != 1 || c < want || c > 2*want {
				t.Fatalf("after a record of %d bytes the buffer holds %d, want %d (or the one before it)", n, c, want)
			}
		}
	}
	if len(e.seenVisit) <= 2048 {
		t.Fatalf("the visit record stayed at %d bytes: the test wrote too little", len(e.seenVisit))
	}
	// Records near MaxStateBytes: the buffer is made no larger than that
	// (an encoding before its transcript is trimmed to fit may have grown
	// it past, through append).
	long := strings.Repeat("x", 1900)
	for range MaxTranscript {
		if err := e.VisitorMessage(long); err != nil {
			t.Fatal(err)
		}
		e.Flush()
	}
	if n, c := len(e.seenVisit), cap(e.scratch); n < MaxStateBytes/2 || c >= 2*MaxStateBytes {
		t.Errorf("after a record of %d bytes the buffer holds %d, want less than %d", n, c, 2*MaxStateBytes)
	}
}
