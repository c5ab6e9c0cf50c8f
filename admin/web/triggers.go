package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// The Triggers page lists a property's triggers in the order of its set
// (the order decides which message shows first when two fire at the same
// moment) with, per row, a checkbox to select it for deletion, a link to
// its editor, its type and delay, an Enabled switch, Duplicate and Move
// up/down. Every action is a plain form POST answered by a redirect to the
// list with a status message; triggers.js sends the same POSTs with fetch
// (Accept: application/json) to toggle, reorder and confirm deletions
// without reloading, and adds drag and drop.

// triggerListRoutes: the Triggers page (list, counter, enable switch,
// duplicate, reorder, delete).
func (h *Handler) triggerListRoutes() []route {
	const p = "/admin/p/{pid}/settings/triggers"
	return []route{
		{"GET " + p, "manage", h.triggerList},
		{"GET " + p + "/delete", "manage", h.triggerDeleteConfirm},
		{"POST " + p + "/delete", "manage", h.triggerDelete},
		{"POST " + p + "/order", "manage", h.triggerOrder},
		{"POST " + p + "/{id}/enabled", "manage", h.triggerEnabled},
		{"POST " + p + "/{id}/duplicate", "manage", h.triggerDuplicate},
		{"POST " + p + "/{id}/move", "manage", h.triggerMove},
	}
}

// triggerRow is one trigger as the list shows it.
type triggerRow struct {
	ID      string
	Label   string // its name, else its id
	Kind    string // its type as the format names it
	Type    string // in words, in the page's language
	When    string // its delay, or an advanced trigger's event
	Detail  string // a page trigger's URL rule, an advanced trigger's conditions
	Excerpt string // the start of its message
	Enabled bool
	ETag    string
	Pos     int // 1-based
	First   bool
	Last    bool
	Focus   string // "up" or "down": the move button to focus after a move
}

// triggersPath is the Triggers page; a trigger's editor is below it
// (editorURL).
func triggersPath(pid string) string {
	return "/admin/p/" + url.PathEscape(pid) + "/settings/triggers"
}

// triggerRows reads the property's triggers for the list.
func (h *Handler) triggerRows(c *call) ([]triggerRow, *store.Version, error) {
	items, v, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]triggerRow, len(items))
	for i, it := range items {
		var t widget.Trigger
		_ = json.Unmarshal(it.Raw, &t) // a published set always reads; a wrong field just shows empty
		rows[i] = describeTrigger(c.lang, &t)
		rows[i].ETag = it.ETag
		rows[i].Pos = i + 1
		rows[i].First = i == 0
		rows[i].Last = i == len(items)-1
	}
	return rows, v, nil
}

func describeTrigger(lang string, t *widget.Trigger) triggerRow {
	r := triggerRow{ID: t.ID, Label: t.Name, Kind: t.Type, Enabled: t.IsEnabled()}
	if strings.TrimSpace(r.Label) == "" {
		r.Label = t.ID
	}
	r.Type = triggerTypeName(lang, t.Type)
	if t.Type == widget.TypeAdvanced {
		r.When = eventName(lang, t.Event)
		if n := len(t.Conditions); n == 1 {
			r.Detail = T(lang, "1 condition")
		} else if n > 1 {
			r.Detail = fmt.Sprintf(T(lang, "%d conditions"), n)
		}
		for _, a := range t.Actions {
			if a.Type == "send_message" && a.Message != nil {
				r.Excerpt = messageExcerpt(lang, a.Message)
				break
			}
		}
	} else {
		r.When = delayText(lang, t.Delay)
		if t.Type == widget.TypePage && t.URL != nil {
			r.Detail = urlMatchName(lang, t.URL.Match) + " " + t.URL.Value
		}
		r.Excerpt = messageExcerpt(lang, t.Message)
	}
	return r
}

func messageExcerpt(lang string, m *widget.Message) string {
	switch {
	case m == nil:
		return ""
	case m.Shortcut != "":
		return fmt.Sprintf(T(lang, "Shortcut: %s"), m.Shortcut)
	default:
		return shorten(m.Text, 90)
	}
}

