// Command easyjsonfix runs easyjson's generator on a package and makes its
// output use our own JSON lexer and writer (internal/jsonlex,
// internal/jsonwrite) instead of easyjson's, so that the wasm runtime links
// nothing of easyjson: its writer imports net, its lexer encoding/json.
//
//	go run ../internal/easyjsonfix [easyjson flags] -output_filename FILE.go DIR
//
// It runs the easyjson version go.mod pins (`go tool easyjson`), then
// rewrites the generated file: easyjson's jlexer and jwriter imports point
// at our packages under the same names, and the root package and
// encoding/json imports go with their blank "unused" variables. It fails if
// the generated code still uses easyjson's root package or encoding/json,
// or calls a method, field or name that our packages do not have, so a
// newer easyjson or a new field type can never silently bring them back or
// break the build later.
//
// It also moves the longer cases of each generated decoder's switch over
// field names into functions of their own (see outline).
//
// Generation works from any state of the generated file (see generate).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	module   = "github.com/triggerwidget/triggerwidget"
	ourLexer = module + "/internal/jsonlex"
	ourWrite = module + "/internal/jsonwrite"
)

var dropLines = []*regexp.Regexp{
	regexp.MustCompile(`(?m)^\s*easyjson "github\.com/mailru/easyjson"\n`),
	regexp.MustCompile(`(?m)^\s*json "encoding/json"\n`),
	regexp.MustCompile(`(?m)^\s*_ \*json\.RawMessage\n`),
	regexp.MustCompile(`(?m)^\s*_ easyjson\.Marshaler\n`),
}

var replaceImports = []struct{ from, to string }{
	{`jlexer "github.com/mailru/easyjson/jlexer"`, `jlexer "` + ourLexer + `"`},
	{`jwriter "github.com/mailru/easyjson/jwriter"`, `jwriter "` + ourWrite + `"`},
}

var stillUsed = regexp.MustCompile(`\b(easyjson|json)\.[A-Z]`)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "easyjsonfix:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	out, dir := "", ""
	for i, a := range args {
		if a == "-output_filename" && i+1 < len(args) {
			out = args[i+1]
		}
	}
	if len(args) > 0 {
		dir = args[len(args)-1]
	}
	if out == "" || dir == "" || strings.HasPrefix(dir, "-") {
		return errors.New("usage: easyjsonfix [easyjson flags] -output_filename FILE.go DIR")
	}
	out = filepath.Join(dir, out)
	root, err := findRoot(dir)
	if err != nil {
		return err
	}
	// A failed generation leaves easyjson's stub behind: put back what was
	// there.
	before, err := os.ReadFile(out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := generate(args, dir, out); err != nil {
		if before != nil {
			_ = os.WriteFile(out, before, 0o644)
		}
		return err
	}
	api, err := loadAPI(root)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	fixed, err := fix(out, src, api)
	if err != nil {
		if before != nil {
			_ = os.WriteFile(out, before, 0o644)
		}
		return err
	}
	return os.WriteFile(out, fixed, 0o644)
}

// generate runs the pinned easyjson. While it generates, easyjson compiles
// the package with stub methods taking its own lexer and writer, and looks
// by reflection for types (RawJSON) that decode and encode themselves with
// them; so for that build only, every file of the package that imports our
// packages is handed to the compiler importing easyjson's under the same
// names (a go build -overlay). Ours have a subset of their methods, with the
// same signatures, so the package compiles either way.
func generate(args []string, dir, out string) error {
	tmp, err := os.MkdirTemp("", "easyjsonfix")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	replace := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		path := filepath.Join(dir, n)
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") || path == filepath.Clean(out) {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		swapped := src
		for _, r := range replaceImports {
			swapped = bytes.ReplaceAll(swapped, []byte(r.to), []byte(r.from))
		}
		if bytes.Equal(swapped, src) {
			continue
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		copyPath := filepath.Join(tmp, n)
		if err := os.WriteFile(copyPath, swapped, 0o644); err != nil {
			return err
		}
		replace[abs] = copyPath
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": replace})
	overlayFile := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return err
	}
	if strings.ContainsAny(overlayFile, " \t'\"") {
		return fmt.Errorf("the temporary directory %q has a space or quote, which easyjson's -gen_build_flags cannot pass", tmp)
	}
	cmdArgs := append([]string{"tool", "easyjson", "-gen_build_flags=-overlay=" + overlayFile}, args...)
	cmd := exec.Command("go", cmdArgs...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go tool easyjson: %v", err)
	}
	return nil
}

func findRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above " + dir)
		}
		dir = parent
	}
}

// api is what our two packages offer generated code: per package name
// (jlexer, jwriter) the exported top-level names, and per type the
// methods and fields.
type api struct {
	names   map[string]map[string]bool // "jlexer" -> {"Lexer", ...}
	members map[string]map[string]bool // "jlexer.Lexer" -> {"Delim", ...}
}

func loadAPI(root string) (*api, error) {
	a := &api{names: map[string]map[string]bool{}, members: map[string]map[string]bool{}}
	for alias, path := range map[string]string{"jlexer": ourLexer, "jwriter": ourWrite} {
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(path, module+"/")))
		if err := a.add(alias, dir); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *api) add(alias, dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	a.names[alias] = names
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
					continue
				}
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					a.member(alias+"."+id.Name, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, fn := range fl.Names {
									a.member(alias+"."+s.Name.Name, fn.Name)
								}
							}
						}
					case *ast.ValueSpec:
						for _, vn := range s.Names {
							names[vn.Name] = true
						}
					}
				}
			}
		}
	}
	return nil
}

func (a *api) member(typ, name string) {
	if a.members[typ] == nil {
		a.members[typ] = map[string]bool{}
	}
	a.members[typ][name] = true
}

// fix rewrites the generated source and checks it against api.
func fix(name string, src []byte, a *api) ([]byte, error) {
	for _, re := range dropLines {
		src = re.ReplaceAll(src, nil)
	}
	for _, r := range replaceImports {
		if !bytes.Contains(src, []byte(r.from)) {
			return nil, fmt.Errorf("%s: no import %s to replace; did easyjson change its output?", name, r.from)
		}
		src = bytes.ReplaceAll(src, []byte(r.from), []byte(r.to))
	}
	if bytes.Contains(src, []byte(`"github.com/mailru/easyjson`)) {
		return nil, fmt.Errorf("%s: generated code still imports an easyjson package", name)
	}
	for i, line := range bytes.Split(src, []byte("\n")) {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("//")) {
			continue
		}
		if m := stillUsed.Find(line); m != nil {
			return nil, fmt.Errorf("%s:%d: generated code still uses %q; give the type a jlexer/jwriter method instead", name, i+1, m)
		}
	}
	if err := checkAPI(name, src, a); err != nil {
		return nil, err
	}
	src, err := outline(name, src)
	if err != nil {
		return nil, err
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return out, nil
}

