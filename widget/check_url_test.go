package widget_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// urlPlaces are the places a URL of a trigger set reaches the page: the
// agent's image and the image, file and link attachments of a shortcut.
// Each returns a set with u in that place and the field a problem names.
var urlPlaces = []struct {
	name   string
	link   bool // a link card, which may also be a plain http: page
	setFor func(u string) (*widget.Set, string)
}{
	{"agent image", false, func(u string) (*widget.Set, string) {
		return setOf(with(siteT("t", 0), func(t *widget.Trigger) { t.Agent.Image = u })), "agent.image"
	}},
	{"image attachment", false, func(u string) (*widget.Set, string) {
		return attachmentSet(widget.Attachment{Kind: widget.AttachImage, URL: u}), "shortcuts[0].attachments[0].url"
	}},
	{"file attachment", false, func(u string) (*widget.Set, string) {
		return attachmentSet(widget.Attachment{Kind: widget.AttachFile, URL: u}), "shortcuts[0].attachments[0].url"
	}},
	{"link attachment", true, func(u string) (*widget.Set, string) {
		return attachmentSet(widget.Attachment{Kind: widget.AttachLink, URL: u}), "shortcuts[0].attachments[0].url"
	}},
}

func attachmentSet(a widget.Attachment) *widget.Set {
	s := setOf(siteT("t", 0))
	s.Shortcuts = []widget.Shortcut{{ID: "sc", Attachments: []widget.Attachment{a}}}
	return s
}

// urlProblem returns the code of the problem on field, "" when none.
func urlProblem(t *testing.T, s *widget.Set, field string) string {
	t.Helper()
	err := widget.Validate(s)
	if err == nil {
		return ""
	}
	for _, p := range asValidation(t, err).Problems {
		if p.Field == field {
			if p.Problem == "" {
				t.Errorf("problem %+v has no message", p)
			}
			return p.Code
		}
	}
	t.Fatalf("unexpected problems %v", err)
	return ""
}

