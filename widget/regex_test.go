package widget

// wholeRegexp: a regex condition or URL rule matches the whole text; the
// ".*X.*" fast path must never change what matches.

import (
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestTrimDotStars: the shapes the fast path applies to, and the ones it
// must leave alone. The rewritten pattern is Go's rendering of the parsed
// inside, so its spelling is checked only for plain literals; otherwise its
// shape: an unanchored search ("search"), "…$" ("suffix") or "^…"
// ("prefix").
func TestTrimDotStars(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, pattern string
		shape         string // "" = no fast path
		exact         string // the rewrite, when it is worth spelling out
	}{
		{"both sides", ".*pricing.*", "search", "(?:pricing)"},
		{"leading only", ".*pricing", "suffix", "(?:pricing)$"},
		{"trailing only", "pricing.*", "prefix", "^(?:pricing)"},
		{"non-greedy", ".*?pricing.*?", "search", "(?:pricing)"},
		{"path", ".*/blog/.*", "search", "(?:/blog/)"},
		{"group inside", ".*(pricing|plans).*", "search", ""},
		{"alternation inside a group", ".*(?:a|b)c.*", "search", ""},
		{"several parts inside", ".*/shop/[a-z]+/\\d+.*", "search", ""},
		{"flags before the dot-star", "(?i).*pricing.*", "", ""},
		{"flags inside", ".*(?i:pricing).*", "search", "(?:(?i:pricing))"},
		{"escaped dot at the end", "pricing\\.*", "", ""},
		{"quoted text", ".*\\Qa.b\\E.*", "", ""},
		{"doubled leading star", ".*.*x", "suffix", ""},
		{"plus is not a star", ".+x.*", "prefix", ""},
		{"no dot-star", "pricing", "", ""},
		{"dot-star in the middle only", "a.*b", "", ""},
		{"anchored", "^.*x.*$", "", ""},
		{"dot-star alone", ".*", "", ""},
		{"two dot-stars alone", ".*.*", "", ""},
		{"top-level alternation", ".*a|b.*", "", ""},
		{"whole pattern in a group", "(.*x.*)", "", ""},
		{"dot matches newline", "(?s).*x.*", "", ""},
		{"dot matches newline, groups", "(?s:.*)x(?s:.*)", "", ""},
		{"not a regex", "a(b", "", ""},
		{"empty", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := trimDotStars(tc.pattern)
			shape := ""
			switch {
			case got == "":
			case strings.HasPrefix(got, "^"):
				shape = "prefix"
			case strings.HasSuffix(got, "$"):
				shape = "suffix"
			default:
				shape = "search"
			}
			if shape != tc.shape {
				t.Fatalf("trimDotStars(%q) = %q, a %q shape, want %q", tc.pattern, got, shape, tc.shape)
			}
			if tc.exact != "" && got != tc.exact {
				t.Errorf("trimDotStars(%q) = %q, want %q", tc.pattern, got, tc.exact)
			}
			if got != "" {
				if _, err := regexp.Compile(got); err != nil {
					t.Errorf("trimDotStars(%q) = %q, which does not compile: %v", tc.pattern, got, err)
				}
			}
		})
	}
}

