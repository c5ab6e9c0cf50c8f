package widget_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/triggerwidget/triggerwidget/widget"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// TestPhrases_EveryLanguageHasEveryPhrase: each language the widget speaks
// has a text for every phrase, with exactly the {name} placeholders of the
// English text, the same closing ellipsis or tick, and no stray spaces.
func TestPhrases_EveryLanguageHasEveryPhrase(t *testing.T) {
	t.Parallel()
	en := widget.Phrases("en")
	for _, lang := range widget.Languages {
		words := widget.Phrases(lang)
		for p := range widget.NumPhrases {
			got, base := words[p], en[p]
			if got == "" {
				t.Errorf("%s: phrase %d (English %q) has no text", lang, p, base)
				continue
			}
			if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
				t.Errorf("%s: phrase %d %q has stray spaces", lang, p, got)
			}
			if a, b := placeholder.FindAllString(got, -1), placeholder.FindAllString(base, -1); !slices.Equal(a, b) {
				t.Errorf("%s: phrase %d %q has placeholders %q, English %q has %q", lang, p, got, a, base, b)
			}
			if strings.HasSuffix(base, "\u2026") != strings.HasSuffix(got, "\u2026") {
				t.Errorf("%s: phrase %d %q and English %q differ in their closing ellipsis", lang, p, got, base)
			}
			if strings.HasPrefix(base, "\u2713") != strings.HasPrefix(got, "\u2713") {
				t.Errorf("%s: phrase %d %q and English %q differ in their tick", lang, p, got, base)
			}
		}
	}
}

// TestPhrases_Translated: each language has its own table, not English's
// (some words, like "Online" in German, are the same in both), and Arabic
// is written in Arabic script.
func TestPhrases_Translated(t *testing.T) {
	t.Parallel()
	en := widget.Phrases("en")
	for _, lang := range widget.Languages[1:] {
		words := widget.Phrases(lang)
		same := 0
		for p := range widget.NumPhrases {
			if words[p] == en[p] {
				same++
			}
		}
		if same > int(widget.NumPhrases)/4 {
			t.Errorf("%s: %d of %d phrases are the English ones", lang, same, widget.NumPhrases)
		}
	}
	for p, s := range widget.Phrases("ar") {
		text := placeholder.ReplaceAllString(s, "")
		if !strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) ||
			strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Latin, r) }) {
			t.Errorf("ar: phrase %d %q is not in Arabic script", p, s)
		}
	}
}

// TestPhrases_Languages: the phrase tables answer to the codes of
// Languages (and to what ResolveLanguage returns); any other code gets
// English.
func TestPhrases_Languages(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, title string }{
		{"en", "Chat with us"},
		{"fr", "Discutez avec nous"},
		{"es", "Chatea con nosotros"},
		{"de", "Chatten Sie mit uns"},
		{"pt", "Fale conosco"},
		{"it", "Chatta con noi"},
		{"ar", "تحدث معنا"},
		{"nl", "Chat with us"},
		{"", "Chat with us"},
		{"FR", "Chat with us"}, // not a code of Languages
	} {
		if got := widget.Phrases(c.lang)[widget.PhraseTitle]; got != c.title {
			t.Errorf("Phrases(%q) title = %q, want %q", c.lang, got, c.title)
		}
	}
	if got := widget.Phrases(widget.ResolveLanguage(widget.LanguageAuto, []string{"it-CH", "en"}))[widget.PhraseSend]; got != "Invia" {
		t.Errorf("send button for an Italian-speaking browser = %q, want Invia", got)
	}
}
