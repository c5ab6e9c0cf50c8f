package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/upload"
	"github.com/triggerwidget/triggerwidget/widget"
)

// opt is one option of a select or radio group.
type opt struct {
	Value, Label string
	Selected     bool
	Image        string // an avatar's picture
}

// The editor's choices, in English (translated when shown).
var (
	triggerTypes = []opt{
		{Value: widget.TypeSite, Label: "Site notification"},
		{Value: widget.TypePage, Label: "Page notification"},
		{Value: widget.TypeChatRescue, Label: "Chat rescue"},
		{Value: widget.TypeMaximized, Label: "Widget maximized"},
		{Value: widget.TypeAdvanced, Label: "Advanced"},
	}
	typeHelp = map[string]string{
		widget.TypeSite:       "When a visitor lands on any page of your site.",
		widget.TypePage:       "When a visitor lands on a page whose address matches a rule.",
		widget.TypeChatRescue: "When a visitor starts a chat and no agent answers in time.",
		widget.TypeMaximized:  "When a visitor opens the chat widget.",
		widget.TypeAdvanced:   "On an event of your choice, when conditions hold; runs a list of actions.",
	}
	delayChoices = []int{0, 5, 10, 15, 20, 30, 60, 120, 300, 600}
	urlMatches   = []opt{
		{Value: widget.MatchExact, Label: "Exact"},
		{Value: widget.MatchContains, Label: "Contains"},
		{Value: widget.MatchStartsWith, Label: "Starts with"},
		{Value: widget.MatchWildcard, Label: "Wildcard"},
		{Value: widget.MatchRegex, Label: "Regex"},
	}
	events = []opt{
		{Value: widget.EventPageView, Label: "Page view"},
		{Value: widget.EventWidgetLoaded, Label: "Widget loaded"},
		{Value: widget.EventChatRequested, Label: "Chat requested (the visitor's first message)"},
		{Value: widget.EventVisitorMessage, Label: "Visitor message"},
		{Value: widget.EventWidgetMaximized, Label: "Widget opened"},
		{Value: widget.EventCustom, Label: "Custom event (from your page's addEvent)"},
	}
	actionTypes = []opt{
		{Value: widget.ActionSendMessage, Label: "Send a message"},
		{Value: widget.ActionWait, Label: "Wait"},
		{Value: widget.ActionAddTags, Label: "Add tags"},
		{Value: widget.ActionRemoveTags, Label: "Remove tags"},
		{Value: widget.ActionSetAttr, Label: "Set an attribute"},
		{Value: widget.ActionMaximize, Label: "Open the widget"},
		{Value: widget.ActionEmit, Label: "Emit an event to your page"},
	}
	avatars = []opt{
		{Value: "robot", Label: "Robot"},
		{Value: "headset", Label: "Headset"},
		{Value: "woman", Label: "Woman"},
		{Value: "man", Label: "Man"},
	}
	fieldLabels = map[string]string{
		"page.url": "Page URL", "page.path": "Page path", "page.title": "Page title", "page.referrer": "Referrer",
		"page.query.": "Query parameter", "visit.time_on_site": "Time on site (seconds)",
		"visit.time_on_page": "Time on page (seconds)", "visit.page_views": "Pages viewed in this visit",
		"visitor.visits": "Number of visits", "visitor.returning": "Returning visitor", "visitor.name": "Visitor name",
		"visitor.email": "Visitor email", "visitor.tags": "Visitor tags", "visitor.attr.": "Visitor attribute",
		"visitor.language": "Visitor language", "device.type": "Device type", "browser": "Browser",
		"os": "Operating system", "time.hour": "Hour of the day", "time.weekday": "Day of the week",
		"widget.status": "Widget status", "widget.maximized": "Widget is open", "chat.state": "Chat state",
		"event.name": "Custom event name",
	}
	opLabels = map[string]string{
		widget.OpEq: "is", widget.OpNeq: "is not", widget.OpContains: "contains", widget.OpNotContains: "does not contain",
		widget.OpStartsWith: "starts with", widget.OpEndsWith: "ends with", widget.OpWildcard: "matches the wildcard",
		widget.OpRegex: "matches the regex", widget.OpLt: "is less than", widget.OpLte: "is at most",
		widget.OpGt: "is more than", widget.OpGte: "is at least", widget.OpIn: "is one of", widget.OpNotIn: "is none of",
		widget.OpExists: "is set", widget.OpNotExists: "is not set",
	}
	weekdays = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	// Values a few text fields take, offered as suggestions.
	fieldValues = map[string][]string{
		"device.type":   {"desktop", "mobile", "tablet"},
		"chat.state":    {widget.ChatNone, "requesting", "served", "ended"},
		"widget.status": {widget.StatusOnline, widget.StatusAway, widget.StatusOffline},
	}
)

