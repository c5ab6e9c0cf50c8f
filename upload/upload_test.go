package upload

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// Fixtures, built here so the tests hold no binary files.

// gradient is a w×h opaque image whose pixels differ.
func gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x * 255 / max(w-1, 1)), uint8(y * 255 / max(h-1, 1)), 128, 255})
		}
	}
	return m
}

func pngOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegOf(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// animation is a 3-frame 8×6 GIF with distinct delays and disposals.
func animation() *gif.GIF {
	g := &gif.GIF{LoopCount: 0}
	pal := color.Palette{color.Black, color.White, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	for i := range 3 {
		m := image.NewPaletted(image.Rect(0, 0, 8, 6), pal)
		for y := range 6 {
			for x := range 8 {
				m.SetColorIndex(x, y, uint8((x+y+i)%4))
			}
		}
		g.Image = append(g.Image, m)
		g.Delay = append(g.Delay, 10*(i+1))
		g.Disposal = append(g.Disposal, []byte{gif.DisposalNone, gif.DisposalBackground, gif.DisposalPrevious}[i])
	}
	return g
}

func gifOf(t testing.TB, g *gif.GIF) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bitWriter writes a VP8L bit stream: least significant bit first.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.nbits = 0, 0
	}
	return w.buf
}

// webpOf is a lossless (VP8L) WebP of w×h pixels of one colour c. Each of
// the five prefix codes is a "simple" code with a single symbol, which
// takes zero bits per pixel: the whole image is a few bytes, whatever its
// size.
func webpOf(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	bw.write(1, 1)                                       // alpha is used
	bw.write(0, 3)                                       // version
	bw.write(0, 1)                                       // no transform
	bw.write(0, 1)                                       // no colour cache
	bw.write(0, 1)                                       // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} { // green, red, blue, alpha, distance
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // of 8 bits
		bw.write(uint64(sym), 8)
	}
	vp8l := bw.bytes()
	chunk := append([]byte("VP8L"), le32(len(vp8l))...)
	chunk = append(chunk, vp8l...)
	if len(vp8l)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append([]byte("RIFF"), le32(4+len(chunk))...)
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}

func le32(n int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(n)) }

// pngChunk is a PNG chunk with a valid CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// bombPNG is a valid-looking RGBA PNG whose header claims w×h pixels, with
// a few bytes of pixel data: decoding it would allocate w×h×4 bytes.
func bombPNG(w, h int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4096))
	zw.Close()
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// insertPNGChunk puts chunk just before a PNG's IEND.
func insertPNGChunk(p, chunk []byte) []byte {
	i := len(p) - 12
	return append(append(append([]byte{}, p[:i]...), chunk...), p[i:]...)
}

// jpegSegment puts a segment with marker and payload right after a JPEG's SOI.
func jpegSegment(j []byte, marker byte, payload []byte) []byte {
	seg := []byte{0xff, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	return append(append(append([]byte{}, j[:2]...), seg...), j[2:]...)
}

// exif is an APP1 payload holding only an orientation tag.
func exif(orientation uint16) []byte {
	b := []byte("Exif\x00\x00MM\x00*")
	b = binary.BigEndian.AppendUint32(b, 8)           // IFD0 offset
	b = binary.BigEndian.AppendUint16(b, 1)           // one entry
	b = binary.BigEndian.AppendUint16(b, 0x0112)      // Orientation
	b = binary.BigEndian.AppendUint16(b, 3)           // SHORT
	b = binary.BigEndian.AppendUint32(b, 1)           // count
	b = binary.BigEndian.AppendUint16(b, orientation) // value
	b = binary.BigEndian.AppendUint16(b, 0)           // padding
	return binary.BigEndian.AppendUint32(b, 0)        // no next IFD
}

// gifComment puts a comment extension holding text just before a GIF's
// first image descriptor or extension.
func gifComment(g []byte, text string) []byte {
	i := 13
	if g[10]&0x80 != 0 {
		i += 3 << (g[10]&7 + 1)
	}
	ext := []byte{0x21, 0xfe, byte(len(text))}
	ext = append(ext, text...)
	ext = append(ext, 0)
	return append(append(append([]byte{}, g[:i]...), ext...), g[i:]...)
}

// gifClaiming is a GIF whose screen is w×h and which has frames frames,
// each claiming the whole screen, with one byte of pixel data each.
func gifClaiming(w, h, frames int) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, uint16(w))
	b = binary.LittleEndian.AppendUint16(b, uint16(h))
	b = append(b, 0x80, 0, 0) // global colour table of 2 entries
	b = append(b, 0, 0, 0, 255, 255, 255)
	for range frames {
		b = append(b, 0x2c, 0, 0, 0, 0)
		b = binary.LittleEndian.AppendUint16(b, uint16(w))
		b = binary.LittleEndian.AppendUint16(b, uint16(h))
		b = append(b, 0, 2, 1, 0x44, 0) // no local table; LZW size 2; one data byte
	}
	return append(b, 0x3b)
}

