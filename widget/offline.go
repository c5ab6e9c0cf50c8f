package widget

import (
	"strings"
	"unicode/utf8"
)

// LeaveMessage records a message the visitor leaves while nobody is online
// (the widget's leave-a-message form): it goes to the host page only
// (EffectOfflineMessage), never into the chat transcript, where it would
// look like a message an agent is about to answer. The email is required,
// the message too; name and email also become the visitor's name and email,
// as a shortcut form's fields do. Each value has MaxAttrValueLen characters
// at most (the message MaxVisitorMessageLen).
func (e *Engine) LeaveMessage(name, email, text string) error {
	name, email, text = strings.TrimSpace(name), strings.TrimSpace(email), strings.TrimSpace(text)
	for _, f := range []struct {
		field, value string
		limit        int
	}{{"name", name, MaxAttrValueLen}, {"email", email, MaxAttrValueLen}, {"message", text, MaxVisitorMessageLen}} {
		switch {
		case !utf8.ValidString(f.value):
			return errorString("offline message: " + f.field + " is not valid UTF-8")
		case utf8.RuneCountInString(f.value) > f.limit:
			return errorString("offline message: " + f.field + " " + charsOver(utf8.RuneCountInString(f.value), f.limit))
		case f.value == "" && f.field != "name":
			return errorString("offline message: " + f.field + " is required")
		}
	}
	if at := strings.IndexByte(email, '@'); at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\n") {
		return errorString("offline message: email " + quote(email) + " is not an email address")
	}
	e.do(true, func(int64) {
		fields := map[string]string{"name": name, "email": email, "message": text}
		e.emit(Effect{Kind: EffectOfflineMessage, Attrs: fields})
		attrs := map[string]string{"email": email}
		if name != "" {
			attrs["name"] = name
		}
		_ = e.setAttrs(attrs, "")
	})
	return nil
}
