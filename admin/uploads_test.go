//go:build !js

package admin_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/admin"
)

// uploaded is the API's answer to an upload.
type uploaded struct {
	Name        string
	Path        string
	URL         string
	ContentType string
	Size        int64
	Width       int
	Height      int
	Original    string
}

// multipartBody is a form with one "file" part.
func multipartBody(t testing.TB, field, filename string, data []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("note", "ignored")
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.Bytes()
}

// gifBytes is a small valid GIF.
func gifBytes(t testing.TB) []byte {
	t.Helper()
	m := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	m.SetColorIndex(1, 1, 1)
	var b bytes.Buffer
	if err := gif.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bombPNG is a PNG whose header claims w×h pixels, with almost no data.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		_ = binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		_ = binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestUploads(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	pic := pngBytes(t, 5, 3)

	post := func(t *testing.T, query, contentType string, body []byte) *resp {
		t.Helper()
		return e.do(t, owner, "POST", pp+"/uploads"+query, body, "Content-Type", contentType)
	}
	check := func(t *testing.T, r *resp, ext, contentType string) uploaded {
		t.Helper()
		want(t, r, http.StatusCreated)
		var u uploaded
		decodeJSON(t, r, &u)
		if !strings.HasSuffix(u.Name, ext) || u.Path != "/u/"+u.Name || u.ContentType != contentType || r.Header.Get("Location") != u.Path {
			t.Errorf("upload = %+v (Location %q), want a %s named *%s", u, r.Header.Get("Location"), contentType, ext)
		}
		if u.URL != e.srv.URL+u.Path {
			t.Errorf("url = %q, want %q", u.URL, e.srv.URL+u.Path)
		}
		return u
	}
	serve := func(t *testing.T, u uploaded) *resp {
		t.Helper()
		r := e.do(t, anon, "GET", u.Path, nil)
		want(t, r, http.StatusOK)
		h := r.Header
		if h.Get("Content-Type") != u.ContentType || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Cache-Control"), "immutable") || !strings.Contains(h.Get("Cache-Control"), "max-age=") {
			t.Errorf("served with headers %v", h)
		}
		return r
	}

	t.Run("raw PNG", func(t *testing.T) {
		u := check(t, post(t, "?filename=logo.png", "image/png", pic), ".png", "image/png")
		if u.Width != 5 || u.Height != 3 || u.Original != "logo.png" {
			t.Errorf("upload = %+v", u)
		}
		r := serve(t, u)
		m, err := png.Decode(bytes.NewReader(r.Body))
		if err != nil || m.Bounds().Dx() != 5 {
			t.Errorf("served bytes are not the PNG: %v", err)
		}
		if r.Header.Get("Content-Disposition") != "" {
			t.Errorf("an image is served as a download")
		}
		head := e.do(t, anon, "HEAD", u.Path, nil)
		want(t, head, http.StatusOK)
		// The same bytes again: the same name.
		again := check(t, post(t, "?filename=again.png", "image/png", pic), ".png", "image/png")
		if again.Name != u.Name {
			t.Errorf("the same image got another name: %s, %s", again.Name, u.Name)
		}
	})
	t.Run("multipart PNG", func(t *testing.T) {
		ct, body := multipartBody(t, "file", "photo.png", pngBytes(t, 7, 7))
		u := check(t, post(t, "", ct, body), ".png", "image/png")
		if u.Original != "photo.png" || u.Width != 7 {
			t.Errorf("upload = %+v", u)
		}
		serve(t, u)
	})
	t.Run("PNG named .jpg", func(t *testing.T) {
		check(t, post(t, "?filename=photo.jpg", "image/jpeg", pngBytes(t, 2, 2)), ".png", "image/png")
	})
	t.Run("polyglot GIF", func(t *testing.T) {
		poly := append(gifBytes(t), "<html><script>alert(document.cookie)</script></html>"...)
		u := check(t, post(t, "?filename=cat.gif", "image/gif", poly), ".gif", "image/gif")
		r := serve(t, u)
		if bytes.Contains(bytes.ToLower(r.Body), []byte("<script")) {
			t.Errorf("served GIF still holds the script")
		}
	})
	t.Run("PDF as a file", func(t *testing.T) {
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
		u := check(t, post(t, "?kind=file&filename=prices.pdf", "application/pdf", pdf), ".pdf", "application/pdf")
		r := serve(t, u)
		if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("a file is served without Content-Disposition: attachment")
		}
	})

	refused := []struct {
		name, query, contentType string
		body                     []byte
		status                   int
		code                     string
	}{
		{"SVG with a script", "?filename=logo.svg", "image/svg+xml",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 415, "unsupported_type"},
		{"SVG as a file", "?kind=file&filename=logo.svg", "image/svg+xml",
			[]byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), 415, "unsupported_type"},
		{"HTML named .png", "?filename=x.png", "image/png", []byte("<!doctype html><html><script>alert(1)</script></html>"), 415, "unsupported_type"},
		{"HTML file", "?kind=file&filename=page.html", "text/html", []byte("<html><body>hi</body></html>"), 415, "unsupported_type"},
		{"decompression bomb", "?filename=bomb.png", "image/png", bombPNG(50000, 50000), 422, "invalid"},
		{"3 MiB", "?filename=big.png", "image/png", append(pngBytes(t, 2, 2), make([]byte, 3<<20)...), 413, "too_large"},
		{"just over 2 MiB", "?filename=big.png", "image/png", append(pngBytes(t, 2, 2), make([]byte, 2<<20)...), 413, "too_large"},
		{"empty", "?filename=x.png", "image/png", []byte{}, 422, "invalid"},
		{"damaged PNG", "?filename=x.png", "image/png", pic[:len(pic)/2], 422, "invalid"},
		{"bad kind", "?kind=exe&filename=x.png", "image/png", pic, 400, "bad_request"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, post(t, tc.query, tc.contentType, tc.body), tc.status, tc.code)
		})
	}
	t.Run("multipart without a file", func(t *testing.T) {
		ct, body := multipartBody(t, "other", "x.png", pic)
		wantError(t, post(t, "", ct, body), 400, "bad_request")
		wantError(t, post(t, "", "multipart/form-data", body), 400, "bad_request")
	})
	t.Run("multipart SVG", func(t *testing.T) {
		ct, body := multipartBody(t, "file", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
		wantError(t, post(t, "", ct, body), 415, "unsupported_type")
	})

	var list struct{ Uploads []uploaded }
	decodeJSON(t, e.do(t, owner, "GET", pp+"/uploads", nil), &list)
	if len(list.Uploads) != 5 {
		t.Errorf("%d uploads listed, want 5: %+v", len(list.Uploads), list.Uploads)
	}
}

