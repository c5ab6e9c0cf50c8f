package widget_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// urlCase is one rule matched against one page URL.
type urlCase struct {
	name  string
	match string
	value string
	url   string
	want  bool
}

func runURLCases(t *testing.T, cases []urlCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := widget.CompileURLRule(widget.URLRule{Match: tc.match, Value: tc.value})
			if err != nil {
				t.Fatalf("CompileURLRule(%s %q) error: %v", tc.match, tc.value, err)
			}
			u := widget.ParsePageURL(tc.url)
			if got := m.Match(&u); got != tc.want {
				t.Errorf("rule %s %q on %q: got match=%v, want %v", tc.match, tc.value, tc.url, got, tc.want)
			}
		})
	}
}

func TestURLRule_Exact(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"path equal", "exact", "/pricing", "https://x.test/pricing", true},
		{"page trailing slash normalised", "exact", "/pricing", "https://x.test/pricing/", true},
		{"rule trailing slash normalised", "exact", "/pricing/", "https://x.test/pricing", true},
		{"both trailing slashes", "exact", "/pricing/", "https://x.test/pricing/", true},
		{"sub page is not exact", "exact", "/pricing", "https://x.test/pricing/plans", false},
		{"prefix page is not exact", "exact", "/pricing", "https://x.test/pricing-old", false},
		{"query ignored", "exact", "/pricing", "https://x.test/pricing?utm_source=ad", true},
		{"fragment ignored", "exact", "/pricing", "https://x.test/pricing#faq", true},
		{"query and fragment ignored", "exact", "/pricing", "https://x.test/pricing/?a=1#faq", true},
		{"path is case sensitive", "exact", "/pricing", "https://x.test/Pricing", false},
		{"root matches bare origin", "exact", "/", "https://x.test", true},
		{"root matches root", "exact", "/", "https://x.test/", true},
		{"root does not match page", "exact", "/", "https://x.test/about", false},
		{"path rule matches a path page", "exact", "/pricing", "/pricing/", true},
		{"path rule ignores host", "exact", "/pricing", "https://other.test/pricing", true},

		{"full URL equal", "exact", "https://x.test/pricing", "https://x.test/pricing", true},
		{"full URL page host case", "exact", "https://x.test/pricing", "https://X.TEST/pricing", true},
		{"full URL rule host case", "exact", "https://X.Test/pricing", "https://x.test/pricing", true},
		{"full URL scheme case", "exact", "HTTPS://x.test/pricing", "https://x.test/pricing", true},
		{"full URL trailing slash", "exact", "https://x.test/pricing/", "https://x.test/pricing", true},
		{"full URL other scheme", "exact", "https://x.test/pricing", "http://x.test/pricing", false},
		{"full URL other host", "exact", "https://x.test/pricing", "https://y.test/pricing", false},
		{"full URL subdomain is another host", "exact", "https://x.test/pricing", "https://www.x.test/pricing", false},
		{"full URL https default port on page", "exact", "https://x.test/pricing", "https://x.test:443/pricing", true},
		{"full URL http default port on page", "exact", "http://x.test/pricing", "http://x.test:80/pricing", true},
		{"full URL default port on rule", "exact", "https://x.test:443/pricing", "https://x.test/pricing", true},
		{"full URL other port", "exact", "https://x.test:8443/pricing", "https://x.test/pricing", false},
		{"full URL same other port", "exact", "https://x.test:8443/pricing", "https://x.test:8443/pricing", true},
		{"full URL root", "exact", "https://x.test", "https://x.test/", true},
		{"full URL ignores query", "exact", "https://x.test/pricing", "https://x.test/pricing?a=b", true},
		{"full URL rule vs path-only page", "exact", "https://x.test/pricing", "/pricing", false},

		{"query rule matches same query", "exact", "/pricing?plan=pro", "https://x.test/pricing?plan=pro", true},
		{"query rule with page trailing slash", "exact", "/pricing?plan=pro", "https://x.test/pricing/?plan=pro", true},
		{"query rule other value", "exact", "/pricing?plan=pro", "https://x.test/pricing?plan=free", false},
		{"query rule page without query", "exact", "/pricing?plan=pro", "https://x.test/pricing", false},
		{"query rule ignores fragment", "exact", "/pricing?plan=pro", "https://x.test/pricing?plan=pro#top", true},

		{"hash route matches", "exact", "/app#/pricing", "https://x.test/app#/pricing", true},
		{"hash route other route", "exact", "/app#/pricing", "https://x.test/app#/home", false},
		{"hash route page without hash", "exact", "/app#/pricing", "https://x.test/app", false},
		{"hash route trailing slashes", "exact", "/app#/pricing", "https://x.test/app/#/pricing/", true},
		{"hash route ignores query", "exact", "/app#/pricing", "https://x.test/app?ref=mail#/pricing", true},
	})
}

