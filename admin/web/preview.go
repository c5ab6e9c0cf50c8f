package web

import (
	"bytes"
	"net/http"
)

// The Preview frame shows a trigger's message exactly as a visitor will
// see it: the trigger editor frames /admin/p/{pid}/preview and posts it
// the trigger being edited (window.postMessage, same origin only), and
// preview.js has the widget runtime itself — the same widget.js and wasm
// that sites embed, served at /widget/ — render it. For every update it
// builds a one-trigger set (the trigger as a no-delay site notification,
// or an advanced trigger's first message), starts a fresh widget on it in
// a blank same-origin frame with its own storage cleared, opens it, and
// swaps it in once the message is shown; the previous widget is shut down.
//
// The runtime needs more than the admin's other pages allow, so this page
// has its own Content-Security-Policy: WebAssembly ('wasm-unsafe-eval'),
// the set handed over as a blob: URL, and the widget's one inline
// stylesheet, allowed by its hash and nothing else.

// widgetStyleHash is the CSP hash of the stylesheet the widget puts in its
// shadow root as a <style> element in a browser without constructable
// stylesheets (wasm/widget.css, carried by widget.js). A test checks it
// against the file.
const widgetStyleHash = "sha256-kqhZoCtuXGrDb3AimHmgROYLPkgoLpaVdQV74Etzi8U="

// previewPolicy is the preview page's Content-Security-Policy. The frames
// preview.js builds are about:blank documents, which inherit it.
const previewPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; " +
	"style-src 'self' '" + widgetStyleHash + "'; img-src 'self' data: blob: https:; " +
	"connect-src 'self' blob:; frame-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

// widgetScript is where the server serves the built widget's loader.
const widgetScript = "/widget/widget.js"

// previewRoutes: the Preview frame rendered by the widget runtime, and
// the Test page (a visitor journey through the simulator).
func (h *Handler) previewRoutes() []route {
	return []route{
		{"GET /admin/p/{pid}/preview", "manage", h.previewPage},
		{"GET /admin/p/{pid}/settings/test", "manage", h.testPage},
		{"POST /admin/p/{pid}/settings/test", "manage", h.testPost},
	}
}

// previewPage is the page the trigger editor frames. It is not an admin
// page with menus: only the stage, the note and the placeholder.
func (h *Handler) previewPage(w http.ResponseWriter, r *http.Request, c *call) error {
	t, ok := h.pages["preview"]
	if !ok {
		return errNotFound
	}
	p := &page{Lang: c.lang, Account: c.actor.Account, Prop: c.prop, Role: c.role, Path: r.URL.Path,
		Data: map[string]any{"Widget": widgetScript, "PID": c.pid}}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "preview-page", p); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Security-Policy", previewPolicy)
	hd.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b.Bytes())
	return nil
}
