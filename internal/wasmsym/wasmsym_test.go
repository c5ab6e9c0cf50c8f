package wasmsym

import "testing"

func TestInPackage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		symbol, prefix string
		want           bool
	}{
		{"net_http.init", "net/http", true},
		{"net_http.__Client_.Do", "net/http", true},
		{"net_httptrace.init", "net/http", false},
		{"net.init", "net/http", false},
		{"encoding_json.Unmarshal", "encoding/json.Unmarshal", true},
		{"encoding_json.__decodeState_.unmarshal", "encoding/json.(*decodeState)", true},
		{"encoding_json.Valid", "encoding/json.Unmarshal", false},
		{"encoding_json.checkValid", "encoding/json.(*decodeState)", false},
		{"github.com_mailru_easyjson.Marshal", "github.com/mailru/easyjson", true},
		{"type_.eq.github.com_mailru_easyjson.RawMessage", "github.com/mailru/easyjson", true},
		{"github.com_mailru_easyjson_jlexer.__Lexer_.Raw", "github.com/mailru/easyjson", false},
		{"github.com_hack_pad_safejs.Value.Call", "github.com/hack-pad/safejs", true},
	}
	for _, tt := range tests {
		if got := InPackage(tt.symbol, tt.prefix); got != tt.want {
			t.Errorf("InPackage(%q, %q) = %v, want %v", tt.symbol, tt.prefix, got, tt.want)
		}
	}
}

func TestFuncsRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, b := range [][]byte{nil, []byte("hello world"), []byte("\x00asm\x01\x00\x00\x00\x0a\xff")} {
		if _, err := Funcs(b); err == nil {
			t.Errorf("Funcs(%q) succeeded, want an error", b)
		}
	}
}
