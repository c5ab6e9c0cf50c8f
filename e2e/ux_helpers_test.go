//go:build !js

package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// screen is a viewport the visitor-experience tests run at: a desktop
// and a 360 px wide phone.
type screen struct {
	name          string
	width, height int64
}

var screens = []screen{{"desktop", 1280, 800}, {"phone-360", 360, 740}}

// eachScreen runs fn as a parallel subtest per screen, on a tab (a
// test-clock tab when clock is true) whose viewport is that screen.
func eachScreen(t *testing.T, clock bool, fn func(t *testing.T, tb *tab, sc screen)) {
	t.Helper()
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tb.testClock = clock
			tb.viewport(sc)
			fn(t, tb, sc)
		})
	}
}

// viewport emulates a screen of sc's size (a phone's with touch). The
// layout viewport is the screen's width, as on a site that declares
// width=device-width.
func (tb *tab) viewport(sc screen) {
	tb.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if sc.width <= 480 {
		opts = append(opts, chromedp.EmulateTouch)
	}
	tb.run("viewport", chromedp.EmulateViewport(sc.width, sc.height, opts...))
}

// reducedMotion emulates a visitor who asked for less motion.
func (tb *tab) reducedMotion() {
	tb.t.Helper()
	tb.run("prefers-reduced-motion", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}))
}

// hover moves the mouse over the middle of an element of the shadow root.
func (tb *tab) hover(sel string) {
	tb.t.Helper()
	var r struct{ X, Y float64 }
	tb.eval(`(() => { const b = `+shadowQ(sel)+`.getBoundingClientRect(); return {X: b.x + b.width / 2, Y: b.y + b.height / 2}; })()`, &r)
	tb.run("hover "+sel, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, r.X, r.Y))
}

// pressTab presses Tab, moving focus as the keyboard does.
func (tb *tab) pressTab() {
	tb.t.Helper()
	tb.run("press Tab", chromedp.KeyEvent("\t"))
}

// pressEnter types Enter into whatever has focus.
func (tb *tab) pressEnter() {
	tb.t.Helper()
	tb.run("press Enter", chromedp.KeyEvent("\r"))
}

// activePart is the data-part of the element focused inside the widget's
// shadow root, "(page)" when focus is outside the widget, "(none)" when
// the widget has it but no part does.
func (tb *tab) activePart() string {
	tb.t.Helper()
	var s string
	tb.eval(`(() => { const r = document.getElementById('triggerwidget-root');
		if (document.activeElement !== r) return '(page)';
		const a = r.shadowRoot.activeElement; return a ? (a.getAttribute('data-part') || a.className || a.tagName) : '(none)'; })()`, &s)
	return s
}

// atEnd reports whether the transcript shows its last line.
func (tb *tab) atEnd() bool {
	tb.t.Helper()
	var ok bool
	tb.eval(`(() => { const l = `+shadowQ("[data-part=transcript]")+`; return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()`, &ok)
	return ok
}

// newestInSightJS is true when the transcript shows its newest line as
// the widget means to: from its start when it is taller than the
// transcript, else the transcript's end.
var newestInSightJS = `(() => { const l = ` + shadowQ("[data-part=transcript]") + `; const n = l.lastElementChild;
	if (n && n.offsetHeight > l.clientHeight) return Math.abs(n.getBoundingClientRect().top - l.getBoundingClientRect().top) < 2;
	return l.scrollHeight - l.scrollTop - l.clientHeight < 2; })()`

// open opens the widget with a click on the launcher.
func (tb *tab) open() {
	tb.t.Helper()
	tb.click("[data-part=launcher]")
	tb.poll("the open panel", shadowQ("[data-part=panel]")+"?.checkVisibility()")
}

// serveSlowImage serves a tall PNG at path after a delay, so that it
// loads after the message holding it is shown.
func (tb *tab) serveSlowImage(path string, delay time.Duration) {
	tb.t.Helper()
	tb.serveImage(path, delay, 400)
}

// serveImage serves a PNG 200 px wide and height px tall at path, after
// delay.
func (tb *tab) serveImage(path string, delay time.Duration, height int) {
	tb.t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 200, height))
	for y := 0; y < height; y++ {
		for x := 0; x < 200; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x), G: 120, B: uint8(y / 2), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.t.Fatal(err)
	}
	env.world.serveHandler(tb.t, path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(buf.Bytes())
	}))
}

// mouseAt moves the mouse to (x, y) of the page.
func mouseAt(x, y float64) chromedp.Action[chromedp.Void] {
	return chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y)
}

func itoa(n int) string { return strconv.Itoa(n) }
