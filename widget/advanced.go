package widget

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mailru/easyjson/jlexer"
)

// Advanced-trigger actions (SPEC §4).
const (
	ActionSendMessage = "send_message"
	ActionWait        = "wait"
	ActionAddTags     = "add_tags"
	ActionRemoveTags  = "remove_tags"
	ActionSetAttr     = "set_attr"
	ActionMaximize    = "maximize"
	ActionEmit        = "emit"
)

// MaxEmitDataBytes bounds an emit action's data.
const MaxEmitDataBytes = 4096

// action is a compiled action: its message resolved, its value a string.
type action struct {
	typ     string
	msg     resolvedMessage
	seconds int64 // ms
	tags    []string
	key     string
	value   string
	name    string
	data    RawJSON
}

type resolvedMessage struct {
	text        string
	attachments []Attachment
	agent       Agent
	suggestions []string
}

// AdvState is an advanced trigger's pending work, kept with the visit so
// that a page load resumes it.
type AdvState struct {
	// Kind is "check" (re-evaluate when a time condition may have become
	// true) or "run" (continue the actions after a wait).
	Kind  string `json:"kind"`
	Step  int    `json:"step,omitempty"`
	Event string `json:"event,omitempty"`
	Name  string `json:"name,omitempty"`
}

// validateAdvanced checks an advanced trigger's event, conditions and actions.
func (v *validator) advanced(t *Trigger, shortcuts map[string]bool) {
	if !contains(advancedEvents, t.Event) {
		if t.Event == "" {
			v.add("event", "missing (one of "+strings.Join(advancedEvents, ", ")+")")
		} else {
			v.add("event", "unknown event "+quote(t.Event)+" (one of "+strings.Join(advancedEvents, ", ")+")")
		}
	}
	if t.Match != "" && t.Match != "all" && t.Match != "any" {
		v.add("match", "must be \"all\" or \"any\", got "+quote(t.Match))
	}
	if t.Delay != 0 {
		v.add("delay", "advanced triggers wait with a wait action, not delay")
	}
	if t.Message != nil {
		v.add("message", "advanced triggers send messages with send_message actions, not a top-level message")
	}
	if len(t.Suggestions) > 0 {
		v.add("suggestions", "advanced triggers give suggestions in their send_message actions, not at the top level")
	}
	if t.URL != nil {
		v.add("url", "advanced triggers select pages with page.url or page.path conditions, not a URL rule")
	}
	if len(t.Conditions) > MaxConditions {
		v.add("conditions", "has "+itoa(len(t.Conditions))+" conditions, more than "+itoa(MaxConditions))
	}
	for i, c := range t.Conditions {
		if _, err := compileCondition(c); err != nil {
			re := err.(*RuleError)
			v.add("conditions["+itoa(i)+"]."+re.Field, re.Problem)
		}
	}
	switch n := len(t.Actions); {
	case n == 0:
		v.add("actions", "an advanced trigger needs at least one action")
	case n > MaxActions:
		v.add("actions", "has "+itoa(n)+" actions, more than "+itoa(MaxActions))
	}
	for i := range t.Actions {
		v.action("actions["+itoa(i)+"]", &t.Actions[i], shortcuts)
	}
}

func (v *validator) action(field string, a *Action, shortcuts map[string]bool) {
	switch a.Type {
	case ActionSendMessage:
		v.message(field+".message", a.Message, shortcuts)
		if a.Agent == nil {
			v.add(field+".agent", "missing: who sends the message")
		} else {
			v.agent(field+".agent", a.Agent)
		}
		v.suggestions(field+".suggestions", a.Suggestions)
	case ActionWait:
		if a.Seconds < 1 || a.Seconds > MaxDelay {
			v.add(field+".seconds", "must be between 1 and "+itoa(MaxDelay)+" seconds, got "+itoa(a.Seconds))
		}
	case ActionAddTags, ActionRemoveTags:
		if len(a.Tags) == 0 {
			v.add(field+".tags", "needs at least one tag")
		}
		for j, tag := range a.Tags {
			if tag = strings.TrimSpace(tag); tag == "" || utf8.RuneCountInString(tag) > MaxTagLen {
				v.add(field+".tags["+itoa(j)+"]", "tags must be 1 to "+itoa(MaxTagLen)+" characters")
			}
		}
	case ActionSetAttr:
		if k := strings.TrimSpace(a.Key); k == "" || len(k) > MaxAttrKeyLen {
			v.add(field+".key", "must be 1 to "+itoa(MaxAttrKeyLen)+" bytes")
		}
		if _, ok := scalarString(a.Value); !ok {
			v.add(field+".value", "must be a text, a number or true/false")
		}
	case ActionMaximize:
	case ActionEmit:
		if n := strings.TrimSpace(a.Name); n == "" || len(n) > MaxEventNameLen {
			v.add(field+".name", "must be 1 to "+itoa(MaxEventNameLen)+" bytes")
		}
		if len(a.Data) > MaxEmitDataBytes {
			v.add(field+".data", "is "+itoa(len(a.Data))+" bytes, more than "+itoa(MaxEmitDataBytes))
		}
	case "":
		v.add(field+".type", "missing (one of send_message, wait, add_tags, remove_tags, set_attr, maximize, emit)")
	default:
		v.add(field+".type", "unknown action "+quote(a.Type)+" (one of send_message, wait, add_tags, remove_tags, set_attr, maximize, emit)")
	}
}

