package widget

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// wholeRegexp matches a Go RE2 pattern against a whole string. Site owners
// often write patterns like ".*pricing.*": anchored as written, RE2 must
// backtrack over both ".*"; searched for "pricing" instead, it is several
// times faster. The two are the same on a string without newlines (where
// "." stops), so the fast form is used only there.
type wholeRegexp struct {
	anchored *regexp.Regexp // ^(?:pattern)$, always right
	fast     *regexp.Regexp // pattern without its outer ".*", or nil
}

func compileWhole(pattern string, fold bool) (*wholeRegexp, error) {
	// The pattern must be a regular expression on its own: inside ^(?:…)$
	// a stray ")" would close the group and unanchor the rest ("a)|(b"
	// would mean "starts with a or ends with b").
	if _, err := syntax.Parse(pattern, syntax.Perl); err != nil {
		return nil, err
	}
	if _, err := syntax.Parse(pattern+`\E`, syntax.Perl); err == nil {
		// It ends inside \Q…, which would quote the wrapper's ")$" too:
		// close the quote first.
		pattern += `\E`
	}
	if fold {
		// Fold inside the pattern, not with a (?i) prefix on the rewrite,
		// so that a (?-i:…) part of it stays case-sensitive.
		pattern = `(?i:` + pattern + `)`
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return nil, err
	}
	w := &wholeRegexp{anchored: re}
	if fast := trimDotStars(pattern); fast != "" {
		w.fast, _ = regexp.Compile(fast)
	}
	return w, nil
}

// trimDotStars rewrites ".*X.*", ".*X" and "X.*" into an unanchored search
// "X", "(?:X)$" and "^(?:X)"; it returns "" when the pattern has no such
// shape.
func trimDotStars(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 2 {
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
	inner := &syntax.Regexp{Op: syntax.OpConcat, Sub: subs}
	s := "(?:" + inner.String() + ")"
	switch {
	case lead && trail:
		return s
	case lead:
		return s + `$`
	default:
		return `^` + s
	}
}

// MatchString reports whether the whole of s matches.
func (w *wholeRegexp) MatchString(s string) bool {
	if w.fast != nil && strings.IndexByte(s, '\n') < 0 {
		return w.fast.MatchString(s)
	}
	return w.anchored.MatchString(s)
}
