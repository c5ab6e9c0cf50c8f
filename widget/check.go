package widget

import (
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	jlexer "github.com/triggerwidget/triggerwidget/internal/jsonlex"
)

// StandardAvatars are the built-in agent images a trigger may name as
// "avatar:NAME"; the widget ships them beside widget.js.
var StandardAvatars = []string{"robot", "headset", "woman", "man"}

// ParseSet decodes a trigger set. It rejects documents that are too large,
// not JSON, or of another format version (the error is a *FieldError); it
// does not check the triggers (Compile does), so that the runtime can still
// run the valid ones.
func ParseSet(data []byte) (*Set, error) {
	s, fe := parseSet(data)
	if fe != nil {
		return nil, fe
	}
	return s, nil
}

func parseSet(data []byte) (*Set, *FieldError) {
	return parseSetBorrowing(data, false)
}

// parseSetBorrowing is parseSet; with borrowing, the set's strings share
// data's memory (see jlexer.Lexer.Borrow), which must then never change.
func parseSetBorrowing(data []byte, borrowing bool) (*Set, *FieldError) {
	if len(data) > MaxSetBytes {
		return nil, &FieldError{Field: "(document)", Code: CodeTooLarge, Problem: "trigger set is " + itoa(len(data)) + " bytes, more than the limit of " + itoa(MaxSetBytes)}
	}
	var s Set
	l := jlexer.Lexer{Data: data}
	borrow(&l, borrowing)
	s.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		return nil, &FieldError{Field: "(document)", Code: CodeNotJSON, Problem: "not a valid trigger set JSON document: " + syntaxProblem(data, err)}
	}
	if s.Version == 0 {
		return nil, &FieldError{Field: "version", Code: CodeBadVersion, Problem: "missing: a trigger set starts with \"version\": " + itoa(FormatVersion)}
	}
	if s.Version != FormatVersion {
		return nil, &FieldError{Field: "version", Code: CodeBadVersion, Problem: "unsupported format version " + itoa(s.Version) + " (this runtime reads version " + itoa(FormatVersion) + ")"}
	}
	return &s, nil
}

