// triggerwidget admin — small enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A page that answers a refused form opens on its error summary: the
  // keyboard focus goes there, so that a screen reader reads the problems
  // first, their links lead to the fields, and Tab goes on into the form.
  const summary = document.querySelector("main .alert[role=alert]:not([hidden])");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.focus();
    // A form that posts to an address with a #fragment (the Widget page's
    // Appearance) answers a page that scrolls to it once laid out, which
    // leaves the focus on nothing: the summary takes it back, until the
    // person has pressed a key or pointed somewhere.
    // In case the scroll comes without a focusout (a window without the
    // system focus may move no focus events), the summary also checks once
    // after the load event, by when that scroll is done. Any sign of the
    // person (a key, a pointer, a wheel) ends it all.
    let moved = false;
    for (const type of ["keydown", "pointerdown", "wheel", "touchstart"]) {
      addEventListener(type, () => { moved = true; }, { capture: true, once: true });
    }
    const reclaim = () => {
      if (!moved && (document.activeElement === document.body || !document.activeElement)) summary.focus();
    };
    summary.addEventListener("focusout", (e) => {
      if (moved || e.relatedTarget) return;
      setTimeout(reclaim);
    });
    addEventListener("load", () => setTimeout(reclaim), { once: true });
  }

  // A page that a save or a delete redirected to opens on its notice
  // ("Saved", "Deleted 2 triggers"): a screen reader does not announce a
  // live region that is already filled when the page loads, so the
  // keyboard focus goes there (unless an error summary took it), and is
  // read. The editor's ?saved=1 then leaves the address, so that a reload
  // does not say "Saved" again.
  const notice = document.querySelector("main [role=status] .notice, main p.notice[role=status]");
  if (notice && !summary && notice.textContent.trim() !== "") {
    notice.setAttribute("tabindex", "-1");
    notice.focus();
  }
  if (new URLSearchParams(location.search).has("saved")) {
    const u = new URL(location.href);
    u.searchParams.delete("saved");
    history.replaceState(history.state, "", u.pathname + u.search + u.hash);
  }

  // A button with data-copy copies the text of the element it names.
  for (const b of document.querySelectorAll("[data-copy]")) {
    b.addEventListener("click", async () => {
      const src = document.getElementById(b.dataset.copy);
      if (!src) return;
      try {
        await navigator.clipboard.writeText(src.value ?? src.textContent);
        const done = b.dataset.copied || "Copied";
        const was = b.textContent;
        b.textContent = done;
        setTimeout(() => { b.textContent = was; }, 1500);
      } catch { src.select?.(); }
    });
  }
});
