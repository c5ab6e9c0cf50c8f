//go:build !js

package e2e

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/triggerwidget/triggerwidget/widget"
)

// The set's appearance as the visitor's browser shows it: the accent and
// its ink, the side and offset, the launcher, the title, and the widget's
// own words in the language the set or the browser chooses, mirrored for a
// right-to-left language.

// lookSet is a trigger set with the given "widget" object (JSON, "" for
// none) and triggers.
func lookSet(prop, appearance string, triggers ...string) string {
	w := ""
	if appearance != "" {
		w = `"widget": ` + appearance + `, `
	}
	return `{"version": 1, "property": ` + jsString(prop) + `, ` + w + `"triggers": [` + strings.Join(triggers, ",\n") + `]}`
}

// lookHello is a no-delay welcome with suggestions.
const lookHello = `{"id": "hello", "name": "Hello", "type": "site", "delay": 0,
	"message": {"text": "Hello there"}, "agent": {"name": "Ann", "image": "avatar:woman"},
	"suggestions": ["Pricing", "Shipping"]}`

// lookHost is what the host element and the fixed markup show.
type lookHost struct {
	Lang, Dir, Position, Launcher string
	Accent, Ink, Offset           string // the host's inline custom properties
	PanelLabel, Title, Subtitle   string
	SubtitleShown                 bool
	Minimize, Input, Placeholder  string
	Send                          string
	LauncherLabel                 *string // the launcher's aria-label, null when it has none
	LauncherText                  string  // the label it shows, if LabelShown
	LabelShown                    bool
	LauncherExpanded              string
}

const lookHostJS = `(() => {
	const h = document.getElementById('triggerwidget-root'), r = h.shadowRoot;
	const q = s => r.querySelector(s);
	const l = q('[data-part=launcher]');
	return {
		Lang: h.getAttribute('lang'), Dir: h.getAttribute('dir'), Position: h.getAttribute('data-position'), Launcher: h.getAttribute('data-launcher'),
		Accent: h.style.getPropertyValue('--tw-accent'), Ink: h.style.getPropertyValue('--tw-accent-ink'), Offset: h.style.getPropertyValue('--tw-offset'),
		PanelLabel: q('[data-part=panel]').getAttribute('aria-label'), Title: q('[data-part=title]').textContent,
		Subtitle: q('[data-part=subtitle]').textContent, SubtitleShown: !q('[data-part=subtitle]').hidden,
		Minimize: q('[data-part=minimize]').getAttribute('aria-label'),
		Input: q('[data-part=input]').getAttribute('aria-label'), Placeholder: q('[data-part=input]').placeholder,
		Send: q('[data-part=send]').getAttribute('aria-label'),
		LauncherLabel: l.getAttribute('aria-label'), LauncherText: q('[data-part=launcher-label]').textContent,
		LabelShown: q('[data-part=launcher-label]').checkVisibility(), LauncherExpanded: l.getAttribute('aria-expanded'),
	};
})()`

func (tb *tab) lookHost() lookHost {
	tb.t.Helper()
	var h lookHost
	tb.eval(lookHostJS, &h)
	return h
}

// rect is an element's box in the viewport, and the viewport's size.
type rect struct{ Left, Right, Top, Bottom, Width, Height, ViewW, ViewH float64 }

func (tb *tab) rect(sel string) rect {
	tb.t.Helper()
	var r rect
	tb.eval(`(() => { const e = `+shadowQ(sel)+`; const b = e.getBoundingClientRect();
		return {Left: b.left, Right: b.right, Top: b.top, Bottom: b.bottom, Width: b.width, Height: b.height,
			ViewW: document.documentElement.clientWidth, ViewH: document.documentElement.clientHeight}; })()`, &r)
	return r
}

// waitOpen waits for the panel to be open and still (no animation left).
func (tb *tab) waitOpen() {
	tb.t.Helper()
	panel := shadowQ("[data-part=panel]")
	tb.poll("the panel to open", panel+".hidden === false && "+panel+".getAnimations().length === 0")
}

func (tb *tab) viewportSize(w, h int64) {
	tb.t.Helper()
	tb.run(fmt.Sprintf("setting the viewport to %d×%d", w, h), chromedp.EmulateViewport(w, h))
}

