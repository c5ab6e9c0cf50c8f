package widget

import "strings"

// DetectEnv classifies a browser from its user-agent string, whether it
// has a touch screen, and its screen's shorter side in CSS pixels. It is
// deliberately coarse: the values are the ones conditions use (docs/format.md).
func DetectEnv(userAgent, language string, touch bool, shortSide int) Env {
	ua := strings.ToLower(userAgent)
	env := Env{Language: language, Browser: "other", OS: "other", DeviceType: "desktop"}
	switch {
	case has(ua, "edg/") || has(ua, "edga/") || has(ua, "edgios/"):
		env.Browser = "edge"
	case has(ua, "opr/") || has(ua, "opera"):
		env.Browser = "opera"
	case has(ua, "samsungbrowser/"):
		env.Browser = "samsung"
	case has(ua, "firefox/") || has(ua, "fxios/"):
		env.Browser = "firefox"
	case has(ua, "chrome/") || has(ua, "chromium/") || has(ua, "crios/"):
		env.Browser = "chrome"
	case has(ua, "safari/"):
		env.Browser = "safari"
	}
	ipad := has(ua, "ipad") || has(ua, "macintosh") && touch
	switch {
	case has(ua, "iphone") || has(ua, "ipod") || ipad:
		env.OS = "ios"
	case has(ua, "android"):
		env.OS = "android"
	case has(ua, "cros "): // "CrOS x86_64"; "Microsoft" contains "cros"
		env.OS = "chromeos"
	case has(ua, "windows"):
		env.OS = "windows"
	case has(ua, "mac os") || has(ua, "macintosh"):
		env.OS = "macos"
	case has(ua, "linux"):
		env.OS = "linux"
	}
	switch {
	case ipad || has(ua, "tablet") || env.OS == "android" && !has(ua, "mobile"):
		env.DeviceType = "tablet"
	case has(ua, "mobi") || env.OS == "ios" || touch && shortSide > 0 && shortSide < 600:
		env.DeviceType = "mobile"
	}
	return env
}

// has is strings.Contains kept out of line: the detection calls it at
// many sites (smaller wasm).
//
//go:noinline
func has(s, sub string) bool { return strings.Contains(s, sub) }
