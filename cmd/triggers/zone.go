package main

import (
	"sync"
	"time"
	_ "time/tzdata" // the same zone answers on every machine, with or without /usr/share/zoneinfo

	"github.com/triggerwidget/triggerwidget/widget"
)

// goZone implements widget.Zone natively with Go's zone database, where
// the browser build asks Intl.DateTimeFormat. It lives here, not in widget,
// so that the wasm binary never links the database. A zone the database
// does not know is reported once through unknown and read as UTC, as the
// browser does.
type goZone struct {
	mu      sync.Mutex
	locs    map[string]*time.Location
	unknown func(tz string, err error)
}

var _ widget.Zone = (*goZone)(nil)

func newGoZone(unknown func(tz string, err error)) *goZone {
	return &goZone{locs: map[string]*time.Location{}, unknown: unknown}
}

// location returns the named zone, UTC for an empty or unknown name.
func (z *goZone) location(tz string) *time.Location {
	z.mu.Lock()
	defer z.mu.Unlock()
	if loc, ok := z.locs[tz]; ok {
		return loc
	}
	loc := time.UTC
	if tz != "" && tz != "UTC" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			if z.unknown != nil {
				z.unknown(tz, err)
			}
		} else {
			loc = l
		}
	}
	z.locs[tz] = loc
	return loc
}

// Local implements widget.Zone: the hour and ISO weekday at t in zone tz,
// and the time until the next local hour begins.
func (z *goZone) Local(t time.Time, tz string) (hour, weekday int, untilNextHour time.Duration) {
	l := t.In(z.location(tz))
	weekday = int(l.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	into := time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second + time.Duration(l.Nanosecond())
	return l.Hour(), weekday, time.Hour - into
}