// near reports whether two CSS pixel values are equal to half a pixel.
func near(a, b float64) bool { return math.Abs(a-b) < 0.5 }

// hexOf turns a computed colour "rgb(r, g, b)" into "#rrggbb" ("" when it
// is not opaque rgb).
func hexOf(css string) string {
	s, ok := strings.CutPrefix(css, "rgb(")
	if !ok {
		return ""
	}
	parts := strings.Split(strings.TrimSuffix(s, ")"), ",")
	if len(parts) != 3 {
		return ""
	}
	out := "#"
	for _, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 || n > 255 {
			return ""
		}
		out += fmt.Sprintf("%02x", n)
	}
	return out
}

// wantWords checks that the fixed markup speaks language lang: every text
// is widget.Phrases(lang)'s.
func wantWords(t *testing.T, h lookHost, lang, title string) {
	t.Helper()
	w := widget.Phrases(lang)
	for _, c := range []struct{ what, got, want string }{
		{"the panel's label", h.PanelLabel, w[widget.PhraseChat]},
		{"the title", h.Title, title},
		{"the minimize button's label", h.Minimize, w[widget.PhraseMinimizeChat]},
		{"the input's label", h.Input, w[widget.PhraseInputLabel]},
		{"the input's placeholder", h.Placeholder, w[widget.PhraseInputPlaceholder]},
		{"the send button's label", h.Send, w[widget.PhraseSend]},
	} {
		if c.got != c.want {
			t.Errorf("%s is %q; want %q (widget.Phrases(%q))", c.what, c.got, c.want, lang)
		}
	}
}

// A set without a widget object looks as the widget always has: the default
// accent, bottom right at 20 px, a bubble named "Open chat" in the
// browser's language (English here), left to right.
func TestAppearance_Defaults(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	env.world.publish(t, tb.prop, lookSet(tb.prop, "", lookHello))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	var langs []string
	tb.eval(`navigator.languages`, &langs)
	lang := widget.ResolveLanguage(widget.LanguageAuto, langs)
	h := tb.lookHost()
	if h.Lang != lang || h.Dir != "ltr" || h.Position != "right" || h.Launcher != "bubble" {
		t.Errorf("host lang=%q dir=%q data-position=%q data-launcher=%q; want %q, ltr, right, bubble", h.Lang, h.Dir, h.Position, h.Launcher, lang)
	}
	if h.Accent != widget.DefaultColor || h.Ink != widget.InkFor(widget.DefaultColor) || h.Offset != "20px" {
		t.Errorf("host custom properties accent=%q ink=%q offset=%q; want %s, %s, 20px", h.Accent, h.Ink, h.Offset, widget.DefaultColor, widget.InkFor(widget.DefaultColor))
	}
	wantWords(t, h, lang, widget.Phrases(lang)[widget.PhraseTitle])
	if h.SubtitleShown {
		t.Errorf("a subtitle %q is shown; the set has none", h.Subtitle)
	}
	if h.LauncherLabel == nil || *h.LauncherLabel != widget.Phrases(lang)[widget.PhraseOpenChat] {
		t.Errorf("the bubble's aria-label is %v; want %q", h.LauncherLabel, widget.Phrases(lang)[widget.PhraseOpenChat])
	}
	if h.LabelShown {
		t.Errorf("the bubble shows the label %q", h.LauncherText)
	}
	l := tb.rect("[data-part=launcher]")
	if !near(l.ViewW-l.Right, 20) || !near(l.ViewH-l.Bottom, 20) || !near(l.Width, 60) {
		t.Errorf("the bubble is at %+v; want 60 px wide, 20 px from the right and bottom edges", l)
	}
	tb.assertNoUncaught()
}

