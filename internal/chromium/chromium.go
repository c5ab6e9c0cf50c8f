//go:build !js

// Package chromium starts the headless Chromium that the browser tests, the
// bench and the screenshot tool drive, with one set of flags: no network of
// its own (no component updates, sync or background requests), no first-run
// screens, and everything it writes kept under one directory its caller
// owns.
package chromium

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// Find returns the path of the Chromium to run: $CHROMIUM when it is set
// (and "" if that names nothing runnable), otherwise the first of
// /usr/bin/chromium, chromium and chromium-browser found. "" means none.
func Find() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
		return ""
	}
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if full, err := exec.LookPath(p); err == nil {
			return full
		}
	}
	return ""
}

// ErrNotFound is Start's error when Find finds no Chromium.
var ErrNotFound = errors.New("chromium not found (set CHROMIUM, or run make deps to install it)")

// Start starts a headless Chromium at path (Find's when path is "") and
// returns the context of its first tab; cancel ends the browser. dir must
// be an empty directory the caller removes after cancel: the profile goes
// in dir/profile and the browser's temporary files in dir/tmp. Chromium
// otherwise leaves a directory of its own in the system's temporary
// directory at every launch whose end it does not see through (about one
// per headless run), which a test suite would pile up. extra adds flags
// (Flag) or options of the caller's.
func Start(path, dir string, extra ...chromedp.ExecAllocatorOption) (ctx context.Context, cancel context.CancelFunc, err error) {
	if path == "" {
		if path = Find(); path == "" {
			return nil, nil, ErrNotFound
		}
	}
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, nil, err
	}
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Env("TMPDIR=" + tmp),
	}, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	cancel = func() { cancelBrowser(); cancelAlloc() }
	// The first action starts the browser, which lives as long as the
	// context of that call: it must not carry a timeout.
	if err := chromedp.Do(bctx); err != nil {
		cancel()
		return nil, nil, err
	}
	return bctx, cancel, nil
}
