package admin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/upload"
)

// UploadPath is where an upload is served: /u/NAME. Trigger sets refer to
// uploads by this path (a relative URL resolves against the set's URL,
// on the same server).
func UploadPath(name string) string { return "/u/" + name }

// Upload checks a file (package upload's rules: size, sniffed type, no
// SVG, dimensions before decoding, re-encoded images) and stores it for
// the property.
func (s *Service) Upload(ctx context.Context, a Actor, propertyID, filename string, data []byte, kind upload.Kind) (*store.Upload, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	// Decoding a large image can take a few hundred MB (a progressive
	// JPEG at the pixel limit): two at a time, whatever arrives at once.
	s.decoding <- struct{}{}
	f, err := upload.Check(filename, data, kind)
	<-s.decoding
	if err != nil {
		return nil, err
	}
	u := &store.Upload{Name: f.Name, PropertyID: propertyID, ContentType: f.ContentType, Data: f.Data,
		Size: int64(len(f.Data)), Width: f.Width, Height: f.Height, Original: truncateRunes(cleanText(filename), 200), Created: s.now()}
	if err := s.st.PutUpload(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// Uploads lists a property's uploads.
func (s *Service) Uploads(ctx context.Context, a Actor, propertyID string) ([]store.Upload, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	return s.st.UploadsOf(ctx, propertyID)
}

// uploadJSON describes an upload, with its absolute URL: https when the
// request came over TLS or the server is behind a TLS-terminating proxy
// (HandlerConfig.Secure, widgetd -behind-tls).
func uploadJSON(r *http.Request, u store.Upload, secure bool) map[string]any {
	scheme := "http"
	if secure || r.TLS != nil {
		scheme = "https"
	}
	return map[string]any{
		"name": u.Name, "path": UploadPath(u.Name), "url": scheme + "://" + r.Host + UploadPath(u.Name),
		"contentType": u.ContentType, "size": u.Size, "width": u.Width, "height": u.Height,
		"original": u.Original, "created": u.Created.UTC(),
	}
}

func (h *Handler) listUploads(w http.ResponseWriter, r *http.Request, a Actor) error {
	us, err := h.s.Uploads(ctx(r), a, r.PathValue("pid"))
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(us))
	for i, u := range us {
		out[i] = uploadJSON(r, u, h.cfg.Secure)
	}
	writeJSON(w, http.StatusOK, map[string]any{"uploads": out})
	return nil
}

// maxUploadBody leaves room for a multipart envelope around the largest
// file, and lets a slightly larger file through to be refused by name.
const maxUploadBody = upload.MaxSize + 256<<10

// postUpload takes multipart/form-data with a "file" part (what an HTML
// form sends), or the raw bytes with ?filename=NAME. ?kind=file accepts a
// downloadable file as well as an image.
func (h *Handler) postUpload(w http.ResponseWriter, r *http.Request, a Actor) error {
	pid := r.PathValue("pid")
	if err := h.s.Authorize(ctx(r), a, pid, Manage); err != nil {
		return err
	}
	kind := upload.Image
	switch r.URL.Query().Get("kind") {
	case "", "image":
	case "file":
		kind = upload.Any
	default:
		return store.Errorf(store.BadRequest, "kind must be image or file")
	}
	body, err := readBody(w, r, maxUploadBody)
	if store.IsCode(err, store.TooLarge) {
		return store.Errorf(store.TooLarge, "the file is larger than the limit of %d MiB", upload.MaxSize>>20)
	}
	if err != nil {
		return err
	}
	name, data := r.URL.Query().Get("filename"), body
	if mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		name, data, err = filePart(body, params["boundary"])
		if err != nil {
			return err
		}
	}
	if name == "" {
		name = "upload"
	}
	u, err := h.s.Upload(ctx(r), a, pid, name, data, kind)
	if err != nil {
		return err
	}
	w.Header().Set("Location", UploadPath(u.Name))
	writeJSON(w, http.StatusCreated, uploadJSON(r, *u, h.cfg.Secure))
	return nil
}

// filePart returns the name and content of the "file" part.
func filePart(body []byte, boundary string) (string, []byte, error) {
	if boundary == "" {
		return "", nil, store.Errorf(store.BadRequest, "the multipart body has no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, store.Errorf(store.BadRequest, "the form has no part named \"file\"")
		}
		if err != nil {
			return "", nil, store.Wrap(store.BadRequest, err, "the multipart body cannot be read")
		}
		if p.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return "", nil, store.Wrap(store.BadRequest, err, "the multipart body cannot be read")
		}
		return p.FileName(), data, nil
	}
}

// ServeUpload serves /u/NAME: public (sets on other sites show them),
// immutable (the name is the content's hash), never sniffed, and for a
// file that is not an image, a download that no browser renders.
func (s *Service) ServeUpload(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		writeStatus(w, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" is not allowed here; use GET")
		return
	}
	name := r.URL.Path[len("/u/"):]
	if !upload.ValidName(name) {
		// Not quoted: whatever the request sent is not repeated back.
		writeError(w, r, s.log, store.Errorf(store.NotFound, "no such upload"))
		return
	}
	u, err := s.st.Upload(r.Context(), name)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h.Set("Content-Type", upload.ContentTypeOf(name))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+name[:64]+`"`)
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if u.Width == 0 {
		h.Set("Content-Disposition", "attachment; filename="+strconv.Quote(name))
	}
	server.ServeContent(w, r, "", time.Time{}, bytes.NewReader(u.Data))
}
