// Package wasmsym reads the function names and code sizes of a WebAssembly
// module from its "name" section, to tell which Go packages a wasm binary
// really links (not merely imports). The build, the dependency test and the
// size benchmark use it. Build the binary without -ldflags=-s to keep the
// name section.
package wasmsym

import (
	"errors"
	"strings"

	"github.com/triggerwidget/triggerwidget/internal/wasmbin"
)

// Func is one function of the module.
type Func struct {
	Name string
	Size int // bytes of its code body
}

// Funcs returns the module's defined functions with their names.
func Funcs(wasm []byte) ([]Func, error) {
	secs, err := wasmbin.Sections(wasm)
	if err != nil {
		return nil, err
	}
	var imported int
	var sizes []int
	names := map[int]string{}
	for _, s := range secs {
		body := wasmbin.Reader{B: s.Body}
		switch s.ID {
		case wasmbin.SecImport:
			for n := body.ULEB(); n > 0; n-- {
				body.Name()
				body.Name()
				switch kind := body.Byte(); kind {
				case 0:
					body.ULEB()
					imported++
				case 1: // table
					body.Byte()
					body.Limits()
				case 2: // memory
					body.Limits()
				case 3: // global
					body.Byte()
					body.Byte()
				}
			}
		case wasmbin.SecCode:
			for n := body.ULEB(); n > 0; n-- {
				sz := body.ULEB()
				body.Take(sz)
				sizes = append(sizes, sz)
			}
		case wasmbin.SecCustom:
			if body.Name() != "name" {
				continue
			}
			for !body.Done() {
				sub := body.Byte()
				sb := wasmbin.Reader{B: body.Take(body.ULEB())}
				if sub != 1 {
					continue
				}
				for n := sb.ULEB(); n > 0; n-- {
					idx := sb.ULEB()
					names[idx] = sb.Name()
				}
				if sb.Err != nil {
					return nil, sb.Err
				}
			}
		}
		if body.Err != nil {
			return nil, body.Err
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
