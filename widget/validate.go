package widget

import (
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mailru/easyjson/jlexer"
)

// StandardAvatars are the built-in agent images a trigger may name as
// "avatar:NAME"; the widget ships them beside widget.js.
var StandardAvatars = []string{"robot", "headset", "woman", "man"}

// ParseSet decodes a trigger set. It rejects documents that are too large,
// not JSON, or of another format version; it does not validate triggers
// (see Validate), so that the runtime can still run the valid ones.
func ParseSet(data []byte) (*Set, error) {
	if len(data) > MaxSetBytes {
		return nil, &FieldError{Field: "(document)", Problem: "trigger set is " + itoa(len(data)) + " bytes, more than the limit of " + itoa(MaxSetBytes)}
	}
	var s Set
	l := jlexer.Lexer{Data: data}
	s.UnmarshalEasyJSON(&l)
	if err := l.Error(); err != nil {
		return nil, &FieldError{Field: "(document)", Problem: "not a valid trigger set JSON document: " + syntaxProblem(data, err)}
	}
	if s.Version == 0 {
		return nil, &FieldError{Field: "version", Problem: "missing: a trigger set starts with \"version\": " + itoa(FormatVersion)}
	}
	if s.Version != FormatVersion {
		return nil, &FieldError{Field: "version", Problem: "unsupported format version " + itoa(s.Version) + " (this runtime reads version " + itoa(FormatVersion) + ")"}
	}
	return &s, nil
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
	off := le.Offset
	if off > len(data) {
		off = len(data)
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
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

// Validate checks every limit and reference of the SPEC and returns all
// problems at once as a *ValidationError, or nil.
func Validate(s *Set) error {
	v := validate(s)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}

type validator struct {
	set      *Set
	problems []FieldError
	trigger  string
	index    int             // position of the trigger being checked, or -1
	bad      map[int]bool    // positions of the triggers with problems
	badSC    map[string]bool // ids of the shortcuts with problems
}

func validate(s *Set) *validator {
	v := &validator{set: s, index: -1, bad: map[int]bool{}, badSC: map[string]bool{}}
	v.run()
	return v
}

func (v *validator) add(field, problem string) {
	if v.index >= 0 {
		v.bad[v.index] = true
	}
	v.problems = append(v.problems, FieldError{TriggerID: v.trigger, Field: field, Problem: problem})
}

func (v *validator) run() {
	s := v.set
	if s.Version != FormatVersion {
		v.add("version", "unsupported format version "+itoa(s.Version)+" (this runtime reads version "+itoa(FormatVersion)+")")
	}
	if !ValidID(s.Property) {
		v.add("property", "must be 1 to "+itoa(MaxIDLen)+" letters, digits, '-', '_' or '.'")
	}
	if s.Status != "" && !validStatus(s.Status) {
		v.add("status", "unknown status "+quote(s.Status)+" (one of online, away, offline)")
	}
	if s.Timezone != "" && !validTimezone(s.Timezone) {
		v.add("timezone", "not an IANA time zone name like \"Europe/Paris\": "+quote(s.Timezone))
	}
	shortcuts := map[string]bool{}
	for i := range s.Shortcuts {
		v.shortcut(i, shortcuts)
	}
	if len(s.Triggers) > MaxTriggers {
		v.add("triggers", "has "+itoa(len(s.Triggers))+" triggers, more than the limit of "+itoa(MaxTriggers))
	}
	seen := map[string]bool{}
	for i := range s.Triggers {
		t := &s.Triggers[i]
		v.trigger = triggerLabel(t, i)
		v.index = i
		if i >= MaxTriggers {
			v.add("", "trigger number "+itoa(i+1)+" is over the limit of "+itoa(MaxTriggers)+" triggers")
			continue
		}
		switch {
		case !ValidID(t.ID):
			v.add("id", "must be 1 to "+itoa(MaxIDLen)+" letters, digits, '-', '_' or '.'")
		case seen[t.ID]:
			v.add("id", "duplicate id: ids must be unique in the set")
		}
		seen[t.ID] = true
		v.triggerFields(t, shortcuts)
	}
	v.trigger, v.index = "", -1
}

// triggerLabel names a trigger in errors: its id, or its position when the
// id itself is what is wrong.
func triggerLabel(t *Trigger, i int) string {
	if t.ID != "" && len(t.ID) <= MaxIDLen {
		return t.ID
	}
	return "#" + itoa(i+1)
}

func (v *validator) triggerFields(t *Trigger, shortcuts map[string]bool) {
	if n := utf8.RuneCountInString(t.Name); n > MaxTriggerNameLen {
		v.add("name", "is "+itoa(n)+" characters, more than "+itoa(MaxTriggerNameLen))
	}
	if t.Delay < 0 || t.Delay > MaxDelay {
		v.add("delay", "must be between 0 and "+itoa(MaxDelay)+" seconds, got "+itoa(t.Delay))
	}
	switch t.Type {
	case TypeSite, TypeChatRescue, TypeMaximized:
		if t.URL != nil {
			v.add("url", "only page triggers take a URL rule")
		}
	case TypePage:
		if t.URL == nil {
			v.add("url", "a page trigger needs a URL rule {\"match\", \"value\"}")
		} else if _, err := CompileURLRule(*t.URL); err != nil {
			re := err.(*RuleError)
			v.add("url."+re.Field, re.Problem)
		}
	case TypeAdvanced:
		v.advanced(t, shortcuts)
		return
	case "":
		v.add("type", "missing (one of site, page, chat_rescue, maximized, advanced)")
		return
	default:
		v.add("type", "unknown type "+quote(t.Type)+" (one of site, page, chat_rescue, maximized, advanced)")
		return
	}
	v.message("message", t.Message, shortcuts)
	v.agent("agent", &t.Agent)
	v.suggestions("suggestions", t.Suggestions)
}

func (v *validator) message(field string, m *Message, shortcuts map[string]bool) {
	switch {
	case m == nil:
		v.add(field, "missing: give {\"text\": …} or {\"shortcut\": …}")
	case m.Text != "" && m.Shortcut != "":
		v.add(field, "has both text and shortcut; give one")
	case m.Shortcut != "":
		if !shortcuts[m.Shortcut] {
			v.add(field+".shortcut", "no shortcut with id "+quote(m.Shortcut)+" in this set")
		} else if v.badSC[m.Shortcut] {
			v.add(field+".shortcut", "shortcut "+quote(m.Shortcut)+" is invalid (see its problems)")
		}
	default:
		v.text(field+".text", m.Text)
	}
}

func (v *validator) text(field, text string) {
	if strings.TrimSpace(text) == "" {
		v.add(field, "must not be empty")
	}
	if !utf8.ValidString(text) {
		v.add(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(text); n > MaxTextLen {
		v.add(field, "is "+itoa(n)+" characters, more than "+itoa(MaxTextLen))
	}
}

func (v *validator) agent(field string, a *Agent) {
	if strings.TrimSpace(a.Name) == "" {
		v.add(field+".name", "must not be empty")
	} else if n := utf8.RuneCountInString(a.Name); n > MaxAgentNameLen {
		v.add(field+".name", "is "+itoa(n)+" characters, more than "+itoa(MaxAgentNameLen))
	}
	if a.Image != "" {
		if problem := checkImageURL(a.Image); problem != "" {
			v.add(field+".image", problem)
		}
	}
}

func (v *validator) suggestions(field string, list []string) {
	if len(list) > MaxSuggestions {
		v.add(field, "has "+itoa(len(list))+" suggestions, more than "+itoa(MaxSuggestions))
	}
	for i, s := range list {
		f := field + "[" + itoa(i) + "]"
		if strings.TrimSpace(s) == "" {
			v.add(f, "must not be empty")
		} else if n := utf8.RuneCountInString(s); n > MaxSuggestionLen {
			v.add(f, "is "+itoa(n)+" characters, more than "+itoa(MaxSuggestionLen))
		}
	}
}

func (v *validator) shortcut(i int, seen map[string]bool) {
	sc := &v.set.Shortcuts[i]
	field := "shortcuts[" + itoa(i) + "]"
	before := len(v.problems)
	defer func() {
		if len(v.problems) > before {
			v.badSC[sc.ID] = true
		}
	}()
	switch {
	case !ValidID(sc.ID):
		v.add(field+".id", "must be 1 to "+itoa(MaxIDLen)+" letters, digits, '-', '_' or '.'")
	case seen[sc.ID]:
		v.add(field+".id", "duplicate shortcut id "+quote(sc.ID))
	}
	seen[sc.ID] = true
	if sc.Text == "" && len(sc.Attachments) == 0 {
		v.add(field, "needs a text or at least one attachment")
	}
	if sc.Text != "" {
		v.text(field+".text", sc.Text)
	}
	if len(sc.Attachments) > MaxAttachments {
		v.add(field+".attachments", "has "+itoa(len(sc.Attachments))+" attachments, more than "+itoa(MaxAttachments))
	}
	for j := range sc.Attachments {
		v.attachment(field+".attachments["+itoa(j)+"]", &sc.Attachments[j])
	}
}

func (v *validator) attachment(field string, a *Attachment) {
	switch a.Kind {
	case AttachImage, AttachFile, AttachLink:
		if a.URL == "" {
			v.add(field+".url", "must not be empty")
		} else if problem := checkAttachmentURL(a.Kind, a.URL); problem != "" {
			v.add(field+".url", problem)
		}
		if a.Kind == AttachFile && a.Size < 0 {
			v.add(field+".size", "must not be negative")
		}
	case AttachForm:
		if len(a.Fields) == 0 {
			v.add(field+".fields", "a form needs at least one field")
		}
		if len(a.Fields) > MaxFormFields {
			v.add(field+".fields", "has "+itoa(len(a.Fields))+" fields, more than "+itoa(MaxFormFields))
		}
		names := map[string]bool{}
		for k, f := range a.Fields {
			ff := field + ".fields[" + itoa(k) + "]"
			if !ValidID(f.Name) {
				v.add(ff+".name", "must be 1 to "+itoa(MaxIDLen)+" letters, digits, '-', '_' or '.'")
			} else if names[f.Name] {
				v.add(ff+".name", "duplicate field name "+quote(f.Name))
			}
			names[f.Name] = true
			switch f.Type {
			case "", "text", "email", "tel", "textarea", "number":
			default:
				v.add(ff+".type", "unknown field type "+quote(f.Type)+" (one of text, email, tel, textarea, number)")
			}
		}
	case "":
		v.add(field+".kind", "missing (one of image, file, link, form)")
	default:
		v.add(field+".kind", "unknown kind "+quote(a.Kind)+" (one of image, file, link, form)")
	}
}

// checkImageURL accepts an https URL, a relative URL (resolved against the
// trigger set's URL, so same-origin), or a standard avatar "avatar:NAME".
func checkImageURL(u string) string {
	if name, ok := strings.CutPrefix(u, "avatar:"); ok {
		for _, a := range StandardAvatars {
			if a == name {
				return ""
			}
		}
		return "unknown standard avatar " + quote(name) + " (one of " + strings.Join(StandardAvatars, ", ") + ")"
	}
	return checkLinkURL(u)
}

// checkAttachmentURL is checkLinkURL, except that a link card may also
// point to a plain http: page (it opens in a new tab; nothing is loaded into
// the host page, so there is no mixed content).
func checkAttachmentURL(kind, u string) string {
	if kind == AttachLink && len(u) > len("http://") && strings.EqualFold(u[:len("http://")], "http://") {
		if strings.ContainsAny(u, " \t\r\n\"'<>\\") {
			return "contains spaces, quotes or angle brackets"
		}
		return ""
	}
	return checkLinkURL(u)
}

// checkLinkURL accepts https URLs and relative URLs; everything with another
// scheme (javascript:, data:, http:) is refused.
func checkLinkURL(u string) string {
	if len(u) > MaxURLRuleLen {
		return "longer than " + itoa(MaxURLRuleLen) + " characters"
	}
	if strings.ContainsAny(u, " \t\r\n\"'<>\\") {
		return "contains spaces, quotes or angle brackets"
	}
	lower := strings.ToLower(u)
	if strings.HasPrefix(lower, "https://") {
		if len(u) == len("https://") {
			return "has no host"
		}
		return ""
	}
	if strings.HasPrefix(lower, "//") {
		return "protocol-relative URLs are not allowed; use https://"
	}
	colon := strings.IndexByte(u, ':')
	slash := strings.IndexAny(u, "/?#")
	if colon >= 0 && (slash < 0 || colon < slash) {
		return "must be an https: URL or a relative path, not " + quote(u[:colon+1])
	}
	return ""
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