// delayLabel words a delay in seconds.
func delayLabel(lang string, s int) string {
	switch {
	case s == 0:
		return T(lang, "No delay")
	case s == 60:
		return T(lang, "1 minute")
	case s%60 == 0:
		return sprintfN(T(lang, "%d minutes"), s/60)
	}
	return sprintfN(T(lang, "%d seconds"), s)
}

func translated(lang string, opts []opt, selected string) []opt {
	out := make([]opt, len(opts))
	for i, o := range opts {
		o.Label = T(lang, o.Label)
		o.Selected = o.Value == selected
		out[i] = o
	}
	return out
}

// editorView is what editor.html gets as .Data.V.
type editorView struct {
	PID, ID, ETag, Action, ReloadURL string
	New                              bool
	F                                *editorForm
	Types                            []opt
	TypeHelp                         map[string]string
	Delays                           []opt
	URLMatches                       []opt
	Shortcuts                        []opt
	Avatars                          []opt
	CurrentImage                     string // the picture of the image in use; "" when its URL is refused
	MaxImageBytes                    int    // what an upload may weigh (editor.js refuses more when it is chosen)
	HasImage                         bool   // the agent uses an uploaded or linked image
	Events                           []opt
	Suggestions                      []suggView
	SuggShown                        int
	Conds                            []condView
	Acts                             []actView
	BlankCond                        condView // the row editor.js adds
	BlankAct                         actView
	CondsFull, ActsFull              bool
	Errs                             map[string]string
	Problems                         []problemView
	Saved, Conflict                  bool
	Unsaved                          bool // the page answers a post: what it shows is not saved yet
	Alert                            string
	ShortcutsData                    any
	EditorData                       any
	FieldValues                      map[string][]string
	Hours                            []opt
	Days                             []opt
	MaxConditions, MaxActions        int
}

type suggView struct {
	I, N  int
	Value string
}

type condView struct {
	I, N        int
	P, Num      string // the row's name prefix ("c0") and number ("1")
	Row         condRow
	Fields      []opt
	Ops         []opt
	Keyed       bool
	Control     string // "text", "number", "bool", "hour", "day", "none"
	KeyLabel    string
	Datalist    string // id of the datalist of the field's values
	Placeholder string
}

type actView struct {
	I, N      int
	P, Num    string
	Row       actRow
	Types     []opt
	Shortcuts []opt
}

type problemView struct {
	ID, Label, Text string
}

