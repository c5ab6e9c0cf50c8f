package web

import (
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/upload"
	"github.com/triggerwidget/triggerwidget/widget"
)

// The trigger editor adds and edits one trigger of any type. The form is
// plain HTML: every control posts, rows of an advanced trigger are added
// and removed by submit buttons that re-render the page, and empty rows
// are ignored. editor.js enhances it (sections by type, rows added in
// place, operators that follow the field, a live preview and a URL
// tester) without changing what is posted.
//
// Saving builds the trigger's JSON object from the form on top of the
// stored one, so that what the form does not show (a condition's "case",
// an action agent's image) is kept, and writes it through the Service
// with the ETag read with the form: a save that lost a race with another
// editor is refused instead of overwriting theirs.

// editorRoutes: the trigger editor (add and edit, every type).
func (h *Handler) editorRoutes() []route {
	return []route{
		{"GET /admin/p/{pid}/settings/triggers/new", "manage", h.editorNew},
		{"POST /admin/p/{pid}/settings/triggers/new", "manage", h.editorPost},
		{"GET /admin/p/{pid}/settings/triggers/try-url", "manage", h.tryURL},
		{"GET /admin/p/{pid}/settings/triggers/{id}", "manage", h.editorEdit},
		{"POST /admin/p/{pid}/settings/triggers/{id}", "manage", h.editorPost},
	}
}

const (
	maxRowIndex = 64 // row indexes a form may post (c0_… to c63_…)
	// maxEditorBody, as for every Administration page, is far more than
	// the 2 MiB an image may weigh: a phone's photo of 5 to 15 MB is
	// refused by its size, beside the field, with everything else typed
	// kept, rather than by the body's (the form lost, on a page of its own).
	maxEditorBody  = maxPageBody
	editorMemLimit = 1 << 20
)

// editorForm is the editor's form: what the person typed, as text.
type editorForm struct {
	Type, Name, Delay       string
	MsgMode, Text, Shortcut string // MsgMode is "text" or "shortcut"
	Suggestions             [widget.MaxSuggestions]string
	AgentName               string
	AgentImage              string // the image in use: an upload's path, a URL, or avatar:NAME
	Avatar                  string // the Standard avatar radio: "", "image" (AgentImage) or a standard name
	Enabled, Once           bool
	URLMatch, URLValue      string
	Event, Match            string
	Conds                   []condRow
	Acts                    []actRow
}

// condRow is one condition row. Field is a field's name from the table
// (a keyed field's prefix, "page.query."), Key the key of a keyed field.
type condRow struct {
	Orig                  int // index of the stored condition it edits, or -1
	Field, Key, Op, Value string
}

// actRow is one action row: every input of every action type (only the
// type's own are read).
type actRow struct {
	Orig                                    int
	Type, Text, Shortcut, Agent, Sugg       string
	Seconds, Tags, Key, Value, Name, DataJS string
}

func newEditorForm(typ string) *editorForm {
	if !validType(typ) {
		typ = widget.TypeSite
	}
	return &editorForm{Type: typ, Delay: "0", MsgMode: "text", Enabled: true,
		URLMatch: widget.MatchStartsWith, Event: widget.EventPageView, Match: "all"}
}

func validType(t string) bool {
	for _, o := range triggerTypes {
		if o.Value == t {
			return true
		}
	}
	return false
}

// --- handlers ---

func (h *Handler) editorNew(w http.ResponseWriter, r *http.Request, c *call) error {
	items, _, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	if len(items) >= widget.MaxTriggers {
		// A bookmark, or a list opened before a colleague added the last
		// one: said before anything is typed, in the list's words.
		st := &editorState{form: newEditorForm(r.URL.Query().Get("type")), full: true,
			alert: T(c.lang, "A property has at most 20 triggers. Delete one to add another.")}
		return h.renderEditor(w, c, http.StatusOK, st)
	}
	f := newEditorForm(r.URL.Query().Get("type"))
	// A new advanced trigger starts with the action most of them have.
	f.Acts = []actRow{{Orig: -1, Type: widget.ActionSendMessage}}
	return h.renderEditor(w, c, http.StatusOK, &editorState{form: f})
}

