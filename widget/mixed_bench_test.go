package widget

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkMixedEvents1000 drives 1,000 mixed API events in bursts of ten,
// each burst's state written once at its end (as the browser coalesces
// writes per task): the events make bench's events section sends.
func BenchmarkMixedEvents1000(b *testing.B) {
	s, err := ParseSet(benchSet(b))
	if err != nil {
		b.Fatal(err)
	}
	c := Compile(s)
	paths := []string{"/pricing", "/docs/start", "/blog/2026/comments", "/shop/tents/alpine-2", "/contact?topic=sales", "/help/returns", "/checkout/cart"}
	b.ReportAllocs()
	for b.Loop() {
		var pending func()
		e := New(c, Options{Clock: NewManualClock(time.Unix(1_700_000_000, 0)), Storage: NewMemoryStorage(),
			Sink: func(Effect) {}, Defer: func(w func()) { pending = w }})
		e.PageView(Page{URL: "https://acme.test/"})
		for i := range 1000 {
			n := strconv.Itoa(i)
			switch i % 10 {
			case 0:
				_ = e.VisitorMessage("Question " + n + `: is the <b>blue</b> tent & its "pegs" in stock?`)
			case 1:
				_ = e.AgentMessage("Agent "+strconv.Itoa(i%3), "Answer "+n+": yes, <3 of them> & more next week.")
			case 2:
				_ = e.CustomEvent("viewed_product_" + strconv.Itoa(i%5))
			case 3:
				plan := "pro"
				if i%20 == 0 {
					plan = "free"
				}
				_ = e.SetAttributes(map[string]string{"plan": plan, "cart_items": strconv.Itoa(i % 7), "last_seen": "step " + n})
			case 4:
				_ = e.AddTags([]string{"tag" + strconv.Itoa(i%7), "returning"})
			case 5:
				e.RemoveTags([]string{"tag" + strconv.Itoa((i+3)%7)})
			case 6:
				e.PageView(Page{URL: "https://acme.test" + paths[(i/10)%len(paths)] + "?visit=" + n})
			case 7:
				e.SetMaximized(true)
			case 8:
				e.SetMaximized(false)
			case 9:
				e.SetMaximized(!e.Maximized())
			}
			if i%10 == 9 && pending != nil {
				w := pending
				pending = nil
				w()
			}
		}
		e.Stop()
	}
}