// scalarString reads a JSON text, number or boolean as a string.
func scalarString(raw RawJSON) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	l := jlexer.Lexer{Data: raw}
	switch x := l.Interface().(type) {
	case string:
		return x, l.Error() == nil && utf8.RuneCountInString(x) <= MaxAttrValueLen
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), l.Error() == nil
	case bool:
		return strconv.FormatBool(x), l.Error() == nil
	}
	return "", false
}

// compileAdvanced fills the advanced parts of a validated trigger.
func compileAdvanced(ct *CompiledTrigger, t *Trigger, shortcuts map[string]*Shortcut) {
	ct.event = t.Event
	ct.matchAny = t.Match == "any"
	for _, c := range t.Conditions {
		cc, _ := compileCondition(c) // validated
		ct.conds = append(ct.conds, cc)
		if cc.isTime() {
			ct.hasTime = true
		}
	}
	for _, a := range t.Actions {
		ca := action{typ: a.Type, seconds: int64(a.Seconds) * 1000, tags: a.Tags, key: strings.ToLower(strings.TrimSpace(a.Key)), name: strings.TrimSpace(a.Name), data: a.Data}
		if a.Type == ActionSetAttr {
			ca.value, _ = scalarString(a.Value)
		}
		if a.Type == ActionSendMessage {
			ca.msg = resolve(a.Message, shortcuts)
			if a.Agent != nil {
				ca.msg.agent = *a.Agent
			}
			ca.msg.suggestions = a.Suggestions
		}
		ct.actions = append(ct.actions, ca)
	}
	for _, a := range ct.actions {
		if a.typ == ActionSendMessage {
			ct.Text, ct.Attachments, ct.Agent, ct.Suggestions = a.msg.text, a.msg.attachments, a.msg.agent, a.msg.suggestions
			break
		}
	}
}

func resolve(m *Message, shortcuts map[string]*Shortcut) resolvedMessage {
	var r resolvedMessage
	if m == nil {
		return r
	}
	if sc := shortcuts[m.Shortcut]; m.Shortcut != "" && sc != nil {
		r.text, r.attachments = sc.Text, sc.Attachments
	} else {
		r.text = m.Text
	}
	return r
}

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
		if st, ok := e.visit.Adv[t.ID]; ok && st.Kind == "run" {
			continue // its actions are still running
		}
		e.check(t, event, name, lower, now)
	}
}

// check evaluates t's conditions for an event: it starts the actions when
// they hold, or sets one timer for the next instant a time condition can
// change when only time stands in the way (SPEC §4 deferred conditions).
func (e *Engine) check(t *CompiledTrigger, event, name, lower string, now int64) {
	e.clearAdv(t)
	if ok, why := e.eligible(t); !ok {
		e.last[t.ID] = why
		return
	}
	if !e.online() {
		e.last[t.ID] = HeldStatus
		return
	}
	x := evalContext{e: e, now: now, eventName: name, eventNameLower: lower}
	ok, failed, onlyTime := t.evaluate(&x)
	if len(e.last) > 0 {
		delete(e.last, t.ID)
	}
	if ok {
		e.failed[t.pos] = -1
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
		e.setAdv(t, AdvState{Kind: "check", Event: event, Name: name})
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

// nextTimeChange is the next instant after now at which one of t's time
// conditions can change value.
func (e *Engine) nextTimeChange(t *CompiledTrigger, now int64) int64 {
	next := int64(0)
	consider := func(at int64) {
		if at > now && (next == 0 || at < next) {
			next = at
		}
	}
	for _, c := range t.conds {
		var base int64
		switch c.field {
		case fTimeOnSite:
			base = e.visit.Start
		case fTimeOnPage:
			base = e.pageCtx.start
		case fTimeHour, fTimeWeekday:
			e.localTime(now)
			consider(e.zoneUntil)
			continue
		default:
			continue
		}
		if base == 0 {
			continue
		}
		values := c.nums
		if len(values) == 0 {
			values = []float64{c.num}
		}
		for _, v := range values {
			// Seconds are whole: "≥ 30" becomes true at 30 s, "> 30" at 31 s.
			consider(base + int64(v)*1000)
			consider(base + int64(v+1)*1000)
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
	h, wd, until := e.zone.Local(time.UnixMilli(now), e.set.Timezone)
	e.zoneHour, e.zoneWeekday = h, wd
	e.zoneFrom, e.zoneValid = now, now+until.Milliseconds()
	e.zoneUntil = e.zoneValid
	return h, wd
}

func (e *Engine) setArmed(t *CompiledTrigger, due int64) {
	if e.visit.Armed == nil {
		e.visit.Armed = map[string]int64{}
	}
	e.visit.Armed[t.ID] = due
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
	case "check":
		e.check(t, st.Event, st.Name, strings.ToLower(st.Name), now)
	case "run":
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
			e.setAdv(t, AdvState{Kind: "run", Step: i + 1})
			return
		case ActionSendMessage:
			agent := a.msg.agent
			entry := e.addEntryID(Entry{Kind: EntryTrigger, TriggerID: t.ID, At: now, Text: a.msg.text, Agent: &agent, Attachments: a.msg.attachments, Suggestions: a.msg.suggestions}, reserved)
			reserved = 0
			e.emit(Effect{Kind: EffectShow, TriggerID: t.ID, Entry: entry})
		case ActionAddTags:
			e.addTags(a.tags)
		case ActionRemoveTags:
			e.removeTags(a.tags)
		case ActionSetAttr:
			e.setAttrs(map[string]string{a.key: a.value})
		case ActionMaximize:
			e.setMaximized(true, now)
		case ActionEmit:
			e.emit(Effect{Kind: EffectEmit, TriggerID: t.ID, Name: a.name, Data: a.data})
		}
	}
}