func (h *Handler) editorEdit(w http.ResponseWriter, r *http.Request, c *call) error {
	it, err := h.s.Trigger(c.ctx(), c.actor, c.pid, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := formFromTrigger(it.Raw)
	return h.renderEditor(w, c, http.StatusOK, &editorState{form: f, id: r.PathValue("id"), etag: it.ETag,
		saved: r.URL.Query().Get("saved") != ""})
}

// editorState is what one rendering of the editor shows.
type editorState struct {
	form     *editorForm
	id, etag string
	saved    bool
	conflict bool
	full     bool // a new trigger, and the property has its 20
	posted   bool // the answer to a post (a refusal, or a row added without script)
	alert    string
	problems []widget.FieldError // from the validator, or the form's own
}

func (h *Handler) editorPost(w http.ResponseWriter, r *http.Request, c *call) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxEditorBody)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		err = r.ParseMultipartForm(editorMemLimit)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return store.Errorf(store.TooLarge, "the form is larger than %d MiB: an image may be at most %d MiB", int64(maxEditorBody)>>20, upload.MaxSize>>20)
		}
		return store.Errorf(store.BadRequest, "the form could not be read")
	}
	id := r.PathValue("id")
	f := parseEditorForm(r)
	st := &editorState{form: f, id: id, etag: r.PostFormValue("etag"), posted: true}
	var stored json.RawMessage
	if id != "" {
		it, err := h.s.Trigger(c.ctx(), c.actor, c.pid, id)
		if err != nil {
			return h.refused(w, c, st, err)
		}
		stored = it.Raw
	}

	if r.PostFormValue("_preview") != "" {
		raw, _ := buildTrigger(f, stored)
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write([]byte(`{"trigger":` + string(previewTrigger(raw)) + `}`))
		return err
	}
	if rowChange(f, r.PostFormValue("add"), r.PostFormValue("remove")) {
		return h.renderEditor(w, c, http.StatusOK, st)
	}

	if file, hdr, ferr := r.FormFile("image"); ferr == nil && hdr.Size > upload.MaxSize {
		file.Close()
		st.problems = append(st.problems, widget.FieldError{Field: "agent.image", Problem: imageTooLarge(c.lang, hdr.Size)})
	} else if ferr == nil {
		data, rerr := io.ReadAll(file)
		file.Close()
		if rerr == nil && len(data) > 0 {
			u, uerr := h.s.Upload(c.ctx(), c.actor, c.pid, hdr.Filename, data, upload.Image)
			if uerr != nil {
				if admin.StatusOf(uerr) >= 500 {
					return uerr
				}
				st.problems = append(st.problems, widget.FieldError{Field: "agent.image", Problem: localizeMessage(c.lang, uerr)})
			} else {
				f.AgentImage, f.Avatar = admin.UploadPath(u.Name), "image"
			}
		}
	}
	raw, local := buildTrigger(f, stored)
	st.problems = append(st.problems, local...)
	items, _, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	if strings.TrimSpace(f.Name) == "" {
		// The list of triggers names each by its name. The Service refuses
		// a new trigger without one, but lets a trigger that never had a
		// name (a set imported whole) be saved as it is; the editor asks
		// for one all the same.
		st.problems = append(st.problems, widget.FieldError{Field: "name",
			Problem: T(c.lang, "Give the trigger a name: only you and your team see it, in the list of triggers.")})
	} else if namedIn(items, f.Name, id) && (id == "" || !sameName(storedName(stored), f.Name)) {
		// A trigger keeps the name it has (a set written whole may hold
		// two of one name); a new one, or a new name, must be its own.
		// The list, its checkboxes ("Select NAME") and the delete dialog
		// tell triggers apart by their names.
		st.problems = append(st.problems, widget.FieldError{Field: "name",
			Problem: T(c.lang, "Another trigger has this name. Give this one a name of its own: the list and the delete dialog tell triggers apart by their names.")})
	}
	if id == "" && len(items) >= widget.MaxTriggers {
		st.full = true
		st.alert = T(c.lang, "A property has at most 20 triggers. Delete one to add another.")
		return h.renderEditor(w, c, http.StatusConflict, st)
	}
	if len(st.problems) > 0 {
		// The checker's problems too, in the same round: a field the form's
		// own checks already marked keeps their words.
		more, err := h.s.CheckTrigger(c.ctx(), c.actor, c.pid, id, raw)
		if err != nil && admin.StatusOf(err) >= 500 {
			return err
		}
		marked := map[string]bool{}
		for _, p := range st.problems {
			marked[problemInput(p.Field, f)] = true
		}
		for _, p := range more {
			if in := problemInput(p.Field, f); in == "" || !marked[in] {
				st.problems = append(st.problems, p)
			}
		}
		return h.renderEditor(w, c, http.StatusUnprocessableEntity, st)
	}

	if id == "" {
		_, newID, err := h.s.AddTrigger(c.ctx(), c.actor, c.pid, raw)
		if err != nil {
			return h.refused(w, c, st, err)
		}
		id = newID
	} else {
		if _, err := h.s.PutTrigger(c.ctx(), c.actor, c.pid, id, st.etag, raw); err != nil {
			return h.refused(w, c, st, err)
		}
	}
	http.Redirect(w, r, editorURL(c.pid, id)+"?saved=1", http.StatusSeeOther)
	return nil
}

