package widget

import "strings"

// AdvState is an advanced trigger's pending work, kept with the visit so
// that a page load resumes it.
type AdvState struct {
	// Kind is advCheck (re-evaluate when a time condition may have become
	// true) or advRun (continue the actions after a wait).
	Kind  string `json:"kind"`
	Step  int    `json:"step,omitempty"`
	Event string `json:"event,omitempty"`
	Name  string `json:"name,omitempty"`
}

// AdvState kinds.
const (
	advCheck = "check"
	advRun   = "run"
)

// onEvent offers an event to the advanced triggers that wait for it.
func (e *Engine) onEvent(event, name string, now int64) {
	lower := name
	if name != "" {
		lower = strings.ToLower(name)
	}
	for _, t := range e.set.Triggers {
		if t.Type != TypeAdvanced || t.event != event {
			continue
		}
		if _, ok := e.running(t); ok {
			continue // its actions are still running
		}
		e.check(t, event, name, lower, now)
	}
}

// running returns t's run of actions that waits to go on, if any. A run
// counts only with the time it resumes at: without one (a stored time
// dropped as invalid, a merge of two tabs' records, a set that changed the
// trigger's type meanwhile) nothing would ever resume it, and it would
// hold the trigger for the rest of the visit.
func (e *Engine) running(t *CompiledTrigger) (AdvState, bool) {
	st, ok := e.visit.Adv[t.ID]
	if !ok || st.Kind != advRun {
		return st, false
	}
	_, timed := e.visit.Armed[t.ID]
	return st, timed
}

// check evaluates t's conditions for an event: it starts the actions when
// they hold, or sets one timer for the next instant a time condition can
// change when only time stands in the way.
func (e *Engine) check(t *CompiledTrigger, event, name, lower string, now int64) {
	e.clearAdv(t)
	if t.invalid != nil {
		e.last[t.ID] = HeldInvalid
		return
	}
	if ok, why := e.eligible(t); !ok {
		e.last[t.ID] = why
		return
	}
	if !e.online() {
		e.last[t.ID] = HeldStatus
		return
	}
	x := e.evalAt(now, name, lower)
	ok, failed, onlyTime := t.evaluate(x)
	if e.regexFailed(t) {
		return
	}
	if len(e.last) > 0 {
		delete(e.last, t.ID)
	}
	if ok {
		e.failed[t.pos] = -1
		e.fireDueAhead(now, t)
		e.startRun(t, now)
		return
	}
	// Remember which condition failed, and the event's name; Explain
	// renders the condition with the value it had.
	e.failed[t.pos] = failed
	e.failedName[t.pos] = name
	if !onlyTime {
		return
	}
	if next := e.nextTimeChange(t, now); next > now {
		e.setArmed(t, next)
		e.setAdv(t, AdvState{Kind: advCheck, Event: event, Name: name})
	}
}

// evaluate returns whether the conditions hold, the first failing one, and
// whether every failing condition depends on time only (so waiting helps).
func (t *CompiledTrigger) evaluate(x *evalContext) (ok bool, failed int, onlyTime bool) {
	failed = -1
	onlyTime = true
	if len(t.conds) == 0 {
		return true, -1, false
	}
	for i, c := range t.conds {
		if c.eval(x) {
			if t.matchAny {
				return true, -1, false
			}
			continue
		}
		if failed < 0 {
			failed = i
		}
		if !c.isTime() {
			onlyTime = false
		}
	}
	if t.matchAny {
		return false, failed, t.hasTime
	}
	return failed < 0, failed, onlyTime && failed >= 0
}

// evalAt readies the engine's one evaluation context for now and an event
// name. Condition accessors are reached through the field table, so a
// context made on the stack would escape to the heap at every check; the
// engine's lock is held whenever conditions are evaluated, so one suffices.
func (e *Engine) evalAt(now int64, name, lower string) *evalContext {
	e.eval = evalContext{e: e, now: now, eventName: name, eventNameLower: lower}
	return &e.eval
}

// nextTimeChange is the next instant after now at which one of t's time
// conditions can change value.
func (e *Engine) nextTimeChange(t *CompiledTrigger, now int64) int64 {
	next := int64(0)
	consider := func(at int64) {
		if at > now && (next == 0 || at < next) {
			next = at
		}
	}
	x := e.evalAt(now, "", "")
	for _, c := range t.conds {
		if !c.decl.timed() {
			continue
		}
		values := c.nums
		if len(values) == 0 {
			values = []float64{c.num}
		}
		for _, v := range values {
			c.decl.next(x, v, consider)
		}
	}
	return next
}

