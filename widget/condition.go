package widget

import (
	"strconv"
	"strings"

	"github.com/mailru/easyjson/jlexer"
)

// Advanced-trigger events (SPEC §4).
const (
	EventPageView        = "page_view"
	EventWidgetLoaded    = "widget_loaded"
	EventChatRequested   = "chat_requested"
	EventVisitorMessage  = "visitor_message"
	EventWidgetMaximized = "widget_maximized"
	EventCustom          = "custom_event"
)

var advancedEvents = []string{EventPageView, EventWidgetLoaded, EventChatRequested, EventVisitorMessage, EventWidgetMaximized, EventCustom}

// Condition operators (SPEC §4).
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

// kind is the type of a condition field.
type kind uint8

const (
	kindString kind = iota + 1
	kindNumber
	kindBool
	kindList // visitor.tags
)

func (k kind) String() string {
	switch k {
	case kindString:
		return "text"
	case kindNumber:
		return "number"
	case kindBool:
		return "true/false"
	case kindList:
		return "list"
	}
	return "?"
}

// fieldID names a field the evaluator can read.
type fieldID uint8

const (
	fPageURL fieldID = iota + 1
	fPagePath
	fPageTitle
	fPageReferrer
	fPageQuery
	fTimeOnSite
	fTimeOnPage
	fPageViews
	fVisits
	fReturning
	fVisitorName
	fVisitorEmail
	fVisitorTags
	fVisitorAttr
	fVisitorLanguage
	fDeviceType
	fBrowser
	fOS
	fTimeHour
	fTimeWeekday
	fWidgetStatus
	fWidgetMaximized
	fChatState
	fEventName
)

type fieldSpec struct {
	id   fieldID
	kind kind
}

// fields maps the SPEC's field names to the evaluator's; the two prefixed
// fields (page.query.<name>, visitor.attr.<key>) are handled by prefix.
var fields = map[string]fieldSpec{
	"page.url":           {fPageURL, kindString},
	"page.path":          {fPagePath, kindString},
	"page.title":         {fPageTitle, kindString},
	"page.referrer":      {fPageReferrer, kindString},
	"visit.time_on_site": {fTimeOnSite, kindNumber},
	"visit.time_on_page": {fTimeOnPage, kindNumber},
	"visit.page_views":   {fPageViews, kindNumber},
	"visitor.visits":     {fVisits, kindNumber},
	"visitor.returning":  {fReturning, kindBool},
	"visitor.name":       {fVisitorName, kindString},
	"visitor.email":      {fVisitorEmail, kindString},
	"visitor.tags":       {fVisitorTags, kindList},
	"visitor.language":   {fVisitorLanguage, kindString},
	"device.type":        {fDeviceType, kindString},
	"browser":            {fBrowser, kindString},
	"os":                 {fOS, kindString},
	"time.hour":          {fTimeHour, kindNumber},
	"time.weekday":       {fTimeWeekday, kindNumber},
	"widget.status":      {fWidgetStatus, kindString},
	"widget.maximized":   {fWidgetMaximized, kindBool},
	"chat.state":         {fChatState, kindString},
	"event.name":         {fEventName, kindString},
}

const (
	prefixQuery = "page.query."
	prefixAttr  = "visitor.attr."
)

// opsFor lists the operators each kind accepts.
var opsFor = map[kind][]string{
	kindString: {OpEq, OpNeq, OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpWildcard, OpRegex, OpIn, OpNotIn, OpExists, OpNotExists},
	kindNumber: {OpEq, OpNeq, OpLt, OpLte, OpGt, OpGte, OpIn, OpNotIn, OpExists, OpNotExists},
	kindBool:   {OpEq, OpNeq, OpExists, OpNotExists},
	kindList:   {OpContains, OpNotContains, OpIn, OpNotIn, OpExists, OpNotExists},
}