// refused re-renders the form after the Service refused a save.
func (h *Handler) refused(w http.ResponseWriter, c *call, st *editorState, err error) error {
	var se *store.Error
	switch {
	case errors.As(err, &se) && se.Code == store.Invalid && len(se.Problems) > 0:
		st.problems = se.Problems
		return h.renderEditor(w, c, http.StatusUnprocessableEntity, st)
	case store.IsCode(err, store.Conflict) && st.id != "":
		st.conflict = true
		return h.renderEditor(w, c, http.StatusConflict, st)
	case store.IsCode(err, store.NotFound) && st.id != "":
		// Deleted meanwhile: what was typed is kept, and saving it adds
		// it again as a new trigger.
		st.id, st.etag = "", ""
		st.alert = T(c.lang, "Someone else deleted this trigger while you were editing it. What you typed is still below: save to add it again as a new trigger.")
		return h.renderEditor(w, c, http.StatusNotFound, st)
	case admin.StatusOf(err) < 500:
		st.alert = localizeMessage(c.lang, err)
		return h.renderEditor(w, c, admin.StatusOf(err), st)
	}
	return err
}

// storedName is the name of a stored trigger, "" for none.
func storedName(raw json.RawMessage) string {
	var t struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(raw, &t)
	return t.Name
}

// imageTooLarge says an image of size bytes is over the limit, in the words
// editor.js uses when such a file is chosen.
func imageTooLarge(lang string, size int64) string {
	// Rounded up, so that a file just over the limit does not read "2 MiB".
	mib := strconv.FormatFloat(math.Ceil(float64(size)*10/(1<<20))/10, 'f', 1, 64)
	mib = strings.TrimSuffix(mib, ".0")
	if lang == "fr" {
		mib = strings.ReplaceAll(mib, ".", ",")
	}
	return strings.Replace(T(lang, "This image is %s MiB; the limit is 2 MiB. Choose a smaller one."), "%s", mib, 1)
}

// namedIn reports whether a trigger of items other than the one with id
// except is named name.
func namedIn(items []admin.Item, name, except string) bool {
	for _, it := range items {
		var t struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if json.Unmarshal(it.Raw, &t) == nil && t.ID != except && sameName(t.Name, name) {
			return true
		}
	}
	return false
}

// sameName compares two triggers' names as the list shows them: ignoring
// case and the spaces around.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// editorURL is a trigger's editor, or the new trigger's for id "".
func editorURL(pid, id string) string {
	if id == "" {
		return triggersPath(pid) + "/new"
	}
	return triggersPath(pid) + "/" + url.PathEscape(id)
}

