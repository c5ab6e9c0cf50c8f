package widget_test

import (
	"reflect"
	"strings"
	"testing"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"

	"github.com/triggerwidget/triggerwidget/widget"
)

// spec7 is the example trigger set of docs/format.md's first version, kept verbatim.
const spec7 = `{
  "version": 1,
  "property": "acme",
  "timezone": "Europe/Paris",
  "status": "online",
  "triggers": [
    {
      "id": "welcome",
      "name": "Message de bienvenue",
      "type": "site",
      "enabled": true,
      "delay": 5,
      "oncePerVisitor": false,
      "message": { "text": "Bonjour 👋 Comment pouvons-nous vous aider ?" },
      "agent": { "name": "Apollo", "image": "avatars/robot.svg" },
      "suggestions": ["Tarifs", "Parler à un humain"]
    },
    {
      "id": "pricing-help",
      "name": "Pricing page",
      "type": "page",
      "delay": 10,
      "url": { "match": "starts_with", "value": "/pricing" },
      "message": { "shortcut": "price-list" },
      "agent": { "name": "Maya", "image": "https://cdn.example.com/maya.png" }
    },
    {
      "id": "rescue",
      "name": "Chat rescue",
      "type": "chat_rescue",
      "delay": 30,
      "message": { "text": "Sorry for the wait! Leave your email and we will write back." },
      "agent": { "name": "Support" }
    },
    {
      "id": "opened",
      "name": "Widget opened",
      "type": "maximized",
      "delay": 0,
      "message": { "text": "Hi! Ask us anything." },
      "agent": { "name": "Support" },
      "suggestions": ["Shipping", "Returns"]
    },
    {
      "id": "hesitant-buyer",
      "name": "Returning visitor, 30 s on pricing",
      "type": "advanced",
      "oncePerVisitor": true,
      "event": "page_view",
      "match": "all",
      "conditions": [
        { "field": "page.path", "op": "starts_with", "value": "/pricing" },
        { "field": "visit.time_on_page", "op": "gte", "value": 30 },
        { "field": "visitor.returning", "op": "eq", "value": true }
      ],
      "actions": [
        { "type": "send_message", "message": { "text": "Need a hand choosing a plan?" },
          "agent": { "name": "Maya" }, "suggestions": ["Yes please", "Just looking"] },
        { "type": "wait", "seconds": 5 },
        { "type": "add_tags", "tags": ["pricing-interest"] }
      ]
    }
  ],
  "shortcuts": [
    {
      "id": "price-list",
      "text": "Here is our price list:",
      "attachments": [
        { "kind": "file", "url": "https://cdn.example.com/prices.pdf", "name": "prices.pdf", "size": 183000 },
        { "kind": "image", "url": "https://cdn.example.com/plans.png", "alt": "Plans" },
        { "kind": "link", "url": "https://example.com/compare", "title": "Compare plans" },
        { "kind": "form", "submit": "Send",
          "fields": [ { "name": "email", "label": "Email", "type": "email", "required": true } ] }
      ]
    }
  ]
}`

// parseSpec7 parses the documented example; without the advanced trigger when
// basicOnly, since this runtime version does not support advanced triggers.
func parseSpec7(t *testing.T, basicOnly bool) *widget.Set {
	t.Helper()
	s, err := widget.ParseSet([]byte(spec7))
	if err != nil {
		t.Fatalf("ParseSet(documented example): %v", err)
	}
	if basicOnly {
		kept := s.Triggers[:0]
		for _, tr := range s.Triggers {
			if tr.Type != widget.TypeAdvanced {
				kept = append(kept, tr)
			}
		}
		s.Triggers = kept
	}
	return s
}

func marshalSet(t *testing.T, s *widget.Set) []byte {
	t.Helper()
	var w jwriter.Writer
	s.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatalf("MarshalEasyJSON: %v", err)
	}
	return b
}

func TestParseSet_Spec7Fields(t *testing.T) {
	t.Parallel()
	s := parseSpec7(t, false)
	if s.Version != 1 || s.Property != "acme" || s.Timezone != "Europe/Paris" || s.Status != "online" {
		t.Errorf("set header = %d %q %q %q, want 1 acme Europe/Paris online", s.Version, s.Property, s.Timezone, s.Status)
	}
	if len(s.Triggers) != 5 || len(s.Shortcuts) != 1 {
		t.Fatalf("got %d triggers and %d shortcuts, want 5 and 1", len(s.Triggers), len(s.Shortcuts))
	}
	w := s.Triggers[0]
	if w.ID != "welcome" || w.Type != "site" || w.Delay != 5 || !w.IsEnabled() || w.OncePerVisitor {
		t.Errorf("welcome = %+v", w)
	}
	if w.Message == nil || w.Message.Text != "Bonjour 👋 Comment pouvons-nous vous aider ?" {
		t.Errorf("welcome message = %+v", w.Message)
	}
	if !reflect.DeepEqual(w.Suggestions, []string{"Tarifs", "Parler à un humain"}) {
		t.Errorf("welcome suggestions = %q", w.Suggestions)
	}
	p := s.Triggers[1]
	if p.URL == nil || *p.URL != (widget.URLRule{Match: "starts_with", Value: "/pricing"}) {
		t.Errorf("pricing-help url = %+v", p.URL)
	}
	if p.Message == nil || p.Message.Shortcut != "price-list" {
		t.Errorf("pricing-help message = %+v", p.Message)
	}
	if !p.IsEnabled() {
		t.Errorf("pricing-help has no enabled field, so it must default to enabled")
	}
	adv := s.Triggers[4]
	if len(adv.Conditions) != 3 || string(adv.Conditions[1].Value) != "30" || string(adv.Conditions[2].Value) != "true" {
		t.Errorf("advanced conditions = %+v", adv.Conditions)
	}
	if len(adv.Actions) != 3 || adv.Actions[1].Seconds != 5 || !reflect.DeepEqual(adv.Actions[2].Tags, []string{"pricing-interest"}) {
		t.Errorf("advanced actions = %+v", adv.Actions)
	}
	atts := s.Shortcuts[0].Attachments
	if len(atts) != 4 || atts[0].Size != 183000 || atts[3].Fields[0].Name != "email" || !atts[3].Fields[0].Required {
		t.Errorf("shortcut attachments = %+v", atts)
	}
}