var allOps = []string{OpEq, OpNeq, OpContains, OpNotContains, OpStartsWith, OpEndsWith, OpWildcard, OpRegex, OpLt, OpLte, OpGt, OpGte, OpIn, OpNotIn, OpExists, OpNotExists}

var weekdays = map[string]float64{
	"monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "wednesday": 3, "wed": 3, "thursday": 4, "thu": 4,
	"friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}

// cond is a compiled condition: field, operator and operand resolved once.
type cond struct {
	src   Condition
	field fieldID
	kind  kind
	key   string // query name or attribute key (attribute keys lower-cased)
	op    string
	fold  bool // case-insensitive string comparison

	str  string   // string operand (lower-cased when fold)
	strs []string // in / not_in
	num  float64
	nums []float64
	b    bool
	re   *wholeRegexp
}

// isTime reports whether the condition's truth can change with time alone.
func (c *cond) isTime() bool {
	switch c.field {
	case fTimeOnSite, fTimeOnPage, fTimeHour, fTimeWeekday:
		return true
	}
	return false
}

// compileCondition type-checks a condition and resolves it. Problems are
// returned as *RuleError naming "field", "op" or "value".
func compileCondition(c Condition) (*cond, error) {
	out := &cond{src: c, op: c.Op, fold: !c.Case}
	name := strings.TrimSpace(c.Field)
	switch {
	case strings.HasPrefix(name, prefixQuery) && len(name) > len(prefixQuery):
		out.field, out.kind, out.key = fPageQuery, kindString, name[len(prefixQuery):]
	case strings.HasPrefix(name, prefixAttr) && len(name) > len(prefixAttr):
		out.field, out.kind, out.key = fVisitorAttr, kindString, strings.ToLower(name[len(prefixAttr):])
	default:
		spec, ok := fields[name]
		if !ok {
			if name == "" {
				return nil, &RuleError{Field: "field", Problem: "missing"}
			}
			return nil, &RuleError{Field: "field", Problem: "unknown field " + quote(name)}
		}
		out.field, out.kind = spec.id, spec.kind
	}
	if !contains(allOps, c.Op) {
		if c.Op == "" {
			return nil, &RuleError{Field: "op", Problem: "missing"}
		}
		return nil, &RuleError{Field: "op", Problem: "unknown operator " + quote(c.Op)}
	}
	if !contains(opsFor[out.kind], c.Op) {
		return nil, &RuleError{Field: "op", Problem: quote(c.Op) + " does not apply to " + quote(name) + ", a " + out.kind.String() + " field (use one of " + strings.Join(opsFor[out.kind], ", ") + ")"}
	}
	if c.Op == OpExists || c.Op == OpNotExists {
		if len(c.Value) > 0 && string(c.Value) != "null" {
			return nil, &RuleError{Field: "value", Problem: quote(c.Op) + " takes no value"}
		}
		return out, nil
	}
	v, err := decodeValue(c.Value)
	if err != nil {
		return nil, err
	}
	if err := out.setOperand(name, v); err != nil {
		return nil, err
	}
	return out, nil
}

func decodeValue(raw RawJSON) (any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, &RuleError{Field: "value", Problem: "missing"}
	}
	l := jlexer.Lexer{Data: raw}
	v := l.Interface()
	if l.Error() != nil {
		return nil, &RuleError{Field: "value", Problem: "not a JSON value"}
	}
	return v, nil
}

