package widget

import (
	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
)

// RawJSON is a JSON value kept verbatim (condition values, emit data), as
// easyjson.RawMessage would be without easyjson in the wasm binary. The
// lexer checks the value whole, so it is always valid JSON.
type RawJSON []byte

// UnmarshalEasyJSON keeps the next JSON value as it is.
func (r *RawJSON) UnmarshalEasyJSON(l *jlexer.Lexer) {
	if l.IsNull() {
		l.Skip()
		*r = append((*r)[:0], "null"...)
		return
	}
	*r = append((*r)[:0], l.Raw()...)
}

// MarshalEasyJSON writes the value back, or null when empty.
func (r RawJSON) MarshalEasyJSON(w *jwriter.Writer) {
	if len(r) == 0 {
		w.RawString("null")
		return
	}
	w.Raw(r, nil)
}

// IsDefined tells easyjson's omitempty whether the value is present.
func (r RawJSON) IsDefined() bool { return len(r) > 0 }

// compactLen is the length of r without the whitespace JSON allows between
// tokens: a size limit on a verbatim value holds however it is laid out.
func (r RawJSON) compactLen() int {
	n := 0
	for i := 0; i < len(r); i++ {
		switch c := r[i]; c {
		case ' ', '\t', '\n', '\r':
			continue
		case '"':
			start := i
			for i++; i < len(r) && r[i] != '"'; i++ {
				if r[i] == '\\' {
					i++
				}
			}
			n += min(i+1, len(r)) - start
			continue
		}
		n++
	}
	return n
}