// rowChange applies a no-script Add or Remove button; false when the post
// is a save.
func rowChange(f *editorForm, add, remove string) bool {
	switch add {
	case "condition":
		if len(f.Conds) < widget.MaxConditions {
			f.Conds = append(f.Conds, condRow{Orig: -1})
		}
		return true
	case "action":
		if len(f.Acts) < widget.MaxActions {
			f.Acts = append(f.Acts, actRow{Orig: -1})
		}
		return true
	case "suggestion":
		return true
	}
	what, n, ok := strings.Cut(remove, ":")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(n)
	if err != nil {
		return true
	}
	switch what {
	case "condition":
		if i >= 0 && i < len(f.Conds) {
			f.Conds = append(f.Conds[:i], f.Conds[i+1:]...)
		}
	case "action":
		if i >= 0 && i < len(f.Acts) {
			f.Acts = append(f.Acts[:i], f.Acts[i+1:]...)
		}
	case "suggestion":
		if i >= 0 && i < len(f.Suggestions) {
			s := f.Suggestions[:]
			copy(s[i:], s[i+1:])
			s[len(s)-1] = ""
		}
	}
	return true
}

// --- the form from a stored trigger ---

// storedTrigger is a trigger as the editor reads it; values kept as JSON.
type storedTrigger struct {
	Name           string          `json:"name"`
	Type           string          `json:"type"`
	Enabled        *bool           `json:"enabled"`
	Delay          json.Number     `json:"delay"`
	OncePerVisitor bool            `json:"oncePerVisitor"`
	URL            *widget.URLRule `json:"url"`
	Message        *widget.Message `json:"message"`
	Agent          widget.Agent    `json:"agent"`
	Suggestions    []string        `json:"suggestions"`
	Event          string          `json:"event"`
	Match          string          `json:"match"`
	Conditions     []struct {
		Field string          `json:"field"`
		Op    string          `json:"op"`
		Value json.RawMessage `json:"value"`
	} `json:"conditions"`
	Actions []struct {
		Type        string          `json:"type"`
		Message     *widget.Message `json:"message"`
		Agent       *widget.Agent   `json:"agent"`
		Suggestions []string        `json:"suggestions"`
		Seconds     json.Number     `json:"seconds"`
		Tags        []string        `json:"tags"`
		Key         string          `json:"key"`
		Value       json.RawMessage `json:"value"`
		Name        string          `json:"name"`
		Data        json.RawMessage `json:"data"`
	} `json:"actions"`
}

func formFromTrigger(raw json.RawMessage) *editorForm {
	var t storedTrigger
	_ = json.Unmarshal(raw, &t) // a stored trigger passed the checks
	f := newEditorForm(t.Type)
	f.Type = t.Type
	f.Name = t.Name
	f.Delay = "0"
	if t.Delay != "" {
		f.Delay = t.Delay.String()
	}
	f.Enabled = t.Enabled == nil || *t.Enabled
	f.Once = t.OncePerVisitor
	if t.Message != nil && t.Message.Shortcut != "" {
		f.MsgMode, f.Shortcut = "shortcut", t.Message.Shortcut
	} else if t.Message != nil {
		f.Text = t.Message.Text
	}
	for i, s := range t.Suggestions {
		if i < len(f.Suggestions) {
			f.Suggestions[i] = s
		}
	}
	f.AgentName, f.AgentImage = t.Agent.Name, t.Agent.Image
	f.Avatar = avatarChoice(t.Agent.Image)
	if t.URL != nil {
		f.URLMatch, f.URLValue = t.URL.Match, t.URL.Value
	}
	if t.Event != "" {
		f.Event = t.Event
	}
	if t.Match != "" {
		f.Match = t.Match
	}
	for i, cd := range t.Conditions {
		row := condRow{Orig: i, Field: cd.Field, Op: cd.Op}
		if d, key, ok := fieldByName(cd.Field); ok && d.Keyed {
			row.Field, row.Key = d.Name, key
		}
		row.Value = valueText(row.Field, cd.Value)
		f.Conds = append(f.Conds, row)
	}
	for i, a := range t.Actions {
		row := actRow{Orig: i, Type: a.Type, Seconds: a.Seconds.String(), Key: a.Key, Name: a.Name,
			Tags: strings.Join(a.Tags, ", "), Sugg: strings.Join(a.Suggestions, "\n")}
		if a.Message != nil {
			row.Text, row.Shortcut = a.Message.Text, a.Message.Shortcut
		}
		if a.Agent != nil {
			row.Agent = a.Agent.Name
		}
		row.Value = valueText("", a.Value)
		if len(a.Data) > 0 && string(a.Data) != "null" {
			row.DataJS = string(a.Data)
		}
		f.Acts = append(f.Acts, row)
	}
	return f
}