func zipOf(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const script = "<script>alert(1)</script>"

// Assertions.

// wantError checks that err is a *store.Error with code whose message
// holds every one of parts.
func wantError(t *testing.T, err error, code store.Code, parts ...string) {
	t.Helper()
	var e *store.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want a *store.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Errorf("code = %s, want %s (message %q)", e.Code, code, e.Message)
	}
	for _, p := range parts {
		if !strings.Contains(e.Message, p) {
			t.Errorf("message = %q, want it to mention %q", e.Message, p)
		}
	}
}

// wantFile checks that f is well formed: named by the SHA-256 of its data
// with extension ext, with the matching content type and size w×h.
func wantFile(t *testing.T, f *File, ext string, w, h int) {
	t.Helper()
	sum := sha256.Sum256(f.Data)
	if want := hex.EncodeToString(sum[:]) + "." + ext; f.Name != want {
		t.Errorf("name = %s, want %s", f.Name, want)
	}
	if !ValidName(f.Name) {
		t.Errorf("ValidName(%s) = false", f.Name)
	}
	if got, want := f.ContentType, ContentTypeOf(f.Name); got != want {
		t.Errorf("content type = %q, want %q", got, want)
	}
	if f.Width != w || f.Height != h {
		t.Errorf("size = %d×%d, want %d×%d", f.Width, f.Height, w, h)
	}
	if w == 0 {
		return
	}
	m, format, err := image.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if want := map[string]string{"png": "png", "jpg": "jpeg", "gif": "gif"}[ext]; format != want {
		t.Errorf("output is %s, want %s", format, want)
	}
	if b := m.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("output decodes as %d×%d, want %d×%d", b.Dx(), b.Dy(), w, h)
	}
}

// Tests.