// TestCheckURL_AsTheBrowserReadsIt: a URL is refused when a browser would
// read it otherwise than it looks — control characters, tabs and line
// breaks (dropped or deleted by the URL parser), backslashes (read as '/'),
// anything that turns a "relative" URL into one of another host — and when
// its scheme is not allowed.
func TestCheckURL_AsTheBrowserReadsIt(t *testing.T) {
	t.Parallel()
	long := "/" + strings.Repeat("a", widget.MaxURLLen)
	cases := []struct {
		name string
		url  string
		want string // code, or "" when accepted
		// linkWant, when not "-", is the code for a link card instead.
		linkWant string
	}{
		// Control characters, which the browser strips at either end.
		{"leading U+0001 before //host", "\u0001//evil.example/x.png", widget.CodeBadURL, "-"},
		{"leading NUL", "\x00/x.png", widget.CodeBadURL, "-"},
		{"leading U+001F before //host", "\x1f//evil.example/x.png", widget.CodeBadURL, "-"},
		{"trailing DEL", "/x.png\x7f", widget.CodeBadURL, "-"},
		{"DEL inside", "/x\x7f.png", widget.CodeBadURL, "-"},
		{"escape character inside", "/x\x1b.png", widget.CodeBadURL, "-"},
		// Spaces, stripped at either end.
		{"leading space before //host", " //evil.example/x.png", widget.CodeBadURL, "-"},
		{"leading space before javascript:", " javascript:alert(1)", widget.CodeBadURL, "-"},
		{"trailing space", "/x.png ", widget.CodeBadURL, "-"},
		{"space inside", "/my file.png", widget.CodeBadURL, "-"},
		// Tabs and line breaks, deleted wherever they are.
		{"tab between the slashes", "/\t/evil.example/x.png", widget.CodeBadURL, "-"},
		{"line feed between the slashes", "/\n/evil.example/x.png", widget.CodeBadURL, "-"},
		{"carriage return between the slashes", "/\r/evil.example/x.png", widget.CodeBadURL, "-"},
		{"leading tab", "\t//evil.example/x.png", widget.CodeBadURL, "-"},
		{"tab inside javascript:", "java\tscript:alert(1)", widget.CodeBadURL, "-"},
		{"line feed inside the scheme", "jav\nascript:alert(1)", widget.CodeBadURL, "-"},
		// Another host behind something that looks relative.
		{"//host", "//evil.example/x.png", widget.CodeBadURL, "-"},
		{"/\\host", "/\\evil.example/x.png", widget.CodeBadURL, "-"},
		{"\\\\host", "\\\\evil.example/x.png", widget.CodeBadURL, "-"},
		{"\\/host", "\\/evil.example/x.png", widget.CodeBadURL, "-"},
		{"backslash in a path", "/img\\a.png", widget.CodeBadURL, "-"},
		{"host:port without scheme", "evil.example:443/x.png", widget.CodeBadURL, "-"},
		// https: in every shape a browser still reads as https://host.
		{"https: without slashes", "https:evil.example/x.png", widget.CodeBadURL, "-"},
		{"https: with one slash", "https:/evil.example/x.png", widget.CodeBadURL, "-"},
		{"https: with three slashes", "https:///evil.example/x.png", widget.CodeBadURL, "-"},
		{"https: with backslashes", "https:\\\\evil.example/x.png", widget.CodeBadURL, "-"},
		{"https: with slash and backslash", "https:/\\evil.example/x.png", widget.CodeBadURL, "-"},
		{"https without host", "https://", widget.CodeBadURL, "-"},
		{"https with only a port", "https://:443/x.png", widget.CodeBadURL, "-"},
		{"https with a user before the host", "https://cdn.example.com@evil.example/x.png", widget.CodeBadURL, "-"},
		{"https with a port that is not a number", "https://cdn.example.com:x/a.png", widget.CodeBadURL, "-"},
		{"https with an encoded dot in the host", "https://evil%2Eexample/x.png", widget.CodeBadURL, "-"},
		// Hosts and ports the browser refuses to parse: a dead link or image.
		{"https with two ports", "https://cdn.example.com:80:80/a.png", widget.CodeBadURL, "-"},
		{"https with a port over 65535", "https://cdn.example.com:99999/a.png", widget.CodeBadURL, "-"},
		{"https with a name in brackets", "https://[evil.example]/a.png", widget.CodeBadURL, "-"},
		{"https with a ']' in the host", "https://a]b:1/a.png", widget.CodeBadURL, "-"},
		{"https with a '[' never closed", "https://[2001:db8::1/a.png", widget.CodeBadURL, "-"},
		{"https with text after the brackets", "https://[2001:db8::1]x/a.png", widget.CodeBadURL, "-"},
		// Other schemes.
		{"javascript:", "javascript:alert(1)", widget.CodeBadURL, "-"},
		{"JavaScript: mixed case", "JaVaScRiPt:alert(1)", widget.CodeBadURL, "-"},
		{"data:", "data:image/png;base64,AAAA", widget.CodeBadURL, "-"},
		{"vbscript:", "vbscript:msgbox", widget.CodeBadURL, "-"},
		{"http:", "http://cdn.example.com/a.png", widget.CodeBadURL, ""},
		{"HTTP: upper case", "HTTP://cdn.example.com/a.png", widget.CodeBadURL, ""},
		{"http: without slashes", "http:evil.example/x", widget.CodeBadURL, widget.CodeBadURL},
		{"http without host", "http://", widget.CodeBadURL, widget.CodeBadURL},
		{"http with a tab", "http://cdn.example.com/\ta", widget.CodeBadURL, widget.CodeBadURL},
		{"ftp:", "ftp://cdn.example.com/a.png", widget.CodeBadURL, "-"},
		// Characters that have no business in a URL.
		{"double quote", "/a\".png", widget.CodeBadURL, "-"},
		{"angle brackets", "/<svg>.png", widget.CodeBadURL, "-"},
		{"not UTF-8", "/a\xff.png", widget.CodeBadURL, "-"},
		{"too long", long, widget.CodeTooLong, "-"},
		// Accepted.
		{"https", "https://cdn.example.com/a.png", "", "-"},
		{"HTTPS upper case", "HTTPS://cdn.example.com/a.png", "", "-"},
		{"https with a port", "https://cdn.example.com:8443/a.png", "", "-"},
		{"https with the highest port", "https://cdn.example.com:65535/a.png", "", "-"},
		{"https with an empty port", "https://cdn.example.com:/a.png", "", "-"},
		{"https with an IPv6 host", "https://[2001:db8::1]/a.png", "", "-"},
		{"https with an IPv6 host and port", "https://[2001:db8::1]:8443/a.png", "", "-"},
		{"https with an international host", "https://bücher.example/a.png", "", "-"},
		{"https with // in the path", "https://cdn.example.com//evil.example/a.png", "", "-"},
		{"root-relative", "/img/a.png", "", "-"},
		{"relative", "img/a.png", "", "-"},
		{"dot-relative", "./a.png", "", "-"},
		{"parent-relative", "../a.png", "", "-"},
		{"colon in the query", "img/a.png?t=12:30", "", "-"},
		{"// later in the path", "/img//evil.example/a.png", "", "-"},
		{"//host in the query", "/a.png?next=//evil.example", "", "-"},
		{"encoded slashes", "/%2F%2Fevil.example/x.png", "", "-"},
		{"encoded slashes at the start", "%2F%2Fevil.example/x.png", "", "-"},
		{"encoded backslash", "/%5Cevil.example/x.png", "", "-"},
		{"encoded tab", "/%09/evil.example/x.png", "", "-"},
		{"no-break space at the start", "\u00a0//evil.example/x.png", "", "-"},
		{"fullwidth slashes", "／／evil.example/x.png", "", "-"},
		{"at the length limit", long[:widget.MaxURLLen], "", "-"},
	}
	base, _ := url.Parse("https://widget.example/p/acme/triggers.json")
	for _, tc := range cases {
		for _, place := range urlPlaces {
			t.Run(tc.name+"/"+place.name, func(t *testing.T) {
				t.Parallel()
				want := tc.want
				if place.link && tc.linkWant != "-" {
					want = tc.linkWant
				}
				s, field := place.setFor(tc.url)
				if got := urlProblem(t, s, field); got != want {
					t.Fatalf("%q: code %q, want %q", tc.url, got, want)
				}
				if want != "" || strings.Contains(tc.url, "://") {
					return
				}
				// An accepted relative URL stays on the set's host.
				ref, err := url.Parse(tc.url)
				if err != nil {
					t.Fatalf("accepted %q, which does not parse: %v", tc.url, err)
				}
				if got := base.ResolveReference(ref); got.Host != base.Host || got.Scheme != base.Scheme {
					t.Errorf("accepted %q, which resolves to %s", tc.url, got)
				}
			})
		}
	}
}

