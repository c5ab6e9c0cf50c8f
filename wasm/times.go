//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Message times. Each message shows how old it is ("now", "2 min", "3 hr":
// widget.RelativeTime picks the unit, the browser's Intl.NumberFormat
// words it in the widget's language) in a <time> whose title is the full
// local time. While the panel is open, one timer refreshes them when the
// wording next changes (at most once a minute); closed, none runs.
type timesState struct {
	timer widget.Timer
	fmts  map[string]safejs.Value // "lang unit" -> Intl.NumberFormat (undefined: none)
}

// timeEl returns the <time data-part=time> of a message sent at at (ms).
func (u *ui) timeEl(at int64) safejs.Value {
	d := &u.d
	el := d.el("time", "class", "time", "data-part", "time", "data-at", strconv.FormatInt(at, 10))
	if ctor, err := safejs.Global().Get("Date"); err == nil {
		if date, err := ctor.New(float64(at)); err == nil {
			d.attr(el, "datetime", jsString(d.call(date, "toISOString")))
			d.attr(el, "title", jsString(d.call(date, "toLocaleString", u.lang(), mustObject("dateStyle", "full", "timeStyle", "short"))))
		}
	}
	text, _ := u.ago(at, engineClock().UnixMilli())
	d.text(el, text)
	return el
}

// lang is the widget's language, as its host element says.
func (u *ui) lang() string {
	return firstNonEmpty(jsString(prop(u.host, "lang")), "en")
}

// ago words the age of a message sent at at, and says in how many ms the
// wording changes.
func (u *ui) ago(at, now int64) (string, int64) {
	n, unit, next := widget.RelativeTime(now - at)
	if unit == widget.UnitNow {
		return u.tr(widget.PhraseNow), next
	}
	lang := u.lang()
	key := lang + " " + unit
	if u.times.fmts == nil {
		u.times.fmts = map[string]safejs.Value{}
	}
	f, ok := u.times.fmts[key]
	if !ok {
		if intl, err := safejs.Global().Get("Intl"); err == nil {
			if ctor, err := intl.Get("NumberFormat"); err == nil {
				f, _ = ctor.New(lang, mustObject("style", "unit", "unit", unit, "unitDisplay", "short"))
			}
		}
		u.times.fmts[key] = f
	}
	if s, err := f.Call("format", float64(n)); err == nil {
		return jsString(s), next
	}
	return strconv.FormatInt(n, 10) + " " + unit, next
}

// refreshTimes rewords every time in the transcript and, while the panel
// is open, sets the one timer for the next change; closed, it stops it.
func (u *ui) refreshTimes() {
	u.stopTimes()
	if !u.open || u.rt.stopped {
		return
	}
	d := &u.d
	defer d.reset()
	list := d.call(u.log, "querySelectorAll", "time[data-part=time]")
	n, _ := prop(list, "length").Int()
	now := engineClock().UnixMilli()
	next := int64(-1)
	for i := 0; i < n; i++ {
		el := d.call(list, "item", i)
		at, err := strconv.ParseInt(jsString(d.call(el, "getAttribute", "data-at")), 10, 64)
		if err != nil {
			continue
		}
		text, in := u.ago(at, now)
		if jsString(d.get(el, "textContent")) != text {
			d.text(el, text)
		}
		if next < 0 || in < next {
			next = in
		}
	}
	if next >= 0 {
		u.times.timer = engineClock().AfterFunc(time.Duration(next)*time.Millisecond, func() {
			u.rt.guard(widget.ErrUI, func() error { u.refreshTimes(); return nil })
		})
	}
}

func (u *ui) stopTimes() {
	if u.times.timer != nil {
		u.times.timer.Stop()
		u.times.timer = nil
	}
}