func TestCheckAccepts(t *testing.T) {
	pngData := pngOf(t, gradient(3, 2))
	jpegData := jpegOf(t, gradient(16, 8))
	gifData := gifOf(t, animation())
	tests := []struct {
		name     string
		filename string
		data     []byte
		kind     Kind
		ext      string
		w, h     int
	}{
		{"PNG", "a.png", pngData, Image, "png", 3, 2},
		{"PNG named .jpg is stored as PNG", "photo.jpg", pngData, Image, "png", 3, 2},
		{"JPEG", "a.jpg", jpegData, Image, "jpg", 16, 8},
		{"JPEG named .png is stored as JPEG", "a.png", jpegData, Image, "jpg", 16, 8},
		{"grey JPEG", "g.jpeg", jpegOf(t, image.NewGray(image.Rect(0, 0, 5, 7))), Image, "jpg", 5, 7},
		{"GIF", "a.gif", gifData, Image, "gif", 8, 6},
		{"WebP becomes PNG", "a.webp", webpOf(1, 1, color.NRGBA{10, 20, 30, 255}), Image, "png", 1, 1},
		{"larger WebP", "a.webp", webpOf(300, 200, color.NRGBA{200, 100, 50, 128}), Image, "png", 300, 200},
		{"paletted PNG", "p.png", pngOf(t, image.NewPaletted(image.Rect(0, 0, 4, 4), palette.Plan9)), Image, "png", 4, 4},
		{"16-bit PNG", "p.png", pngOf(t, image.NewRGBA64(image.Rect(0, 0, 2, 2))), Image, "png", 2, 2},
		{"largest allowed image", "big.png", pngOf(t, image.NewGray(image.Rect(0, 0, MaxWidth, MaxPixels/MaxWidth))), Image, "png", MaxWidth, MaxPixels / MaxWidth},
		{"image as attachment", "a.png", pngData, Any, "png", 3, 2},
		{"PDF", "doc.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), Any, "pdf", 0, 0},
		{"PDF named .txt", "doc.txt", []byte("%PDF-1.7\n%%EOF\n"), Any, "pdf", 0, 0},
		{"ZIP", "files.zip", zipOf(t, map[string]string{"a.txt": "hello"}), Any, "zip", 0, 0},
		{"ZIP named .docx", "Report.DOCX", zipOf(t, map[string]string{"word/document.xml": "<w/>"}), Any, "docx", 0, 0},
		{"ZIP named .xlsx", "s.xlsx", zipOf(t, map[string]string{"xl/workbook.xml": "<w/>"}), Any, "xlsx", 0, 0},
		{"ZIP named .ods", "s.ods", zipOf(t, map[string]string{"mimetype": "x"}), Any, "ods", 0, 0},
		{"ZIP named .exe is stored as .zip", "setup.exe", zipOf(t, map[string]string{"a": "b"}), Any, "zip", 0, 0},
		{"text", "notes.txt", []byte("Opening hours: 9–17\nClosed on Sundays.\n"), Any, "txt", 0, 0},
		{"text with a BOM and tabs", "t.csv", []byte("\xef\xbb\xbfa\tb\r\n1\t2\r\n"), Any, "txt", 0, 0},
		{"text that mentions a tag far in", "t.txt", []byte(strings.Repeat("x", 2000) + script), Any, "txt", 0, 0},
		{"text of exactly MaxSize bytes", "big.txt", bytes.Repeat([]byte("a"), MaxSize), Any, "txt", 0, 0},
		{"PNG padded to exactly MaxSize bytes", "pad.png", append(pngData, make([]byte, MaxSize-len(pngData))...), Image, "png", 3, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Check(tt.filename, tt.data, tt.kind)
			if err != nil {
				t.Fatalf("Check(%q) = %v, want it accepted", tt.filename, err)
			}
			if !strings.HasSuffix(f.Name, "."+tt.ext) {
				t.Errorf("name = %s, want extension .%s", f.Name, tt.ext)
			}
			wantFile(t, f, tt.ext, tt.w, tt.h)
			if tt.w == 0 && !bytes.Equal(f.Data, tt.data) {
				t.Errorf("a file's data changed; want it stored byte for byte")
			}
		})
	}
}

