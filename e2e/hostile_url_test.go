//go:build !js

package e2e

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// urlCandidates are URLs built from the pieces that make a browser read a
// URL otherwise than it looks (control characters, tabs, backslashes,
// scheme prefixes, encoded and fullwidth separators), deterministic.
func urlCandidates(n int) []string {
	pieces := []string{"/", "/", "//", "\\", "\t", "\n", "\r", " ", "\x01", "\x00", "\x7f", ":", "https", "http", "HTTPS:", "@",
		".", "..", "evil.example", "x", "%2F", "%5C", "%09", "?", "#", "\u00a0", "／", "＼", "é", "[", "]", "1", "javascript", "\u3002", "＠", "https://", ":1", ":99999"}
	r := rand.New(rand.NewSource(9))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 1 + r.Intn(7) {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		if s := b.String(); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// accepted reports whether the validator accepts u as the URL of an
// attachment of kind (image: https or relative; link: http too).
func accepted(kind, u string) bool {
	s := &widget.Set{Version: 1, Property: "p", Shortcuts: []widget.Shortcut{{ID: "s", Attachments: []widget.Attachment{{Kind: kind, URL: u}}}}}
	return widget.Validate(s) == nil
}

// TestURLCheck_AgreesWithTheBrowser: every URL the validator accepts, the
// browser's own URL parser resolves (against the set's URL) either to the
// set's origin, for a relative URL, or to exactly the scheme and host
// written after "https://" ("http://" for a link); so nothing accepted
// loads from a host it does not name, and every accepted one written in
// ASCII parses (no dead link or image). The refused candidates include URLs
// that name no scheme and that the browser would still have sent to
// another host, so the check is not empty.
func TestURLCheck_AgreesWithTheBrowser(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish()
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	base := tb.url("/p/" + tb.prop + "/triggers.json")
	var ok, refused []string
	for _, u := range urlCandidates(20000) {
		switch {
		case accepted(widget.AttachLink, u):
			ok = append(ok, u)
		default:
			refused = append(refused, u)
		}
		if accepted(widget.AttachImage, u) && !accepted(widget.AttachLink, u) {
			t.Fatalf("%q is accepted for an image but not for a link", u)
		}
	}
	if len(ok) < 1000 || len(refused) < 1000 {
		t.Fatalf("%d accepted and %d refused candidates: not a test of both sides", len(ok), len(refused))
	}
	var got struct {
		Wrong      []string `json:"wrong"`
		Dead       []string `json:"dead"`
		OffOrigin  int      `json:"offOrigin"`
		SampleFlaw string   `json:"sampleFlaw"`
	}
	tb.eval(`(() => {
		const base = `+jsString(base)+`, origin = new URL(base).origin;
		const ok = `+mustJSON(t, ok)+`, refused = `+mustJSON(t, refused)+`;
		const parse = (u) => { try { return new URL(u, base); } catch (e) { return null; } };
		const wrong = [], dead = [];
		for (const u of ok) {
			const url = parse(u);
			if (url === null) {
				// Nothing is loaded from a URL that does not parse, but the
				// link or image is dead. (Only ASCII ones: a host of other
				// characters goes through IDNA, which the check leaves to
				// the browser.)
				if (/^[\x21-\x7e]*$/.test(u)) dead.push(u);
				continue;
			}
			const m = /^(https?):\/\/([^\/?#]*)/i.exec(u);
			if (m === null) {
				if (url.origin !== origin) wrong.push(u + " -> " + url.href);
				continue;
			}
			const written = parse(m[1] + "://" + m[2] + "/");
			if (written === null || url.protocol !== m[1].toLowerCase() + ":" || url.host !== written.host) wrong.push(u + " -> " + url.href);
		}
		let offOrigin = 0, sampleFlaw = "";
		for (const u of refused) {
			const url = parse(u);
			if (url !== null && url.origin !== origin && !/http/i.test(u)) { // looked relative, left the origin
				offOrigin++;
				if (sampleFlaw === "") sampleFlaw = JSON.stringify(u) + " -> " + url.href;
			}
		}
		return {wrong: wrong.slice(0, 20), dead: dead.slice(0, 20), offOrigin, sampleFlaw};
	})()`, &got)
	if len(got.Wrong) > 0 {
		t.Errorf("accepted URLs the browser resolves elsewhere:\n%s", strings.Join(got.Wrong, "\n"))
	}
	if len(got.Dead) > 0 {
		t.Errorf("accepted URLs the browser cannot parse:\n%q", got.Dead)
	}
	if got.OffOrigin == 0 {
		t.Errorf("no refused candidate that looks relative would have left the set's origin: the candidates do not test the check")
	}
	t.Logf("%d accepted, %d refused, of which %d look relative but would load from another host (e.g. %s)", len(ok), len(refused), got.OffOrigin, got.SampleFlaw)
	tb.assertNoUncaught()
}

// TestHostileURL_NotLoaded: a trigger whose agent image or attachment URL
// hides another host behind a control character, a tab or a backslash is
// skipped and reported; nothing is requested from that host, and the
// other triggers run.
func TestHostileURL_NotLoaded(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	tb.publish(
		`{"id": "good", "type": "site", "delay": 0, "message": {"text": "Valid"}, "agent": {"name": "Apollo"}}`,
		`{"id": "ctl", "type": "site", "delay": 0, "message": {"text": "Never"}, "agent": {"name": "Apollo", "image": "\u0001//evil.example/x.png"}}`,
		`{"id": "tab", "type": "site", "delay": 0, "message": {"text": "Never"}, "agent": {"name": "Apollo", "image": "/\t/evil.example/x.png"}}`,
		`{"id": "bs", "type": "site", "delay": 0, "message": {"text": "Never"}, "agent": {"name": "Apollo", "image": "/\\evil.example/x.png"}}`,
	)
	tb.navigate(tb.sitePage("home", page{}))
	tb.waitLoad()
	tb.waitMessage("good")
	skipped := map[string]bool{}
	for _, e := range tb.errorEvents() {
		if e.Code == "invalid_trigger" && strings.Contains(e.Message, "agent.image") {
			skipped[e.TriggerID] = true
		}
	}
	for _, id := range []string{"ctl", "tab", "bs"} {
		if !skipped[id] {
			t.Errorf("trigger %s is not reported as invalid on agent.image; error events: %+v", id, tb.errorEvents())
		}
	}
	if n := tb.count("[data-part=message]"); n != 1 {
		t.Errorf("%d messages shown, want only the valid one", n)
	}
	var evil []string
	tb.eval(`performance.getEntriesByType("resource").map(e => e.name).filter(n => n.includes("evil"))
		.concat([...document.getElementById('triggerwidget-root').shadowRoot.querySelectorAll('img')].map(i => i.src).filter(s => s.includes("evil")))`, &evil)
	if len(evil) > 0 {
		t.Errorf("the page asked another host: %q", evil)
	}
	tb.assertNoUncaught()
}
