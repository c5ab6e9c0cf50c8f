package jsonlex

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// replaceInvalid turns each byte that is not UTF-8 into U+FFFD, as
// encoding/json does when it decodes a string (this lexer keeps them).
func replaceInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
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

func normalize(v any) any {
	switch v := v.(type) {
	case string:
		return replaceInvalid(v)
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[replaceInvalid(k)] = normalize(x)
		}
		return m
	}
	return v
}

// decode reads data whole into an any, as generated code reads a
// top-level value.
func decode(data []byte) (any, error) {
	l := Lexer{Data: data}
	v := l.Interface()
	l.Consumed()
	return v, l.Error()
}

func TestInterfaceMatchesEncodingJSON(t *testing.T) {
	for _, doc := range []string{
		`null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-12.25E-2`, `1E+2`, `""`, `"a"`,
		`[]`, `{}`, `[1,"two",[3],{"four":4}]`, ` {"a" : [ true , null ] , "b":{}} `,
		`"\"\\\/\b\f\n\r\t"`, `"\u00e9\u20AC"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`, `"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`,
		`"\u0000"`, `"<&>"`, `{"a":1,"a":2}`, "\"caf\xe9\"", "{\"k\xff\":\"v\"}", `"\u2028"`,
		`123456789012345678901234567890`, `1e308`, `[[[[[[[[[[]]]]]]]]]]`,
	} {
		want := any(nil)
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("encoding/json refuses %q: %v", doc, err)
		}
		got, err := decode([]byte(doc))
		if err != nil {
			t.Errorf("%q: %v", doc, err)
			continue
		}
		if !reflect.DeepEqual(normalize(got), want) {
			t.Errorf("%q = %#v, want %#v", doc, got, want)
		}
	}
}

func TestInvalidUTF8IsKept(t *testing.T) {
	l := Lexer{Data: []byte("[\"caf\xe9\", \"\\u00e9\xff\"]")}
	l.Delim('[')
	a, b := l.String(), l.String()
	l.Delim(']')
	if err := l.Error(); err != nil {
		t.Fatal(err)
	}
	if a != "caf\xe9" || b != "é\xff" {
		t.Errorf("strings = %q, %q; want the bytes as they were", a, b)
	}
}

func TestErrorsNameTheOffendingByte(t *testing.T) {
	for _, c := range []struct {
		doc    string
		offset int // -1: io.EOF
		reason string
	}{
		{``, -1, ""},
		{`   `, -1, ""},
		{`[1,2`, -1, ""},
		{`{"a":`, -1, ""},
		{`tru`, -1, ""},
		{`-`, -1, ""},
		{`1.`, -1, ""},
		{`[1,]`, 3, "unexpected ']'"},
		{`[,1]`, 1, "invalid character ','"},
		{`{"a" 1}`, 5, "expected ':'"},
		{`{"a":1 "b":2}`, 7, "expected ',' or '}'"},
		{`{"a":1,}`, 7, "expected a string key"},
		{`{1:2}`, 1, "expected a string key or '}'"},
		{`[1}`, 2, "expected ',' or ']'"},
		{`{"a":]`, 5, "unexpected ']'"},
		{`[01]`, 2, "expected ',' or ']'"},
		{`[1.e5]`, 3, "invalid number"},
		{`[-x]`, 2, "invalid number"},
		{`[1e]`, 3, "invalid number"},
		{`[+1]`, 1, "invalid character '+'"},
		{`[.5]`, 1, "invalid character '.'"},
		{`[NaN]`, 1, "invalid character 'N'"},
		{`[nul]`, 1, "invalid literal"},
		{`[truex]`, 5, "expected ',' or ']'"},
		{`"abc`, 0, "never closed"},
		{"[\"a\tb\"]", 3, "control character"},
		{`["\x"]`, 2, "invalid escape 'x'"},
		{`["\u12g4"]`, 2, "invalid \\u escape"},
		{`[] []`, 3, "after the top-level value"},
		{`{} x`, 3, "after the top-level value"},
		{`'a'`, 0, "invalid character"},
		{"\xef\xbb\xbf{}", 0, "invalid character"},
	} {
		_, err := decode([]byte(c.doc))
		if c.offset < 0 {
			if err != io.EOF {
				t.Errorf("%q: error %v, want io.EOF", c.doc, err)
			}
			continue
		}
		var le *LexerError
		if !errors.As(err, &le) {
			t.Errorf("%q: error %v, want a LexerError", c.doc, err)
			continue
		}
		if le.Offset != c.offset || !strings.Contains(le.Reason, c.reason) {
			t.Errorf("%q: %q at %d, want %q at %d", c.doc, le.Reason, le.Offset, c.reason, c.offset)
		}
		if json.Valid([]byte(c.doc)) {
			t.Errorf("%q: encoding/json accepts it", c.doc)
		}
	}
}

