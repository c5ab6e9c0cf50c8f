// triggerwidget admin — the Widget page's Appearance form, enhanced: a
// colour picker beside the colour's text field, and the Preview, drawn by
// the widget runtime itself. The form works without this script (it posts,
// and the server shows it again with its problems or a notice).
//
// As the owner types, the form is posted with _preview: the server answers
// with the widget object the form describes (the one Save would publish),
// a sample trigger, and the problems Save would meet; the object and the
// trigger go to the preview frame, the trigger editor's, which starts a
// widget on them, and the problems are marked beside their inputs.
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

  // Problems, as the server finds them for the form as it stands: each
  // beside its input, the way a refused save shows them. A problem goes
  // away as soon as it is fixed; a new one waits until the owner leaves
  // the field (no "too short" while still typing).
  const places = ["ap-title", "ap-subtitle", "ap-color", "ap-position", "ap-offset", "ap-language", "ap-launcher", "ap-label", "ap-sound"];
  const mark = (errors, all) => {
    for (const id of places) {
      const el = document.getElementById(id);
      if (!el) continue;
      const group = el.tagName === "FIELDSET";
      const box = group ? el : el.closest(".fld, .ap-check");
      const inputs = group ? [...el.querySelectorAll("input")] : [el];
      const msg = errors && typeof errors[id] === "string" ? errors[id] : "";
      const errId = id + "-err";
      let p = document.getElementById(errId);
      if (msg && !all && box && box.contains(document.activeElement) && !p) continue;
      for (const input of inputs) {
        const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== errId);
        if (msg) ids.push(errId);
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" ")); else input.removeAttribute("aria-describedby");
        if (msg) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      }
      if (!msg) { p?.remove(); continue; }
      if (!p) {
        p = document.createElement("p");
        p.className = "field-error";
        p.id = errId;
        box?.append(p);
      }
      p.textContent = msg;
    }
  };

  // A problem in the alert above the form takes the focus to its input.
  for (const a of document.querySelectorAll("#ap-alert a[href^='#']")) {
    a.addEventListener("click", (e) => {
      const el = document.getElementById(a.getAttribute("href").slice(1));
      if (!el) return;
      e.preventDefault();
      el.scrollIntoView({ block: "center" });
      el.focus();
    });
  }

  const section = document.querySelector(".ap-preview");
  const frame = section?.querySelector("iframe");
  if (!frame) return;
  section.hidden = false;
  let last = null;
  let seq = 0;
  let timer = 0;
  let left = false; // a field was left (change) since the last request
  const post = () => {
    if (last && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: "triggerwidget-preview", trigger: last.trigger, widget: last.widget, shortcuts: [] }, location.origin);
    }
  };
  const refresh = async (first) => {
    const mine = ++seq;
    const all = left;
    const fd = new FormData(form);
    fd.set("_preview", "1");
    try {
      const res = await fetch(form.action, { method: "POST", body: fd, headers: { Accept: "application/json" } });
      if (!res.ok || mine !== seq) return;
      last = await res.json();
      // The page as loaded shows the problems of a refused save already.
      if (first !== true) mark(last.errors, all);
      if (all) left = false;
      // The widget's own title, in the language chosen, is what an empty
      // Title or Tab label shows.
      for (const id of ["ap-title", "ap-label"]) {
        const input = document.getElementById(id);
        if (input && typeof last.defaultTitle === "string") input.placeholder = last.defaultTitle;
      }
      post();
    } catch { /* offline: keep the last preview */ }
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(() => refresh(false), 150); };
  form.addEventListener("input", later);
  form.addEventListener("change", () => { left = true; later(); });
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || e.source !== frame.contentWindow) return;
    if (e.data && e.data.type === "triggerwidget-preview-ready") {
      if (last) post(); else refresh(true);
    }
  });
  refresh(true);
});
