package jsonlex

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzAgainstEncodingJSON: the lexer accepts exactly the documents
// encoding/json accepts, decodes them to the same values (but for bytes
// that are not UTF-8, which it keeps), and skips or keeps raw exactly the
// valid ones.
func FuzzAgainstEncodingJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":[1,2.5e-3,"x\u00e9\ud83d\ude00",true,false,null,{}]}`, `[1,]`, `{"a" 1}`, `"\ud800"`, "\"\xff\"",
		`01`, `-0.0e+0`, `1e400`, `"a\tb"`, `[[[]]]`, `{"a":{"b":[}]}}`, ` 1 2`, `"\/\b"`, `tru`, `nul`, `[-]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) > 5000 {
			t.Skip("encoding/json limits nesting")
		}
		var want any
		wantErr := json.Unmarshal(data, &want)
		got, err := decode(data)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: lexer error %v, encoding/json error %v", data, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(normalize(got), want) {
			t.Fatalf("%q: lexer %#v, encoding/json %#v", data, got, want)
		}

		valid := json.Valid(data)
		l := Lexer{Data: data}
		raw := l.Raw()
		l.Consumed()
		if (l.Error() == nil) != valid {
			t.Fatalf("%q: Raw+Consumed error %v, json.Valid %v", data, l.Error(), valid)
		}
		if valid && !bytes.Equal(raw, bytes.TrimSpace(data)) {
			t.Fatalf("%q: Raw = %q", data, raw)
		}
		if valid && !json.Valid(raw) {
			t.Fatalf("%q: Raw gave invalid %q", data, raw)
		}
		l = Lexer{Data: data}
		l.SkipRecursive()
		l.Consumed()
		if (l.Error() == nil) != valid {
			t.Fatalf("%q: SkipRecursive+Consumed error %v, json.Valid %v", data, l.Error(), valid)
		}
		if le, ok := l.Error().(*LexerError); ok && (le.Offset < 0 || le.Offset > len(data)) {
			t.Fatalf("%q: error offset %d outside the input", data, le.Offset)
		}
	})
}
