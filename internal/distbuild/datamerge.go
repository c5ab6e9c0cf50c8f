package distbuild

import (
	"bytes"
	"errors"
	"fmt"
)

// MergeDataGap is the longest run of zero bytes MergeDataSegments fills in
// to join two data segments. Go's linker starts a new segment at every run
// of zeros longer than a segment's header (a few bytes), which gives the
// widget tens of thousands of segments; each header is a few bytes brotli
// cannot squeeze, where the zeros that replace it cost almost nothing.
const MergeDataGap = 64

// MergeDataSegments rewrites a WebAssembly module so that active data
// segments of memory 0 that follow each other with at most maxGap bytes
// between them become one segment, the gap filled with zeros (what the
// memory holds there anyway). Segments are only joined in the order they
// are applied and never across an overlap, so the memory image the module
// starts with is unchanged. The data count section, if any, is updated.
func MergeDataSegments(wasm []byte, maxGap int) ([]byte, error) {
	secs, err := sections(wasm)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(wasm[:8])
	var count = -1
	for _, s := range secs {
		body := s.body
		if s.id == secData {
			segs, err := parseData(body)
			if err != nil {
				return nil, err
			}
			segs = mergeSegments(segs, maxGap)
			count = len(segs)
			body = encodeData(segs)
		}
		if s.id == secDataCount && count < 0 {
			// The data count section comes before the data section:
			// write it after merging.
			segs, err := dataOf(secs)
			if err != nil {
				return nil, err
			}
			body = appendULEB(nil, uint64(len(mergeSegments(segs, maxGap))))
		}
		out.WriteByte(s.id)
		out.Write(appendULEB(nil, uint64(len(body))))
		out.Write(body)
	}
	return out.Bytes(), nil
}

const (
	secDataCount = 12
	secData      = 11
)

type section struct {
	id   byte
	body []byte
}

func sections(wasm []byte) ([]section, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("not a WebAssembly module")
	}
	var secs []section
	r := wasmReader{b: wasm[8:]}
	for len(r.b) > 0 {
		id := r.byte()
		n := r.uleb()
		body := r.take(n)
		if r.err != nil {
			return nil, r.err
		}
		secs = append(secs, section{id, body})
	}
	return secs, nil
}

func dataOf(secs []section) ([]segment, error) {
	for _, s := range secs {
		if s.id == secData {
			return parseData(s.body)
		}
	}
	return nil, nil
}

// segment is one entry of the data section. Only active segments of
// memory 0 at a constant offset (flags 0, i32.const) are merged; others
// keep their encoding in raw.
type segment struct {
	active bool
	offset uint64
	data   []byte
	raw    []byte // the whole entry, for the others
}

func parseData(body []byte) ([]segment, error) {
	r := wasmReader{b: body}
	n := r.uleb()
	segs := make([]segment, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		start := r.b
		flags := r.uleb()
		var s segment
		switch flags {
		case 0: // active, memory 0, offset expression
			if op := r.byte(); op == 0x41 { // i32.const
				off := r.sleb()
				if r.byte() == 0x0b && off >= 0 {
					s.active, s.offset = true, uint64(off)
					break
				}
			}
			return nil, fmt.Errorf("data segment %d: offset is not a constant", i)
		case 1: // passive
		case 2: // active, explicit memory
			r.uleb()
			for r.err == nil && r.byte() != 0x0b {
			}
		default:
			return nil, fmt.Errorf("data segment %d: unknown flags %d", i, flags)
		}
		s.data = r.take(r.uleb())
		s.raw = start[:len(start)-len(r.b)]
		segs = append(segs, s)
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errors.New("data section has bytes after its segments")
	}
	return segs, nil
}

func mergeSegments(segs []segment, maxGap int) []segment {
	var out []segment
	for _, s := range segs {
		if n := len(out); n > 0 && s.active && out[n-1].active {
			last := &out[n-1]
			end := last.offset + uint64(len(last.data))
			if s.offset >= end && s.offset-end <= uint64(maxGap) {
				data := make([]byte, 0, int(s.offset-last.offset)+len(s.data))
				data = append(data, last.data...)
				data = append(data, make([]byte, s.offset-end)...)
				last.data = append(data, s.data...)
				last.raw = nil
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

func encodeData(segs []segment) []byte {
	b := appendULEB(nil, uint64(len(segs)))
	for _, s := range segs {
		if !s.active {
			b = append(b, s.raw...)
			continue
		}
		b = append(b, 0, 0x41)
		b = appendSLEB(b, int64(s.offset))
		b = append(b, 0x0b)
		b = appendULEB(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}

type wasmReader struct {
	b   []byte
	err error
}

func (r *wasmReader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *wasmReader) fail() {
	if r.err == nil {
		r.err = errors.New("unexpected end of the module")
	}
	r.b = nil
}

func (r *wasmReader) uleb() int {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return int(v)
		}
	}
	r.fail()
	return 0
}

func (r *wasmReader) sleb() int64 {
	var v int64
	shift := 0
	for shift < 64 {
		c := r.byte()
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v
		}
	}
	r.fail()
	return 0
}

func (r *wasmReader) take(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail()
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func appendULEB(b []byte, v uint64) []byte {
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

func appendSLEB(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
