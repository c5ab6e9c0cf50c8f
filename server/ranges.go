package server

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRanges is the most byte ranges a request may ask for in one Range
// header. Browsers and download tools ask for one; a list of many small
// or overlapping ranges only serves to make the server write far more
// than the file (a multipart part per range), so it is refused.
const MaxRanges = 4

// ServeContent is http.ServeContent for every file widgetd serves (the
// widget's files, the site, trigger sets and uploads), except that a
// request whose Range header asks for more than MaxRanges byte ranges is
// answered 416 Range Not Satisfiable (RefuseRanges), before anything is
// read. A request may ask for the whole file again without a Range header.
func ServeContent(w http.ResponseWriter, r *http.Request, name string, modtime time.Time, content io.ReadSeeker) {
	if TooManyRanges(r) {
		size, err := content.Seek(0, io.SeekEnd)
		if err != nil {
			size = -1
		}
		RefuseRanges(w, size)
		return
	}
	http.ServeContent(w, r, name, modtime, content)
}

// TooManyRanges reports whether r's Range header asks for more than
// MaxRanges byte ranges.
func TooManyRanges(r *http.Request) bool {
	return rangeCount(r.Header.Get("Range")) > MaxRanges
}

// RefuseRanges answers 416 to a request for too many ranges of a file of
// size bytes (Content-Range: bytes */SIZE; left out when size < 0), with
// a one-line text instead of the file, and nothing cacheable.
func RefuseRanges(w http.ResponseWriter, size int64) {
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	if size >= 0 {
		h.Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
	}
	http.Error(w, "416 too many byte ranges: at most "+strconv.Itoa(MaxRanges), http.StatusRequestedRangeNotSatisfiable)
}

// rangeCount is how many ranges a Range header value lists, counted as
// net/http reads them: "bytes=" and a comma-separated list, empty
// elements skipped. Another unit counts 0 (net/http ignores it).
func rangeCount(header string) int {
	spec, ok := strings.CutPrefix(header, "bytes=")
	if !ok {
		return 0
	}
	n := 0
	for part := range strings.SplitSeq(spec, ",") {
		if strings.TrimSpace(part) != "" {
			n++
		}
	}
	return n
}
