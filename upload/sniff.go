package upload

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"net/http"
	"unicode/utf8"
)

// sniffed is what the bytes of an upload say it is.
type sniffed struct {
	image  bool   // one of the accepted image formats
	format string // for an image: png, jpeg, gif, webp
	ext    string // for an accepted file: pdf, zip, txt
	name   string // for messages: "PNG", "PDF document", "HTML document", …
	svg    bool
}

// sniff recognizes data by its leading bytes and, for text, its content.
func sniff(data []byte) sniffed {
	has := func(prefix string) bool { return bytes.HasPrefix(data, []byte(prefix)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return sniffed{image: true, format: "png", name: "PNG"}
	case has("\xff\xd8\xff"):
		return sniffed{image: true, format: "jpeg", name: "JPEG"}
	case has("GIF87a"), has("GIF89a"):
		return sniffed{image: true, format: "gif", name: "GIF"}
	case has("RIFF") && len(data) >= 12 && string(data[8:12]) == "WEBP":
		return sniffed{image: true, format: "webp", name: "WebP"}
	case has("%PDF-"):
		return sniffed{ext: "pdf", name: "PDF document"}
	case has("PK\x03\x04"):
		return sniffed{ext: "zip", name: "ZIP archive"}
	}
	if t := binaryType(data); t != "" {
		return sniffed{name: t}
	}
	if !utf8.Valid(data) {
		return sniffed{name: textName(data)}
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r' && c != 0x1b {
			return sniffed{name: "binary file"}
		}
		if c == 0x7f {
			return sniffed{name: "binary file"}
		}
	}
	if m := markup(data); m != "" {
		return sniffed{name: m, svg: m == "SVG image"}
	}
	return sniffed{ext: "txt", name: "text file"}
}

// binaryType names a few well-known refused formats by their magic bytes,
// so a message can say what was uploaded.
func binaryType(data []byte) string {
	has := func(prefix string) bool { return bytes.HasPrefix(data, []byte(prefix)) }
	switch {
	case has("\x7fELF"):
		return "ELF executable"
	case has("MZ"):
		return "Windows executable"
	case has("\xfe\xed\xfa\xce"), has("\xfe\xed\xfa\xcf"), has("\xce\xfa\xed\xfe"), has("\xcf\xfa\xed\xfe"), has("\xca\xfe\xba\xbe"):
		return "Mach-O executable"
	case has("#!"):
		return "script"
	case has("BM"):
		return "BMP image"
	case has("II*\x00"), has("MM\x00*"):
		return "TIFF image"
	case has("\x00\x00\x01\x00"):
		return "ICO image"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "avif", "avis":
			return "AVIF image"
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "HEIC image"
		}
		return "video or ISO media file"
	case has("PK\x05\x06"), has("PK\x07\x08"):
		return "empty or split ZIP archive"
	case has("\x1f\x8b"):
		return "gzip archive"
	case has("Rar!"):
		return "RAR archive"
	case has("7z\xbc\xaf\x27\x1c"):
		return "7-Zip archive"
	case has("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
		return "legacy Microsoft Office document"
	case has("\x00asm"):
		return "WebAssembly module"
	case has("RIFF"):
		return "RIFF file (audio or video)"
	}
	return ""
}

// textName names data that is not UTF-8 text, using net/http's sniffing.
func textName(data []byte) string {
	switch ct := http.DetectContentType(data); ct {
	case "application/octet-stream":
		return "binary file"
	case "text/plain; charset=utf-16be", "text/plain; charset=utf-16le":
		return "UTF-16 text file (only UTF-8 text is accepted)"
	default:
		return "file of type " + ct
	}
}