func TestURLRule_Contains(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"piece in path", "contains", "pricing", "https://x.test/en/pricing/plans", true},
		{"piece absent", "contains", "pricing", "https://x.test/about", false},
		{"path piece", "contains", "/pricing", "https://x.test/en/pricing", true},
		{"piece in host", "contains", "shop.x.test", "https://shop.x.test/cart", true},
		{"query ignored", "contains", "pricing", "https://x.test/a?ref=pricing", false},
		{"fragment ignored", "contains", "pricing", "https://x.test/a#pricing", false},
		{"query piece", "contains", "?plan=pro", "https://x.test/pricing?plan=pro&x=1", true},
		{"hash piece", "contains", "#/pricing", "https://x.test/app#/pricing", true},
		{"hash piece other route", "contains", "#/pricing", "https://x.test/app#/home", false},
	})
}

func TestURLRule_StartsWith(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"the page itself", "starts_with", "/pricing", "https://x.test/pricing", true},
		{"page with trailing slash", "starts_with", "/pricing", "https://x.test/pricing/", true},
		{"sub page", "starts_with", "/pricing", "https://x.test/pricing/plans", true},
		{"not at start", "starts_with", "/pricing", "https://x.test/en/pricing", false},
		{"query ignored", "starts_with", "/pricing", "https://x.test/pricing?x=1", true},
		{"full URL prefix", "starts_with", "https://x.test/blog", "https://x.test/blog/post-1", true},
		{"full URL other host", "starts_with", "https://x.test/blog", "https://y.test/blog/post-1", false},
		{"full URL host case", "starts_with", "https://x.test/blog", "https://X.Test/blog/post-1", true},
		{"hash route prefix", "starts_with", "/app#/settings", "https://x.test/app#/settings/profile", true},
		{"hash route other", "starts_with", "/app#/settings", "https://x.test/app#/home", false},
	})
}

func TestURLRule_Wildcard(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"star in the middle", "wildcard", "/blog/*/comments", "https://x.test/blog/2024/comments", true},
		{"whole match required", "wildcard", "/blog/*/comments", "https://x.test/blog/2024/comments/7", false},
		{"trailing star", "wildcard", "/blog/*", "https://x.test/blog/post/1", true},
		{"trailing star other section", "wildcard", "/blog/*", "https://x.test/about", false},
		{"star matches across slashes", "wildcard", "/docs/*.html", "https://x.test/docs/a/b/c.html", true},
		{"leading and trailing stars", "wildcard", "*pricing*", "https://x.test/en/pricing/plans", true},
		{"stars without piece", "wildcard", "*pricing*", "https://x.test/about", false},
		{"no star means whole match", "wildcard", "/p*g", "https://x.test/pricing", true},
		{"suffix after last star must end", "wildcard", "/p*g", "https://x.test/pricings", false},
		{"prefix star", "wildcard", "/pricing*", "https://x.test/pricing-old", true},
		{"just a star", "wildcard", "*", "https://x.test/anything?at=all", true},
		{"host wildcard", "wildcard", "https://*.x.test/*", "https://www.x.test/a", true},
		{"host wildcard other domain", "wildcard", "https://*.x.test/*", "https://x.org/a", false},
		{"query ignored", "wildcard", "/blog/*", "https://x.test/blog/a?b=c", true},
		{"query rule", "wildcard", "/search?q=*", "https://x.test/search?q=shoes", true},
		{"query rule no query", "wildcard", "/search?q=*", "https://x.test/search", false},
		{"hash rule", "wildcard", "/app#/item/*", "https://x.test/app#/item/42", true},
		{"hash rule other route", "wildcard", "/app#/item/*", "https://x.test/app#/list", false},
		{"repeated stars", "wildcard", "/a/**/b", "https://x.test/a/x/y/b", true},
	})
}