// TestWholeRegexp_Match: whole-text matching, with and without the fast
// path, case-insensitive or not; a text with a newline is never matched by
// "." (RE2 semantics), fast path or not.
func TestWholeRegexp_Match(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, pattern string
		fold          bool
		subject       string
		want          bool
	}{
		{"contains", ".*pricing.*", false, "/en/pricing/teams", true},
		{"contains, absent", ".*pricing.*", false, "/en/plans", false},
		{"contains, other case", ".*pricing.*", false, "/en/PRICING", false},
		{"contains, folded", ".*pricing.*", true, "/en/PRICING", true},
		{"ends with", ".*\\.pdf", false, "/files/prices.pdf", true},
		{"ends with, not at the end", ".*\\.pdf", false, "/files/prices.pdf?x", false},
		{"starts with", "/blog/.*", false, "/blog/post", true},
		{"starts with, not at the start", "/blog/.*", false, "/en/blog/post", false},
		{"group alternation", ".*(pricing|plans).*", false, "/plans", true},
		{"anchors inside", ".*^/a.*", false, "/a/b", true},
		{"anchors inside, no match", ".*^/a.*", false, "/b/a", false},
		{"word boundary", ".*\\bsale\\b.*", false, "big sale now", true},
		{"word boundary, inside a word", ".*\\bsale\\b.*", false, "wholesale", false},
		{"plain whole match", "pricing", false, "pricing", true},
		{"plain is not a search", "pricing", false, "/pricing", false},
		{"newline stops the dot", ".*pricing.*", false, "a\npricing", false},
		{"newline stops the dot, trailing", "pricing.*", false, "pricing\nx", false},
		{"newline with (?s)", "(?s).*pricing.*", false, "a\npricing", true},
		{"empty subject", ".*x.*", false, "", false},
		{"empty pattern, empty subject", "", false, "", true},
		{"unicode folding", ".*été.*", true, "L'ÉTÉ", true},
		{"inline (?i) without fold", "(?i).*abc.*", false, "xABCx", true},
		// (?-i:…) switches folding off inside a folded pattern: the fast
		// form must keep that.
		{"(?-i) inside a folded pattern", ".*(?-i:abc).*", true, "xABCx", false},
		{"(?-i) inside a folded pattern, exact", ".*(?-i:abc).*", true, "XabcX", true},
		{"(?-i) on one side", "(?-i:A).*", true, "a-b", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, err := compileWhole(tc.pattern, tc.fold)
			if err != nil {
				t.Fatalf("compileWhole(%q): %v", tc.pattern, err)
			}
			if got := w.MatchString(tc.subject); got != tc.want {
				t.Errorf("%q (fold %v) on %q = %v, want %v", tc.pattern, tc.fold, tc.subject, got, tc.want)
			}
			if got := anchoredReference(tc.pattern, tc.fold).MatchString(tc.subject); got != tc.want {
				t.Errorf("test bug: the reference says %v", got)
			}
		})
	}
}