// localTime returns the hour and weekday in the property's zone, asking the
// Zone at most once per local hour.
func (e *Engine) localTime(now int64) (int, int) {
	if now < e.zoneValid && now >= e.zoneFrom {
		return e.zoneHour, e.zoneWeekday
	}
	h, wd, until := e.zone.Local(now, e.set.Timezone)
	e.zoneHour, e.zoneWeekday = h, wd
	e.zoneFrom, e.zoneValid = now, now+until.Milliseconds()
	e.zoneUntil = e.zoneValid
	return h, wd
}

func (e *Engine) setArmed(t *CompiledTrigger, due int64) {
	if e.visit.Armed == nil {
		e.visit.Armed = map[string]int64{}
	}
	// A condition on a very long time on the site can put the due time
	// past any date; stored, it is kept within what the check reads back.
	e.visit.Armed[t.ID] = min(due, maxTime)
}

func (e *Engine) setAdv(t *CompiledTrigger, st AdvState) {
	if e.visit.Adv == nil {
		e.visit.Adv = map[string]AdvState{}
	}
	e.visit.Adv[t.ID] = st
}

func (e *Engine) clearAdv(t *CompiledTrigger) {
	if len(e.visit.Adv) == 0 {
		return // the common case: nothing pending, no map work
	}
	if _, ok := e.visit.Adv[t.ID]; ok {
		delete(e.visit.Adv, t.ID)
		delete(e.visit.Armed, t.ID)
	}
}

// startRun fires an advanced trigger: it counts as fired now, and its
// actions run in order.
func (e *Engine) startRun(t *CompiledTrigger, now int64) {
	e.markFired(t, now)
	// The message that triggerFired reports is the first one sent before
	// any wait: reserve its transcript id now so that triggerFired and
	// messageShown name the same entry.
	fired := Entry{Kind: EntryTrigger, TriggerID: t.ID, At: now, Text: t.Text, Agent: agentPtr(t.Agent), Attachments: t.Attachments, Suggestions: t.Suggestions}
	reserved := 0
	for _, a := range t.actions {
		if a.typ == ActionWait {
			break
		}
		if a.typ == ActionSendMessage {
			e.visit.NextEntry++
			reserved = e.visit.NextEntry
			fired.ID = reserved
			break
		}
	}
	e.emit(Effect{Kind: EffectFired, TriggerID: t.ID, Entry: fired})
	e.runFrom(t, 0, now, reserved)
}

func agentPtr(a Agent) *Agent {
	if a.Name == "" && a.Image == "" {
		return nil
	}
	return &a
}

// advance is an advanced trigger's timer: a deferred check or the end of a
// wait.
func (e *Engine) advance(t *CompiledTrigger, now int64) {
	st, ok := e.visit.Adv[t.ID]
	delete(e.visit.Armed, t.ID)
	if !ok {
		return
	}
	switch st.Kind {
	case advCheck:
		e.check(t, st.Event, st.Name, strings.ToLower(st.Name), now)
	case advRun:
		delete(e.visit.Adv, t.ID)
		if !e.online() {
			e.last[t.ID] = HeldStatus
			return
		}
		e.runFrom(t, st.Step, now, 0)
	}
}

// runFrom performs t's actions from step on, until a wait. The first
// message sent takes the transcript id reserved for it, if any.
func (e *Engine) runFrom(t *CompiledTrigger, step int, now int64, reserved int) {
	for i := step; i < len(t.actions); i++ {
		a := &t.actions[i]
		switch a.typ {
		case ActionWait:
			e.setArmed(t, now+a.seconds)
			e.setAdv(t, AdvState{Kind: advRun, Step: i + 1})
			return
		case ActionSendMessage:
			agent := a.msg.agent
			entry := e.addEntryID(Entry{Kind: EntryTrigger, TriggerID: t.ID, At: now, Text: a.msg.text, Agent: &agent, Attachments: a.msg.attachments, Suggestions: a.msg.suggestions}, reserved)
			reserved = 0
			e.emit(Effect{Kind: EffectShow, TriggerID: t.ID, Entry: entry})
		case ActionAddTags:
			e.addTags(a.tags, t.ID)
		case ActionRemoveTags:
			e.removeTags(a.tags, t.ID)
		case ActionSetAttr:
			e.setAttrs(map[string]string{a.key: a.value}, t.ID)
		case ActionMaximize:
			e.setMaximized(true, now)
		case ActionEmit:
			e.emit(Effect{Kind: EffectEmit, TriggerID: t.ID, Name: a.name, Data: a.data})
		}
	}
}