func TestURLRule_Regex(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"path regex", "regex", `^/blog/.*`, "https://x.test/blog/post", true},
		{"path regex is anchored at start", "regex", `/blog/.*`, "https://x.test/en/blog/post", false},
		{"path regex is anchored at end", "regex", `/blog/\d+`, "https://x.test/blog/42/comments", false},
		{"path regex digits", "regex", `/blog/\d+`, "https://x.test/blog/42", true},
		{"path regex ignores host", "regex", `/blog/\d+`, "https://other.test/blog/42", true},
		{"path regex with $", "regex", `^/pricing$`, "https://x.test/pricing/", true},
		{"path regex ignores query", "regex", `^/pricing$`, "https://x.test/pricing?x=1", true},
		{"path regex ignores fragment", "regex", `^/pricing$`, "https://x.test/pricing#top", true},
		{"full URL regex", "regex", `https://x\.test/(pricing|plans)`, "https://x.test/plans", true},
		{"full URL regex other host", "regex", `https://x\.test/(pricing|plans)`, "https://y.test/plans", false},
		{"full URL regex whole match", "regex", `https://x\.test/pricing`, "https://x.test/pricing/more", false},
		{"full URL regex with normalised host", "regex", `https://x\.test/pricing`, "https://X.TEST:443/pricing/", true},
		{"any-host regex", "regex", `.*pricing.*`, "https://x.test/en/pricing", true},
		{"any-host regex absent", "regex", `.*pricing.*`, "https://x.test/about", false},
		{"query regex", "regex", `/search\?q=.+`, "https://x.test/search?q=shoes", true},
		{"query regex without query", "regex", `/search\?q=.+`, "https://x.test/search", false},
		{"hash regex", "regex", `/app#/pricing`, "https://x.test/app#/pricing", true},
		{"hash regex other route", "regex", `/app#/pricing`, "https://x.test/app#/home", false},
		{"case-insensitive flag on full URL", "regex", `(?i)https://x\.test/PRICING`, "https://x.test/pricing", true},
	})
}

// TestURLRule_RegexPathForms covers path regexes that do not begin with a
// literal "/" after the optional "^": a group or a flag. The format says a rule
// that is a path matches on the path; these are paths.
func TestURLRule_RegexPathForms(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"anchored group of paths", "regex", `^(/pricing|/plans)$`, "https://x.test/plans", true},
		{"non-capturing group of paths", "regex", `(?:/pricing|/plans)/.*`, "https://x.test/pricing/pro", true},
		{"case-insensitive path", "regex", `(?i)/pricing`, "https://x.test/Pricing", true},
	})
}

// TestURLRule_TrailingSlashPatterns: URL rules normalise trailing slashes, so
// "/blog/" and "/blog" are the same page. A rule written for a section,
// "/blog/*" or "^/blog/.*", literally matches "/blog/" and so must match the
// section's index page however its URL is written; and "starts with /blog/"
// must not reach "/blogroll", which never starts with "/blog/".
func TestURLRule_TrailingSlashPatterns(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"wildcard section index with slash", "wildcard", "/blog/*", "https://x.test/blog/", true},
		{"wildcard section index without slash", "wildcard", "/blog/*", "https://x.test/blog", true},
		{"regex section index with slash", "regex", `^/blog/.*`, "https://x.test/blog/", true},
		{"regex section index without slash", "regex", `^/blog/.*`, "https://x.test/blog", true},
		{"starts_with slash-ended section", "starts_with", "/blog/", "https://x.test/blog/post", true},
		{"starts_with slash-ended section index", "starts_with", "/blog/", "https://x.test/blog/", true},
		{"starts_with slash-ended rule vs sibling", "starts_with", "/blog/", "https://x.test/blogroll", false},
	})
}