// checkAPI finds every use of our packages in src: package-level names
// (jlexer.Lexer, jwriter.NilSliceAsEmpty) and selectors on variables of
// type *jlexer.Lexer or *jwriter.Writer (in.Delim, out.Flags), and fails
// naming those our packages lack.
func checkAPI(name string, src []byte, a *api) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	var missing []string
	report := func(pos token.Pos, what string) {
		missing = append(missing, fmt.Sprintf("%s: uses %s", fset.Position(pos), what))
	}
	typeOf := func(e ast.Expr) string { // "jlexer.Lexer" for jlexer.Lexer or *jlexer.Lexer
		if s, ok := e.(*ast.StarExpr); ok {
			e = s.X
		}
		if s, ok := e.(*ast.SelectorExpr); ok {
			if p, ok := s.X.(*ast.Ident); ok && a.names[p.Name] != nil {
				return p.Name + "." + s.Sel.Name
			}
		}
		return ""
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		vars := map[string]string{}
		for _, fl := range fd.Type.Params.List {
			if t := typeOf(fl.Type); t != "" {
				for _, n := range fl.Names {
					vars[n.Name] = t
				}
			}
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				if t := typeOf(n.Type); t != "" {
					for _, vn := range n.Names {
						vars[vn.Name] = t
					}
				}
			case *ast.AssignStmt:
				for i, r := range n.Rhs {
					if i >= len(n.Lhs) {
						break
					}
					if u, ok := r.(*ast.UnaryExpr); ok {
						r = u.X
					}
					if cl, ok := r.(*ast.CompositeLit); ok {
						if t := typeOf(cl.Type); t != "" {
							if id, ok := n.Lhs[i].(*ast.Ident); ok {
								vars[id.Name] = t
							}
						}
					}
				}
			}
			return true
		})
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			s, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			id, ok := s.X.(*ast.Ident)
			if !ok {
				return true
			}
			if t, ok := vars[id.Name]; ok && !a.members[t][s.Sel.Name] {
				report(s.Sel.Pos(), "("+t+")."+s.Sel.Name)
			}
			return true
		})
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			if p, ok := s.X.(*ast.Ident); ok && a.names[p.Name] != nil && !a.names[p.Name][s.Sel.Name] {
				report(s.Sel.Pos(), p.Name+"."+s.Sel.Name)
			}
		}
		return true
	})
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	missing = slices.Compact(missing)
	return fmt.Errorf("the generated code needs what %s and %s do not have; add it there:\n\t%s",
		strings.TrimPrefix(ourLexer, module+"/"), strings.TrimPrefix(ourWrite, module+"/"), strings.Join(missing, "\n\t"))
}

// maxInlineCase is the most statements a case of a decoder's field switch
// keeps inline: a field of a plain type (`if in.IsNull() { in.Skip() } else
// { out.F = in.String() }`) stays, a list, a pointer or anything longer
// moves out.
const maxInlineCase = 3

// outline moves each case of a generated decoder's switch over field names
// (`switch key` in a func …(in *jlexer.Lexer, out *T)) that
// has more than maxInlineCase statements into a function of its own, named
// after the decoder and the field, and calls it from the case.
//
// The reason is how V8 runs the wasm. Its baseline code charges every loop
// iteration and every return against a budget, by the machine-code
// distance travelled; Go's wasm jumps back to the top of the function for
// every loop, and returns from its end. A function whose budget runs out
// is recompiled by the optimizing compiler in the background, a core's
// worth of tens of milliseconds on a two-core phone during the widget's
// start-up. The decoder of a trigger, one iteration per field, used to be
// 12 KB and ran out on a set of 20 triggers; with its lists and pointers
// outlined it is 5 KB and does not, nor does any outlined case.
//
// A case is left as it is when it uses a variable of the decoder declared
// outside it, or when moving it would change where control goes: a return,
// a defer, a label, or a break or continue that leaves the case.
func outline(name string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	type edit struct {
		start, end int // byte offsets of the case's statements
		call       string
	}
	var edits []edit
	var funcs []string
	used := map[string]bool{} // the file's top-level names, and the new ones
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				used[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.ValueSpec:
					for _, id := range sp.Names {
						used[id.Name] = true
					}
				case *ast.TypeSpec:
					used[sp.Name.Name] = true
				}
			}
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Recv != nil {
			continue
		}
		params := fd.Type.Params.List
		if len(params) != 2 || len(params[0].Names) != 1 || params[0].Names[0].Name != "in" || len(params[1].Names) != 1 || params[1].Names[0].Name != "out" {
			continue
		}
		inType := string(src[fset.Position(params[0].Type.Pos()).Offset:fset.Position(params[0].Type.End()).Offset])
		if inType != "*jlexer.Lexer" {
			continue
		}
		outType := string(src[fset.Position(params[1].Type.Pos()).Offset:fset.Position(params[1].Type.End()).Offset])
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok {
				return true
			}
			if id, ok := sw.Tag.(*ast.Ident); !ok || id.Name != "key" {
				return true
			}
			outer := declaredOutside(fd.Body, sw)
			for _, st := range sw.Body.List {
				cc := st.(*ast.CaseClause)
				if len(cc.List) != 1 || len(cc.Body) == 0 || countStmts(cc.Body) <= maxInlineCase || usesAny(cc.Body, outer) || leaves(cc.Body) {
					continue
				}
				lit, ok := cc.List[0].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				field := fieldName(lit.Value)
				fn := fd.Name.Name + field
				for i := 2; used[fn]; i++ {
					fn = fd.Name.Name + field + strconv.Itoa(i)
				}
				used[fn] = true
				start := fset.Position(cc.Body[0].Pos()).Offset
				end := fset.Position(cc.Body[len(cc.Body)-1].End()).Offset
				edits = append(edits, edit{start, end, fn + "(in, out)"})
				funcs = append(funcs, "\nfunc "+fn+"(in "+inType+", out "+outType+") {\n"+string(src[start:end])+"\n}\n")
			}
			return false
		})
	}
	if len(edits) == 0 {
		return src, nil
	}
	var b bytes.Buffer
	last := 0
	for _, e := range edits { // in source order: the decls and cases are walked in order
		b.Write(src[last:e.start])
		b.WriteString(e.call)
		last = e.end
	}
	b.Write(src[last:])
	for _, fn := range funcs {
		b.WriteString(fn)
	}
	return b.Bytes(), nil
}

