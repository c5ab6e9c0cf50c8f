package widget_test

import (
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// TestDetectEnv: real user agents give the device.type, browser and os
// values conditions compare with.
func TestDetectEnv(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		ua        string
		touch     bool
		shortSide int
		device    string
		browser   string
		os        string
	}{
		{"Chrome on Windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
			false, 1080, "desktop", "chrome", "windows"},
		{"Chrome on a Windows touch laptop",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
			true, 900, "desktop", "chrome", "windows"},
		{"Safari on macOS",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
			false, 900, "desktop", "safari", "macos"},
		{"Chrome on macOS",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
			false, 1117, "desktop", "chrome", "macos"},
		{"Safari on iPhone",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
			true, 390, "mobile", "safari", "ios"},
		{"Chrome on iPhone",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
			true, 390, "mobile", "chrome", "ios"},
		{"Firefox on iPhone",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
			true, 390, "mobile", "firefox", "ios"},
		{"Edge on iPhone",
			"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/124.0.2478.89 Mobile/15E148 Safari/605.1.15",
			true, 390, "mobile", "edge", "ios"},
		{"iPad with a desktop-class UA (iPadOS 13+)",
			"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
			true, 820, "tablet", "safari", "ios"},
		{"iPad with an iPad UA",
			"Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
			true, 768, "tablet", "safari", "ios"},
		{"Chrome on an Android phone",
			"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
			true, 412, "mobile", "chrome", "android"},
		{"Chrome on an Android tablet (no Mobile)",
			"Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Safari/537.36",
			true, 1200, "tablet", "chrome", "android"},
		{"Firefox on an Android phone",
			"Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
			true, 412, "mobile", "firefox", "android"},
		{"Firefox on an Android tablet",
			"Mozilla/5.0 (Android 13; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0",
			true, 800, "tablet", "firefox", "android"},
		{"Samsung Internet on a phone",
			"Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
			true, 384, "mobile", "samsung", "android"},
		{"Firefox on Linux",
			"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
			false, 1080, "desktop", "firefox", "linux"},
		{"Firefox on Ubuntu",
			"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
			false, 1080, "desktop", "firefox", "linux"},
		{"Firefox on Windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
			false, 1080, "desktop", "firefox", "windows"},
		{"Edge on Windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
			false, 1080, "desktop", "edge", "windows"},
		{"Edge on Android",
			"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64",
			true, 412, "mobile", "edge", "android"},
		{"Opera on Windows",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
			false, 1080, "desktop", "opera", "windows"},
		{"Opera Mini",
			"Opera/9.80 (J2ME/MIDP; Opera Mini/5.1.21214/28.2725; U; ru) Presto/2.8.119 Version/11.10",
			false, 0, "desktop", "opera", "other"},
		{"ChromeOS",
			"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
			false, 768, "desktop", "chrome", "chromeos"},
		// "Microsoft" contains "cros": a Windows browser naming Microsoft
		// must not be taken for ChromeOS.
		{"Windows UA naming Microsoft",
			"Mozilla/5.0 (Windows NT 10.0; Win64; x64; Microsoft Outlook 16.0.17328; Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
			false, 1080, "desktop", "chrome", "windows"},
		{"empty UA", "", false, 0, "desktop", "other", "other"},
		{"unknown UA on a small touch screen", "SomeBrowser/1.0", true, 360, "mobile", "other", "other"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := widget.DetectEnv(tc.ua, "fr-FR", tc.touch, tc.shortSide)
			want := widget.Env{Language: "fr-FR", DeviceType: tc.device, Browser: tc.browser, OS: tc.os}
			if got != want {
				t.Errorf("DetectEnv = %+v, want %+v", got, want)
			}
		})
	}
}

// TestDetectEnv_FeedsConditions: what DetectEnv finds is what device.type,
// browser, os and visitor.language conditions read.
func TestDetectEnv_FeedsConditions(t *testing.T) {
	t.Parallel()
	env := widget.DetectEnv("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1", "de-CH", true, 390)
	r := newAdvRig(t, widget.Options{Env: env}, advT("t", widget.EventPageView, conds(
		cnd("device.type", "eq", `"mobile"`),
		cnd("browser", "eq", `"safari"`),
		cnd("os", "in", `["ios", "android"]`),
		cnd("visitor.language", "starts_with", `"de"`),
	)))
	r.view("/")
	r.wantFired("t")
}
