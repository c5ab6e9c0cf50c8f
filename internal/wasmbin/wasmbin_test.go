package wasmbin

import (
	"bytes"
	"math"
	"testing"
)

func TestLEB_RoundTrip(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, 63, 64, 127, 128, 8191, -1, -64, -65, -8192, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64} {
		r := Reader{B: AppendSLEB(nil, v)}
		if got := r.SLEB(); got != v || r.Err != nil || len(r.B) != 0 {
			t.Errorf("SLEB of AppendSLEB(%d) = %d, %v, %d bytes left", v, got, r.Err, len(r.B))
		}
	}
	for _, v := range []uint64{0, 1, 127, 128, 16383, 16384, math.MaxUint32} {
		r := Reader{B: AppendULEB(nil, v)}
		if got := r.ULEB(); uint64(got) != v || r.Err != nil || len(r.B) != 0 {
			t.Errorf("ULEB of AppendULEB(%d) = %d, %v, %d bytes left", v, got, r.Err, len(r.B))
		}
	}
}

func TestReader_Errors(t *testing.T) {
	t.Parallel()
	r := Reader{B: []byte{0x80, 0x80}}
	if r.ULEB(); r.Err == nil {
		t.Error("a truncated integer read without an error")
	}
	r = Reader{B: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x01}}
	if r.ULEB(); r.Err == nil {
		t.Error("an integer of more than 32 bits read as a ULEB without an error")
	}
	r = Reader{B: []byte{1, 2}}
	if b := r.Take(3); b != nil || r.Err == nil {
		t.Errorf("Take past the end = %v, %v", b, r.Err)
	}
	if r.Byte() != 0 || !r.Done() {
		t.Error("reads after an error give something")
	}
}

func TestSections(t *testing.T) {
	t.Parallel()
	mod := []byte("\x00asm\x01\x00\x00\x00")
	mod = append(mod, SecCustom, 5, 4, 'n', 'a', 'm', 'e', SecData, 1, 0)
	secs, err := Sections(mod)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 2 || secs[0].ID != SecCustom || secs[1].ID != SecData || !bytes.Equal(secs[1].Body, []byte{0}) {
		t.Fatalf("Sections = %+v", secs)
	}
	if out := Encode(mod, secs); !bytes.Equal(out, mod) {
		t.Errorf("Encode(Sections(m)) = %x, want %x", out, mod)
	}
	if _, err := Sections(mod[:len(mod)-1]); err == nil {
		t.Error("a truncated section split without an error")
	}
	if _, err := Sections([]byte("\x7fELF\x02\x01\x01\x00")); err == nil {
		t.Error("a file that is not wasm split without an error")
	}
}
