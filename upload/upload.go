// Package upload turns a file uploaded to the admin — an agent image, or
// an image or file attached to a message — into something safe to store
// and serve. It is pure: bytes in, bytes out, no I/O.
//
// Check is the one entry point. Its rules, and why:
//
//   - Size. Nothing over MaxSize (2 MiB) is looked at, even when the caller
//     has already capped the request body: the cap is part of what "checked"
//     means, not an accident of the transport.
//
//   - The bytes decide the type, never the file name. A PNG named photo.jpg
//     is stored as .png; an HTML page named x.png is refused. The name the
//     uploader chose is used only in messages (quoted and shortened, so a
//     hostile name cannot forge log lines or markup) and, for ZIP-based
//     office documents, to pick among extensions that all mean "a ZIP".
//
//   - Images are PNG, JPEG, WebP or GIF. SVG is refused: an SVG is an XML
//     document that can carry <script>, event handlers and external
//     references, so serving one from the admin's origin would run the
//     uploader's code in the browsers of everyone who opens it.
//
//   - Dimensions are read from the header (image.DecodeConfig) and checked
//     against MaxWidth, MaxHeight and MaxPixels before any pixel is decoded.
//     A decoder allocates the whole canvas its header claims, so a 100-byte
//     PNG claiming 50000×50000 pixels would otherwise cost gigabytes; this
//     way refusing it costs nothing. A GIF's frames are counted and their
//     areas summed by walking its blocks, also before decoding, and capped
//     by MaxFrames and MaxFramePixels.
//
//   - Images are decoded and re-encoded, never stored as uploaded. What is
//     stored is only what the decoder understood as pixels: metadata (EXIF
//     with its GPS position, comments, colour profiles, text chunks) and any
//     bytes appended after the image or hidden in a segment — the usual way
//     to build an image that is also an HTML page or a script — are gone.
//     PNG stays PNG, JPEG stays JPEG (quality JPEGQuality, turned upright
//     first if its EXIF orientation says so, since that tag is dropped), GIF
//     stays GIF with all its frames, delays, disposals and loop count. WebP
//     becomes PNG: Go decodes WebP (golang.org/x/image/webp) but has no
//     encoder, and PNG is lossless and universally supported.
//
//   - With Kind Any, a file that is not an image is accepted only when its
//     bytes are one of a short allowlist: PDF, a ZIP archive (stored as
//     .docx, .xlsx, .pptx, .odt, .ods when the uploader's name says so, else
//     .zip), or plain UTF-8 text without markup (stored as .txt). These are
//     stored byte for byte. HTML, SVG, XML, scripts and executables are
//     refused.
//
// Re-encoding does not make every output byte meaningless — pixel values
// and palettes are the uploader's to choose — so the server must serve
// stored uploads with the Content-Type of ContentTypeOf, with
// "X-Content-Type-Options: nosniff", and files that are not images with
// "Content-Disposition: attachment" (a "Content-Security-Policy: sandbox"
// on those responses costs nothing too). That is the server's job, not
// this package's; this package guarantees that a name's extension matches
// its bytes.
//
// A stored upload is named by the SHA-256 of its output bytes plus the
// extension (ValidName), so the same content is stored once and a URL never
// changes meaning. Checking an output again accepts it with the same name,
// except for JPEG, which is lossy: it is accepted again as a JPEG of the
// same size, but the re-encoded bytes may differ.
//
// Every error is a *store.Error: store.TooLarge over the size cap,
// store.UnsupportedType for a refused type, store.Invalid for an empty,
// damaged or oversized-in-pixels file.
package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/webp"

	"github.com/triggerwidget/triggerwidget/store"
)