// Generated code asks for a kind of token; the wrong one is an error at
// the token's first byte.
func TestWrongTokenKind(t *testing.T) {
	for _, c := range []struct {
		doc    string
		read   func(l *Lexer)
		offset int
		reason string
	}{
		{`{"id": 7}`, func(l *Lexer) { l.Delim('{'); l.UnsafeFieldName(false); _ = l.String() }, 7, "expected a string, found a number"},
		{`{"n": "7"}`, func(l *Lexer) { l.Delim('{'); l.UnsafeFieldName(false); l.Int() }, 6, "expected a number, found a string"},
		{`[true]`, func(l *Lexer) { l.Delim('{') }, 0, "expected '{', found '['"},
		{`{"a":null}`, func(l *Lexer) { l.Delim('{'); l.UnsafeFieldName(false); l.Bool() }, 5, "expected true or false, found null"},
		{`[1.5]`, func(l *Lexer) { l.Delim('['); l.Int() }, 1, "1.5 is not a whole number"},
		{`[1e2]`, func(l *Lexer) { l.Delim('['); l.Int64() }, 1, "not a whole number"},
		{`[9223372036854775808]`, func(l *Lexer) { l.Delim('['); l.Int64() }, 1, "out of range"},
		{`[-9223372036854775809]`, func(l *Lexer) { l.Delim('['); l.Int() }, 1, "out of range"},
		{`[1e400]`, func(l *Lexer) { l.Delim('['); l.Float64() }, 1, "out of range"},
		{`[1, 1e400]`, func(l *Lexer) { l.Interface() }, 4, "out of range"},
		// A long number is named by its start and its length, not whole.
		{"[" + strings.Repeat("4", 100000) + "]", func(l *Lexer) { l.Delim('['); l.Int64() }, 1,
			"number 44444444444444444444… (100000 characters) is out of range"},
		{"[1." + strings.Repeat("0", 30) + "5]", func(l *Lexer) { l.Delim('['); l.Int() }, 1,
			"number 1.000000000000000000… (33 characters) is not a whole number"},
		{"[1e" + strings.Repeat("9", 5000) + "]", func(l *Lexer) { l.Delim('['); l.Float64() }, 1,
			"number 1e999999999999999999… (5002 characters) is out of range"},
	} {
		l := Lexer{Data: []byte(c.doc)}
		c.read(&l)
		var le *LexerError
		if !errors.As(l.Error(), &le) || le.Offset != c.offset || !strings.Contains(le.Reason, c.reason) {
			t.Errorf("%.40s: error %.200v, want %q at %d", c.doc, l.Error(), c.reason, c.offset)
		}
		if n := len(l.Error().Error()); n > 200 {
			t.Errorf("%.40s: an error of %d bytes", c.doc, n)
		}
	}
}

