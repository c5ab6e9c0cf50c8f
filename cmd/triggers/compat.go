package main

import (
	"errors"

	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// Temporary: what simulate.go used before the strict checks and the Go zone
// moved to package widget/strict, kept with the old behaviour and wording
// until simulate.go uses that package directly. Delete this file then
// (with the tests that call these: TestIgnoredKeys and TestGoZone, whose
// equivalents are in widget/strict).

// goZone is strict.NewZone's zone.
type goZone struct{ widget.Zone }

// newGoZone returns strict.NewZone, reporting unknown zones through
// unknown with time.LoadLocation's wording.
func newGoZone(unknown func(tz string, err error)) *goZone {
	var report func(tz string)
	if unknown != nil {
		report = func(tz string) { unknown(tz, errors.New("unknown time zone "+tz)) }
	}
	return &goZone{strict.NewZone(report)}
}

// ignoredKeys lists, in document order, the unknown and duplicate keys of
// a trigger set that widget.ParseSet accepts, worded as warnings.
func ignoredKeys(data []byte) []widget.FieldError {
	var out []widget.FieldError
	for _, p := range strict.Check(data).Problems {
		switch p.Code {
		case widget.CodeUnknownKey:
			p.Problem = "unknown field, ignored by the runtime"
		case widget.CodeDuplicateKey:
			p.Problem = "duplicate key; only its last value counts"
		default:
			continue
		}
		out = append(out, p.FieldError)
	}
	return out
}
