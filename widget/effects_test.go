package widget_test

// Effects are the engine's only output: everything a platform or the
// simulator reports must be readable from them. These tests check each
// report effect against what the engine did.

import (
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/triggerwidget/triggerwidget/widget"
)

func TestEffects_ArmedOnceWithDue(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5), pageT("pricing", 10, "starts_with", "/pricing"), siteT("now", 0))
	r.view("/pricing")
	armed := r.rec.of(widget.EffectArmed)
	var got []string
	for _, ef := range armed {
		got = append(got, ef.TriggerID+"@"+time.UnixMilli(ef.Due).Sub(t0).String())
	}
	// Earliest first; a no-delay trigger fires at once and is never armed.
	if want := []string{"welcome@5s", "pricing@10s"}; !reflect.DeepEqual(got, want) {
		t.Errorf("armed = %q, want %q", got, want)
	}
	r.at(2 * s1)
	r.view("/pricing/pro") // the same countdowns go on: no new report
	if n := len(r.rec.of(widget.EffectArmed)); n != 2 {
		t.Errorf("%d armed effects after a page view that changed nothing, want 2", n)
	}
	r.at(3 * s1)
	r.view("/docs") // pricing's countdown stops
	r.wantCancelled("pricing", widget.HeldLeftPage)
	if widget.ReasonText(widget.HeldLeftPage) == "" {
		t.Errorf("left_page has no wording")
	}
}

func TestEffects_CancelReasonsAreTheClosedSet(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 5), pageT("pricing", 10, "exact", "/pricing"), rescueT("rescue", 30), maxT("opened", 5))
	r.view("/pricing")
	r.eng.SetMaximized(true)
	r.eng.SetMaximized(false)
	_ = r.eng.VisitorMessage("hi")
	r.eng.ChatEnded()
	_ = r.eng.VisitorMessage("again")
	r.eng.AgentJoined("Bob")
	r.view("/docs")
	_ = r.eng.SetStatus(widget.StatusAway)
	r.at(time.Hour)
	for _, ef := range r.rec.of(widget.EffectCancelled) {
		if widget.ReasonText(ef.Reason) == "" {
			t.Errorf("cancelled %s with reason %q, not in CancelReasons", ef.TriggerID, ef.Reason)
		}
	}
	if len(r.rec.of(widget.EffectCancelled)) < 4 {
		t.Errorf("only %d cancellations: the test did not exercise the reasons", len(r.rec.of(widget.EffectCancelled)))
	}
}

func TestEffects_WaitingAndActionChanges(t *testing.T) {
	t.Parallel()
	r := newAdvRig(t, widget.Options{}, advT("adv", widget.EventPageView, nil,
		say("first"), addTagsA("Lead", "lead"), setAttrA("plan", `"pro"`), waitA(5), removeTagsA("lead")))
	if err := r.eng.AddTags([]string{"vip"}); err != nil {
		t.Fatal(err)
	}
	r.view("/")
	waits := r.rec.of(widget.EffectWaiting)
	if len(waits) != 1 || waits[0].TriggerID != "adv" || waits[0].Due != ms(5*s1) || waits[0].Step != 4 {
		t.Fatalf("waiting = %+v, want adv until +5s before action 4", waits)
	}
	tags := r.rec.of(widget.EffectTags)
	if len(tags) != 2 || tags[0].TriggerID != "" || tags[1].TriggerID != "adv" ||
		!reflect.DeepEqual(tags[1].Added, []string{"Lead"}) || !reflect.DeepEqual(tags[1].Tags, []string{"vip", "Lead"}) {
		t.Fatalf("tags = %+v, want the host's vip, then adv adding Lead once", tags)
	}
	attrs := r.rec.of(widget.EffectAttributes)
	if len(attrs) != 1 || attrs[0].TriggerID != "adv" || !reflect.DeepEqual(attrs[0].Attrs, map[string]string{"plan": "pro"}) {
		t.Fatalf("attributes = %+v", attrs)
	}
	r.at(5 * s1)
	tags = r.rec.of(widget.EffectTags)
	if len(tags) != 3 || !reflect.DeepEqual(tags[2].Removed, []string{"Lead"}) || !reflect.DeepEqual(tags[2].Tags, []string{"vip"}) {
		t.Errorf("after the wait, tags = %+v, want Lead removed", tags)
	}
	if err := r.eng.SetAttributes(map[string]string{"plan": ""}); err != nil {
		t.Fatal(err)
	}
	attrs = r.rec.of(widget.EffectAttributes)
	if len(attrs) != 2 || attrs[1].TriggerID != "" || !reflect.DeepEqual(attrs[1].Attrs, map[string]string{"plan": ""}) {
		t.Errorf("after the host removed it, attributes = %+v, want plan removed", attrs)
	}
	// Removing what is not there, or setting what is already set, is not
	// a change.
	r.eng.RemoveTags([]string{"nope"})
	if err := r.eng.SetAttributes(map[string]string{"gone": ""}); err != nil {
		t.Fatal(err)
	}
	if n, m := len(r.rec.of(widget.EffectTags)), len(r.rec.of(widget.EffectAttributes)); n != 3 || m != 2 {
		t.Errorf("no-op changes were reported: %d tag and %d attribute effects", n, m)
	}
}