// Behind a TLS-terminating proxy (HandlerConfig.Secure, widgetd
// -behind-tls) an upload's URL is https, though the request came over
// plain HTTP.
func TestUploads_URLBehindATLSProxy(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, envConfig{handler: admin.HandlerConfig{Secure: true}})
	owner := e.setupOwner(t, "owner@example.com")
	e.createProperty(t, owner, "p")
	r := e.do(t, owner, "POST", pp+"/uploads", pngBytes(t, 5, 3), "Content-Type", "image/png")
	want(t, r, http.StatusCreated)
	var u uploaded
	decodeJSON(t, r, &u)
	if want := "https://" + strings.TrimPrefix(e.srv.URL, "http://") + u.Path; u.URL != want {
		t.Errorf("url = %q, want %q", u.URL, want)
	}
}

// Text every store keeps as it is: a name with a control character is
// refused with a message (PostgreSQL refused NUL with an internal error,
// SQLite stored it), and an uploaded file's name is cleaned, since it is
// only shown in listings.
func TestTextWithoutControlsOrBadBytes(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	wantError(t, e.do(t, owner, "POST", "/api/v1/properties", map[string]string{"name": "Ac\x00me"}), 422, "invalid")
	wantError(t, e.do(t, owner, "PATCH", pp, map[string]string{"name": "Ac\x01me"}), 422, "invalid")
	wantError(t, e.do(t, owner, "POST", pp+"/tokens", map[string]string{"name": "ci\x00"}), 422, "invalid")
	r := e.do(t, owner, "POST", pp+"/uploads?filename="+url.QueryEscape("caf\xe9\x00.png"), pngBytes(t, 5, 3), "Content-Type", "image/png")
	want(t, r, http.StatusCreated)
	var u struct{ Original string }
	decodeJSON(t, r, &u)
	if u.Original != "caf\uFFFD.png" {
		t.Errorf("the uploaded file's name is kept as %q, want %q", u.Original, "caf\uFFFD.png")
	}
}
