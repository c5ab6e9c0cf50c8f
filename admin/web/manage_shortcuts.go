package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/upload"
	"github.com/triggerwidget/triggerwidget/widget"
)

// The Shortcuts page lists the property's predefined messages; the
// shortcut editor edits one: its id, its text and up to 10 attachments
// (an image, a file, a link or a small form). The editor's form is one
// multipart form: files chosen in it are uploaded when it is posted
// (whichever button posts it), and their URLs are kept in the form, so
// that a refused save never asks for them again. Without scripts the
// lists show their rows and one empty row each, and the Add and Remove
// buttons post the form to lay it out again; with scripts they act at
// once (manage.js).

// scField is a form field of a form attachment as the editor shows it.
type scField struct {
	Name, Label, Type string
	Required          bool
	Err               map[string]string
	raw               int
}

// scAtt is an attachment as the editor shows it.
type scAtt struct {
	Kind, URL, Alt, Name, Size, Title, Submit string
	Fields                                    []scField
	Err                                       map[string]string
	raw                                       int
}

// Thumb reports whether the attachment's URL may be shown as a thumbnail:
// only a URL the widget accepts, so that no URL a browser reads otherwise
// than it looks ("\x01//evil.example/x.png") loads while it is edited.
func (a scAtt) Thumb() bool {
	if a.URL == "" {
		return false
	}
	_, problem := widget.CheckImageURL(a.URL)
	return problem == ""
}

// scForm is the shortcut editor's form.
type scForm struct {
	Orig string // the id of the shortcut edited; "" for a new one
	ETag string
	ID   string
	Text string
	Atts []scAtt
	Err  map[string]string
}

// scItem is a row of the Shortcuts page.
type scItem struct {
	ID, Text    string
	Attachments int
}

// scFieldTypes are the form fields' types, as the runtime knows them.
var scFieldTypes = []struct{ Value, Name string }{
	{"text", "Text"}, {"email", "Email"}, {"tel", "Phone"}, {"number", "Number"}, {"textarea", "Long text"},
}

// scKinds are the attachments' kinds.
var scKinds = []struct{ Value, Name string }{
	{widget.AttachImage, "Image"}, {widget.AttachFile, "File"}, {widget.AttachLink, "Link"}, {widget.AttachForm, "Form"},
}

func init() {
	funcs["scFieldTypes"] = func() any { return scFieldTypes }
	funcs["scKinds"] = func() any { return scKinds }
}

func (h *Handler) shortcutsPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("shortcuts")
	h.mgNotice(w, r, data)
	return h.renderShortcuts(w, c, http.StatusOK, data)
}