// TestSpec7_FullExampleValid: the whole documented example, advanced trigger
// included, validates and compiles with nothing skipped.
func TestSpec7_FullExampleValid(t *testing.T) {
	t.Parallel()
	s := parseSpec7(t, false)
	if err := widget.Validate(s); err != nil {
		t.Fatalf("Validate(documented example) = %v, want nil", err)
	}
	c := widget.Compile(s)
	if got := triggerIDs(c); !reflect.DeepEqual(got, []string{"welcome", "pricing-help", "rescue", "opened", "hesitant-buyer"}) {
		t.Errorf("compiled triggers = %q", got)
	}
	if len(c.Skipped) != 0 {
		t.Errorf("Skipped = %q, want none", c.Skipped)
	}
}

func TestSpec7_BasicTriggersValid(t *testing.T) {
	t.Parallel()
	s := parseSpec7(t, true)
	if err := widget.Validate(s); err != nil {
		t.Fatalf("Validate(documented example without advanced) = %v, want nil", err)
	}
	c := widget.Compile(s)
	if len(c.Problems) != 0 || len(c.Skipped) != 0 {
		t.Errorf("Compile: problems %v, skipped %q; want none", c.Problems, c.Skipped)
	}
	if c.Property != "acme" || c.Status != "online" || c.Timezone != "Europe/Paris" {
		t.Errorf("compiled header = %q %q %q", c.Property, c.Status, c.Timezone)
	}
	ph := c.Trigger("pricing-help")
	if ph == nil {
		t.Fatal("pricing-help not compiled")
	}
	if ph.Text != "Here is our price list:" || len(ph.Attachments) != 4 || ph.Attachments[2].Title != "Compare plans" {
		t.Errorf("pricing-help resolved message = %q %+v", ph.Text, ph.Attachments)
	}
	if ph.Delay != 10000 || ph.Index != 1 || !ph.Enabled {
		t.Errorf("pricing-help delay/index/enabled = %d/%d/%v, want 10000/1/true", ph.Delay, ph.Index, ph.Enabled)
	}
	u := widget.ParsePageURL("https://acme.test/pricing/team")
	if !ph.MatchesURL(&u) {
		t.Errorf("pricing-help does not match %s", u.String())
	}
	if w := c.Trigger("welcome"); w == nil || w.Agent.Image != "avatars/robot.svg" || w.Delay != 5000 {
		t.Errorf("welcome = %+v", w)
	}
}

// TestSet_RoundTrip: ParseSet → MarshalEasyJSON → ParseSet gives the same Set,
// for the full documented example (advanced trigger included: ParseSet does not
// validate) and for its basic part.
func TestSet_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, basic := range []bool{false, true} {
		name := "full"
		if basic {
			name = "basic only"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s1 := parseSpec7(t, basic)
			out := marshalSet(t, s1)
			s2, err := widget.ParseSet(out)
			if err != nil {
				t.Fatalf("ParseSet(marshalled) = %v\n%s", err, out)
			}
			if !reflect.DeepEqual(s1, s2) {
				t.Errorf("round trip changed the set:\nfirst:  %+v\nsecond: %+v\njson: %s", s1, s2, out)
			}
			// A second trip is byte-stable.
			if out2 := marshalSet(t, s2); string(out2) != string(out) {
				t.Errorf("marshal is not stable:\n%s\n%s", out, out2)
			}
		})
	}
}

// TestSet_MarshalKeepsPublicNames checks the public field names survive
// marshalling (site owners keep these documents in version control).
func TestSet_MarshalKeepsPublicNames(t *testing.T) {
	t.Parallel()
	out := string(marshalSet(t, parseSpec7(t, false)))
	for _, name := range []string{
		`"version":1`, `"property":"acme"`, `"timezone":"Europe/Paris"`, `"status":"online"`,
		`"triggers":`, `"shortcuts":`, `"oncePerVisitor":true`, `"delay":10`, `"url":{"match":"starts_with","value":"/pricing"}`,
		`"message":{"shortcut":"price-list"}`, `"agent":{"name":"Maya","image":"https://cdn.example.com/maya.png"}`,
		`"suggestions":["Shipping","Returns"]`, `"event":"page_view"`, `"match":"all"`, `"conditions":`, `"actions":`,
		`"seconds":5`, `"tags":["pricing-interest"]`, `"attachments":`, `"kind":"form"`, `"required":true`,
	} {
		if !strings.Contains(out, name) {
			t.Errorf("marshalled set lacks %s\n%s", name, out)
		}
	}
}
