package widget

import (
	"strings"
	"unicode/utf8"
)

// URL rule match kinds.
const (
	MatchExact      = "exact"
	MatchContains   = "contains"
	MatchStartsWith = "starts_with"
	MatchWildcard   = "wildcard"
	MatchRegex      = "regex"
)

// PageURL is a page address split into the parts URL rules look at, already
// normalised: scheme and host in lower case, default ports dropped, and no
// trailing slash on the path (the root path stays "/"). The path is kept
// as given and percent-decoded (decodePath).
type PageURL struct {
	Scheme, Host, Path, Query, Fragment string
	hasQuery, hasFragment               bool
	decoded                             string // Path percent-decoded
}

// ParsePageURL splits an absolute URL or a path. It never fails: anything it
// cannot read as a URL is taken as a path, so a rule can still be matched.
func ParsePageURL(raw string) PageURL {
	var u PageURL
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		u.Fragment, u.hasFragment = trimSlash(raw[i+1:]), true
		raw = raw[:i]
	}
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		u.Query, u.hasQuery = raw[i+1:], true
		raw = raw[:i]
	}
	if i := strings.Index(raw, "://"); i > 0 && isScheme(raw[:i]) {
		u.Scheme = strings.ToLower(raw[:i])
		rest := raw[i+3:]
		host := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			host, raw = rest[:j], rest[j:]
		} else {
			raw = ""
		}
		if j := strings.LastIndexByte(host, '@'); j >= 0 {
			host = host[j+1:]
		}
		host = strings.ToLower(host)
		switch {
		case u.Scheme == "http" && strings.HasSuffix(host, ":80"):
			host = host[:len(host)-3]
		case u.Scheme == "https" && strings.HasSuffix(host, ":443"):
			host = host[:len(host)-4]
		}
		u.Host = host
		if raw == "" {
			raw = "/"
		}
	}
	u.Path = trimSlash(raw)
	u.decoded = trimSlash(decodePath(raw))
	return u
}

// decodePath undoes the percent-encoding a browser gives a path
// (location.href has "/%C3%BCber-uns" for "/über-uns", "%20" for a space),
// so that a rule matches however it and the page spell the path. A
// sequence that stands for "/", "?", "#", "%" or "*" stays encoded (it is
// not the character it encodes, and a wildcard's "*" is not one), and so
// does everything when the decoded path would not be UTF-8.
func decodePath(p string) string {
	if strings.IndexByte(p, '%') < 0 {
		return p
	}
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]) {
			if c := unhex(p[i+1])<<4 | unhex(p[i+2]); c != '/' && c != '?' && c != '#' && c != '%' && c != '*' {
				b = append(b, c)
				i += 2
				continue
			}
		}
		b = append(b, p[i])
	}
	if s := string(b); utf8.ValidString(s) {
		return s
	}
	return p
}

func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
			return false
		}
	}
	return s != ""
}

