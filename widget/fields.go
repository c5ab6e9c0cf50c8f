package widget

// The fields an advanced condition can test, declared once. Each entry says
// everything the rest of the package needs to know about a field: its name,
// its kind (which decides the operators it takes and how its value is
// typed), how to read it, the values it can take, and — for the fields that
// time alone can change — the next instant a comparison against a value can
// change. The compiler, the evaluator, the deferred re-check of time
// conditions and Explain all read this table; a test walks every entry.

// kind is the type of a condition field.
type kind uint8

const (
	kindString kind = iota + 1
	kindNumber
	kindBool
	kindList // visitor.tags
)

func (k kind) String() string {
	switch k {
	case kindString:
		return "text"
	case kindNumber:
		return "number"
	case kindBool:
		return "true/false"
	case kindList:
		return "list"
	}
	return "?"
}

// fieldDecl declares one condition field. Exactly the accessor of its kind
// is set: str for text, num for numbers, boolean for true/false, list for
// lists.
type fieldDecl struct {
	// name is the field's name, or for a keyed field the prefix before the
	// key ("page.query." for page.query.<name>).
	name  string
	kind  kind
	keyed bool
	// foldKey makes the key case-insensitive (attribute keys are).
	foldKey bool

	str     func(x *evalContext, key string, fold bool) (string, bool)
	num     func(x *evalContext) (float64, bool)
	boolean func(x *evalContext) (bool, bool)
	list    func(x *evalContext, fold bool) []string

	// A number field whose values are bounded: min..max, whole numbers
	// only when whole is set, and names (lower case) standing for numbers.
	bounded  bool
	min, max float64
	whole    bool
	names    func(lower string) (float64, bool)
	// rangeText words the range for an error message.
	rangeText string

	// next, for a field that time alone changes, offers consider every
	// instant after which a comparison against v may have changed value.
	next func(x *evalContext, v float64, consider func(at int64))
}

// timed reports whether time alone can change the field's value.
func (d *fieldDecl) timed() bool { return d.next != nil }

// weekdayNames reads a day's name in lower case ("monday" or "mon") as
// its ISO number. A function rather than a map: a package-level map would
// be built when the program starts, on the host page's time.
func weekdayNames(name string) (float64, bool) {
	for i, day := range [...]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"} {
		if name == day || name == day[:3] {
			return float64(i + 1), true
		}
	}
	return 0, false
}

