//go:build !js

package web

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// hostileImage looks relative, but a browser drops the leading control
// character and loads it from evil.example.
const hostileImage = "\x01//evil.example/x.png"

// TestShortcutThumbOnlyForAcceptedURLs: the shortcut editor shows an
// image attachment's thumbnail only for a URL the widget accepts, whether
// the form is laid out again by a button or refused on save.
func TestShortcutThumbOnlyForAcceptedURLs(t *testing.T) {
	w := newMGWorld(t)
	c := w.login(t, "ann@example.com")
	form := url.Values{
		"a.0.kind": {"image"}, "a.0.url": {hostileImage},
		"a.1.kind": {"image"}, "a.1.url": {"https://cdn.example.com/a.png"},
		"a.2.kind": {"image"}, "a.2.url": {"/img\\..\\evil.png"},
	}
	for _, op := range []string{"add-attachment", "save"} {
		f := url.Values{"op": {op}, "id": {"pics"}}
		for k, v := range form {
			f[k] = v
		}
		r := w.do(t, c, "POST", mgBasePath+"shortcuts/new", f)
		if op == "save" && r.status != http.StatusUnprocessableEntity {
			t.Fatalf("save with a hostile URL: %d", r.status)
		}
		if got := strings.Count(r.body, `class="thumb"`); got != 1 || !strings.Contains(r.body, `<img class="thumb" src="https://cdn.example.com/a.png"`) {
			t.Errorf("%s: %d thumbnails, want only the https one", op, got)
		}
		if op == "save" && (!strings.Contains(r.body, `id="a0-url-err"`) || !strings.Contains(r.body, `id="a2-url-err"`)) {
			t.Errorf("save: the hostile URLs are not marked refused")
		}
	}
}

// TestEditorCurrentImageOnlyForAcceptedURLs: the trigger editor shows the
// agent's current image only when the widget accepts its URL.
func TestEditorCurrentImageOnlyForAcceptedURLs(t *testing.T) {
	e := newEditorEnv(t)
	for _, tc := range []struct {
		image string
		shown bool
	}{
		{hostileImage, false},
		{"/\t/evil.example/x.png", false},
		{"https://cdn.example.com/maya.png", true},
	} {
		f := e.newForm("site")
		f.Set("agentName", "Maya")
		f.Set("agentImage", tc.image)
		f.Set("avatar", "image")
		f.Set("text", "")
		res := e.post("/admin/p/acme/settings/triggers/new", f)
		page := edBody(res)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%q: status %d, want the refused form again", tc.image, res.StatusCode)
		}
		if got := strings.Contains(page, `<img class="avatar-pic" src="https://cdn.example.com/maya.png"`); got != tc.shown {
			t.Errorf("%q: image shown %v, want %v", tc.image, got, tc.shown)
		}
		if regexp.MustCompile(`<img [^>]*src="[^"]*evil`).MatchString(page) {
			t.Errorf("%q: the hostile image is shown", tc.image)
		}
		if !strings.Contains(page, `id="avatar-image"`) {
			t.Errorf("%q: the Current image choice is gone", tc.image)
		}
	}
}

// TestStaticRanges: the admin's own files honour a few byte ranges and
// refuse more, like every file route of widgetd.
func TestStaticRanges(t *testing.T) {
	w := newMGWorld(t)
	for _, tc := range []struct {
		ranges string
		want   int
	}{
		{"bytes=0-0,2-2,4-4,6-6", http.StatusPartialContent},
		{"bytes=0-0,2-2,4-4,6-6,8-8", http.StatusRequestedRangeNotSatisfiable},
	} {
		req, _ := http.NewRequest("GET", w.srv.URL+"/admin/static/preview.js", nil)
		req.Header.Set("Range", tc.ranges)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Range %s: %d, want %d", tc.ranges, resp.StatusCode, tc.want)
		}
		if tc.want == http.StatusRequestedRangeNotSatisfiable && (strings.Contains(string(b), "use strict") || !strings.HasPrefix(resp.Header.Get("Content-Range"), "bytes */")) {
			t.Errorf("the refusal: Content-Range %q, body %q", resp.Header.Get("Content-Range"), b)
		}
	}
}
