package widget

import (
	"os"
	"testing"
	"time"
)

// benchSet is a full 20-trigger set (also used by make bench in the
// browser): site, page triggers of every match kind, chat rescue, maximized.
func benchSet(b *testing.B) []byte {
	data, err := os.ReadFile("testdata/bench-set.json")
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkParseCompile20(b *testing.B) {
	data := benchSet(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := ParseSet(data)
		if err != nil {
			b.Fatal(err)
		}
		if c := Compile(s); len(c.Triggers) != 20 {
			b.Fatalf("compiled %d triggers: %v", len(c.Triggers), c.Problems)
		}
	}
}

// BenchmarkPageView20 is one page view against 20 triggers, including the
// write of the visit to storage.
func BenchmarkPageView20(b *testing.B) {
	s, err := ParseSet(benchSet(b))
	if err != nil {
		b.Fatal(err)
	}
	c := Compile(s)
	clock := NewManualClock(time.Unix(1_700_000_000, 0))
	e := New(c, Options{Clock: clock, Storage: NewMemoryStorage()})
	urls := []string{"https://acme.test/pricing", "https://acme.test/shop/tents/alpine-2", "https://acme.test/blog/x/comments", "https://acme.test/"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e.PageView(Page{URL: urls[i%len(urls)]})
		i++
	}
}

func BenchmarkURLMatchRegex(b *testing.B) {
	m, err := CompileURLRule(URLRule{Match: MatchRegex, Value: `^/shop/(tents|packs)/[a-z0-9-]+$`})
	if err != nil {
		b.Fatal(err)
	}
	u := ParsePageURL("https://acme.test/shop/tents/alpine-2?utm=x#top")
	b.ReportAllocs()
	for b.Loop() {
		if !m.Match(&u) {
			b.Fatal("no match")
		}
	}
}

// BenchmarkMessageAtCap is one visitor message when the saved visit is at
// its cap (MaxStateBytes): the write encodes the whole visit and drops its
// oldest line. It is the engine's worst storage write.
func BenchmarkMessageAtCap(b *testing.B) {
	s, err := ParseSet(benchSet(b))
	if err != nil {
		b.Fatal(err)
	}
	store := NewMemoryStorage()
	e := New(Compile(s), Options{Clock: NewManualClock(time.Unix(1_700_000_000, 0)), Storage: store})
	e.PageView(Page{URL: "https://acme.test/"})
	msg := string(make([]byte, 0, 4000))
	for len(msg) < 4000 {
		msg += "<&> long message "
	}
	for range 100 {
		if err := e.VisitorMessage(msg); err != nil {
			b.Fatal(err)
		}
	}
	if raw, _, _ := store.Get(KeyVisit); len(raw) < MaxStateBytes*3/4 {
		b.Fatalf("the visit is %d bytes, not near the cap", len(raw))
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := e.VisitorMessage(msg); err != nil {
			b.Fatal(err)
		}
	}
}