// markup names UTF-8 data that is (or starts like) markup a browser might
// render — SVG, XML, HTML — or "" for plain text. It skips a byte-order
// mark, white space, comments, processing instructions and a doctype
// before looking at the first element, and then looks for a few dangerous
// tags anywhere in the first KiB, as browsers that sniff used to.
func markup(data []byte) string {
	s := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	xml := false
	for {
		s = bytes.TrimLeft(s, " \t\r\n\f\v")
		switch {
		case hasFold(s, "<!--"):
			i := bytes.Index(s[4:], []byte("-->"))
			if i < 0 {
				return "HTML or XML document"
			}
			s = s[4+i+3:]
			continue
		case hasFold(s, "<?xml"):
			xml = true
			fallthrough
		case hasFold(s, "<?"):
			i := bytes.Index(s, []byte("?>"))
			if i < 0 {
				return "XML document"
			}
			s = s[i+2:]
			continue
		case hasFold(s, "<!doctype"):
			i := bytes.IndexByte(s, '>')
			if i < 0 || bytes.Contains(bytes.ToLower(s[:i]), []byte("svg")) {
				return "SVG image"
			}
			if !bytes.Contains(bytes.ToLower(s[:i]), []byte("html")) {
				xml = true
			}
			s = s[i+1:]
			continue
		}
		break
	}
	if hasFold(s, "<svg") || (len(s) > 4 && s[0] == '<' && bytes.Contains(bytes.ToLower(s[:min(len(s), 1024)]), []byte("<svg"))) {
		return "SVG image"
	}
	if len(s) > 1 && s[0] == '<' && isTagStart(s[1]) {
		if xml {
			return "XML document"
		}
		return "HTML document"
	}
	if xml {
		return "XML document"
	}
	if ct := http.DetectContentType(data); ct == "text/html; charset=utf-8" || ct == "text/xml; charset=utf-8" {
		return "HTML document"
	}
	head := bytes.ToLower(data[:min(len(data), 1024)])
	if bytes.Contains(head, []byte("<svg")) {
		return "SVG image"
	}
	for _, tag := range []string{"<script", "<html", "<iframe", "<body", "<head", "<object", "<embed", "<meta", "<link", "<style", "<img", "<a href", "<form"} {
		if bytes.Contains(head, []byte(tag)) {
			return "HTML document"
		}
	}
	return ""
}

func isTagStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '!' || c == '?' || c == '/'
}

// hasFold reports whether s starts with prefix, ignoring ASCII case.
func hasFold(s []byte, prefix string) bool {
	return len(s) >= len(prefix) && bytes.EqualFold(s[:len(prefix)], []byte(prefix))
}

// webpAnimated reports whether a WebP's VP8X header has its animation flag.
func webpAnimated(data []byte) bool {
	return len(data) >= 21 && string(data[12:16]) == "VP8X" && data[20]&0x02 != 0
}

// gifFrames walks a GIF's blocks, without decoding any, and returns how
// many frames it has and the sum of their areas. It stops quietly at
// anything malformed, which decoding then reports.
func gifFrames(data []byte) (frames, pixels int) {
	if len(data) < 13 {
		return 0, 0
	}
	i := 13
	if data[10]&0x80 != 0 {
		i += 3 << (data[10]&7 + 1)
	}
	subBlocks := func() bool {
		for i < len(data) {
			n := int(data[i])
			i += 1 + n
			if n == 0 {
				return true
			}
		}
		return false
	}
	for i < len(data) {
		switch data[i] {
		case 0x21: // extension: label, sub-blocks
			i += 2
			if !subBlocks() {
				return
			}
		case 0x2c: // image descriptor
			if i+10 > len(data) {
				return
			}
			w := int(binary.LittleEndian.Uint16(data[i+5:]))
			h := int(binary.LittleEndian.Uint16(data[i+7:]))
			frames++
			pixels += w * h
			packed := data[i+9]
			i += 10
			if packed&0x80 != 0 {
				i += 3 << (packed&7 + 1)
			}
			i++ // LZW minimum code size
			if !subBlocks() {
				return
			}
		default: // 0x3b, the trailer, or garbage
			return
		}
	}
	return
}

// validZip reports whether data is a readable ZIP archive: its central
// directory parses and lists at least one entry. The entries are not
// decompressed.
func validZip(data []byte) error {
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	if len(r.File) == 0 {
		return errors.New("it holds no files")
	}
	return nil
}