func triggerTypeName(lang, typ string) string {
	switch typ {
	case widget.TypeSite:
		return T(lang, "Site notification")
	case widget.TypePage:
		return T(lang, "Page notification")
	case widget.TypeChatRescue:
		return T(lang, "Chat rescue")
	case widget.TypeMaximized:
		return T(lang, "Widget maximized")
	case widget.TypeAdvanced:
		return T(lang, "Advanced")
	}
	return typ
}

func eventName(lang, ev string) string {
	switch ev {
	case widget.EventPageView:
		return T(lang, "On a page view")
	case widget.EventWidgetLoaded:
		return T(lang, "When the widget loads")
	case widget.EventChatRequested:
		return T(lang, "When a chat starts")
	case widget.EventVisitorMessage:
		return T(lang, "On a visitor message")
	case widget.EventWidgetMaximized:
		return T(lang, "When the widget opens")
	case widget.EventCustom:
		return T(lang, "On a custom event")
	}
	return ev
}

func urlMatchName(lang, m string) string {
	switch m {
	case "exact":
		return T(lang, "URL is")
	case "contains":
		return T(lang, "URL contains")
	case "starts_with":
		return T(lang, "URL starts with")
	case "wildcard":
		return T(lang, "URL matches")
	case "regex":
		return T(lang, "URL matches the pattern")
	}
	return m
}

// delayText says a delay in words: "No delay", "5 seconds", "1 minute",
// "1 minute 30 seconds", "1 hour".
func delayText(lang string, s int) string {
	if s <= 0 {
		return T(lang, "No delay")
	}
	if s == 3600 {
		return T(lang, "1 hour")
	}
	var parts []string
	if m := s / 60; m == 1 {
		parts = append(parts, T(lang, "1 minute"))
	} else if m > 1 {
		parts = append(parts, fmt.Sprintf(T(lang, "%d minutes"), m))
	}
	if sec := s % 60; sec == 1 {
		parts = append(parts, T(lang, "1 second"))
	} else if sec > 1 {
		parts = append(parts, fmt.Sprintf(T(lang, "%d seconds"), sec))
	}
	return strings.Join(parts, " ")
}

// listData is what the Triggers page shows; status and problem are the
// messages of the last action.
func (h *Handler) listData(c *call, status, problem string, conflict bool) (map[string]any, error) {
	rows, v, err := h.triggerRows(c)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"Admin": true, "Section": "triggers",
		"Rows": rows, "Count": len(rows), "Max": widget.MaxTriggers, "Full": len(rows) >= widget.MaxTriggers,
		"Version": admin.SetETag(v.Number), "Base": triggersPath(c.pid),
		"Status": status, "Problem": problem, "Conflict": conflict,
	}, nil
}

// triggerList is the Triggers page. The query of the redirect after an
// action says what was done (done=…), to say it in a status message.
func (h *Handler) triggerList(w http.ResponseWriter, r *http.Request, c *call) error {
	data, err := h.listData(c, "", "", false)
	if err != nil {
		return err
	}
	rows := data["Rows"].([]triggerRow)
	q := r.URL.Query()
	id := q.Get("id")
	label := id
	for i := range rows {
		if rows[i].ID == id {
			label = rows[i].Label
			if q.Get("done") == "moved" {
				rows[i].Focus = q.Get("dir")
				if rows[i].Focus == "up" && rows[i].First {
					rows[i].Focus = "down"
				} else if rows[i].Focus == "down" && rows[i].Last {
					rows[i].Focus = "up"
				}
			}
		}
	}
	switch q.Get("done") {
	case "saved":
		data["Status"] = T(c.lang, "Saved")
	case "duplicated":
		data["Status"] = fmt.Sprintf(T(c.lang, "Duplicated: the copy is “%s”, just below the original."), label)
	case "deleted":
		data["Status"] = deletedText(c.lang, atoi(q.Get("n")))
	case "moved":
		for _, row := range rows {
			if row.ID == id {
				data["Status"] = fmt.Sprintf(T(c.lang, "Moved “%s” to position %d of %d."), label, row.Pos, len(rows))
			}
		}
	}
	h.render(w, c, http.StatusOK, "triggers", data)
	return nil
}

