//go:build !js

package admin

import (
	"testing"

	"github.com/triggerwidget/triggerwidget/store"
)

// A version read before a forget is served but not cached: it may be the
// very set the forget was about.
func TestCacheKeepsNothingReadBeforeAForget(t *testing.T) {
	c := &setCache{m: map[string]*cached{}}
	v := &store.Version{PropertyID: "p", Number: 3, Data: []byte(`{"version":1,"property":"p","triggers":[]}`)}
	gen := c.generation()
	c.forget("p")
	if p := c.put("p", v, gen); p == nil || p.Version != 3 {
		t.Fatalf("put after a forget returned %v; want the version to serve", p)
	}
	if p := c.get("p"); p != nil {
		t.Errorf("a version read before a forget was cached: %v", p)
	}
	if p := c.put("p", v, c.generation()); p == nil || c.get("p") != p {
		t.Errorf("a version read after the forget is not cached")
	}
	c.forget("")
	if c.get("p") != nil {
		t.Errorf("forget(\"\") left a cached set")
	}
}
