// Command easyjsonfix post-processes easyjson's generated code so that it
// imports only easyjson's jlexer and jwriter packages.
//
// easyjson always emits imports of its root package and of encoding/json,
// kept alive by blank "suppress unused package" variables. The root package
// imports net/http, which adds about 1.8 MB to the wasm binary, and the
// runtime needs neither. This tool removes those imports and blank
// variables and fails if the generated code really uses either package, so a
// regenerated file can never silently bring them back.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"regexp"
)

var dropLines = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^\s*easyjson "github\.com/mailru/easyjson"\n`),
	regexp.MustCompile(`(?m)^\s*json "encoding/json"\n`),
	regexp.MustCompile(`(?m)^\s*_ \*json\.RawMessage\n`),
	regexp.MustCompile(`(?m)^\s*_ easyjson\.Marshaler\n`),
}

var stillUsed = regexp.MustCompile(`\b(easyjson|json)\.[A-Z]`)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: easyjsonfix FILE.go")
		os.Exit(2)
	}
	if err := fix(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "easyjsonfix:", err)
		os.Exit(1)
	}
}

func fix(name string) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	for _, re := range dropLines {
		src = re.ReplaceAll(src, nil)
	}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("//")) {
			continue
		}
		if m := stillUsed.Find(line); m != nil {
			return fmt.Errorf("%s:%d: generated code still uses %q; give the type a jlexer/jwriter method instead", name, i+1, m)
		}
	}
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return os.WriteFile(name, out, 0o644)
}
