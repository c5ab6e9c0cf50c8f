package web

import "sync"

// The admin speaks English and French. Texts are written in English in
// templates and code ({{T .Lang "Add trigger"}}, T(c.lang, "…")); the
// French catalog maps each English text to its French one. Each area of
// the admin registers its own texts (fr_*.go), and a test checks that
// every text used has its French version.

var (
	frMu sync.RWMutex
	fr   = map[string]string{}
)

// registerFrench adds texts to the French catalog; a text given twice
// with two translations is a bug the test reports.
func registerFrench(m map[string]string) {
	frMu.Lock()
	defer frMu.Unlock()
	for en, f := range m {
		if old, dup := fr[en]; dup && old != f {
			panic("web: two French texts for " + en)
		}
		fr[en] = f
	}
}

// T translates an English text into lang ("en" or "fr").
func T(lang, s string) string {
	if lang != "fr" {
		return s
	}
	frMu.RLock()
	defer frMu.RUnlock()
	if f, ok := fr[s]; ok {
		return f
	}
	return s
}
