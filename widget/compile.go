package widget

// Compiled is a trigger set made ready to run: every valid trigger with its
// URL rule compiled and its message resolved, in set order. Compiling never
// fails; a broken trigger is left out and its problems are listed, so the
// runtime can run the rest (SPEC §6).
type Compiled struct {
	Property string
	Status   string // the set's initial status, defaulted to online
	Timezone string
	Triggers []*CompiledTrigger
	// Problems lists every validation problem, including those of the
	// triggers left out.
	Problems []FieldError
	// Skipped lists the ids (or "#N" labels) of the triggers left out.
	Skipped []string
}

// CompiledTrigger is one runnable trigger.
type CompiledTrigger struct {
	ID             string
	Name           string
	Type           string
	Index          int // position in the set, for ordering
	pos            int // position in Compiled.Triggers
	Enabled        bool
	Delay          int64 // milliseconds
	OncePerVisitor bool
	url            *URLMatcher
	// The message as the visitor will see it.
	Text        string
	Attachments []Attachment
	Agent       Agent
	Suggestions []string

	// Advanced triggers.
	event    string
	matchAny bool
	conds    []*cond
	actions  []action
	hasTime  bool
}

// Compile validates s and compiles its valid triggers.
func Compile(s *Set) *Compiled {
	c := &Compiled{Property: s.Property, Status: s.Status, Timezone: s.Timezone}
	v := validate(s)
	if len(v.problems) > 0 {
		c.Problems = v.problems
		for _, p := range c.Problems {
			switch {
			case p.TriggerID != "":
			case p.Field == "status":
				c.Status = ""
			case p.Field == "timezone":
				c.Timezone = ""
			}
		}
	}
	if c.Status == "" {
		c.Status = StatusOnline
	}
	if c.Timezone == "" {
		c.Timezone = "UTC"
	}
	shortcuts := make(map[string]*Shortcut, len(s.Shortcuts))
	for i := range s.Shortcuts {
		shortcuts[s.Shortcuts[i].ID] = &s.Shortcuts[i]
	}
	for i := range s.Triggers {
		t := &s.Triggers[i]
		label := triggerLabel(t, i)
		if v.bad[i] || i >= MaxTriggers {
			c.Skipped = append(c.Skipped, label)
			continue
		}
		ct := &CompiledTrigger{
			ID: t.ID, Name: t.Name, Type: t.Type, Index: i,
			Enabled:        t.IsEnabled(),
			Delay:          int64(t.Delay) * 1000,
			OncePerVisitor: t.OncePerVisitor,
			Agent:          t.Agent,
			Suggestions:    t.Suggestions,
		}
		if t.URL != nil {
			ct.url, _ = CompileURLRule(*t.URL) // validated above
		}
		if t.Type == TypeAdvanced {
			compileAdvanced(ct, t, shortcuts)
		} else if t.Message != nil {
			if sc := shortcuts[t.Message.Shortcut]; t.Message.Shortcut != "" && sc != nil {
				ct.Text, ct.Attachments = sc.Text, sc.Attachments
			} else {
				ct.Text = t.Message.Text
			}
		}
		ct.pos = len(c.Triggers)
		c.Triggers = append(c.Triggers, ct)
	}
	return c
}

// Trigger returns the compiled trigger with the given id, or nil.
func (c *Compiled) Trigger(id string) *CompiledTrigger {
	for _, t := range c.Triggers {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// MatchesURL reports whether a page trigger's rule matches u.
func (t *CompiledTrigger) MatchesURL(u *PageURL) bool {
	return t.url != nil && t.url.Match(u)
}
