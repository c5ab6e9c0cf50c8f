//go:build !js

package admin_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestHostileSetRefused: the admin refuses, with the validator's named
// code on the right field, every URL a browser would read otherwise than
// it looks and every shown text over its limit; nothing is published.
func TestHostileSetRefused(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	withImage := func(img string) string {
		b, _ := json.Marshal(img)
		return fmt.Sprintf(`{"id": "t", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "A", "image": %s}}`, b)
	}
	sends := []string{shortcutTrigger("t", "sc")}
	tests := []struct {
		name, set, field, code string
	}{
		{"control character before //host", setJSON("p", []string{withImage("\u0001//evil.example/x.png")}), "agent.image", "bad_url"},
		{"tab inside //host", setJSON("p", []string{withImage("/\t/evil.example/x.png")}), "agent.image", "bad_url"},
		{"backslash", setJSON("p", []string{withImage("/\\evil.example/x.png")}), "agent.image", "bad_url"},
		{"https: without //", setJSON("p", []string{withImage("https:evil.example/x.png")}), "agent.image", "bad_url"},
		{"link with a leading space", setJSON("p", sends, `{"id": "sc", "attachments": [{"kind": "link", "url": " //evil.example", "title": "x"}]}`),
			"shortcuts[0].attachments[0].url", "bad_url"},
		{"image alt over its limit", setJSON("p", sends, fmt.Sprintf(`{"id": "sc", "attachments": [{"kind": "image", "url": "/a.png", "alt": %q}]}`, strings.Repeat("a", 201))),
			"shortcuts[0].attachments[0].alt", "too_long"},
		{"form label over its limit", setJSON("p", sends, fmt.Sprintf(`{"id": "sc", "attachments": [{"kind": "form", "fields": [{"name": "n", "label": %q}]}]}`, strings.Repeat("a", 101))),
			"shortcuts[0].attachments[0].fields[0].label", "too_long"},
		{"submit label over its limit", setJSON("p", sends, fmt.Sprintf(`{"id": "sc", "attachments": [{"kind": "form", "fields": [{"name": "n"}], "submit": %q}]}`, strings.Repeat("a", 61))),
			"shortcuts[0].attachments[0].submit", "too_long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(t, owner, "PUT", pp+"/triggerset", tc.set, "If-Match", "*")
			ae := wantError(t, r, http.StatusUnprocessableEntity, "invalid")
			found := false
			for _, p := range ae.Error.Problems {
				found = found || p.Field == tc.field && p.Code == tc.code
			}
			if !found {
				t.Errorf("problems %+v, want %s on %s", ae.Error.Problems, tc.code, tc.field)
			}
		})
	}
	if v := e.storedSet(t, "p"); v.Number != 1 {
		t.Errorf("a refused set was published as version %d", v.Number)
	}
}

// TestUploadRanges: an upload is served with up to a few byte ranges, and
// a request for more is refused (416) without its bytes.
func TestUploadRanges(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	var u uploaded
	decodeJSON(t, e.do(t, owner, "POST", pp+"/uploads?filename=a.png", pngBytes(t, 3, 2), "Content-Type", "image/png"), &u)
	if r := e.do(t, anon, "GET", u.Path, nil, "Range", "bytes=0-0,2-2,4-4,6-6"); r.Status != http.StatusPartialContent {
		t.Errorf("4 ranges: %d, want 206", r.Status)
	}
	r := e.do(t, anon, "GET", u.Path, nil, "Range", "bytes=0-0,2-2,4-4,6-6,8-8")
	if r.Status != http.StatusRequestedRangeNotSatisfiable {
		t.Fatalf("5 ranges: %d, want 416", r.Status)
	}
	if got, want := r.Header.Get("Content-Range"), fmt.Sprintf("bytes */%d", u.Size); got != want {
		t.Errorf("Content-Range %q, want %q", got, want)
	}
	if strings.Contains(string(r.Body), "PNG") {
		t.Errorf("the refusal carries the file: %q", r.Body)
	}
}

// TestSyntaxErrorQuotesNothing: a body that is not a trigger set — any
// file, sent by mistake — is refused with the place of the problem, never
// with its bytes, through every road a set comes in by.
func TestSyntaxErrorQuotesNothing(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	const secret = "root:$6$SECRETHASH near x"
	bodies := []string{
		secret + "\n",
		"{\"version\": 1,\n \"property\": \"p\" " + secret + "}",
		"{\"version\": 1, \"property\": \"p\", \"triggers\": [{\"id\": \"a\" near \"b\", " + secret + "}]}",
	}
	for _, b := range bodies {
		for _, route := range []struct{ method, path string }{{"PUT", pp + "/triggerset"}, {"POST", pp + "/validate"}} {
			r := e.do(t, owner, route.method, route.path, b, "If-Match", "*")
			ae := wantError(t, r, http.StatusUnprocessableEntity, "invalid")
			if strings.Contains(string(r.Body), "SECRET") {
				t.Errorf("%s %s: the answer quotes the body: %s", route.method, route.path, r.Body)
			}
			if len(ae.Error.Problems) != 1 || ae.Error.Problems[0].Line == 0 || !strings.Contains(ae.Error.Problems[0].Message, "at line") {
				t.Errorf("%s %s: problems %+v, want one placed by line and column", route.method, route.path, ae.Error.Problems)
			}
		}
	}
}

// TestUploadNotFoundRepeatsNoRequest: /u/ with a name that is no upload's
// answers 404 without repeating the name.
func TestUploadNotFoundRepeatsNoRequest(t *testing.T) {
	t.Parallel()
	e, _ := withProperty(t)
	for _, name := range []string{"MARKER.png", "%3Cb%3EMARKER%3C%2Fb%3E", strings.Repeat("0", 64) + ".MARKER"} {
		r := e.do(t, anon, "GET", "/u/"+name, nil)
		if r.Status != http.StatusNotFound {
			t.Errorf("/u/%s: %d, want 404", name, r.Status)
		}
		if strings.Contains(string(r.Body), "MARKER") {
			t.Errorf("/u/%s: the answer repeats the name: %s", name, r.Body)
		}
	}
}
