package widget

import (
	"strconv"
	"strings"

	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
)

// Compiled is a trigger set made ready to run: every valid trigger with its
// URL rule and conditions compiled and its message resolved, in set order.
// A broken trigger is left out and its problems are listed, so the runtime
// can run the rest.
type Compiled struct {
	Property string
	Status   string // the set's initial status, defaulted to online
	Timezone string
	// Widget is the set's appearance with every default filled in; a field
	// that fails its check keeps its default.
	Widget   Appearance
	Triggers []*CompiledTrigger
	// Problems lists every problem, including those of the triggers left
	// out, in document order.
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
	// The message as the visitor will see it (for an advanced trigger, its
	// first send_message action's).
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

	// invalid is set when a regular expression of a set loaded with
	// LoadLazy failed to compile on its first use: the trigger never runs
	// again (see Engine.disable).
	invalid *FieldError
}

// Load decodes, checks and compiles a trigger-set document in one pass. It
// returns nil and the one problem when the document is rejected as a whole
// (too large, not JSON, another format version); otherwise the compiled set,
// whose Problems lists every problem of the triggers left out.
func Load(data []byte) (*Compiled, []FieldError) {
	return load(data, false)
}

// LoadLazy is Load for the browser runtime, where start-up time is the
// host page's: every check runs as in Load except the regular expressions
// of URL rules and regex conditions, which are recorded, not compiled. Each
// is compiled when it is first needed (the first page it is matched
// against, the first evaluation of its condition) and kept. One that turns
// out invalid then disables just its trigger, which the engine reports once
// as an error effect (code invalid_trigger, naming the field and the
// bad_regex problem); the rest of the set runs on. Tools and servers use
// Load, Compile or Validate, which report a bad pattern as a problem of the
// set before it is ever published.
//
// The compiled set's texts share data's memory rather than copying it (a
// few hundred allocations fewer at the widget's start): data must never
// change afterwards, and stays in memory while any of them is kept (a
// message shown from it, after a reload brought another set).
func LoadLazy(data []byte) (*Compiled, []FieldError) {
	return load(data, true)
}

// load decodes, checks and compiles; lazy is LoadLazy's, which also
// borrows data's memory.
func load(data []byte, lazy bool) (*Compiled, []FieldError) {
	s, err := parseSetBorrowing(data, lazy)
	if err != nil {
		return nil, []FieldError{*err}
	}
	c := check(s, lazy)
	return c, c.Problems
}

// Compile checks a decoded set and compiles its valid triggers in the same
// pass: each URL rule, regular expression and condition is compiled once,
// by the check that accepts it, and shortcut references are resolved once.
func Compile(s *Set) *Compiled {
	return check(s, false)
}

// Validate checks every limit and reference of a set and returns all
// problems at once as a *ValidationError, or nil.
func Validate(s *Set) error {
	if c := check(s, false); len(c.Problems) > 0 {
		return &ValidationError{Problems: c.Problems}
	}
	return nil
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

// Event is the event an advanced trigger waits for ("" for other types).
func (t *CompiledTrigger) Event() string { return t.event }

// MatchesURL reports whether a page trigger's rule matches u.
func (t *CompiledTrigger) MatchesURL(u *PageURL) bool {
	return t.url != nil && t.url.Match(u)
}

// message is a message resolved for sending: a shortcut's text and
// attachments, or the custom text.
type message struct {
	text        string
	attachments []Attachment
	agent       Agent
	suggestions []string
}

// action is a compiled action: its message resolved, its value a string.
type action struct {
	typ     string
	msg     message
	seconds int64 // ms
	tags    []string
	key     string
	value   string
	name    string
	data    RawJSON
}

// Condition operators.
const (
	OpEq          = "eq"
	OpNeq         = "neq"
	OpContains    = "contains"
	OpNotContains = "not_contains"
	OpStartsWith  = "starts_with"
	OpEndsWith    = "ends_with"
	OpWildcard    = "wildcard"
	OpRegex       = "regex"
	OpLt          = "lt"
	OpLte         = "lte"
	OpGt          = "gt"
	OpGte         = "gte"
	OpIn          = "in"
	OpNotIn       = "not_in"
	OpExists      = "exists"
	OpNotExists   = "not_exists"
)

// The operators each kind accepts, in tables that need no code at start
// (package-level slices of constants are data; a map would be built by the
// program's initialisation, on the host page's time).
var (
	stringOps = []string{OpEq, OpNeq, OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpWildcard, OpRegex, OpIn, OpNotIn, OpExists, OpNotExists}
	numberOps = []string{OpEq, OpNeq, OpLt, OpLte, OpGt, OpGte, OpIn, OpNotIn, OpExists, OpNotExists}
	boolOps   = []string{OpEq, OpNeq, OpExists, OpNotExists}
	listOps   = []string{OpContains, OpNotContains, OpIn, OpNotIn, OpExists, OpNotExists}
)

// opsFor lists the operators kind k accepts.
func opsFor(k kind) []string {
	switch k {
	case kindString:
		return stringOps
	case kindNumber:
		return numberOps
	case kindBool:
		return boolOps
	case kindList:
		return listOps
	}
	return nil
}

var allOps = []string{OpEq, OpNeq, OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpWildcard, OpRegex, OpLt, OpLte, OpGt, OpGte, OpIn, OpNotIn, OpExists, OpNotExists}

// cond is a compiled condition: field, operator and operand resolved once.
type cond struct {
	src  Condition
	decl *fieldDecl
	kind kind
	key  string // query name or attribute key (attribute keys lower-cased)
	op   string
	fold bool // case-insensitive string comparison

	str  string   // string operand (lower-cased when fold)
	strs []string // in / not_in
	num  float64
	nums []float64
	b    bool
	re   *wholeRegexp
}

// isTime reports whether the condition's truth can change with time alone.
func (c *cond) isTime() bool { return c.decl.timed() }

// compileCond type-checks a condition and resolves it. A problem names
// "field", "op" or "value". With lazy, a regular expression is recorded and
// compiled on first use (see LoadLazy).
func compileCond(c Condition, lazy bool) (*cond, *RuleError) {
	out := &cond{src: c, op: c.Op, fold: !c.Case}
	name := strings.TrimSpace(c.Field)
	decl, key, ok := lookupField(name)
	if !ok {
		if name == "" {
			return nil, &RuleError{Field: "field", Code: CodeMissing, Problem: "missing"}
		}
		return nil, &RuleError{Field: "field", Code: CodeUnknownField, Problem: "unknown field " + quote(name)}
	}
	if decl.foldKey {
		key = strings.ToLower(key)
	}
	out.decl, out.kind, out.key = decl, decl.kind, key
	if !contains(allOps, c.Op) {
		if c.Op == "" {
			return nil, &RuleError{Field: "op", Code: CodeMissing, Problem: "missing"}
		}
		return nil, &RuleError{Field: "op", Code: CodeUnknownOperator, Problem: "unknown operator " + quote(c.Op)}
	}
	if !contains(opsFor(out.kind), c.Op) {
		return nil, &RuleError{Field: "op", Code: CodeWrongType, Problem: quote(c.Op) + " does not apply to " + quote(name) + ", a " + out.kind.String() + " field (use one of " + strings.Join(opsFor(out.kind), ", ") + ")"}
	}
	if c.Op == OpExists || c.Op == OpNotExists {
		if len(c.Value) > 0 && string(c.Value) != "null" {
			return nil, &RuleError{Field: "value", Code: CodeNotAllowed, Problem: quote(c.Op) + " takes no value"}
		}
		return out, nil
	}
	v, err := decodeValue(c.Value)
	if err != nil {
		return nil, err
	}
	if err := out.setOperand(name, v, lazy); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeValue(raw RawJSON) (any, *RuleError) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, &RuleError{Field: "value", Code: CodeMissing, Problem: "missing"}
	}
	l := jlexer.Lexer{Data: raw}
	v := l.Interface()
	if l.Error() != nil {
		return nil, &RuleError{Field: "value", Code: CodeNotJSON, Problem: "not a JSON value"}
	}
	return v, nil
}

