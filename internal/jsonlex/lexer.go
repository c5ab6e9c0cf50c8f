// Package jsonlex reads JSON for the decoders easyjson generates in package
// widget and for our hand-written ones. Its Lexer has the methods that
// generated code calls, under the names it calls them by, so the generated
// file only needs its import path changed (internal/easyjsonfix does that,
// and refuses generated code calling a method this package lacks).
//
// Unlike easyjson's own lexer it checks the whole JSON grammar itself,
// whatever the caller skips or looks at: the document is refused at the
// first byte that is not JSON (RFC 8259), with its offset. It needs neither
// encoding/json nor fmt, which keeps the wasm runtime small.
//
// The small methods generated code calls at hundreds of places (IsNull,
// Skip, IsDelim) are kept out of line (go:noinline): inlined, each call
// site got a copy, 5 KB brotli of wasm in all, and the engine benchmarks
// show no difference.
//
// Strings keep bytes that are not UTF-8 as they are (the checker refuses
// them in texts by name; encoding/json would replace them with U+FFFD);
// escapes are decoded as encoding/json does, a lone surrogate becoming
// U+FFFD.
package jsonlex

import (
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// LexerError is a place in the input where it is not JSON, or not what
// the decoder asked for.
type LexerError struct {
	Reason string // what is wrong, e.g. "expected ',' or '}'"
	Offset int    // byte offset in Lexer.Data
}

func (e *LexerError) Error() string {
	return "json: " + e.Reason + " at offset " + strconv.Itoa(e.Offset)
}

// MaxDepth is how deep arrays and objects may nest, as in encoding/json;
// Interface recurses once per level.
const MaxDepth = 10000

type kind uint8

const (
	none kind = iota
	delim
	str
	number
	boolean
	null
)

var kindNames = [...]string{none: "nothing", delim: "a bracket", str: "a string", number: "a number", boolean: "true or false", null: "null"}

// expect is what the grammar allows next.
type expect uint8

const (
	value        expect = iota // any value
	valueOrClose               // after '[': a value or ']'
	keyOrClose                 // after '{': a key or '}'
	key                        // after ',' in an object
	colon                      // after a key
	commaOrClose               // after a value inside a container
	end                        // after the top-level value: only whitespace
)

// Lexer reads one JSON value from Data. The zero value with Data set is
// ready. After the first error every method does nothing and Error
// returns that error.
type Lexer struct {
	Data []byte
	// Borrow has String (and so Interface, its strings and its objects'
	// keys) return strings that share Data's memory instead of copies, one
	// allocation fewer per string: Data must then never change, for as
	// long as any of them is in use, and any of them keeps all of Data.
	Borrow bool

	pos   int    // next unread byte
	tok   token  // the token read but not yet consumed, if tok.kind != none
	open  []byte // the containers open around pos: '{' or '['
	next  expect
	err   error
	start int // where the last consumed token began
}

type token struct {
	kind    kind
	start   int // first byte; for a string, its opening quote
	end     int // one past the last byte
	escaped bool
}

func (l *Lexer) fail(off int, reason string) {
	if l.err == nil {
		l.err = &LexerError{Reason: reason, Offset: off}
	}
	l.tok.kind = none
}

func (l *Lexer) eof() {
	if l.err == nil {
		l.err = io.EOF
	}
	l.tok.kind = none
}

// numberExcerpt is how an error names the number b: whole when short, its
// start and its length when not, so that a message never grows with the
// input.
func numberExcerpt(b []byte) string {
	const most = 24
	if len(b) <= most {
		return string(b)
	}
	return string(b[:most-4]) + "… (" + strconv.Itoa(len(b)) + " characters)"
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// fetch reads the next token unless one is waiting; it reports whether
// one is. Generated decoders ask several times per token, so the common
// answer is inlined at every caller and only reading a token calls read.
func (l *Lexer) fetch() bool {
	if l.tok.kind != none {
		return true
	}
	return l.read()
}

// read reads the next token. It runs once per token, so it is kept short,
// and so are the two it hands over to: strings, which most tokens are, and
// the others. The separators between tokens, the words true, false and
// null, and every error's wording are functions of their own too (see
// skipSpace for why size matters in the wasm).
func (l *Lexer) read() bool {
	if l.err != nil {
		return false
	}
	c, ok := l.separators()
	if !ok {
		return false
	}
	l.tok = token{start: l.pos}
	if c == '"' {
		ok = l.readString(c)
	} else {
		ok = l.readOther(c)
	}
	if ok {
		l.tok.end = l.pos
	}
	return ok
}

// readString reads a string token, a key or a value.
//
//go:noinline
func (l *Lexer) readString(c byte) bool {
	isKey := l.next == key || l.next == keyOrClose
	if !isKey && !l.valueAllowed(c) || !l.scanString() {
		return false
	}
	l.tok.kind = str
	if isKey {
		l.next = colon
	} else {
		l.afterValue()
	}
	return true
}

// readOther reads a token that is not a string: a bracket, a number, or
// true, false or null.
//
//go:noinline
func (l *Lexer) readOther(c byte) bool {
	start := l.pos
	switch c {
	case '{', '[':
		if !l.valueAllowed(c) {
			return false
		}
		if len(l.open) >= MaxDepth {
			l.tooDeep(start)
			return false
		}
		l.open = append(l.open, c)
		l.next = valueOrClose
		if c == '{' {
			l.next = keyOrClose
		}
		l.pos++
		l.tok.kind = delim
	case '}', ']':
		if !(l.next == commaOrClose || l.next == keyOrClose && c == '}' || l.next == valueOrClose && c == ']') {
			l.unexpected(start, c)
			return false
		}
		l.open = l.open[:len(l.open)-1]
		l.pos++
		l.tok.kind = delim
		l.afterValue()
	case 't', 'f', 'n':
		if !l.valueAllowed(c) || !l.scanWord(c) {
			return false
		}
		l.afterValue()
	default:
		if c != '-' && (c < '0' || c > '9') {
			l.invalidChar(start, c)
			return false
		}
		if !l.valueAllowed(c) || !l.scanNumber() {
			return false
		}
		l.tok.kind = number
		l.afterValue()
	}
	return true
}

// separators skips whitespace and the colons and commas the grammar
// expects before the next token, and returns the token's first byte.
//
//go:noinline
func (l *Lexer) separators() (byte, bool) {
	for {
		l.pos = skipSpace(l.Data, l.pos)
		if l.pos >= len(l.Data) {
			l.eof()
			return 0, false
		}
		c := l.Data[l.pos]
		switch l.next {
		case colon:
			if c != ':' {
				l.fail(l.pos, "expected ':' after an object key, found "+quoteByte(c))
				return 0, false
			}
			l.pos++
			l.next = value
			continue
		case commaOrClose:
			top := l.open[len(l.open)-1]
			if c == ',' {
				l.pos++
				l.next = value
				if top == '{' {
					l.next = key
				}
				continue
			}
			if c != closer(top) {
				l.fail(l.pos, "expected ',' or '"+string(closer(top))+"', found "+quoteByte(c))
				return 0, false
			}
		case end:
			l.fail(l.pos, "unexpected "+quoteByte(c)+" after the top-level value")
			return 0, false
		}
		return c, true
	}
}

// scanWord reads true, false or null, whose first byte is c, at l.pos.
//
//go:noinline
func (l *Lexer) scanWord(c byte) bool {
	word, k := "null", null
	switch c {
	case 't':
		word, k = "true", boolean
	case 'f':
		word, k = "false", boolean
	}
	rest := l.Data[l.pos:]
	if len(rest) < len(word) {
		if string(rest) == word[:len(rest)] {
			l.eof()
			return false
		}
	}
	if len(rest) < len(word) || string(rest[:len(word)]) != word {
		l.fail(l.pos, "invalid literal (true, false or null?)")
		return false
	}
	l.pos += len(word)
	l.tok.kind = k
	return true
}

//go:noinline
func (l *Lexer) tooDeep(at int) {
	l.fail(at, "arrays and objects nested more than "+strconv.Itoa(MaxDepth)+" deep")
}

//go:noinline
func (l *Lexer) unexpected(at int, c byte) {
	l.fail(at, "unexpected "+quoteByte(c)+l.expecting())
}

//go:noinline
func (l *Lexer) invalidChar(at int, c byte) {
	l.fail(at, "invalid character "+quoteByte(c)+l.expecting())
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// The loops over single bytes live in small functions of their own, kept
// out of line. In Go's wasm every jump, a loop's included, goes back to the
// top of its function, and V8 charges each such jump against the
// function's budget for recompiling it in the background (with its
// optimizing compiler) by the distance it travels. Inside fetch or
// scanString, a kilobyte-long set made both hot enough for that during
// the widget's start-up, tens of milliseconds of a core the page needs
// then; in a function of a few dozen bytes a byte costs little.

// skipSpace returns the index of the first byte of d at or after i that is
// not JSON whitespace.
//
//go:noinline
func skipSpace(d []byte, i int) int {
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	return i
}

// plainRun returns the index of the first byte of d at or after i that a
// string cannot hold as it is: a quote, a backslash or a control
// character; len(d) if there is none.
//
//go:noinline
func plainRun(d []byte, i int) int {
	for i < len(d) {
		if c := d[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
		i++
	}
	return i
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

// expecting words what the grammar wants at this point, for an error.
func (l *Lexer) expecting() string {
	switch l.next {
	case key:
		return "; expected a string key"
	case keyOrClose:
		return "; expected a string key or '}'"
	case valueOrClose:
		return "; expected a value or ']'"
	}
	return "; expected a value"
}

// valueAllowed fails unless a value may start here (with byte c).
func (l *Lexer) valueAllowed(c byte) bool {
	if l.next == value || l.next == valueOrClose {
		return true
	}
	l.unexpected(l.pos, c)
	return false
}

func (l *Lexer) afterValue() {
	if len(l.open) == 0 {
		l.next = end
	} else {
		l.next = commaOrClose
	}
}

// scanString reads a string token at l.pos, checking its escapes and that
// it holds no control characters.
func (l *Lexer) scanString() bool {
	d := l.Data
	i := l.pos + 1
	for {
		if i = plainRun(d, i); i >= len(d) {
			break
		}
		c := d[i]
		switch {
		case c == '"':
			l.pos = i + 1
			return true
		case c == '\\':
			if i+1 >= len(d) {
				break
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) {
					i = len(d)
					continue
				}
				if hex4(d[i+2:i+6]) < 0 {
					l.fail(i, "invalid \\u escape in a string (four hex digits needed)")
					return false
				}
				i += 6
			default:
				l.fail(i, "invalid escape "+quoteByte(d[i+1])+" in a string")
				return false
			}
			l.tok.escaped = true
			continue
		case c < 0x20:
			l.fail(i, "control character "+quoteByte(c)+" in a string (it must be escaped)")
			return false
		}
		i++
	}
	l.fail(l.pos, "a string that is never closed")
	return false
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// scanNumber reads a number token at l.pos: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (l *Lexer) scanNumber() bool {
	d := l.Data
	i := l.pos
	if d[i] == '-' {
		i++
	}
	digits := func() bool {
		n := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i > n {
			return true
		}
		if i >= len(d) {
			l.eof()
		} else {
			l.fail(i, "invalid number: a digit is needed before "+quoteByte(d[i]))
		}
		return false
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	l.pos = i
	return true
}

// consume drops the waiting token.
func (l *Lexer) consume() {
	l.start = l.tok.start
	l.tok.kind = none
}

// want fails unless the waiting token is of kind k.
func (l *Lexer) want(k kind) bool {
	if !l.fetch() {
		return false
	}
	if l.tok.kind != k {
		found := kindNames[l.tok.kind]
		if l.tok.kind == delim {
			found = quoteByte(l.Data[l.tok.start])
		}
		l.fail(l.tok.start, "expected "+kindNames[k]+", found "+found)
		return false
	}
	return true
}

// Error is the first error met, or nil. A document that ends where more is
// needed gives io.EOF.
func (l *Lexer) Error() error { return l.err }

// IsStart reports whether nothing has been read yet.
func (l *Lexer) IsStart() bool { return l.pos == 0 }

// Consumed fails unless only whitespace follows what has been read.
func (l *Lexer) Consumed() {
	if l.err != nil {
		return
	}
	for i := l.pos; i < len(l.Data); i++ {
		if !isSpace(l.Data[i]) {
			l.fail(i, "unexpected "+quoteByte(l.Data[i])+" after the top-level value")
			return
		}
	}
}

// Delim consumes the bracket c, or fails.
func (l *Lexer) Delim(c byte) {
	if !l.fetch() {
		return
	}
	if l.tok.kind != delim || l.Data[l.tok.start] != c {
		found := kindNames[l.tok.kind]
		if l.tok.kind == delim {
			found = quoteByte(l.Data[l.tok.start])
		}
		l.fail(l.tok.start, "expected "+quoteByte(c)+", found "+found)
		return
	}
	l.consume()
}

// IsDelim reports whether the next token is the bracket c, or there was
// an error (so that a loop waiting for c ends).
//
//go:noinline
func (l *Lexer) IsDelim(c byte) bool {
	if !l.fetch() {
		return true
	}
	return l.tok.kind == delim && l.Data[l.tok.start] == c
}

// WantComma and WantColon are where generated code expects a separator
// next. The lexer knows where the grammar needs one, so they do nothing.
func (l *Lexer) WantComma() {}

// WantColon: see WantComma.
func (l *Lexer) WantColon() {}

// IsNull reports whether the next token is null (without consuming it).
//
//go:noinline
func (l *Lexer) IsNull() bool { return l.fetch() && l.tok.kind == null }

// Skip consumes the next token: a whole value unless it opens an array or
// object, where only the bracket is consumed.
//
//go:noinline
func (l *Lexer) Skip() {
	if l.fetch() {
		l.consume()
	}
}

// SkipRecursive consumes the next value whole, checking it.
func (l *Lexer) SkipRecursive() {
	if !l.fetch() {
		return
	}
	start := l.tok.start
	depth := len(l.open) // the containers open around the value
	if c := l.Data[start]; l.tok.kind == delim && (c == '{' || c == '[') {
		depth-- // fetch has counted the one it opens
	}
	l.consume()
	for len(l.open) > depth && l.fetch() {
		l.consume()
	}
	l.start = start
}

// Raw consumes the next value and returns its bytes as they are (nil
// after an error).
func (l *Lexer) Raw() []byte {
	l.SkipRecursive()
	if l.err != nil {
		return nil
	}
	return l.Data[l.start:l.pos]
}

// Bool reads true or false.
func (l *Lexer) Bool() bool {
	if !l.want(boolean) {
		return false
	}
	l.consume()
	return l.Data[l.start] == 't'
}

func (l *Lexer) numberText() []byte {
	if !l.want(number) {
		return nil
	}
	l.consume()
	return l.Data[l.start:l.pos]
}

// Int64 reads a number that is a whole int64.
func (l *Lexer) Int64() int64 {
	b := l.numberText()
	if b == nil {
		return 0
	}
	n, err := strconv.ParseInt(unsafe.String(&b[0], len(b)), 10, 64)
	if err != nil {
		if err.(*strconv.NumError).Err == strconv.ErrRange {
			l.fail(l.start, "number "+numberExcerpt(b)+" is out of range")
		} else {
			l.fail(l.start, "number "+numberExcerpt(b)+" is not a whole number")
		}
		return 0
	}
	return n
}

// Int reads a number that is a whole int.
func (l *Lexer) Int() int { return int(l.Int64()) }

// Float64 reads a number that fits a float64.
func (l *Lexer) Float64() float64 {
	b := l.numberText()
	if b == nil {
		return 0
	}
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), 64)
	if err != nil {
		l.fail(l.start, "number "+numberExcerpt(b)+" is out of range")
		return 0
	}
	return f
}

// String reads a string.
func (l *Lexer) String() string {
	if !l.want(str) {
		return ""
	}
	t := l.tok
	l.consume()
	body := l.Data[t.start+1 : t.end-1]
	if t.escaped {
		body = unescape(body) // a buffer of its own, which the string can keep
	} else if !l.Borrow {
		return string(body)
	}
	if len(body) == 0 {
		return ""
	}
	return unsafe.String(&body[0], len(body))
}

// UnsafeFieldName reads an object key. The result may share memory with
// Data: use it to compare, not to keep. With skipUnescape, escapes are
// left as they are.
func (l *Lexer) UnsafeFieldName(skipUnescape bool) string {
	if !l.want(str) {
		return ""
	}
	t := l.tok
	l.consume()
	body := l.Data[t.start+1 : t.end-1]
	if t.escaped && !skipUnescape {
		body = unescape(body)
	}
	if len(body) == 0 {
		return ""
	}
	return unsafe.String(&body[0], len(body))
}

// unescape decodes a string body already checked by scanString.
func unescape(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		e := b[i+1]
		i += 2
		switch e {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(b[i:])
			i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
					r2 = hex4(b[i+2:])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default: // '"', '\\', '/'
			out = append(out, e)
		}
	}
	return out
}

// Interface reads any value as encoding/json would into an any: string,
// float64, bool, nil, []any or map[string]any (nil after an error).
func (l *Lexer) Interface() any {
	if !l.fetch() {
		return nil
	}
	switch l.tok.kind {
	case str:
		return l.String()
	case number:
		return l.Float64()
	case boolean:
		return l.Bool()
	case null:
		l.consume()
		return nil
	}
	switch l.Data[l.tok.start] {
	case '[':
	case '{':
		l.consume()
		m := map[string]any{}
		for !l.IsDelim('}') {
			k := l.String()
			m[k] = l.Interface()
		}
		l.Delim('}')
		if l.err != nil {
			return nil
		}
		return m
	default:
		l.fail(l.tok.start, "expected a value")
		return nil
	}
	l.consume()
	list := []any{}
	for !l.IsDelim(']') {
		list = append(list, l.Interface())
	}
	l.Delim(']')
	if l.err != nil {
		return nil
	}
	return list
}
