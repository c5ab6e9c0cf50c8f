package strict

import (
	"sync"
	"time"
	_ "time/tzdata" // the same answers on every machine, with or without /usr/share/zoneinfo

	"github.com/triggerwidget/triggerwidget/widget"
)

// NewZone returns a widget.Zone answered from Go's time zone database,
// where the browser build asks Intl.DateTimeFormat. The database is
// embedded (time/tzdata), so a machine without one gives the same
// answers; a system database, when there is one, is read first, as the
// time package does. An empty name and "UTC" are UTC; a name the database
// does not know reads as UTC, as in browsers, and is reported once through
// onUnknown (which may be nil). A Zone may be used from several
// goroutines; onUnknown is not called with any lock held.
func NewZone(onUnknown func(tz string)) widget.Zone {
	return &zone{locs: map[string]*time.Location{}, unknown: onUnknown}
}

type zone struct {
	mu      sync.Mutex
	locs    map[string]*time.Location
	unknown func(tz string)
}

// KnownZone reports whether tz names a zone of Go's time zone database
// ("UTC" included). "Local", the machine's own zone, is not one: its
// answers would depend on the machine.
func KnownZone(tz string) bool {
	_, ok := loadZone(tz)
	return ok
}

func loadZone(tz string) (*time.Location, bool) {
	switch tz {
	case "", "Local":
		return time.UTC, false
	case "UTC":
		return time.UTC, true
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.UTC, false
	}
	return loc, true
}

// location returns the named zone, UTC for an empty or unknown name.
func (z *zone) location(tz string) *time.Location {
	z.mu.Lock()
	loc, ok := z.locs[tz]
	z.mu.Unlock()
	if ok {
		return loc
	}
	loc, known := loadZone(tz)
	z.mu.Lock()
	_, raced := z.locs[tz]
	z.locs[tz] = loc
	z.mu.Unlock()
	if !known && tz != "" && !raced && z.unknown != nil {
		z.unknown(tz)
	}
	return loc
}

// Local implements widget.Zone: the hour and ISO weekday at t in zone tz,
// and the time until the next local hour begins.
func (z *zone) Local(at int64, tz string) (hour, weekday int, untilNextHour time.Duration) {
	l := time.UnixMilli(at).In(z.location(tz))
	weekday = int(l.Weekday())
	if weekday == 0 {
		weekday = 7
	}
	into := time.Duration(l.Minute())*time.Minute + time.Duration(l.Second())*time.Second + time.Duration(l.Nanosecond())
	return l.Hour(), weekday, time.Hour - into
}
