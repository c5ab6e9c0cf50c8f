package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// The Widget page (default status, embed snippet), History (versions,
// restore), and the Property page (name, website, time zone; import and
// export of the whole set).

func (h *Handler) widgetPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("widget")
	h.mgNotice(w, r, data)
	return h.renderWidget(w, r, c, http.StatusOK, data, c.prop.Status)
}

func (h *Handler) renderWidget(w http.ResponseWriter, r *http.Request, c *call, status int, data map[string]any, current string) error {
	if err := h.apData(c, data); err != nil {
		return err
	}
	data["Status"] = current
	data["Statuses"] = []string{widget.StatusOnline, widget.StatusAway, widget.StatusOffline}
	data["Snippet"] = `<script async src="` + h.mgOrigin(r) + `/widget/widget.js" data-property="` + c.pid + `"></script>`
	data["Base"] = mgBase(c)
	h.render(w, c, status, "widget", data)
	return nil
}

func (h *Handler) widgetPost(w http.ResponseWriter, r *http.Request, c *call) error {
	st := r.PostFormValue("status")
	_, err := h.s.UpdateSettings(c.ctx(), c.actor, c.pid, admin.SettingsChange{Status: &st})
	if err == nil {
		h.mgNotify(w, r, mgBase(c)+"widget", fmt.Sprintf(T(c.lang, "Saved: the widget's default status is %s."), T(c.lang, st)))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	data := mgPage("widget")
	data["Error"] = localizeMessage(c.lang, err)
	return h.renderWidget(w, r, c, status, data, st)
}

// --- History ---

const historyPageSize = 50

// hsRow is a version in the History list.
type hsRow struct {
	store.Version
	Current bool
}

func (h *Handler) historyPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("history")
	h.mgNotice(w, r, data)
	return h.renderHistory(w, r, c, http.StatusOK, data)
}

func (h *Handler) renderHistory(w http.ResponseWriter, r *http.Request, c *call, status int, data map[string]any) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	if before < 0 {
		before = 0
	}
	vs, err := h.s.Versions(c.ctx(), c.actor, c.pid, before, historyPageSize+1)
	if err != nil {
		return err
	}
	cur, err := h.s.Settings(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	more := len(vs) > historyPageSize
	if more {
		vs = vs[:historyPageSize]
	}
	rows := make([]hsRow, len(vs))
	for i, v := range vs {
		rows[i] = hsRow{Version: v, Current: v.Number == cur.Version}
	}
	data["Versions"] = rows
	data["Current"] = cur.Version
	data["Base"] = mgBase(c)
	if more && len(vs) > 0 {
		data["Older"] = vs[len(vs)-1].Number
	}
	if before > 0 {
		data["Paged"] = true
	}
	h.render(w, c, status, "history", data)
	return nil
}

// versionPage shows one version's document.
func (h *Handler) versionPage(w http.ResponseWriter, r *http.Request, c *call) error {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		return errNotFound
	}
	v, err := h.s.Version(c.ctx(), c.actor, c.pid, n)
	if err != nil {
		return err
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, v.Data, "", "  ") != nil {
		pretty.Reset()
		pretty.Write(v.Data)
	}
	data := mgPage("history")
	data["View"] = v
	data["JSON"] = pretty.String()
	data["Current"] = c.prop.Version
	data["Base"] = mgBase(c)
	h.render(w, c, http.StatusOK, "history", data)
	return nil
}

