package widget_test

import (
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// plantVisit stores a visit of the given transcript lines (JSON objects),
// as a script of the site could.
func plantVisit(t *testing.T, store widget.Storage, entries ...string) {
	t.Helper()
	raw := `{"v":1,"start":` + itoa64(ms(0)) + `,"last":` + itoa64(ms(0)) + `,"pages":1,"chat":{"state":"none","seq":0},"next":100,"transcript":[` + strings.Join(entries, ",") + `]}`
	if err := store.Set(widget.KeyVisit, raw); err != nil {
		t.Fatal(err)
	}
}

func itoa64(n int64) string { return itoa(int(n)) }

const goodLine = `{"id":1,"kind":"trigger","triggerId":"welcome","at":0,"text":"Hello","agent":{"name":"Ann","image":"avatar:robot"}}`

// Stored state is checked like a trigger set before anything is shown: a
// line a set could not hold is dropped and reported, the rest is kept.
func TestStoredState_CheckedLikeATriggerSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, line string
		want       string // in the error message
	}{
		{"javascript link", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"link","url":"javascript:alert(1)","title":"x"}]}`, "attachments[0].url"},
		{"javascript file", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"file","url":"JavaScript:alert(1)","name":"x"}]}`, "attachments[0].url"},
		{"data image", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"image","url":"data:image/svg+xml,<svg/onload=alert(1)>"}]}`, "attachments[0].url"},
		{"agent image javascript", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A","image":"javascript:alert(1)"}}`, "agent.image"},
		{"agent image http", `{"id":2,"kind":"agent","at":0,"text":"x","agent":{"name":"A","image":"http://evil.example/a.png"}}`, "agent.image"},
		{"form field type", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"attachments":[{"kind":"form","fields":[{"name":"e","type":"hidden"}]}]}`, "fields[0].type"},
		{"agent name too long", `{"id":2,"kind":"agent","at":0,"text":"x","agent":{"name":"` + strings.Repeat("a", widget.MaxAgentNameLen+1) + `"}}`, "agent.name"},
		{"text too long", `{"id":2,"kind":"agent","at":0,"text":"` + strings.Repeat("a", widget.MaxTextLen+1) + `"}`, "text"},
		{"visitor text too long", `{"id":2,"kind":"visitor","at":0,"text":"` + strings.Repeat("a", widget.MaxVisitorMessageLen+1) + `"}`, "text"},
		{"too many suggestions", `{"id":2,"kind":"trigger","triggerId":"t","at":0,"text":"x","agent":{"name":"A"},"suggestions":["1","2","3","4","5"]}`, "suggestions"},
		{"unknown kind", `{"id":2,"kind":"html","at":0,"text":"x"}`, "kind"},
		{"attachments on a visitor line", `{"id":2,"kind":"visitor","at":0,"text":"x","attachments":[{"kind":"link","url":"https://ok.example/","title":"x"}]}`, "attachments"},
		{"retired on a visitor line", `{"id":2,"kind":"visitor","at":0,"text":"x","retired":true}`, "attachments"},
		{"duplicate id", `{"id":1,"kind":"visitor","at":0,"text":"again"}`, "id"},
		{"no id", `{"kind":"visitor","at":0,"text":"x"}`, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			store := widget.NewMemoryStorage()
			plantVisit(t, store, goodLine, tc.line)
			r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
			tr := r.eng.Transcript()
			if len(tr) != 1 || tr[0].ID != 1 || tr[0].Text != "Hello" {
				t.Errorf("transcript = %+v, want only the valid line", tr)
			}
			errs := r.errorsWithCode(widget.ErrStorage)
			if len(errs) != 1 || !strings.Contains(errs[0].Message, "message ") || !strings.Contains(errs[0].Message, tc.want) {
				t.Errorf("storage errors = %+v, want one naming the dropped message and %q", errs, tc.want)
			}
			// Nothing refused reaches the renderer.
			for _, ef := range r.rec.every() {
				if ef.Kind == widget.EffectShow || ef.Kind == widget.EffectUpdate {
					t.Errorf("unexpected %v of %+v", ef.Kind, ef.Entry)
				}
			}
		})
	}
}

func TestStoredState_ValidLinesKept(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	plantVisit(t, store, goodLine,
		`{"id":2,"kind":"visitor","at":1,"text":"<b>hi</b>"}`,
		`{"id":3,"kind":"agent","at":2,"text":"hello","agent":{"name":""}}`,
		`{"id":4,"kind":"trigger","triggerId":"t","at":3,"agent":{"name":"A"},"attachments":[{"kind":"link","url":"https://ok.example/","title":"ok"},{"kind":"image","url":"img/a.png"},{"kind":"form","fields":[{"name":"email","type":"email"}]}],"suggestions":["Yes"]}`,
		`{"id":5,"kind":"system","at":4,"text":"The chat has ended"}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	if tr := r.eng.Transcript(); len(tr) != 5 {
		t.Errorf("transcript has %d lines, want the 5 valid ones: %+v", len(tr), tr)
	}
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 0 {
		t.Errorf("storage errors for valid lines: %+v", errs)
	}
}

func TestStoredState_OtherFieldsChecked(t *testing.T) {
	t.Parallel()
	store := widget.NewMemoryStorage()
	raw := `{"v":1,"start":` + itoa64(ms(0)) + `,"last":` + itoa64(ms(0)) + `,"pages":1,"status":"<img>","chat":{"state":"hacked","seq":0},"next":0}`
	_ = store.Set(widget.KeyVisit, raw)
	_ = store.Set(widget.KeyVisitor, `{"v":1,"visits":1,"tags":["ok","`+strings.Repeat("t", widget.MaxTagLen+1)+`"],"attrs":{"plan":"pro","x":"`+strings.Repeat("v", widget.MaxAttrValueLen+1)+`"}}`)
	r := startRig(t, compileOK(t, setOf(siteT("welcome", 60))), widget.NewManualClock(t0), store, false)
	s := r.eng.Snapshot()
	if s.Status != widget.StatusOnline || s.Chat != widget.ChatNone {
		t.Errorf("status %q, chat %q: want the planted values refused", s.Status, s.Chat)
	}
	if len(s.Tags) != 1 || s.Tags[0] != "ok" || len(s.Attrs) != 1 || s.Attrs["plan"] != "pro" {
		t.Errorf("tags %q, attributes %v: want the over-long ones dropped", s.Tags, s.Attrs)
	}
	if errs := r.errorsWithCode(widget.ErrStorage); len(errs) != 4 {
		t.Errorf("storage errors = %+v, want 4 (status, chat, a tag, an attribute)", errs)
	}
}