func TestEffects_VisitorMessageSources(t *testing.T) {
	t.Parallel()
	welcome := with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes"} })
	r := newRig(t, welcome)
	r.view("/")
	entry := r.rec.of(widget.EffectFired)[0].Entry
	if _, err := r.eng.UseSuggestion(entry.ID, 0); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.VisitorMessage("from the host"); err != nil {
		t.Fatal(err)
	}
	if err := r.eng.SendInput("typed"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ef := range r.rec.of(widget.EffectVisitorMessage) {
		got = append(got, ef.Source+":"+ef.Text)
	}
	if want := []string{"suggestion:Yes", "host:from the host", "input:typed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("visitor messages = %q, want %q", got, want)
	}
	used := r.rec.of(widget.EffectSuggestion)
	if len(used) != 1 || used[0].TriggerID != "welcome" || used[0].Entry.ID != entry.ID || used[0].Index != 0 || used[0].Text != "Yes" || !used[0].Entry.Retired {
		t.Errorf("suggestion effects = %+v", used)
	}
	if err := r.eng.SendInput("  "); err == nil {
		t.Errorf("an empty input was accepted")
	}
}

// TestUseSuggestion_ConcurrentClicksSendOnce: two clicks on the same button
// at once (a double click, two tabs' events) send the text once.
func TestUseSuggestion_ConcurrentClicksSendOnce(t *testing.T) {
	t.Parallel()
	for range 50 {
		welcome := with(siteT("welcome", 0), func(t *widget.Trigger) { t.Suggestions = []string{"Yes", "No"} })
		r := newRig(t, welcome)
		r.view("/")
		entry := r.rec.of(widget.EffectFired)[0].Entry
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = r.eng.UseSuggestion(entry.ID, i%2)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			}
		}
		sent := r.rec.of(widget.EffectVisitorMessage)
		if ok != 1 || len(sent) != 1 || len(r.rec.of(widget.EffectSuggestion)) != 1 {
			t.Fatalf("%d clicks succeeded and %d messages were sent, want 1 and 1 (errors: %v)", ok, len(sent), errs)
		}
	}
}

