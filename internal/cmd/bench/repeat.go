//go:build !js

package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// --- 5. repeat visit ---

// A repeat visit is a second visit in a new tab of the same browser
// profile, after the first tab has closed: the HTTP cache is warm (the
// hashed wasm is immutable for a year) and, if V8 wrote it, so is the wasm
// code cache, so the module is deserialized instead of compiled. Each
// trial is a fresh Chromium with its own on-disk profile (not an
// incognito-style browser context).
//
// What Chrome needs to use the code cache: the module is compiled by
// WebAssembly.instantiateStreaming (or compileStreaming) from a fetch
// Response whose Content-Type is exactly application/wasm; the response is
// in the HTTP cache and comes from it unchanged the next time (a
// revalidation that brings a new response makes the cached code stale);
// and V8 has offered code to cache. V8 (dynamic tiering) offers it once
// enough functions have been optimized by TurboFan and then no new ones
// for a quiet period (its flags wasm_caching_threshold and
// wasm_caching_timeout_ms, 2 s by default).
//
// The signal is Chromium's trace: v8.wasm.cachedModule (producedCacheSize)
// when a visit writes the cache, v8.wasm.moduleCacheHit (consumedCacheSize)
// when the next one reads it, v8.wasm.moduleCacheInvalid when V8 refuses it.
//
// Besides the widget and the hello, the section runs the widget once more
// with V8's flag --wasm-caching-timeout-ms=0 (Chromium's --js-flags), so
// that V8 writes the cache as soon as code is optimized: what a repeat
// visit costs when the code cache is used, whether or not Chromium's
// defaults got to write it.

// cachingAtOnce are the V8 flags of the widget's third row.
const cachingAtOnce = "--wasm-caching-timeout-ms=0"

// repeatVariant is a variant of the repeat section and its V8 flags.
type repeatVariant struct {
	variant
	jsFlags string
}

// repeatResult is one variant's trials.
type repeatResult struct {
	first, repeat      []float64
	written, hits      int
	invalid            int
	produced, consumed int64
}

func repeatSection(e *env) error {
	flagged := widgetVariant
	flagged.name = "widget, " + cachingAtOnce
	variants := []repeatVariant{{widgetVariant, ""}, {helloVariant, ""}, {flagged, cachingAtOnce}}
	res := map[string]*repeatResult{}
	for _, v := range variants {
		res[v.name] = &repeatResult{}
	}
	trial := 0
	for i := range e.opts.repeats {
		for k := range variants {
			v := variants[(i+k)%len(variants)]
			trial++
			dir := filepath.Join(e.tmp, fmt.Sprintf("repeat-%d", trial))
			if err := repeatTrial(e, v, dir, res[v.name]); err != nil {
				return fmt.Errorf("%s: %w", v.name, err)
			}
		}
	}
	fmt.Printf("\n== repeat visit: a second visit in a new tab of the same profile, %d trials each (medians)\n", e.opts.repeats)
	fmt.Printf("   (first visit cold, open %s after ready (1 s with %s), closed; both visits traced; a fresh Chromium per trial)\n", e.opts.repeatWait, cachingAtOnce)
	fmt.Printf("%-36s %10s %10s %24s %22s\n", "", "first ms", "repeat ms", "code cache written", "code cache used")
	for _, v := range variants {
		r := res[v.name]
		fmt.Printf("%-36s %10.1f %10.1f %24s %22s\n", v.name, medianOf(r.first), medianOf(r.repeat),
			fmt.Sprintf("%d/%d, %s", r.written, len(r.first), kb(int(r.produced/int64(max(r.written, 1))))),
			fmt.Sprintf("%d/%d, %s", r.hits, len(r.repeat), kb(int(r.consumed/int64(max(r.hits, 1))))))
		if r.invalid > 0 {
			fmt.Printf("%-36s the cached code was refused %d times (v8.wasm.moduleCacheInvalid)\n", "", r.invalid)
		}
	}
	w, h, f := res[widgetVariant.name], res[helloVariant.name], res[flagged.name]
	ratio := medianOf(w.repeat) / medianOf(h.repeat)
	fmt.Printf("ratio widget/hello on the repeat visit: %.2f×\n", ratio)
	e.sum.add("repeat visit (new tab, warm HTTP cache)",
		"widget %.0f ms (first visit %.0f ms), hello %.0f ms: %.2f×; widget's wasm code cache used %d/%d",
		medianOf(w.repeat), medianOf(w.first), medianOf(h.repeat), ratio, w.hits, len(w.repeat))
	e.sum.add("  the same, V8 caching at once", "widget %.0f ms; code cache used %d/%d (%s)",
		medianOf(f.repeat), f.hits, len(f.repeat), cachingAtOnce)
	return nil
}

// repeatTrial runs one first visit and one repeat visit of v's page in a
// fresh Chromium whose profile is in userDir.
func repeatTrial(e *env, v repeatVariant, userDir string, r *repeatResult) error {
	bctx, cancel, err := newBrowser(userDir, v.jsFlags)
	if err != nil {
		return err
	}
	defer cancel()
	wait := e.opts.repeatWait
	if v.jsFlags == cachingAtOnce {
		wait = min(wait, time.Second) // V8 writes as soon as code is optimized
	}
	first, firstCache, err := tracedVisit(bctx, e.url+v.page, wait, e.traceName("repeat-first", v.page))
	if err != nil {
		return fmt.Errorf("first visit: %w", err)
	}
	repeat, repeatCache, err := tracedVisit(bctx, e.url+v.page, 200*time.Millisecond, e.traceName("repeat-second", v.page))
	if err != nil {
		return fmt.Errorf("repeat visit: %w", err)
	}
	r.first = append(r.first, first)
	r.repeat = append(r.repeat, repeat)
	if firstCache.written > 0 {
		r.written++
		r.produced += firstCache.producedBytes
	}
	if repeatCache.hits > 0 && repeatCache.invalid == 0 {
		r.hits++
		r.consumed += repeatCache.consumedBytes
	}
	r.invalid += repeatCache.invalid
	return nil
}

// tracedVisit opens url in a new tab of the default browser context of
// bctx with a trace running, waits for ready and then for stay, and
// closes the tab. It returns the ready time and the trace's code cache
// events.
func tracedVisit(bctx context.Context, url string, stay time.Duration, name string) (float64, wasmCache, error) {
	tab, cancelTab := chromedp.NewContext(bctx)
	defer cancelTab()
	if err := chromedp.Do(tab); err != nil {
		return 0, wasmCache{}, err
	}
	ctx, cancel := context.WithTimeout(tab, loadTimeout)
	defer cancel()
	tr, err := startTrace(ctx, wasmCategories)
	if err != nil {
		return 0, wasmCache{}, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return 0, wasmCache{}, err
	}
	ms, err := waitReady(ctx)
	if err != nil {
		return 0, wasmCache{}, err
	}
	time.Sleep(stay)
	events, err := tr.stop(ctx, name)
	if err != nil {
		return 0, wasmCache{}, err
	}
	return ms, wasmCacheEvents(events), nil
}
