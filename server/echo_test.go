package server

import (
	"net/url"
	"strings"
	"testing"
)

// TestErrorsRepeatNoRequest: an error answer on a public route does not
// repeat what the request sent when it failed the checks.
func TestErrorsRepeatNoRequest(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	const marker = "MARKER-from-the-request"
	for _, path := range []string{
		"/p/" + url.PathEscape("<b>"+marker+"</b>") + "/triggers.json",
		"/p/" + marker + strings.Repeat("x", 80) + "/triggers.json",
		"/p/." + marker + "/triggers.json",
		"/p/acme/avatars/" + url.PathEscape("<"+marker+">"),
		"/p/acme/" + marker,
		"/widget/" + marker + ".js",
		"/" + marker,
	} {
		resp := do(t, f.srv, "GET", path, nil)
		if resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
		if b := body(t, resp); strings.Contains(b, "MARKER") {
			t.Errorf("%s: the answer repeats the request: %q", path, b)
		}
	}
}
