package server

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestRanges_AtMostMaxRanges: on every file route, a request for up to
// MaxRanges byte ranges is served (206), and one for more is refused with
// 416, Content-Range: bytes */SIZE and none of the file's bytes, whatever
// encoding was chosen.
func TestRanges_AtMostMaxRanges(t *testing.T) {
	t.Parallel()
	f := newFixture(t, map[string]string{"acme": goodSet})
	routes := []struct {
		path, acceptEncoding string
		size                 int
		content              string // a part of the file that must not leak
	}{
		{"/widget/widget.js", "", len("/* widget.js identity */"), "identity"},
		{"/widget/widget.js", "br", len("BROTLI(widget.js)"), "BROTLI"},
		{"/widget/widget.3f9a1c2b.wasm", "", len("\x00asm hashed"), "hashed"},
		{"/p/acme/avatars/robot.svg", "", len("<svg xmlns='http://www.w3.org/2000/svg'/>"), "svg"},
		{"/p/acme/triggers.json", "", len(goodSet), "welcome"},
		{"/", "", len("<h1>home</h1>"), "home"},
		{"/pricing", "", len("<h1>pricing</h1>"), "pricing"},
	}
	ranges := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = strconv.Itoa(2*i) + "-" + strconv.Itoa(2*i)
		}
		return "bytes=" + strings.Join(parts, ",")
	}
	for _, rt := range routes {
		for _, tc := range []struct {
			name, rangeHeader string
			want              int
		}{
			{"one range", ranges(1), http.StatusPartialContent},
			{"MaxRanges ranges", ranges(MaxRanges), http.StatusPartialContent},
			{"empty elements do not count", "bytes=0-0,,,,,,,2-2", http.StatusPartialContent},
			{"MaxRanges+1 ranges", ranges(MaxRanges + 1), http.StatusRequestedRangeNotSatisfiable},
			{"the same range 200 times", "bytes=" + strings.Repeat("0-,", 199) + "0-", http.StatusRequestedRangeNotSatisfiable},
		} {
			t.Run(rt.path+"/"+rt.acceptEncoding+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				hdr := map[string]string{"Range": tc.rangeHeader}
				if rt.acceptEncoding != "" {
					hdr["Accept-Encoding"] = rt.acceptEncoding
				}
				resp := do(t, f.srv, "GET", rt.path, hdr)
				b := body(t, resp)
				if resp.StatusCode != tc.want {
					t.Fatalf("Range %q: status %d, want %d (%q)", tc.rangeHeader, resp.StatusCode, tc.want, b)
				}
				if tc.want != http.StatusRequestedRangeNotSatisfiable {
					return
				}
				if got, want := resp.Header.Get("Content-Range"), "bytes */"+strconv.Itoa(rt.size); got != want {
					t.Errorf("Content-Range %q, want %q", got, want)
				}
				if strings.Contains(b, rt.content) {
					t.Errorf("the refusal carries the file: %q", b)
				}
				for _, h := range []string{"Content-Encoding", "ETag"} {
					if v := resp.Header.Get(h); v != "" {
						t.Errorf("the refusal has %s: %q", h, v)
					}
				}
			})
		}
	}
}

func TestRangeCount(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]int{
		"":                    0,
		"bytes=0-1":           1,
		"bytes=0-1, 5-6":      2,
		"bytes=0-1,,5-6, ,":   2,
		"bytes=-5":            1,
		"items=0-1,2-3,4-5":   0,
		"bytes=1-,2-,3-,4-,5": 5,
	} {
		if got := rangeCount(header); got != want {
			t.Errorf("rangeCount(%q) = %d, want %d", header, got, want)
		}
	}
}
