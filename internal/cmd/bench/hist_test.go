//go:build !js

package main

import (
	"testing"
	"time"
)

func TestHist(t *testing.T) {
	var h hist
	for i := 1; i <= 1000; i++ {
		h.record(time.Duration(i) * time.Microsecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {1, time.Millisecond}} {
		got := h.quantile(c.q)
		if d := float64(got-c.want) / float64(c.want); d < -0.02 || d > 0.02 {
			t.Errorf("quantile(%v) = %v, want %v within 2%%", c.q, got, c.want)
		}
	}
	for v := uint64(0); v < 1<<20; v += 7 {
		i := histBucket(v)
		if mid := histValue(i); float64(mid) < float64(v)*0.98-1 || float64(mid) > float64(v)*1.02+1 {
			t.Fatalf("value %d: bucket %d stands for %d", v, i, mid)
		}
	}
	if i := histBucket(1<<64 - 1); i >= len(h.c) {
		t.Fatalf("bucket %d out of range", i)
	}
}