// TestCompileWhole_RejectsInvalid: a pattern that is not a regex on its own
// is refused, even when it would compile inside ^(?:…)$ — "a)|(b" there
// means "starts with a or ends with b", which nobody wrote.
func TestCompileWhole_RejectsInvalid(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"a(b", "[z-a]", "a)|(b", "/a)|(.*", ")(", "x{2,1}", `\`} {
		for _, fold := range []bool{false, true} {
			if w, err := compileWhole(p, fold); err == nil {
				t.Errorf("compileWhole(%q, %v) accepted it (anchored %v)", p, fold, w.anchored)
			}
		}
	}
	// The same holds for page triggers' regex URL rules, which
	// would otherwise match every page.
	if m, err := CompileURLRule(URLRule{Match: MatchRegex, Value: "/admin)|(.*"}); err == nil {
		u := ParsePageURL("https://x.test/pricing")
		t.Errorf("CompileURLRule accepted the regex \"/admin)|(.*\" (matches /pricing: %v)", m.Match(&u))
	}
}

// TestCompileWhole_QuoteToTheEnd: "\Q" without "\E" quotes the rest of the
// pattern (RE2); it is a valid pattern, and the wrapper's ")$" must not be
// quoted with it.
func TestCompileWhole_QuoteToTheEnd(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern, subject string
		fold             bool
		want             bool
	}{
		{`\Q.*`, ".*", false, true},
		{`\Q.*`, "anything", false, false},
		{`/files/\Q[1].pdf`, "/files/[1].pdf", false, true},
		{`/files/\Q[1].pdf`, "/files/1.pdf", false, false},
		{`.*\Q?plan=PRO`, "/pricing?plan=pro", true, true},
		{`.*\Q?plan=PRO`, "/pricing?plan=pro", false, false},
		{`a\Qb\E.*`, "abc", false, true},
	}
	for _, tc := range cases {
		w, err := compileWhole(tc.pattern, tc.fold)
		if err != nil {
			t.Errorf("compileWhole(%q, %v): %v, want it accepted", tc.pattern, tc.fold, err)
			continue
		}
		if got := w.MatchString(tc.subject); got != tc.want {
			t.Errorf("%q (fold %v) on %q = %v, want %v", tc.pattern, tc.fold, tc.subject, got, tc.want)
		}
	}
}

// anchoredReference is the plain, obviously right form of a whole match.
func anchoredReference(p string, fold bool) *regexp.Regexp {
	flags := ""
	if fold {
		flags = "(?i)"
	}
	return regexp.MustCompile(flags + "^(?:" + p + ")$")
}

// FuzzWholeRegexp: for every pattern that compiles and every subject, the
// fast form agrees with the plain anchored regexp, case-sensitive and
// (?i); a pattern that does not compile on its own is refused.
// Seeds: the f.Add calls below and testdata/fuzz/FuzzWholeRegexp.
func FuzzWholeRegexp(f *testing.F) {
	seeds := []struct{ pattern, subject string }{
		{".*pricing.*", "/en/pricing"},
		{".*x", "ax"},
		{"x.*", "xa"},
		{".*(a|b)c.*", "zzbczz"},
		{"(?s).*x.*", "a\nx"},
		{".*\\bfoo\\b.*", "a foo b"},
		{".*^foo.*", "foo"},
		{".*(?-i:abc).*", "xABCx"},
		{"(?i).*ABC.*", "xabcx"},
		{".*[^\\n]x", "ax"},
		{".*\\z.*", ""},
		{".*(?m:^)x.*", "ax"},
		{".*\\x{FFFD}.*", "\xff"},
		{"a)|(b", "a"},
		{".*é.*", "É"},
		{".*\\Q.*\\E.*", ".*"},
		{"0\\Q", "0"},
		{"\\Q.*", ".*"},
		{"^/shop/(tents|packs)/[a-z0-9-]+$", "/shop/packs/x1"},
		{"/docs/x?y", "/docs/y"},
		{"/a|/b", "/b"},
		{"[|]x|/b", "/b"},
		{"a\\.b{0}c", "a.c"},
		{"K/x", "\u212a/x"},
		{"\\/\\_x*", "/_"},
	}
	for _, s := range seeds {
		f.Add(s.pattern, s.subject)
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		if len(p) > 256 || len(s) > 1024 {
			return
		}
		_, perr := regexp.Compile(p)
		for _, fold := range []bool{false, true} {
			w, err := compileWhole(p, fold)
			if perr != nil {
				if err == nil {
					t.Fatalf("compileWhole(%q, %v) accepts a pattern that does not compile: %v", p, fold, perr)
				}
				continue
			}
			if err != nil {
				t.Fatalf("compileWhole(%q, %v): %v, but it compiles", p, fold, err)
			}
			flags := ""
			if fold {
				flags = "(?i)"
			}
			ref, rerr := regexp.Compile(flags + "^(?:" + p + ")$")
			if rerr != nil {
				// A pattern ending inside \Q… quotes the wrapper too, so
				// it has no plain anchored form (see
				// TestCompileWhole_QuoteToTheEnd).
				continue
			}
			want := ref.MatchString(s)
			if got := w.MatchString(s); got != want {
				t.Fatalf("%q (fold %v, fast %v) on %q = %v, anchored says %v", p, fold, w.fast, s, got, want)
			}
			// The fast form on its own, on the subject without newlines.
			if w.fast != nil {
				flat := strings.ReplaceAll(s, "\n", "")
				if got, want := w.fast.MatchString(flat), ref.MatchString(flat); got != want {
					t.Fatalf("%q (fold %v, fast %v) on %q = %v, anchored says %v", p, fold, w.fast, flat, got, want)
				}
			}
		}
	})
}

// TestLiteralPrefix: the text a whole match must start with, read without
// compiling; "" wherever the scan cannot be sure.
func TestLiteralPrefix(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern string
		fold    bool
		want    string
	}{
		{"^/shop/(tents|packs)/[a-z0-9-]+$", false, "/shop/"},
		{`https://acme\.test/careers/.*`, false, "https://acme.test/careers/"},
		{"/docs/x?y", false, "/docs/"},
		{"/docs/x*", false, "/docs/"},
		{"/docs/x{2}", false, "/docs/"},
		{"/Docs/x", true, "/"},
		{"/a|/b", false, ""},
		{"(/a)|/b", false, ""},
		{"[|)]x|/b", false, ""},
		{`\(a\)|b`, false, ""},
		{"/x[[:alpha:]]", false, ""},
		{`/x\Q.\E`, false, ""},
		{`/x\d`, false, "/x"},
		{".*pricing.*", false, ""},
		{"(?i)abc", false, ""},
		{"/é", false, "/"},
		{"/docs/(x", false, "/docs/"},
		{"0(?s)*.", false, ""}, // the star repeats the 0
		{"/a(?i)b", false, ""},
		{"/a(?:b)*", false, "/a"},
		{"/a(?P<n>b)", false, "/a"},
	} {
		if got := literalPrefix(c.pattern, c.fold); got != c.want {
			t.Errorf("literalPrefix(%q, %v) = %q, want %q", c.pattern, c.fold, got, c.want)
		}
	}
}