func deletedText(lang string, n int) string {
	if n == 1 {
		return T(lang, "Deleted 1 trigger")
	}
	return fmt.Sprintf(T(lang, "Deleted %d triggers"), n)
}

// wantsJSON reports whether the request comes from triggers.js, which
// wants a JSON answer instead of a redirect.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json") || r.Header.Get("X-Requested-With") != ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// actionFailed answers an action the Service refused: JSON for the
// script, else the list again (as it is now) with the reason.
func (h *Handler) actionFailed(w http.ResponseWriter, r *http.Request, c *call, err error) error {
	status := admin.StatusOf(err)
	if status >= 500 {
		return err
	}
	conflict := status == http.StatusConflict
	msg := localizeMessage(c.lang, err)
	if conflict {
		msg = T(c.lang, "Someone else changed these triggers since this page was loaded, so your change was not saved. Reload the page to see the latest version, then try again.")
	}
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": map[string]any{
			"code": status, "message": msg, "reload": conflict || status == http.StatusNotFound,
		}})
		return nil
	}
	// The page is shown at the list's address, so that its links (the
	// language switch) lead back to the list.
	r2 := *c.r
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery = triggersPath(c.pid), "", ""
	r2.URL = &u
	c.r = &r2
	data, err := h.listData(c, "", msg, conflict)
	if err != nil {
		return err
	}
	h.render(w, c, status, "triggers", data)
	return nil
}

