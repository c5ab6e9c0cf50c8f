//go:build js && wasm

package wasm

import (
	"strings"
	"sync"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// localStorage is a widget.Storage over window.localStorage, with keys
// prefixed by property. The first time localStorage throws (blocked by
// privacy settings, private mode, quota) it reports the error once to the
// engine and carries on in memory for the rest of the page's life.
type localStorage struct {
	prefix   string
	ls       safejs.Value
	memory   *widget.MemoryStorage
	fallback bool

	// seen is, by key, the value last read or written, as the JS string
	// and as the Go string. Get compares what localStorage holds with it
	// in JS first: the engine reads both records before every write to
	// find another tab's changes, and copying a visit of tens of KB into
	// Go each time, only to find it unchanged, was most of the garbage a
	// burst of events left.
	mu   sync.Mutex
	seen map[string]seenValue
}

type seenValue struct {
	js safejs.Value
	s  string
}

func newLocalStorage(property string) *localStorage {
	s := &localStorage{prefix: "triggerwidget:" + property + ":", memory: widget.NewMemoryStorage(), seen: map[string]seenValue{}}
	ls, err := reflectGet(safejs.Global(), "localStorage") // throws when blocked
	if err != nil || ls.IsNull() || ls.IsUndefined() {
		s.fallback = true
		return s
	}
	s.ls = ls
	return s
}

func (s *localStorage) fail(err error) error {
	s.fallback = true
	return err
}

func (s *localStorage) Get(key string) (string, bool, error) {
	if s.fallback {
		return s.memory.Get(key)
	}
	v, err := s.ls.Call("getItem", s.prefix+key)
	if err != nil {
		return "", false, s.fail(err)
	}
	if v.IsNull() || v.IsUndefined() {
		return "", false, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, ok := s.seen[key]; ok && v.Equal(last.js) {
		return last.s, true, nil
	}
	str, err := v.String()
	if err != nil {
		return "", false, s.fail(err)
	}
	s.seen[key] = seenValue{v, str}
	return str, true, nil
}

func (s *localStorage) Set(key, value string) error {
	_ = s.memory.Set(key, value)
	if s.fallback {
		return nil
	}
	v, err := safejs.ValueOf(value)
	if err != nil {
		return s.fail(err)
	}
	if _, err := s.ls.Call("setItem", s.prefix+key, v); err != nil {
		return s.fail(err)
	}
	s.mu.Lock()
	s.seen[key] = seenValue{v, value}
	s.mu.Unlock()
	return nil
}

func (s *localStorage) Remove(key string) error {
	_ = s.memory.Remove(key)
	s.mu.Lock()
	delete(s.seen, key)
	s.mu.Unlock()
	if s.fallback {
		return nil
	}
	if _, err := s.ls.Call("removeItem", s.prefix+key); err != nil {
		return s.fail(err)
	}
	return nil
}

// newBrowserSession reports whether this page load starts a new browser
// session for the property, using a session cookie (no expiry, so the
// browser drops it when its session ends). When cookies are blocked it says
// false, and visits end only by the 30-minute idle rule. (The loader's
// browserSession does the same, earlier, when it knows the property.)
func newBrowserSession(property string) bool {
	doc, err := safejs.Global().Get("document")
	if err != nil {
		return false
	}
	name := "tw_" + cookieSafe(property)
	cookies, err := reflectGet(doc, "cookie") // throws in sandboxed frames
	if err != nil {
		return false
	}
	if hasCookie(jsString(cookies), name) {
		return false
	}
	if err := reflectSet(doc, "cookie", name+"=1; path=/; SameSite=Lax"); err != nil {
		return false
	}
	after, err := reflectGet(doc, "cookie")
	return err == nil && hasCookie(jsString(after), name)
}

func hasCookie(cookies, name string) bool {
	for len(cookies) > 0 {
		var c string
		c, cookies, _ = strings.Cut(cookies, ";")
		for len(c) > 0 && c[0] == ' ' {
			c = c[1:]
		}
		if k, _, _ := strings.Cut(c, "="); k == name {
			return true
		}
	}
	return false
}

func cookieSafe(s string) string {
	b := make([]byte, 0, len(s))
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_':
			b = append(b, byte(c))
		case c > 0xFFFF:
			// One "_" per UTF-16 unit, as the loader's replace() makes
			// it: both name the same cookie whatever the property.
			b = append(b, '_', '_')
		default:
			b = append(b, '_')
		}
	}
	return string(b)
}
