//go:build !js

package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// strictCSP is the policy README.md tells a site to send, with the
// widget's origin in place of ASSET_ORIGIN.
func strictCSP(assetOrigin string) string {
	return "default-src 'self'; script-src 'self' " + assetOrigin + " 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' " + assetOrigin + "; img-src 'self' " + assetOrigin
}

// Under the strict Content-Security-Policy of README.md, with widget.js,
// the wasm, the trigger set and the avatars on another origin, the widget
// loads, is fully styled and causes not one violation report. The host
// page itself has no inline script (the policy would refuse it): its
// recorder is a file of its own.
func TestCSP_StrictPolicy(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
		"message": {"text": "Styled under CSP"}, "agent": {"name": "Apollo", "image": "avatar:robot"},
		"suggestions": ["Pricing"]}`)
	tb.openUnderStrictCSP()

	var probe bool
	tb.eval(`typeof __violations !== 'undefined'`, &probe)
	if !probe {
		t.Fatalf("the recorder did not run under the policy%s", tb.diagnostics())
	}
	tb.waitLoad()
	tb.waitMessage("welcome")
	// The minimized widget shows the message in its preview card.
	preview := shadowQ("[data-part=preview] img[data-part=agent-image]")
	tb.poll("the agent's avatar to load", preview+" && "+preview+".complete")

	var got struct {
		Launcher struct{ Position, Width, Background, Radius string }
		Button   string
		Avatar   int
		Sheets   int
		Styles   int
	}
	tb.eval(`(() => {
		const root = document.getElementById('triggerwidget-root').shadowRoot;
		const l = getComputedStyle(root.querySelector('[data-part=launcher]'));
		return {
			Launcher: {Position: l.position, Width: l.width, Background: l.backgroundColor, Radius: l.borderTopLeftRadius},
			Button: getComputedStyle(root.querySelector('button[data-part=suggestion]')).cursor,
			Avatar: root.querySelector('[data-part=preview] img[data-part=agent-image]').naturalWidth,
			Sheets: root.adoptedStyleSheets.length,
			Styles: root.querySelectorAll('style, [style]').length,
		};
	})()`, &got)
	if got.Launcher.Position != "relative" || got.Launcher.Width != "60px" || got.Launcher.Background != "rgb(47, 91, 234)" || got.Launcher.Radius != "50%" {
		t.Errorf("the launcher is not styled under the policy: %+v", got.Launcher)
	}
	if got.Button != "pointer" {
		t.Errorf("a suggestion button's cursor is %q, want pointer (styled)", got.Button)
	}
	if got.Avatar == 0 {
		t.Errorf("the agent's avatar from the widget's origin did not load")
	}
	if got.Sheets != 1 || got.Styles != 0 {
		t.Errorf("the shadow root has %d adopted stylesheets and %d <style> or style attributes; want 1 and 0", got.Sheets, got.Styles)
	}

	// The policy is in force and its reports reach the listener: an
	// inline <style> added now is refused and reported. Reports come
	// asynchronously, so this one also comes after any the widget caused.
	tb.exec(`const s = document.createElement('style'); s.textContent = 'h1 { color: red }'; document.head.appendChild(s);`)
	tb.poll("the deliberate violation's report", `__violations.some(v => v.startsWith('style-src'))`)
	var violations []string
	tb.eval("__violations", &violations)
	if len(violations) != 1 {
		t.Errorf("violation reports = %q; want only the test's own inline <style>", violations)
	}
	tb.assertNoUncaught()
}

// openUnderStrictCSP opens a host page of tb's property served with
// strictCSP, the widget's assets from another origin (localhost), and the
// page's recorder as a script file of its own (the policy refuses inline
// scripts), which also collects violation reports in __violations: they
// are composed events, so one listener on the document sees those of the
// shadow root too.
func (tb *tab) openUnderStrictCSP() {
	tb.t.Helper()
	b := strings.Replace(env.world.b.URL, "127.0.0.1", "localhost", 1)
	rec := strings.TrimSuffix(strings.TrimPrefix(recorder, "<script>"), "</script>") + `
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  __violations.push(e.violatedDirective + ' ' + e.blockedURI);
});`
	env.world.serve(tb.t, tb.dir()+"/recorder.js", "text/javascript", rec)
	html := `<!doctype html>
<html><head><meta charset=utf-8><title>CSP host</title>
<script src="` + tb.dir() + `/recorder.js"></script>
<script async src="` + b + `/widget/widget.js" data-property="` + tb.prop + `"></script>
</head><body><h1>CSP host</h1></body></html>`
	policy := strictCSP(b)
	env.world.serveHandler(tb.t, tb.dir()+"/home", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", policy)
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(html))
	}))
	tb.navigate(tb.dir() + "/home")
}

// In a browser without constructable stylesheets the widget is styled all
// the same, by one <style> element in its shadow root (which a strict
// policy would refuse; that browser has no other way).
func TestStyles_WithoutConstructableStylesheets(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(`{"id": "welcome", "name": "Welcome", "type": "site", "delay": 0,
		"message": {"text": "Styled without CSSStyleSheet"}, "agent": {"name": "Apollo"}}`)
	tb.navigate(tb.sitePage("index.html", page{Head: `delete window.CSSStyleSheet;`}))
	tb.waitLoad()
	tb.waitMessage("welcome")
	var got struct {
		Position, Width string
		Sheets, Styles  int
	}
	tb.eval(`(() => {
		const root = document.getElementById('triggerwidget-root').shadowRoot;
		const l = getComputedStyle(root.querySelector('[data-part=launcher]'));
		return {Position: l.position, Width: l.width,
			Sheets: root.adoptedStyleSheets.length, Styles: root.querySelectorAll('style').length};
	})()`, &got)
	if got.Position != "relative" || got.Width != "60px" {
		t.Errorf("the launcher is not styled: position %q, width %q", got.Position, got.Width)
	}
	if got.Sheets != 0 || got.Styles != 1 {
		t.Errorf("the shadow root has %d adopted stylesheets and %d <style> elements; want 0 and 1", got.Sheets, got.Styles)
	}
	tb.assertNoUncaught()
}