func trimSlash(p string) string {
	for len(p) > 1 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// subject is which parts of a PageURL a compiled rule compares against.
type subject uint8

const (
	withOrigin subject = 1 << iota
	withQuery
	withFragment
	decodedPath // the path percent-decoded
)

// String renders the parts of u that a rule of shape s looks at.
func (u *PageURL) render(s subject) string {
	var b strings.Builder
	if s&withOrigin != 0 && u.Scheme != "" {
		b.WriteString(u.Scheme)
		b.WriteString("://")
		b.WriteString(u.Host)
	}
	if s&decodedPath != 0 {
		b.WriteString(u.decoded)
	} else {
		b.WriteString(u.Path)
	}
	if s&withQuery != 0 && u.hasQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	if s&withFragment != 0 && u.hasFragment {
		b.WriteByte('#')
		b.WriteString(u.Fragment)
	}
	return b.String()
}

// String is the normalised URL with all its parts.
func (u PageURL) String() string { return u.render(withOrigin | withQuery | withFragment) }

// URLMatcher is a compiled URL rule.
type URLMatcher struct {
	kind  string
	subj  subject
	value string
	re    *wholeRegexp
	dir   bool // starts_with a rule ending in "/": whole path segments only
}

// CompileURLRule checks a rule and prepares it for matching. The error names
// what is wrong, for the validator to attach to a field.
func CompileURLRule(r URLRule) (*URLMatcher, error) {
	m, err := compileURLRule(r, false)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// compileURLRule is CompileURLRule; with lazy, a regex rule's pattern is
// recorded and compiled on first use (see LoadLazy).
func compileURLRule(r URLRule, lazy bool) (*URLMatcher, *RuleError) {
	v := strings.TrimSpace(r.Value)
	switch {
	case v == "":
		return nil, &RuleError{Field: "value", Code: CodeMissing, Problem: "must not be empty"}
	case len(v) > MaxURLRuleLen:
		return nil, &RuleError{Field: "value", Code: CodeTooLong, Problem: "longer than " + itoa(MaxURLRuleLen) + " characters"}
	}
	m := &URLMatcher{kind: r.Match}
	switch r.Match {
	case MatchRegex:
		body := strings.TrimPrefix(v, "^")
		if !strings.HasPrefix(body, "/") {
			m.subj |= withOrigin
		}
		if strings.Contains(v, `\?`) {
			m.subj |= withQuery
		}
		if strings.Contains(v, "#") {
			m.subj |= withFragment
		}
		if lazy {
			m.re = newWholeRegexp(v, false)
			return m, nil
		}
		re, err := compileWhole(v, false)
		if err != nil {
			return nil, badRegex(err)
		}
		m.re = re
		return m, nil
	case MatchExact, MatchContains, MatchStartsWith, MatchWildcard:
	case "":
		return nil, &RuleError{Field: "match", Code: CodeMissing, Problem: "missing (one of exact, contains, starts_with, wildcard, regex)"}
	default:
		return nil, &RuleError{Field: "match", Code: CodeUnknownValue, Problem: "unknown kind " + quote(r.Match) + " (one of exact, contains, starts_with, wildcard, regex)"}
	}
	u := ParsePageURL(v)
	if u.Scheme != "" {
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, &RuleError{Field: "value", Code: CodeBadURL, Problem: "a full URL rule must start with http:// or https://"}
		}
		m.subj |= withOrigin
	} else if r.Match != MatchContains && r.Match != MatchWildcard && !strings.HasPrefix(v, "/") {
		return nil, &RuleError{Field: "value", Code: CodeBadURL, Problem: "must be a path starting with / or a full http(s) URL"}
	}
	if u.hasQuery {
		m.subj |= withQuery
	}
	if u.hasFragment {
		m.subj |= withFragment
	}
	if r.Match == MatchContains || (r.Match == MatchWildcard && !strings.HasPrefix(v, "/")) {
		// A bare piece ("pricing", "*pricing*") is looked for in the whole
		// URL, so it can name a host as well as a path.
		m.subj |= withOrigin
	}
	// Paths compared decoded: the rule may spell one either way.
	m.subj |= decodedPath
	m.value = u.render(m.subj)
	m.dir = r.Match == MatchStartsWith && strings.HasSuffix(v, "/") && u.Path != "/" && !u.hasQuery && !u.hasFragment
	return m, nil
}

// Match reports whether the page matches the rule.
func (m *URLMatcher) Match(u *PageURL) bool {
	s := u.render(m.subj)
	switch m.kind {
	case MatchExact:
		return s == m.value
	case MatchContains:
		return strings.Contains(s, m.value)
	case MatchStartsWith:
		if m.dir {
			return s == m.value || strings.HasPrefix(s, m.value+"/")
		}
		return strings.HasPrefix(s, m.value)
	case MatchWildcard, MatchRegex:
		forms := []subject{m.subj}
		if m.kind == MatchRegex {
			// A path regex may start with a group or a flag: try the
			// path form and the full-URL form; anchoring keeps them apart.
			// It is tried on the path as the browser spells it and, when
			// that differs, decoded (a pattern is text: its own spelling
			// of a character decides which form it matches).
			forms = []subject{m.subj &^ withOrigin, m.subj | withOrigin}
			if u.decoded != u.Path {
				forms = append(forms, forms[0]|decodedPath, forms[1]|decodedPath)
			}
		}
		for _, f := range forms {
			if m.test(u.render(f)) {
				return true
			}
			// "/blog/" and "/blog" are the same page: a pattern that
			// literally matches the slashed form matches the page.
			if u.Path != "" && u.Path != "/" {
				slashed := *u
				slashed.Path += "/"
				slashed.decoded += "/"
				if m.test(slashed.render(f)) {
					return true
				}
			}
		}
	}
	return false
}

func (m *URLMatcher) test(s string) bool {
	if m.kind == MatchWildcard {
		return wildcardMatch(m.value, s)
	}
	return m.re.MatchString(s)
}

// wildcardMatch reports whether s matches pattern as a whole, where '*'
// stands for any run of characters. It backtracks only to the last star, so
// it runs in O(len(pattern)·len(s)) at worst and never blows up.
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && pattern[p] == s[i]:
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
