package distbuild

import (
	"errors"
	"fmt"

	"github.com/triggerwidget/triggerwidget/internal/wasmbin"
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
	secs, err := wasmbin.Sections(wasm)
	if err != nil {
		return nil, err
	}
	var merged []segment
	for _, s := range secs {
		if s.ID == wasmbin.SecData {
			segs, err := parseData(s.Body)
			if err != nil {
				return nil, err
			}
			merged = mergeSegments(segs, maxGap)
		}
	}
	out := make([]wasmbin.Section, len(secs))
	for i, s := range secs {
		switch s.ID {
		case wasmbin.SecData:
			s.Body = encodeData(merged)
		case wasmbin.SecDataCount:
			s.Body = wasmbin.AppendULEB(nil, uint64(len(merged)))
		}
		out[i] = s
	}
	return wasmbin.Encode(wasm, out), nil
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
	r := wasmbin.Reader{B: body}
	n := r.ULEB()
	segs := make([]segment, 0, n)
	for i := 0; i < n && r.Err == nil; i++ {
		start := r.B
		flags := r.ULEB()
		var s segment
		switch flags {
		case 0: // active, memory 0, offset expression
			if op := r.Byte(); op == 0x41 { // i32.const
				off := r.SLEB()
				if r.Byte() == 0x0b && off >= 0 {
					s.active, s.offset = true, uint64(off)
					break
				}
			}
			return nil, fmt.Errorf("data segment %d: offset is not a constant", i)
		case 1: // passive
		case 2: // active, explicit memory
			r.ULEB()
			for r.Err == nil && r.Byte() != 0x0b {
			}
		default:
			return nil, fmt.Errorf("data segment %d: unknown flags %d", i, flags)
		}
		s.data = r.Take(r.ULEB())
		s.raw = start[:len(start)-len(r.B)]
		segs = append(segs, s)
	}
	if r.Err != nil {
		return nil, r.Err
	}
	if len(r.B) != 0 {
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
	b := wasmbin.AppendULEB(nil, uint64(len(segs)))
	for _, s := range segs {
		if !s.active {
			b = append(b, s.raw...)
			continue
		}
		b = append(b, 0, 0x41)
		b = wasmbin.AppendSLEB(b, int64(s.offset))
		b = append(b, 0x0b)
		b = wasmbin.AppendULEB(b, uint64(len(s.data)))
		b = append(b, s.data...)
	}
	return b
}
