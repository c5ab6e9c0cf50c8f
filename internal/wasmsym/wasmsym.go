// Package wasmsym reads the function names and code sizes of a WebAssembly
// module from its "name" section, to tell which Go packages a wasm binary
// really links (not merely imports). The build, the dependency test and the
// size benchmark use it. Build the binary without -ldflags=-s to keep the
// name section.
package wasmsym

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Func is one function of the module.
type Func struct {
	Name string
	Size int // bytes of its code body
}

// Funcs returns the module's defined functions with their names.
func Funcs(wasm []byte) ([]Func, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, errors.New("not a WebAssembly module")
	}
	r := reader{b: wasm[8:]}
	var imported int
	var sizes []int
	names := map[int]string{}
	for !r.done() {
		id := r.byte()
		size := int(r.uleb())
		body := reader{b: r.take(size)}
		switch id {
		case 2: // imports
			for n := body.uleb(); n > 0; n-- {
				body.name()
				body.name()
				switch kind := body.byte(); kind {
				case 0:
					body.uleb()
					imported++
				case 1: // table
					body.byte()
					body.limits()
				case 2: // memory
					body.limits()
				case 3: // global
					body.byte()
					body.byte()
				}
			}
		case 10: // code
			for n := body.uleb(); n > 0; n-- {
				sz := int(body.uleb())
				body.take(sz)
				sizes = append(sizes, sz)
			}
		case 0: // custom
			if body.name() != "name" {
				continue
			}
			for !body.done() {
				sub := body.byte()
				sb := reader{b: body.take(int(body.uleb()))}
				if sub != 1 {
					continue
				}
				for n := sb.uleb(); n > 0; n-- {
					idx := int(sb.uleb())
					names[idx] = sb.name()
				}
			}
		}
		if r.err != nil || body.err != nil {
			return nil, errors.Join(r.err, body.err)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("the module has no name section (built with -ldflags=-s?)")
	}
	funcs := make([]Func, len(sizes))
	for i, sz := range sizes {
		funcs[i] = Func{Name: names[imported+i], Size: sz}
	}
	return funcs, nil
}

// Package returns the Go import path a linker symbol belongs to, e.g.
// "encoding/json" for "encoding/json.(*decodeState).object".
func Package(symbol string) string {
	slash := strings.LastIndexByte(symbol, '/')
	dot := strings.IndexByte(symbol[slash+1:], '.')
	if dot < 0 {
		return symbol
	}
	return symbol[:slash+1+dot]
}

// ByPackage sums code sizes per package, largest first.
func ByPackage(funcs []Func) []Func {
	sum := map[string]int{}
	for _, f := range funcs {
		sum[Package(f.Name)] += f.Size
	}
	out := make([]Func, 0, len(sum))
	for p, n := range sum {
		out = append(out, Func{Name: p, Size: n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Size > out[j].Size || out[i].Size == out[j].Size && out[i].Name < out[j].Name
	})
	return out
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) done() bool { return len(r.b) == 0 || r.err != nil }

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errors.New("unexpected end of module")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uleb() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			break
		}
	}
	return v
}

func (r *reader) take(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("section of %d bytes runs past the end", n)
		n = len(r.b)
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

func (r *reader) name() string { return string(r.take(int(r.uleb()))) }

func (r *reader) limits() {
	if r.byte()&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

// Mangle spells an import path or symbol the way the Go wasm linker writes
// it in the name section ('/' and '-' become '_', "(*T)" becomes "__T_").
func Mangle(s string) string {
	r := strings.NewReplacer("/", "_", "-", "_", "(*", "__", ")", "_")
	return r.Replace(s)
}

// InPackage reports whether the linker symbol belongs to what prefix names:
// a package path ("net/http"), or a function or method prefix in it
// ("encoding/json.(*decodeState)"). A package path does not match its
// subpackages: "github.com/mailru/easyjson" does not match jlexer.
func InPackage(symbol, prefix string) bool {
	m := Mangle(prefix)
	for _, s := range []string{symbol, strings.TrimPrefix(strings.TrimPrefix(symbol, "type_.eq."), "type_.hash.")} {
		if !strings.HasPrefix(s, m) {
			continue
		}
		rest := s[len(m):]
		if strings.Contains(prefix[strings.LastIndexByte(prefix, '/')+1:], ".") {
			return true // a symbol prefix
		}
		if strings.HasPrefix(rest, ".") {
			return true
		}
	}
	return false
}
