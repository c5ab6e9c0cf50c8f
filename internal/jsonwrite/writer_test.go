package jsonwrite

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func written(f func(w *Writer)) string {
	var w Writer
	f(&w)
	b, err := w.BuildBytes()
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", `""`},
		{"plain", `"plain"`},
		{`<a href="x">&amp;</a>`, `"<a href=\"x\">&amp;</a>"`},
		{"back\\slash", `"back\\slash"`},
		{"\t\r\n", `"\t\r\n"`},
		{"\b\f\x00\x1f\x7f", `"\u0008\u000c\u0000\u001f` + "\x7f" + `"`},
		{"é€😀", `"é€😀"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"a\xffb\xc3", `"a\ufffdb\ufffd"`},
	} {
		if got := written(func(w *Writer) { w.String(c.in) }); got != c.want {
			t.Errorf("String(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestScalarsAndRaw(t *testing.T) {
	got := written(func(w *Writer) {
		w.RawByte('[')
		w.Int(-12)
		w.RawByte(',')
		w.Int64(1 << 62)
		w.RawByte(',')
		w.Bool(true)
		w.RawByte(',')
		w.Bool(false)
		w.RawByte(',')
		w.Raw([]byte(`{"a":1}`), nil)
		w.RawByte(',')
		w.Raw(nil, nil)
		w.RawString("]")
	})
	if want := `[-12,4611686018427387904,true,false,{"a":1},null]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestRawError(t *testing.T) {
	boom := errors.New("boom")
	var w Writer
	w.Raw(nil, boom)
	w.Raw([]byte("1"), nil)
	if b, err := w.BuildBytes(); err != boom || b != nil {
		t.Errorf("BuildBytes = %q, %v; want the error", b, err)
	}
}

func TestFlags(t *testing.T) {
	if NilMapAsEmpty == NilSliceAsEmpty || NilMapAsEmpty&NilSliceAsEmpty != 0 {
		t.Error("the flags overlap")
	}
}

// replaceInvalid turns each byte that is not UTF-8 into U+FFFD.
func replaceInvalid(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// FuzzString: whatever the string, the output is one JSON string that
// encoding/json reads back as the input (bytes that are not UTF-8 become
// U+FFFD), with no HTML escapes.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "<script>&", "\x00\x1f\"\\", "\u2028", "a\xffb", "😀"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := written(func(w *Writer) { w.String(s) })
		var back string
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("String(%q) = %s, not JSON: %v", s, out, err)
		}
		if want := replaceInvalid(s); back != want {
			t.Fatalf("String(%q) = %s, reads back as %q", s, out, back)
		}
		if strings.Contains(out, `\u003c`) || strings.Contains(out, `\u003e`) || strings.Contains(out, `\u0026`) {
			t.Fatalf("String(%q) = %s has an HTML escape", s, out)
		}
	})
}
