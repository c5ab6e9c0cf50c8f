// Command triggers works with triggerwidget trigger sets from the
// command line: it validates them, formats them canonically, replays a
// scripted visitor against them with the browser's own engine, and
// publishes them through widgetd's API (push) or downloads them (pull).
//
//	go run ./cmd/triggers validate SET.json...
//	go run ./cmd/triggers fmt [-w] [-check] SET.json...
//	go run ./cmd/triggers simulate [-explain] SET.json JOURNEY.json
//	go run ./cmd/triggers push -server URL -property ID SET.json
//	go run ./cmd/triggers pull -server URL -property ID [-o FILE]
//	go run ./cmd/triggers help [validate|fmt|simulate|push|pull]
//
// Exit status, for every command: 0 success; 1 the input has problems (a
// set that does not parse or breaks a rule — simulate still runs its valid
// triggers —, a journey that is invalid, or for fmt -check a file that is
// not formatted); 2 bad usage or a file that
// cannot be read or written. "-" names standard input.
//
// # validate
//
// validate runs package widget/strict: the checker the admin and the
// browser runtime run (widget.Compile), plus the strict checks a document
// people write deserves and the runtime deliberately skips (unknown keys,
// with the closest known one as a suggestion, and keys given twice). It
// prints every problem, one per line, placed by line and column and
// followed by its code:
//
//	SET.json:7:52: trigger "welcome": dealy: unknown field, ignored by the runtime; did you mean "delay"? [unknown_key]
//	SET.json:5:13: status: unknown status "busy" (one of online, away, offline) [unknown_value]
//
// or SET.json: ok (5 triggers, 1 shortcut). Lines with "warning:" (a time
// zone missing from the IANA database: browsers use UTC) do not change
// the exit status.
//
// # fmt
//
// fmt parses a set with widget.ParseSet and writes it back with the model's
// own encoder ((widget.Set).MarshalEasyJSON): fields in the model's order,
// two-space indentation, a trailing newline, text as UTF-8 with <, > and &
// unescaped. Fields at a default the model omits disappear (false booleans,
// empty lists), as do an empty "agent" and an advanced trigger's zero
// "delay", which the model would otherwise write out; nothing that changes
// meaning is touched, and fmt of fmt's output is the same. Without flags
// the result goes to standard output; -w rewrites each file in place
// (through a temporary file and a rename, keeping its permissions; files
// already formatted are not written); -check lists the files that are not
// formatted and exits 1 if there are any. A set that does not parse, or
// whose unknown or duplicated keys formatting would silently drop, is left
// alone and reported (exit 1).
//
// # simulate
//
// simulate hands the set and the journey to package widget/simulate, which
// runs the very engine the browser runs (widget.New) on a
// widget.ManualClock and a widget.MemoryStorage, feeds it the steps of the
// journey and records a timeline from the engine's effects; this command
// lays the timeline out. Between steps the clock advances from one timer's
// deadline to the next, so countdowns, waits and deferred time conditions
// fire in order at their exact instant. After the last step the clock runs
// on for one more hour unless the journey ends with an "end" step. The
// set's problems come first, as "problem" lines; its broken triggers are
// skipped and the others run, as in the browser, and the exit status is 1.
// The set's time zone is read with Go's zone database (embedded, so every
// machine agrees); an unknown zone is reported and read as UTC, as in the
// browser.
//
// # Journey format
//
// A journey is one JSON document. Unknown fields are errors, and every
// problem is reported at once with its path (steps[3].url).
//
//	{
//	  "start": "2026-03-02T09:00:00Z",
//	  "visitor": {
//	    "returning": true, "visits": 3,
//	    "language": "fr-FR", "device": "mobile", "browser": "safari", "os": "ios",
//	    "name": "Ana", "email": "ana@example.com",
//	    "attrs": {"plan": "free"}, "tags": ["newsletter"]
//	  },
//	  "steps": [
//	    {"at": 0, "event": "page_view", "url": "https://acme.test/", "title": "Home"}
//	  ]
//	}
//
// "start" (optional, RFC 3339) is when the journey begins; by default
// 2026-03-02T09:00:00Z, a Monday, so that output never depends on the wall
// clock.
//
// "visitor" (optional) is what the browser already knows. "visits" is the
// number of earlier visits; "returning": true alone means one. They are
// stored as the visitor record (widget.VisitorState under widget.KeyVisitor)
// before the engine starts, with "tags" and "attrs" (texts, numbers or
// booleans; "name" and "email" are the attributes of those names), so the
// journey's visit is visit number visits+1 and visitor.returning holds
// when visits > 0. "language" (free text), "device" (desktop, mobile,
// tablet), "browser" (chrome, firefox, safari, edge, opera, samsung, other)
// and "os" (windows, macos, ios, android, linux, chromeos, other) feed the
// visitor.language, device.type, browser and os conditions; left out, they
// are unknown.
//
// "steps" is the list of what happens. "at" is seconds from the start
// (fractions allowed, at most a week) and never decreases from one step to
// the next. "event" is one of:
//
//	{"event": "page_view", "url": "https://acme.test/pricing", "title": "Pricing", "referrer": "https://google.com/"}
//	    a page load or SPA navigation; title and referrer are optional
//	{"event": "visitor_message", "text": "hi"}
//	    the visitor writes; the first message of a chat starts it
//	{"event": "agent_message", "name": "Bob", "text": "hello"}
//	    an agent writes (name optional): the chat is served
//	{"event": "agent_joined", "name": "Bob"}
//	    an agent joins (name optional): the chat is served
//	{"event": "chat_ended"}
//	    the chat ends; the visitor's next message starts a new one
//	{"event": "status", "status": "away"}
//	    the desk's status: online, away or offline
//	{"event": "custom_event", "name": "cart", "data": {"items": 2}}
//	    the host page calls addEvent(name, data); data (optional) is shown only
//	{"event": "set_attributes", "attrs": {"plan": "pro", "coupon": null}}
//	    setAttributes: texts, numbers, booleans; null removes the attribute
//	{"event": "add_tags", "tags": ["a"]}
//	{"event": "remove_tags", "tags": ["a"]}
//	{"event": "maximize"}
//	{"event": "minimize"}
//	    the visitor opens or closes the widget
//	{"event": "suggestion", "trigger": "welcome", "index": 0}
//	    the visitor clicks suggestion button index (from 0) of the latest
//	    message of that trigger
//	{"event": "submit_form", "trigger": "pricing-help", "fields": {"email": "a@b.c"}}
//	    the visitor sends the form of the latest message of that trigger
//	{"event": "end"}
//	    stop here (only as the last step): no extra hour of timers
//
// A step the engine refuses at run time (a suggestion of a trigger that has
// not fired, a form already sent) gets a "rejected" line and the journey
// goes on.
//
// # Output format
//
// One line per thing that happened, in time order. The time is relative to
// the start, +MM:SS.s, or +HH:MM:SS from an hour on; then a label padded to
// ten characters and the details:
//
//	+00:00.0  page_view  https://acme.test/pricing "Pricing"
//	+00:00.0  armed      welcome (site): fires at +00:05.0
//	+00:05.0  FIRED      welcome (site) — Apollo: "Bonjour 👋 Comment pouvons-nous vous aider ?"  [Tarifs | Parler à un humain]
//	+00:08.0  cancelled  pricing-help (page): status — the widget is not online
//	+00:30.0  FIRED      hesitant-buyer (advanced) — Maya: "Need a hand choosing a plan?"  [Yes please | Just looking]
//	+00:30.0  wait       hesitant-buyer: 5s, its next action at +00:35.0
//	+00:35.0  tagged     pricing-interest
//	+00:40.0  emit       cart-nudge: lead {"score":2,"source":"cart"}
//
// Echoed steps: page_view, visitor, agent, joined, chat ended, status,
// event, attributes, add tags, drop tags, maximize, minimize, suggestion,
// form, end; "(unchanged)", "(already open)" mark steps that change
// nothing. What the engine does:
//
//	problem    a problem of the set; its trigger is skipped (printed first)
//	warning    an ignored key, or a time zone Go does not know
//	armed      a basic trigger's countdown started (or restarted): when it
//	           fires if nothing stops it
//	FIRED      a trigger fired: its type, agent, text (cut to 80 characters),
//	           [suggestions] and + attachments; an advanced trigger whose
//	           first action is not send_message has a bare FIRED line
//	message    a send_message of an advanced trigger that comes later
//	wait       an advanced trigger's wait action starts
//	cancelled  a running countdown stopped: left_page, answered, minimized,
//	           chat_ended, status
//	held back  a trigger fell due but may not fire: served, once, disabled,
//	           status
//	widget     the widget opened or closed by itself (a maximize action)
//	emit       an emit action: trigger, name and data
//	tagged, untagged, attribute
//	           tags and attributes changed by actions (changes a step made
//	           itself are not repeated)
//	error      another error the engine reported
//	rejected   the engine refused a step
//
// The timeline ends with a summary of engine.Explain(): the widget status,
// chat state and visitor, then each trigger — fired (when), armed (when it
// fires), blocked (why) or waiting (for what, and why its last countdown
// stopped) — and, for advanced triggers, each condition with its value now
// and ✓ or ✗. With -explain the same table follows every step.
//
// # push and pull
//
// push publishes a set through widgetd's API (PUT
// /api/v1/properties/ID/triggerset) with the API token in
// $TRIGGERWIDGET_TOKEN, on top of one version only, so a change made in
// the admin meanwhile is reported, not overwritten: the version given with
// -if-version (the one pull reported), else the one it reads just before.
// The server runs the same checks as validate; a refused set prints every
// problem in validate's layout and exits 1. pull prints (or with -o
// writes) the published set, and its version on standard error. See
// docs/api.md.
package main
