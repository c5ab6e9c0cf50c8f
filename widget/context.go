package widget

import (
	"strings"
	"time"
)

// Env is what the platform knows about the visitor's browser, for the
// device.type, browser, os and visitor.language fields.
type Env struct {
	Language   string // BCP 47, e.g. "fr-FR"
	DeviceType string // desktop, mobile or tablet
	Browser    string // chrome, firefox, safari, edge, opera, samsung, other
	OS         string // windows, macos, ios, android, linux, chromeos, other
}

// Zone tells the local hour and weekday in an IANA time zone. The browser
// build asks Intl.DateTimeFormat, so Go's zone database is never linked into
// the wasm; tests use a fixed offset.
type Zone interface {
	// Local returns the hour (0–23) and ISO weekday (1 = Monday … 7 =
	// Sunday) at t in zone tz, and how long until the next local hour.
	Local(t time.Time, tz string) (hour, weekday int, untilNextHour time.Duration)
}

// FixedZone is a Zone at a fixed offset from UTC, whatever the name.
type FixedZone time.Duration

// Local implements Zone.
func (z FixedZone) Local(t time.Time, _ string) (int, int, time.Duration) {
	l := t.UTC().Add(time.Duration(z))
	wd := int(l.Weekday())
	if wd == 0 {
		wd = 7
	}
	next := l.Truncate(time.Hour).Add(time.Hour)
	return l.Hour(), wd, next.Sub(l)
}

// pageContext is the current page as conditions read it, with lower-cased
// copies made once per page view so that evaluation never allocates.
type pageContext struct {
	url, urlLower           string
	path, pathLower         string
	title, titleLower       string
	referrer, referrerLower string
	query                   map[string][2]string // name -> {value, lower-cased}
	start                   int64                // when the page was viewed (ms)
}

func newPageContext(p Page, u *PageURL, now int64) pageContext {
	c := pageContext{
		url: p.URL, path: u.Path, title: p.Title, referrer: p.Referrer, start: now,
		query: map[string][2]string{},
	}
	c.urlLower, c.pathLower = strings.ToLower(c.url), strings.ToLower(c.path)
	c.titleLower, c.referrerLower = strings.ToLower(c.title), strings.ToLower(c.referrer)
	for q := u.Query; q != ""; {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		k, v, _ := strings.Cut(pair, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		if _, dup := c.query[k]; k != "" && !dup {
			c.query[k] = [2]string{v, strings.ToLower(v)}
		}
	}
	return c
}

// unescapeQuery decodes %XX and '+' in a query component; a malformed
// escape is kept as it is.
func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

// evalContext is what one evaluation of conditions sees.
type evalContext struct {
	e              *Engine
	now            int64
	eventName      string // custom event name
	eventNameLower string
}

func (x *evalContext) number(f fieldID) (float64, bool) {
	e := x.e
	switch f {
	case fTimeOnSite:
		if e.visit.Start == 0 {
			return 0, false
		}
		return float64((x.now - e.visit.Start) / 1000), true
	case fTimeOnPage:
		if e.pageCtx.start == 0 {
			return 0, false
		}
		return float64((x.now - e.pageCtx.start) / 1000), true
	case fPageViews:
		return float64(e.visit.PageViews), true
	case fVisits:
		return float64(e.visitor.Visits), true
	case fTimeHour, fTimeWeekday:
		h, wd := e.localTime(x.now)
		if f == fTimeHour {
			return float64(h), true
		}
		return float64(wd), true
	}
	return 0, false
}

func (x *evalContext) boolean(f fieldID) (bool, bool) {
	switch f {
	case fReturning:
		return x.e.visitor.Visits > 1, true
	case fWidgetMaximized:
		return x.e.visit.Maximized, true
	}
	return false, false
}

func (x *evalContext) tags(fold bool) []string {
	if fold {
		return x.e.tagsLower
	}
	return x.e.visitor.Tags
}

func pick(fold bool, raw, lower string) string {
	if fold {
		return lower
	}
	return raw
}

func (x *evalContext) str(f fieldID, key string, fold bool) (string, bool) {
	e := x.e
	p := &e.pageCtx
	switch f {
	case fPageURL:
		return pick(fold, p.url, p.urlLower), p.url != ""
	case fPagePath:
		return pick(fold, p.path, p.pathLower), p.path != ""
	case fPageTitle:
		return pick(fold, p.title, p.titleLower), p.title != ""
	case fPageReferrer:
		return pick(fold, p.referrer, p.referrerLower), p.referrer != ""
	case fPageQuery:
		v, ok := p.query[key]
		return pick(fold, v[0], v[1]), ok
	case fVisitorName:
		return x.attr("name", fold)
	case fVisitorEmail:
		return x.attr("email", fold)
	case fVisitorAttr:
		return x.attr(key, fold)
	case fVisitorLanguage:
		return pick(fold, e.env.Language, e.envLower.Language), e.env.Language != ""
	case fDeviceType:
		return pick(fold, e.env.DeviceType, e.envLower.DeviceType), e.env.DeviceType != ""
	case fBrowser:
		return pick(fold, e.env.Browser, e.envLower.Browser), e.env.Browser != ""
	case fOS:
		return pick(fold, e.env.OS, e.envLower.OS), e.env.OS != ""
	case fWidgetStatus:
		return e.status(), true
	case fChatState:
		if e.visit.Chat.State == "" {
			return ChatNone, true
		}
		return e.visit.Chat.State, true
	case fEventName:
		return pick(fold, x.eventName, x.eventNameLower), x.eventName != ""
	}
	return "", false
}

func (x *evalContext) attr(key string, fold bool) (string, bool) {
	v, ok := x.e.attrsLower[key]
	return pick(fold, v[0], v[1]), ok
}
