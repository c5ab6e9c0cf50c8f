package strict

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// FuzzCheck: whatever the document, Check, Locate and Format do not panic,
// every problem is placed inside the document at the line and column
// LineCol gives, and what Format accepts it formats to a fixed point.
func FuzzCheck(f *testing.F) {
	files, _ := filepath.Glob(samples + "*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, data := range formatCases {
		f.Add(data)
	}
	f.Add([]byte(`{"version":1,"property":"p","triggers":[{"id":"a","dealy":1,"delay":2,"delay":3}],"x":{"y":[1,{"z":2}]}}`))
	f.Add([]byte(`{"version":1,"triggers":[{"id":"\u0061","conditions":[{"value":"\u0001"}]}]}`))
	f.Add([]byte(`{"version":1,"triggers":[{"id":"a","url":{"match":"regex","value":"("}}]`))
	f.Add([]byte(`{"version":1,"property":"p","timezone":"Mars/Olympus","triggers":[]}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Check(data)
		inside(t, data, "problem", r.Problems)
		inside(t, data, "warning", r.Warnings)
		if (r.Set == nil) != (r.Compiled == nil) {
			t.Fatalf("Set %v but Compiled %v", r.Set != nil, r.Compiled != nil)
		}
		if r.Compiled != nil {
			inside(t, data, "located problem", Locate(data, r.Compiled.Problems))
		}
		out, errs := Format(data)
		inside(t, data, "format problem", Locate(data, errs))
		if (out == nil) == (errs == nil) {
			t.Fatalf("Format gave output %v and %d problems", out != nil, len(errs))
		}
		if out == nil {
			return
		}
		again, errs := Format(out)
		if errs != nil {
			t.Fatalf("Format refuses its own output: %v\n%s", errs, out)
		}
		if !bytes.Equal(again, out) {
			t.Fatalf("Format is not idempotent:\n%s\nthen:\n%s", out, again)
		}
	})
}

func inside(t *testing.T, data []byte, what string, ps []Problem) {
	t.Helper()
	for _, p := range ps {
		if p.Offset < 0 || p.Offset > len(data) {
			t.Fatalf("%s %+v: offset %d outside the document (%d bytes)", what, p.FieldError, p.Offset, len(data))
		}
		if line, col := widget.LineCol(data, p.Offset); line != p.Line || col != p.Col {
			t.Fatalf("%s %+v: at %d:%d, but offset %d is %d:%d", what, p.FieldError, p.Line, p.Col, p.Offset, line, col)
		}
	}
}
