// Package wasmbin reads and writes the parts of the WebAssembly binary
// format the build tools need: a module's sections, and the LEB128
// integers they are made of. Package wasmsym (function names and sizes)
// and the build's data-segment merge (internal/distbuild) are built on it.
package wasmbin

import (
	"bytes"
	"errors"
	"fmt"
)

// Section ids the tools look at.
const (
	SecCustom    = 0
	SecImport    = 2
	SecData      = 11
	SecCode      = 10
	SecDataCount = 12
)

// Header is what every module starts with: the magic number and the
// version.
const headerLen = 8

// Section is one section of a module.
type Section struct {
	ID   byte
	Body []byte
}

// Sections splits a module into its sections, in order.
func Sections(wasm []byte) ([]Section, error) {
	if len(wasm) < headerLen || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("not a WebAssembly module")
	}
	var secs []Section
	r := Reader{B: wasm[headerLen:]}
	for !r.Done() {
		id := r.Byte()
		body := r.Take(r.ULEB())
		if r.Err != nil {
			return nil, r.Err
		}
		secs = append(secs, Section{id, body})
	}
	return secs, nil
}

// Encode writes a module of the header of orig and secs.
func Encode(orig []byte, secs []Section) []byte {
	var out bytes.Buffer
	out.Write(orig[:headerLen])
	for _, s := range secs {
		out.WriteByte(s.ID)
		out.Write(AppendULEB(nil, uint64(len(s.Body))))
		out.Write(s.Body)
	}
	return out.Bytes()
}

// Reader reads a section's contents. The first problem is kept in Err;
// after it, every read returns zero values.
type Reader struct {
	B   []byte
	Err error
}

// Done reports whether everything was read, or reading failed.
func (r *Reader) Done() bool { return len(r.B) == 0 || r.Err != nil }

func (r *Reader) fail(err error) {
	if r.Err == nil {
		r.Err = err
	}
	r.B = nil
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if len(r.B) == 0 {
		r.fail(errors.New("unexpected end of the module"))
		return 0
	}
	c := r.B[0]
	r.B = r.B[1:]
	return c
}

// ULEB reads an unsigned LEB128 integer of at most 32 bits.
func (r *Reader) ULEB() int {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.Byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int(v)
		}
	}
	r.fail(errors.New("integer longer than 32 bits"))
	return 0
}

// SLEB reads a signed LEB128 integer.
func (r *Reader) SLEB() int64 {
	var v int64
	shift := 0
	for shift < 64 {
		c := r.Byte()
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.fail(errors.New("integer longer than 64 bits"))
	return 0
}

// Take reads n bytes.
func (r *Reader) Take(n int) []byte {
	if n < 0 || n > len(r.B) {
		r.fail(fmt.Errorf("%d bytes run past the end", n))
		return nil
	}
	b := r.B[:n]
	r.B = r.B[n:]
	return b
}

// Name reads a length-prefixed name.
func (r *Reader) Name() string { return string(r.Take(r.ULEB())) }

// Limits reads a table's or memory's limits.
func (r *Reader) Limits() {
	if r.Byte()&1 != 0 {
		r.ULEB()
	}
	r.ULEB()
}

// AppendULEB appends v as an unsigned LEB128 integer.
func AppendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			c |= 0x80
		}
		b = append(b, c)
		if v == 0 {
			return b
		}
	}
}

// AppendSLEB appends v as a signed LEB128 integer.
func AppendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
