package widget

import (
	"strings"
)

// LeaveMessage records a message the visitor leaves while nobody is online
// (the widget's leave-a-message form): it goes to the host page only
// (EffectOfflineMessage), never into the chat transcript, where it would
// look like a message an agent is about to answer. The email and the
// message are required; name and email have MaxAttrValueLen characters at
// most, the message MaxVisitorMessageLen.
func (e *Engine) LeaveMessage(name, email, text string) error {
	name, email, text = strings.TrimSpace(name), strings.TrimSpace(email), strings.TrimSpace(text)
	at := strings.IndexByte(email, '@')
	switch {
	case text == "":
		return errorString("offline message: the message is required")
	case at <= 0 || at == len(email)-1 || strings.ContainsAny(email, " \t\n"):
		return errorString("offline message: email " + quote(email) + " is not an email address")
	case runeCount(name) > MaxAttrValueLen || runeCount(email) > MaxAttrValueLen || runeCount(text) > MaxVisitorMessageLen:
		return errorString("offline message: a name or an email has at most " + itoa(MaxAttrValueLen) + " characters, a message " + itoa(MaxVisitorMessageLen))
	}
	e.do(true, func(int64) {
		e.emit(Effect{Kind: EffectOfflineMessage, Attrs: map[string]string{"name": name, "email": email, "message": text}})
	})
	return nil
}
