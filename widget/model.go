// Package widget is the pure-Go domain of triggerwidget: the trigger-set
// model and its JSON format, validation, URL rules, and the engine that turns
// visitor and chat events into trigger messages on an injected clock and
// storage. Nothing here touches the browser; the wasm package adapts it.
package widget

//go:generate go run ../internal/easyjsonfix -pkg -no_std_marshalers -output_filename widget_easyjson.go .

// FormatVersion is the only trigger-set format version this runtime reads.
const FormatVersion = 1

// Limits of the format (docs/format.md). They are part of the product contract.
const (
	MaxTriggers        = 20
	MaxSuggestions     = 4
	MaxSuggestionLen   = 60
	MaxDelay           = 3600
	MaxTextLen         = 1000
	MaxAgentNameLen    = 50
	MaxTriggerNameLen  = 100
	MaxIDLen           = 64
	MaxConditions      = 10
	MaxActions         = 5
	MaxSetBytes        = 256 << 10
	MaxAttachments     = 10
	MaxFormFields      = 10
	MaxURLRuleLen      = 2048
	MaxStatusNameBytes = 16
	// A URL the widget puts into the page (agent image, attachment), in bytes.
	MaxURLLen = 2048
	// Texts of attachments, in characters: an image's alt text, a file's
	// shown name, a link's title, a form's submit label and a form field's
	// label. (A form field's name is an id: MaxIDLen.)
	MaxAltLen        = 200
	MaxFileNameLen   = 200
	MaxLinkTitleLen  = 200
	MaxSubmitLen     = 60
	MaxFieldLabelLen = 100
)

// Trigger types.
const (
	TypeSite       = "site"
	TypePage       = "page"
	TypeChatRescue = "chat_rescue"
	TypeMaximized  = "maximized"
	TypeAdvanced   = "advanced"
)

// Widget statuses.
const (
	StatusOnline  = "online"
	StatusAway    = "away"
	StatusOffline = "offline"
)

// Set is a property's trigger set, format version 1.
//
//easyjson:json
type Set struct {
	Version   int        `json:"version"`
	Property  string     `json:"property"`
	Timezone  string     `json:"timezone,omitempty"`
	Status    string     `json:"status,omitempty"`
	Triggers  []Trigger  `json:"triggers"`
	Shortcuts []Shortcut `json:"shortcuts,omitempty"`
	// Widget is how the widget looks and speaks on the site; a set without
	// it gets the defaults (see Appearance).
	Widget *Appearance `json:"widget,omitempty"`
}

// Trigger is one automatic message rule. Optional booleans are pointers so
// that a missing field takes the documented default rather than Go's zero value.
//
//easyjson:json
type Trigger struct {
	ID             string      `json:"id"`
	Name           string      `json:"name,omitempty"`
	Type           string      `json:"type"`
	Enabled        *bool       `json:"enabled,omitempty"`
	Delay          int         `json:"delay,omitempty"`
	OncePerVisitor bool        `json:"oncePerVisitor,omitempty"`
	URL            *URLRule    `json:"url,omitempty"`
	Message        *Message    `json:"message,omitempty"`
	Agent          Agent       `json:"agent,omitzero"`
	Suggestions    []string    `json:"suggestions,omitempty"`
	Event          string      `json:"event,omitempty"`
	Match          string      `json:"match,omitempty"`
	Conditions     []Condition `json:"conditions,omitempty"`
	Actions        []Action    `json:"actions,omitempty"`
}

// IsEnabled reports the trigger's enabled flag, true when absent.
func (t *Trigger) IsEnabled() bool { return t.Enabled == nil || *t.Enabled }

// URLRule selects pages for `page` triggers and URL conditions.
type URLRule struct {
	Match string `json:"match"`
	Value string `json:"value"`
}

// Message is either a custom text or a reference to a shortcut.
type Message struct {
	Text     string `json:"text,omitempty"`
	Shortcut string `json:"shortcut,omitempty"`
}

// Agent is who a trigger message appears to come from.
type Agent struct {
	Name  string `json:"name"`
	Image string `json:"image,omitempty"`
}

// IsZero tells the encoders (the omitzero tag) that no agent was given.
func (a Agent) IsZero() bool { return a.Name == "" && a.Image == "" }

// Shortcut is a predefined message of the property, with attachments.
type Shortcut struct {
	ID          string       `json:"id"`
	Text        string       `json:"text,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment kinds.
const (
	AttachImage = "image"
	AttachFile  = "file"
	AttachLink  = "link"
	AttachForm  = "form"
)

// Attachment is one part of a shortcut.
type Attachment struct {
	Kind   string      `json:"kind"`
	URL    string      `json:"url,omitempty"`
	Name   string      `json:"name,omitempty"`
	Size   int64       `json:"size,omitempty"`
	Alt    string      `json:"alt,omitempty"`
	Title  string      `json:"title,omitempty"`
	Submit string      `json:"submit,omitempty"`
	Fields []FormField `json:"fields,omitempty"`
}

// FormField is one input of a form attachment.
type FormField struct {
	Name     string `json:"name"`
	Label    string `json:"label,omitempty"`
	Type     string `json:"type,omitempty"`
	Required bool   `json:"required,omitempty"`
}

// Condition is one test of an advanced trigger.
type Condition struct {
	Field string  `json:"field"`
	Op    string  `json:"op"`
	Value RawJSON `json:"value,omitempty"`
	Case  bool    `json:"case,omitempty"`
}

// Action is one step of an advanced trigger.
type Action struct {
	Type        string   `json:"type"`
	Message     *Message `json:"message,omitempty"`
	Agent       *Agent   `json:"agent,omitempty"`
	Suggestions []string `json:"suggestions,omitempty"`
	Seconds     int      `json:"seconds,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Key         string   `json:"key,omitempty"`
	Value       RawJSON  `json:"value,omitempty"`
	Name        string   `json:"name,omitempty"`
	Data        RawJSON  `json:"data,omitempty"`
}

// Advanced-trigger events.
const (
	EventPageView        = "page_view"
	EventWidgetLoaded    = "widget_loaded"
	EventChatRequested   = "chat_requested"
	EventVisitorMessage  = "visitor_message"
	EventWidgetMaximized = "widget_maximized"
	EventCustom          = "custom_event"
)

var advancedEvents = []string{EventPageView, EventWidgetLoaded, EventChatRequested, EventVisitorMessage, EventWidgetMaximized, EventCustom}

// Advanced-trigger actions.
const (
	ActionSendMessage = "send_message"
	ActionWait        = "wait"
	ActionAddTags     = "add_tags"
	ActionRemoveTags  = "remove_tags"
	ActionSetAttr     = "set_attr"
	ActionMaximize    = "maximize"
	ActionEmit        = "emit"
)

// MaxEmitDataBytes bounds an emit action's data.
const MaxEmitDataBytes = 4096
