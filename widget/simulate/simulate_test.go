package simulate

import (
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// timeline runs a journey against a set and returns its lines as text.
func timeline(t *testing.T, set, journey string) string {
	t.Helper()
	c, problems := widget.Load([]byte(set))
	if c == nil || len(problems) > 0 {
		t.Fatalf("set: %v", problems)
	}
	j, err := ParseJourney([]byte(journey))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, l := range Run(c, j, Options{}).Lines {
		b.WriteString(RelTime(l.At) + " " + l.Label + " " + l.Detail + "\n")
	}
	return b.String()
}

// TestRun_FiredLineStaysWhole: actions that change the visitor before the
// first message do not split the FIRED line from its message.
func TestRun_FiredLineStaysWhole(t *testing.T) {
	t.Parallel()
	got := timeline(t, `{"version":1,"property":"acme","triggers":[
	 {"id":"vip","type":"advanced","event":"page_view","actions":[
	   {"type":"add_tags","tags":["seen"]},
	   {"type":"set_attr","key":"seg","value":"a"},
	   {"type":"send_message","message":{"text":"Welcome back"},"agent":{"name":"Bot"}}]}]}`,
		`{"steps":[{"at":0,"event":"page_view","url":"https://a.test/"}]}`)
	want := `+00:00.0 page_view https://a.test/
+00:00.0 FIRED vip (advanced) — Bot: "Welcome back"
+00:00.0 tagged seen
+00:00.0 attribute seg=a
+01:00:00 end one hour after the last step
`
	if got != want {
		t.Errorf("timeline:\n%s\nwant:\n%s", got, want)
	}
}

// TestRun_NetVisitorChanges: a tag added and removed in one go, or an
// attribute set to the value it had, is no news.
func TestRun_NetVisitorChanges(t *testing.T) {
	t.Parallel()
	got := timeline(t, `{"version":1,"property":"acme","triggers":[
	 {"id":"churn","type":"advanced","event":"page_view","actions":[
	   {"type":"add_tags","tags":["tmp"]},
	   {"type":"remove_tags","tags":["tmp"]},
	   {"type":"set_attr","key":"plan","value":"free"},
	   {"type":"set_attr","key":"seg","value":"b"}]}]}`,
		`{"visitor":{"attrs":{"plan":"free"}},"steps":[{"at":0,"event":"page_view","url":"https://a.test/"},{"at":1,"event":"end"}]}`)
	if strings.Contains(got, "tmp") || strings.Contains(got, "plan") || !strings.Contains(got, "attribute seg=b") {
		t.Errorf("timeline:\n%s\nwant only seg=b among the visitor's changes", got)
	}
}

// TestRun_NewVisitForgetsMessages: once a new visit has begun, a
// suggestion step names a message the new visit does not have.
func TestRun_NewVisitForgetsMessages(t *testing.T) {
	t.Parallel()
	got := timeline(t, `{"version":1,"property":"acme","triggers":[
	 {"id":"hi","type":"site","oncePerVisitor":true,"message":{"text":"Hi"},"agent":{"name":"Bot"},"suggestions":["Yes"]}]}`,
		`{"steps":[{"at":0,"event":"page_view","url":"https://a.test/"},{"at":1900,"event":"page_view","url":"https://a.test/b"},{"at":1901,"event":"suggestion","trigger":"hi","index":0},{"at":1902,"event":"end"}]}`)
	if !strings.Contains(got, `rejected steps[2] (suggestion): no message from trigger "hi" in the transcript`) {
		t.Errorf("timeline:\n%s\nwant the suggestion of the ended visit rejected", got)
	}
}
