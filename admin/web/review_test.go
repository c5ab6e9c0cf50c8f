//go:build !js

package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
)

// A page's post is capped: a multipart body posted to the login, by
// anyone, is refused without being read to its end (net/http would keep
// its files in temporary files, whatever their size).
func TestPagePostBodyIsCapped(t *testing.T) {
	w := newMGWorld(t)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("email", "ann@example.com")
	_ = mw.WriteField("password", mgPassword)
	fw, _ := mw.CreateFormFile("junk", "junk.bin")
	_, _ = fw.Write(bytes.Repeat([]byte("x"), 2*maxOpenPageBody))
	_ = mw.Close()
	req, _ := http.NewRequest("POST", w.srv.URL+"/admin/login", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := w.send(t, w.client(), req)
	if r.status == http.StatusSeeOther {
		t.Fatalf("a login posted with a body over the cap went through")
	}
	// A normal login still works.
	w.login(t, "ann@example.com")
	if bodyLimit("manage") < maxShortcutBody || bodyLimit("anyone") != maxOpenPageBody {
		t.Errorf("limits: %d %d", bodyLimit("manage"), bodyLimit("anyone"))
	}
}
