//go:build !js

package main

import (
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// --- 6 and 7. memory and storage after many events ---

// eventsJS drives the widget through its public API with n mixed events,
// in bursts of ten, each burst a task of its own as a page's events are:
// chat lines both ways (with markup characters, which a careless encoder
// stores escaped), custom events, attributes, tags, navigations through
// history.pushState to addresses the bench set's URL rules look at, and
// opening and closing the widget. It resolves when the last burst has run.
const eventsJS = `(async function (n) {
  var tw = window.TriggerWidget;
  var paths = ["/pricing", "/docs/start", "/blog/2026/comments", "/shop/tents/alpine-2", "/contact?topic=sales", "/help/returns", "/checkout/cart"];
  for (var i = 0; i < n; i++) {
    switch (i % 10) {
    case 0: tw.visitorMessage("Question " + i + ": is the <b>blue</b> tent & its \"pegs\" in stock?"); break;
    case 1: tw.agentMessage({ name: "Agent " + (i % 3), text: "Answer " + i + ": yes, <3 of them> & more next week." }); break;
    case 2: tw.addEvent("viewed_product_" + (i % 5), { sku: "SKU-" + i }); break;
    case 3: tw.setAttributes({ plan: i % 20 ? "pro" : "free", cart_items: String(i % 7), last_seen: "step " + i }); break;
    case 4: tw.addTags(["tag" + (i % 7), "returning"]); break;
    case 5: tw.removeTags(["tag" + ((i + 3) % 7)]); break;
    case 6: history.pushState(null, "", paths[(i / 10 | 0) % paths.length] + "?visit=" + i); break;
    case 7: tw.maximize(); break;
    case 8: tw.minimize(); break;
    case 9: tw.toggle(); break;
    }
    if (i % 10 === 9) await new Promise(function (r) { setTimeout(r, 5); });
  }
  return n;
})`

// storageJS sums the widget's stored state: the keys that start with
// triggerwidget: and their values, in UTF-16 code units (what a browser's
// localStorage quota counts).
const storageJS = `(function () {
  var n = 0;
  for (var i = 0; i < localStorage.length; i++) {
    var k = localStorage.key(i);
    if (k.indexOf("triggerwidget:") === 0) n += k.length + localStorage.getItem(k).length;
  }
  return n;
})()`

// eventsSection loads the events page (whose Storage.prototype.setItem is
// timed from before widget.js runs), waits for ready, drives e.opts.events
// events, waits until the widget has stopped writing, and reports the
// linear memory, the duration of every localStorage write made from the
// first event on, and the stored state.
func eventsSection(e *env) error {
	ctx, cancel, err := coldTab(e.bctx)
	if err != nil {
		return err
	}
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(e.url+"/bench/events.html")); err != nil {
		return err
	}
	if _, err := waitReady(ctx); err != nil {
		return err
	}
	memStart := readMemory(ctx, widgetMemoryJS)
	// Writes of the start-up are not the events': count from here.
	before, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__setItemTimes.length`))
	if err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("%s(%d)", eventsJS, e.opts.events), chromedp.EvalAwaitPromise)); err != nil {
		return fmt.Errorf("driving the events: %w", err)
	}
	driven := time.Since(t0)
	// Quiet: no new write for 500 ms (a coalesced write may come later
	// than the last event), 10 s at most.
	writes, last := -1, time.Now()
	for time.Since(last) < 500*time.Millisecond && time.Since(t0) < driven+10*time.Second {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.__setItemTimes.length`))
		if err != nil {
			return err
		}
		if n != writes {
			writes, last = n, time.Now()
		}
		time.Sleep(50 * time.Millisecond)
	}
	mem := readMemory(ctx, widgetMemoryJS)
	times, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`window.__setItemTimes.slice(%d)`, before)))
	if err != nil {
		return err
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[int](storageJS))
	if err != nil {
		return err
	}
	fmt.Printf("\n== %d mixed API events on the bench set (bursts of 10; driven in %s)\n", e.opts.events, driven.Round(time.Millisecond))
	fmt.Printf("wasm linear memory: %.1f MB after start, %.1f MB after the events (target ≤ 6 MB)\n", memStart/1e6, mem/1e6)
	fmt.Printf("localStorage.setItem: %d calls, median %.2f ms, worst %.2f ms, total %.0f ms\n",
		len(times), medianOf(times), maxOf(times), sumOf(times))
	fmt.Printf("stored state (keys triggerwidget:*): %s (UTF-16 code units / 1000)\n", kb(stored))
	e.sum.add(fmt.Sprintf("wasm memory after %d events", e.opts.events), "%.1f MB (target ≤ 6 MB)", mem/1e6)
	e.sum.add("storage writes during the events", "%d, median %.2f ms, worst %.1f ms; stored state %s", len(times), medianOf(times), maxOf(times), kb(stored))
	return nil
}