// avatarChoice is the Standard avatar radio for an agent image.
func avatarChoice(image string) string {
	if name, ok := strings.CutPrefix(image, "avatar:"); ok {
		return name
	}
	if image != "" {
		return "image"
	}
	return ""
}

// fieldByName finds a condition field: its description and, for a keyed
// field, the key.
func fieldByName(name string) (widget.FieldInfo, string, bool) {
	for _, d := range conditionFields {
		if d.Keyed {
			if key, ok := strings.CutPrefix(name, d.Name); ok {
				return d, key, true
			}
		} else if d.Name == name {
			return d, "", true
		}
	}
	return widget.FieldInfo{}, "", false
}

var conditionFields = widget.ConditionFields()

// valueText is a stored JSON value as the form shows it: a text as is, a
// number or true/false in JSON, a list joined with commas, a day name as
// its number.
func valueText(field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	one := func(x any) string {
		switch x := x.(type) {
		case string:
			if field == "time.weekday" {
				if n, ok := weekdayNumbers[strings.ToLower(x)]; ok {
					return strconv.Itoa(n)
				}
			}
			return x
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			return strconv.FormatBool(x)
		}
		b, _ := json.Marshal(x)
		return string(b)
	}
	if l, ok := v.([]any); ok {
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = one(x)
		}
		return strings.Join(parts, ", ")
	}
	return one(v)
}

