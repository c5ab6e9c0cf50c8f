package server

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSymlinks_StayInsideTheirDirectory: served through os.Root (as
// widgetd serves -dist and -site), a symbolic link to a file outside the
// directory is not found — a plain 404 that says nothing of the file —
// while a link to a file inside is served.
func TestSymlinks_StayInsideTheirDirectory(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	const secret = "root:x:0:0:SECRET-OUTSIDE"
	outside := filepath.Join(base, "outside")
	dist := filepath.Join(base, "dist")
	site := filepath.Join(base, "site")
	for _, d := range []string{outside, dist, filepath.Join(dist, "avatars"), site, filepath.Join(site, "docs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, data string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	write(filepath.Join(outside, "passwd"), secret)
	write(filepath.Join(outside, "index.html"), secret)
	write(filepath.Join(dist, "widget.js"), "/* widget */")
	write(filepath.Join(dist, "widget.1234abcd.wasm"), "\x00asm")
	write(filepath.Join(site, "index.html"), "<h1>home</h1>")
	// Links out, absolute and relative, to a file and to a directory.
	link(filepath.Join(outside, "passwd"), filepath.Join(dist, "leak.js"))
	link("../outside/passwd", filepath.Join(dist, "leak-relative.js"))
	link("../../outside/passwd", filepath.Join(dist, "avatars", "robot.svg"))
	link(filepath.Join(outside, "passwd"), filepath.Join(dist, "widget.js.br"))
	link(outside, filepath.Join(site, "out"))
	link(filepath.Join(outside, "passwd"), filepath.Join(site, "passwd.html"))
	link("../../outside/index.html", filepath.Join(site, "docs", "index.html"))
	// Links in.
	link("widget.1234abcd.wasm", filepath.Join(dist, "widget.wasm"))
	link("index.html", filepath.Join(site, "home.html"))

	distRoot, err := os.OpenRoot(dist)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { distRoot.Close() })
	siteRoot, err := os.OpenRoot(site)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { siteRoot.Close() })
	srv, err := New(Config{Dist: distRoot.FS(), Site: siteRoot.FS(), Sets: NewMemorySets()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path, acceptEncoding string
		want                 int
		body                 string
	}{
		{"/widget/leak.js", "", http.StatusNotFound, ""},
		{"/widget/leak-relative.js", "", http.StatusNotFound, ""},
		{"/p/acme/avatars/robot.svg", "", http.StatusNotFound, ""},
		{"/out/passwd", "", http.StatusNotFound, ""},
		{"/out/", "", http.StatusNotFound, ""},
		{"/out", "", http.StatusNotFound, ""},
		{"/passwd", "", http.StatusNotFound, ""},
		{"/passwd.html", "", http.StatusNotFound, ""},
		{"/docs/", "", http.StatusNotFound, ""},
		// A sibling that links out is no sibling: the file itself is served.
		{"/widget/widget.js", "br", http.StatusOK, "/* widget */"},
		{"/widget/widget.wasm", "", http.StatusOK, "\x00asm"},
		{"/home.html", "", http.StatusOK, "<h1>home</h1>"},
	} {
		hdr := map[string]string{}
		if tc.acceptEncoding != "" {
			hdr["Accept-Encoding"] = tc.acceptEncoding
		}
		resp := do(t, srv, "GET", tc.path, hdr)
		b := body(t, resp)
		if resp.StatusCode != tc.want {
			t.Errorf("%s: status %d, want %d", tc.path, resp.StatusCode, tc.want)
		}
		if strings.Contains(b, "SECRET") || strings.Contains(b, "root:x") {
			t.Errorf("%s: the answer leaks the file outside: %q", tc.path, b)
		}
		if tc.body != "" && b != tc.body {
			t.Errorf("%s: body %q, want %q", tc.path, b, tc.body)
		}
		if ce := resp.Header.Get("Content-Encoding"); tc.want == http.StatusOK && ce != "" {
			t.Errorf("%s: Content-Encoding %q for a sibling that links out", tc.path, ce)
		}
	}
}
