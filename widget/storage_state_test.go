package widget_test

import (
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// countingStorage counts writes per key.
type countingStorage struct {
	*widget.MemoryStorage
	mu   sync.Mutex
	sets map[string]int
}

func newCountingStorage() *countingStorage {
	return &countingStorage{MemoryStorage: widget.NewMemoryStorage(), sets: map[string]int{}}
}

func (s *countingStorage) Set(key, value string) error {
	s.mu.Lock()
	s.sets[key]++
	s.mu.Unlock()
	return s.MemoryStorage.Set(key, value)
}

func (s *countingStorage) writes(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sets[key]
}

// stored returns what store holds under key ("" when nothing).
func stored(t *testing.T, store widget.Storage, key string) string {
	t.Helper()
	v, _, err := store.Get(key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSave_KeepsHTMLCharactersAsTheyAre(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0))
	r.view("/")
	mustSay(t, r.eng, "<b>a & b</b> <script>")
	raw := stored(t, r.store, widget.KeyVisit)
	if !strings.Contains(raw, `<b>a & b</b> <script>`) {
		t.Errorf("stored visit = %s, want the message with <, > and & as they are", raw)
	}
	if strings.Contains(raw, `\u003c`) || strings.Contains(raw, `\u0026`) {
		t.Errorf("stored visit has HTML escapes: %s", raw)
	}
	// And it reads back to the same text.
	r2 := r.reload(false)
	if tr := r2.eng.Transcript(); len(tr) != 2 || tr[1].Text != "<b>a & b</b> <script>" {
		t.Errorf("after a reload, transcript = %+v", tr)
	}
}

func TestSave_CappedDroppingOldLinesBeforeTriggerMessages(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0), rescueT("rescue", 30))
	r.view("/")
	big := strings.Repeat("é", widget.MaxVisitorMessageLen-10) // about 10 000 bytes each
	const n = 120
	for i := 0; i < n; i++ {
		mustSay(t, r.eng, itoa(i)+" "+big)
		if i == 0 {
			r.at(30 * s1) // chat rescue fires after the first message
		}
	}
	visit, visitor := stored(t, r.store, widget.KeyVisit), stored(t, r.store, widget.KeyVisitor)
	if size := len(visit) + len(visitor); size > widget.MaxStateBytes {
		t.Fatalf("stored state is %d bytes, more than %d", size, widget.MaxStateBytes)
	}
	if size := len(visit); size < widget.MaxStateBytes*3/4 {
		t.Errorf("stored visit is %d bytes: trimmed far below the cap of %d", size, widget.MaxStateBytes)
	}
	for _, tr := range [][]widget.Entry{r.eng.Transcript(), r.reload(false).eng.Transcript()} {
		if got := triggerEntries(tr); len(got) != 2 || got[0] != "welcome" || got[1] != "rescue" {
			t.Errorf("trigger messages kept = %q, want welcome and rescue", got)
		}
		if last := tr[len(tr)-1]; !strings.HasPrefix(last.Text, itoa(n-1)+" ") {
			t.Errorf("last line = %.20q, want message %d", last.Text, n-1)
		}
		for _, en := range tr {
			if strings.HasPrefix(en.Text, "0 ") {
				t.Errorf("the oldest message is still there after %d more", n-1)
			}
		}
	}
}

// A burst of events writes once, when the platform runs the deferred
// write; until then nothing is written, and a flush with nothing new
// writes nothing.
func TestSave_OncePerBurst(t *testing.T) {
	t.Parallel()
	store := newCountingStorage()
	var pending []func()
	rec := &recorder{}
	eng := widget.New(compileOK(t, setOf(siteT("welcome", 0))), widget.Options{
		Clock: widget.NewManualClock(t0), Storage: store, Sink: rec.sink,
		Defer: func(write func()) { pending = append(pending, write) },
	})
	eng.PageView(widget.Page{URL: "https://x.test/"})
	for i := 0; i < 50; i++ {
		mustSay(t, eng, "message "+itoa(i))
	}
	if err := eng.SetAttributes(map[string]string{"plan": "pro"}); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.of(widget.EffectShow)); got != 51 {
		t.Errorf("%d messages shown during the burst, want 51 (effects are not deferred)", got)
	}
	if got := store.writes(widget.KeyVisit); got != 0 {
		t.Errorf("%d writes during the burst, want 0", got)
	}
	if len(pending) != 1 {
		t.Fatalf("Defer called %d times in one burst, want 1", len(pending))
	}
	pending[0]()
	if v, vr := store.writes(widget.KeyVisit), store.writes(widget.KeyVisitor); v != 1 || vr != 1 {
		t.Errorf("after the burst: %d visit and %d visitor writes, want 1 each", v, vr)
	}
	if raw := stored(t, store, widget.KeyVisit); !strings.Contains(raw, "message 49") {
		t.Errorf("stored visit lacks the burst's last message: %.200s", raw)
	}
	eng.Flush()
	if v := store.writes(widget.KeyVisit); v != 1 {
		t.Errorf("Flush with nothing new wrote again (%d writes)", v)
	}
	// The next event asks for a new deferred write; Stop (shutdown, page
	// unload) writes it without waiting.
	mustSay(t, eng, "last words")
	if len(pending) != 2 {
		t.Fatalf("Defer called %d times after a second event, want 2", len(pending))
	}
	eng.Stop()
	if raw := stored(t, store, widget.KeyVisit); !strings.Contains(raw, "last words") {
		t.Errorf("Stop did not write the pending state")
	}
	pending[1]() // the platform's deferred call, after Stop: harmless
	if v := store.writes(widget.KeyVisit); v != 2 {
		t.Errorf("%d visit writes, want 2", v)
	}
}

func TestAgentMessage_Limits(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct {
		name, agent, text string
		want              string // in the error; "" for accepted
	}{
		{"name at the limit", long(widget.MaxAgentNameLen), "hi", ""},
		{"text at the limit", "Ann", strings.Repeat("é", widget.MaxTextLen), ""},
		{"no name", "", "hi", ""},
		{"name too long", long(widget.MaxAgentNameLen + 1), "hi", "agent name is 51 characters, more than 50"},
		{"text too long", "Ann", long(widget.MaxTextLen + 1), "agent message is 1001 characters, more than 1000"},
		{"empty text", "Ann", "  ", "agent message is empty"},
		{"text not UTF-8", "Ann", "a\xffb", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, siteT("welcome", 60))
			r.view("/")
			err := r.eng.AgentMessage(tc.agent, tc.text)
			shown := len(r.rec.of(widget.EffectShow))
			if tc.want == "" {
				if err != nil || shown != 1 {
					t.Errorf("AgentMessage = %v with %d lines shown, want it accepted", err, shown)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("AgentMessage error = %v, want %q", err, tc.want)
			}
			if shown != 0 || len(r.eng.Transcript()) != 0 || r.eng.Snapshot().Chat != widget.ChatNone {
				t.Errorf("a refused agent message changed the visit")
			}
		})
	}
	r := newRig(t, siteT("welcome", 60))
	if err := r.eng.AgentJoined(long(widget.MaxAgentNameLen + 1)); err == nil || !strings.Contains(err.Error(), "more than 50") {
		t.Errorf("AgentJoined with a 51-character name: %v, want the limit named", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
