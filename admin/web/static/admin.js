// triggerwidget admin — small enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
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
