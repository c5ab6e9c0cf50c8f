package widget

// Chat states.
const (
	ChatNone       = "none"
	ChatRequesting = "requesting"
	ChatServed     = "served"
	ChatEnded      = "ended"
)

// Transcript entry kinds.
const (
	EntryTrigger = "trigger"
	EntryVisitor = "visitor"
	EntryAgent   = "agent"
	EntrySystem  = "system"
)

// MaxStateBytes bounds what the engine keeps in Storage: the visit and
// visitor records together, in bytes of JSON (never fewer than the
// characters localStorage counts). The visit's oldest lines go first, a
// trigger's message last.
const MaxStateBytes = 256 << 10

// stateVersion is the format of what the engine keeps in Storage. A stored
// state of another version is discarded, never misread.
const stateVersion = 1

// VisitState is everything a visit remembers across page loads.
//
//easyjson:json
type VisitState struct {
	V          int                 `json:"v"`
	Start      int64               `json:"start"`
	LastActive int64               `json:"last"`
	PageViews  int                 `json:"pages"`
	URL        string              `json:"url,omitempty"`
	Status     string              `json:"status,omitempty"`
	Maximized  bool                `json:"max,omitempty"`
	Chat       ChatState           `json:"chat"`
	Fired      map[string]int64    `json:"fired,omitempty"`
	Armed      map[string]int64    `json:"armed,omitempty"`
	Adv        map[string]AdvState `json:"adv,omitempty"`
	Transcript []Entry             `json:"transcript,omitempty"`
	NextEntry  int                 `json:"next"`
}

// ChatState is the visit's current chat.
type ChatState struct {
	State string `json:"state"`
	// Seq numbers the chats of the visit; chat rescue fires once per Seq.
	Seq     int            `json:"seq"`
	Rescued map[string]int `json:"rescued,omitempty"`
}

// VisitorState is what the browser remembers for good.
//
//easyjson:json
type VisitorState struct {
	V         int               `json:"v"`
	Visits    int               `json:"visits"`
	FiredOnce map[string]int64  `json:"once,omitempty"`
	Tags      []string          `json:"tags,omitempty"`
	Attrs     map[string]string `json:"attrs,omitempty"`
}

// Entry is one line of the transcript: a trigger message, a visitor or agent
// message, or a system notice. Trigger entries hold the resolved message
// (shortcut text and attachments included), so a reload shows exactly what
// was shown even if the trigger set has changed since.
type Entry struct {
	ID          int          `json:"id"`
	Kind        string       `json:"kind"`
	TriggerID   string       `json:"triggerId,omitempty"`
	At          int64        `json:"at"`
	Text        string       `json:"text,omitempty"`
	Agent       *Agent       `json:"agent,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	Suggestions []string     `json:"suggestions,omitempty"`
	// Submitted is true once the visitor sent the entry's form.
	Submitted bool `json:"submitted,omitempty"`
	// Retired is true once the visitor has written or picked a reply
	// after this message: its suggestions stay in the transcript as text
	// and can no longer be used.
	Retired bool `json:"retired,omitempty"`
	// Ref is the page's own id for an agent's message (agentMessage's
	// id): the transcript holds one line per id, whichever tab relayed it.
	Ref string `json:"ref,omitempty"`
}

// Snapshot is the engine state that TriggerWidget.getState() returns.
//
//easyjson:json
type Snapshot struct {
	Property  string            `json:"property"`
	Status    string            `json:"status"`
	Maximized bool              `json:"maximized"`
	Chat      string            `json:"chat"`
	Visit     VisitSummary      `json:"visit"`
	Tags      []string          `json:"tags"`
	Attrs     map[string]string `json:"attributes"`
	Fired     []FiredRecord     `json:"fired"`
	Armed     []ArmedRecord     `json:"armed"`
	Messages  []Entry           `json:"messages"`
}

// VisitSummary describes the current visit.
type VisitSummary struct {
	Start     int64  `json:"start"`
	PageViews int    `json:"pageViews"`
	Visits    int    `json:"visits"`
	Returning bool   `json:"returning"`
	URL       string `json:"url"`
}

// FiredRecord is a trigger that fired in this visit.
type FiredRecord struct {
	TriggerID string `json:"triggerId"`
	At        int64  `json:"at"`
}

// ArmedRecord is a trigger counting down.
type ArmedRecord struct {
	TriggerID string `json:"triggerId"`
	Due       int64  `json:"due"`
}