// The French demo's kind of set: a title and subtitle, the site's colour,
// on the left at 24 px, opened from a tab on the page's bottom edge that
// shows its label, everything of the widget's own in French.
func TestAppearance_FrenchTabOnTheLeft(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.viewportSize(1000, 700)
	const label = "Une question ? Écrivez-nous"
	env.world.publish(t, tb.prop, lookSet(tb.prop, `{"title": "Acme Outdoor", "subtitle": "Un guide vous répond", "color": "#1e5a3c",
		"position": "left", "offset": 24, "language": "fr", "launcher": {"style": "tab", "label": "`+label+`"}}`, lookHello))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("hello")

	h := tb.lookHost()
	if h.Lang != "fr" || h.Dir != "ltr" || h.Position != "left" || h.Launcher != "tab" {
		t.Errorf("host lang=%q dir=%q data-position=%q data-launcher=%q; want fr, ltr, left, tab", h.Lang, h.Dir, h.Position, h.Launcher)
	}
	if h.Accent != "#1e5a3c" || h.Ink != widget.InkFor("#1e5a3c") || h.Offset != "24px" {
		t.Errorf("host custom properties accent=%q ink=%q offset=%q; want #1e5a3c, %s, 24px", h.Accent, h.Ink, h.Offset, widget.InkFor("#1e5a3c"))
	}
	wantWords(t, h, "fr", "Acme Outdoor")
	if !h.SubtitleShown || h.Subtitle != "Un guide vous répond" {
		t.Errorf("the subtitle is %q (shown: %v); want the set's", h.Subtitle, h.SubtitleShown)
	}
	// The tab is named by the label it shows: no aria-label hiding it.
	if h.LauncherText != label || !h.LabelShown || h.LauncherLabel != nil || h.LauncherExpanded != "false" {
		t.Errorf("the tab shows %q (%v) with aria-label %v, aria-expanded %q; want its label %q shown, no aria-label, not expanded", h.LauncherText, h.LabelShown, h.LauncherLabel, h.LauncherExpanded, label)
	}
	l := tb.rect("[data-part=launcher]")
	if !near(l.Left, 24) || !near(l.Bottom, l.ViewH) || l.Width <= 60 {
		t.Errorf("the tab is at %+v; want 24 px from the left, on the bottom edge, wider than a bubble", l)
	}
	p := tb.rect("[data-part=preview]")
	if !near(p.Left, 24) {
		t.Errorf("the preview card is at %+v; want it above the tab, 24 px from the left", p)
	}

	tb.click("[data-part=launcher]")
	tb.waitOpen()
	panel := tb.rect("[data-part=panel]")
	if !near(panel.Left, 24) || panel.Bottom > l.Top {
		t.Errorf("the open panel is at %+v; want it 24 px from the left, above the tab %+v", panel, l)
	}
	if h := tb.lookHost(); h.LauncherText != label || !h.LabelShown || h.LauncherLabel != nil || h.LauncherExpanded != "true" {
		t.Errorf("the open tab shows %q with aria-label %v, aria-expanded %q; want %q, none, true", h.LauncherText, h.LauncherLabel, h.LauncherExpanded, label)
	}
	tb.assertNoUncaught()
}

// A bubble is named by the set's launcher label while closed, and says it
// minimizes while open; it shows no text.
func TestAppearance_BubbleLabel(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	env.world.publish(t, tb.prop, lookSet(tb.prop, `{"language": "pt", "launcher": {"style": "bubble", "label": "Fale connosco"}}`, lookHello))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	h := tb.lookHost()
	if h.Launcher != "bubble" || h.LauncherLabel == nil || *h.LauncherLabel != "Fale connosco" || h.LabelShown {
		t.Errorf("the closed bubble (data-launcher=%q) has aria-label %v and shows a label: %v; want the set's label as its name, nothing shown", h.Launcher, h.LauncherLabel, h.LabelShown)
	}
	tb.click("[data-part=launcher]")
	tb.waitOpen()
	want := widget.Phrases("pt")[widget.PhraseMinimizeChat]
	if h := tb.lookHost(); h.LauncherLabel == nil || *h.LauncherLabel != want || h.LauncherExpanded != "true" {
		t.Errorf("the open bubble has aria-label %v, aria-expanded %q; want %q, true", h.LauncherLabel, h.LauncherExpanded, want)
	}
	tb.assertNoUncaught()
}

