package widget

import "github.com/triggerwidget/triggerwidget/internal/jsonlex"

// borrow has the lexer l borrow its input's memory, or not (see
// jsonlex.Lexer.Borrow). It takes any, in a file of its own that imports
// the lexer as jsonlex rather than jlexer: while easyjson generates the
// decoders, internal/easyjsonfix builds this package with easyjson's lexer
// in place of ours under the name jlexer, and that lexer has no such field.
// There l is not ours, and nothing is set.
func borrow(l any, on bool) {
	if x, ok := l.(*jsonlex.Lexer); ok {
		x.Borrow = on
	}
}
