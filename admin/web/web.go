// Package web is the admin's pages under /admin/: server-rendered HTML
// (html/template, assets embedded in the binary) that works without
// JavaScript, and small scripts that enhance it (a live preview, a URL
// tester, drag to reorder). Every page acts through package admin's
// Service, exactly as the API does: the same authorisation, the same write
// path, the same checks.
//
// Decisions:
//
//   - Forms post to the page that shows them and answer with a redirect
//     after a success (so reloading never posts twice) or the same page
//     with what was typed and each problem beside its field.
//   - Controls are named by their visible labels (the English names are
//     stable: tests and integrators drive them by role and name).
//   - Cross-site requests are refused by http.CrossOriginProtection, as for
//     the API; pages are framed only by the admin itself, and their
//     Content-Security-Policy allows scripts and styles from /admin/static/
//     only, so nothing a user types can run as script.
//   - The language is English or French: ?lang= (remembered in a cookie),
//     else the browser's Accept-Language.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/triggerwidget/triggerwidget/admin"
	"github.com/triggerwidget/triggerwidget/store"
)

//go:embed templates static
var files embed.FS

// Config configures the pages.
type Config struct {
	// Secure marks cookies Secure on plain-HTTP requests (behind TLS).
	Secure bool
	// Logger receives failures. Nil discards.
	Logger *slog.Logger
}

// Handler serves /admin/… and hands everything else (the API, uploads)
// to next.
type Handler struct {
	s     *admin.Service
	next  http.Handler
	cfg   Config
	log   *slog.Logger
	mux   *http.ServeMux
	pages map[string]*template.Template
	guard http.Handler
	// clientAddr identifies a client for login throttling: the API's
	// way when next is the API (its TrustProxy), else the connection's
	// address.
	clientAddr func(*http.Request) string
}

// New returns the handler of the admin's pages over s; next serves what
// is not a page (admin.NewHandler's API and uploads).
func New(s *admin.Service, next http.Handler, cfg Config) (*Handler, error) {
	h := &Handler{s: s, next: next, cfg: cfg, log: cfg.Logger, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.clientAddr = func(r *http.Request) string { return admin.ClientAddr(r, false) }
	if api, ok := next.(interface{ ClientAddr(*http.Request) string }); ok {
		h.clientAddr = api.ClientAddr
	}
	var err error
	if h.pages, err = parsePages(); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(files, "static")
	h.mux.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", staticHandler(static)))
	for _, r := range h.routes() {
		h.mux.HandleFunc(r.pattern, h.wrap(r))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "403 cross-site request refused", http.StatusForbidden)
	}))
	h.guard = cop.Handler(h.mux)
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/admin" || strings.HasPrefix(r.URL.Path, "/admin/") {
		h.guard.ServeHTTP(w, r)
		return
	}
	h.next.ServeHTTP(w, r)
}

// route is one page route. need is what the page needs: "anyone", "login"
// (a person logged in), or an admin.Access on the {pid} property.
type route struct {
	pattern string
	need    string
	handle  func(w http.ResponseWriter, r *http.Request, c *call) error
}

// call is one request as the pages see it.
type call struct {
	r       *http.Request
	actor   admin.Actor
	lang    string
	pid     string // the {pid} of the route, if any
	prop    *admin.Settings
	role    store.Role
	props   []store.PropertyRole // the account's properties, for the top menu
	session string
}

func (c *call) ctx() context.Context { return c.r.Context() }

// wrap authenticates and authorises a request, then runs the page.
func (h *Handler) wrap(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		c := &call{r: r, lang: h.language(w, r), pid: r.PathValue("pid")}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(rt.need))
			// A multipart form's large files wait in temporary files; the
			// server removes them only for the request it made itself, and
			// this one may be a copy (the server's context).
			defer func() {
				if r.MultipartForm != nil {
					_ = r.MultipartForm.RemoveAll()
				}
			}()
		}
		if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
			if acc, err := h.s.Session(r.Context(), ck.Value); err == nil {
				c.actor = admin.Actor{Account: acc}
				c.session = ck.Value
			}
		}
		if rt.need != "anyone" && c.actor.Account == nil {
			next := r.URL.RequestURI()
			http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		}
		if c.actor.Account != nil {
			c.props, _ = h.s.Properties(r.Context(), c.actor)
		}
		if c.pid != "" {
			for _, p := range c.props {
				if p.ID == c.pid {
					c.role = p.Role
				}
			}
			access := admin.Member
			switch rt.need {
			case "manage":
				access = admin.Manage
			case "people":
				access = admin.People
			}
			if err := h.s.Authorize(r.Context(), c.actor, c.pid, access); err != nil {
				h.fail(w, c, err)
				return
			}
			st, err := h.s.Settings(r.Context(), c.actor, c.pid)
			if err != nil {
				h.fail(w, c, err)
				return
			}
			c.prop = st
		}
		if err := rt.handle(w, r, c); err != nil {
			h.fail(w, c, err)
		}
	}
}

// A page's post is capped before anything reads it: net/http would
// otherwise keep a multipart body's files in temporary files whatever
// their size, for anyone who can reach the login. The pages open to
// everyone (log in, create the first account, accept an invitation) take
// small forms; Administration's largest post is the shortcut editor's
// with its uploads. A page with a smaller need caps its body further.
const (
	maxOpenPageBody = 64 << 10
	maxPageBody     = maxShortcutBody
)

func bodyLimit(need string) int64 {
	if need == "anyone" || need == "login" {
		return maxOpenPageBody
	}
	return maxPageBody
}

// fail shows an error page for err.
func (h *Handler) fail(w http.ResponseWriter, c *call, err error) {
	status := admin.StatusOf(err)
	if status >= 500 {
		h.log.ErrorContext(c.r.Context(), "admin page failed", "path", c.r.URL.Path, "error", err)
	}
	msg := store.ErrorMessage(err)
	if store.IsCode(err, store.Forbidden) && c.role == store.RoleAgent {
		msg = T(c.lang, "Only an Admin of this property can open Administration. Ask one of its Admins to change your role.")
	}
	h.render(w, c, status, "error", map[string]any{"Status": status, "Message": msg})
}

// setPageHeaders sets the headers every page has.
func setPageHeaders(w http.ResponseWriter) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; "+
		"connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-store")
}

// language picks the UI language and remembers an explicit choice.
func (h *Handler) language(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "fr" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/admin/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: h.cfg.Secure || r.TLS != nil})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "fr") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		if strings.HasPrefix(tag, "fr") {
			return "fr"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "en"
}

const (
	sessionCookie = "tw_session" // the API's cookie: one login for both
	langCookie    = "tw_lang"
)

// errNotFound is the error of a page that does not exist.
var errNotFound = store.Errorf(store.NotFound, "this page does not exist")