// TestWholeRegexp_PrefixSparesTheCompile: a string without the pattern's
// literal start is no match, and the pattern stays uncompiled; a string
// with it compiles the pattern and matches as the regexp says.
func TestWholeRegexp_PrefixSparesTheCompile(t *testing.T) {
	t.Parallel()
	w := newWholeRegexp("^/shop/(tents|packs)/[a-z0-9-]+$", false)
	if w.MatchString("/bench/widget.html") || w.anchored != nil {
		t.Fatalf("a path without the prefix: match or compile (anchored %v)", w.anchored)
	}
	if !w.MatchString("/shop/tents/x-1") || w.anchored == nil {
		t.Fatal("/shop/tents/x-1 does not match")
	}
	if w.MatchString("/shop/boats/x") {
		t.Fatal("/shop/boats/x matches")
	}
	bad := newWholeRegexp("/docs/(x", false)
	if bad.MatchString("/blog/") || bad.failed() {
		t.Fatal("an invalid pattern was compiled for a string its prefix rules out")
	}
	if bad.MatchString("/docs/x") || !bad.failed() {
		t.Fatal("an invalid pattern was not found invalid on a string with its prefix")
	}
}

// A pattern whose repetitions of large classes would compile to a huge
// program is refused before it is compiled, cheaply; patterns of a real
// site's size pass.
func TestCompileWhole_BoundsTheProgram(t *testing.T) {
	for _, p := range []string{`[a-z]{900}`, `\pL+`, `^/(docs|help)/[a-z0-9-]{1,63}/\d+$`, `(?i)\w{1,200}@\w+\.\w{2,}`,
		`^/blog/[\p{L}0-9-]{1,80}$`, `[\pL\pN]{1,40}`, `(\pL{10}){10}`, `\pL{300}`} {
		if _, err := compileWhole(p, false); err != nil {
			t.Errorf("compileWhole(%q): %v, want it to compile", p, err)
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, p := range []string{`\pL{1000}`, strings.Repeat(`\pL{1000}`, 1000), `(\pL{100}){5}`, `a{500}b{500}x`, `[a-z]{600}[0-9]{600}`} {
		_, err := compileWhole(p, true)
		if err == nil || !strings.Contains(err.Error(), "too large") {
			t.Errorf("compileWhole(%.40q…): %v, want it refused as too large", p, err)
		}
	}
	runtime.ReadMemStats(&after)
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 16 {
		t.Errorf("refusing the patterns allocated %d MB", mb)
	}
}

// A text longer than MaxRegexSubject does not match: RE2's time grows
// with the text, and a URL's fragment can be as long as a link makes it.
func TestWholeRegexp_LongSubjectDoesNotMatch(t *testing.T) {
	t.Parallel()
	w, err := compileWhole(`.*x.*`, false)
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Repeat("a", MaxRegexSubject-1) + "x"
	if !w.MatchString(at) {
		t.Errorf("a subject of %d bytes does not match", len(at))
	}
	if over := at + "a"; w.MatchString(over) {
		t.Errorf("a subject of %d bytes matches, over the limit of %d", len(over), MaxRegexSubject)
	}
}