func (h *Handler) renderShortcuts(w http.ResponseWriter, c *call, status int, data map[string]any) error {
	items, _, err := h.s.Shortcuts(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	rows := make([]scItem, 0, len(items))
	for _, it := range items {
		var sc widget.Shortcut
		_ = json.Unmarshal(it.Raw, &sc)
		rows = append(rows, scItem{ID: sc.ID, Text: sc.Text, Attachments: len(sc.Attachments)})
	}
	data["Shortcuts"] = rows
	data["Base"] = mgBase(c)
	h.render(w, c, status, "shortcuts", data)
	return nil
}

// shortcutDelete deletes one shortcut, once confirmed. A shortcut that a
// trigger sends cannot go: the validator refuses the set without it, and
// the page names the triggers.
func (h *Handler) shortcutDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PostFormValue("id")
	data := mgPage("shortcuts")
	if !mgConfirmed(r) {
		data["Confirm"] = id
		return h.renderShortcuts(w, c, http.StatusOK, data)
	}
	_, err := h.s.DeleteShortcuts(c.ctx(), c.actor, c.pid, []string{id})
	if err == nil {
		h.mgNotify(w, r, mgBase(c)+"shortcuts", fmt.Sprintf(T(c.lang, "Deleted shortcut “%s”."), id))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	if problems := mgProblemsOf(err); len(problems) > 0 {
		names := h.mgTriggerNames(c)
		var users, other []string
		for _, p := range problems {
			if p.Code == widget.CodeUnknownShortcut && p.TriggerID != "" {
				users = append(users, "“"+orID(names[p.TriggerID], p.TriggerID)+"”")
			} else {
				other = append(other, mgProblemLine(c.lang, p, names))
			}
		}
		if len(users) > 0 {
			data["Error"] = fmt.Sprintf(T(c.lang, "Shortcut “%s” cannot be deleted: it is sent by trigger %s. Change that trigger's message first."),
				id, strings.Join(users, ", "))
		} else {
			data["Error"] = mgProblems(c.lang, len(problems))
		}
		data["ErrorList"] = other
	} else {
		data["Error"] = localizeMessage(c.lang, err)
	}
	return h.renderShortcuts(w, c, status, data)
}

func orID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

func (h *Handler) shortcutNew(w http.ResponseWriter, r *http.Request, c *call) error {
	h.renderShortcut(w, c, http.StatusOK, &scForm{}, nil)
	return nil
}

func (h *Handler) shortcutEdit(w http.ResponseWriter, r *http.Request, c *call) error {
	it, err := h.s.Shortcut(c.ctx(), c.actor, c.pid, r.PathValue("sid"))
	if err != nil {
		return err
	}
	f := scFromItem(it)
	data := map[string]any{}
	h.mgNotice(w, r, data)
	h.renderShortcut(w, c, http.StatusOK, f, data)
	return nil
}

// scFromItem is a stored shortcut as the editor's form.
func scFromItem(it *admin.Item) *scForm {
	var sc widget.Shortcut
	_ = json.Unmarshal(it.Raw, &sc)
	f := &scForm{Orig: sc.ID, ETag: it.ETag, ID: sc.ID, Text: sc.Text}
	for _, a := range sc.Attachments {
		at := scAtt{Kind: a.Kind, URL: a.URL, Alt: a.Alt, Name: a.Name, Title: a.Title, Submit: a.Submit}
		if a.Size != 0 {
			at.Size = strconv.FormatInt(a.Size, 10)
		}
		for _, ff := range a.Fields {
			at.Fields = append(at.Fields, scField{Name: ff.Name, Label: ff.Label, Type: ff.Type, Required: ff.Required})
		}
		f.Atts = append(f.Atts, at)
	}
	return f
}

// renderShortcut shows the editor, with one empty row at the end of each
// list that has room.
func (h *Handler) renderShortcut(w http.ResponseWriter, c *call, status int, f *scForm, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	for k, v := range mgPage("shortcuts") {
		data[k] = v
	}
	if len(f.Atts) < widget.MaxAttachments {
		f.Atts = append(f.Atts, scAtt{})
	}
	for i := range f.Atts {
		a := &f.Atts[i]
		if (a.Kind == widget.AttachForm || a.Kind == "") && len(a.Fields) < widget.MaxFormFields {
			a.Fields = append(a.Fields, scField{})
		}
	}
	data["Form"] = f
	data["Blank"] = scAtt{Fields: []scField{{}}}
	data["BlankField"] = scField{}
	data["Base"] = mgBase(c)
	data["Max"] = widget.MaxAttachments
	data["MaxFields"] = widget.MaxFormFields
	data["MaxUpload"] = upload.MaxSize
	// The answer to a post (a refusal, a row added without script) shows
	// what is not saved yet: leaving asks first (admin.js, data-guard).
	data["Unsaved"] = c.r.Method == http.MethodPost
	action := mgBase(c) + "shortcuts/new"
	if f.Orig != "" {
		action = mgBase(c) + "shortcuts/" + url.PathEscape(f.Orig)
	}
	data["Action"] = action
	h.render(w, c, status, "shortcut", data)
}

// maxShortcutBody bounds the editor's post: ten uploads of 2 MiB and the
// form's text.
const maxShortcutBody = 10*(2<<20) + 1<<20

// shortcutPost saves the editor's form, or lays it out again after an
// Add or Remove button.
func (h *Handler) shortcutPost(w http.ResponseWriter, r *http.Request, c *call) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxShortcutBody)
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		if !errors.Is(err, http.ErrNotMultipart) {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return store.Errorf(store.TooLarge, "the form is larger than %d MiB; upload fewer files at once", maxShortcutBody>>20)
			}
			return store.Wrap(store.BadRequest, err, "the form could not be read")
		}
		if err := r.ParseForm(); err != nil {
			return store.Wrap(store.BadRequest, err, "the form could not be read")
		}
	}
	f := scParse(r)
	if sid := r.PathValue("sid"); sid != "" {
		f.Orig = sid
	}
	bad := h.scUploads(r, c, f)
	op := r.PostFormValue("op")
	if op != "" && op != "save" {
		scApply(f, op)
		h.renderShortcut(w, c, http.StatusOK, f, nil)
		return nil
	}
	if bad > 0 {
		h.renderShortcut(w, c, http.StatusUnprocessableEntity, f, map[string]any{"Error": mgProblems(c.lang, bad)})
		return nil
	}
	sc, bad := scBuild(c.lang, f)
	if bad > 0 {
		h.renderShortcut(w, c, http.StatusUnprocessableEntity, f, map[string]any{"Error": mgProblems(c.lang, bad)})
		return nil
	}
	raw, err := json.Marshal(sc)
	if err != nil {
		return err
	}
	// Where the shortcut is (or will be) in the set, to find its problems.
	items, _, err := h.s.Shortcuts(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	pos := len(items)
	for i, it := range items {
		var x struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(it.Raw, &x) == nil && f.Orig != "" && x.ID == f.Orig {
			pos = i
		}
	}
	if f.Orig == "" {
		_, _, err = h.s.AddShortcut(c.ctx(), c.actor, c.pid, raw)
	} else {
		_, err = h.s.PutShortcut(c.ctx(), c.actor, c.pid, f.Orig, f.ETag, raw)
	}
	if err == nil {
		h.mgNotify(w, r, mgBase(c)+"shortcuts", fmt.Sprintf(T(c.lang, "Saved shortcut “%s”."), sc.ID))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	data := map[string]any{}
	if problems := mgProblemsOf(err); len(problems) > 0 {
		data["Error"] = mgProblems(c.lang, len(problems))
		data["ErrorList"] = scPlace(c.lang, f, pos, problems, h.mgTriggerNames(c))
	} else {
		data["Error"] = localizeMessage(c.lang, err)
		if store.IsCode(err, store.Conflict) {
			data["Conflict"] = true
		}
	}
	h.renderShortcut(w, c, status, f, data)
	return nil
}

// scIndex reads the N of a form key "a.N…".
func scIndex(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n < 1000
}

// scParse reads the editor's form. Rows are numbered by the page (and by
// the script, which adds rows with new numbers): they are taken in the
// order of their numbers, and empty rows are left out.
func scParse(r *http.Request) *scForm {
	form := r.PostForm
	if r.MultipartForm != nil {
		form = r.MultipartForm.Value
	}
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	f := &scForm{ETag: get("etag"), ID: strings.TrimSpace(get("id")), Text: strings.ReplaceAll(get("text"), "\r\n", "\n")}
	atts := map[int]bool{}
	fields := map[int]map[int]bool{}
	for k := range form {
		parts := strings.Split(k, ".")
		if len(parts) < 3 || parts[0] != "a" {
			continue
		}
		i, ok := scIndex(parts[1])
		if !ok {
			continue
		}
		atts[i] = true
		if len(parts) == 5 && parts[2] == "f" {
			if j, ok := scIndex(parts[3]); ok {
				if fields[i] == nil {
					fields[i] = map[int]bool{}
				}
				fields[i][j] = true
			}
		}
	}
	for _, i := range sortedKeys(atts) {
		p := "a." + strconv.Itoa(i) + "."
		a := scAtt{raw: i, Kind: get(p + "kind"), URL: strings.TrimSpace(get(p + "url")), Alt: get(p + "alt"),
			Name: get(p + "name"), Size: strings.TrimSpace(get(p + "size")), Title: get(p + "title"), Submit: get(p + "submit")}
		for _, j := range sortedKeys(fields[i]) {
			q := p + "f." + strconv.Itoa(j) + "."
			ff := scField{raw: j, Name: strings.TrimSpace(get(q + "name")), Label: get(q + "label"), Type: get(q + "type"), Required: get(q+"required") != ""}
			if ff.Name == "" && ff.Label == "" && (ff.Type == "" || ff.Type == "text") && !ff.Required {
				continue
			}
			a.Fields = append(a.Fields, ff)
		}
		if a.Kind == "" && a.URL == "" && a.Alt == "" && a.Name == "" && a.Size == "" && a.Title == "" && a.Submit == "" && len(a.Fields) == 0 {
			if fh := fileOf(r, p+"upload"); fh == nil {
				continue
			}
		}
		f.Atts = append(f.Atts, a)
	}
	return f
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// scApply applies an Add or Remove button of the page without scripts.
func scApply(f *scForm, op string) {
	verb, arg, _ := strings.Cut(op, ":")
	a, b, _ := strings.Cut(arg, ".")
	ai, _ := strconv.Atoi(a)
	bi, _ := strconv.Atoi(b)
	find := func(raw int) int {
		for i := range f.Atts {
			if f.Atts[i].raw == raw {
				return i
			}
		}
		return -1
	}
	switch verb {
	case "add-attachment":
		if len(f.Atts) < widget.MaxAttachments {
			f.Atts = append(f.Atts, scAtt{})
		}
	case "remove-attachment":
		if i := find(ai); i >= 0 {
			f.Atts = append(f.Atts[:i], f.Atts[i+1:]...)
		}
	case "add-field":
		i := find(ai)
		if i < 0 { // the empty row: it becomes a form
			f.Atts = append(f.Atts, scAtt{Kind: widget.AttachForm})
			i = len(f.Atts) - 1
		}
		if len(f.Atts[i].Fields) < widget.MaxFormFields {
			f.Atts[i].Fields = append(f.Atts[i].Fields, scField{})
		}
	case "remove-field":
		if i := find(ai); i >= 0 {
			fs := f.Atts[i].Fields
			for j := range fs {
				if fs[j].raw == bi {
					f.Atts[i].Fields = append(fs[:j], fs[j+1:]...)
					break
				}
			}
		}
	}
}

// fileOf is the file posted as key, or nil.
func fileOf(r *http.Request, key string) *fileUpload {
	if r.MultipartForm == nil {
		return nil
	}
	fhs := r.MultipartForm.File[key]
	if len(fhs) == 0 || fhs[0].Size == 0 {
		return nil
	}
	return &fileUpload{name: fhs[0].Filename, open: func() (io.ReadCloser, error) { return fhs[0].Open() }}
}

type fileUpload struct {
	name string
	open func() (io.ReadCloser, error)
}

// scUploads uploads the files chosen in the form and puts their URLs
// (and a file's name and size) in their attachments. It returns how many
// were refused; each refusal is on its row.
func (h *Handler) scUploads(r *http.Request, c *call, f *scForm) int {
	bad := 0
	for i := range f.Atts {
		a := &f.Atts[i]
		fu := fileOf(r, "a."+strconv.Itoa(a.raw)+".upload")
		if fu == nil {
			continue
		}
		kind := upload.Any
		switch a.Kind {
		case widget.AttachImage:
			kind = upload.Image
		case widget.AttachFile:
		case widget.AttachLink, widget.AttachForm:
			// These kinds hide the upload field: a file chosen before the
			// kind changed is left out, not held against the save.
			continue
		default:
			setErr(&a.Err, "kind", T(c.lang, "Choose Image or File to upload a file."))
			bad++
			continue
		}
		var data []byte
		rc, err := fu.open()
		if err == nil {
			data, err = io.ReadAll(io.LimitReader(rc, 4<<20))
			rc.Close()
		}
		if err != nil {
			setErr(&a.Err, "upload", T(c.lang, "The file could not be read."))
			bad++
			continue
		}
		u, err := h.s.Upload(c.ctx(), c.actor, c.pid, fu.name, data, kind)
		if err != nil {
			setErr(&a.Err, "upload", localizeMessage(c.lang, err))
			bad++
			continue
		}
		a.URL = admin.UploadPath(u.Name)
		if a.Kind == widget.AttachFile {
			a.Size = strconv.FormatInt(u.Size, 10)
			if strings.TrimSpace(a.Name) == "" {
				a.Name = path.Base(strings.ReplaceAll(fu.name, "\\", "/"))
			}
		}
	}
	return bad
}

func setErr(m *map[string]string, key, msg string) {
	if *m == nil {
		*m = map[string]string{}
	}
	if (*m)[key] == "" {
		(*m)[key] = msg
	}
}

// scBuild is the shortcut the form describes. What the validator cannot
// see (a size that is not a number) is refused here, on its field.
func scBuild(lang string, f *scForm) (*widget.Shortcut, int) {
	sc := &widget.Shortcut{ID: f.ID, Text: f.Text}
	bad := 0
	for i := range f.Atts {
		a := &f.Atts[i]
		at := widget.Attachment{Kind: a.Kind}
		switch a.Kind {
		case widget.AttachImage:
			at.URL, at.Alt = a.URL, a.Alt
		case widget.AttachFile:
			at.URL, at.Name = a.URL, strings.TrimSpace(a.Name)
			if a.Size != "" {
				n, err := strconv.ParseInt(a.Size, 10, 64)
				if err != nil || n < 0 {
					setErr(&a.Err, "size", T(lang, "Give the size in bytes as a whole number, or leave it empty."))
					bad++
				}
				at.Size = n
			}
		case widget.AttachLink:
			at.URL, at.Title = a.URL, a.Title
		case widget.AttachForm:
			at.Submit = a.Submit
			for _, ff := range a.Fields {
				typ := ff.Type
				if typ == "text" {
					typ = ""
				}
				at.Fields = append(at.Fields, widget.FormField{Name: ff.Name, Label: ff.Label, Type: typ, Required: ff.Required})
			}
		default:
			at.URL = a.URL
		}
		sc.Attachments = append(sc.Attachments, at)
	}
	return sc, bad
}

// scProblem is a problem in the summary at the top of the editor: its
// text, and the field it is about (its element id), if shown.
type scProblem struct{ Text, Href string }

// scPlace puts the validator's problems of the shortcut at position pos
// beside their fields, and returns every problem for the summary.
func scPlace(lang string, f *scForm, pos int, problems []widget.FieldError, names map[string]string) []scProblem {
	prefix := "shortcuts[" + strconv.Itoa(pos) + "]"
	var out []scProblem
	for _, p := range problems {
		text := problemText(lang, p)
		href := ""
		rel, mine := strings.CutPrefix(p.Field, prefix)
		if mine && p.TriggerID == "" && (rel == "" || rel[0] == '.') {
			href = scMark(f, strings.TrimPrefix(rel, "."), text)
		}
		line := mgProblemLine(lang, p, names)
		if href != "" {
			line = scLabel(lang, strings.TrimPrefix(rel, ".")) + ": " + text
		}
		out = append(out, scProblem{Text: line, Href: href})
	}
	return out
}

// scMark records a problem on the form's field at rel (a path inside the
// shortcut) and returns the field's element id, or "" when the page has
// no such field.
func scMark(f *scForm, rel, text string) string {
	switch rel {
	case "", "text":
		setErr(&f.Err, "text", text)
		return "sc-text"
	case "id":
		setErr(&f.Err, "id", text)
		return "sc-id"
	case "attachments":
		setErr(&f.Err, "attachments", text)
		return "attachments"
	}
	rest, ok := strings.CutPrefix(rel, "attachments[")
	if !ok {
		return ""
	}
	n, rest, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	if !ok || err != nil || i < 0 || i >= len(f.Atts) {
		return ""
	}
	a := &f.Atts[i]
	key := strings.TrimPrefix(rest, ".")
	id := "a" + strconv.Itoa(i) + "-"
	if fr, ok := strings.CutPrefix(key, "fields["); ok {
		m, sub, _ := strings.Cut(fr, "]")
		j, err := strconv.Atoi(m)
		sub = strings.TrimPrefix(sub, ".")
		if err != nil || j < 0 || j >= len(a.Fields) || sub == "" {
			setErr(&a.Err, "fields", text)
			return id + "fields"
		}
		setErr(&a.Fields[j].Err, sub, text)
		return id + "f" + strconv.Itoa(j) + "-" + sub
	}
	switch key {
	case "kind", "url", "alt", "name", "size", "title", "submit", "fields":
		setErr(&a.Err, key, text)
		return id + key
	}
	setErr(&a.Err, "kind", text)
	return id + "kind"
}

// scLabel names a field of the editor, for the summary of problems.
func scLabel(lang, rel string) string {
	switch rel {
	case "", "text":
		return T(lang, "Text")
	case "id":
		return T(lang, "Shortcut id")
	case "attachments":
		return T(lang, "Attachments")
	}
	rest, _ := strings.CutPrefix(rel, "attachments[")
	n, rest, _ := strings.Cut(rest, "]")
	i, _ := strconv.Atoi(n)
	label := fmt.Sprintf(T(lang, "Attachment %d"), i+1)
	if fr, ok := strings.CutPrefix(rest, ".fields["); ok {
		m, sub, _ := strings.Cut(fr, "]")
		j, _ := strconv.Atoi(m)
		label += ", " + fmt.Sprintf(T(lang, "field %d"), j+1)
		rest = sub
	}
	switch strings.TrimPrefix(rest, ".") {
	case "kind":
		label += ", " + T(lang, "Kind")
	case "url":
		label += ", " + T(lang, "URL")
	case "alt":
		label += ", " + T(lang, "Alt text")
	case "size":
		label += ", " + T(lang, "Size in bytes")
	case "title":
		label += ", " + T(lang, "Title")
	case "submit":
		label += ", " + T(lang, "Submit label")
	case "fields":
		label += ", " + T(lang, "Form fields")
	case "label":
		label += ", " + T(lang, "Label")
	case "type":
		label += ", " + T(lang, "Type")
	case "name":
		if strings.Contains(rest, "fields") || strings.Contains(rel, ".fields[") {
			label += ", " + T(lang, "Name")
		} else {
			label += ", " + T(lang, "File name")
		}
	}
	return label
}
