//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Message times. Each message shows how old it is ("now", "2 min", "3 hr":
// widget.RelativeTime picks the unit, the browser's Intl words it in the
// widget's language, through the loader) in a <time> whose title is the
// full local time. The wording is the time's data-ago attribute, drawn by
// the stylesheet, so that a line's text (what a script, a copy or a test
// reads) stays the message alone. While the panel is open, one timer refreshes them when
// the wording next changes (at most once a minute); closed, none runs.

// timeRef is a shown <time> and the message time it tells.
type timeRef struct {
	el safejs.Value
	at int64
}

// timeEl returns the <time data-part=time> of a message sent at at (ms).
func (u *ui) timeEl(at int64) safejs.Value {
	el := u.d.el("time", "class", "time", "data-part", "time")
	_, _ = u.rt.boot.Call("stamp", el, float64(at), u.lang())
	text, _ := u.ago(at, engineClock().UnixMilli())
	u.d.attr(el, "data-ago", text)
	u.times = append(u.times, timeRef{el, at})
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
	s, err := u.rt.boot.Call("unit", float64(n), unit, u.lang())
	if err != nil {
		return strconv.FormatInt(n, 10) + " " + unit, next
	}
	return jsString(s), next
}

// refreshTimes rewords the times in the transcript (forgetting those no
// longer in it) and, while the panel is open, sets the one timer for the
// next change; closed, it stops it.
func (u *ui) refreshTimes() {
	u.stopTimes()
	if u.rt.stopped {
		return
	}
	now := engineClock().UnixMilli()
	next := int64(-1)
	kept := u.times[:0]
	for _, t := range u.times {
		if on, _ := prop(t.el, "isConnected").Truthy(); !on {
			continue
		}
		kept = append(kept, t)
		text, in := u.ago(t.at, now)
		u.d.attr(t.el, "data-ago", text)
		if next < 0 || in < next {
			next = in
		}
	}
	clear(u.times[len(kept):])
	u.times = kept
	_ = u.d.reset()
	if u.open && next >= 0 {
		u.timer = engineClock().AfterFunc(time.Duration(next)*time.Millisecond, func() {
			u.rt.guard(widget.ErrUI, func() error { u.refreshTimes(); return nil })
		})
	}
}

func (u *ui) stopTimes() {
	if u.timer != nil {
		u.timer.Stop()
		u.timer = nil
	}
}
