package admin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// document is a trigger set being edited. Triggers and shortcuts are kept
// as their raw JSON, so that editing one never rewrites another, and every
// other key of the set is kept as it was. Its bytes are checked whole and
// then laid out canonically before they are stored.
type document struct {
	top       map[string]json.RawMessage // every key but triggers and shortcuts
	triggers  []json.RawMessage
	shortcuts []json.RawMessage
	version   int64 // the stored version it was read from
	// problems are what a change found wrong with what it was given
	// beyond the set's own checks (a trigger added without a name):
	// reported with those, and nothing is stored.
	problems []widget.FieldError
}

// parseDocument reads a stored set. Stored sets passed the strict checks,
// so errors here mean a damaged database.
func parseDocument(data []byte) (*document, error) {
	d := &document{}
	if err := json.Unmarshal(data, &d.top); err != nil {
		return nil, store.Wrap(store.Internal, err, "the stored trigger set cannot be read")
	}
	if raw, ok := d.top["triggers"]; ok {
		if err := json.Unmarshal(raw, &d.triggers); err != nil {
			return nil, store.Wrap(store.Internal, err, "the stored trigger set cannot be read")
		}
	}
	if raw, ok := d.top["shortcuts"]; ok {
		if err := json.Unmarshal(raw, &d.shortcuts); err != nil {
			return nil, store.Wrap(store.Internal, err, "the stored trigger set cannot be read")
		}
	}
	delete(d.top, "triggers")
	delete(d.top, "shortcuts")
	return d, nil
}

// bytes is the document as JSON; the caller checks and formats it.
func (d *document) bytes() []byte {
	m := make(map[string]any, len(d.top)+2)
	for k, v := range d.top {
		m[k] = v
	}
	m["triggers"] = orEmpty(d.triggers)
	if len(d.shortcuts) > 0 {
		m["shortcuts"] = d.shortcuts
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(m) // raw messages from a parsed document always encode
	return b.Bytes()
}

func orEmpty(l []json.RawMessage) []json.RawMessage {
	if l == nil {
		return []json.RawMessage{}
	}
	return l
}

// item is the identity of a trigger or shortcut: its id and name.
type item struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func itemOf(raw json.RawMessage) item {
	var it item
	_ = json.Unmarshal(raw, &it) // a malformed item has no id; the checker says why
	return it
}

// label is how a summary names a trigger: its name, else its id.
func (it item) label() string {
	if it.Name != "" {
		return it.Name
	}
	return it.ID
}

// find is the index of the item with id in l, or -1.
func find(l []json.RawMessage, id string) int {
	for i, raw := range l {
		if itemOf(raw).ID == id {
			return i
		}
	}
	return -1
}

// itemETag is the strong validator of one trigger or shortcut: a hash of
// its compact JSON, so that two people editing different triggers of one
// set do not conflict, and two editing the same one do.
func itemETag(raw json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		b.Reset()
		b.Write(raw)
	}
	sum := sha256.Sum256(b.Bytes())
	return `"i-` + hex.EncodeToString(sum[:12]) + `"`
}

// compactItem is raw as compact JSON, for responses.
func compactItem(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
