// triggerwidget admin — small enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A page that answers a refused form opens on its error summary: the
  // keyboard focus goes there, so that a screen reader reads the problems
  // first, their links lead to the fields, and Tab goes on into the form.
  // A page that a save or a delete redirected to opens on its notice
  // ("Saved", "Deleted 2 triggers") the same way: a screen reader does not
  // announce a live region that is already filled when the page loads.
  const summary = document.querySelector("main .alert[role=alert]:not([hidden])");
  const notice = document.querySelector("main [role=status] .notice, main p.notice[role=status]");
  const first = summary || (notice && notice.textContent.trim() !== "" ? notice : null);
  if (first) {
    if (!first.hasAttribute("tabindex")) first.setAttribute("tabindex", "-1");
    first.focus();
    // A form that posts to an address with a #fragment (the Widget page's
    // Appearance) answers a page that scrolls to it once laid out, which
    // leaves the focus on nothing: the summary (or notice) takes it back,
    // in sight, until the person has pressed a key or pointed somewhere.
    // In case the scroll comes without a focusout (a window without the
    // system focus may move no focus events), it also checks once after
    // the load event, by when that scroll is done. Any sign of the person
    // (a key, a pointer, a wheel) ends it all.
    let moved = false;
    for (const type of ["keydown", "pointerdown", "wheel", "touchstart"]) {
      addEventListener(type, () => { moved = true; }, { capture: true, once: true });
    }
    const reclaim = () => {
      if (!moved && (document.activeElement === document.body || !document.activeElement)) {
        first.focus();
        first.scrollIntoView({ block: "nearest" });
      }
    };
    first.addEventListener("focusout", (e) => {
      if (moved || e.relatedTarget) return;
      setTimeout(reclaim);
    });
    addEventListener("load", () => setTimeout(reclaim), { once: true });
  }
  // The editor's ?saved=1 leaves the address, so that a reload does not
  // say "Saved" again.
  if (new URLSearchParams(location.search).has("saved")) {
    const u = new URL(location.href);
    u.searchParams.delete("saved");
    history.replaceState(history.state, "", u.pathname + u.search + u.hash);
  }

  // A form marked data-guard asks before the page is left with its changes
  // not saved (the browser's own "Leave site?"): a link, Cancel, the menu,
  // another form's button, closing the tab. Its own submit is no leaving;
  // a page that answers a refused save (data-unsaved) starts not saved.
  for (const form of document.querySelectorAll("form[data-guard]")) {
    let dirty = form.hasAttribute("data-unsaved");
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    addEventListener("beforeunload", (e) => {
      if (!dirty) return;
      e.preventDefault();
      e.returnValue = "";
    });
  }

  // A file input with data-max-bytes refuses a file over it as soon as it
  // is chosen, beside the field (data-too-large says so, %s the size in
  // MiB), rather than uploading it with the form to be refused there.
  document.addEventListener("change", (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) return;
    const file = input.files && input.files[0];
    const max = Number(input.dataset.maxBytes);
    const errID = input.id + "-err";
    let err = document.getElementById(errID);
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== errID);
    if (file && max > 0 && file.size > max) {
      if (!err) {
        err = document.createElement("p");
        err.className = "field-error";
        err.id = errID;
        input.insertAdjacentElement("afterend", err);
      }
      // Rounded up, so that a file just over the limit does not read "2".
      const mib = (Math.ceil(file.size / 104857.6) / 10).toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
      err.textContent = input.dataset.tooLarge.replace("%s", mib);
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", described.concat(errID).join(" "));
    } else if (err) {
      err.remove();
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", described.join(" "));
    }
  }, true);

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
