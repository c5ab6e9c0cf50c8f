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
