//go:build !js

package admin_test

import (
	"bytes"
	"net/http"
	"testing"
)

// An uploaded image is used by its path as a trigger's agent image, and
// the published set carries that path (resolved by browsers against the
// set's URL, on the same server).
func TestUploadReferencedByATrigger(t *testing.T) {
	t.Parallel()
	e, owner := withProperty(t)
	r := e.do(t, owner, "POST", pp+"/uploads?filename=maya.png", pngBytes(t, 8, 8), "Content-Type", "image/png")
	want(t, r, http.StatusCreated)
	var u uploaded
	decodeJSON(t, r, &u)
	body := `{"id":"maya","name":"Maya says hi","type":"site","message":{"text":"Hi, I am Maya"},"agent":{"name":"Maya","image":"` + u.Path + `"}}`
	want(t, e.do(t, owner, "POST", pp+"/triggers", body), http.StatusCreated)
	if pub := e.published(t, "p"); !bytes.Contains(pub, []byte(`"image": "`+u.Path+`"`)) {
		t.Errorf("the published set does not name the upload %s:\n%s", u.Path, pub)
	}
	img := e.do(t, anon, "GET", u.Path, nil)
	if img.Status != http.StatusOK || img.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s = %d %s, want the PNG", u.Path, img.Status, img.Header.Get("Content-Type"))
	}
}
