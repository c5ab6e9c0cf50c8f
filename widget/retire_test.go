package widget_test

import (
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// retiredOf maps each trigger message of the transcript to whether its
// suggestions are retired, checking that none lost its suggestions.
func retiredOf(t *testing.T, tr []widget.Entry) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, en := range tr {
		if en.Kind != widget.EntryTrigger {
			continue
		}
		if len(en.Suggestions) == 0 {
			t.Errorf("message %d of %s lost its suggestions: retired ones stay as text", en.ID, en.TriggerID)
		}
		out[en.TriggerID] = en.Retired
	}
	return out
}

// A reply (typed or picked) retires the suggestions of every message
// before it, re-rendering each; a message that comes later keeps usable
// suggestions until the next reply.
func TestSuggestions_RetiredByAReply(t *testing.T) {
	t.Parallel()
	sugg := func(tr widget.Trigger) widget.Trigger {
		return with(tr, func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} })
	}
	r := newRig(t, sugg(siteT("welcome", 0)), sugg(siteT("later", 10)))
	r.view("/")
	welcome := r.rec.of(widget.EffectFired)[0].Entry.ID

	r.at(3 * s1)
	if err := r.eng.SendInput("a question"); err != nil {
		t.Fatal(err)
	}
	ups := r.rec.of(widget.EffectUpdate)
	if len(ups) != 1 || ups[0].Entry.ID != welcome || !ups[0].Entry.Retired || len(ups[0].Entry.Suggestions) != 2 {
		t.Errorf("updates after typing = %+v, want the welcome re-rendered with its 2 suggestions retired", ups)
	}
	if _, err := r.eng.UseSuggestion(welcome, 0); err == nil || !strings.Contains(err.Error(), "retired") {
		t.Errorf("UseSuggestion on a retired message = %v, want an error saying it is retired", err)
	}

	r.at(10 * s1)
	if got := retiredOf(t, r.eng.Transcript()); !got["welcome"] || got["later"] {
		t.Errorf("retired = %v, want welcome retired and the later message's suggestions usable", got)
	}
	later := r.rec.of(widget.EffectFired)[1].Entry.ID
	if text, err := r.eng.UseSuggestion(later, 1); err != nil || text != "No" {
		t.Fatalf("UseSuggestion(later, 1) = %q, %v", text, err)
	}
	if got := retiredOf(t, r.eng.Transcript()); !got["welcome"] || !got["later"] {
		t.Errorf("retired = %v after picking a reply, want both retired", got)
	}
	// Kept across a page load.
	if got := retiredOf(t, r.reload(false).eng.Transcript()); !got["welcome"] || !got["later"] {
		t.Errorf("retired after reload = %v, want both", got)
	}
}

