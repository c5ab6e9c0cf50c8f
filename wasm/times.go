//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Message times. Each message shows how old it is ("now", "2 min", "3 hr")
// in a <time> whose title is the full local time: widget.RelativeTime
// picks the unit, and the loader's times words it with the browser's Intl
// in the widget's language. The wording is the time's data-ago attribute,
// drawn by the stylesheet, so that a line's text (what a script, a copy or
// a test reads) stays the message alone. While the panel is open, one
// timer on the engine's clock refreshes the times when the wording next
// changes (at most once a minute); closed, none runs.

// timeEl returns the <time data-part=time> of a message sent at at (ms),
// worded by the next refreshTimes.
func (u *ui) timeEl(at int64) safejs.Value {
	return u.d.el("time", "class", "time", "data-part", "time", "data-at", strconv.FormatInt(at, 10))
}

// refreshTimes words every time of the transcript and, while the panel is
// open, sets the one timer for the next change; closed, it stops it.
func (u *ui) refreshTimes() {
	u.stopTimes()
	if !u.open || u.rt.stopped {
		return
	}
	if !u.relOK {
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			var out any
			u.rt.guard(widget.ErrUI, func() error {
				age, _ := arg(args, 0).Float()
				n, unit, next := widget.RelativeTime(int64(age))
				out = []any{float64(n), unit, float64(next)}
				return nil
			})
			return out
		})
		if err != nil {
			return
		}
		u.rel, u.relOK = f, true
		u.rt.funcs = append(u.rt.funcs, f)
	}
	v, err := u.rt.boot.Call("times", u.log, float64(engineClock().UnixMilli()), u.tr(widget.PhraseNow), firstNonEmpty(u.lang, "en"), u.rel.Value())
	if next, _ := v.Float(); err == nil && next >= 0 {
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