func TestCompileURLRule_Errors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		rule      widget.URLRule
		wantField string
	}{
		{"missing match", widget.URLRule{Value: "/pricing"}, "match"},
		{"unknown match", widget.URLRule{Match: "like", Value: "/pricing"}, "match"},
		{"match in wrong case", widget.URLRule{Match: "Exact", Value: "/pricing"}, "match"},
		{"empty value", widget.URLRule{Match: "exact"}, "value"},
		{"blank value", widget.URLRule{Match: "contains", Value: "  \t"}, "value"},
		{"value too long", widget.URLRule{Match: "exact", Value: "/" + strings.Repeat("a", widget.MaxURLRuleLen)}, "value"},
		{"bad regex", widget.URLRule{Match: "regex", Value: "/blog/(["}, "value"},
		{"backreference is not RE2", widget.URLRule{Match: "regex", Value: `/(a)\1`}, "value"},
		{"lookahead is not RE2", widget.URLRule{Match: "regex", Value: `/(?=a)`}, "value"},
		{"ftp scheme", widget.URLRule{Match: "exact", Value: "ftp://x.test/file"}, "value"},
		{"javascript scheme", widget.URLRule{Match: "starts_with", Value: "javascript://x.test/%0Aalert(1)"}, "value"},
		{"file scheme wildcard", widget.URLRule{Match: "wildcard", Value: "file:///etc/*"}, "value"},
		{"relative exact", widget.URLRule{Match: "exact", Value: "pricing"}, "value"},
		{"relative starts_with", widget.URLRule{Match: "starts_with", Value: "pricing/plans"}, "value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := widget.CompileURLRule(tc.rule)
			if err == nil {
				t.Fatalf("CompileURLRule(%+v) = %v, nil; want an error on %q", tc.rule, m, tc.wantField)
			}
			var re *widget.RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T) is not a *RuleError", err, err)
			}
			if re.Field != tc.wantField {
				t.Errorf("RuleError.Field = %q, want %q (error: %v)", re.Field, tc.wantField, err)
			}
			if re.Problem == "" {
				t.Errorf("RuleError.Problem is empty")
			}
			if !strings.HasPrefix(err.Error(), tc.wantField+": ") {
				t.Errorf("Error() = %q, want it to start with the field %q", err.Error(), tc.wantField)
			}
		})
	}
}

func TestCompileURLRule_Accepts(t *testing.T) {
	t.Parallel()
	cases := []widget.URLRule{
		{Match: "exact", Value: "/"},
		{Match: "exact", Value: "https://x.test/pricing"},
		{Match: "exact", Value: "http://x.test/pricing"},
		{Match: "exact", Value: " /pricing "},
		{Match: "contains", Value: "pricing"},
		{Match: "starts_with", Value: "/pricing"},
		{Match: "wildcard", Value: "*pricing*"},
		{Match: "wildcard", Value: "/blog/*"},
		{Match: "regex", Value: `^/blog/.*`},
		{Match: "regex", Value: `(a+)+b`},
		{Match: "exact", Value: "/" + strings.Repeat("a", widget.MaxURLRuleLen-1)},
	}
	for _, r := range cases {
		if _, err := widget.CompileURLRule(r); err != nil {
			t.Errorf("CompileURLRule(%s %.40q) error: %v", r.Match, r.Value, err)
		}
	}
}

func TestParsePageURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                                string
		in                                  string
		scheme, host, path, query, fragment string
		str                                 string
	}{
		{"full", "https://x.test/a/b?c=d#e", "https", "x.test", "/a/b", "c=d", "e", "https://x.test/a/b?c=d#e"},
		{"case and default port", "HTTPS://Example.COM:443/Path/", "https", "example.com", "/Path", "", "", "https://example.com/Path"},
		{"http default port", "http://x.test:80", "http", "x.test", "/", "", "", "http://x.test/"},
		{"other port kept", "https://x.test:8443/a", "https", "x.test:8443", "/a", "", "", "https://x.test:8443/a"},
		{"http port 443 kept", "http://x.test:443/a", "http", "x.test:443", "/a", "", "", "http://x.test:443/a"},
		{"user info dropped", "https://user:pw@x.test/a", "https", "x.test", "/a", "", "", "https://x.test/a"},
		{"many trailing slashes", "https://x.test/a///", "https", "x.test", "/a", "", "", "https://x.test/a"},
		{"root", "https://x.test/", "https", "x.test", "/", "", "", "https://x.test/"},
		{"query on bare origin", "https://x.test?q=1", "https", "x.test", "/", "q=1", "", "https://x.test/?q=1"},
		{"fragment trailing slash", "https://x.test/app/#/pricing/", "https", "x.test", "/app", "", "/pricing", "https://x.test/app#/pricing"},
		{"path only", "/pricing/", "", "", "/pricing", "", "", "/pricing"},
		{"path with query", "/pricing?plan=pro", "", "", "/pricing", "plan=pro", "", "/pricing?plan=pro"},
		{"garbage is a path", "not a url", "", "", "not a url", "", "", "not a url"},
		{"empty", "", "", "", "", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u := widget.ParsePageURL(tc.in)
			got := [5]string{u.Scheme, u.Host, u.Path, u.Query, u.Fragment}
			want := [5]string{tc.scheme, tc.host, tc.path, tc.query, tc.fragment}
			if got != want {
				t.Errorf("ParsePageURL(%q) parts = %q, want %q", tc.in, got, want)
			}
			if s := u.String(); s != tc.str {
				t.Errorf("ParsePageURL(%q).String() = %q, want %q", tc.in, s, tc.str)
			}
		})
	}
}

