//go:build js && wasm

package wasm

import (
	"strconv"
	"time"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// Message times. Each message shows how old it is ("now", "2 min", "3 hr")
// in a <time> whose title is the full local time: widget.TimeUnits is
// the rule (widget.RelativeTime applies it in Go), and the loader's times
// applies it to every time and words it with the browser's Intl
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
	u.wordTimes()
}

// wordTimes is refreshTimes' work, apart so that the start-up, which
// calls refreshTimes with the panel closed, does not have V8 compile it
// (V8 compiles a whole function on its first call, early return or not).
func (u *ui) wordTimes() {
	if !u.unitsOK {
		// widget.TimeUnits, flat, made once: the loader applies the rule
		// to every time without calling back into Go.
		rows := make([]any, 0, 3*len(widget.TimeUnits))
		for _, r := range widget.TimeUnits {
			rows = append(rows, float64(r.Below), float64(r.Step), r.Unit)
		}
		array, err := safejs.Global().Get("Array")
		if err != nil {
			return
		}
		if u.units, err = array.Call("of", rows...); err != nil {
			return
		}
		u.unitsOK = true
	}
	v, err := u.rt.boot.Call("times", u.log, float64(engineClock().UnixMilli()), u.tr(widget.PhraseNow), firstNonEmpty(u.lang, "en"), u.units)
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
