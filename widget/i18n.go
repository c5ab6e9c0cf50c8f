package widget

// The widget's own words (its header, placeholders, buttons and offline
// form) in every language it speaks. Texts from the trigger set are never
// translated: the site owner writes them in the language they choose.

// Phrase names one of the widget's own texts.
type Phrase uint8

// The widget's phrases. A phrase with {name} has the agent's name put in.
const (
	PhraseTitle            Phrase = iota // the panel's default title and the tab launcher's default label
	PhraseChat                           // the panel's accessible name
	PhraseOpenChat                       // the launcher, closed
	PhraseMinimizeChat                   // the launcher and the header button, open
	PhraseCloseChat                      // the full-screen panel's close button on a phone
	PhraseInputLabel                     // the message input's accessible name
	PhraseInputPlaceholder               // the message input's placeholder
	PhraseSend                           // the send button
	PhraseOnline                         // status
	PhraseAway                           // status
	PhraseOffline                        // status
	PhraseSuggestedReplies               // the group of suggestion buttons
	PhraseDismiss                        // the preview card's close button
	PhraseFormSent                       // a sent form's confirmation
	PhraseNewMessage                     // the pill shown to a visitor who scrolled up
	PhraseTyping                         // "{name} is typing…"
	PhraseSomeoneTyping                  // typing, when no name is known
	PhraseOfflineTitle                   // the offline form's heading
	PhraseOfflineIntro                   // the line under it
	PhraseName                           // offline form field
	PhraseEmail                          // offline form field
	PhraseMessage                        // offline form field
	PhraseSendMessage                    // the offline form's submit button
	PhraseOfflineThanks                  // shown once the offline form is sent
	PhraseNow                            // a message's time, under a minute old
	NumPhrases
)

// Languages are the codes of the languages the widget speaks, English
// first (the fallback).
var Languages = []string{"en", "fr", "es", "de", "pt", "it", "ar"}

var phrasesEN = [NumPhrases]string{
	PhraseTitle:            "Chat with us",
	PhraseChat:             "Chat",
	PhraseOpenChat:         "Open chat",
	PhraseMinimizeChat:     "Minimize chat",
	PhraseCloseChat:        "Close chat",
	PhraseInputLabel:       "Type your message",
	PhraseInputPlaceholder: "Type your message\u2026",
	PhraseSend:             "Send",
	PhraseOnline:           "Online",
	PhraseAway:             "Away",
	PhraseOffline:          "Offline",
	PhraseSuggestedReplies: "Suggested replies",
	PhraseDismiss:          "Dismiss",
	PhraseFormSent:         "\u2713 Sent",
	PhraseNewMessage:       "New message",
	PhraseTyping:           "{name} is typing\u2026",
	PhraseSomeoneTyping:    "Typing\u2026",
	PhraseOfflineTitle:     "We\u2019re away right now",
	PhraseOfflineIntro:     "Leave a message and we\u2019ll get back to you by email.",
	PhraseName:             "Name",
	PhraseEmail:            "Email",
	PhraseMessage:          "Message",
	PhraseSendMessage:      "Send message",
	PhraseOfflineThanks:    "Thanks! We\u2019ll get back to you soon.",
	PhraseNow:              "now",
}

// phraseTables holds each language's texts, in the order of Languages.
var phraseTables = [...]*[NumPhrases]string{&phrasesEN, &phrasesFR, &phrasesES, &phrasesDE, &phrasesPT, &phrasesIT, &phrasesAR}

// Phrases returns the widget's texts in language lang (one of Languages),
// or in English for any other code.
func Phrases(lang string) *[NumPhrases]string {
	for i, l := range Languages {
		if l == lang && i < len(phraseTables) {
			return phraseTables[i]
		}
	}
	return &phrasesEN
}

// rtlLanguages are the primary language subtags written right to left.
var rtlLanguages = []string{"ar", "fa", "he", "ur"}

// RTL reports whether language lang is written right to left, so that the
// widget lays itself out mirrored.
func RTL(lang string) bool {
	lang = primaryTag(lang)
	for _, l := range rtlLanguages {
		if l == lang {
			return true
		}
	}
	return false
}

// ResolveLanguage picks the language the widget speaks: setting, the set's
// widget.language, when it names one of Languages; for LanguageAuto (or
// empty), the first of the browser's preferred languages (BCP 47 tags such
// as "fr-CA", most preferred first) that the widget speaks; else English.
func ResolveLanguage(setting string, preferred []string) string {
	if setting != "" && setting != LanguageAuto {
		if speaks(setting) {
			return setting
		}
		return Languages[0]
	}
	for _, tag := range preferred {
		if l := primaryTag(tag); speaks(l) {
			return l
		}
	}
	return Languages[0]
}

func speaks(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// primaryTag returns a language tag's first subtag in lower case: "pt" for
// "PT-br" or "pt_BR".
func primaryTag(tag string) string {
	end := len(tag)
	for i := 0; i < len(tag); i++ {
		if tag[i] == '-' || tag[i] == '_' {
			end = i
			break
		}
	}
	b := []byte(tag[:end])
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
