package widget

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// wholeRegexp matches a Go RE2 pattern against a whole string. Site owners
// often write patterns like ".*pricing.*": anchored as written, RE2 must
// backtrack over both ".*"; searched for "pricing" instead, it is several
// times faster. The two are the same on a string without newlines (where
// "." stops), so the fast form is used only there.
//
// It is compiled once, by whoever needs it first: the checker, when a tool
// or server validates a set (compileWhole, so that a bad pattern is a
// problem of the set), or the first match, when the browser runtime loaded
// the set with LoadLazy (newWholeRegexp, so that no regular expression is
// compiled while the widget starts). Either way the compiled form is kept
// and shared: a pattern is never compiled twice.
type wholeRegexp struct {
	pattern string
	fold    bool
	// prefix is text every match starts with (literalPrefix): a string
	// without it is no match, and the pattern need not be compiled to
	// know it.
	prefix string

	once     sync.Once
	err      error          // why the pattern does not compile
	anchored *regexp.Regexp // ^(?:pattern)$, always right
	fast     *regexp.Regexp // pattern without its outer ".*", or nil
}

// newWholeRegexp records a pattern without compiling it.
func newWholeRegexp(pattern string, fold bool) *wholeRegexp {
	return &wholeRegexp{pattern: pattern, fold: fold, prefix: literalPrefix(pattern, fold)}
}

// compileWhole records a pattern and compiles it now.
func compileWhole(pattern string, fold bool) (*wholeRegexp, error) {
	w := newWholeRegexp(pattern, fold)
	if err := w.compile(); err != nil {
		return nil, err
	}
	return w, nil
}

// compile compiles the pattern the first time it is called and returns the
// same result every time.
func (w *wholeRegexp) compile() error {
	w.once.Do(func() { w.err = w.build() })
	return w.err
}

// failed reports whether the pattern was compiled and turned out invalid.
func (w *wholeRegexp) failed() bool { return w.err != nil }

func (w *wholeRegexp) build() error {
	pattern := w.pattern
	flags := syntax.Perl
	if w.fold {
		// The same as parsing (?i:pattern): a (?-i:…) part stays
		// case-sensitive.
		flags |= syntax.FoldCase
	}
	// The pattern must be a regular expression on its own: inside ^(?:…)$
	// a stray ")" would close the group and unanchor the rest ("a)|(b"
	// would mean "starts with a or ends with b"). Parsed once, the tree
	// also gives the fast form.
	tree, err := syntax.Parse(pattern, flags)
	if err != nil {
		return err
	}
	if regexTooLarge(tree) {
		return errTooComplex
	}
	if strings.Contains(pattern, `\Q`) {
		if _, err := syntax.Parse(pattern+`\E`, syntax.Perl); err == nil {
			// It ends inside \Q…, which would quote the wrapper's ")$"
			// too: close the quote first.
			pattern += `\E`
		}
	}
	if w.fold {
		pattern = `(?i:` + pattern + `)`
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return err
	}
	w.anchored = re
	if fast := trimTree(w.pattern, tree, flags); fast != "" {
		w.fast, _ = regexp.Compile(fast)
	}
	return nil
}

// trimDotStars rewrites ".*X.*", ".*X" and "X.*" into an unanchored search
// "X", "(?:X)$" and "^(?:X)"; it returns "" when the pattern has no such
// shape.
func trimDotStars(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	return trimTree(pattern, re, syntax.Perl)
}

