package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

func (h *Handler) redirectHome(w http.ResponseWriter, r *http.Request, c *call) error {
	http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
	return nil
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, c *call) error {
	return errNotFound
}

// home is the dashboard: the account's properties, and Add property. A
// visitor who is not logged in goes to the login (or, on a new server, to
// the creation of the first account).
func (h *Handler) home(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.actor.Account == nil {
		need, err := h.s.NeedsSetup(c.ctx())
		if err != nil {
			return err
		}
		if need {
			http.Redirect(w, r, "/admin/setup", http.StatusSeeOther)
		} else {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		}
		return nil
	}
	h.render(w, c, http.StatusOK, "dashboard", map[string]any{"Form": map[string]string{"timezone": "UTC"}})
	return nil
}

// safeNext keeps a post-login redirect on the admin.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/admin/"
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, c *call) error {
	if need, err := h.s.NeedsSetup(c.ctx()); err == nil && need {
		http.Redirect(w, r, "/admin/setup", http.StatusSeeOther)
		return nil
	}
	h.render(w, c, http.StatusOK, "login", map[string]any{"Next": safeNext(r.URL.Query().Get("next"))})
	return nil
}

func (h *Handler) loginPost(w http.ResponseWriter, r *http.Request, c *call) error {
	email, pw, next := r.PostFormValue("email"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	_, secret, err := h.s.Login(c.ctx(), email, pw, h.clientAddr(r))
	if err != nil {
		status := admin.StatusOf(err)
		if status >= 500 {
			return err
		}
		msg := loginRefusal(c.lang, err)
		h.render(w, c, status, "login", map[string]any{"Next": next, "Email": email, "Error": msg})
		return nil
	}
	h.setSession(w, r, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) setupPage(w http.ResponseWriter, r *http.Request, c *call) error {
	need, err := h.s.NeedsSetup(c.ctx())
	if err != nil {
		return err
	}
	if !need {
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	h.render(w, c, http.StatusOK, "setup", map[string]any{})
	return nil
}

func (h *Handler) setupPost(w http.ResponseWriter, r *http.Request, c *call) error {
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	_, secret, err := h.s.Setup(c.ctx(), email, pw)
	if err != nil {
		if admin.StatusOf(err) >= 500 {
			return err
		}
		h.render(w, c, admin.StatusOf(err), "setup", map[string]any{"Email": email, "Error": localizeMessage(c.lang, err)})
		return nil
	}
	h.setSession(w, r, secret)
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
	return nil
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, c *call) error {
	if c.session != "" {
		if err := h.s.Logout(c.ctx(), c.session); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: h.cfg.Secure || r.TLS != nil})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/",
		MaxAge: int(h.s.SessionTTL() / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: h.cfg.Secure || r.TLS != nil})
}

// addProperty is the dashboard's Add property form.
func (h *Handler) addProperty(w http.ResponseWriter, r *http.Request, c *call) error {
	form := map[string]string{
		"name": r.PostFormValue("name"), "websiteUrl": r.PostFormValue("websiteUrl"), "timezone": r.PostFormValue("timezone"),
	}
	st, err := h.s.CreateProperty(c.ctx(), c.actor, "", admin.NewProperty{
		Name: form["name"], WebsiteURL: form["websiteUrl"], Timezone: form["timezone"], Language: c.lang,
	})
	if err != nil {
		if admin.StatusOf(err) >= 500 {
			return err
		}
		data := map[string]any{"Form": form, "Open": true}
		var se *store.Error
		if errors.As(err, &se) && len(se.Problems) > 0 {
			// Each problem beside its input, and all of them in the alert.
			errs := map[string]string{}
			var list []problemView
			for _, p := range se.Problems {
				id, label := propertyInput(c.lang, p.Field)
				text := propertyProblem(c.lang, p.Field, form)
				errs[id] = text
				list = append(list, problemView{ID: id, Label: label, Text: text})
			}
			data["Errs"], data["Problems"] = errs, list
		} else {
			data["Error"] = localizeMessage(c.lang, err)
		}
		h.render(w, c, admin.StatusOf(err), "dashboard", data)
		return nil
	}
	http.Redirect(w, r, "/admin/p/"+url.PathEscape(st.ID)+"/", http.StatusSeeOther)
	return nil
}

// propertyInput is the Add property form's input for a problem's field,
// and its label.
func propertyInput(lang, field string) (id, label string) {
	switch field {
	case "websiteUrl":
		return "prop-url", T(lang, "Website URL")
	case "timezone":
		return "prop-tz", T(lang, "Time zone")
	}
	return "prop-name", T(lang, "Property name")
}

// propertyProblem says what is wrong with the Add property form's field,
// in the person's language (the API's message names the value; the form
// shows it in its input).
func propertyProblem(lang, field string, form map[string]string) string {
	switch field {
	case "websiteUrl":
		return T(lang, "Enter the website's address with http:// or https:// and its domain, like https://example.com, in at most 2,048 characters and without a user name.")
	case "timezone":
		return T(lang, "Choose a time zone from the list, like Europe/Paris.")
	}
	if strings.TrimSpace(form["name"]) == "" {
		return T(lang, "Give the property a name: it is how you find it in your list.")
	}
	return T(lang, "A property name is at most 100 characters of text, without tabs or line breaks.")
}

// propertyHome is a property's page: what it publishes, and the way into
// Administration for its Admins.
func (h *Handler) propertyHome(w http.ResponseWriter, r *http.Request, c *call) error {
	items, v, err := h.s.Triggers(c.ctx(), c.actor, c.pid)
	data := map[string]any{}
	if err == nil {
		data["Triggers"] = len(items)
		data["Version"] = v.Number
	} else if !store.IsCode(err, store.Forbidden) {
		return err
	}
	h.render(w, c, http.StatusOK, "property", data)
	return nil
}

func (h *Handler) settingsHome(w http.ResponseWriter, r *http.Request, c *call) error {
	http.Redirect(w, r, triggersPath(c.pid), http.StatusSeeOther)
	return nil
}

// localizeMessage is a domain error's message in lang: the English one,
// or its French version when the catalog has it.
func localizeMessage(lang string, err error) string {
	return T(lang, store.ErrorMessage(err))
}

// atoi reads a form number; bad input is 0.
func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}

// loginRefusal words why a login was refused.
func loginRefusal(lang string, err error) string {
	switch {
	case errors.Is(err, admin.ErrBusy):
		return T(lang, "The server is busy checking passwords. Wait a moment, then try again.")
	case store.IsCode(err, store.TooManyRequests):
		return T(lang, "Too many failed logins. Wait a moment, then try again.")
	}
	return T(lang, "Wrong email or password.")
}