func (h *Handler) renderEditor(w http.ResponseWriter, c *call, status int, st *editorState) error {
	f := st.form
	lang := c.lang
	v := &editorView{PID: c.pid, ID: st.id, ETag: st.etag, New: st.id == "", F: f,
		Action: editorURL(c.pid, st.id), ReloadURL: editorURL(c.pid, st.id),
		Saved: st.saved, Conflict: st.conflict, Alert: st.alert, Unsaved: st.posted,
		Errs: map[string]string{}, FieldValues: fieldValues,
		MaxConditions: widget.MaxConditions, MaxActions: widget.MaxActions}
	v.Types = translated(lang, triggerTypes, f.Type)
	v.TypeHelp = map[string]string{}
	for k, s := range typeHelp {
		v.TypeHelp[k] = T(lang, s)
	}
	// Delays: the list, and a stored delay that is not in it as its own.
	delay, derr := strconv.Atoi(strings.TrimSpace(f.Delay))
	listed := false
	for _, d := range delayChoices {
		if d == delay && derr == nil {
			listed = true
		}
	}
	for _, d := range delayChoices {
		if !listed && derr == nil && delay < d {
			v.Delays = append(v.Delays, opt{Value: strconv.Itoa(delay), Label: delayLabel(lang, delay), Selected: true})
			listed = true
		}
		v.Delays = append(v.Delays, opt{Value: strconv.Itoa(d), Label: delayLabel(lang, d), Selected: derr == nil && d == delay})
	}
	if !listed {
		label := f.Delay
		if derr == nil {
			label = delayLabel(lang, delay)
		}
		v.Delays = append(v.Delays, opt{Value: f.Delay, Label: label, Selected: true})
	}
	v.URLMatches = translated(lang, urlMatches, f.URLMatch)
	v.Events = translated(lang, events, f.Event)

	// Shortcuts: the select's options and the preview's data.
	items, _, err := h.s.Shortcuts(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	var shortcuts []any
	for _, it := range items {
		var sc widget.Shortcut
		var whole any
		_ = json.Unmarshal(it.Raw, &sc)
		_ = json.Unmarshal(it.Raw, &whole)
		shortcuts = append(shortcuts, whole)
		label := sc.ID
		if t := shorten(sc.Text, 60); t != "" {
			label += " — " + t
		}
		v.Shortcuts = append(v.Shortcuts, opt{Value: sc.ID, Label: label, Selected: sc.ID == f.Shortcut})
	}
	if shortcuts == nil {
		shortcuts = []any{}
	}
	v.ShortcutsData = shortcuts

	// Agent image.
	v.MaxImageBytes = upload.MaxSize
	for _, a := range avatars {
		v.Avatars = append(v.Avatars, opt{Value: a.Value, Label: T(lang, a.Label), Selected: f.Avatar == a.Value,
			Image: "/widget/avatars/" + a.Value + ".svg"})
	}
	if f.AgentImage != "" && !strings.HasPrefix(f.AgentImage, "avatar:") {
		v.HasImage = true
		if _, problem := widget.CheckImageURL(f.AgentImage); problem == "" {
			v.CurrentImage = f.AgentImage // never a URL the widget would refuse
		}
	}

	// Suggested messages: four inputs; editor.js shows the filled ones.
	for i, s := range f.Suggestions {
		v.Suggestions = append(v.Suggestions, suggView{I: i, N: i + 1, Value: s})
		if s != "" {
			v.SuggShown = i + 1
		}
	}

	// Rows: the existing ones and one empty (ignored when left empty).
	for i, row := range f.Conds {
		v.Conds = append(v.Conds, newCondView(lang, i, row))
	}
	if len(f.Conds) < widget.MaxConditions {
		v.Conds = append(v.Conds, newCondView(lang, len(f.Conds), condRow{Orig: -1}))
	}
	v.CondsFull = len(f.Conds) >= widget.MaxConditions
	for i, row := range f.Acts {
		v.Acts = append(v.Acts, newActView(lang, i, row, v.Shortcuts))
	}
	if len(f.Acts) < widget.MaxActions {
		v.Acts = append(v.Acts, newActView(lang, len(f.Acts), actRow{Orig: -1}, v.Shortcuts))
	}
	v.ActsFull = len(f.Acts) >= widget.MaxActions
	v.BlankCond = newCondView(lang, -1, condRow{Orig: -1})
	v.BlankAct = newActView(lang, -1, actRow{Orig: -1}, v.Shortcuts)
	for hr := range 24 {
		v.Hours = append(v.Hours, opt{Value: strconv.Itoa(hr), Label: twoDigits(hr) + ":00"})
	}
	for i, d := range weekdays {
		v.Days = append(v.Days, opt{Value: strconv.Itoa(i + 1), Label: T(lang, d)})
	}
	v.EditorData = editorData(lang)

	// Problems: each beside its input, and all of them in the summary.
	for _, p := range st.problems {
		id := problemInput(p.Field, f)
		text := p.Problem
		if p.Code != "" {
			text = problemText(lang, p)
		}
		if id != "" {
			if old, ok := v.Errs[id]; ok {
				v.Errs[id] = old + " " + text
			} else {
				v.Errs[id] = text
			}
		}
		v.Problems = append(v.Problems, problemView{ID: id, Label: inputLabel(lang, id), Text: text})
	}
	slices.SortStableFunc(v.Problems, func(a, b problemView) int { return problemRank(a.ID) - problemRank(b.ID) })
	h.render(w, c, status, "editor", map[string]any{"Admin": true, "Section": "triggers", "V": v})
	return nil
}

// rowNames are a row's name prefix and number; a negative index is the
// blank row editor.js copies, with placeholders it replaces.
func rowNames(prefix string, i int) (string, string) {
	if i < 0 {
		return prefix + "__I__", "__N__"
	}
	return prefix + strconv.Itoa(i), strconv.Itoa(i + 1)
}

func init() {
	funcs["edNum"] = sprintfN
	funcs["edDash"] = func(s string) string { return strings.ReplaceAll(s, ".", "-") }
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func newCondView(lang string, i int, row condRow) condView {
	cv := condView{I: i, N: i + 1, Row: row, Control: "text"}
	cv.P, cv.Num = rowNames("c", i)
	info, _, known := fieldByName(row.Field)
	if known && info.Keyed {
		row.Field = info.Name
	}
	cv.Fields = append(cv.Fields, opt{Value: "", Label: T(lang, "Choose a field"), Selected: row.Field == ""})
	for _, fi := range conditionFields {
		cv.Fields = append(cv.Fields, opt{Value: fi.Name, Label: T(lang, fieldLabel(fi.Name)), Selected: fi.Name == row.Field})
	}
	if row.Field != "" && !known { // a field this editor does not know: shown as it is
		cv.Fields = append(cv.Fields, opt{Value: row.Field, Label: row.Field, Selected: true})
	}
	ops := []string{widget.OpEq, widget.OpNeq, widget.OpContains, widget.OpNotContains, widget.OpStartsWith, widget.OpEndsWith,
		widget.OpWildcard, widget.OpRegex, widget.OpLt, widget.OpLte, widget.OpGt, widget.OpGte, widget.OpIn, widget.OpNotIn,
		widget.OpExists, widget.OpNotExists}
	if known {
		ops = info.Ops
		cv.Keyed = info.Keyed
		if info.Name == "page.query." {
			cv.KeyLabel = "parameter"
		}
	}
	listed := false
	for _, op := range ops {
		cv.Ops = append(cv.Ops, opt{Value: op, Label: T(lang, opLabels[op]), Selected: op == row.Op})
		listed = listed || op == row.Op
	}
	if row.Op != "" && !listed {
		cv.Ops = append(cv.Ops, opt{Value: row.Op, Label: row.Op, Selected: true})
	}
	cv.Control, cv.Placeholder = valueControl(info, known, row.Op)
	if _, ok := fieldValues[row.Field]; ok {
		cv.Datalist = "values-" + strings.ReplaceAll(row.Field, ".", "-")
	}
	return cv
}

// valueControl is the kind of input a condition's value takes, and its
// placeholder.
func valueControl(info widget.FieldInfo, known bool, op string) (string, string) {
	switch {
	case op == widget.OpExists || op == widget.OpNotExists:
		return "none", ""
	case op == widget.OpIn || op == widget.OpNotIn:
		if info.Name == "time.weekday" {
			return "text", "1, 2, 3 (Monday is 1)"
		}
		return "text", "a, b, c"
	case !known:
		return "text", ""
	case info.Name == "time.hour":
		return "hour", ""
	case info.Name == "time.weekday":
		return "day", ""
	case info.Kind == "number":
		return "number", ""
	case info.Kind == "true/false":
		return "bool", ""
	case info.Kind == "list":
		return "text", "tag"
	}
	return "text", ""
}

func fieldLabel(name string) string {
	if l, ok := fieldLabels[name]; ok {
		return l
	}
	return name
}

func newActView(lang string, i int, row actRow, shortcuts []opt) actView {
	av := actView{I: i, N: i + 1, Row: row}
	av.P, av.Num = rowNames("a", i)
	av.Types = append(av.Types, opt{Value: "", Label: T(lang, "Choose an action"), Selected: row.Type == ""})
	av.Types = append(av.Types, translated(lang, actionTypes, row.Type)...)
	for _, s := range shortcuts {
		s.Selected = s.Value == row.Shortcut
		av.Shortcuts = append(av.Shortcuts, s)
	}
	return av
}

// editorData is what editor.js needs to adapt the condition rows: each
// field's kind and operators, and the operators' names.
func editorData(lang string) map[string]any {
	fields := map[string]any{}
	for _, fi := range conditionFields {
		fields[fi.Name] = map[string]any{"kind": fi.Kind, "ops": fi.Ops, "keyed": fi.Keyed}
	}
	ops := map[string]string{}
	for k, l := range opLabels {
		ops[k] = T(lang, l)
	}
	return map[string]any{"fields": fields, "ops": ops,
		"limitConditions":  T(lang, "A trigger has at most 10 conditions."),
		"limitActions":     T(lang, "A trigger has at most 5 actions."),
		"limitSuggestions": T(lang, "A message has at most 4 suggested messages."),
		"listPlaceholder":  "a, b, c", "dayListPlaceholder": T(lang, "1, 2, 3 (Monday is 1)")}
}

var (
	reCond = regexp.MustCompile(`^conditions\[(\d+)\](?:\.(\w+))?`)
	reAct  = regexp.MustCompile(`^actions\[(\d+)\](?:\.(\w+))?(?:\.(\w+))?`)
	reSugg = regexp.MustCompile(`^suggestions\[(\d+)\]`)
)

// problemInput is the id of the input a validator problem belongs to, or
// "" when none does (the summary shows it).
func problemInput(field string, f *editorForm) string {
	if m := reCond.FindStringSubmatch(field); m != nil {
		i := m[1]
		switch m[2] {
		case "op":
			return "c" + i + "-op"
		case "value", "case":
			return "c" + i + "-value"
		case "field":
			if n, _ := strconv.Atoi(i); n < len(f.Conds) {
				if info, _, ok := fieldByName(f.Conds[n].Field); ok && info.Keyed {
					return "c" + i + "-key"
				}
			}
		}
		return "c" + i + "-field"
	}
	if m := reAct.FindStringSubmatch(field); m != nil {
		i := m[1]
		switch m[2] {
		case "message":
			if m[3] == "shortcut" {
				return "a" + i + "-shortcut"
			}
			return "a" + i + "-text"
		case "agent":
			return "a" + i + "-agent"
		case "suggestions":
			return "a" + i + "-sugg"
		case "seconds", "tags", "key", "value", "name", "data":
			return "a" + i + "-" + m[2]
		}
		return "a" + i + "-type"
	}
	if m := reSugg.FindStringSubmatch(field); m != nil {
		return "t-sugg-" + m[1]
	}
	switch field {
	case "type":
		return "t-type"
	case "name":
		return "t-name"
	case "delay":
		return "t-delay"
	case "message", "message.text":
		if f.MsgMode == "shortcut" {
			return "t-shortcut"
		}
		return "t-text"
	case "message.shortcut":
		return "t-shortcut"
	case "suggestions":
		return "t-sugg-0"
	case "agent", "agent.name":
		return "t-agent-name"
	case "agent.image":
		return "t-upload"
	case "url", "url.value":
		return "t-url"
	case "url.match":
		return "t-url-match"
	case "event":
		return "t-event"
	case "match":
		return "t-match"
	case "conditions":
		return "t-conds"
	case "actions":
		return "t-acts"
	case "enabled":
		return "t-enabled"
	case "oncePerVisitor":
		return "t-once"
	}
	return ""
}

// problemRank orders the summary as the form: top to bottom, problems
// without an input first.
func problemRank(id string) int {
	order := []string{"t-type", "t-name", "t-delay", "t-url-match", "t-url", "t-event", "t-match", "t-conds", "c", "t-acts", "a",
		"t-text", "t-shortcut", "t-sugg-", "t-upload", "t-agent-name", "t-enabled", "t-once"}
	if id == "" {
		return -1
	}
	for i, o := range order {
		if id == o {
			return i * 10000
		}
		if rest, ok := strings.CutPrefix(id, o); ok && (o == "c" || o == "a" || o == "t-sugg-") {
			num, part, _ := strings.Cut(rest, "-")
			n, err := strconv.Atoi(num)
			if err != nil {
				continue
			}
			sub := slices.Index([]string{"type", "field", "key", "op", "text", "shortcut", "agent", "sugg", "seconds", "tags", "value", "name", "data"}, part)
			return i*10000 + n*20 + sub + 1
		}
	}
	return len(order) * 10000
}

// inputLabel names an input in the problem summary.
func inputLabel(lang, id string) string {
	fixed := map[string]string{
		"t-type": "Trigger type", "t-name": "Trigger name", "t-delay": "Delay", "t-text": "Message",
		"t-shortcut": "Shortcut", "t-agent-name": "Agent name", "t-upload": "Upload image", "t-url": "URL",
		"t-url-match": "URL match", "t-event": "Event", "t-match": "Conditions", "t-conds": "Conditions",
		"t-acts": "Actions", "t-enabled": "Enabled", "t-once": "Once per visitor",
	}
	if l, ok := fixed[id]; ok {
		return T(lang, l)
	}
	if n, ok := strings.CutPrefix(id, "t-sugg-"); ok {
		i, _ := strconv.Atoi(n)
		return sprintfN(T(lang, "Suggested message %d"), i+1)
	}
	if len(id) > 1 && (id[0] == 'c' || id[0] == 'a') {
		num, part, ok := strings.Cut(id[1:], "-")
		i, err := strconv.Atoi(num)
		if ok && err == nil {
			if id[0] == 'c' {
				return sprintfN(T(lang, "Condition %d "+part), i+1)
			}
			return sprintfN(T(lang, "Action %d "+actionPartLabel(part)), i+1)
		}
	}
	return T(lang, "Trigger")
}

// actionPartLabel is how an action input's label ends, after "Action N".
func actionPartLabel(part string) string {
	switch part {
	case "text":
		return "message"
	case "sugg":
		return "suggested messages"
	}
	return part
}

// sprintfN puts n in place of %d (also the template function edNum, for
// which n may be a row's number as text).
func sprintfN(pattern string, n any) string {
	return strings.Replace(pattern, "%d", fmt.Sprint(n), 1)
}