// TestCheckURL_ProblemNamesTheCharacter: the message says what is wrong,
// so that a person can find an invisible character.
func TestCheckURL_ProblemNamesTheCharacter(t *testing.T) {
	t.Parallel()
	cases := []struct{ url, want string }{
		{"\u0001//evil.example/x.png", "U+0001 at byte 0"},
		{"/\t/evil.example", "tab or line break at byte 1"},
		{"/\\evil.example", "backslash at byte 1"},
		{"/x.png ", "space at byte 6"},
		{"//evil.example/x.png", "starts with //"},
		{"https:evil.example", "https: must be followed by // and a host"},
		{"https://a@evil.example", "before the host"},
	}
	for _, tc := range cases {
		s := attachmentSet(widget.Attachment{Kind: widget.AttachImage, URL: tc.url})
		ve := asValidation(t, widget.Validate(s))
		if len(ve.Problems) != 1 || !strings.Contains(ve.Problems[0].Problem, tc.want) {
			t.Errorf("%q: problems %v, want one saying %q", tc.url, ve.Problems, tc.want)
		}
	}
}

// TestValidate_ShownTextLimits: every text of an attachment that the widget
// shows has a length limit (too_long) and must be UTF-8 (bad_text); the
// limit itself is accepted.
func TestValidate_ShownTextLimits(t *testing.T) {
	t.Parallel()
	form := func(f func(*widget.Attachment)) widget.Attachment {
		a := widget.Attachment{Kind: widget.AttachForm, Fields: []widget.FormField{{Name: "email", Type: "email"}}}
		f(&a)
		return a
	}
	cases := []struct {
		name  string
		limit int
		att   func(text string) widget.Attachment
		field string
	}{
		{"image alt", widget.MaxAltLen, func(s string) widget.Attachment {
			return widget.Attachment{Kind: widget.AttachImage, URL: "/a.png", Alt: s}
		}, "shortcuts[0].attachments[0].alt"},
		{"file name", widget.MaxFileNameLen, func(s string) widget.Attachment {
			return widget.Attachment{Kind: widget.AttachFile, URL: "/a.pdf", Name: s}
		}, "shortcuts[0].attachments[0].name"},
		{"link title", widget.MaxLinkTitleLen, func(s string) widget.Attachment {
			return widget.Attachment{Kind: widget.AttachLink, URL: "/a", Title: s}
		}, "shortcuts[0].attachments[0].title"},
		{"form submit label", widget.MaxSubmitLen, func(s string) widget.Attachment {
			return form(func(a *widget.Attachment) { a.Submit = s })
		}, "shortcuts[0].attachments[0].submit"},
		{"form field label", widget.MaxFieldLabelLen, func(s string) widget.Attachment {
			return form(func(a *widget.Attachment) { a.Fields[0].Label = s })
		}, "shortcuts[0].attachments[0].fields[0].label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			check := func(text, want string) {
				t.Helper()
				if got := urlProblem(t, attachmentSet(tc.att(text)), tc.field); got != want {
					t.Errorf("%d characters: code %q, want %q", len([]rune(text)), got, want)
				}
			}
			check(strings.Repeat(emoji, tc.limit), "")
			check(strings.Repeat("é", tc.limit+1), widget.CodeTooLong)
			check("ok \xff", widget.CodeBadText)
			// A trigger sending the shortcut is skipped with it.
			s := attachmentSet(tc.att(strings.Repeat("x", tc.limit+1)))
			s.Triggers[0].Message = &widget.Message{Shortcut: "sc"}
			if c := widget.Compile(s); len(c.Triggers) != 0 {
				t.Errorf("a trigger sending a shortcut with a %s over its limit still runs", tc.name)
			}
		})
	}
}

// TestValidate_FormFieldNameIsAnID: a form field's name, which the widget
// uses as the input's name, is limited like an id.
func TestValidate_FormFieldNameIsAnID(t *testing.T) {
	t.Parallel()
	s := attachmentSet(widget.Attachment{Kind: widget.AttachForm, Fields: []widget.FormField{{Name: strings.Repeat("n", widget.MaxIDLen+1)}}})
	if got := urlProblem(t, s, "shortcuts[0].attachments[0].fields[0].name"); got != widget.CodeBadID {
		t.Errorf("a form field name of %d bytes: code %q, want %q", widget.MaxIDLen+1, got, widget.CodeBadID)
	}
}