func TestEffects_FormSent(t *testing.T) {
	t.Parallel()
	s := setOf(with(siteT("ask", 0), func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "lead"} }))
	s.Shortcuts = []widget.Shortcut{{ID: "lead", Text: "Leave your details", Attachments: []widget.Attachment{
		{Kind: widget.AttachForm, Fields: []widget.FormField{{Name: "email", Type: "email", Required: true}, {Name: "name"}}},
	}}}
	r := startRig(t, compileOK(t, s), widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	r.view("/")
	entry := r.rec.of(widget.EffectFired)[0].Entry
	if _, err := r.eng.SubmitForm(entry.ID, map[string]string{"name": "Ann"}); err == nil {
		t.Fatalf("a form without its required email was accepted")
	}
	if n := len(r.rec.of(widget.EffectForm)); n != 0 {
		t.Fatalf("%d form effects for a refused submission", n)
	}
	fields := map[string]string{"email": "ann@x.test", "name": " Ann "}
	id, err := r.eng.SubmitForm(entry.ID, fields)
	if err != nil || id != "ask" {
		t.Fatalf("SubmitForm = %q, %v", id, err)
	}
	forms := r.rec.of(widget.EffectForm)
	if len(forms) != 1 || forms[0].TriggerID != "ask" || forms[0].Entry.ID != entry.ID || !reflect.DeepEqual(forms[0].Attrs, fields) {
		t.Errorf("form effects = %+v", forms)
	}
	// The name/email rule is applied once, in the engine, and reported as
	// the visitor's own change (no trigger).
	attrs := r.rec.of(widget.EffectAttributes)
	if len(attrs) != 1 || attrs[0].TriggerID != "" || !reflect.DeepEqual(attrs[0].Attrs, map[string]string{"email": "ann@x.test", "name": "Ann"}) {
		t.Errorf("attribute effects = %+v", attrs)
	}
	if _, err := r.eng.SubmitForm(entry.ID, fields); err == nil {
		t.Errorf("the same form was accepted twice")
	}
}

func TestToggleMaximized_EngineDecides(t *testing.T) {
	t.Parallel()
	r := newRig(t, maxT("opened", 0))
	r.view("/")
	r.eng.ToggleMaximized()
	r.eng.ToggleMaximized()
	r.eng.ToggleMaximized()
	var got []bool
	for _, ef := range r.rec.of(widget.EffectMaximize) {
		got = append(got, ef.Maximized)
	}
	if !reflect.DeepEqual(got, []bool{true, false, true}) || !r.eng.Maximized() {
		t.Errorf("maximize effects = %v, open = %v; want true, false, true and open", got, r.eng.Maximized())
	}
}

// Bookkeeping that had no test.

func TestVisitorLimits(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("welcome", 0))
	r.view("/")
	tags := make([]string, widget.MaxTags)
	attrs := map[string]string{}
	for i := range tags {
		tags[i] = "t" + strconv.Itoa(i)
		attrs["k"+strconv.Itoa(i)] = "v"
	}
	if err := r.eng.AddTags(tags); err != nil {
		t.Fatalf("%d tags: %v", len(tags), err)
	}
	if err := r.eng.AddTags([]string{"one-more"}); err == nil {
		t.Errorf("tag %d was accepted", widget.MaxTags+1)
	}
	if err := r.eng.AddTags([]string{"T0"}); err != nil {
		t.Errorf("a tag the visitor has (in another case) counts again: %v", err)
	}
	if err := r.eng.SetAttributes(attrs); err != nil {
		t.Fatalf("%d attributes: %v", len(attrs), err)
	}
	if err := r.eng.SetAttributes(map[string]string{"one-more": "x"}); err == nil {
		t.Errorf("attribute %d was accepted", widget.MaxAttrs+1)
	}
	if err := r.eng.SetAttributes(map[string]string{"k0": "", "one-more": "x"}); err != nil {
		t.Errorf("replacing one attribute by another was refused: %v", err)
	}
	snap := r.eng.Snapshot()
	if len(snap.Tags) != widget.MaxTags || len(snap.Attrs) != widget.MaxAttrs || snap.Attrs["one-more"] != "x" {
		t.Errorf("visitor has %d tags and %d attributes", len(snap.Tags), len(snap.Attrs))
	}
}

