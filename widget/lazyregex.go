package widget

// HeldInvalid is why a trigger of a set loaded with LoadLazy no longer
// runs: one of its regular expressions failed to compile when it was first
// needed.
const HeldInvalid = "invalid"

// badRegex is the problem of a pattern that does not compile.
func badRegex(err error) *RuleError {
	return &RuleError{Field: "value", Code: CodeBadRegex, Problem: "not a valid RE2 regular expression: " + err.Error()}
}

// matchesURL is t.MatchesURL on the current page for the engine: a regex
// rule that fails to compile on this first use disables t (see disable).
func (e *Engine) matchesURL(t *CompiledTrigger) bool {
	if t.invalid != nil {
		return false
	}
	if t.MatchesURL(&e.page) {
		return true
	}
	if m := t.url; m != nil && m.re != nil && m.re.failed() {
		e.disable(t, "url.", m.re.err)
	}
	return false
}

// regexFailed disables t when one of its regex conditions failed to
// compile on its first use, and reports whether it did.
func (e *Engine) regexFailed(t *CompiledTrigger) bool {
	for i, c := range t.conds {
		if c.re != nil && c.re.failed() {
			e.disable(t, "conditions["+itoa(i)+"].", c.re.err)
			return true
		}
	}
	return t.invalid != nil
}

// disable stops t for good, once: it never fires again and the host hears
// why through one error effect, which names the field and the bad_regex
// problem as the validator would have.
func (e *Engine) disable(t *CompiledTrigger, prefix string, err error) {
	if t.invalid != nil {
		return
	}
	re := badRegex(err)
	fe := FieldError{TriggerID: t.ID, Index: t.Index + 1, Field: prefix + re.Field, Code: re.Code, Problem: re.Problem}
	t.invalid = &fe
	e.last[t.ID] = HeldInvalid
	e.emit(Effect{Kind: EffectError, Code: ErrInvalidTrigger, TriggerID: t.ID, Message: fe.Error()})
}
