package widget_test

import (
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

func TestInkFor(t *testing.T) {
	cases := []struct{ color, want string }{
		{widget.DefaultColor, widget.InkLight},
		{"#000000", widget.InkLight},
		{"#FFFFFF", widget.InkDark},
		{"#ff0", widget.InkDark},
		{"#777777", widget.InkDark}, // white on #777 is 4.48:1, just under AA
		{"#767676", widget.InkLight},
		{"#0a7d3b", widget.InkLight},
		{"#f5a623", widget.InkDark},
		{"not a colour", widget.InkLight},
	}
	for _, c := range cases {
		if got := widget.InkFor(c.color); got != c.want {
			t.Errorf("InkFor(%q) = %s, want %s", c.color, got, c.want)
		}
	}
}

// Every accent gets an ink with AA contrast: walk a grid of colours.
func TestInkForReachesAA(t *testing.T) {
	hex := "0123456789abcdef"
	for r := 0; r < 16; r++ {
		for g := 0; g < 16; g++ {
			for b := 0; b < 16; b++ {
				color := "#" + string(hex[r]) + string(hex[g]) + string(hex[b])
				ink := widget.InkFor(color)
				if got := widget.ContrastOf(color, ink); got < widget.MinContrast {
					t.Fatalf("%s on %s: contrast %.2f, under %.1f", ink, color, got, widget.MinContrast)
				}
			}
		}
	}
}

func TestResolveLanguage(t *testing.T) {
	cases := []struct {
		setting   string
		preferred []string
		want      string
	}{
		{"", nil, "en"},
		{"auto", []string{"fr-CA", "en"}, "fr"},
		{"auto", []string{"nl-NL", "PT_br"}, "pt"},
		{"auto", []string{"nl", "ja"}, "en"},
		{"de", []string{"fr"}, "de"},
		{"ar", nil, "ar"},
		{"xx", []string{"fr"}, "en"},
	}
	for _, c := range cases {
		if got := widget.ResolveLanguage(c.setting, c.preferred); got != c.want {
			t.Errorf("ResolveLanguage(%q, %q) = %q, want %q", c.setting, c.preferred, got, c.want)
		}
	}
	if !widget.RTL("ar") || !widget.RTL("AR-eg") || widget.RTL("fr") || widget.RTL("") {
		t.Error("RTL: only Arabic (and other right-to-left scripts) is right to left")
	}
}