// trimTree is trimDotStars on a pattern already parsed with flags. The
// rewrite is cut from the pattern's own text, never printed from the tree
// (syntax.Regexp.String would link Go's whole regexp printer into the
// wasm): the text without its outer ".*" must parse to exactly the parts
// between them, or there is no fast form.
func trimTree(pattern string, re *syntax.Regexp, flags syntax.Flags) string {
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || strings.Contains(pattern, `\Q`) {
		return ""
	}
	isDotStar := func(r *syntax.Regexp) bool {
		return r.Op == syntax.OpStar && len(r.Sub) == 1 && r.Sub[0].Op == syntax.OpAnyCharNotNL
	}
	subs := re.Sub
	lead, trail := isDotStar(subs[0]), isDotStar(subs[len(subs)-1])
	if lead {
		subs = subs[1:]
	}
	if trail && len(subs) > 0 {
		subs = subs[:len(subs)-1]
	}
	if (!lead && !trail) || len(subs) == 0 {
		return ""
	}
	rest, ok := pattern, true
	if lead {
		if rest, ok = cutDotStar(rest, true); !ok {
			return ""
		}
	}
	if trail {
		if rest, ok = cutDotStar(rest, false); !ok {
			return ""
		}
	}
	inner, err := syntax.Parse(rest, flags)
	if err != nil {
		return ""
	}
	want := subs[0]
	if len(subs) > 1 {
		want = &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
	}
	if !inner.Equal(want) {
		return ""
	}
	s := "(?:" + rest + ")"
	if flags&syntax.FoldCase != 0 {
		s = "(?i:" + rest + ")"
	}
	switch {
	case lead && trail:
		return s
	case lead:
		return s + `$`
	default:
		return `^` + s
	}
}

// cutDotStar removes a leading (or trailing) ".*" or ".*?" from a pattern's
// text, and reports whether it was there, unescaped.
func cutDotStar(p string, leading bool) (string, bool) {
	for _, ds := range []string{".*?", ".*"} {
		if leading {
			if rest, ok := strings.CutPrefix(p, ds); ok {
				return rest, true
			}
			continue
		}
		rest, ok := strings.CutSuffix(p, ds)
		if !ok {
			continue
		}
		// "\\.*" ends with a literal dot: count the backslashes before it.
		n := 0
		for i := len(rest) - 1; i >= 0 && rest[i] == '\\'; i-- {
			n++
		}
		return rest, n%2 == 0
	}
	return "", false
}

// MatchString reports whether the whole of s matches. A pattern that does
// not compile matches nothing (see LoadLazy for how its trigger is then
// disabled), and neither does a subject longer than MaxRegexSubject.
func (w *wholeRegexp) MatchString(s string) bool {
	if len(s) > MaxRegexSubject || !strings.HasPrefix(s, w.prefix) {
		return false
	}
	if w.compile() != nil {
		return false
	}
	if w.fast != nil && strings.IndexByte(s, '\n') < 0 {
		return w.fast.MatchString(s)
	}
	return w.anchored.MatchString(s)
}

// literalPrefix returns the literal text a whole match of pattern must start
// with, read without parsing the pattern: the plain characters (and
// backslash-escaped punctuation) after an optional leading "^", up to the
// first metacharacter, leaving out a character a quantifier applies to.
// With fold, it stops at the first letter (a folded letter may match other
// characters, some outside ASCII). It returns "" when it cannot be sure: a
// "|" outside any group (the prefix would belong to one alternative only),
// a \Q quote or a POSIX class, whose contents this scan does not follow.
// An invalid pattern may get a prefix too: a string without it does not
// need the pattern, so the pattern is only compiled, and found invalid, on
// a string that has it.
func literalPrefix(pattern string, fold bool) string {
	if strings.Contains(pattern, `\Q`) || strings.Contains(pattern, "[:") || topLevelAlternation(pattern) {
		return ""
	}
	p := strings.TrimPrefix(pattern, "^")
	var b []byte
	for i := 0; i < len(p); {
		c, n := p[i], 1
		switch {
		case c == '\\':
			if i+1 >= len(p) || !isASCIIPunct(p[i+1]) {
				return string(b)
			}
			c, n = p[i+1], 2
		case c == '(' && strings.HasPrefix(p[i:], "(?") && !strings.HasPrefix(p[i:], "(?:") && !strings.HasPrefix(p[i:], "(?P<"):
			// A flag group ("(?s)") is no item: a quantifier after it
			// repeats the character before it ("0(?s)*" is "0*").
			return ""
		case c >= 0x80 || strings.IndexByte(`.+*?()|[]{}^$`, c) >= 0:
			return string(b)
		}
		if i+n < len(p) && strings.IndexByte("*+?{", p[i+n]) >= 0 {
			return string(b) // c may repeat zero times
		}
		if fold && ('a' <= c|0x20 && c|0x20 <= 'z') {
			return string(b)
		}
		b = append(b, c)
		i += n
	}
	return string(b)
}

