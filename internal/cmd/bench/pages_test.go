//go:build !js

package main

import "testing"

func TestAcceptsBrotli(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip, deflate, br, zstd": true,
		"br":                      true,
		"br;q=0.5":                true,
		"gzip, br;q=0":            false,
		"br; q=0.000":             false,
		"gzip, deflate":           false,
		"":                        false,
		"brotli":                  false,
	} {
		if got := acceptsBrotli(header); got != want {
			t.Errorf("acceptsBrotli(%q) = %v, want %v", header, got, want)
		}
	}
}
