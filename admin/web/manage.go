package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// manageRoutes: the rest of Administration — Shortcuts, Widget, Members
// (and the page that accepts an invitation), History, API tokens, and the
// Property's settings with the import and export of the whole set.
//
// Each page works as plain forms: a change posts, then redirects back
// with a one-time notice (a short-lived cookie, so that reloading neither
// posts again nor shows the notice twice). A secret that is shown once
// (an invitation link, an API token) is the answer of its POST itself and
// is never put in a URL or a cookie. A destructive action asks first: a
// dialog with scripts, a confirmation step of the page without.
func (h *Handler) manageRoutes() []route {
	const s = "/admin/p/{pid}/settings/"
	return []route{
		{"GET " + s + "shortcuts", "manage", h.shortcutsPage},
		{"POST " + s + "shortcuts/delete", "manage", h.shortcutDelete},
		{"GET " + s + "shortcuts/new", "manage", h.shortcutNew},
		{"POST " + s + "shortcuts/new", "manage", h.shortcutPost},
		{"GET " + s + "shortcuts/{sid}", "manage", h.shortcutEdit},
		{"POST " + s + "shortcuts/{sid}", "manage", h.shortcutPost},

		{"GET " + s + "widget", "manage", h.widgetPage},
		{"POST " + s + "widget", "manage", h.widgetPost},
		{"POST " + s + "widget/appearance", "manage", h.appearancePost},

		{"GET " + s + "members", "people", h.membersPage},
		{"POST " + s + "members/invite", "people", h.invitePost},
		{"POST " + s + "members/{aid}/role", "people", h.rolePost},
		{"POST " + s + "members/{aid}/remove", "people", h.removeMemberPost},
		{"POST " + s + "members/invitations/{iid}/withdraw", "people", h.withdrawPost},
		{"GET /admin/invitation", "anyone", h.invitationPage},
		{"POST /admin/invitation", "anyone", h.invitationPost},

		{"GET " + s + "history", "manage", h.historyPage},
		{"GET " + s + "history/{n}", "manage", h.versionPage},
		{"POST " + s + "history/{n}/restore", "manage", h.restorePost},

		{"GET " + s + "tokens", "people", h.tokensPage},
		{"POST " + s + "tokens", "people", h.tokenCreate},
		{"POST " + s + "tokens/{tid}/revoke", "people", h.tokenRevoke},

		{"GET " + s + "property", "manage", h.propertyPage},
		{"POST " + s + "property", "manage", h.propertyPost},
		{"GET " + s + "property/export", "manage", h.exportSet},
		{"POST " + s + "property/import", "manage", h.importSet},
	}
}

// mgPage is the data of an Administration page of section slug.
func mgPage(slug string) map[string]any {
	return map[string]any{"Admin": true, "Section": slug}
}

// mgBase is the URL of the property's Administration, ending in "/".
func mgBase(c *call) string {
	return "/admin/p/" + url.PathEscape(c.pid) + "/settings/"
}

// mgOrigin is the origin the browser reached the server by, for the
// snippets and links a person copies.
func (h *Handler) mgOrigin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || h.cfg.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

const noticeCookie = "tw_notice"

// mgNotify redirects to target, which will show msg once as a status
// message.
func (h *Handler) mgNotify(w http.ResponseWriter, r *http.Request, target, msg string) {
	http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: url.QueryEscape(msg), Path: "/admin/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.cfg.Secure || r.TLS != nil})
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// mgNotice takes the pending status message, if any, into data.
func (h *Handler) mgNotice(w http.ResponseWriter, r *http.Request, data map[string]any) {
	ck, err := r.Cookie(noticeCookie)
	if err != nil || ck.Value == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: "", Path: "/admin/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.cfg.Secure || r.TLS != nil})
	if msg, err := url.QueryUnescape(ck.Value); err == nil && data["Notice"] == nil {
		data["Notice"] = msg
	}
}

// mgRefusal is an error a page shows to the person (anything but a
// failure of the server); ok is false for a failure, which the caller
// returns.
func mgRefusal(err error) (status int, ok bool) {
	status = admin.StatusOf(err)
	return status, status < 500
}

// mgProblems counts problems for the summary at the top of a form.
func mgProblems(lang string, n int) string {
	if n == 1 {
		return T(lang, "There is 1 problem; nothing was saved.")
	}
	return fmt.Sprintf(T(lang, "There are %d problems; nothing was saved."), n)
}

// mgProblemsOf is the validator's problems of a refusal, if it has any.
func mgProblemsOf(err error) []widget.FieldError {
	var e *store.Error
	if errors.As(err, &e) && e.Code == store.Invalid {
		return e.Problems
	}
	return nil
}

// mgTriggerNames maps the property's trigger ids to their names, to say
// which trigger a problem is about.
func (h *Handler) mgTriggerNames(c *call) map[string]string {
	items, _, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	names := map[string]string{}
	if err != nil {
		return names
	}
	for _, it := range items {
		var t struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if json.Unmarshal(it.Raw, &t) == nil && t.ID != "" {
			names[t.ID] = t.Name
			if t.Name == "" {
				names[t.ID] = t.ID
			}
		}
	}
	return names
}

// mgProblemLine is one problem of a set in words, naming its trigger. With
// the triggers' names (the pages a site owner reaches from the editor), a
// trigger's field is named by its label in the editor; without them (an
// imported document), by its path in the JSON.
func mgProblemLine(lang string, p widget.FieldError, names map[string]string) string {
	var b strings.Builder
	if p.TriggerID != "" {
		name := names[p.TriggerID]
		if name == "" {
			name = p.TriggerID
		}
		b.WriteString(fmt.Sprintf(T(lang, "Trigger “%s”"), name))
		b.WriteString(" — ")
	}
	if p.Field != "" {
		field := p.Field
		if p.TriggerID != "" && names != nil {
			field = triggerFieldLabel(lang, field)
		}
		b.WriteString(field)
		if lang == "fr" {
			b.WriteString(" : ") // French puts a space before a colon
		} else {
			b.WriteString(": ")
		}
	}
	b.WriteString(problemText(lang, p))
	return b.String()
}

// triggerFieldLabel names a trigger's field (a path such as
// "message.shortcut") as the trigger editor labels its input ("Shortcut"),
// or gives the path when the editor has no input for it.
func triggerFieldLabel(lang, field string) string {
	if id := problemInput(field, &editorForm{}); id != "" {
		return inputLabel(lang, id)
	}
	return field
}

// mgConfirmed reports whether a destructive form was confirmed (by the
// dialog, or by the page's confirmation step).
func mgConfirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "1" }