// Limits.
const (
	// MaxSize is the largest upload, in bytes.
	MaxSize = 2 << 20
	// MaxWidth and MaxHeight bound an image's canvas, in pixels.
	MaxWidth  = 4096
	MaxHeight = 4096
	// MaxPixels bounds an image's width × height (16 megapixels).
	MaxPixels = 16_000_000
	// MaxFrames bounds the frames of an animated GIF.
	MaxFrames = 200
	// MaxFramePixels bounds the sum of an animated GIF's frame areas.
	MaxFramePixels = 32_000_000
	// JPEGQuality is the quality JPEG images are re-encoded at.
	JPEGQuality = 90
)

// Kind is what an upload is for.
type Kind int

const (
	// Image accepts PNG, JPEG, WebP and GIF images only: agent images and
	// images attached to messages. It is the zero Kind.
	Image Kind = iota
	// Any accepts an image (checked as for Image) or a file from the
	// allowlist: PDF, ZIP (including office documents), plain text.
	Any
)

func (k Kind) String() string {
	switch k {
	case Image:
		return "image"
	case Any:
		return "any"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// File is a checked upload, ready to store.
type File struct {
	// Name is "<sha256 hex of Data>.<ext>"; ValidName reports true for it.
	Name string
	// ContentType is what to serve Data as: ContentTypeOf(Name).
	ContentType string
	// Data is the bytes to store: re-encoded for an image, as uploaded
	// for another file.
	Data []byte
	// Width and Height are an image's size in pixels; 0 for a file.
	Width, Height int
}

// IsImage reports whether f is an image (as opposed to a file to download).
func (f *File) IsImage() bool { return f.Width > 0 }

// types maps each extension a stored upload can have to its Content-Type.
var types = map[string]string{
	"png":  "image/png",
	"jpg":  "image/jpeg",
	"gif":  "image/gif",
	"pdf":  "application/pdf",
	"zip":  "application/zip",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":  "application/vnd.oasis.opendocument.text",
	"ods":  "application/vnd.oasis.opendocument.spreadsheet",
	"txt":  "text/plain; charset=utf-8",
}

// ContentTypeOf is the Content-Type to serve a stored upload named name
// with, chosen by its extension: "application/octet-stream" for a name
// this package does not produce.
func ContentTypeOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if t, ok := types[name[i+1:]]; ok {
			return t
		}
	}
	return "application/octet-stream"
}

