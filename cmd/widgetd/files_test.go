//go:build !js

package main

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServedDirectoriesKeepTheirLinksInside: a symbolic link in -dist,
// -site or the uploads directory that points outside is not followed: 404,
// and nothing of the file outside in the answer.
func TestServedDirectoriesKeepTheirLinksInside(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	const secret = "SECRET-OUTSIDE-THE-DIRECTORIES"
	outside := filepath.Join(base, "secret.txt")
	if err := os.WriteFile(outside, []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	data, dist, site := filepath.Join(base, "data"), fakeDist(t), filepath.Join(base, "site")
	if err := os.MkdirAll(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte("<h1>home</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{filepath.Join(dist, "leak.js"), filepath.Join(site, "leak.html")} {
		if err := os.Symlink(outside, l); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	token := seed(t, data)
	// An upload whose file was swapped for a link out.
	w := startWith(t, "-data", data, "-dist", dist, "-site", site)
	req, _ := http.NewRequest("POST", w.base+"/api/v1/properties/acme/uploads?filename=a.png", bytes.NewReader(tinyPNG(t)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "image/png")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	uploadPath := resp.Header.Get("Location")
	file := filepath.Join(data, "uploads", strings.TrimPrefix(uploadPath, "/u/"))
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, file); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/widget/leak.js", "/leak.html", "/leak", uploadPath} {
		resp, err := http.Get(w.base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
		if strings.Contains(string(b), secret) {
			t.Errorf("%s: the answer carries the file outside: %q", path, b)
		}
	}
	// What is inside is served as before.
	for _, path := range []string{"/widget/widget.js", "/"} {
		resp, err := http.Get(w.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200", path, resp.StatusCode)
		}
	}
}

// tinyPNG is a valid 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestImportQuotesNoFile: `property add -set` with a file that is not a
// trigger set names where it stops, never its content.
func TestImportQuotesNoFile(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if _, _, err := op(t, "correct horse battery\n", "user", "add", "-data", data, "-email", "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "shadow")
	if err := os.WriteFile(file, []byte("root:$6$SECRETHASH:19000:0:99999:7:::\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := op(t, "", "property", "add", "-data", data, "-owner", "ann@example.com", "-id", "acme", "-name", "Acme", "-set", file)
	if err == nil {
		t.Fatal("property add -set with a file that is not a set: no error")
	}
	if strings.Contains(err.Error()+errOut, "SECRET") {
		t.Errorf("the error quotes the file: %v %s", err, errOut)
	}
	if !strings.Contains(err.Error(), "line 1, column 1") {
		t.Errorf("the error does not say where the file stops being a set: %v", err)
	}
}
