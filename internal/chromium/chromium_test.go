//go:build !js

package chromium

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestFind_CHROMIUMNamingNothingFindsNothing(t *testing.T) {
	t.Setenv("CHROMIUM", filepath.Join(t.TempDir(), "no-such-browser"))
	if got := Find(); got != "" {
		t.Errorf("Find() = %q with CHROMIUM naming a missing file, want \"\"", got)
	}
	if _, _, err := Start("", t.TempDir()); err != ErrNotFound {
		t.Errorf("Start without a browser: error %v, want ErrNotFound", err)
	}
}

// The browser's own temporary directory (where its profile's
// SingletonSocket link points) is under the caller's directory, so that
// removing that directory leaves nothing behind in the system's.
func TestStart_KeepsTheBrowsersFilesInDir(t *testing.T) {
	path := Find()
	if path == "" {
		if os.Getenv("TRIGGERWIDGET_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found, and TRIGGERWIDGET_REQUIRE_BROWSER=1")
		}
		t.Skip("no Chromium found (set CHROMIUM, or install /usr/bin/chromium)")
	}
	dir := t.TempDir()
	ctx, cancel, err := Start(path, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	link, err := os.Readlink(filepath.Join(dir, "profile", "SingletonSocket"))
	if err != nil {
		t.Fatalf("the profile has no SingletonSocket link: %v", err)
	}
	if rel, err := filepath.Rel(dir, link); err != nil || strings.HasPrefix(rel, "..") {
		t.Errorf("SingletonSocket links to %s, outside %s", link, dir)
	}
}