// setOperand checks the value against the field's kind and the operator.
func (c *cond) setOperand(name string, v any) error {
	wrongType := func(want string) error {
		return &RuleError{Field: "value", Problem: quote(name) + " " + c.op + " needs " + want + ", got " + describe(v)}
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
			re, err := compileWhole(s, c.fold)
			if err != nil {
				return &RuleError{Field: "value", Problem: "not a valid RE2 regular expression: " + err.Error()}
			}
			c.re = re
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
func (c *cond) inRange(name string, n float64) error {
	switch {
	case c.field == fTimeWeekday && (n < 1 || n > 7 || n != float64(int(n))):
		return &RuleError{Field: "value", Problem: quote(name) + " is 1 (Monday) to 7 (Sunday) or a day name, got " + strconv.FormatFloat(n, 'g', -1, 64)}
	case c.field == fTimeHour && (n < 0 || n > 23 || n != float64(int(n))):
		return &RuleError{Field: "value", Problem: quote(name) + " is a whole hour from 0 to 23, got " + strconv.FormatFloat(n, 'g', -1, 64)}
	}
	return nil
}

// number reads a JSON number, or a weekday name for time.weekday.
func (c *cond) number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		if c.field == fTimeWeekday {
			n, ok := weekdays[strings.ToLower(x)]
			return n, ok
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

// eval tests the condition against the context. It does not allocate.
func (c *cond) eval(x *evalContext) bool {
	switch c.kind {
	case kindNumber:
		n, ok := x.number(c.field)
		switch c.op {
		case OpExists:
			return ok
		case OpNotExists:
			return !ok
		}
		if !ok {
			return c.op == OpNeq || c.op == OpNotIn
		}
		switch c.op {
		case OpEq:
			return n == c.num
		case OpNeq:
			return n != c.num
		case OpLt:
			return n < c.num
		case OpLte:
			return n <= c.num
		case OpGt:
			return n > c.num
		case OpGte:
			return n >= c.num
		case OpIn, OpNotIn:
			found := false
			for _, v := range c.nums {
				if v == n {
					found = true
					break
				}
			}
			return found == (c.op == OpIn)
		}
	case kindBool:
		b, ok := x.boolean(c.field)
		switch c.op {
		case OpExists:
			return ok
		case OpNotExists:
			return !ok
		case OpEq:
			return ok && b == c.b
		case OpNeq:
			return !ok || b != c.b
		}
	case kindList:
		tags := x.tags(c.fold)
		switch c.op {
		case OpExists:
			return len(tags) > 0
		case OpNotExists:
			return len(tags) == 0
		case OpContains, OpNotContains:
			return contains(tags, c.str) == (c.op == OpContains)
		case OpIn, OpNotIn:
			any := false
			for _, s := range c.strs {
				if contains(tags, s) {
					any = true
					break
				}
			}
			return any == (c.op == OpIn)
		}
	case kindString:
		s, ok := x.str(c.field, c.key, c.fold && c.op != OpRegex)
		if !ok && c.op != OpExists && c.op != OpNotExists {
			// A value that is not there matches only the negative
			// operators (docs/design.md), whatever the pattern.
			return c.op == OpNeq || c.op == OpNotIn || c.op == OpNotContains
		}
		switch c.op {
		case OpExists:
			return ok && s != ""
		case OpNotExists:
			return !ok || s == ""
		case OpEq:
			return s == c.str
		case OpNeq:
			return s != c.str
		case OpContains:
			return strings.Contains(s, c.str)
		case OpNotContains:
			return !strings.Contains(s, c.str)
		case OpStartsWith:
			return strings.HasPrefix(s, c.str)
		case OpEndsWith:
			return strings.HasSuffix(s, c.str)
		case OpWildcard:
			return wildcardMatch(c.str, s)
		case OpRegex:
			return c.re.MatchString(s)
		case OpIn, OpNotIn:
			return contains(c.strs, s) == (c.op == OpIn)
		}
	}
	return false
}

// actual renders the field's current value for explanations.
func (c *cond) actual(x *evalContext) string {
	switch c.kind {
	case kindNumber:
		if n, ok := x.number(c.field); ok {
			return strconv.FormatFloat(n, 'g', -1, 64)
		}
	case kindBool:
		if b, ok := x.boolean(c.field); ok {
			return strconv.FormatBool(b)
		}
	case kindList:
		return "[" + strings.Join(x.tags(false), ", ") + "]"
	case kindString:
		if s, ok := x.str(c.field, c.key, false); ok {
			return quote(s)
		}
	}
	return "(none)"
}