// language "auto" takes the first of the browser's languages the widget
// speaks, by its primary subtag; none of them gives English.
func TestAppearance_LanguageFromTheBrowser(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		langs string
		want  string
	}{
		{"first spoken", `["xx-YY", "de-AT", "fr"]`, "de"},
		{"none spoken", `["xx-YY", "zz"]`, "en"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			env.world.publish(t, tb.prop, lookSet(tb.prop, `{"language": "auto"}`, lookHello))
			tb.navigate(tb.sitePage("home", page{
				Head: `Object.defineProperty(Navigator.prototype, 'languages', {configurable: true, get: function () { return ` + c.langs + `; }});`,
			}))
			tb.waitLoad()
			h := tb.lookHost()
			if h.Lang != c.want || h.Dir != "ltr" {
				t.Errorf("with navigator.languages %s the widget has lang=%q dir=%q; want %q, ltr", c.langs, h.Lang, h.Dir, c.want)
			}
			wantWords(t, h, c.want, widget.Phrases(c.want)[widget.PhraseTitle])
			tb.assertNoUncaught()
		})
	}
}

// Arabic lays the widget out mirrored: the agent's avatar to the right of
// the message, the visitor's messages on the left, the send button left of
// the input, the minimize button left of the title, while the widget stays
// on the side the set names. At 360 px too.
func TestAppearance_RightToLeft(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name          string
		width, height int64
		position      string
	}{
		{"desktop", 1000, 700, "right"},
		{"360 px", 360, 740, "right"},
		{"desktop, left", 1000, 700, "left"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			tb.viewportSize(c.width, c.height)
			env.world.publish(t, tb.prop, lookSet(tb.prop, `{"title": "أكمي", "language": "ar", "position": "`+c.position+`"}`, lookHello))
			tb.navigate(tb.sitePage("home", page{}))
			tb.waitLoad()
			tb.waitMessage("hello")
			h := tb.lookHost()
			if h.Lang != "ar" || h.Dir != "rtl" || h.Position != c.position {
				t.Errorf("host lang=%q dir=%q data-position=%q; want ar, rtl, %s", h.Lang, h.Dir, h.Position, c.position)
			}
			wantWords(t, h, "ar", "أكمي")

			l := tb.rect("[data-part=launcher]")
			side := l.ViewW - l.Right
			if c.position == "left" {
				side = l.Left
			}
			wantSide := 20.0
			if c.width <= 480 {
				wantSide = 12
			}
			if !near(side, wantSide) {
				t.Errorf("the launcher is at %+v; want it %v px from the %s edge", l, wantSide, c.position)
			}

			tb.exec(`TriggerWidget.maximize()`)
			tb.waitOpen()
			tb.exec(`TriggerWidget.visitorMessage("مرحبا")`)
			tb.poll("the visitor's message", shadowQ("[data-kind=visitor] [data-part=text]")+" != null")

			avatar := tb.rect(msgSel("hello") + " [data-part=agent-image]")
			text := tb.rect(msgSel("hello") + " [data-part=text]")
			if avatar.Left < text.Right {
				t.Errorf("the agent's avatar %+v is not right of the message %+v", avatar, text)
			}
			log := tb.rect("[data-part=transcript]")
			visitor := tb.rect("[data-kind=visitor] [data-part=text]")
			if visitor.Left-log.Left > log.Right-visitor.Right {
				t.Errorf("the visitor's message %+v is not on the transcript's left %+v", visitor, log)
			}
			input := tb.rect("[data-part=input]")
			send := tb.rect("[data-part=send]")
			if send.Right > input.Left {
				t.Errorf("the send button %+v is not left of the input %+v", send, input)
			}
			title := tb.rect("[data-part=title]")
			minimize := tb.rect("[data-part=minimize]")
			if minimize.Right > title.Left {
				t.Errorf("the minimize button %+v is not left of the title %+v", minimize, title)
			}
			panel := tb.rect("[data-part=panel]")
			if panel.Left < -0.5 || panel.Right > panel.ViewW+0.5 {
				t.Errorf("the open panel %+v does not fit the %d px viewport", panel, c.width)
			}
			tb.assertNoUncaught()
		})
	}
}