// TestReload_DropsStaleCountdowns: a countdown saved for a trigger that the
// new trigger set no longer has is dropped on load, never fired.
func TestReload_DropsStaleCountdowns(t *testing.T) {
	t.Parallel()
	r := newRig(t, siteT("old", 10), siteT("kept", 20))
	r.view("/")
	r.at(2 * s1)
	r.eng.Stop()
	next := startRig(t, compileOK(t, setOf(siteT("kept", 20))), r.clock, r.store, false)
	next.view("/")
	next.at(time.Minute)
	if got := next.rec.fired(); !reflect.DeepEqual(got, []string{"kept"}) {
		t.Errorf("fired %q after reload, want only kept", got)
	}
	for _, a := range next.eng.Snapshot().Armed {
		if a.TriggerID == "old" {
			t.Errorf("the removed trigger is still armed")
		}
	}
}

// TestAgentOpenedChat_IsANewChat: an agent who opens a chat after the last
// one ended starts a new chat, so chat rescue, which fired in the first
// chat, is not "already fired" in this one.
func TestAgentOpenedChat_IsANewChat(t *testing.T) {
	t.Parallel()
	r := newRig(t, rescueT("rescue", 10))
	r.view("/")
	_ = r.eng.VisitorMessage("hello?")
	r.at(10 * s1)
	r.wantFired("rescue")
	r.eng.ChatEnded()
	if x := r.explain("rescue"); x.State != widget.StateFired {
		t.Fatalf("after the chat ended, rescue is %s, want fired (for that chat)", x.State)
	}
	r.eng.AgentJoined("Bob") // the agent opens a new chat
	if x := r.explain("rescue"); x.State == widget.StateFired {
		t.Errorf("in the chat the agent opened, rescue still counts as fired: %+v", x)
	}
	if got := r.eng.Snapshot().Chat; got != widget.ChatServed {
		t.Errorf("chat = %s, want served", got)
	}
}

// TestSubmitForm_AfterIdleTimeoutRefused: a form left on screen past the
// end of the visit belongs to a transcript that is gone: sending it is
// refused, and nothing is recorded about the visitor.
func TestSubmitForm_AfterIdleTimeoutRefused(t *testing.T) {
	t.Parallel()
	s := setOf(with(siteT("ask", 0), func(t *widget.Trigger) { t.Message = &widget.Message{Shortcut: "lead"} }))
	s.Shortcuts = []widget.Shortcut{{ID: "lead", Text: "Your email?", Attachments: []widget.Attachment{
		{Kind: widget.AttachForm, Fields: []widget.FormField{{Name: "email", Type: "email"}}},
	}}}
	r := startRig(t, compileOK(t, s), widget.NewManualClock(t0), widget.NewMemoryStorage(), false)
	r.view("/")
	entry := r.rec.of(widget.EffectFired)[0].Entry
	r.at(widget.VisitTimeout + min1)
	if _, err := r.eng.SubmitForm(entry.ID, map[string]string{"email": "ann@x.test"}); err == nil {
		t.Fatalf("a form of the previous visit was accepted")
	}
	if n := len(r.rec.of(widget.EffectForm)); n != 0 {
		t.Errorf("%d form effects", n)
	}
	if got := r.eng.Snapshot().Attrs["email"]; got != "" {
		t.Errorf("email = %q was recorded from a refused form", got)
	}
}

// TestToggleMaximized_AfterIdleTimeout: the widget is still open on the
// page after 31 idle minutes; the visitor's click closes it.
func TestToggleMaximized_AfterIdleTimeout(t *testing.T) {
	t.Parallel()
	r := newRig(t, maxT("opened", 0))
	r.view("/")
	r.eng.ToggleMaximized()
	r.at(widget.VisitTimeout + min1)
	r.eng.ToggleMaximized()
	max := r.rec.of(widget.EffectMaximize)
	if len(max) != 2 || max[1].Maximized || r.eng.Maximized() {
		t.Errorf("maximize effects = %+v, open = %v; want the second click to close the widget", max, r.eng.Maximized())
	}
	if visits := r.rec.of(widget.EffectVisit); len(visits) != 2 || visits[1].Index != 2 {
		t.Errorf("visit effects = %+v, want the first and the second visit", visits)
	}
}