func TestNumbers(t *testing.T) {
	l := Lexer{Data: []byte(`[9223372036854775807, -9223372036854775808, 0, -0, 2.5, 1e-400, 12]`)}
	l.Delim('[')
	if n := l.Int64(); n != 1<<63-1 {
		t.Errorf("max int64 = %d", n)
	}
	if n := l.Int64(); n != -1<<63 {
		t.Errorf("min int64 = %d", n)
	}
	if n := l.Int(); n != 0 {
		t.Errorf("0 = %d", n)
	}
	if n := l.Int(); n != 0 {
		t.Errorf("-0 = %d", n)
	}
	if f := l.Float64(); f != 2.5 {
		t.Errorf("2.5 = %v", f)
	}
	if f := l.Float64(); f != 0 {
		t.Errorf("1e-400 = %v, want 0 (as encoding/json)", f)
	}
	if n := l.Int(); n != 12 {
		t.Errorf("12 = %d", n)
	}
	l.Delim(']')
	l.Consumed()
	if err := l.Error(); err != nil {
		t.Fatal(err)
	}
}

// What generated code does with an object: keys, null, values skipped
// whole, and a check that nothing follows.
func TestGeneratedCodePattern(t *testing.T) {
	data := []byte(` {"a\u0062": 1, "skip": {"x": [1, {"y": "]}"}], "z": null}, "n": null, "s": "t"} `)
	l := Lexer{Data: data}
	if !l.IsStart() {
		t.Fatal("IsStart is false before reading")
	}
	if l.IsNull() {
		t.Fatal("IsNull on an object")
	}
	if l.IsStart() {
		t.Fatal("IsStart is true after reading a token")
	}
	l.Delim('{')
	var keys []string
	for !l.IsDelim('}') {
		k := l.UnsafeFieldName(false)
		keys = append(keys, k)
		l.WantColon()
		switch k {
		case "ab":
			if n := l.Int(); n != 1 {
				t.Errorf("ab = %d", n)
			}
		case "n":
			if !l.IsNull() {
				t.Error("n is not null")
			}
			l.Skip()
		case "s":
			if s := l.String(); s != "t" {
				t.Errorf("s = %q", s)
			}
		default:
			l.SkipRecursive()
		}
		l.WantComma()
	}
	l.Delim('}')
	l.Consumed()
	if err := l.Error(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(keys, ",") != "ab,skip,n,s" {
		t.Errorf("keys = %q", keys)
	}
}

func TestUnsafeFieldNameSkipUnescape(t *testing.T) {
	l := Lexer{Data: []byte(`{"a\nb":1}`)}
	l.Delim('{')
	if k := l.UnsafeFieldName(true); k != `a\nb` {
		t.Errorf("key = %q, want the escape as written", k)
	}
}

// A value skipped or kept raw is checked as strictly as one decoded.
func TestSkipAndRawCheckTheValue(t *testing.T) {
	for _, c := range []struct {
		doc     string
		raw     string // "" when refused
		problem string
	}{
		{`{"v": [1, {"a": "}"}]  , "w": 2}`, `[1, {"a": "}"}]`, ""},
		{`{"v": "s\"x", "w": 2}`, `"s\"x"`, ""},
		{`{"v": -1.5e3}`, `-1.5e3`, ""},
		{`{"v": {}}`, `{}`, ""},
		{`{"v": [1, 2,]}`, "", "unexpected ']'"},
		{`{"v": {"a" "b"}}`, "", "expected ':'"},
		{`{"v": [1 2]}`, "", "expected ','"},
		{`{"v": ["a` + "\x01" + `"]}`, "", "control character"},
		{`{"v": {"a": 1]}`, "", "expected ',' or '}'"},
		{`{"v": [1, 01]}`, "", "expected ','"},
	} {
		l := Lexer{Data: []byte(c.doc)}
		l.Delim('{')
		l.UnsafeFieldName(false)
		raw := string(l.Raw())
		if c.raw != "" {
			if l.Error() != nil || raw != c.raw {
				t.Errorf("%s: Raw = %q, %v; want %q", c.doc, raw, l.Error(), c.raw)
			}
			continue
		}
		var le *LexerError
		if !errors.As(l.Error(), &le) || !strings.Contains(le.Reason, c.problem) || raw != "" {
			t.Errorf("%s: Raw = %q, %v; want an error %q", c.doc, raw, l.Error(), c.problem)
		}
		l = Lexer{Data: []byte(c.doc)}
		l.Delim('{')
		l.UnsafeFieldName(false)
		l.SkipRecursive()
		if !errors.As(l.Error(), &le) || !strings.Contains(le.Reason, c.problem) {
			t.Errorf("%s: SkipRecursive error %v, want %q", c.doc, l.Error(), c.problem)
		}
	}
}

// After an error every method gives zero values, IsDelim is true (so
// loops end) and the first error stays.
func TestAfterAnErrorNothingHappens(t *testing.T) {
	l := Lexer{Data: []byte(`[x, "a"]`)}
	l.Delim('[')
	if l.String() != "" || l.Int() != 0 || l.Bool() || l.Interface() != nil || l.Raw() != nil || l.IsNull() {
		t.Error("a method returned a value after the error")
	}
	if !l.IsDelim(']') || !l.IsDelim('}') {
		t.Error("IsDelim is false after an error")
	}
	l.Consumed()
	var le *LexerError
	if !errors.As(l.Error(), &le) || le.Offset != 1 {
		t.Errorf("error = %v, want the first one, at 1", l.Error())
	}
	if !strings.Contains(le.Error(), "at offset 1") {
		t.Errorf("message %q lacks the offset", le.Error())
	}
}

func TestNullTopLevel(t *testing.T) {
	l := Lexer{Data: []byte(" null ")}
	if !l.IsNull() {
		t.Fatal("IsNull false")
	}
	l.Consumed()
	l.Skip()
	if l.Error() != nil {
		t.Fatal(l.Error())
	}
	l = Lexer{Data: []byte("null x")}
	if !l.IsNull() {
		t.Fatal("IsNull false")
	}
	l.Consumed()
	if l.Error() == nil {
		t.Fatal("garbage after a top-level null accepted")
	}
}

func TestNestingLimit(t *testing.T) {
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := decode([]byte(ok)); err != nil || !json.Valid([]byte(ok)) {
		t.Errorf("%d levels: %v (encoding/json accepts them: %v)", MaxDepth, err, json.Valid([]byte(ok)))
	}
	deep := []byte(`{"a":` + strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth) + `}`)
	l := Lexer{Data: deep}
	l.SkipRecursive()
	var le *LexerError
	if !errors.As(l.Error(), &le) || le.Offset != 5+MaxDepth-1 || !strings.Contains(le.Reason, "nested") {
		t.Errorf("%d levels: error %v, want one at the level too many", MaxDepth+1, l.Error())
	}
	if json.Valid(deep) {
		t.Error("encoding/json accepts it")
	}
}

// With Borrow, a string without escapes shares the input's memory (no
// allocation); one with escapes is always a buffer of its own; without
// Borrow, every string is a copy.
func TestBorrow(t *testing.T) {
	for _, borrow := range []bool{false, true} {
		data := []byte(`["abc","d\u0065f"]`)
		l := Lexer{Data: data, Borrow: borrow}
		l.Delim('[')
		plain := l.String()
		l.WantComma()
		escaped := l.String()
		l.Delim(']')
		l.Consumed()
		if err := l.Error(); err != nil {
			t.Fatal(err)
		}
		data[2], data[9] = 'X', 'X' // the a of "abc", and the escape's backslash
		want := "abc"
		if borrow {
			want = "Xbc"
		}
		if plain != want || escaped != "def" {
			t.Errorf("Borrow %v: strings %q and %q after the input changed, want %q and %q", borrow, plain, escaped, want, "def")
		}
	}
	data := []byte(`"some text"`)
	if n := testing.AllocsPerRun(100, func() {
		l := Lexer{Data: data, Borrow: true}
		_ = l.String()
	}); n != 0 {
		t.Errorf("a borrowed string allocates %v times, want 0", n)
	}
}
