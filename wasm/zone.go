//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// intlZone implements widget.Zone with the browser's Intl.DateTimeFormat,
// so Go's time-zone database (about 450 KB) is never linked in. An unknown
// zone name falls back to UTC, reported once.
type intlZone struct {
	rt     *runtime
	tz     string
	format safejs.Value
	failed bool
	warned bool
}

// isoWeekday reads Intl's short English day name as its ISO number (0 for
// anything else). A function, not a package-level map, which the program's
// initialisation would build on the host page's time.
func isoWeekday(name string) int {
	for i, day := range [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} {
		if name == day {
			return i + 1
		}
	}
	return 0
}

func (z *intlZone) formatter(tz string) (safejs.Value, bool) {
	if z.tz == tz && !z.format.IsUndefined() {
		return z.format, true
	}
	z.tz, z.failed = tz, false
	intl, err := safejs.Global().Get("Intl")
	if err != nil {
		return safejs.Undefined(), false
	}
	ctor, err := intl.Get("DateTimeFormat")
	if err != nil {
		return safejs.Undefined(), false
	}
	opts := mustObject("timeZone", tz, "hourCycle", "h23", "hour", "numeric", "minute", "numeric", "second", "numeric", "weekday", "short")
	f, err := ctor.New("en-US", opts)
	if err != nil {
		if !z.warned {
			z.warned = true
			z.rt.reportError(widget.ErrTimezone, "time zone "+strconv.Quote(tz)+" is not known to this browser; using UTC", "")
		}
		z.failed = true
		return safejs.Undefined(), false
	}
	z.format = f
	return f, true
}

func (z *intlZone) Local(at int64, tz string) (int, int, time.Duration) {
	t := time.UnixMilli(at)
	utc := func() (int, int, time.Duration) {
		u := t.UTC()
		wd := int(u.Weekday())
		if wd == 0 {
			wd = 7
		}
		return u.Hour(), wd, u.Truncate(time.Hour).Add(time.Hour).Sub(u)
	}
	f, ok := z.formatter(tz)
	if !ok {
		return utc()
	}
	parts, err := f.Call("formatToParts", float64(t.UnixMilli()))
	if err != nil {
		return utc()
	}
	n, err := parts.Length()
	if err != nil {
		return utc()
	}
	hour, minute, second, weekday := -1, 0, 0, 0
	for i := 0; i < n; i++ {
		p, err := parts.Index(i)
		if err != nil {
			return utc()
		}
		v := jsString(prop(p, "value"))
		switch jsString(prop(p, "type")) {
		case "hour":
			hour, _ = strconv.Atoi(v)
		case "minute":
			minute, _ = strconv.Atoi(v)
		case "second":
			second, _ = strconv.Atoi(v)
		case "weekday":
			weekday = isoWeekday(v)
		}
	}
	if hour < 0 || weekday == 0 {
		return utc()
	}
	until := time.Hour - time.Duration(minute)*time.Minute - time.Duration(second)*time.Second - time.Duration(t.Nanosecond()/1e6)*time.Millisecond
	if until <= 0 {
		until = time.Second
	}
	return hour % 24, weekday, until
}

// detectEnv reads the browser's language, user agent and screen.
func detectEnv() (ua, lang string, touch bool, shortSide int) {
	g := safejs.Global()
	nav, err := g.Get("navigator")
	if err != nil {
		return "", "", false, 0
	}
	ua = jsString(prop(nav, "userAgent"))
	lang = jsString(prop(nav, "language"))
	if n, err := prop(nav, "maxTouchPoints").Int(); err == nil {
		touch = n > 0
	}
	if scr, err := g.Get("screen"); err == nil {
		w, _ := prop(scr, "width").Int()
		h, _ := prop(scr, "height").Int()
		shortSide = min(w, h)
	}
	return ua, lang, touch, shortSide
}
