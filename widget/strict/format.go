package strict

import (
	"bytes"
	"encoding/json"
	"strconv"

	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
	"github.com/triggerwidget/triggerwidget/widget"
)

// Format returns a trigger-set document in the canonical layout: the
// model's own encoder ((widget.Set).MarshalEasyJSON) with its field order,
// two-space indentation, one trailing newline, text as UTF-8 with <, > and
// & unescaped. Fields at their default (false booleans, empty lists and
// texts, a zero "delay", an empty "agent", a null) are left out, and no
// key the document does not have is written: a required field left out
// stays out, for the checker to report, rather than appearing empty.
// Nothing else changes, so the formatted set means what the document
// meant, and formatting it again changes nothing.
//
// Format refuses (returning the problems, and no document) a document
// that widget.ParseSet rejects, and one whose strict checks would lose
// something: an unknown key or the first of a duplicated one would be
// dropped, a verbatim value that is not JSON cannot be laid out, and bytes
// that are not UTF-8 would be written back as U+FFFD.
// Locate places the problems. Other problems of the set do not stop it.
func Format(data []byte) ([]byte, []widget.FieldError) {
	return format(data, false)
}

// Canonical is the set as the runtime reads it, in Format's layout: what
// a server publishes, whatever wrote the stored document (an old version,
// an import, a hand edit of the database). Unlike Format it does not
// refuse what the runtime would ignore or rewrite: unknown keys are
// dropped, of a key given twice the last is kept, and bytes that are not
// UTF-8 (where the decoder lets them through) become U+FFFD. It refuses
// (with the problems) only what cannot be laid out: a document
// widget.ParseSet rejects, and a verbatim value (condition value, emit
// data) that is not JSON. Canonical of a document Format accepts is
// Format's output.
func Canonical(data []byte) ([]byte, []widget.FieldError) {
	return format(data, true)
}

func format(data []byte, dropUnknown bool) ([]byte, []widget.FieldError) {
	set, err := widget.ParseSet(data)
	if err != nil {
		return nil, []widget.FieldError{rejection(err)}
	}
	d := scan(data)
	var errs []widget.FieldError
	for _, p := range d.strict {
		switch p.Code {
		case widget.CodeUnknownKey, widget.CodeDuplicateKey, widget.CodeBadText:
			if dropUnknown {
				continue
			}
		}
		errs = append(errs, p.FieldError)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var w jwriter.Writer
	set.MarshalEasyJSON(&w)
	compact, err := w.BuildBytes()
	if err != nil {
		return nil, []widget.FieldError{{Field: "(document)", Code: widget.CodeNotJSON, Problem: "cannot encode the set: " + err.Error()}}
	}
	p := pruner{scanner: scanner{data: compact}}
	kept := p.value(make([]byte, 0, len(compact)), d.root)
	if p.err != nil {
		return nil, []widget.FieldError{{Field: "(document)", Code: widget.CodeNotJSON, Problem: "cannot lay the set out: " + p.err.Error()}}
	}
	out := indent(make([]byte, 0, len(kept)+len(kept)/2), kept, p.raws)
	out = append(out, '\n')
	// The layout's indentation adds bytes the document may not have had:
	// what is published must still be a set the runtime reads.
	if len(out) > widget.MaxSetBytes {
		return nil, []widget.FieldError{{Field: "(document)", Code: widget.CodeTooLarge,
			Problem: "trigger set is " + strconv.Itoa(len(out)) + " bytes once laid out (two-space indentation), more than the limit of " + strconv.Itoa(widget.MaxSetBytes)}}
	}
	return out, nil
}

// indent lays compact JSON out as json.Indent does with two spaces, except
// the spans of raws (offsets into src, in order), which it copies as they
// are: a verbatim value stays on one line, so that laying it out adds at
// most a byte per colon and comma, however deeply it nests (indenting a
// value nested n deep would add 2n bytes to each of its lines: a few
// kilobytes of nested arrays became megabytes).
func indent(dst, src []byte, raws [][2]int) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, ' ', ' ')
		}
	}
	for i := 0; i < len(src); i++ {
		if len(raws) > 0 && i == raws[0][0] {
			dst = append(dst, src[i:raws[0][1]]...)
			i = raws[0][1] - 1
			raws = raws[1:]
			continue
		}
		c := src[i]
		switch c {
		case '"':
			dst, i = appendString(dst, src, i)
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// pruner copies the encoder's compact output, leaving out every object
// member whose key the document's object at the same place does not have.
// The model writes some fields whatever their value (an id, a condition's
// field, an agent's name); where the document left one out, it decodes to
// the zero value the encoder writes, so leaving it out again keeps the
// meaning and adds nothing.
type pruner struct {
	scanner
	raws [][2]int // where in the output the verbatim values are, in order
	err  error
}

func (p *pruner) value(dst []byte, in *node) []byte {
	p.ws()
	switch {
	case in != nil && in.fields != nil && p.peek() == '{':
		p.pos++
		dst = append(dst, '{')
		first := true
		for {
			p.ws()
			if p.peek() != '"' {
				p.pos++ // }
				break
			}
			keyStart := p.pos
			key := p.str()
			keyEnd := p.pos
			p.ws()
			p.pos++ // :
			if child, ok := in.fields[key]; ok {
				if !first {
					dst = append(dst, ',')
				}
				first = false
				dst = append(dst, p.data[keyStart:keyEnd]...)
				dst = append(dst, ':')
				dst = p.value(dst, child)
			} else {
				p.ws()
				p.skip()
			}
			p.ws()
			if p.peek() == ',' {
				p.pos++
			}
		}
		return append(dst, '}')
	case in != nil && in.items != nil && p.peek() == '[':
		p.pos++
		dst = append(dst, '[')
		for i := 0; ; i++ {
			p.ws()
			if p.peek() == ']' || p.pos >= len(p.data) {
				p.pos++
				break
			}
			if i > 0 {
				dst = append(dst, ',')
			}
			var child *node
			if i < len(in.items) {
				child = in.items[i]
			}
			at := p.pos
			dst = p.value(dst, child)
			p.ws()
			if p.peek() == ',' {
				p.pos++
			} else if p.pos == at { // not the encoder's output: stop
				p.stop()
			}
		}
		return append(dst, ']')
	}
	start := p.pos
	p.skip()
	if in == nil || !in.raw {
		return append(dst, p.data[start:p.pos]...)
	}
	// A verbatim value goes out on one line, a space after each colon
	// and comma: its indentation cannot grow with its depth.
	var b bytes.Buffer
	if err := json.Compact(&b, p.data[start:p.pos]); err != nil {
		p.err = err
		return dst
	}
	at := len(dst)
	dst = oneLine(dst, b.Bytes())
	p.raws = append(p.raws, [2]int{at, len(dst)})
	return dst
}

// oneLine appends compact JSON with a space after each colon and comma
// outside strings.
func oneLine(dst, compact []byte) []byte {
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		switch c {
		case '"':
			dst, i = appendString(dst, compact, i)
		case ':', ',':
			dst = append(dst, c, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendString appends the JSON string that starts at src[i] (its quote)
// and returns the index of its closing quote.
func appendString(dst, src []byte, i int) ([]byte, int) {
	start := i
	for i++; i < len(src) && src[i] != '"'; i++ {
		if src[i] == '\\' {
			i++
		}
	}
	return append(dst, src[start:min(i+1, len(src))]...), i
}
