// Package jsonwrite writes JSON for the encoders easyjson generates in
// package widget and for our hand-written ones. Its Writer has the methods
// and flags that generated code uses, under the names it uses, so the
// generated file only needs its import path changed (internal/easyjsonfix
// does that, and refuses generated code calling a method this package
// lacks).
//
// The output is easyjson's, with one difference: '<', '>' and '&' are
// written as they are, not as \u003c, \u003e and \u0026. Nothing we write
// is embedded in HTML, and saved visit state would otherwise grow six
// bytes for every such character a visitor or a trigger message has.
//
// The small methods generated code calls at hundreds of places (RawByte,
// RawString, Int, Int64, Bool) are kept out of line (go:noinline):
// inlined, each call site got its own copy of append's growth path, 15 KB
// brotli of wasm in all.
package jsonwrite

import (
	"strconv"
	"unicode/utf8"
)

// Flags change how generated code writes nil slices and maps.
type Flags int

const (
	NilMapAsEmpty   Flags = 1 << iota // a nil map is written {} (else null)
	NilSliceAsEmpty                   // a nil slice is written [] (else null)
)

// Writer collects JSON text. The zero value is ready.
type Writer struct {
	Flags Flags
	// Error is the first error handed to Raw; BuildBytes returns it.
	Error error
	buf   []byte
}

// BuildBytes returns what was written, or the first error.
func (w *Writer) BuildBytes() ([]byte, error) {
	if w.Error != nil {
		return nil, w.Error
	}
	return w.buf, nil
}

// Reset starts the writer afresh, writing into buf's storage (from its
// start), so that a caller encoding again and again can reuse one buffer
// instead of growing a new one each time.
func (w *Writer) Reset(buf []byte) {
	w.Error = nil
	w.buf = buf[:0]
}

// RawByte appends c as it is.
//
//go:noinline
func (w *Writer) RawByte(c byte) { w.buf = append(w.buf, c) }

// RawString appends s as it is.
//
//go:noinline
func (w *Writer) RawString(s string) { w.buf = append(w.buf, s...) }

// Raw appends data, a JSON value, as it is (null when empty), or records
// err.
func (w *Writer) Raw(data []byte, err error) {
	switch {
	case w.Error != nil:
	case err != nil:
		w.Error = err
	case len(data) == 0:
		w.buf = append(w.buf, "null"...)
	default:
		w.buf = append(w.buf, data...)
	}
}

// Int writes n.
//
//go:noinline
func (w *Writer) Int(n int) { w.buf = strconv.AppendInt(w.buf, int64(n), 10) }

// Int64 writes n.
//
//go:noinline
func (w *Writer) Int64(n int64) { w.buf = strconv.AppendInt(w.buf, n, 10) }

// Bool writes true or false.
//
//go:noinline
func (w *Writer) Bool(v bool) { w.buf = strconv.AppendBool(w.buf, v) }

const hexDigits = "0123456789abcdef"

// String writes s as a JSON string. Quotes, backslashes and control
// characters are escaped, U+2028 and U+2029 too (JavaScript source once
// could not hold them), and each byte that is not UTF-8 becomes \ufffd.
func (w *Writer) String(s string) {
	b := append(w.buf, '"')
	from := 0 // start of the run not yet copied
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[from:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			from = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[from:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[from:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		from = i
	}
	b = append(b, s[from:]...)
	w.buf = append(b, '"')
}
