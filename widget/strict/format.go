package strict

import (
	"bytes"
	"encoding/json"

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
	var out bytes.Buffer
	if err := json.Indent(&out, kept, "", "  "); err != nil {
		return nil, []widget.FieldError{{Field: "(document)", Code: widget.CodeNotJSON, Problem: "cannot lay the set out: " + err.Error()}}
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// pruner copies the encoder's compact output, leaving out every object
// member whose key the document's object at the same place does not have.
// The model writes some fields whatever their value (an id, a condition's
// field, an agent's name); where the document left one out, it decodes to
// the zero value the encoder writes, so leaving it out again keeps the
// meaning and adds nothing.
type pruner struct{ scanner }

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
	return append(dst, p.data[start:p.pos]...)
}
