//go:build !js

package main

import (
	"math/bits"
	"time"
)

// histSub is log2 of the buckets per power of two of a hist: 64, so that a
// quantile is within 1/64 (1.6 %) of the latency it stands for.
const histSub = 6

// hist is a log-linear latency histogram in nanoseconds, in the manner of
// HdrHistogram: recording is an array increment, so the load generator's
// hot path allocates nothing for it, and histograms add up.
type hist struct {
	n uint64
	c [64 << histSub]uint32
}

func histBucket(v uint64) int {
	if v < 1<<histSub {
		return int(v)
	}
	shift := bits.Len64(v) - histSub - 1
	return (shift+1)<<histSub | int(v>>shift)&(1<<histSub-1)
}

// histValue is the middle of bucket i.
func histValue(i int) uint64 {
	if i < 1<<histSub {
		return uint64(i)
	}
	shift := i>>histSub - 1
	low := uint64(1<<histSub|i&(1<<histSub-1)) << shift
	return low + (uint64(1)<<shift)/2
}

func (h *hist) record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.c[histBucket(uint64(d))]++
	h.n++
}

func (h *hist) merge(o *hist) {
	for i, c := range o.c {
		h.c[i] += c
	}
	h.n += o.n
}

// quantile is the latency below which a fraction q of the records fall.
func (h *hist) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range h.c {
		seen += uint64(c)
		if seen >= rank {
			return time.Duration(histValue(i))
		}
	}
	return 0
}