// LineCol returns the line and column (both from 1; the column counts
// bytes) of byte offset off in data.
func LineCol(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	line, col = 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// syntaxProblem describes a decoding error by line and column with a short
// excerpt; easyjson's own message can quote the rest of the document.
func syntaxProblem(data []byte, err error) string {
	le, ok := err.(*jlexer.LexerError)
	if !ok {
		if errors.Is(err, io.EOF) {
			return "the document ends too early (is it truncated?)"
		}
		return err.Error()
	}
	off := min(le.Offset, len(data))
	line, col := LineCol(data, off)
	excerpt := string(data[off:min(len(data), off+24)])
	if i := strings.IndexByte(excerpt, '\n'); i >= 0 {
		excerpt = excerpt[:i]
	}
	msg := le.Reason + " at line " + itoa(line) + ", column " + itoa(col)
	if excerpt != "" {
		msg += " near " + quote(excerpt)
	}
	return msg
}

// checker walks a decoded set once. Every check that accepts a part of a
// trigger hands on what it compiled (a URL matcher, a condition, a
// resolved message), so nothing is compiled twice and a trigger is runnable
// exactly when no check refused any of its parts.
type checker struct {
	set *Set
	out *Compiled
	// The trigger being checked: its label for messages, its position
	// from 1 (0 outside triggers), and whether a check refused part of it.
	trigger string
	index   int
	bad     bool
	// shortcuts by id, each with whether it has problems of its own.
	shortcuts map[string]*shortcutRef
	// lazy leaves regular expressions to their first use (LoadLazy).
	lazy bool
}

type shortcutRef struct {
	sc  *Shortcut
	bad bool
}

func check(s *Set, lazy bool) *Compiled {
	c := &checker{set: s, out: &Compiled{Property: s.Property, Status: s.Status, Timezone: s.Timezone},
		shortcuts: make(map[string]*shortcutRef, len(s.Shortcuts)), lazy: lazy}
	c.run()
	c.out.Widget = c.appearance(s.Widget)
	return c.out
}

// add records a problem of the trigger being checked (or of the set). It is
// called from a hundred places: kept out of line, it costs the wasm one
// call each instead of a copy of its body.
//
//go:noinline
func (c *checker) add(field, code, problem string) {
	c.bad = true
	c.out.Problems = append(c.out.Problems, FieldError{TriggerID: c.trigger, Index: c.index, Field: field, Code: code, Problem: problem})
}

// sub adds a problem of field's member name.
//
//go:noinline
func (c *checker) sub(field, name, code, problem string) {
	c.add(field+"."+name, code, problem)
}

// countOver words a list over its limit: "has 5 suggestions, more than 4".
func countOver(n, limit int, noun string) string {
	return "has " + itoa(n) + " " + noun + ", more than " + itoa(limit)
}

// charsOver words a text over its limit.
func charsOver(n, limit int) string {
	return "is " + itoa(n) + " characters, more than " + itoa(limit)
}

// oneOf words a value outside its closed list.
func oneOf(what, got, list string) string {
	return "unknown " + what + " " + quote(got) + " (one of " + list + ")"
}

func (c *checker) addRule(prefix string, re *RuleError) {
	c.add(prefix+re.Field, re.Code, re.Problem)
}

const actionList = "send_message, wait, add_tags, remove_tags, set_attr, maximize, emit"

const idRule = "must be 1 to 64 letters, digits, '-', '_' or '.'"

func (c *checker) run() {
	s, out := c.set, c.out
	if s.Version != FormatVersion {
		c.add("version", CodeBadVersion, "unsupported format version "+itoa(s.Version)+" (this runtime reads version "+itoa(FormatVersion)+")")
	}
	if !ValidID(s.Property) {
		c.add("property", CodeBadID, idRule)
	}
	if s.Status != "" && !validStatus(s.Status) {
		c.add("status", CodeUnknownValue, oneOf("status", s.Status, "online, away, offline"))
		out.Status = ""
	}
	if s.Timezone != "" && !validTimezone(s.Timezone) {
		c.add("timezone", CodeBadTimezone, "not an IANA time zone name like \"Europe/Paris\": "+quote(s.Timezone))
		out.Timezone = ""
	}
	if out.Status == "" {
		out.Status = StatusOnline
	}
	if out.Timezone == "" {
		out.Timezone = "UTC"
	}
	for i := range s.Shortcuts {
		c.shortcut(i)
	}
	if len(s.Triggers) > MaxTriggers {
		c.add("triggers", CodeTooManyTriggers, "has "+itoa(len(s.Triggers))+" triggers, more than the limit of "+itoa(MaxTriggers))
	}
	first := make(map[string]int, len(s.Triggers)) // id -> position from 1
	for i := range s.Triggers {
		t := &s.Triggers[i]
		c.trigger, c.index, c.bad = TriggerLabel(t.ID, i), i+1, false
		if i >= MaxTriggers {
			c.add("", CodeTooManyTriggers, "trigger number "+itoa(i+1)+" is over the limit of "+itoa(MaxTriggers)+" triggers")
			out.Skipped = append(out.Skipped, c.trigger)
			continue
		}
		switch at, dup := first[t.ID]; {
		case !ValidID(t.ID):
			c.add("id", CodeBadID, idRule)
		case dup:
			c.add("id", CodeDuplicateID, "duplicate id "+quote(t.ID)+": trigger #"+itoa(i+1)+" has the same id as trigger #"+itoa(at))
		default:
			first[t.ID] = i + 1
		}
		ct := c.triggerFields(t, i)
		if c.bad {
			out.Skipped = append(out.Skipped, c.trigger)
			continue
		}
		ct.pos = len(out.Triggers)
		out.Triggers = append(out.Triggers, ct)
	}
	c.trigger, c.index = "", 0
}

// TriggerLabel names the i-th trigger (from 0) in problems: its id, or its
// position ("#3") when the id is missing or too long to be one.
func TriggerLabel(id string, i int) string {
	if id != "" && len(id) <= MaxIDLen {
		return id
	}
	return "#" + itoa(i+1)
}

// triggerFields checks one trigger and returns it compiled (meaningful only
// when no check refused a part of it).
func (c *checker) triggerFields(t *Trigger, i int) *CompiledTrigger {
	ct := &CompiledTrigger{
		ID: t.ID, Name: t.Name, Type: t.Type, Index: i,
		Enabled:        t.IsEnabled(),
		Delay:          int64(t.Delay) * 1000,
		OncePerVisitor: t.OncePerVisitor,
		Agent:          t.Agent,
		Suggestions:    t.Suggestions,
	}
	if n := runeCount(t.Name); n > MaxTriggerNameLen {
		c.add("name", CodeTooLong, charsOver(n, MaxTriggerNameLen))
	}
	if t.Delay < 0 || t.Delay > MaxDelay {
		c.add("delay", CodeOutOfRange, "must be between 0 and "+itoa(MaxDelay)+" seconds, got "+itoa(t.Delay))
	}
	switch t.Type {
	case TypeSite, TypeChatRescue, TypeMaximized:
		if t.URL != nil {
			c.add("url", CodeNotAllowed, "only page triggers take a URL rule")
		}
	case TypePage:
		if t.URL == nil {
			c.add("url", CodeMissing, "a page trigger needs a URL rule {\"match\", \"value\"}")
		} else if m, err := compileURLRule(*t.URL, c.lazy); err != nil {
			c.addRule("url.", err)
		} else {
			ct.url = m
		}
	case TypeAdvanced:
		c.advanced(t, ct)
		return ct
	case "":
		c.add("type", CodeMissing, "missing (one of site, page, chat_rescue, maximized, advanced)")
		return ct
	default:
		c.add("type", CodeUnknownValue, oneOf("type", t.Type, "site, page, chat_rescue, maximized, advanced"))
		return ct
	}
	m := c.message("message", t.Message)
	ct.Text, ct.Attachments = m.text, m.attachments
	c.agent("agent", &t.Agent)
	c.suggestions("suggestions", t.Suggestions)
	return ct
}

// message checks a message and resolves it: a shortcut's text and
// attachments, or the custom text.
func (c *checker) message(field string, m *Message) message {
	switch {
	case m == nil:
		c.add(field, CodeMissing, "missing: give {\"text\": …} or {\"shortcut\": …}")
	case m.Text != "" && m.Shortcut != "":
		c.add(field, CodeConflict, "has both text and shortcut; give one")
	case m.Shortcut != "":
		ref := c.shortcuts[m.Shortcut]
		switch {
		case ref == nil:
			c.sub(field, "shortcut", CodeUnknownShortcut, "no shortcut with id "+quote(m.Shortcut)+" in this set")
		case ref.bad:
			c.sub(field, "shortcut", CodeInvalidShortcut, "shortcut "+quote(m.Shortcut)+" is invalid (see its problems)")
		default:
			return message{text: ref.sc.Text, attachments: ref.sc.Attachments}
		}
	default:
		c.text(field+".text", m.Text)
		return message{text: m.Text}
	}
	return message{}
}

func (c *checker) text(field, text string) {
	if strings.TrimSpace(text) == "" {
		c.add(field, CodeMissing, "must not be empty")
	}
	if !utf8.ValidString(text) {
		c.add(field, CodeBadText, "is not valid UTF-8")
	}
	if n := runeCount(text); n > MaxTextLen {
		c.add(field, CodeTooLong, charsOver(n, MaxTextLen))
	}
}

// shownText checks an optional text the widget shows (an alt text, a
// label): valid UTF-8, at most limit characters.
func (c *checker) shownText(field, text string, limit int) {
	if !utf8.ValidString(text) {
		c.add(field, CodeBadText, "is not valid UTF-8")
	} else if n := runeCount(text); n > limit {
		c.add(field, CodeTooLong, charsOver(n, limit))
	}
}

func (c *checker) agent(field string, a *Agent) {
	if strings.TrimSpace(a.Name) == "" {
		c.sub(field, "name", CodeMissing, "must not be empty")
	} else if n := runeCount(a.Name); n > MaxAgentNameLen {
		c.sub(field, "name", CodeTooLong, charsOver(n, MaxAgentNameLen))
	}
	if a.Image != "" {
		if code, problem := checkImageURL(a.Image); problem != "" {
			c.sub(field, "image", code, problem)
		}
	}
}

func (c *checker) suggestions(field string, list []string) {
	if len(list) > MaxSuggestions {
		c.add(field, CodeTooMany, countOver(len(list), MaxSuggestions, "suggestions"))
	}
	for i, s := range list {
		f := field + "[" + itoa(i) + "]"
		if strings.TrimSpace(s) == "" {
			c.add(f, CodeMissing, "must not be empty")
		} else if n := runeCount(s); n > MaxSuggestionLen {
			c.add(f, CodeTooLong, charsOver(n, MaxSuggestionLen))
		}
	}
}

// shortcut checks the i-th shortcut and records it for the triggers that
// send it.
func (c *checker) shortcut(i int) {
	sc := &c.set.Shortcuts[i]
	field := "shortcuts[" + itoa(i) + "]"
	before := len(c.out.Problems)
	ref := &shortcutRef{sc: sc}
	switch prev := c.shortcuts[sc.ID]; {
	case !ValidID(sc.ID):
		c.sub(field, "id", CodeBadID, idRule)
	case prev != nil:
		c.sub(field, "id", CodeDuplicateID, "duplicate shortcut id "+quote(sc.ID))
		ref = prev // a trigger naming this id cannot know which one it means
	}
	c.shortcuts[sc.ID] = ref
	if sc.Text == "" && len(sc.Attachments) == 0 {
		c.add(field, CodeMissing, "needs a text or at least one attachment")
	}
	if sc.Text != "" {
		c.text(field+".text", sc.Text)
	}
	if len(sc.Attachments) > MaxAttachments {
		c.sub(field, "attachments", CodeTooMany, countOver(len(sc.Attachments), MaxAttachments, "attachments"))
	}
	for j := range sc.Attachments {
		c.attachment(field+".attachments["+itoa(j)+"]", &sc.Attachments[j])
	}
	if len(c.out.Problems) > before {
		ref.bad = true
	}
}

func (c *checker) attachment(field string, a *Attachment) {
	switch a.Kind {
	case AttachImage, AttachFile, AttachLink:
		if a.URL == "" {
			c.sub(field, "url", CodeMissing, "must not be empty")
		} else if code, problem := checkAttachmentURL(a.Kind, a.URL); problem != "" {
			c.sub(field, "url", code, problem)
		}
		switch a.Kind {
		case AttachImage:
			c.shownText(field+".alt", a.Alt, MaxAltLen)
		case AttachFile:
			c.shownText(field+".name", a.Name, MaxFileNameLen)
			if a.Size < 0 {
				c.sub(field, "size", CodeOutOfRange, "must not be negative")
			}
		case AttachLink:
			c.shownText(field+".title", a.Title, MaxLinkTitleLen)
		}
	case AttachForm:
		if len(a.Fields) == 0 {
			c.sub(field, "fields", CodeMissing, "a form needs at least one field")
		}
		if len(a.Fields) > MaxFormFields {
			c.sub(field, "fields", CodeTooMany, countOver(len(a.Fields), MaxFormFields, "fields"))
		}
		names := map[string]bool{}
		for k, f := range a.Fields {
			ff := field + ".fields[" + itoa(k) + "]"
			if !ValidID(f.Name) {
				c.sub(ff, "name", CodeBadID, idRule)
			} else if names[f.Name] {
				c.sub(ff, "name", CodeDuplicateID, "duplicate field name "+quote(f.Name))
			}
			names[f.Name] = true
			c.shownText(ff+".label", f.Label, MaxFieldLabelLen)
			switch f.Type {
			case "", "text", "email", "tel", "textarea", "number":
			default:
				c.sub(ff, "type", CodeUnknownValue, oneOf("field type", f.Type, "text, email, tel, textarea, number"))
			}
		}
		c.shownText(field+".submit", a.Submit, MaxSubmitLen)
	case "":
		c.sub(field, "kind", CodeMissing, "missing (one of image, file, link, form)")
	default:
		c.sub(field, "kind", CodeUnknownValue, oneOf("kind", a.Kind, "image, file, link, form"))
	}
}

// advanced checks and compiles an advanced trigger's event, conditions and
// actions.
func (c *checker) advanced(t *Trigger, ct *CompiledTrigger) {
	ct.event, ct.matchAny = t.Event, t.Match == "any"
	if !contains(advancedEvents, t.Event) {
		if t.Event == "" {
			c.add("event", CodeMissing, "missing (one of "+strings.Join(advancedEvents, ", ")+")")
		} else {
			c.add("event", CodeUnknownValue, oneOf("event", t.Event, strings.Join(advancedEvents, ", ")))
		}
	}
	if t.Match != "" && t.Match != "all" && t.Match != "any" {
		c.add("match", CodeUnknownValue, "must be \"all\" or \"any\", got "+quote(t.Match))
	}
	if t.Delay != 0 {
		c.add("delay", CodeNotAllowed, "advanced triggers wait with a wait action, not delay")
	}
	if t.Message != nil {
		c.add("message", CodeNotAllowed, "advanced triggers send messages with send_message actions, not a top-level message")
	}
	if len(t.Suggestions) > 0 {
		c.add("suggestions", CodeNotAllowed, "advanced triggers give suggestions in their send_message actions, not at the top level")
	}
	if t.URL != nil {
		c.add("url", CodeNotAllowed, "advanced triggers select pages with page.url or page.path conditions, not a URL rule")
	}
	if !t.Agent.IsZero() {
		c.add("agent", CodeNotAllowed, "advanced triggers name their agent in their send_message actions, not at the top level")
	}
	if len(t.Conditions) > MaxConditions {
		c.add("conditions", CodeTooMany, countOver(len(t.Conditions), MaxConditions, "conditions"))
	}
	for i, cd := range t.Conditions {
		cc, err := compileCond(cd, c.lazy)
		if err != nil {
			c.addRule("conditions["+itoa(i)+"].", err)
			continue
		}
		ct.conds = append(ct.conds, cc)
		ct.hasTime = ct.hasTime || cc.isTime()
	}
	switch n := len(t.Actions); {
	case n == 0:
		c.add("actions", CodeMissing, "an advanced trigger needs at least one action")
	case n > MaxActions:
		c.add("actions", CodeTooMany, countOver(n, MaxActions, "actions"))
	}
	ct.Agent, ct.Suggestions = Agent{}, nil
	sends := false
	for i := range t.Actions {
		a := c.action("actions["+itoa(i)+"]", &t.Actions[i])
		if a.typ == ActionSendMessage && !sends {
			sends = true
			ct.Text, ct.Attachments, ct.Agent, ct.Suggestions = a.msg.text, a.msg.attachments, a.msg.agent, a.msg.suggestions
		}
		ct.actions = append(ct.actions, a)
	}
}

// action checks one action and returns it compiled.
func (c *checker) action(field string, a *Action) action {
	out := action{typ: a.Type}
	switch a.Type {
	case ActionSendMessage:
		out.msg = c.message(field+".message", a.Message)
		if a.Agent == nil {
			c.sub(field, "agent", CodeMissing, "missing: who sends the message")
		} else {
			c.agent(field+".agent", a.Agent)
			out.msg.agent = *a.Agent
		}
		c.suggestions(field+".suggestions", a.Suggestions)
		out.msg.suggestions = a.Suggestions
	case ActionWait:
		if a.Seconds < 1 || a.Seconds > MaxDelay {
			c.sub(field, "seconds", CodeOutOfRange, "must be between 1 and "+itoa(MaxDelay)+" seconds, got "+itoa(a.Seconds))
		}
		out.seconds = int64(a.Seconds) * 1000
	case ActionAddTags, ActionRemoveTags:
		if len(a.Tags) == 0 {
			c.sub(field, "tags", CodeMissing, "needs at least one tag")
		}
		for j, tag := range a.Tags {
			if tag = strings.TrimSpace(tag); tag == "" {
				c.add(field+".tags["+itoa(j)+"]", CodeMissing, "tags must be 1 to "+itoa(MaxTagLen)+" characters")
			} else if runeCount(tag) > MaxTagLen {
				c.add(field+".tags["+itoa(j)+"]", CodeTooLong, "tags must be 1 to "+itoa(MaxTagLen)+" characters")
			}
		}
		out.tags = a.Tags
	case ActionSetAttr:
		switch k := strings.TrimSpace(a.Key); {
		case k == "":
			c.sub(field, "key", CodeMissing, "must be 1 to "+itoa(MaxAttrKeyLen)+" bytes")
		case len(k) > MaxAttrKeyLen:
			c.sub(field, "key", CodeTooLong, "must be 1 to "+itoa(MaxAttrKeyLen)+" bytes")
		}
		out.key = strings.ToLower(strings.TrimSpace(a.Key))
		v, ok := scalarString(a.Value)
		switch {
		case ok && runeCount(v) > MaxAttrValueLen:
			c.sub(field, "value", CodeTooLong, charsOver(runeCount(v), MaxAttrValueLen))
		case !ok:
			c.sub(field, "value", CodeWrongType, "must be a text, a number or true/false")
		}
		out.value = v
	case ActionMaximize:
	case ActionEmit:
		switch n := strings.TrimSpace(a.Name); {
		case n == "":
			c.sub(field, "name", CodeMissing, "must be 1 to "+itoa(MaxEventNameLen)+" bytes")
		case len(n) > MaxEventNameLen:
			c.sub(field, "name", CodeTooLong, "must be 1 to "+itoa(MaxEventNameLen)+" bytes")
		}
		if n := a.Data.compactLen(); n > MaxEmitDataBytes {
			c.sub(field, "data", CodeTooLarge, "is "+itoa(n)+" bytes of JSON (whitespace aside), more than "+itoa(MaxEmitDataBytes))
		}
		out.name, out.data = strings.TrimSpace(a.Name), a.Data
	case "":
		c.sub(field, "type", CodeMissing, "missing (one of "+actionList+")")
	default:
		c.sub(field, "type", CodeUnknownValue, oneOf("action", a.Type, actionList))
	}
	return out
}

// CheckImageURL checks u as a trigger set's agent image or image
// attachment is checked, and returns the problem's code and message, or ""
// when the URL is accepted. Pages that show such a URL before it is saved
// (the admin's thumbnails) show only an accepted one.
func CheckImageURL(u string) (code, problem string) { return checkImageURL(u) }

// checkImageURL accepts an https URL, a relative URL (resolved against the
// trigger set's URL, so same-origin), or a standard avatar "avatar:NAME".
// It returns a problem code and message, or "" when the URL is fine.
func checkImageURL(u string) (code, problem string) {
	if name, ok := strings.CutPrefix(u, "avatar:"); ok {
		if contains(StandardAvatars, name) {
			return "", ""
		}
		return CodeUnknownValue, "unknown standard avatar " + quote(name) + " (one of " + strings.Join(StandardAvatars, ", ") + ")"
	}
	return checkLinkURL(u)
}

// checkAttachmentURL is checkLinkURL, except that a link card may also
// point to a plain http: page (it opens in a new tab; nothing is loaded into
// the host page, so there is no mixed content).
func checkAttachmentURL(kind, u string) (code, problem string) {
	return checkURL(u, kind == AttachLink)
}

// checkLinkURL accepts https URLs and relative URLs; everything with another
// scheme (javascript:, data:, http:) is refused.
func checkLinkURL(u string) (code, problem string) {
	return checkURL(u, false)
}

// checkURL checks a URL the widget puts into the page the way a browser
// will read it. A browser's URL parser drops leading and trailing control
// characters and spaces, deletes tabs and line breaks wherever they are,
// and reads '\' as '/' in http(s) URLs, so "\x01//evil.example/x.png",
// "/\tevil.example" or "/\\evil.example" would all load from another host
// although they look relative. Rather than repeat that parser, checkURL
// accepts only URLs that every parser reads alike: no control character,
// space, backslash, quote or angle bracket anywhere; either "https://" (or
// "http://" when allowHTTP) and a plain host, or a relative URL that cannot
// leave the set's origin (no scheme, not starting with "//").
func checkURL(u string, allowHTTP bool) (code, problem string) {
	if len(u) > MaxURLLen {
		return CodeTooLong, "is " + itoa(len(u)) + " bytes, more than " + itoa(MaxURLLen)
	}
	if problem := urlCharProblem(u); problem != "" {
		return CodeBadURL, problem
	}
	if rest, ok := cutPrefixFold(u, "https:"); ok {
		return checkAuthority("https:", rest)
	}
	if rest, ok := cutPrefixFold(u, "http:"); ok && allowHTTP {
		return checkAuthority("http:", rest)
	}
	if strings.HasPrefix(u, "//") {
		return CodeBadURL, "starts with //, so it loads from whatever host follows; write https:// and the host"
	}
	colon := strings.IndexByte(u, ':')
	slash := strings.IndexAny(u, "/?#")
	if colon >= 0 && (slash < 0 || colon < slash) {
		allowed := "an https: URL"
		if allowHTTP {
			allowed = "an https: or http: URL"
		}
		return CodeBadURL, "must be " + allowed + " or a relative path, not " + quote(u[:colon+1])
	}
	return "", ""
}

// urlCharProblem names the first character of u that a browser would drop,
// rewrite or read as a separator, or that has no business in a URL.
func urlCharProblem(u string) string {
	if !utf8.ValidString(u) {
		return "is not valid UTF-8"
	}
	for i := 0; i < len(u); i++ {
		switch c := u[i]; {
		case c == '\t' || c == '\n' || c == '\r':
			return "contains a tab or line break at byte " + itoa(i) + " (browsers delete them, which changes the URL)"
		case c < 0x20 || c == 0x7f:
			return "contains the control character " + hexByte(c) + " at byte " + itoa(i) + " (browsers drop or reject it, which changes the URL)"
		case c == ' ':
			return "contains a space at byte " + itoa(i) + " (write %20 inside a URL)"
		case c == '\\':
			return "contains a backslash at byte " + itoa(i) + " (browsers read it as /)"
		case c == '"' || c == '\'' || c == '<' || c == '>' || c == '`':
			return "contains quotes or angle brackets"
		}
	}
	return ""
}

// checkAuthority checks what follows the scheme of an absolute URL: "//",
// then a host (with an optional port), and nothing a person could misread
// as the host (a user name before '@').
func checkAuthority(scheme, rest string) (code, problem string) {
	after, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return CodeBadURL, scheme + " must be followed by // and a host"
	}
	authority := after
	if i := strings.IndexAny(after, "/?#"); i >= 0 {
		authority = after[:i]
	}
	if authority == "" {
		return CodeBadURL, "has no host"
	}
	if strings.Contains(authority, "@") {
		return CodeBadURL, "names a user or password before the host (the host is what follows '@')"
	}
	// The host, then an optional ":port". An IPv6 address is the one host
	// with colons, and it is written in brackets.
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		end := strings.IndexByte(authority, ']')
		if end < 0 {
			return CodeBadURL, "has a '[' without its ']'"
		}
		host = authority[:end+1]
		if rest := authority[end+1:]; rest != "" {
			var ok bool
			if port, ok = strings.CutPrefix(rest, ":"); !ok {
				return CodeBadURL, "has something other than a port after the ']' of its host"
			}
		}
		if !ipv6Text(host[1:end]) {
			return CodeBadURL, "has a host in brackets that is not an IPv6 address"
		}
	} else {
		host, port, _ = strings.Cut(authority, ":")
		if strings.ContainsAny(host, "[]") {
			return CodeBadURL, "has a '[' or ']' outside an IPv6 address in brackets"
		}
	}
	n := 0
	for _, c := range []byte(port) {
		if c < '0' || c > '9' {
			return CodeBadURL, "has a port that is not a number"
		}
		if n = n*10 + int(c-'0'); n > 65535 {
			return CodeBadURL, "has a port over 65535"
		}
	}
	if host == "" {
		return CodeBadURL, "has no host"
	}
	for _, c := range []byte(host) {
		if c < 0x80 && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '[' || c == ']' || c == ':') {
			return CodeBadURL, "has a host with the character " + quote(string(c)) + "; a host is letters, digits, '-' and '.'"
		}
	}
	return "", ""
}

