package simulate

import (
	"strings"
	"testing"
	"time"
)

func TestJourneyErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, journey, want string
	}{
		{"unknown event", `{"steps":[{"at":0,"event":"jump"}]}`, `steps[0].event: unknown event "jump"`},
		{"out of order", `{"steps":[{"at":5,"event":"chat_ended"},{"at":4.5,"event":"chat_ended"}]}`, `steps[1].at: 4.5 is before steps[0].at (5): steps must be in time order`},
		{"missing field", `{"steps":[{"at":0,"event":"agent_message","name":"Bob"}]}`, `steps[0].text (agent_message): missing`},
		{"field of another event", `{"steps":[{"at":0,"event":"chat_ended","text":"bye"}]}`, `steps[0].text (chat_ended): unknown field: a chat_ended step takes at and event only`},
		{"missing at", `{"steps":[{"event":"chat_ended"}]}`, `steps[0].at: missing`},
		{"negative at", `{"steps":[{"at":-1,"event":"chat_ended"}]}`, `steps[0].at: must be between 0 and 604800 seconds, got -1`},
		{"bad status", `{"steps":[{"at":0,"event":"status","status":"busy"}]}`, `steps[0].status (status): must be one of online, away, offline, got "busy"`},
		{"bad index", `{"steps":[{"at":0,"event":"suggestion","trigger":"x","index":4}]}`, `steps[0].index (suggestion): must be between 0 and 3, got 4`},
		{"empty tags", `{"steps":[{"at":0,"event":"add_tags","tags":[]}]}`, `steps[0].tags (add_tags): must list at least one tag`},
		{"nested attr", `{"steps":[{"at":0,"event":"set_attributes","attrs":{"a":{"b":1}}}]}`, `steps[0].attrs.a (set_attributes): must be a text, a number, true/false or null`},
		{"end not last", `{"steps":[{"at":0,"event":"end"},{"at":1,"event":"chat_ended"}]}`, `steps[0]: an end step must be the last step`},
		{"no steps", `{"steps":[]}`, `steps: must have at least one step`},
		{"bad start", `{"start":"yesterday","steps":[{"at":0,"event":"end"}]}`, `start: must be an RFC 3339 time`},
		{"unknown top-level", `{"step":[]}`, `step: unknown field: the journey takes start, visitor, steps`},
		{"not an object", `[1]`, `not a valid journey JSON document: the document must be a JSON object`},
		{"syntax", "{\n  \"steps\": [}\n", `not a valid journey JSON document: invalid character '}' looking for beginning of value at line 2, column 13`},
	} {
		_, err := ParseJourney([]byte(c.journey))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: ParseJourney(%s) = %v, want %q", c.name, c.journey, err, c.want)
		}
	}
}

func TestJourneyVisitor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		visitor string
		earlier int
	}{
		{`{}`, 0},
		{`{"returning": true}`, 1},
		{`{"returning": true, "visits": 3}`, 3},
		{`{"visits": 2}`, 2},
		{`{"returning": false}`, 0},
	} {
		j, err := ParseJourney([]byte(`{"visitor":` + c.visitor + `,"steps":[{"at":0,"event":"end"}]}`))
		if err != nil {
			t.Fatalf("%s: %v", c.visitor, err)
		}
		if j.visitor.earlier != c.earlier {
			t.Errorf("visitor %s: %d earlier visits, want %d", c.visitor, j.visitor.earlier, c.earlier)
		}
	}
	j, err := ParseJourney([]byte(`{"visitor":{"name":" Ana ","attrs":{"Plan":"pro","Seats":3,"gone":null},"tags":["a","A"," b "]},"steps":[{"at":0,"event":"end"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := Pairs(j.visitor.attrs); got != "name=Ana, plan=pro, seats=3" {
		t.Errorf("attrs = %s", got)
	}
	if got := strings.Join(j.visitor.tags, ","); got != "a,b" {
		t.Errorf("tags = %s", got)
	}
}

func TestRelTime(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "+00:00.0"},
		{1500 * time.Millisecond, "+00:01.5"},
		{12*time.Second + 340*time.Millisecond, "+00:12.3"},
		{59*time.Minute + 59*time.Second + 940*time.Millisecond, "+59:59.9"},
		{59*time.Minute + 59*time.Second + 960*time.Millisecond, "+00:59:59"},
		{time.Hour, "+01:00:00"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, "+26:03:04"},
	} {
		if got := RelTime(c.d); got != c.want {
			t.Errorf("RelTime(%v) = %s, want %s", c.d, got, c.want)
		}
	}
}
