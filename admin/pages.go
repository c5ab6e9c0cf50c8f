package admin

import (
	"html/template"
	"net/http"
	"strings"
)

// The admin's web pages are served under /admin/. Until they are built,
// /admin/ answers with one page that says where the admin's functions
// are: the API and the operator commands.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>triggerwidget admin</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933}code{background:#f0f4f8;padding:0 .25rem;border-radius:3px}</style>
</head><body>
<h1>triggerwidget admin</h1>
{{if .Setup}}<p>This server has no account yet. Create the first one (it owns the server):</p>
<pre><code>curl -X POST {{.Base}}/api/v1/setup -H 'Content-Type: application/json' \
  -d '{"email":"you@example.com","password":"a long passphrase"}'</code></pre>
{{else}}<p>The admin's pages are not part of this build yet. Everything they will do is available through the API under <code>/api/v1/</code> (log in with <code>POST /api/v1/session</code>, or use an API token), through <code>triggers push</code> / <code>triggers pull</code>, and through the operator commands <code>widgetd user add</code>, <code>widgetd property add</code> and <code>widgetd token create</code>. The API is described in docs/api.md.</p>
{{end}}</body></html>
`))

func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/admin" {
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
		return
	}
	if r.URL.Path != "/admin/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	need, err := h.s.NeedsSetup(r.Context())
	if err != nil {
		h.log.Error("admin page", "error", err)
		http.Error(w, "the admin cannot read its database; see the server's log", http.StatusServiceUnavailable)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.Header().Set("Referrer-Policy", "same-origin")
	_ = indexPage.Execute(w, struct {
		Setup bool
		Base  string
	}{need, scheme + "://" + strings.TrimSuffix(r.Host, "/")})
}