// conditionFields is the table. Its order is the documentation's.
var conditionFields = []fieldDecl{
	{name: "page.url", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		p := &x.e.pageCtx
		return pick(fold, p.url, p.urlLower), p.url != ""
	}},
	{name: "page.path", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		p := &x.e.pageCtx
		return pick(fold, p.path, p.pathLower), p.path != ""
	}},
	{name: "page.title", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		p := &x.e.pageCtx
		return pick(fold, p.title, p.titleLower), p.title != ""
	}},
	{name: "page.referrer", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		p := &x.e.pageCtx
		return pick(fold, p.referrer, p.referrerLower), p.referrer != ""
	}},
	{name: "page.query.", keyed: true, kind: kindString, str: func(x *evalContext, key string, fold bool) (string, bool) {
		v, ok := x.e.pageCtx.query[key]
		return pick(fold, v[0], v[1]), ok
	}},
	{name: "visit.time_on_site", kind: kindNumber, num: func(x *evalContext) (float64, bool) {
		return secondsSince(x.e.visit.Start, x.now)
	}, next: func(x *evalContext, v float64, consider func(int64)) {
		wholeSecondsFrom(x.e.visit.Start, v, consider)
	}},
	{name: "visit.time_on_page", kind: kindNumber, num: func(x *evalContext) (float64, bool) {
		return secondsSince(x.e.pageCtx.start, x.now)
	}, next: func(x *evalContext, v float64, consider func(int64)) {
		wholeSecondsFrom(x.e.pageCtx.start, v, consider)
	}},
	{name: "visit.page_views", kind: kindNumber, num: func(x *evalContext) (float64, bool) {
		return float64(x.e.visit.PageViews), true
	}},
	{name: "visitor.visits", kind: kindNumber, num: func(x *evalContext) (float64, bool) {
		return float64(x.e.visitor.Visits), true
	}},
	{name: "visitor.returning", kind: kindBool, boolean: func(x *evalContext) (bool, bool) {
		return x.e.visitor.Visits > 1, true
	}},
	{name: "visitor.name", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		return x.attr("name", fold)
	}},
	{name: "visitor.email", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		return x.attr("email", fold)
	}},
	{name: "visitor.tags", kind: kindList, list: func(x *evalContext, fold bool) []string {
		if fold {
			return x.e.tagsLower
		}
		return x.e.visitor.Tags
	}},
	{name: "visitor.attr.", keyed: true, foldKey: true, kind: kindString, str: func(x *evalContext, key string, fold bool) (string, bool) {
		return x.attr(key, fold)
	}},
	{name: "visitor.language", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		e := x.e
		return pick(fold, e.env.Language, e.envLower.Language), e.env.Language != ""
	}},
	{name: "device.type", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		e := x.e
		return pick(fold, e.env.DeviceType, e.envLower.DeviceType), e.env.DeviceType != ""
	}},
	{name: "browser", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		e := x.e
		return pick(fold, e.env.Browser, e.envLower.Browser), e.env.Browser != ""
	}},
	{name: "os", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		e := x.e
		return pick(fold, e.env.OS, e.envLower.OS), e.env.OS != ""
	}},
	{name: "time.hour", kind: kindNumber, bounded: true, min: 0, max: 23, whole: true,
		rangeText: "a whole hour from 0 to 23",
		num: func(x *evalContext) (float64, bool) {
			h, _ := x.e.localTime(x.now)
			return float64(h), true
		}, next: nextLocalHour},
	{name: "time.weekday", kind: kindNumber, bounded: true, min: 1, max: 7, whole: true, names: weekdayNames,
		rangeText: "1 (Monday) to 7 (Sunday) or a day name",
		num: func(x *evalContext) (float64, bool) {
			_, wd := x.e.localTime(x.now)
			return float64(wd), true
		}, next: nextLocalHour},
	{name: "widget.status", kind: kindString, str: func(x *evalContext, _ string, _ bool) (string, bool) {
		return x.e.status(), true
	}},
	{name: "widget.maximized", kind: kindBool, boolean: func(x *evalContext) (bool, bool) {
		return x.e.visit.Maximized, true
	}},
	{name: "chat.state", kind: kindString, str: func(x *evalContext, _ string, _ bool) (string, bool) {
		if x.e.visit.Chat.State == "" {
			return ChatNone, true
		}
		return x.e.visit.Chat.State, true
	}},
	{name: "event.name", kind: kindString, str: func(x *evalContext, _ string, fold bool) (string, bool) {
		return pick(fold, x.eventName, x.eventNameLower), x.eventName != ""
	}},
}

// lookupField finds the declaration of a field name and, for a keyed
// field, the key.
func lookupField(name string) (*fieldDecl, string, bool) {
	for i := range conditionFields {
		d := &conditionFields[i]
		if !d.keyed {
			if name == d.name {
				return d, "", true
			}
			continue
		}
		if len(name) > len(d.name) && name[:len(d.name)] == d.name {
			return d, name[len(d.name):], true
		}
	}
	return nil, "", false
}

// secondsSince is whole seconds from start (unix ms) to now; false before
// start is known.
func secondsSince(start, now int64) (float64, bool) {
	if start == 0 {
		return 0, false
	}
	return float64((now - start) / 1000), true
}

// wholeSecondsFrom offers the instants at which "seconds since base"
// compared against v can change: seconds are whole, so "≥ 30" becomes true
// at 30 s and "> 30" at 31 s.
func wholeSecondsFrom(base int64, v float64, consider func(int64)) {
	if base == 0 {
		return
	}
	consider(base + int64(v)*1000)
	consider(base + int64(v+1)*1000)
}

// nextLocalHour offers the start of the next local hour: the hour and the
// weekday change only then.
func nextLocalHour(x *evalContext, _ float64, consider func(int64)) {
	x.e.localTime(x.now)
	consider(x.e.zoneUntil)
}

func pick(fold bool, raw, lower string) string {
	if fold {
		return lower
	}
	return raw
}

// FieldInfo describes a condition field for tools and editors.
type FieldInfo struct {
	// Name is the field's name; a keyed field's ends with "." and takes a
	// key after it (page.query.NAME, visitor.attr.KEY).
	Name  string
	Keyed bool
	// Kind is "text", "number", "true/false" or "list".
	Kind string
	// Ops are the operators the field takes.
	Ops []string
	// Timed is true when time alone changes the field's value (such
	// conditions are re-checked when they may have become true).
	Timed bool
}

// ConditionFields describes every condition field, in documentation order.
func ConditionFields() []FieldInfo {
	out := make([]FieldInfo, len(conditionFields))
	for i := range conditionFields {
		d := &conditionFields[i]
		out[i] = FieldInfo{Name: d.name, Keyed: d.keyed, Kind: d.kind.String(), Ops: append([]string(nil), opsFor(d.kind)...), Timed: d.timed()}
	}
	return out
}