// ValidName reports whether name is one this package produces: 64
// lower-case hex digits, a dot and one of the extensions png, jpg, gif,
// pdf, zip, docx, xlsx, pptx, odt, ods, txt. A server can use it to
// refuse any other /u/ path before touching storage.
func ValidName(name string) bool {
	if len(name) < 66 || name[64] != '.' {
		return false
	}
	for i := range 64 {
		c := name[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	_, ok := types[name[65:]]
	return ok
}

// TooLarge is the error Check gives a file of size bytes over MaxSize:
// what a caller that knows the size before reading the file (a multipart
// form's header) says without reading it.
func TooLarge(filename string, size int64) error {
	return store.Errorf(store.TooLarge, "%s is %s; the limit is %d MiB", quote(filename), sizeOf(int(size)), MaxSize>>20)
}

// Check checks an upload named filename (the uploader's name, used only in
// messages and to choose among ZIP extensions) with content data, for kind.
// It returns the File to store, or a *store.Error: store.TooLarge,
// store.UnsupportedType or store.Invalid. data is not modified nor
// retained for an image; for a file, File.Data is data itself.
func Check(filename string, data []byte, kind Kind) (*File, error) {
	q := quote(filename)
	if len(data) > MaxSize {
		return nil, TooLarge(filename, int64(len(data)))
	}
	if len(data) == 0 {
		return nil, store.Errorf(store.Invalid, "%s is empty", q)
	}
	if kind != Image && kind != Any {
		return nil, store.Errorf(store.Internal, "upload: unknown kind %d", int(kind))
	}
	t := sniff(data)
	if t.image {
		return checkImage(q, data, t)
	}
	if kind == Any {
		switch t.ext {
		case "pdf":
			return file(data, "pdf"), nil
		case "zip":
			return checkZip(q, filename, data)
		case "txt":
			if what := scriptName(filename); what != "" {
				t.name, t.svg = what, what == "SVG image"
				break
			}
			return file(data, "txt"), nil
		}
	}
	return nil, refuse(q, t, kind)
}

// refuse is the error for an upload of type t that kind does not accept.
func refuse(q string, t sniffed, kind Kind) *store.Error {
	const images = "PNG, JPEG, WebP or GIF"
	if t.svg {
		return store.Errorf(store.UnsupportedType,
			"%s is an SVG image, which is refused because an SVG can carry scripts; upload a %s image instead", q, images)
	}
	what := t.name
	if what == "" {
		what = "of a type that could not be recognized"
	} else {
		what = article(what) + " " + what
	}
	if kind == Image {
		return store.Errorf(store.UnsupportedType, "%s is %s, not an image; upload a %s image", q, what, images)
	}
	return store.Errorf(store.UnsupportedType,
		"%s is %s, which cannot be attached; attach a %s image, a PDF, a ZIP archive, an office document (docx, xlsx, pptx, odt, ods) or a plain text file", q, what, images)
}

// article is "a" or "an", as said before s.
func article(s string) string {
	for _, p := range []string{"HTML", "SVG", "XML", "ELF"} {
		if strings.HasPrefix(s, p) {
			return "an"
		}
	}
	if s != "" && strings.ContainsRune("AEIOaeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

// cause is a decoder's error for a message, without the package prefix
// ("png: ") that means nothing to the person who uploaded the file.
func cause(err error, format string) string {
	return strings.TrimPrefix(err.Error(), format+": ")
}

// file is a File stored byte for byte with extension ext.
func file(data []byte, ext string) *File {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:]) + "." + ext
	return &File{Name: name, ContentType: ContentTypeOf(name), Data: data}
}

func checkImage(q string, data []byte, t sniffed) (f *File, err error) {
	cfg, err := decodeConfig(data, t.format)
	if err != nil {
		return nil, store.Errorf(store.Invalid, "%s is not a valid %s image: %s", q, t.name, cause(err, t.format))
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return nil, store.Errorf(store.Invalid, "%s is not a valid %s image: it is %d×%d pixels", q, t.name, w, h)
	}
	if w > MaxWidth || h > MaxHeight || w*h > MaxPixels {
		return nil, store.Errorf(store.Invalid,
			"%s is %d×%d pixels; the limit is %d×%d and %d megapixels", q, w, h, MaxWidth, MaxHeight, MaxPixels/1_000_000)
	}
	if t.format == "gif" {
		frames, pixels := gifFrames(data)
		if frames > MaxFrames {
			return nil, store.Errorf(store.Invalid, "%s has %d frames; the limit is %d", q, frames, MaxFrames)
		}
		if pixels > MaxFramePixels {
			return nil, store.Errorf(store.Invalid,
				"%s has %d pixels over all its frames; the limit is %d megapixels", q, pixels, MaxFramePixels/1_000_000)
		}
	}
	if t.format == "webp" && webpAnimated(data) {
		return nil, store.Errorf(store.UnsupportedType, "%s is an animated WebP image, which is not supported; upload a GIF for an animation", q)
	}

	out, ext, w, h, err := reencode(data, t.format)
	if err != nil {
		return nil, store.Errorf(store.Invalid, "%s is not a valid %s image: %s", q, t.name, cause(err, t.format))
	}
	f = file(out, ext)
	f.Width, f.Height = w, h
	return f, nil
}

func decodeConfig(data []byte, format string) (cfg image.Config, err error) {
	defer recoverDecoder(&err)
	r := bytes.NewReader(data)
	switch format {
	case "png":
		return png.DecodeConfig(r)
	case "jpeg":
		return jpeg.DecodeConfig(r)
	case "gif":
		return gif.DecodeConfig(r)
	case "webp":
		return webp.DecodeConfig(r)
	}
	return cfg, fmt.Errorf("unknown format %q", format)
}

// reencode decodes data of format and encodes it again, returning the new
// bytes, their extension and the image's size.
func reencode(data []byte, format string) (out []byte, ext string, w, h int, err error) {
	defer recoverDecoder(&err)
	r := bytes.NewReader(data)
	var buf bytes.Buffer
	switch format {
	case "gif":
		g, err := gif.DecodeAll(r)
		if err != nil {
			return nil, "", 0, 0, err
		}
		if err := gif.EncodeAll(&buf, g); err != nil {
			return nil, "", 0, 0, err
		}
		return buf.Bytes(), "gif", g.Config.Width, g.Config.Height, nil
	case "jpeg":
		m, err := jpeg.Decode(r)
		if err != nil {
			return nil, "", 0, 0, err
		}
		m = orient(m, jpegOrientation(data))
		if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: JPEGQuality}); err != nil {
			return nil, "", 0, 0, err
		}
		b := m.Bounds()
		return buf.Bytes(), "jpg", b.Dx(), b.Dy(), nil
	case "png", "webp":
		var m image.Image
		if format == "png" {
			m, err = png.Decode(r)
		} else {
			m, err = webp.Decode(r)
		}
		if err != nil {
			return nil, "", 0, 0, err
		}
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, m); err != nil {
			return nil, "", 0, 0, err
		}
		b := m.Bounds()
		return buf.Bytes(), "png", b.Dx(), b.Dy(), nil
	}
	return nil, "", 0, 0, fmt.Errorf("unknown format %q", format)
}

