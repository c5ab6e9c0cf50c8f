package widget

import (
	"bytes"
	"math/bits"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The engine's allocations that grow with a visit take sizes whose spans
// are a few pages at most (see roomForOne and record): the transcript's
// backing array is 16 entries, then MaxTranscript+1, and nothing else.
func TestTranscriptGrowsTwiceAtMost(t *testing.T) {
	s, err := ParseSet([]byte(`{"version":1,"property":"acme","triggers":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := New(Compile(s), Options{Clock: NewManualClock(time.Unix(1_700_000_000, 0)), Storage: NewMemoryStorage()})
	e.PageView(Page{URL: "https://acme.test/"})
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
	// A transcript read back from storage, full: one more entry needs
	// MaxTranscript+1 at most.
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

// After each write the encoding buffer has room for a record a quarter
// larger than the last, in a power of two, so the next encoding does not
// grow it through append's sizes.
func TestWriteKeepsRoomForTheNextRecord(t *testing.T) {
	s, err := ParseSet([]byte(`{"version":1,"property":"acme","triggers":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	e := New(Compile(s), Options{Clock: NewManualClock(time.Unix(1_700_000_000, 0)), Storage: NewMemoryStorage()})
	e.PageView(Page{URL: "https://acme.test/"})
	for i := range 150 {
		if err := e.VisitorMessage("question " + strconv.Itoa(i) + ": is the <b>blue</b> tent in stock?"); err != nil {
			t.Fatal(err)
		}
		e.Flush()
		if n := len(e.seenVisit); n > 2048 {
			if c := cap(e.scratch); c < n+n/4 || bits.OnesCount(uint(c)) != 1 {
				t.Fatalf("after a record of %d bytes the buffer holds %d, want a power of two of at least %d", n, c, n+n/4)
			}
		}
	}
	if len(e.seenVisit) <= 2048 {
		t.Fatalf("the visit record stayed at %d bytes: the test wrote too little", len(e.seenVisit))
	}
}
