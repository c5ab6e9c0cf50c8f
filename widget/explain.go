package widget

import "strings"

// Trigger states in an Explanation.
const (
	StateDisabled = "disabled" // enabled is false
	StateWaiting  = "waiting"  // for its event (Waiting says which)
	StateArmed    = "armed"    // counting down to Due
	StateBlocked  = "blocked"  // its event happened but Reason stops it
	StateFired    = "fired"    // at FiredAt, and may not fire again
)

// Explanation says where one trigger stands and why.
//
//easyjson:json
type Explanation struct {
	TriggerID string `json:"triggerId"`
	Type      string `json:"type"`
	State     string `json:"state"`
	// Waiting names the event the trigger waits for, in words.
	Waiting string `json:"waiting,omitempty"`
	// Due is when an armed trigger fires (unix ms).
	Due int64 `json:"due,omitempty"`
	// FiredAt is when it last fired in this visit (unix ms).
	FiredAt int64 `json:"firedAt,omitempty"`
	// Reason is why it is blocked, or why its last countdown stopped (for an
	// advanced trigger: its first failing condition, with the actual value).
	Reason string `json:"reason,omitempty"`
	// Step is the next action an advanced trigger's run will take after
	// its wait (with Due), counted from 0.
	Step int `json:"step,omitempty"`
	// Conditions are an advanced trigger's conditions evaluated now.
	Conditions []ConditionResult `json:"conditions,omitempty"`
}

// ConditionResult is one condition and its value now.
type ConditionResult struct {
	Field  string  `json:"field"`
	Op     string  `json:"op"`
	Value  RawJSON `json:"value,omitempty"`
	Actual string  `json:"actual"`
	Holds  bool    `json:"holds"`
}

// Explanations is what TriggerWidget.explain() returns.
//
//easyjson:json
type Explanations struct {
	Status   string        `json:"status"`
	Chat     string        `json:"chat"`
	Triggers []Explanation `json:"triggers"`
	Skipped  []FieldError  `json:"skipped"`
}

// Explain describes every trigger of the set: fired, armed, blocked (and
// why) or waiting for its event.
func (e *Engine) Explain() Explanations {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := Explanations{Status: e.status(), Chat: e.visit.Chat.State, Triggers: []Explanation{}, Skipped: []FieldError{}}
	if out.Chat == "" {
		out.Chat = ChatNone
	}
	for _, p := range e.set.Problems {
		if p.TriggerID != "" {
			out.Skipped = append(out.Skipped, p)
		}
	}
	for _, t := range e.set.Triggers {
		x := Explanation{TriggerID: t.ID, Type: t.Type, Reason: e.last[t.ID]}
		x.FiredAt = e.visit.Fired[t.ID]
		due, armed := e.visit.Armed[t.ID]
		ok, why := e.eligible(t)
		switch {
		case !t.Enabled:
			x.State, x.Reason = StateDisabled, HeldDisabled
		case t.invalid != nil:
			x.State, x.Reason = StateBlocked, HeldInvalid
		case !ok:
			x.State, x.Reason = StateFired, why
		case armed:
			x.State, x.Due = StateArmed, due
		case !e.online():
			x.State, x.Reason = StateBlocked, HeldStatus
		case (t.Type == TypeSite || t.Type == TypePage || t.Type == TypeMaximized) && e.visit.Chat.State == ChatServed:
			x.State, x.Reason = StateBlocked, HeldServed
		default:
			x.State, x.Waiting = StateWaiting, waitingFor(t, e)
		}
		if t.Type == TypeAdvanced {
			ctx := *e.evalAt(e.now(), "", "")
			if i := e.failed[t.pos]; x.Reason == "" && i >= 0 && i < len(t.conds) {
				c := t.conds[i]
				at := ctx
				at.eventName = e.failedName[t.pos]
				at.eventNameLower = strings.ToLower(at.eventName)
				x.Reason = "condition " + itoa(i+1) + " (" + c.src.Field + " " + c.op + ") is false: " + c.actual(&at)
			}
			for _, c := range t.conds {
				x.Conditions = append(x.Conditions, ConditionResult{Field: c.src.Field, Op: c.op, Value: c.src.Value, Actual: c.actual(&ctx), Holds: c.eval(&ctx)})
			}
			if st, ok := e.running(t); ok {
				x.Waiting = "its wait action to end"
				x.Due = e.visit.Armed[t.ID]
				x.Step = st.Step
			}
		}
		out.Triggers = append(out.Triggers, x)
	}
	return out
}

func waitingFor(t *CompiledTrigger, e *Engine) string {
	switch t.Type {
	case TypeSite:
		return "a page view"
	case TypePage:
		return "a page matching its URL rule"
	case TypeChatRescue:
		return "the visitor's first message of a chat"
	case TypeAdvanced:
		return "its event, " + t.event
	case TypeMaximized:
		if e.visit.Maximized {
			return "the widget to be opened again"
		}
		return "the widget to be opened"
	}
	return "its event"
}
