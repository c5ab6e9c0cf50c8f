package widget

import "strings"

// DetectEnv classifies a browser from its user-agent string, whether it
// has a touch screen, and its screen's shorter side in CSS pixels. It is
// deliberately coarse: the values are the ones conditions use (docs/format.md).
func DetectEnv(userAgent, language string, touch bool, shortSide int) Env {
	ua := strings.ToLower(userAgent)
	env := Env{Language: language, Browser: "other", OS: "other", DeviceType: "desktop"}
	switch {
	case strings.Contains(ua, "edg/") || strings.Contains(ua, "edga/") || strings.Contains(ua, "edgios/"):
		env.Browser = "edge"
	case strings.Contains(ua, "opr/") || strings.Contains(ua, "opera"):
		env.Browser = "opera"
	case strings.Contains(ua, "samsungbrowser/"):
		env.Browser = "samsung"
	case strings.Contains(ua, "firefox/") || strings.Contains(ua, "fxios/"):
		env.Browser = "firefox"
	case strings.Contains(ua, "chrome/") || strings.Contains(ua, "chromium/") || strings.Contains(ua, "crios/"):
		env.Browser = "chrome"
	case strings.Contains(ua, "safari/"):
		env.Browser = "safari"
	}
	ipad := strings.Contains(ua, "ipad") || strings.Contains(ua, "macintosh") && touch
	switch {
	case strings.Contains(ua, "iphone") || strings.Contains(ua, "ipod") || ipad:
		env.OS = "ios"
	case strings.Contains(ua, "android"):
		env.OS = "android"
	case strings.Contains(ua, "cros "): // "CrOS x86_64"; "Microsoft" contains "cros"
		env.OS = "chromeos"
	case strings.Contains(ua, "windows"):
		env.OS = "windows"
	case strings.Contains(ua, "mac os") || strings.Contains(ua, "macintosh"):
		env.OS = "macos"
	case strings.Contains(ua, "linux"):
		env.OS = "linux"
	}
	switch {
	case ipad || strings.Contains(ua, "tablet") || env.OS == "android" && !strings.Contains(ua, "mobile"):
		env.DeviceType = "tablet"
	case strings.Contains(ua, "mobi") || env.OS == "ios" || touch && shortSide > 0 && shortSide < 600:
		env.DeviceType = "mobile"
	}
	return env
}