// setOperand checks the value against the field's kind and the operator.
func (c *cond) setOperand(name string, v any, lazy bool) *RuleError {
	wrongType := func(want string) *RuleError {
		return &RuleError{Field: "value", Code: CodeWrongType, Problem: quote(name) + " " + c.op + " needs " + want + ", got " + describe(v)}
	}
	if c.op == OpIn || c.op == OpNotIn {
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return wrongType("a non-empty list")
		}
		for _, x := range list {
			switch c.kind {
			case kindNumber:
				n, ok := c.number(x)
				if !ok {
					return wrongType("a list of numbers")
				}
				if err := c.inRange(name, n); err != nil {
					return err
				}
				c.nums = append(c.nums, n)
			default:
				s, ok := x.(string)
				if !ok {
					return wrongType("a list of texts")
				}
				c.strs = append(c.strs, c.foldString(s))
			}
		}
		return nil
	}
	switch c.kind {
	case kindNumber:
		n, ok := c.number(v)
		if !ok {
			return wrongType("a number")
		}
		if err := c.inRange(name, n); err != nil {
			return err
		}
		c.num = n
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return wrongType("true or false")
		}
		c.b = b
	case kindString, kindList:
		s, ok := v.(string)
		if !ok {
			return wrongType("a text")
		}
		switch c.op {
		case OpRegex:
			if lazy {
				c.re = newWholeRegexp(s, c.fold)
			} else {
				re, err := compileWhole(s, c.fold)
				if err != nil {
					return badRegex(err)
				}
				c.re = re
			}
			c.str = s
		default:
			c.str = c.foldString(s)
		}
	}
	return nil
}

// inRange refuses values a field can never take, which would make a
// condition silently never hold (weekday 0, JavaScript's Sunday) or be
// re-checked every hour for nothing (hour 24).
func (c *cond) inRange(name string, n float64) *RuleError {
	d := c.decl
	if d.bounded && (n < d.min || n > d.max || d.whole && n != float64(int(n))) {
		return &RuleError{Field: "value", Code: CodeOutOfRange, Problem: quote(name) + " is " + d.rangeText + ", got " + strconv.FormatFloat(n, 'g', -1, 64)}
	}
	return nil
}

// number reads a JSON number, or a name the field gives a number (a
// weekday's).
func (c *cond) number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		if c.decl.names != nil {
			return c.decl.names(strings.ToLower(x))
		}
	}
	return 0, false
}

func (c *cond) foldString(s string) string {
	if c.fold {
		return strings.ToLower(s)
	}
	return s
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return "the text " + quote(x)
	case float64:
		return "the number " + strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalarString reads a JSON text, number or boolean as a string.
func scalarString(raw RawJSON) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	l := jlexer.Lexer{Data: raw}
	switch x := l.Interface().(type) {
	case string:
		return x, l.Error() == nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), l.Error() == nil
	case bool:
		return strconv.FormatBool(x), l.Error() == nil
	}
	return "", false
}
