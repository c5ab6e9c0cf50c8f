//go:build !js

// Command screenshots takes the README's pictures of the widget (make
// screenshots): it builds the widget, serves it with the demo site and two
// customised trigger sets on a loopback port, and photographs each scene
// in headless Chromium into -out:
//
//   - widget-fr.png: the French demo page (demo/site/fr.html) with the
//     widget of demo/properties/demo-fr.json open: French, in the site's
//     green, on the left, opened from a tab;
//   - widget-rtl.png: an Arabic page with the widget of ar.json open: laid
//     out right to left, with a light accent and the black text chosen for
//     it.
//
// Usage: go run ./internal/cmd/screenshots [-out docs]
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/internal/chromium"
	"github.com/triggerwidget/triggerwidget/internal/distbuild"
	"github.com/triggerwidget/triggerwidget/server"
)

// The Arabic scene's set and host page (the demo site is in English and
// French).
var (
	//go:embed ar.json
	arabicSet []byte
	//go:embed ar.html
	arabicPage []byte
)

// A scene is one picture: a page of the demo server in a viewport, with
// the widget open once the messages of wait are shown, and a visitor
// message sent.
type scene struct {
	file          string
	path          string
	width, height int64
	wait          []string // triggers whose messages come first, in order; open the widget after the first
	visitor       string
}

var scenes = []scene{
	{file: "widget-fr.png", path: "/fr.html", width: 1000, height: 800,
		wait: []string{"bienvenue", "ouvert"}, visitor: "Quelle tente pour deux personnes en montagne ?"},
	{file: "widget-rtl.png", path: "/ar.html", width: 1000, height: 800,
		wait: []string{"welcome"}, visitor: "أبحث عن خيمة لشخصين"},
}

func main() {
	out := flag.String("out", "docs", "the `directory` the pictures are written to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := distbuild.FindRoot(wd)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "triggerwidget-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dist := filepath.Join(tmp, "dist")
	if _, err := distbuild.Build(distbuild.Options{Root: root, Out: dist, Version: "screenshots", NoCompress: true}); err != nil {
		return err
	}

	frSet, err := os.ReadFile(filepath.Join(root, "demo", "properties", "demo-fr.json"))
	if err != nil {
		return err
	}
	sets := server.NewMemorySets()
	sets.Put("demo-fr", frSet)
	sets.Put("demo-ar", arabicSet)
	srv, err := server.New(server.Config{Dist: os.DirFS(dist), Site: os.DirFS(filepath.Join(root, "demo", "site")), Sets: sets})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ar.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(arabicPage)
	})
	mux.Handle("/", srv)
	web := httptest.NewServer(mux)
	defer web.Close()

	bctx, stop, err := chromium.Start("", filepath.Join(tmp, "chromium"), chromedp.Flag("hide-scrollbars", true))
	if err != nil {
		return err
	}
	defer stop()
	for _, s := range scenes {
		png, err := shoot(bctx, web.URL, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		path := filepath.Join(out, s.file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s (%d KB)\n", path, (len(png)+512)/1024)
	}
	return nil
}

// shoot plays scene s in a fresh browser context and returns the
// viewport's picture.
func shoot(bctx context.Context, base string, s scene) ([]byte, error) {
	ctx, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	defer cancelTab()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	shadow := `document.getElementById('triggerwidget-root')?.shadowRoot`
	shown := func(id string) string {
		return `!!` + shadow + `?.querySelector('[data-part=message][data-trigger-id="` + id + `"]')`
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(s.width, s.height),
		chromedp.Navigate(base + s.path),
	}
	for i, id := range s.wait {
		steps = append(steps, chromedp.Poll[chromedp.Void](shown(id), chromedp.WithPollingTimeout(20*time.Second)))
		if i == 0 {
			steps = append(steps, chromedp.Evaluate[chromedp.Void](`TriggerWidget.maximize()`))
		}
	}
	steps = append(steps,
		chromedp.Evaluate[chromedp.Void](`TriggerWidget.visitorMessage(`+quote(s.visitor)+`)`),
		chromedp.Poll[chromedp.Void](shadow+`?.querySelector('[data-kind=visitor]')`, chromedp.WithPollingTimeout(10*time.Second)),
		// Every avatar drawn, the panel's animation over, the focus ring
		// off the launcher.
		chromedp.Poll[chromedp.Void](`Array.from(`+shadow+`.querySelectorAll('img')).every(i => i.complete || !i.offsetParent)`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
		chromedp.Sleep(700*time.Millisecond),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.CaptureScreenshot())
}

// quote makes s a JS string literal.
func quote(s string) string {
	b := []byte{'"'}
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, fmt.Sprintf(`\u%04x`, r)...)
		default:
			b = append(b, string(r)...)
		}
	}
	return string(append(b, '"'))
}
