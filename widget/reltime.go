package widget

// Units of a message's relative time, as Intl.NumberFormat names them; the
// platform words them in the widget's language.
const (
	UnitNow    = "" // under a minute: PhraseNow
	UnitMinute = "minute"
	UnitHour   = "hour"
	UnitDay    = "day"
)

// RelativeTime tells how old a message of age ms is: "now" (UnitNow) under
// a minute, then whole minutes under an hour, whole hours under a day, and
// whole days. It also returns in how many ms the wording changes, so that
// an open panel refreshes its times exactly then and not on every tick. A
// negative age (a clock set back) counts as 0.
func RelativeTime(age int64) (n int64, unit string, next int64) {
	const minute, hour, day = 60_000, 60 * 60_000, 24 * 60 * 60_000
	age = max(age, 0)
	switch {
	case age < minute:
		return 0, UnitNow, minute - age
	case age < hour:
		return age / minute, UnitMinute, minute - age%minute
	case age < day:
		return age / hour, UnitHour, hour - age%hour
	}
	return age / day, UnitDay, day - age%day
}
