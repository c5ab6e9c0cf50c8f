package widget

// The payloads of the events the widget sends to the host page's listeners
// (the events out of the JavaScript API). They live here, not in the wasm package, so that
// their JSON shape is generated, documented and tested natively.

// MessagePayload is a message as host listeners see it.
type MessagePayload struct {
	Text        string       `json:"text"`
	Agent       *Agent       `json:"agent,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Suggestions []string     `json:"suggestions,omitempty"`
}

// MessageOf returns the payload form of a transcript entry.
func MessageOf(e Entry) MessagePayload {
	return MessagePayload{Text: e.Text, Agent: e.Agent, Attachments: e.Attachments, Suggestions: e.Suggestions}
}

// TriggerEvent is the payload of triggerFired and messageShown.
//
//easyjson:json
type TriggerEvent struct {
	TriggerID string         `json:"triggerId"`
	EntryID   int            `json:"entryId"`
	Message   MessagePayload `json:"message"`
}

// SuggestionEvent is the payload of suggestionClicked.
//
//easyjson:json
type SuggestionEvent struct {
	TriggerID string `json:"triggerId"`
	EntryID   int    `json:"entryId"`
	Index     int    `json:"index"`
	Text      string `json:"text"`
}

// VisitorMessageEvent is the payload of visitorMessage: a message the
// visitor sent from the widget (Source "input" or "suggestion").
//
//easyjson:json
type VisitorMessageEvent struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

// StatusEvent is the payload of statusChange.
//
//easyjson:json
type StatusEvent struct {
	Status string `json:"status"`
}

// ErrorEvent is the payload of error.
//
//easyjson:json
type ErrorEvent struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	TriggerID string `json:"triggerId,omitempty"`
}

// LoadEvent is the payload of load.
//
//easyjson:json
type LoadEvent struct {
	Property string   `json:"property"`
	Status   string   `json:"status"`
	Triggers int      `json:"triggers"`
	Skipped  []string `json:"skipped"`
	Version  string   `json:"version"`
}

// EmptyEvent is the payload of maximized and minimized.
//
//easyjson:json
type EmptyEvent struct {
	Maximized bool `json:"maximized"`
}

// EmitEvent is the payload of emit: an advanced trigger's emit action.
//
//easyjson:json
type EmitEvent struct {
	TriggerID string  `json:"triggerId"`
	Name      string  `json:"name"`
	Data      RawJSON `json:"data"`
}

// FormEvent is the payload of formSubmitted.
//
//easyjson:json
type FormEvent struct {
	TriggerID string            `json:"triggerId"`
	EntryID   int               `json:"entryId"`
	Fields    map[string]string `json:"fields"`
}