// TestURLRule_Pathological runs rules built to make a backtracking matcher
// explode against long URLs. RE2 and the wildcard matcher are linear or
// O(len(rule)·len(url)); the test has no timing assertion, it only has to
// finish within the package's time budget.
func TestURLRule_Pathological(t *testing.T) {
	t.Parallel()
	long := "https://x.test/" + strings.Repeat("a", 20000)
	cases := []struct {
		name string
		rule widget.URLRule
		url  string
		want bool
	}{
		{"many stars, no final b", widget.URLRule{Match: "wildcard", Value: strings.Repeat("*a", 400) + "b"}, long, false},
		{"many stars, final b", widget.URLRule{Match: "wildcard", Value: strings.Repeat("*a", 400) + "*b"}, long + "b", true},
		{"nested quantifiers", widget.URLRule{Match: "regex", Value: `(a+)+b`}, long, false},
		{"alternation blow-up", widget.URLRule{Match: "regex", Value: `https://x\.test/(a|aa)*c`}, long, false},
		{"repeated any", widget.URLRule{Match: "regex", Value: `(.*a){20}b`}, long, false},
		{"contains on a long URL", widget.URLRule{Match: "contains", Value: strings.Repeat("a", 1000) + "b"}, long, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := widget.CompileURLRule(tc.rule)
			if err != nil {
				t.Fatalf("CompileURLRule: %v", err)
			}
			u := widget.ParsePageURL(tc.url)
			if got := m.Match(&u); got != tc.want {
				t.Errorf("Match = %v, want %v", got, tc.want)
			}
		})
	}
}

// A browser reports a page's path percent-encoded (location.href has
// "/%C3%BCber-uns" for "/über-uns"); a rule matches however it and the
// page spell the path, except for an encoded "/", "?", "#" or "%", which
// is not the character it encodes, and bytes that are not UTF-8.
func TestURLRule_PercentEncodedPaths(t *testing.T) {
	t.Parallel()
	runURLCases(t, []urlCase{
		{"exact, rule as shown", "exact", "/über-uns", "https://acme.de/%C3%BCber-uns", true},
		{"exact, rule encoded", "exact", "/%C3%BCber-uns", "https://acme.de/über-uns", true},
		{"lower-case hex", "exact", "/über-uns", "https://acme.de/%c3%bcber-uns", true},
		{"starts_with a space", "starts_with", "/search results", "https://acme.de/search%20results/2", true},
		{"contains", "contains", "über", "https://acme.de/%C3%BCber-uns", true},
		{"wildcard", "wildcard", "/produits/*-été", "https://acme.fr/produits/robe-%C3%A9t%C3%A9", true},
		{"regex", "regex", `^/über-.*`, "https://acme.de/%C3%BCber-uns", true},
		{"full URL rule", "exact", "https://acme.de/über-uns", "https://acme.de/%C3%BCber-uns", true},
		{"an encoded slash is not a slash", "exact", "/a/b", "https://x.test/a%2Fb", false},
		{"an encoded slash matches itself", "exact", "/a%2Fb", "https://x.test/a%2Fb", true},
		{"an encoded percent", "exact", "/100%", "https://x.test/100%25", false},
		{"not UTF-8 stays encoded", "exact", "/%FF", "https://x.test/%FF", true},
		{"not UTF-8 is not its bytes", "exact", "/\u00ff", "https://x.test/%FF", false},
		{"regex spelled encoded", "regex", `^/%C3%BCber-uns$`, "https://acme.de/%C3%BCber-uns", true},
		{"regex with an encoded space", "regex", `^/search%20results/.*`, "https://acme.de/search%20results/2", true},
		{"regex, decoded page", "regex", `^/search results/.*`, "https://acme.de/search%20results/2", true},
		{"an encoded star is not a wildcard", "wildcard", "/a%2A", "https://x.test/abc", false},
		{"an encoded star matches itself", "wildcard", "/a%2A", "https://x.test/a%2A", true},
	})
}