// At 360 px a left tab keeps to the screen: 12 px from the edge at most,
// on the bottom edge, its panel inside the viewport.
func TestAppearance_TabAt360(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.viewportSize(360, 740)
	env.world.publish(t, tb.prop, lookSet(tb.prop, `{"color": "#0f766e", "position": "left", "offset": 40, "language": "es",
		"launcher": {"style": "tab", "label": "¿Hablamos? Estamos aquí para ayudarte"}}`, lookHello))
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("hello")
	l := tb.rect("[data-part=launcher]")
	if !near(l.Left, 12) || !near(l.Bottom, l.ViewH) || l.Right > l.ViewW {
		t.Errorf("the tab is at %+v; want 12 px from the left, on the bottom edge, inside the 360 px viewport", l)
	}
	p := tb.rect("[data-part=preview]")
	if p.Left < 0 || p.Right > p.ViewW {
		t.Errorf("the preview card %+v is not inside the 360 px viewport", p)
	}
	tb.click("[data-part=launcher]")
	tb.waitOpen()
	panel := tb.rect("[data-part=panel]")
	if panel.Left < -0.5 || panel.Right > panel.ViewW+0.5 || panel.Top < -0.5 {
		t.Errorf("the open panel %+v does not fit the 360 px viewport", panel)
	}
	wantWords(t, tb.lookHost(), "es", widget.Phrases("es")[widget.PhraseTitle])
	tb.assertNoUncaught()
}

// Whatever the accent, the text drawn on it (the launcher, the header, the
// visitor's messages) is widget.InkFor's and reaches WCAG AA, and the
// suggestions and links drawn in the accent on white stay readable too.
func TestAppearance_InkContrast(t *testing.T) {
	t.Parallel()
	for _, accent := range []string{"#ffd400", "#1e5a3c", "#e5484d", "#7dd3fc"} {
		t.Run(accent, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			env.world.publish(t, tb.prop, lookSet(tb.prop, `{"color": "`+accent+`", "launcher": {"style": "tab"}}`, lookHello))
			tb.navigate(tb.sitePage("home", page{}))
			tb.waitLoad()
			tb.waitMessage("hello")
			// The suggestions are read first: the visitor's reply retires them.
			const pickJS = `(names) => {
				const r = document.getElementById('triggerwidget-root').shadowRoot, out = {};
				const parts = {
					'launcher': ['[data-part=launcher]'],
					'header title': ['[data-part=title]', '.head'],
					'visitor message': ['[data-kind=visitor] [data-part=text]'],
					'suggestion': ['button[data-part=suggestion]'],
				};
				for (const name of names) {
					const [sel, bgSel] = parts[name];
					const s = getComputedStyle(r.querySelector(sel)), b = getComputedStyle(r.querySelector(bgSel || sel));
					out[name] = {Fg: s.color, Bg: b.backgroundColor};
				}
				return out;
			}`
			var got, more map[string]struct{ Fg, Bg string }
			tb.exec(`TriggerWidget.maximize()`)
			tb.waitOpen()
			tb.eval(`(`+pickJS+`)(['suggestion'])`, &got)
			tb.exec(`TriggerWidget.visitorMessage("Hi")`)
			tb.poll("the visitor's message", shadowQ("[data-kind=visitor] [data-part=text]")+" != null")
			tb.eval(`(`+pickJS+`)(['launcher', 'header title', 'visitor message'])`, &more)
			for k, v := range more {
				got[k] = v
			}
			if len(got) != 4 {
				t.Fatalf("read the colours of %d parts, want 4: %v", len(got), got)
			}
			ink := widget.InkFor(accent)
			for part, c := range got {
				fg, bg := hexOf(c.Fg), hexOf(c.Bg)
				if fg == "" || bg == "" {
					t.Errorf("%s: colours %q on %q are not opaque rgb", part, c.Fg, c.Bg)
					continue
				}
				if ratio := widget.ContrastOf(fg, bg); ratio < widget.MinContrast {
					t.Errorf("%s: %s on %s is %.2f:1, below WCAG AA %.1f:1", part, fg, bg, ratio, widget.MinContrast)
				}
				if part != "suggestion" && (bg != accent || fg != ink) {
					t.Errorf("%s: %s on %s; want the ink %s on the accent %s", part, fg, bg, ink, accent)
				}
			}
			tb.assertNoUncaught()
		})
	}
}