// ipv6Text reports whether s could be an IPv6 address: hexadecimal digits
// and at least two colons (and dots, for an IPv4 address at its end). The
// browser checks the rest; what it refuses only makes a dead link.
func ipv6Text(s string) bool {
	colons := 0
	for _, c := range []byte(s) {
		switch {
		case c == ':':
			colons++
		case c == '.', c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return colons >= 2
}

// cutPrefixFold is strings.CutPrefix with an ASCII case-insensitive prefix.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func hexByte(c byte) string {
	const digits = "0123456789ABCDEF"
	return "U+00" + string([]byte{digits[c>>4], digits[c&15]})
}

// ValidID reports whether id may name a property, trigger, shortcut or form
// field: 1 to MaxIDLen letters, digits, '-', '_' or '.'.
func ValidID(id string) bool {
	if id == "" || len(id) > MaxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func validStatus(s string) bool {
	return s == StatusOnline || s == StatusAway || s == StatusOffline
}

// validTimezone checks the shape of an IANA name. The runtime does not link
// Go's zone database, so the name itself is checked by the browser.
func validTimezone(tz string) bool {
	if tz == "UTC" {
		return true
	}
	if len(tz) > 64 || !strings.Contains(tz, "/") {
		return false
	}
	for i := 0; i < len(tz); i++ {
		c := tz[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '_' || c == '-' || c == '+') {
			return false
		}
	}
	return true
}