var weekdayNumbers = map[string]int{
	"monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "wednesday": 3, "wed": 3, "thursday": 4, "thu": 4,
	"friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}

// --- the form from a post ---

func parseEditorForm(r *http.Request) *editorForm {
	v := func(k string) string { return r.PostFormValue(k) }
	f := &editorForm{
		Type: v("type"), Name: v("name"), Delay: v("delay"),
		MsgMode: v("msg"), Text: newlines(v("text")), Shortcut: v("shortcut"),
		AgentName: v("agentName"), AgentImage: v("agentImage"), Avatar: v("avatar"),
		Enabled: v("enabled") != "", Once: v("once") != "",
		URLMatch: v("urlMatch"), URLValue: v("url"),
		Event: v("event"), Match: v("match"),
	}
	if f.MsgMode != "shortcut" {
		f.MsgMode = "text"
	}
	n := 0
	for i := range f.Suggestions {
		if s := strings.TrimSpace(v("sugg" + strconv.Itoa(i))); s != "" {
			f.Suggestions[n] = s
			n++
		}
	}
	for i := range maxRowIndex {
		p := "c" + strconv.Itoa(i) + "_"
		field, ok := r.PostForm[p+"field"]
		if !ok || len(field) == 0 || field[0] == "" {
			continue
		}
		f.Conds = append(f.Conds, condRow{Orig: origIndex(v(p + "orig")), Field: field[0],
			Key: strings.TrimSpace(v(p + "key")), Op: v(p + "op"), Value: v(p + "value")})
	}
	for i := range maxRowIndex {
		p := "a" + strconv.Itoa(i) + "_"
		typ, ok := r.PostForm[p+"type"]
		if !ok || len(typ) == 0 || typ[0] == "" {
			continue
		}
		f.Acts = append(f.Acts, actRow{Orig: origIndex(v(p + "orig")), Type: typ[0],
			Text: newlines(v(p + "text")), Shortcut: v(p + "shortcut"), Agent: v(p + "agent"), Sugg: newlines(v(p + "sugg")),
			Seconds: strings.TrimSpace(v(p + "seconds")), Tags: v(p + "tags"), Key: v(p + "key"), Value: v(p + "value"),
			Name: v(p + "name"), DataJS: v(p + "data")})
	}
	return f
}

func origIndex(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// newlines keeps a textarea's line breaks as the format has them (\n).
func newlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// --- the trigger from the form ---

type object = map[string]json.RawMessage

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// buildTrigger makes the trigger's JSON object from the form, on top of
// the stored trigger (nil for a new one), and lists the problems the form
// itself finds (what the validator cannot see: a delay that is not a
// number, emit data that is not JSON).
func buildTrigger(f *editorForm, stored json.RawMessage) (json.RawMessage, []widget.FieldError) {
	var problems []widget.FieldError
	obj := object{}
	if len(stored) > 0 {
		_ = json.Unmarshal(stored, &obj)
	}
	had := func(k string) bool { _, ok := obj[k]; return ok }
	setOrDrop := func(k string, v any, keep bool) {
		if keep {
			obj[k] = mustJSON(v)
		} else {
			delete(obj, k)
		}
	}
	obj["type"] = mustJSON(f.Type)
	name := strings.TrimSpace(f.Name)
	setOrDrop("name", name, name != "" || had("name"))
	setOrDrop("enabled", f.Enabled, !f.Enabled || had("enabled"))
	setOrDrop("oncePerVisitor", f.Once, f.Once || had("oncePerVisitor"))
	// Drop what the other types have (a type changed in the editor).
	basic := []string{"delay", "url", "message", "agent", "suggestions"}
	advanced := []string{"event", "match", "conditions", "actions"}
	if f.Type == widget.TypeAdvanced {
		advanced = nil
	} else {
		basic = nil
	}
	for _, k := range append(basic, advanced...) {
		delete(obj, k)
	}
	if f.Type == widget.TypeAdvanced {
		obj["event"] = mustJSON(f.Event)
		setOrDrop("match", f.Match, f.Match == "any" || had("match"))
		obj["conditions"] = buildConditions(f, obj["conditions"])
		if len(f.Conds) == 0 {
			delete(obj, "conditions")
		}
		acts, ps := buildActions(f, obj["actions"])
		problems = append(problems, ps...)
		obj["actions"] = acts
		if len(f.Acts) == 0 {
			delete(obj, "actions")
		}
		b, _ := json.Marshal(obj)
		return b, problems
	}
	delay, err := strconv.Atoi(strings.TrimSpace(f.Delay))
	if err != nil {
		problems = append(problems, widget.FieldError{Field: "delay", Code: widget.CodeWrongType, Problem: "must be a whole number of seconds"})
	}
	setOrDrop("delay", delay, delay != 0 || had("delay"))
	if f.Type == widget.TypePage {
		obj["url"] = mustJSON(widget.URLRule{Match: f.URLMatch, Value: strings.TrimSpace(f.URLValue)})
	} else {
		delete(obj, "url")
	}
	obj["message"] = buildMessage(f.MsgMode, f.Text, f.Shortcut)
	agent := object{}
	if len(obj["agent"]) > 0 {
		_ = json.Unmarshal(obj["agent"], &agent)
	}
	image := agentImage(f)
	agent["name"] = mustJSON(f.AgentName)
	if image != "" {
		agent["image"] = mustJSON(image)
	} else {
		delete(agent, "image")
	}
	obj["agent"] = mustJSON(agent)
	var sugg []string
	for _, s := range f.Suggestions {
		if s != "" {
			sugg = append(sugg, s)
		}
	}
	setOrDrop("suggestions", sugg, len(sugg) > 0)
	b, _ := json.Marshal(obj)
	return b, problems
}

// agentImage is the image the form chose: a standard avatar, the image
// in use, or none.
func agentImage(f *editorForm) string {
	switch f.Avatar {
	case "":
		return ""
	case "image":
		return f.AgentImage
	}
	return "avatar:" + f.Avatar
}

func buildMessage(mode, text, shortcut string) json.RawMessage {
	if mode == "shortcut" {
		return mustJSON(widget.Message{Shortcut: shortcut})
	}
	return mustJSON(map[string]string{"text": text})
}

// buildConditions makes the conditions from the rows; a row that edits a
// stored condition keeps what the form does not show (its "case"), and
// its value as stored when the text shown for it was not changed.
func buildConditions(f *editorForm, stored json.RawMessage) json.RawMessage {
	var old []object
	_ = json.Unmarshal(stored, &old)
	out := make([]object, 0, len(f.Conds))
	for _, row := range f.Conds {
		c := object{}
		var oldValue json.RawMessage
		if row.Orig >= 0 && row.Orig < len(old) {
			for k, v := range old[row.Orig] {
				c[k] = v
			}
			oldValue = c["value"]
		}
		name := row.Field
		d, _, known := fieldByName(row.Field)
		if known && d.Keyed {
			name = d.Name + row.Key
		}
		c["field"] = mustJSON(name)
		c["op"] = mustJSON(row.Op)
		delete(c, "value")
		if row.Op != widget.OpExists && row.Op != widget.OpNotExists {
			switch {
			case len(oldValue) > 0 && valueText(row.Field, oldValue) == row.Value:
				c["value"] = oldValue
			case strings.TrimSpace(row.Value) != "":
				c["value"] = conditionValue(d.Kind, row.Op, row.Value)
			}
		}
		if !known || d.Kind != "text" {
			delete(c, "case")
		}
		out = append(out, c)
	}
	return mustJSON(out)
}

// conditionValue types a condition's value by its field's kind: lists
// for in / not in (comma separated), numbers, true/false, or text. A
// value that does not read as its kind is sent as text, for the
// validator to say what is wrong with it.
func conditionValue(kind, op, text string) json.RawMessage {
	scalar := func(s string) any {
		s = strings.TrimSpace(s)
		switch kind {
		case "number":
			if n, err := strconv.ParseFloat(s, 64); err == nil {
				return n
			}
		case "true/false":
			switch strings.ToLower(s) {
			case "true", "yes":
				return true
			case "false", "no":
				return false
			}
		}
		return s
	}
	if op == widget.OpIn || op == widget.OpNotIn {
		var list []any
		for part := range strings.SplitSeq(text, ",") {
			if strings.TrimSpace(part) != "" {
				list = append(list, scalar(part))
			}
		}
		return mustJSON(list)
	}
	if kind == "list" || kind == "text" {
		return mustJSON(text)
	}
	return mustJSON(scalar(text))
}

// buildActions makes the actions from the rows; a row that edits a stored
// action of the same type keeps what the form does not show (its agent's
// image).
func buildActions(f *editorForm, stored json.RawMessage) (json.RawMessage, []widget.FieldError) {
	var old []object
	_ = json.Unmarshal(stored, &old)
	var problems []widget.FieldError
	out := make([]object, 0, len(f.Acts))
	for i, row := range f.Acts {
		a := object{}
		if row.Orig >= 0 && row.Orig < len(old) {
			var t string
			_ = json.Unmarshal(old[row.Orig]["type"], &t)
			if t == row.Type {
				a = old[row.Orig]
			}
		}
		a["type"] = mustJSON(row.Type)
		field := "actions[" + strconv.Itoa(i) + "]"
		switch row.Type {
		case widget.ActionSendMessage:
			mode := "text"
			if row.Shortcut != "" {
				mode = "shortcut"
			}
			a["message"] = buildMessage(mode, row.Text, row.Shortcut)
			agent := object{}
			_ = json.Unmarshal(a["agent"], &agent)
			agent["name"] = mustJSON(row.Agent)
			a["agent"] = mustJSON(agent)
			if s := lines(row.Sugg); len(s) > 0 {
				a["suggestions"] = mustJSON(s)
			} else {
				delete(a, "suggestions")
			}
		case widget.ActionWait:
			n, err := strconv.Atoi(row.Seconds)
			if err != nil {
				problems = append(problems, widget.FieldError{Field: field + ".seconds", Code: widget.CodeWrongType, Problem: "must be a whole number of seconds"})
			}
			a["seconds"] = mustJSON(n)
		case widget.ActionAddTags, widget.ActionRemoveTags:
			tags := []string{}
			for t := range strings.SplitSeq(row.Tags, ",") {
				if t = strings.TrimSpace(t); t != "" {
					tags = append(tags, t)
				}
			}
			a["tags"] = mustJSON(tags)
		case widget.ActionSetAttr:
			a["key"] = mustJSON(strings.TrimSpace(row.Key))
			if old := a["value"]; len(old) == 0 || valueText("", old) != row.Value {
				a["value"] = mustJSON(row.Value)
			}
		case widget.ActionEmit:
			a["name"] = mustJSON(strings.TrimSpace(row.Name))
			if d := strings.TrimSpace(row.DataJS); d == "" {
				delete(a, "data")
			} else if !json.Valid([]byte(d)) {
				problems = append(problems, widget.FieldError{Field: field + ".data", Code: widget.CodeNotJSON, Problem: "is not valid JSON (for example {\"plan\": \"pro\"})"})
			} else {
				a["data"] = json.RawMessage(d)
			}
		}
		out = append(out, a)
	}
	return mustJSON(out), problems
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// previewTrigger gives a trigger being added an id, so that the preview
// can show it.
func previewTrigger(raw json.RawMessage) json.RawMessage {
	obj := object{}
	if json.Unmarshal(raw, &obj) != nil {
		return raw
	}
	if _, ok := obj["id"]; !ok {
		obj["id"] = mustJSON("preview")
	}
	return mustJSON(obj)
}

// --- the URL tester ---

// tryURL says whether a URL matches a page rule, by the runtime's own
// matcher: it compiles a one-trigger set as the widget does and asks
// the compiled trigger.
func (h *Handler) tryURL(w http.ResponseWriter, r *http.Request, c *call) error {
	q := r.URL.Query()
	res := tryURLResult(c.lang, q.Get("match"), q.Get("value"), q.Get("url"), c.prop.WebsiteURL)
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(res)
}

type tryResult struct {
	Result  string `json:"result"` // "match", "no-match", "error" or "empty"
	Message string `json:"message"`
	URL     string `json:"url,omitempty"` // the URL as the runtime sees it
}

func tryURLResult(lang, match, value, page, site string) tryResult {
	page = strings.TrimSpace(page)
	if page == "" {
		return tryResult{Result: "empty", Message: T(lang, "Type a page address to see whether the rule matches it.")}
	}
	set := mustJSON(map[string]any{"version": 1, "property": "try", "triggers": []any{map[string]any{
		"id": "try", "type": "page", "url": widget.URLRule{Match: match, Value: value},
		"message": map[string]string{"text": "-"}, "agent": map[string]string{"name": "-"}}}})
	compiled, problems := widget.Load(set)
	for _, p := range problems {
		if strings.HasPrefix(p.Field, "url") {
			return tryResult{Result: "error", Message: T(lang, "The rule has a problem:") + " " + problemText(lang, p)}
		}
	}
	if compiled == nil || compiled.Trigger("try") == nil {
		return tryResult{Result: "error", Message: T(lang, "The rule cannot be tested.")}
	}
	// The runtime sees the page's full address: a path typed here is a
	// page of the property's website.
	if strings.HasPrefix(page, "/") && site != "" {
		if base, err := url.Parse(site); err == nil && base.Scheme != "" && base.Host != "" {
			page = base.Scheme + "://" + base.Host + page
		}
	}
	u := widget.ParsePageURL(page)
	if compiled.Trigger("try").MatchesURL(&u) {
		return tryResult{Result: "match", Message: T(lang, "Matches: the trigger runs on this page."), URL: u.String()}
	}
	return tryResult{Result: "no-match", Message: T(lang, "Does not match: the trigger does not run on this page."), URL: u.String()}
}

// editorAttrs is the aria attributes of an input: its help text and, when
// it has a problem, aria-invalid and the problem's text.
func editorAttrs(errs map[string]string, id string, help ...string) template.HTMLAttr {
	var desc []string
	for _, h := range help {
		if h != "" {
			desc = append(desc, h)
		}
	}
	var b strings.Builder
	if _, bad := errs[id]; bad {
		b.WriteString(`aria-invalid="true" `)
		desc = append(desc, id+"-err")
	}
	if len(desc) > 0 {
		b.WriteString(`aria-describedby="` + template.HTMLEscapeString(strings.Join(desc, " ")) + `"`)
	}
	return template.HTMLAttr(b.String()) // ids are the editor's own, never typed text
}

func init() { funcs["editorAttrs"] = editorAttrs }
