package widget

// Units of a message's relative time, as Intl.NumberFormat names them; the
// platform words them in the widget's language.
const (
	UnitNow    = "" // under a minute: PhraseNow
	UnitMinute = "minute"
	UnitHour   = "hour"
	UnitDay    = "day"
)

// TimeUnits is the rule RelativeTime follows, as data a platform can
// apply without calling back into Go for every message: the first row whose
// Below the age is under counts it in whole Steps (ms) of Unit. "now"
// under a minute, then whole minutes under an hour, whole hours under a
// day, and whole days.
var TimeUnits = [...]struct {
	Below, Step int64
	Unit        string
}{
	{minute, minute, UnitNow},
	{hour, minute, UnitMinute},
	{day, hour, UnitHour},
	{1 << 53, day, UnitDay}, // beyond any age: 2^53 ms is 285,000 years
}

const minute, hour, day = 60_000, 60 * 60_000, 24 * 60 * 60_000

// RelativeTime tells how old a message of age ms is, by TimeUnits: the
// count and the unit (UnitNow, counted 0, under a minute). It also returns
// in how many ms the wording changes, so that an open panel refreshes its
// times exactly then and not on every tick. A negative age (a clock set
// back) counts as 0.
func RelativeTime(age int64) (n int64, unit string, next int64) {
	age = max(age, 0)
	u := TimeUnits[len(TimeUnits)-1]
	for _, r := range TimeUnits {
		if age < r.Below {
			u = r
			break
		}
	}
	return age / u.Step, u.Unit, u.Step - age%u.Step
}
