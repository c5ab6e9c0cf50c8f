package widget_test

import (
	"reflect"
	"strings"
	"testing"

	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
	jwriter "github.com/triggerwidget/triggerwidget/internal/jsonwrite"
	"github.com/triggerwidget/triggerwidget/widget"
)

// Saved state holds what visitors and triggers wrote: '<', '>' and '&'
// are stored as they are, one byte each, and read back the same.
func TestStateIsWrittenWithoutHTMLEscapes(t *testing.T) {
	t.Parallel()
	in := widget.VisitorState{V: 1, Visits: 2, Tags: []string{"<vip>"}, Attrs: map[string]string{"plan": `a<b && c>d "q" é`}}
	var w jwriter.Writer
	in.MarshalEasyJSON(&w)
	b, err := w.BuildBytes()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `\u00`) || !strings.Contains(string(b), `a<b && c>d \"q\" é`) {
		t.Errorf("encoded %s; want <, > and & as they are", b)
	}
	var out widget.VisitorState
	l := jlexer.Lexer{Data: b}
	out.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Errorf("read back %+v, want %+v", out, in)
	}
}

// A verbatim value is kept byte for byte, and must be JSON itself.
func TestRawJSON(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		doc, want string
		ok        bool
	}{
		{`{"triggerId":"t","name":"e","data": {"a" : [1, "<x>"]} }`, `{"a" : [1, "<x>"]}`, true},
		{`{"triggerId":"t","name":"e","data": null}`, ``, true}, // null counts as absent
		{`{"triggerId":"t","name":"e","data": -1.5e3}`, `-1.5e3`, true},
		{`{"triggerId":"t","name":"e"}`, ``, true},
		{`{"triggerId":"t","name":"e","data": {"a": [1,]}}`, ``, false},
		{`{"triggerId":"t","name":"e","data": "a` + "\x01" + `"}`, ``, false},
	} {
		var a widget.EmitEvent
		l := jlexer.Lexer{Data: []byte(c.doc)}
		a.UnmarshalEasyJSON(&l)
		if (l.Error() == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.doc, l.Error(), c.ok)
			continue
		}
		if c.ok && string(a.Data) != c.want {
			t.Errorf("%s: data %q, want %q", c.doc, a.Data, c.want)
		}
	}
}