// countStmts counts the statements in list, nested ones included (a block
// itself is not one).
func countStmts(list []ast.Stmt) int {
	n := 0
	for _, s := range list {
		ast.Inspect(s, func(x ast.Node) bool {
			if _, ok := x.(ast.Stmt); ok {
				if _, block := x.(*ast.BlockStmt); !block {
					n++
				}
			}
			return true
		})
	}
	return n
}

// declaredOutside lists the names body declares outside the node skip.
func declaredOutside(body *ast.BlockStmt, skip ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.FuncLit:
			for _, fl := range n.Type.Params.List {
				for _, id := range fl.Names {
					names[id.Name] = true
				}
			}
		}
		return n != skip
	})
	return names
}

// leaves reports whether control could leave list other than by its end:
// a return, a defer (it would run at the new function's end), a label, or
// a break or continue outside a loop, switch or select of list's own.
func leaves(list []ast.Stmt) bool {
	found := false
	var walk func(n ast.Node, inLoop, inBreakable bool)
	walk = func(n ast.Node, inLoop, inBreakable bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			switch x := x.(type) {
			case *ast.ReturnStmt, *ast.DeferStmt, *ast.LabeledStmt:
				found = true
			case *ast.BranchStmt:
				switch {
				case x.Label != nil, x.Tok == token.GOTO, x.Tok == token.FALLTHROUGH:
					found = true
				case x.Tok == token.BREAK && !inBreakable, x.Tok == token.CONTINUE && !inLoop:
					found = true
				}
			case *ast.FuncLit:
				return false // its own returns and branches stay in it
			case *ast.ForStmt:
				walk(x.Body, true, true)
				return false
			case *ast.RangeStmt:
				walk(x.Body, true, true)
				return false
			case *ast.SwitchStmt:
				walk(x.Body, inLoop, true)
				return false
			case *ast.TypeSwitchStmt:
				walk(x.Body, inLoop, true)
				return false
			case *ast.SelectStmt:
				walk(x.Body, inLoop, true)
				return false
			}
			return true
		})
	}
	for _, s := range list {
		walk(s, false, false)
	}
	return found
}

// usesAny reports whether list mentions any of names.
func usesAny(list []ast.Stmt, names map[string]bool) bool {
	found := false
	for _, s := range list {
		ast.Inspect(s, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && names[id.Name] {
				found = true
			}
			return !found
		})
	}
	return found
}

// fieldName turns a JSON key literal into the tail of a Go name:
// "oncePerVisitor" → "OncePerVisitor"; other characters than letters and
// digits are dropped.
func fieldName(lit string) string {
	key, err := strconv.Unquote(lit)
	if err != nil {
		key = lit
	}
	var b strings.Builder
	up := true
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			if up && r >= 'a' && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	if b.Len() == 0 {
		return "Field"
	}
	return b.String()
}
