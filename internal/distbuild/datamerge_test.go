package distbuild

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/triggerwidget/triggerwidget/internal/wasmbin"
)

// module builds a module with a memory, a data count section and the
// given data section entries.
func testModule(entries ...[]byte) []byte {
	m := []byte("\x00asm\x01\x00\x00\x00")
	sec := func(id byte, body []byte) {
		m = append(m, id)
		m = wasmbin.AppendULEB(m, uint64(len(body)))
		m = append(m, body...)
	}
	sec(5, []byte{1, 0, 1})                                                  // one memory, at least one page
	sec(wasmbin.SecDataCount, wasmbin.AppendULEB(nil, uint64(len(entries)))) // data count
	data := wasmbin.AppendULEB(nil, uint64(len(entries)))
	for _, e := range entries {
		data = append(data, e...)
	}
	sec(wasmbin.SecData, data)
	sec(0, append([]byte{4}, "name"...)) // an (empty) custom section after
	return m
}

func active(off int64, s string) []byte {
	b := append([]byte{0, 0x41}, wasmbin.AppendSLEB(nil, off)...)
	b = append(b, 0x0b)
	b = wasmbin.AppendULEB(b, uint64(len(s)))
	return append(b, s...)
}

func passive(s string) []byte {
	b := wasmbin.AppendULEB([]byte{1}, uint64(len(s)))
	return append(b, s...)
}

// image is the memory a module starts with: its active segments applied
// in order.
func image(t *testing.T, wasm []byte) []byte {
	t.Helper()
	secs, err := wasmbin.Sections(wasm)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := dataOf(secs)
	if err != nil {
		t.Fatal(err)
	}
	var mem []byte
	for _, s := range segs {
		if !s.active {
			continue
		}
		if end := int(s.offset) + len(s.data); end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
		}
		copy(mem[s.offset:], s.data)
	}
	return mem
}

// check parses a rewritten module and compares it with the original:
// every section but the data (and data count) sections byte for byte, the
// data count matching the segments, and the same memory image.
func check(t *testing.T, orig, merged []byte) []segment {
	t.Helper()
	a, err := wasmbin.Sections(orig)
	if err != nil {
		t.Fatal(err)
	}
	b, err := wasmbin.Sections(merged)
	if err != nil {
		t.Fatalf("the merged module does not parse: %v", err)
	}
	if len(a) != len(b) {
		t.Fatalf("%d sections, want %d", len(b), len(a))
	}
	segs, err := dataOf(b)
	if err != nil {
		t.Fatalf("the merged data section does not parse: %v", err)
	}
	for i := range a {
		switch {
		case a[i].ID != b[i].ID:
			t.Errorf("section %d is %d, want %d", i, b[i].ID, a[i].ID)
		case a[i].ID == wasmbin.SecDataCount:
			r := wasmbin.Reader{B: b[i].Body}
			if n := r.ULEB(); n != len(segs) || r.Err != nil {
				t.Errorf("data count %d, want %d", n, len(segs))
			}
		case a[i].ID != wasmbin.SecData && !bytes.Equal(a[i].Body, b[i].Body):
			t.Errorf("section %d (id %d) changed", i, a[i].ID)
		}
	}
	if !bytes.Equal(image(t, orig), image(t, merged)) {
		t.Error("the memory image changed")
	}
	return segs
}

func TestMergeDataSegments(t *testing.T) {
	orig := testModule(
		active(0, "ab"),
		active(4, "cd"),    // 2 zero bytes after ab: joined
		active(6, "ef"),    // right after: joined
		active(100, "gh"),  // 92 bytes away: not joined with maxGap 8
		passive("pp"),      // passive: kept as is, and ends the run
		active(102, "ij"),  // would follow gh, but not across the passive one
		active(103, "X"),   // overlaps ij: not joined, so X still wins
		active(200000, ""), // far away, empty
	)
	merged, err := MergeDataSegments(orig, 8)
	if err != nil {
		t.Fatal(err)
	}
	segs := check(t, orig, merged)
	var got []string
	for _, s := range segs {
		got = append(got, string(s.data))
	}
	want := []string{"ab\x00\x00cdef", "gh", "pp", "ij", "X", ""}
	if len(got) != len(want) {
		t.Fatalf("segments %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("segment %d = %q, want %q", i, got[i], want[i])
		}
	}
	if im := image(t, merged); string(im[102:104]) != "iX" {
		t.Errorf("memory at 102 = %q, want the later segment's byte", im[102:104])
	}
	if segs[0].offset != 0 || segs[1].offset != 100 || segs[5].offset != 200000 {
		t.Errorf("offsets %d %d %d", segs[0].offset, segs[1].offset, segs[5].offset)
	}
}

func TestMergeDataSegmentsRefusesWhatItCannotRead(t *testing.T) {
	for name, m := range map[string][]byte{
		"not wasm":          []byte("\x7fELF\x01\x00\x00\x00"),
		"truncated section": testModule(active(0, "ab"))[:20],
		"global offset":     testModule([]byte{0, 0x23, 0, 0x0b, 1, 'a'}), // global.get 0
		"unknown flags":     testModule([]byte{7, 0}),
	} {
		if _, err := MergeDataSegments(m, 64); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// The widget as built: the merged module keeps its memory image, and
// (where Node is installed) V8 accepts it.
func TestMergeDataSegmentsOnTheWidget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the wasm")
	}
	out := filepath.Join(t.TempDir(), "widget.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./cmd/widget")
	cmd.Dir = root(t)
	cmd.Env = WasmEnv(root(t))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	orig, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	merged, err := MergeDataSegments(orig, MergeDataGap)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := dataOf(mustSections(t, orig))
	after := check(t, orig, merged)
	if len(after) >= len(before)/10 {
		t.Errorf("%d segments merged into %d; expected far fewer", len(before), len(after))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node not found: the module was not given to V8")
		return
	}
	name := filepath.Join(t.TempDir(), "merged.wasm")
	if err := os.WriteFile(name, merged, 0o644); err != nil {
		t.Fatal(err)
	}
	v := exec.Command(node, "-e", `const b = require("fs").readFileSync(process.argv[1]); new WebAssembly.Module(b); console.log("ok")`, name)
	if b, err := v.CombinedOutput(); err != nil || string(bytes.TrimSpace(b)) != "ok" {
		t.Fatalf("V8 refuses the merged module: %v\n%s", err, b)
	}
}

func mustSections(t *testing.T, wasm []byte) []wasmbin.Section {
	t.Helper()
	s, err := wasmbin.Sections(wasm)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// dataOf parses the data section of a module's sections.
func dataOf(secs []wasmbin.Section) ([]segment, error) {
	for _, s := range secs {
		if s.ID == wasmbin.SecData {
			return parseData(s.Body)
		}
	}
	return nil, nil
}