// done answers a successful action: a redirect to the list saying what
// was done, or JSON for the script.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, c *call, q url.Values, msg string, extra map[string]any) {
	if wantsJSON(r) {
		out := map[string]any{"ok": true, "message": msg}
		for k, v := range extra {
			out[k] = v
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	http.Redirect(w, r, triggersPath(c.pid)+"?"+q.Encode(), http.StatusSeeOther)
}

// triggerEnabled turns one trigger on or off. The form carries the
// trigger's ETag as the page showed it, so a change made meanwhile by
// someone else is not overwritten.
func (h *Handler) triggerEnabled(w http.ResponseWriter, r *http.Request, c *call) error {
	id := r.PathValue("id")
	v := r.PostFormValue("enabled")
	on := v == "on" || v == "true" || v == "1"
	it, err := h.s.Trigger(c.ctx(), c.actor, c.pid, id)
	if err != nil {
		return h.actionFailed(w, r, c, err)
	}
	ifMatch := r.PostFormValue("etag")
	if ifMatch == "" {
		ifMatch = it.ETag
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(it.Raw, &obj); err != nil {
		return store.Wrap(store.Internal, err, "the stored trigger cannot be read")
	}
	obj["enabled"] = json.RawMessage(strconv.FormatBool(on))
	raw, _ := json.Marshal(obj)
	wr, err := h.s.PutTrigger(c.ctx(), c.actor, c.pid, id, ifMatch, raw)
	if err != nil {
		return h.actionFailed(w, r, c, err)
	}
	etag := ""
	if cur, err := h.s.Trigger(c.ctx(), c.actor, c.pid, id); err == nil {
		etag = cur.ETag
	}
	h.done(w, r, c, url.Values{"done": {"saved"}}, T(c.lang, "Saved"),
		map[string]any{"enabled": on, "etag": etag, "version": admin.SetETag(wr.Version.Number)})
	return nil
}

// triggerDuplicate adds a copy of a trigger just below it.
func (h *Handler) triggerDuplicate(w http.ResponseWriter, r *http.Request, c *call) error {
	_, newID, err := h.s.DuplicateTrigger(c.ctx(), c.actor, c.pid, r.PathValue("id"))
	if err != nil {
		return h.actionFailed(w, r, c, err)
	}
	h.done(w, r, c, url.Values{"done": {"duplicated"}, "id": {newID}}, "", map[string]any{"id": newID})
	return nil
}

// triggerMove moves one trigger a place up or down.
func (h *Handler) triggerMove(w http.ResponseWriter, r *http.Request, c *call) error {
	id, dir := r.PathValue("id"), r.PostFormValue("dir")
	items, _, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	if err != nil {
		return h.actionFailed(w, r, c, err)
	}
	ids := make([]string, len(items))
	at := -1
	for i, it := range items {
		var t widget.Trigger
		_ = json.Unmarshal(it.Raw, &t)
		ids[i] = t.ID
		if t.ID == id {
			at = i
		}
	}
	if at < 0 {
		return h.actionFailed(w, r, c, store.Errorf(store.NotFound, "no trigger %q", id))
	}
	to := at - 1
	if dir == "down" {
		to = at + 1
	} else {
		dir = "up"
	}
	if to >= 0 && to < len(ids) {
		ids[at], ids[to] = ids[to], ids[at]
		if _, err := h.s.ReorderTriggers(c.ctx(), c.actor, c.pid, ids); err != nil {
			return h.actionFailed(w, r, c, staleOrder(err))
		}
	}
	h.done(w, r, c, url.Values{"done": {"moved"}, "id": {id}, "dir": {dir}}, "", map[string]any{"order": ids})
	return nil
}

// triggerOrder saves a whole new order (the script's drag and drop): the
// ids of every trigger, in their new order.
func (h *Handler) triggerOrder(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := r.ParseForm(); err != nil {
		return store.Errorf(store.Invalid, "the form cannot be read")
	}
	ids := r.PostForm["ids"]
	if _, err := h.s.ReorderTriggers(c.ctx(), c.actor, c.pid, ids); err != nil {
		return h.actionFailed(w, r, c, staleOrder(err))
	}
	h.done(w, r, c, url.Values{"done": {"saved"}}, T(c.lang, "Saved"), nil)
	return nil
}

// staleOrder is a refused new order: the ids it was made of are not the
// published triggers any more (one was added or deleted meanwhile), which
// is a conflict with that change.
func staleOrder(err error) error {
	if store.IsCode(err, store.Invalid) || store.IsCode(err, store.NotFound) {
		return store.Errorf(store.Conflict, "the triggers changed since the page was loaded")
	}
	return err
}

// selected is the triggers named by ids, in the list's order, and the ids
// that name no trigger.
func selected(rows []triggerRow, ids []string) (sel []triggerRow, missing []string) {
	for _, row := range rows {
		if slices.Contains(ids, row.ID) {
			sel = append(sel, row)
		}
	}
	for _, id := range ids {
		if !slices.ContainsFunc(rows, func(row triggerRow) bool { return row.ID == id }) {
			missing = append(missing, id)
		}
	}
	return sel, missing
}

// triggerDeleteConfirm asks to confirm the deletion of the ticked triggers
// (the page without its script; the script asks in a dialog).
func (h *Handler) triggerDeleteConfirm(w http.ResponseWriter, r *http.Request, c *call) error {
	data, err := h.listData(c, "", "", false)
	if err != nil {
		return err
	}
	sel, _ := selected(data["Rows"].([]triggerRow), r.URL.Query()["ids"])
	if len(sel) == 0 {
		data["Problem"] = T(c.lang, "No trigger is selected. Tick the box beside each trigger to delete, then press Delete.")
		h.render(w, c, http.StatusOK, "triggers", data)
		return nil
	}
	data["Confirm"] = sel
	h.render(w, c, http.StatusOK, "triggers", data)
	return nil
}

// triggerDelete deletes the confirmed triggers.
func (h *Handler) triggerDelete(w http.ResponseWriter, r *http.Request, c *call) error {
	if err := r.ParseForm(); err != nil {
		return store.Errorf(store.Invalid, "the form cannot be read")
	}
	ids := slices.Compact(slices.Sorted(slices.Values(r.PostForm["ids"])))
	if len(ids) == 0 {
		return h.actionFailed(w, r, c, store.Errorf(store.Invalid,
			"No trigger is selected. Tick the box beside each trigger to delete, then press Delete."))
	}
	if _, err := h.s.DeleteTriggers(c.ctx(), c.actor, c.pid, ids); err != nil {
		if store.IsCode(err, store.NotFound) {
			err = store.Errorf(store.Conflict, "a trigger to delete is gone")
		}
		return h.actionFailed(w, r, c, err)
	}
	n := strconv.Itoa(len(ids))
	h.done(w, r, c, url.Values{"done": {"deleted"}, "n": {n}}, deletedText(c.lang, len(ids)), nil)
	return nil
}