// topLevelAlternation reports whether pattern has a "|" outside every
// group and character class.
func topLevelAlternation(pattern string) bool {
	depth := 0
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '\\':
			i++
		case '(':
			depth++
		case ')':
			depth--
		case '|':
			if depth <= 0 {
				return true
			}
		case '[':
			// A class runs to the first "]" that is not its first
			// character (after an optional "^") and not escaped.
			i++
			if i < len(pattern) && pattern[i] == '^' {
				i++
			}
			if i < len(pattern) && pattern[i] == ']' {
				i++
			}
			for i < len(pattern) && pattern[i] != ']' {
				if pattern[i] == '\\' {
					i++
				}
				i++
			}
		}
	}
	return false
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && c > ' ' && !('0' <= c && c <= '9') && !('a' <= c|0x20 && c|0x20 <= 'z')
}

// A regular expression's size is bounded before it is compiled, and so is
// the text it is matched against: RE2 runs in time proportional to the
// program's length times the text's, and compiling many repetitions of a
// large class (\pL{1000}, a thousand times: each a copy of several hundred
// ranges) took hundreds of megabytes. A site's patterns are far smaller
// (an international slug, [\p{L}0-9-]{1,80}, is 80 steps and 53,000
// ranges, 2 MB to compile). At the limits, the slowest pattern found,
// (?:a*b?){195}c, took 24 ms to match a 4 KiB text natively (2026-12-01),
// a few times that in the browser.
const (
	// MaxRegexSteps bounds the program's length: one step per literal
	// character or character class, x{n} counting n times x.
	MaxRegexSteps = 1000
	// MaxRegexRanges bounds the ranges of its character classes, counted
	// the same way (\pL has about 660; a case-insensitive [a-z] four:
	// a-z, A-Z, ſ, K).
	MaxRegexRanges = 250_000
	// MaxRegexSubject is the longest text (a URL, a page title, a
	// field's value), in bytes, a regular expression is matched against;
	// a longer one does not match.
	MaxRegexSubject = 4 << 10
)

// errTooComplex is build's refusal of a pattern regexTooLarge measures
// (its text made when asked for, not when the program starts).
var errTooComplex error = tooLargeError{}

type tooLargeError struct{}

func (tooLargeError) Error() string {
	return "is too large: more than " + itoa(MaxRegexSteps) + " steps, or character classes of more than " +
		itoa(MaxRegexRanges) + " ranges in all (x{n} counts as n times x)"
}

// regexTooLarge reports whether re passes MaxRegexSteps or
// MaxRegexRanges.
func regexTooLarge(re *syntax.Regexp) bool {
	steps, ranges := regexSize(re)
	return steps > MaxRegexSteps || ranges > MaxRegexRanges
}

// regexSize counts re's steps and character-class ranges, saturating just
// past the limits (so that nested repetitions cannot overflow).
func regexSize(re *syntax.Regexp) (steps, ranges int) {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune), 0
	case syntax.OpCharClass:
		return 1, len(re.Rune) / 2
	case syntax.OpRepeat:
		n := max(re.Min, re.Max, 1)
		s, r := regexSize(re.Sub[0])
		return times(n, s, MaxRegexSteps), times(n, r, MaxRegexRanges)
	}
	steps = 1
	for _, sub := range re.Sub {
		s, r := regexSize(sub)
		steps, ranges = min(steps+s, MaxRegexSteps+1), min(ranges+r, MaxRegexRanges+1)
	}
	return steps, ranges
}

// times is n*x, or limit+1 when that is more than limit.
func times(n, x, limit int) int {
	if x > 0 && n > limit/x {
		return limit + 1
	}
	return n * x
}