// recoverDecoder turns a panic in a decoder or encoder (which would be a
// bug in it, provoked by hostile input) into an error.
func recoverDecoder(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("the decoder failed: %v", p)
	}
}

// checkZip accepts data, which starts like a ZIP archive, if it is one.
func checkZip(q, filename string, data []byte) (*File, error) {
	if err := validZip(data); err != nil {
		return nil, store.Errorf(store.Invalid, "%s is not a valid ZIP archive: %s", q, cause(err, "zip"))
	}
	ext := "zip"
	if i := strings.LastIndexByte(filename, '.'); i >= 0 {
		switch e := strings.ToLower(filename[i+1:]); e {
		case "docx", "xlsx", "pptx", "odt", "ods":
			ext = e
		}
	}
	return file(data, ext), nil
}

// scriptName names text whose uploader's file name says it is code or
// markup a browser or a system would run: such a file is refused even
// though its bytes look like plain text. The name never makes a file
// accepted, only refused.
func scriptName(filename string) string {
	i := strings.LastIndexByte(filename, '.')
	if i < 0 {
		return ""
	}
	switch strings.ToLower(filename[i+1:]) {
	case "js", "mjs", "cjs", "jsx", "ts", "tsx":
		return "JavaScript file"
	case "html", "htm", "xhtml", "shtml", "mht", "mhtml":
		return "HTML document"
	case "svg", "svgz":
		return "SVG image"
	case "xml", "xsl", "xslt":
		return "XML document"
	case "sh", "bash", "bat", "cmd", "ps1", "vbs", "vbe", "wsf", "hta", "py", "pl", "php", "rb", "jar", "exe", "dll", "msi", "scr", "com", "app", "apk":
		return "script or program"
	}
	return ""
}

// quote is filename as it appears in messages: at most 80 bytes (cut at a
// rune boundary, marked with "…") and Go-quoted, so no control character,
// quote or newline gets through.
func quote(filename string) string {
	if filename == "" {
		return "the file"
	}
	const max = 80
	if len(filename) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(filename[cut]) {
			cut--
		}
		filename = filename[:cut] + "…"
	}
	return strconv.Quote(filename)
}

// sizeOf formats the size of an upload over MaxSize for a message.
func sizeOf(n int) string {
	const mib = 1 << 20
	s := fmt.Sprintf("%.1f MiB", float64(n)/mib)
	if s == fmt.Sprintf("%.1f MiB", float64(MaxSize)/mib) {
		// Just over the limit would read as equal to it.
		return fmt.Sprintf("%d bytes", n)
	}
	return s
}