func (h *Handler) restorePost(w http.ResponseWriter, r *http.Request, c *call) error {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n <= 0 {
		return errNotFound
	}
	data := mgPage("history")
	current := atoi(r.PostFormValue("current"))
	if !mgConfirmed(r) {
		data["Confirm"] = map[string]any{
			"Number":  n,
			"Current": current,
			"Text":    fmt.Sprintf(T(c.lang, "Version %d will be published again as a new version; visitors get it at once. The history keeps every version."), n),
		}
		return h.renderHistory(w, r, c, http.StatusOK, data)
	}
	ifMatch := ""
	if current > 0 {
		ifMatch = admin.SetETag(int64(current))
	}
	wr, err := h.s.Restore(c.ctx(), c.actor, c.pid, n, ifMatch)
	if err == nil {
		msg := fmt.Sprintf(T(c.lang, "Restored version %d as version %d."), n, wr.Version.Number)
		if !wr.Changed {
			msg = fmt.Sprintf(T(c.lang, "Version %d is what is published already; nothing changed."), n)
		}
		h.mgNotify(w, r, mgBase(c)+"history", msg)
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	if store.IsCode(err, store.Conflict) {
		data["Error"] = T(c.lang, "Someone published a new version since you opened this page. Look at the list again, then restore.")
	} else if problems := mgProblemsOf(err); len(problems) > 0 {
		data["Error"] = fmt.Sprintf(T(c.lang, "Version %d cannot be published again: it breaks a rule of this server."), n)
		var list []string
		for _, p := range problems {
			list = append(list, mgProblemLine(c.lang, p, nil))
		}
		data["ErrorList"] = list
	} else {
		data["Error"] = localizeMessage(c.lang, err)
	}
	return h.renderHistory(w, r, c, status, data)
}

// --- Property settings, import and export ---

func (h *Handler) propertyPage(w http.ResponseWriter, r *http.Request, c *call) error {
	data := mgPage("property")
	h.mgNotice(w, r, data)
	data["Form"] = map[string]string{"name": c.prop.Name, "websiteUrl": c.prop.WebsiteURL, "timezone": c.prop.Timezone}
	h.renderProperty(w, c, http.StatusOK, data)
	return nil
}

func (h *Handler) renderProperty(w http.ResponseWriter, c *call, status int, data map[string]any) {
	data["Base"] = mgBase(c)
	data["Version"] = c.prop.Version
	if data["Form"] == nil {
		data["Form"] = map[string]string{"name": c.prop.Name, "websiteUrl": c.prop.WebsiteURL, "timezone": c.prop.Timezone}
	}
	if data["Was"] == nil {
		data["Was"] = map[string]string{"name": c.prop.Name, "websiteUrl": c.prop.WebsiteURL, "timezone": c.prop.Timezone}
	}
	if data["FieldErrors"] == nil {
		data["FieldErrors"] = map[string]string{}
	}
	if data["ImportVersion"] == nil {
		data["ImportVersion"] = c.prop.Version
	}
	h.render(w, c, status, "propsettings", data)
}

// propertyPost saves the name, website URL and time zone. The service
// checks everything before it writes anything; its refusal names the
// field, which the page marks. Only the fields changed on the page are
// saved: the page says what each held when it was shown (was-…), so that
// saving a new name does not put back a time zone another Admin changed
// meanwhile.
func (h *Handler) propertyPost(w http.ResponseWriter, r *http.Request, c *call) error {
	form := map[string]string{
		"name":       r.PostFormValue("name"),
		"websiteUrl": r.PostFormValue("websiteUrl"),
		"timezone":   strings.TrimSpace(r.PostFormValue("timezone")),
	}
	was := map[string]string{}
	changed := func(k string) *string {
		old, shown := r.PostForm["was-"+k]
		if shown && len(old) == 1 {
			was[k] = old[0]
			if strings.TrimSpace(old[0]) == strings.TrimSpace(form[k]) {
				return nil
			}
		}
		return ptr(form[k])
	}
	ch := admin.SettingsChange{Name: changed("name"), WebsiteURL: changed("websiteUrl"), Timezone: changed("timezone")}
	if _, shown := r.PostForm["was-timezone"]; !shown && form["timezone"] == c.prop.Timezone {
		ch.Timezone = nil // a form from before the was- fields
	}
	_, err := h.s.UpdateSettings(c.ctx(), c.actor, c.pid, ch)
	if err == nil {
		h.mgNotify(w, r, mgBase(c)+"property", T(c.lang, "Saved"))
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	msg := store.ErrorMessage(err)
	field := "name"
	switch {
	case strings.Contains(msg, "website"):
		field = "websiteUrl"
	case strings.Contains(msg, "time zone"):
		field = "timezone"
	}
	data := mgPage("property")
	data["Form"] = form
	if len(was) == 3 {
		data["Was"] = was
	}
	data["Error"] = mgProblems(c.lang, 1)
	data["FieldErrors"] = map[string]string{field: mgSettingsMessage(c.lang, field, err)}
	h.renderProperty(w, c, status, data)
	return nil
}

// mgSettingsMessage is a refused setting in words.
func mgSettingsMessage(lang, field string, err error) string {
	if lang != "fr" {
		return store.ErrorMessage(err)
	}
	switch field {
	case "websiteUrl":
		return T(lang, "Give an http or https address like https://example.com.")
	case "timezone":
		return T(lang, "Unknown time zone: use a name like Europe/Paris.")
	}
	return T(lang, "Give a name of 1 to 100 characters.")
}

func ptr(s string) *string { return &s }

// exportSet downloads the published set as JSON.
func (h *Handler) exportSet(w http.ResponseWriter, r *http.Request, c *call) error {
	v, err := h.s.TriggerSet(c.ctx(), c.actor, c.pid)
	if err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Disposition", `attachment; filename="`+c.pid+`-triggers.json"`)
	hd.Set("ETag", admin.SetETag(v.Number))
	_, _ = w.Write(v.Data)
	return nil
}

// mgImportProblem is a problem of an imported set, with its place.
type mgImportProblem struct {
	Line, Col int
	Text      string
}

// importSet replaces the whole set with an uploaded or pasted one, if
// nobody published since the page showed its version.
func (h *Handler) importSet(w http.ResponseWriter, r *http.Request, c *call) error {
	r.Body = http.MaxBytesReader(w, r.Body, widget.MaxSetBytes*2+1<<20)
	data := mgPage("property")
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			data["ImportError"] = T(c.lang, "The file is too large for a trigger set (at most 256 KiB).")
			h.renderProperty(w, c, http.StatusRequestEntityTooLarge, data)
			return nil
		}
		return store.Wrap(store.BadRequest, err, "the form could not be read")
	}
	doc := []byte(r.FormValue("json"))
	if r.MultipartForm != nil {
		if fhs := r.MultipartForm.File["file"]; len(fhs) > 0 && fhs[0].Size > 0 {
			f, err := fhs[0].Open()
			if err != nil {
				return err
			}
			doc, err = io.ReadAll(io.LimitReader(f, widget.MaxSetBytes+1))
			f.Close()
			if err != nil {
				return err
			}
		}
	}
	version := atoi(r.FormValue("version"))
	data["ImportVersion"] = version
	data["Pasted"] = string(doc)
	if len(bytes.TrimSpace(doc)) == 0 {
		data["ImportError"] = T(c.lang, "Choose a JSON file or paste a trigger set.")
		h.renderProperty(w, c, http.StatusUnprocessableEntity, data)
		return nil
	}
	wr, err := h.s.PutSet(c.ctx(), c.actor, c.pid, admin.SetETag(int64(version)), doc)
	if err == nil {
		msg := fmt.Sprintf(T(c.lang, "Imported: the trigger set is published as version %d."), wr.Version.Number)
		if !wr.Changed {
			msg = T(c.lang, "The imported set is the one published already; nothing changed.")
		}
		h.mgNotify(w, r, mgBase(c)+"property", msg)
		return nil
	}
	status, ok := mgRefusal(err)
	if !ok {
		return err
	}
	if problems := mgProblemsOf(err); len(problems) > 0 {
		located := strict.Locate(doc, problems)
		list := make([]mgImportProblem, len(located))
		for i, p := range located {
			list[i] = mgImportProblem{Line: p.Line, Col: p.Col, Text: mgProblemLine(c.lang, p.FieldError, nil)}
		}
		data["ImportError"] = fmt.Sprintf(T(c.lang, "The set was not imported: %d problems. Nothing was published."), len(problems))
		if len(problems) == 1 {
			data["ImportError"] = T(c.lang, "The set was not imported: 1 problem. Nothing was published.")
		}
		data["ImportProblems"] = list
	} else if store.IsCode(err, store.Conflict) {
		data["ImportError"] = T(c.lang, "Someone published a new version since you opened this page. Reload the page, then import again.")
		data["Conflict"] = true
	} else {
		data["ImportError"] = localizeMessage(c.lang, err)
	}
	h.renderProperty(w, c, status, data)
	return nil
}