// Stored state says which suggestions are retired, and is checked: a
// message a reply follows is retired whatever the record says (a script
// cannot bring old buttons back), one after the last reply keeps its
// suggestions, and the fix is silent (a record written before retiring
// existed is not an error).
func TestSuggestions_RetiredRecheckedFromStorage(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	plantVisit(t, store,
		`{"id":1,"kind":"trigger","triggerId":"a","at":0,"text":"A","agent":{"name":"Ann"},"suggestions":["x"]}`,
		`{"id":2,"kind":"trigger","triggerId":"b","at":1,"text":"B","agent":{"name":"Ann"},"suggestions":["y"],"retired":false}`,
		`{"id":3,"kind":"visitor","at":2,"text":"hi"}`,
		`{"id":4,"kind":"trigger","triggerId":"c","at":3,"text":"C","agent":{"name":"Ann"},"suggestions":["z"]}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	if got := retiredOf(t, r.eng.Transcript()); !got["a"] || !got["b"] || got["c"] {
		t.Errorf("retired = %v, want a and b (before the reply), not c", got)
	}
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 0 {
		t.Errorf("storage errors = %+v, want none", errs)
	}
	if _, err := r.eng.UseSuggestion(1, 0); err == nil {
		t.Errorf("a suggestion before the stored reply was usable")
	}
	if _, err := r.eng.UseSuggestion(4, 0); err != nil {
		t.Errorf("the suggestion after the stored reply: %v", err)
	}
}

// Another tab's reply retires this tab's buttons too.
func TestTabs_ReplyInOtherTabRetires(t *testing.T) {
	t.Parallel()
	_, a, c := twoTabs(t, with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes"} }))
	if err := c.eng.SendInput("typed in the other tab"); err != nil {
		t.Fatal(err)
	}
	a.eng.Sync()
	ups := a.rec.of(widget.EffectUpdate)
	if len(ups) != 1 || !ups[0].Entry.Retired {
		t.Errorf("first tab's updates = %+v, want the welcome re-rendered retired", ups)
	}
	if got := retiredOf(t, a.eng.Transcript()); !got["welcome"] {
		t.Errorf("retired = %v in the first tab", got)
	}
}

func TestAgentTyping(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	if err := r.eng.AgentTyping("  Maya "); err != nil {
		t.Fatal(err)
	}
	r.eng.AgentStoppedTyping()
	got := r.rec.of(widget.EffectTyping)
	if len(got) != 2 || !got[0].Typing || got[0].Name != "Maya" || got[1].Typing {
		t.Errorf("typing effects = %+v, want Maya typing, then stopped", got)
	}
	if err := r.eng.AgentTyping(strings.Repeat("a", widget.MaxAgentNameLen+1)); err == nil {
		t.Errorf("an agent name over the limit was accepted")
	}
	if n := len(r.rec.of(widget.EffectTyping)); n != 2 {
		t.Errorf("a refused call reported typing")
	}
}

// A message left offline goes to the host, never into the transcript.
func TestLeaveMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	r.view("/")
	if err := r.eng.SetStatus(widget.StatusOffline); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.LeaveMessage(" Ann ", "ann@example.com", " Call me back "); err != nil {
		t.Fatal(err)
	}
	got := r.rec.of(widget.EffectOfflineMessage)
	if len(got) != 1 || got[0].Attrs["name"] != "Ann" || got[0].Attrs["email"] != "ann@example.com" || got[0].Attrs["message"] != "Call me back" {
		t.Errorf("offline message effects = %+v", got)
	}
	if tr := r.eng.Transcript(); len(tr) != 0 {
		t.Errorf("transcript = %+v, want nothing: no agent will answer", tr)
	}
	if n := len(r.rec.of(widget.EffectVisitorMessage)); n != 0 {
		t.Errorf("%d visitor messages sent while offline", n)
	}
	if s := r.eng.Snapshot(); s.Chat != widget.ChatNone {
		t.Errorf("chat %q after an offline message; want no chat", s.Chat)
	}
	for _, tc := range []struct{ name, email, text, want string }{
		{"", "", "hi", "not an email address"},
		{"", "ann", "hi", "not an email address"},
		{"", "ann@", "hi", "not an email address"},
		{"", "a@b.c", "  ", "message is required"},
		{"", "a@b.c", strings.Repeat("x", widget.MaxVisitorMessageLen+1), "at most"},
		{strings.Repeat("n", widget.MaxAttrValueLen+1), "a@b.c", "hi", "at most"},
	} {
		if err := r.eng.LeaveMessage(tc.name, tc.email, tc.text); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LeaveMessage(%.10q, %q, %.10q) = %v, want an error with %q", tc.name, tc.email, tc.text, err, tc.want)
		}
	}
	if n := len(r.rec.of(widget.EffectOfflineMessage)); n != 1 {
		t.Errorf("refused messages were reported: %d effects", n)
	}
}

func TestRelativeTime(t *testing.T) {
	t.Parallel()
	const sec, min, hour, day = 1000, 60_000, 3_600_000, 86_400_000
	for _, tc := range []struct {
		age, n int64
		unit   string
		next   int64
	}{
		{-5000, 0, widget.UnitNow, min},
		{0, 0, widget.UnitNow, min},
		{59*sec + 999, 0, widget.UnitNow, 1},
		{min, 1, widget.UnitMinute, min},
		{2*min + 30*sec, 2, widget.UnitMinute, 30 * sec},
		{59*min + 59*sec, 59, widget.UnitMinute, sec},
		{hour, 1, widget.UnitHour, hour},
		{23*hour + 59*min, 23, widget.UnitHour, min},
		{day, 1, widget.UnitDay, day},
		{3*day + hour, 3, widget.UnitDay, 23 * hour},
	} {
		n, unit, next := widget.RelativeTime(tc.age)
		if n != tc.n || unit != tc.unit || next != tc.next {
			t.Errorf("RelativeTime(%d) = %d %q, next in %d; want %d %q, next in %d", tc.age, n, unit, next, tc.n, tc.unit, tc.next)
		}
	}
}
