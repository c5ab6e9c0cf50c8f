package widget

import (
	"math"
	"testing"
)

// pow24 agrees with math.Pow wherever luminance uses it: every 8-bit
// channel value above the linear segment.
func TestPow24(t *testing.T) {
	for c := 0; c <= 255; c++ {
		v := float64(c) / 255
		if v <= 0.04045 {
			continue
		}
		x := (v + 0.055) / 1.055
		got, want := pow24(x), math.Pow(x, 2.4)
		if math.Abs(got-want) > 1e-15*want {
			t.Errorf("pow24(%v) = %v, math.Pow gives %v (channel %d)", x, got, want, c)
		}
	}
}
