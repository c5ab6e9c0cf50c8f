package strict

import (
	"sync"
	"testing"
	"time"
)

func TestNewZone(t *testing.T) {
	t.Parallel()
	var unknown []string
	z := NewZone(func(tz string) { unknown = append(unknown, tz) })
	// Sunday 29 March 2026, 00:59:30 UTC is 01:59:30 in Paris, 30 s before
	// the switch to summer time: the next local hour is 03:00.
	at := time.Date(2026, time.March, 29, 0, 59, 30, 0, time.UTC)
	for _, c := range []struct {
		at            time.Time
		tz            string
		hour, wd      int
		untilNextHour time.Duration
	}{
		{at, "Europe/Paris", 1, 7, 30 * time.Second},
		{at.Add(time.Minute), "Europe/Paris", 3, 7, 59*time.Minute + 30*time.Second},
		{at, "Asia/Kolkata", 6, 7, 30 * time.Second}, // 06:29:30: half-hour offset
		{at, "America/New_York", 20, 6, 30 * time.Second},
		{at, "UTC", 0, 7, 30 * time.Second},
		{at, "", 0, 7, 30 * time.Second},
		{at, "Mars/Olympus", 0, 7, 30 * time.Second},
		{at, "Mars/Olympus", 0, 7, 30 * time.Second},
		{at, "Local", 0, 7, 30 * time.Second}, // never the machine's own zone
	} {
		h, wd, until := z.Local(c.at.UnixMilli(), c.tz)
		if c.tz == "Asia/Kolkata" {
			c.untilNextHour = 30*time.Minute + 30*time.Second
		}
		if h != c.hour || wd != c.wd || until != c.untilNextHour {
			t.Errorf("Local(%v, %q) = %d, %d, %v; want %d, %d, %v", c.at, c.tz, h, wd, until, c.hour, c.wd, c.untilNextHour)
		}
	}
	if len(unknown) != 2 || unknown[0] != "Mars/Olympus" || unknown[1] != "Local" {
		t.Errorf("unknown zones reported: %q, want Mars/Olympus and Local once each", unknown)
	}
}

func TestNewZone_Concurrent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	reported := 0
	z := NewZone(func(string) { mu.Lock(); reported++; mu.Unlock() })
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, tz := range []string{"Europe/Paris", "Nowhere/Land", "Asia/Tokyo"} {
				z.Local(0, tz)
			}
		})
	}
	wg.Wait()
	if reported != 1 {
		t.Errorf("an unknown zone was reported %d times, want once", reported)
	}
}

func TestKnownZone(t *testing.T) {
	t.Parallel()
	for tz, want := range map[string]bool{
		"UTC": true, "Europe/Paris": true, "America/Argentina/Buenos_Aires": true, "Etc/GMT+5": true,
		"": false, "Local": false, "Mars/Olympus": false, "europe/paris": false,
	} {
		if got := KnownZone(tz); got != want {
			t.Errorf("KnownZone(%q) = %v, want %v", tz, got, want)
		}
	}
}
