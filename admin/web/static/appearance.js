// triggerwidget admin — the Widget page's Appearance form, enhanced: a
// colour picker beside the colour's text field, and the Preview, drawn by
// the widget runtime itself. The form works without this script (it posts,
// and the server shows it again with its problems or a notice).
//
// As the owner types, the form is posted with _preview: the server answers
// with the widget object the form describes (the one Save would publish)
// and a sample trigger; both go to the preview frame, the trigger
// editor's, which starts a widget on them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("ap-form");
  if (!form) return;

  // The picker and the text field show one colour; the text field is the
  // one posted, and may hold what the picker cannot (a colour being typed).
  const text = document.getElementById("ap-color");
  const pick = document.getElementById("ap-color-pick");
  const full = (v) => {
    const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v.trim());
    if (!m) return null;
    const h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return "#" + h.toLowerCase();
  };
  if (text && pick) {
    pick.hidden = false;
    const fromText = () => { const c = full(text.value); if (c) pick.value = c; };
    fromText();
    text.addEventListener("input", fromText);
    pick.addEventListener("input", () => {
      text.value = pick.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  const section = document.querySelector(".ap-preview");
  const frame = section?.querySelector("iframe");
  if (!frame) return;
  section.hidden = false;
  let last = null;
  let seq = 0;
  let timer = 0;
  const post = () => {
    if (last && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: "triggerwidget-preview", trigger: last.trigger, widget: last.widget, shortcuts: [] }, location.origin);
    }
  };
  const refresh = async () => {
    const mine = ++seq;
    const fd = new FormData(form);
    fd.set("_preview", "1");
    try {
      const res = await fetch(form.action, { method: "POST", body: fd, headers: { Accept: "application/json" } });
      if (!res.ok || mine !== seq) return;
      last = await res.json();
      // The widget's own title, in the language chosen, is what an empty
      // Title or Tab label shows.
      for (const id of ["ap-title", "ap-label"]) {
        const input = document.getElementById(id);
        if (input && typeof last.defaultTitle === "string") input.placeholder = last.defaultTitle;
      }
      post();
    } catch { /* offline: keep the last preview */ }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(refresh, 150); };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || e.source !== frame.contentWindow) return;
    if (e.data && e.data.type === "triggerwidget-preview-ready") {
      if (last) post(); else refresh();
    }
  });
  refresh();
});
