package widget

// The host page's JavaScript API, declared once: the methods of
// window.TriggerWidget, the events it sends to listeners and the codes of
// its error event. The loader (wasm/assets/loader.js), the runtime
// (package wasm) and the TypeScript declarations (wasm/assets/widget.d.ts)
// each spell these names; a test checks all three against these tables.

// APIMethods are the methods of window.TriggerWidget, in documentation
// order. Calls made before the runtime is ready are queued.
var APIMethods = []string{
	"visitorMessage", "agentMessage", "agentJoined", "agentTyping", "agentStoppedTyping", "chatEnded", "setStatus",
	"maximize", "minimize", "toggle", "hide", "show",
	"setAttributes", "addTags", "removeTags", "addEvent",
	"getState", "explain", "reload", "shutdown",
}

// Events the widget sends to the host page's listeners.
const (
	HostLoad              = "load"
	HostTriggerFired      = "triggerFired"
	HostMessageShown      = "messageShown"
	HostSuggestionClicked = "suggestionClicked"
	HostVisitorMessage    = "visitorMessage"
	HostFormSubmitted     = "formSubmitted"
	HostOfflineMessage    = "offlineMessage"
	HostMaximized         = "maximized"
	HostMinimized         = "minimized"
	HostStatusChange      = "statusChange"
	HostEmit              = "emit"
	HostError             = "error"
)

// HostEvents lists every event, in documentation order.
var HostEvents = []string{
	HostLoad, HostTriggerFired, HostMessageShown, HostSuggestionClicked, HostVisitorMessage,
	HostFormSubmitted, HostOfflineMessage, HostMaximized, HostMinimized, HostStatusChange, HostEmit, HostError,
}

// Codes of the error event: a closed set.
const (
	ErrConfig         = "config"          // the script tag is missing its property or cannot find itself
	ErrLoad           = "load"            // the wasm or the trigger set could not be loaded, or the set was rejected
	ErrStart          = "start"           // the runtime could not start
	ErrRuntime        = "runtime"         // the runtime stopped unexpectedly
	ErrInvalidTrigger = "invalid_trigger" // one trigger is broken and skipped; triggerId names it
	ErrStorage        = "storage"         // browser storage is unavailable or held unreadable state
	ErrTimezone       = "timezone"        // the browser does not know the set's time zone; UTC is used
	ErrAPI            = "api"             // a TriggerWidget method was called with bad arguments
	ErrInput          = "input"           // the visitor's message was refused
	ErrForm           = "form"            // a form submission was refused
	ErrUI             = "ui"              // a widget control failed
	ErrRender         = "render"          // a message could not be rendered
	ErrReload         = "reload"          // reload() failed; the previous set keeps running
)

// ErrorCodes lists every error-event code, in documentation order.
var ErrorCodes = []string{
	ErrConfig, ErrLoad, ErrStart, ErrRuntime, ErrInvalidTrigger, ErrStorage,
	ErrTimezone, ErrAPI, ErrInput, ErrForm, ErrUI, ErrRender, ErrReload,
}
