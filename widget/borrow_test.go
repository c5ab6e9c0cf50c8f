package widget_test

import (
	"bytes"
	"testing"

	"github.com/triggerwidget/triggerwidget/widget"
)

// LoadLazy, the runtime's, keeps the set's texts in the document's own
// memory (its contract: the document never changes afterwards); Load,
// everyone else's, copies them.
func TestLoadLazyBorrowsTheDocument(t *testing.T) {
	doc := `{"version": 1, "property": "p", "triggers": [{"id": "a", "name": "Welcome", "type": "site", "message": {"text": "Hi"}, "agent": {"name": "Sam"}}]}`
	for _, tc := range []struct {
		load func([]byte) (*widget.Compiled, []widget.FieldError)
		want string
	}{{widget.LoadLazy, "Xelcome"}, {widget.Load, "Welcome"}} {
		data := []byte(doc)
		c, problems := tc.load(data)
		if c == nil || len(problems) > 0 {
			t.Fatalf("the set was refused: %v", problems)
		}
		data[bytes.Index(data, []byte("Welcome"))] = 'X'
		if got := c.Trigger("a").Name; got != tc.want {
			t.Errorf("the trigger's name after the document changed: %q, want %q", got, tc.want)
		}
	}
}