// reload() with a set that looks otherwise restyles and retranslates the
// widget in place. The set comes from a test URL served without caching,
// so that reload() gets the new one at once.
func TestAppearance_Reload(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	var mu sync.Mutex
	set := lookSet(tb.prop, `{"language": "en"}`, lookHello)
	env.world.serveHandler(t, tb.dir()+"/set.json", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(set))
	}))
	tb.navigate(tb.page("home", page{Triggers: tb.dir() + "/set.json"}))
	tb.waitLoad()
	if h := tb.lookHost(); h.Lang != "en" {
		t.Fatalf("the first set's widget has lang=%q, want en", h.Lang)
	}
	mu.Lock()
	set = lookSet(tb.prop, `{"language": "it", "color": "#7c3aed", "position": "left", "title": "Ciao"}`, lookHello)
	mu.Unlock()
	tb.exec(`TriggerWidget.reload()`)
	tb.poll("the reloaded set's language", `document.getElementById('triggerwidget-root').getAttribute('lang') === 'it'`)
	h := tb.lookHost()
	if h.Accent != "#7c3aed" || h.Position != "left" {
		t.Errorf("after reload() the accent is %q and the side %q; want #7c3aed, left", h.Accent, h.Position)
	}
	wantWords(t, h, "it", "Ciao")
	tb.assertNoUncaught()
}

// Under README.md's strict Content-Security-Policy a customised widget
// (accent, side, offset, tab, language) is styled as its set says and
// causes not one violation: its custom properties go in through the
// CSSOM, which the policy allows.
func TestAppearance_StrictCSP(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	env.world.publish(t, tb.prop, lookSet(tb.prop, `{"color": "#ffd400", "position": "left", "offset": 32, "language": "ar",
		"launcher": {"style": "tab", "label": "تحدث معنا"}}`, lookHello))
	tb.openUnderStrictCSP()
	tb.waitLoad()
	tb.waitMessage("hello")
	tb.exec(`TriggerWidget.maximize()`)
	tb.waitOpen()

	var got struct{ Launcher, Ink, Dir, Radius string }
	tb.eval(`(() => {
		const h = document.getElementById('triggerwidget-root'), l = getComputedStyle(h.shadowRoot.querySelector('[data-part=launcher]'));
		return {Launcher: l.backgroundColor, Ink: l.color, Dir: getComputedStyle(h.shadowRoot.querySelector('.panel')).direction, Radius: l.borderBottomLeftRadius};
	})()`, &got)
	if got.Launcher != "rgb(255, 212, 0)" || got.Ink != "rgb(0, 0, 0)" || got.Dir != "rtl" || got.Radius != "0px" {
		t.Errorf("under the policy the tab is %+v; want the accent rgb(255, 212, 0), black ink, square bottom corners, a right-to-left panel", got)
	}
	l := tb.rect("[data-part=launcher]")
	if !near(l.Left, 32) {
		t.Errorf("under the policy the tab is at %+v; want 32 px from the left", l)
	}
	tb.exec(`const s = document.createElement('style'); s.textContent = 'h1 { color: red }'; document.head.appendChild(s);`)
	tb.poll("the deliberate violation's report", `__violations.some(v => v.startsWith('style-src'))`)
	var violations []string
	tb.eval("__violations", &violations)
	if len(violations) != 1 {
		t.Errorf("violation reports = %q; want only the test's own inline <style>", violations)
	}
	tb.assertNoUncaught()
}

// axe-core finds nothing serious in a customised widget, open with a
// conversation: a French tab on the left in a dark accent, and an Arabic,
// right-to-left one in a light accent with black ink.
func TestAppearance_Accessible(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, appearance string }{
		{"french tab", `{"title": "Acme", "subtitle": "Un guide vous répond", "color": "#1e5a3c", "position": "left", "language": "fr", "launcher": {"style": "tab", "label": "Une question ?"}}`},
		{"arabic", `{"title": "أكمي", "color": "#ffd400", "language": "ar"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			env.world.publish(t, tb.prop, lookSet(tb.prop, c.appearance, lookHello))
			tb.navigate(tb.sitePage("home", page{}))
			tb.waitLoad()
			tb.waitMessage("hello")
			tb.exec(`document.documentElement.lang = "en"; TriggerWidget.maximize(); TriggerWidget.visitorMessage("Bonjour")`)
			tb.waitOpen()
			tb.poll("the visitor's message", shadowQ("[data-kind=visitor] [data-part=text]")+" != null")
			(&ui{tab: tb}).axe("a host page with the " + c.name + " widget open")
			tb.assertNoUncaught()
		})
	}
}