func TestCheckRefuses(t *testing.T) {
	pngData := pngOf(t, gradient(30, 20))
	html := []byte("<!DOCTYPE html>\n<html><body>" + script + "</body></html>")
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">` + script + `</svg>`
	elf := append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 64)...)
	tests := []struct {
		name     string
		filename string
		data     []byte
		kind     Kind
		code     store.Code
		parts    []string // the message must mention each
	}{
		{"empty", "a.png", nil, Image, store.Invalid, []string{`"a.png"`, "is empty"}},
		{"empty file", "a.txt", []byte{}, Any, store.Invalid, []string{"is empty"}},
		{"3 MiB", "image.png", make([]byte, 3<<20), Image, store.TooLarge, []string{`"image.png"`, "3.0 MiB", "the limit is 2 MiB"}},
		{"one byte over MaxSize", "a.png", append(pngData, make([]byte, MaxSize+1-len(pngData))...), Image, store.TooLarge, []string{"2097153 bytes", "2 MiB"}},
		{"one byte over MaxSize, any", "a.txt", bytes.Repeat([]byte("a"), MaxSize+1), Any, store.TooLarge, []string{"2 MiB"}},
		{"HTML named .png", "x.png", html, Image, store.UnsupportedType, []string{`"x.png"`, "HTML document", "not an image", "PNG, JPEG, WebP or GIF"}},
		{"HTML as attachment", "x.html", html, Any, store.UnsupportedType, []string{"HTML document", "cannot be attached"}},
		{"HTML without doctype", "x.txt", []byte("  <p>hi</p>" + script), Any, store.UnsupportedType, []string{"HTML document"}},
		{"script tag in text", "x.txt", []byte("hello " + script), Any, store.UnsupportedType, []string{"HTML document"}},
		{"JavaScript by name", "app.js", []byte("alert(document.cookie)\n"), Any, store.UnsupportedType, []string{"JavaScript"}},
		{"SVG", "logo.svg", []byte(svg), Image, store.UnsupportedType, []string{`"logo.svg"`, "SVG", "scripts", "PNG, JPEG, WebP or GIF"}},
		{"SVG named .png", "logo.png", []byte(svg), Image, store.UnsupportedType, []string{"SVG", "scripts"}},
		{"SVG with XML prolog", "a.svg", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>` + "\n" + svg), Image, store.UnsupportedType, []string{"SVG"}},
		{"SVG with BOM and white space", "a.png", []byte("\xef\xbb\xbf \r\n\t" + svg), Image, store.UnsupportedType, []string{"SVG"}},
		{"SVG after comments and doctype", "a.png", []byte(`<?xml version="1.0"?><!-- made by hand --> <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><!--x-->` + svg), Image, store.UnsupportedType, []string{"SVG"}},
		{"SVG upper case", "a.png", []byte(strings.ToUpper(svg)), Image, store.UnsupportedType, []string{"SVG"}},
		{"SVG as attachment", "a.svg", []byte(svg), Any, store.UnsupportedType, []string{"SVG", "scripts"}},
		{"XML", "a.xml", []byte(`<?xml version="1.0"?><root/>`), Any, store.UnsupportedType, []string{"XML document"}},
		{"PDF as image", "a.png", []byte("%PDF-1.4\n%%EOF"), Image, store.UnsupportedType, []string{"PDF document", "not an image"}},
		{"text as image", "a.png", []byte("hello"), Image, store.UnsupportedType, []string{"text file", "not an image"}},
		{"ELF", "a.png", elf, Image, store.UnsupportedType, []string{"ELF executable"}},
		{"ELF as attachment", "tool", elf, Any, store.UnsupportedType, []string{"ELF executable", "cannot be attached"}},
		{"Windows executable", "setup.exe", append([]byte("MZ\x90\x00"), make([]byte, 100)...), Any, store.UnsupportedType, []string{"Windows executable"}},
		{"binary with NUL", "a.txt", []byte("abc\x00def"), Any, store.UnsupportedType, []string{"binary file"}},
		{"not UTF-8", "a.txt", []byte("caf\xe9 cr\xe8me"), Any, store.UnsupportedType, []string{`"a.txt"`, "cannot be attached"}},
		{"BMP", "a.bmp", append([]byte("BM"), make([]byte, 60)...), Image, store.UnsupportedType, []string{"BMP image"}},
		{"HEIC", "a.heic", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 20)...), Image, store.UnsupportedType, []string{"HEIC image"}},
		{"unrecognized binary", "a.png", []byte{1, 2, 3, 4, 5}, Image, store.UnsupportedType, []string{"not an image"}},
		{"not a ZIP after all", "a.zip", []byte("PK\x03\x04 this is not really a zip"), Any, store.Invalid, []string{`"a.zip"`, "not a valid ZIP archive"}},
		{"empty ZIP", "a.zip", zipOf(t, nil), Any, store.UnsupportedType, []string{"ZIP archive"}},
		{"truncated PNG", "photo.png", pngData[:len(pngData)/2], Image, store.Invalid, []string{`"photo.png"`, "is not a valid PNG image"}},
		{"PNG cut in its header", "photo.png", pngData[:20], Image, store.Invalid, []string{"is not a valid PNG image"}},
		{"PNG with a bad CRC", "photo.png", corrupt(pngData, 30), Image, store.Invalid, []string{"is not a valid PNG image"}},
		{"truncated JPEG", "p.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), Image, store.Invalid, []string{"is not a valid JPEG image"}},
		{"truncated GIF", "p.gif", gifOf(t, animation())[:40], Image, store.Invalid, []string{"is not a valid GIF image"}},
		{"truncated WebP", "p.webp", webpOf(4, 4, color.NRGBA{})[:20], Image, store.Invalid, []string{"is not a valid WebP image"}},
		{"PNG bomb", "bomb.png", bombPNG(50000, 50000), Image, store.Invalid, []string{`"bomb.png"`, "50000×50000", "4096×4096"}},
		{"too wide", "w.png", bombPNG(5000, 10), Image, store.Invalid, []string{"5000×10"}},
		{"too many pixels", "p.png", bombPNG(4096, 4096), Image, store.Invalid, []string{"4096×4096", "16 megapixels"}},
		{"WebP bomb", "b.webp", webpOf(16384, 16384, color.NRGBA{}), Image, store.Invalid, []string{"16384×16384"}},
		{"JPEG bomb", "b.jpg", jpegBomb(t, 60000, 60000), Image, store.Invalid, []string{"60000×60000"}},
		{"GIF with too many frames", "a.gif", gifClaiming(10, 10, MaxFrames+1), Image, store.Invalid, []string{"201 frames", "the limit is 200"}},
		{"GIF with too many pixels over its frames", "a.gif", gifClaiming(4000, 4000, 3), Image, store.Invalid, []string{"48000000 pixels", "32 megapixels"}},
		{"animated WebP", "a.webp", animatedWebP(), Image, store.UnsupportedType, []string{"animated WebP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Check(tt.filename, tt.data, tt.kind)
			if err == nil {
				t.Fatalf("Check(%q) accepted it as %s, want %s", tt.filename, f.Name, tt.code)
			}
			wantError(t, err, tt.code, tt.parts...)
		})
	}
}

func corrupt(b []byte, i int) []byte {
	c := append([]byte{}, b...)
	c[i] ^= 0xff
	return c
}

// jpegBomb is a small JPEG whose frame header claims w×h pixels.
func jpegBomb(t testing.TB, w, h int) []byte {
	j := jpegOf(t, gradient(8, 8))
	c := append([]byte{}, j...)
	for i := 2; i+9 < len(c); {
		if c[i] != 0xff {
			break
		}
		n := int(binary.BigEndian.Uint16(c[i+2:]))
		if c[i+1] == 0xc0 { // SOF0: length, precision, height, width
			binary.BigEndian.PutUint16(c[i+5:], uint16(h))
			binary.BigEndian.PutUint16(c[i+7:], uint16(w))
			return c
		}
		i += 2 + n
	}
	t.Fatal("no SOF0 in the JPEG fixture")
	return nil
}

// animatedWebP is a WebP with a VP8X header whose animation flag is set.
func animatedWebP() []byte {
	vp8x := []byte("VP8X")
	vp8x = append(vp8x, le32(10)...)
	vp8x = append(vp8x, 0x02, 0, 0, 0, 9, 0, 0, 9, 0, 0) // animation; 10×10
	anim := append([]byte("ANIM"), le32(6)...)
	anim = append(anim, 0, 0, 0, 0, 0, 0)
	body := append(append([]byte("WEBP"), vp8x...), anim...)
	return append(append([]byte("RIFF"), le32(len(body))...), body...)
}

// TestBombIsNotDecoded checks that refusing an image whose header claims
// a huge canvas allocates next to nothing: its pixels were never decoded.
func TestBombIsNotDecoded(t *testing.T) {
	bombs := map[string][]byte{
		"png":          bombPNG(50000, 50000),
		"png at limit": bombPNG(4096, 4096),
		"webp":         webpOf(16384, 16384, color.NRGBA{}),
		"jpeg":         jpegBomb(t, 60000, 60000),
		"gif frames":   gifClaiming(4000, 4000, 3),
	}
	for name, data := range bombs {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := Check("bomb", data, Image)
			runtime.ReadMemStats(&after)
			wantError(t, err, store.Invalid, "bomb")
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("refusing it allocated %d bytes, want under 1 MiB: the pixels were decoded", n)
			}
		})
	}
}

func TestAnimationSurvives(t *testing.T) {
	in := animation()
	in.LoopCount = 3
	f, err := Check("a.gif", gifOf(t, in), Image)
	if err != nil {
		t.Fatal(err)
	}
	out, err := gif.DecodeAll(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(out.Image), 3; got != want {
		t.Fatalf("frames = %d, want %d", got, want)
	}
	for i := range out.Image {
		if got, want := out.Delay[i], in.Delay[i]; got != want {
			t.Errorf("frame %d: delay = %d, want %d", i, got, want)
		}
		if got, want := out.Disposal[i], in.Disposal[i]; got != want {
			t.Errorf("frame %d: disposal = %d, want %d", i, got, want)
		}
		if !bytes.Equal(out.Image[i].Pix, in.Image[i].Pix) {
			t.Errorf("frame %d: pixels changed", i)
		}
	}
	if out.LoopCount != in.LoopCount {
		t.Errorf("loop count = %d, want %d", out.LoopCount, in.LoopCount)
	}
}

func TestWebPPixels(t *testing.T) {
	c := color.NRGBA{200, 100, 50, 255}
	f, err := Check("a.webp", webpOf(7, 5, c), Image)
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := color.NRGBAModel.Convert(m.At(6, 4)); got != c {
		t.Errorf("pixel = %v, want %v", got, c)
	}
}

// TestPolyglotStripped checks that markup hidden in an image's metadata or
// appended after it is not in what is stored.
func TestPolyglotStripped(t *testing.T) {
	html := "<html><body>" + script + "</body></html>"
	jpegData := jpegOf(t, gradient(16, 16))
	pngData := pngOf(t, gradient(16, 16))
	gifData := gifOf(t, animation())
	tests := []struct {
		name string
		data []byte
		ext  string
	}{
		{"JPEG with HTML appended", append(append([]byte{}, jpegData...), html...), "jpg"},
		{"JPEG with a script comment", jpegSegment(jpegData, 0xfe, []byte(script)), "jpg"},
		{"JPEG with a script in APP1", jpegSegment(jpegData, 0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00"+script)), "jpg"},
		{"GIF with HTML appended", append(append([]byte{}, gifData...), html...), "gif"},
		{"GIF with a script comment", gifComment(gifData, script), "gif"},
		{"PNG with HTML appended", append(append([]byte{}, pngData...), html...), "png"},
		{"PNG with a script text chunk", insertPNGChunk(pngData, pngChunk("tEXt", []byte("Comment\x00"+script))), "png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(tt.data, []byte("<script")) {
				t.Fatal("the fixture holds no script")
			}
			f, err := Check("x."+tt.ext, tt.data, Image)
			if err != nil {
				t.Fatalf("Check = %v, want it accepted", err)
			}
			if !strings.HasSuffix(f.Name, "."+tt.ext) {
				t.Errorf("name = %s, want extension .%s", f.Name, tt.ext)
			}
			for _, bad := range []string{"<script", "<html", "alert("} {
				if bytes.Contains(bytes.ToLower(f.Data), []byte(bad)) {
					t.Errorf("the stored bytes still hold %q", bad)
				}
			}
		})
	}
}

// TestOrientation checks that a JPEG whose EXIF says it is turned is
// stored upright, since the tag is dropped.
func TestOrientation(t *testing.T) {
	// 16×8: left half white, right half black.
	m := image.NewGray(image.Rect(0, 0, 16, 8))
	for y := range 8 {
		for x := range 8 {
			m.SetGray(x, y, color.Gray{255})
		}
	}
	j := jpegOf(t, m)
	tests := []struct {
		orientation    uint16
		w, h           int
		whiteX, whiteY int // a pixel that must be white
		blackX, blackY int // and one that must be black
	}{
		{1, 16, 8, 2, 4, 13, 4},
		{2, 16, 8, 13, 4, 2, 4}, // mirrored: white on the right
		{3, 16, 8, 13, 4, 2, 4}, // upside down
		{6, 8, 16, 4, 2, 4, 13}, // turned clockwise: white on top
		{8, 8, 16, 4, 13, 4, 2}, // turned counter-clockwise: white below
		{5, 8, 16, 4, 2, 4, 13}, // transposed
		{7, 8, 16, 4, 13, 4, 2}, // transversed
		{9, 16, 8, 2, 4, 13, 4}, // out of range: ignored
	}
	for _, tt := range tests {
		f, err := Check("turned.jpg", jpegSegment(j, 0xe1, exif(tt.orientation)), Image)
		if err != nil {
			t.Fatalf("orientation %d: %v", tt.orientation, err)
		}
		out, err := jpeg.Decode(bytes.NewReader(f.Data))
		if err != nil {
			t.Fatal(err)
		}
		if b := out.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h || f.Width != tt.w || f.Height != tt.h {
			t.Errorf("orientation %d: size = %v (File %d×%d), want %d×%d", tt.orientation, b.Size(), f.Width, f.Height, tt.w, tt.h)
			continue
		}
		if y := color.GrayModel.Convert(out.At(tt.whiteX, tt.whiteY)).(color.Gray).Y; y < 200 {
			t.Errorf("orientation %d: pixel (%d,%d) = %d, want white", tt.orientation, tt.whiteX, tt.whiteY, y)
		}
		if y := color.GrayModel.Convert(out.At(tt.blackX, tt.blackY)).(color.Gray).Y; y > 55 {
			t.Errorf("orientation %d: pixel (%d,%d) = %d, want black", tt.orientation, tt.blackX, tt.blackY, y)
		}
	}
}

// TestHostileFilename checks that an uploader's name cannot forge log
// lines or markup through a message.
func TestHostileFilename(t *testing.T) {
	name := "x\n2025/01/01 admin logged in\r\x1b[31m\"" + script + strings.Repeat("é", 100) + ".png"
	_, err := Check(name, []byte("<html>"), Image)
	wantError(t, err, store.UnsupportedType)
	msg := store.ErrorMessage(err)
	for _, bad := range []string{"\n", "\r", "\x1b", strings.Repeat("é", 60)} {
		if strings.Contains(msg, bad) {
			t.Errorf("message %q holds %q", msg, bad)
		}
	}
	if !strings.Contains(msg, "…") {
		t.Errorf("message %q does not show the name was shortened", msg)
	}
	if got := quote("a.png"); got != `"a.png"` {
		t.Errorf(`quote("a.png") = %s, want "a.png" quoted`, got)
	}
	if got := quote(""); got != "the file" {
		t.Errorf(`quote("") = %s, want "the file"`, got)
	}
}

func TestValidName(t *testing.T) {
	hash := strings.Repeat("0123456789abcdef", 4)
	tests := []struct {
		name string
		want bool
	}{
		{hash + ".png", true},
		{hash + ".jpg", true},
		{hash + ".gif", true},
		{hash + ".pdf", true},
		{hash + ".zip", true},
		{hash + ".docx", true},
		{hash + ".xlsx", true},
		{hash + ".pptx", true},
		{hash + ".odt", true},
		{hash + ".ods", true},
		{hash + ".txt", true},
		{hash + ".webp", false},
		{hash + ".svg", false},
		{hash + ".html", false},
		{hash + ".PNG", false},
		{strings.ToUpper(hash) + ".png", false},
		{hash[:63] + ".png", false},
		{hash + "0.png", false},
		{hash + ".png/", false},
		{"../" + hash[3:] + ".png", false},
		{hash, false},
		{hash + ".", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidName(tt.name); got != tt.want {
			t.Errorf("ValidName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestContentTypeOf(t *testing.T) {
	tests := map[string]string{
		"x.png":  "image/png",
		"x.jpg":  "image/jpeg",
		"x.gif":  "image/gif",
		"x.pdf":  "application/pdf",
		"x.zip":  "application/zip",
		"x.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"x.txt":  "text/plain; charset=utf-8",
		"x.svg":  "application/octet-stream",
		"x.html": "application/octet-stream",
		"x":      "application/octet-stream",
	}
	for name, want := range tests {
		if got := ContentTypeOf(name); got != want {
			t.Errorf("ContentTypeOf(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestUnknownKind(t *testing.T) {
	_, err := Check("a.png", pngOf(t, gradient(2, 2)), Kind(7))
	wantError(t, err, store.Internal, "kind")
}

// FuzzCheck checks that Check never panics, that every error is a coded
// *store.Error, and that whatever it accepts it accepts again, under the
// same name (a JPEG, re-encoded lossily, keeps its type and size).
func FuzzCheck(f *testing.F) {
	f.Add("a.png", pngOf(f, gradient(3, 2)), false)
	f.Add("a.jpg", jpegOf(f, gradient(9, 9)), false)
	f.Add("a.gif", gifOf(f, animation()), false)
	f.Add("a.webp", webpOf(3, 3, color.NRGBA{1, 2, 3, 4}), false)
	f.Add("b.png", bombPNG(50000, 50000), false)
	f.Add("a.gif", gifClaiming(40, 40, 3), false)
	f.Add("a.svg", []byte(`<?xml version="1.0"?><svg>`+script+`</svg>`), true)
	f.Add("a.pdf", []byte("%PDF-1.4\n%%EOF"), true)
	f.Add("a.docx", zipOf(f, map[string]string{"a": "b"}), true)
	f.Add("a.txt", []byte("hello\n"), true)
	f.Add("a.html", []byte("<!doctype html><p>x"), true)
	f.Fuzz(func(t *testing.T, filename string, data []byte, any bool) {
		kind := Image
		if any {
			kind = Any
		}
		file, err := Check(filename, data, kind)
		if err != nil {
			switch c := store.ErrorCode(err); c {
			case store.TooLarge, store.UnsupportedType, store.Invalid:
			default:
				t.Fatalf("error %v has code %s", err, c)
			}
			return
		}
		sum := sha256.Sum256(file.Data)
		if !ValidName(file.Name) || !strings.HasPrefix(file.Name, hex.EncodeToString(sum[:])+".") {
			t.Fatalf("name %s is not the SHA-256 of the data", file.Name)
		}
		if file.ContentType != ContentTypeOf(file.Name) {
			t.Fatalf("content type %s for %s", file.ContentType, file.Name)
		}
		again, err := Check(file.Name, file.Data, kind)
		if err != nil {
			t.Fatalf("output %s refused when checked again: %v", file.Name, err)
		}
		if strings.HasSuffix(file.Name, ".jpg") {
			if !strings.HasSuffix(again.Name, ".jpg") || again.Width != file.Width || again.Height != file.Height {
				t.Fatalf("JPEG %s (%d×%d) checked again is %s (%d×%d)", file.Name, file.Width, file.Height, again.Name, again.Width, again.Height)
			}
			return
		}
		if again.Name != file.Name {
			t.Fatalf("output %s checked again is named %s", file.Name, again.Name)
		}
	})
}
