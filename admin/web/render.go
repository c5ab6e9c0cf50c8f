package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/store"
)

// Pages are templates/NAME.html, each parsed with the shared layout
// (templates/layout/*.html): a page defines "title" and "content".
func parsePages() (map[string]*template.Template, error) {
	base := template.New("").Funcs(funcs)
	base, err := base.ParseFS(files, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(files, name)
		if err != nil {
			return nil, err
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages, nil
}

// page is what every page template gets as its dot.
type page struct {
	Lang    string
	Account *store.Account
	Props   []store.PropertyRole
	Prop    any // *admin.Settings of the property shown, or nil
	Role    store.Role
	Admin   bool   // the page is under Administration (its menu is shown)
	Section string // the Administration menu entry that is current
	Path    string // the request's path, for the language switch
	Data    map[string]any
	query   url.Values // the request's query, kept by the language switch
}

// LangURL is the page in language l: its path and query, with lang=l (an
// invitation's page keeps its token so).
func (p *page) LangURL(l string) string {
	q := url.Values{}
	for k, v := range p.query {
		if k != "lang" {
			q[k] = v
		}
	}
	q.Set("lang", l)
	return p.Path + "?" + q.Encode()
}

// T translates inside templates: {{T .Lang "Add trigger"}}.
func (p *page) T(s string) string { return T(p.Lang, s) }

// render writes page name with status.
func (h *Handler) render(w http.ResponseWriter, c *call, status int, name string, data map[string]any) {
	t, ok := h.pages[name]
	if !ok {
		h.log.ErrorContext(c.r.Context(), "no such page template", "name", name)
		http.Error(w, "500 internal error", http.StatusInternalServerError)
		return
	}
	p := &page{Lang: c.lang, Account: c.actor.Account, Props: c.props, Role: c.role, Path: c.r.URL.Path, Data: data,
		query: c.r.URL.Query()}
	if c.prop != nil {
		p.Prop = c.prop
	}
	if v, ok := data["Admin"].(bool); ok {
		p.Admin = v
	}
	if v, ok := data["Section"].(string); ok {
		p.Section = v
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		h.log.ErrorContext(c.r.Context(), "page template failed", "name", name, "error", err)
		http.Error(w, "500 internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

var funcs = template.FuncMap{
	"T":     T,
	"asset": func(name string) string { return "/admin/static/" + name + "?v=" + assetVersion(name) },
	"since": func(lang string, t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"add":   func(a, b int) int { return a + b },
	"short": shorten,
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

// shorten puts a text on one line and cuts it to at most n characters,
// ending with "…" when cut: list rows, select options.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// assetVersion is a short hash of a static file, so its URL changes when
// it does and it can be cached for a year.
func assetVersion(name string) string {
	data, err := fs.ReadFile(files, "static/"+name)
	if err != nil {
		return "missing"
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

// staticHandler serves the embedded assets, immutable (their URLs carry
// their hash).
func staticHandler(fsys fs.FS) http.Handler {
	fileServer := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.URL.Query().Get("v") != "" {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		if strings.HasSuffix(r.URL.Path, "/") || r.URL.Path == "" {
			http.NotFound(w, r)
			return
		}
		if server.TooManyRanges(r) { // as on every file route of widgetd
			size := int64(-1)
			if fi, err := fs.Stat(fsys, strings.TrimPrefix(r.URL.Path, "/")); err == nil {
				size = fi.Size()
			}
			server.RefuseRanges(w, size)
			return
		}
		fileServer.ServeHTTP(w, r)
	})
}
