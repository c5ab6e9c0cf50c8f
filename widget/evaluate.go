package widget

import (
	"strconv"
	"strings"
	"time"
)

// Env is what the platform knows about the visitor's browser, for the
// device.type, browser, os and visitor.language fields.
type Env struct {
	Language   string // BCP 47, e.g. "fr-FR"
	DeviceType string // desktop, mobile or tablet
	Browser    string // chrome, firefox, safari, edge, opera, samsung, other
	OS         string // windows, macos, ios, android, linux, chromeos, other
}

// Zone tells the local hour and weekday in an IANA time zone. The browser
// build asks Intl.DateTimeFormat, so Go's zone database is never linked into
// the wasm; tests use a fixed offset.
type Zone interface {
	// Local returns the hour (0–23) and ISO weekday (1 = Monday … 7 =
	// Sunday) at the instant at (Unix milliseconds) in zone tz, and how
	// long until the next local hour. (An instant, not a time.Time: a
	// time.Time in an interface's method links Go's time formatting into
	// the wasm.)
	Local(at int64, tz string) (hour, weekday int, untilNextHour time.Duration)
}

// FixedZone is a Zone at a fixed offset from UTC, whatever the name.
type FixedZone time.Duration

// Local implements Zone.
func (z FixedZone) Local(at int64, _ string) (int, int, time.Duration) {
	l := time.UnixMilli(at).UTC().Add(time.Duration(z))
	wd := int(l.Weekday())
	if wd == 0 {
		wd = 7
	}
	next := l.Truncate(time.Hour).Add(time.Hour)
	return l.Hour(), wd, next.Sub(l)
}

// pageContext is the current page as conditions read it, with lower-cased
// copies made once per page view so that evaluation never allocates.
type pageContext struct {
	url, urlLower           string
	path, pathLower         string
	title, titleLower       string
	referrer, referrerLower string
	query                   map[string][2]string // name -> {value, lower-cased}
	start                   int64                // when the page was viewed (ms)
}

func newPageContext(p Page, u *PageURL, now int64) pageContext {
	c := pageContext{
		url: p.URL, path: u.Path, title: p.Title, referrer: p.Referrer, start: now,
		query: map[string][2]string{},
	}
	c.urlLower, c.pathLower = strings.ToLower(c.url), strings.ToLower(c.path)
	c.titleLower, c.referrerLower = strings.ToLower(c.title), strings.ToLower(c.referrer)
	for q := u.Query; q != ""; {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(pair, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		if _, dup := c.query[k]; k != "" && !dup {
			c.query[k] = [2]string{v, strings.ToLower(v)}
		}
	}
	return c
}

// unescapeQuery decodes %XX and '+' in a query component; a malformed
// escape is kept as it is.
func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// evalContext is what one evaluation of conditions sees.
type evalContext struct {
	e              *Engine
	now            int64
	eventName      string // custom event name
	eventNameLower string
}

func (x *evalContext) attr(key string, fold bool) (string, bool) {
	v, ok := x.e.attrsLower[key]
	return pick(fold, v[0], v[1]), ok
}

// eval tests the condition against the context. It does not allocate.
func (c *cond) eval(x *evalContext) bool {
	d := c.decl
	switch c.kind {
	case kindNumber:
		n, ok := d.num(x)
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
		b, ok := d.boolean(x)
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
		tags := d.list(x, c.fold)
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
		s, ok := d.str(x, c.key, c.fold && c.op != OpRegex)
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
	d := c.decl
	switch c.kind {
	case kindNumber:
		if n, ok := d.num(x); ok {
			return strconv.FormatFloat(n, 'g', -1, 64)
		}
	case kindBool:
		if b, ok := d.boolean(x); ok {
			return strconv.FormatBool(b)
		}
	case kindList:
		return "[" + strings.Join(d.list(x, false), ", ") + "]"
	case kindString:
		if s, ok := d.str(x, c.key, false); ok {
			return quote(s)
		}
	}
	return "(none)"
}
