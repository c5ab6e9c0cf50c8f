//go:build !js

package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// hugeSetBytes is the size of the hostile trigger set: 50 MB.
const hugeSetBytes = 50 << 20

// hugeSet serves a 50 MB trigger set (a valid start, then spaces), with or
// without a Content-Length, and counts the bytes the client took.
type hugeSet struct {
	contentLength bool
	sent          atomic.Int64
}

func (h *hugeSet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if h.contentLength {
		w.Header().Set("Content-Length", strconv.Itoa(hugeSetBytes))
	}
	w.WriteHeader(http.StatusOK)
	if !h.contentLength {
		// Sent chunked: the client learns the size only by reading.
		w.(http.Flusher).Flush()
	}
	head := []byte(`{"version": 1, "property": "huge", "triggers": [], "padding": "`)
	chunk := []byte(strings.Repeat(" ", 64<<10))
	n, err := w.Write(head)
	h.sent.Add(int64(n))
	for total := n; err == nil && total < hugeSetBytes; total += n {
		n, err = w.Write(chunk[:min(len(chunk), hugeSetBytes-total)])
		h.sent.Add(int64(n))
	}
}

// A trigger set of 50 MB is refused by widget.js before it reaches the
// runtime, whether the server announces its size or not: the widget
// reports an error event (code load) naming the limit, does not load, stops
// the download early, and the page carries on.
func TestHugeSet_Refused(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		contentLength bool
	}{
		{"with Content-Length", true},
		{"without Content-Length", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tb := newTab(t)
			h := &hugeSet{contentLength: tc.contentLength}
			set := tb.dir() + "/huge.json"
			env.world.serveHandler(t, set, h)
			tb.navigate(tb.page("home", page{Triggers: set, Body: `<p id="alive">host page</p>`}))
			tb.poll("the error event", `__events.some(e => e.name === 'error')`)

			errs := tb.errorEvents()
			if len(errs) != 1 || errs[0].Code != "load" || !strings.Contains(errs[0].Message, "262144 bytes") || !strings.Contains(errs[0].Message, "limit") {
				t.Fatalf("error events = %+v, want one, code load, naming the limit of 262144 bytes", errs)
			}
			if loads := tb.events("load"); len(loads) != 0 {
				t.Errorf("the widget loaded a 50 MB set: %+v", loads)
			}
			if sent := h.sent.Load(); sent >= hugeSetBytes/2 {
				t.Errorf("the server sent %d bytes of the 50 MB set before the widget stopped reading", sent)
			}
			var alive string
			tb.eval(`document.getElementById('alive').textContent`, &alive)
			if alive != "host page" {
				t.Errorf("the host page's content is %q", alive)
			}
			tb.assertNoUncaught()
		})
	}
}

// In a browser whose responses cannot be read as a stream, widget.js reads
// the set whole and still refuses one over the limit itself, counting its
// bytes as UTF-8 (a set of 3-byte characters whose length in UTF-16 units
// is under the limit is over it in bytes).
func TestHugeSet_RefusedWithoutStreams(t *testing.T) {
	t.Parallel()
	tb := newTab(t)
	set := tb.dir() + "/wide.json"
	wide := `{"version": 1, "property": "wide", "triggers": [], "padding": "` + strings.Repeat("€", 100000) + `"}`
	env.world.serveHandler(t, set, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush() // chunked: no Content-Length
		_, _ = w.Write([]byte(wide))
	}))
	tb.navigate(tb.page("home", page{Triggers: set, Head: `ReadableStream.prototype.getReader = undefined;`}))
	tb.poll("the error event", `__events.some(e => e.name === 'error')`)
	errs := tb.errorEvents()
	// The loader's words, not the runtime's ("trigger set is N bytes, more
	// than the limit"): the set never reached Go.
	if len(errs) != 1 || errs[0].Code != "load" || !strings.Contains(errs[0].Message, "larger than the limit of 262144 bytes") {
		t.Fatalf("error events = %+v, want one, code load, from widget.js naming the limit", errs)
	}
	if loads := tb.events("load"); len(loads) != 0 {
		t.Errorf("the widget loaded a set over the limit: %+v", loads)
	}
	tb.assertNoUncaught()
}
