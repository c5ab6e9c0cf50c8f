// triggerwidget admin — the trigger editor's enhancements. The form works
// without them: rows are added and removed by submit buttons, every
// section is shown, and saving posts the same fields.
"use strict";
(() => {
  const form = document.getElementById("editor-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  for (const el of document.querySelectorAll("[data-js-only]")) el.hidden = false;

  const readJSON = (id, fallback) => {
    try { return JSON.parse(document.getElementById(id).textContent); } catch { return fallback; }
  };
  const data = readJSON("editor-data", { fields: {}, ops: {} });
  const shortcuts = readJSON("shortcuts-data", []);
  const debounce = (fn, ms) => {
    let t;
    return () => { clearTimeout(t); t = setTimeout(fn, ms); };
  };
  const number = (pattern, n) => pattern.replace("%d", String(n));

  // A problem in the summary takes the focus to its input.
  for (const a of document.querySelectorAll("#problems a[href^='#']")) {
    a.addEventListener("click", (e) => {
      const el = document.getElementById(a.getAttribute("href").slice(1));
      if (!el) return;
      e.preventDefault();
      el.closest("[hidden]")?.removeAttribute("hidden");
      el.scrollIntoView({ block: "center" });
      el.focus();
    });
  }

  // --- Sections by type, message by source ---
  const radioValue = (name, fallback) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? fallback;
  function applyType() {
    const t = radioValue("type", "site");
    form.dataset.type = t;
    for (const el of form.querySelectorAll("[data-types]")) el.hidden = !el.dataset.types.split(" ").includes(t);
  }
  function applyMessage() {
    const mode = radioValue("msg", "text");
    for (const el of form.querySelectorAll("[data-msg]")) el.hidden = el.dataset.msg !== mode;
  }
  form.addEventListener("change", (e) => {
    if (e.target.name === "type") applyType();
    if (e.target.name === "msg") applyMessage();
  });
  applyType();
  applyMessage();

  // --- Suggested messages: the filled ones, and Add up to 4 ---
  const suggList = form.querySelector(".suggestions");
  const suggItems = suggList ? [...suggList.querySelectorAll("[data-sugg]")] : [];
  const suggAdd = form.querySelector('[data-add="suggestion"]');
  const suggLimit = document.getElementById("sugg-limit");
  let shown = suggItems.filter((li) => li.querySelector("input").value.trim() !== "").length;
  function showSuggestions() {
    suggItems.forEach((li, i) => { li.hidden = i >= shown; });
    const full = shown >= suggItems.length;
    if (suggAdd) suggAdd.disabled = full;
    if (suggLimit) suggLimit.textContent = full ? suggLimit.dataset.limitText : "";
  }
  if (suggItems.length) {
    // Filled ones first, in order.
    const values = suggItems.map((li) => li.querySelector("input").value).filter((v) => v.trim() !== "");
    suggItems.forEach((li, i) => { li.querySelector("input").value = values[i] ?? ""; });
    showSuggestions();
    suggAdd?.addEventListener("click", () => {
      if (shown >= suggItems.length) return;
      shown++;
      showSuggestions();
      suggItems[shown - 1].querySelector("input").focus();
      schedulePreview();
    });
    suggItems.forEach((li, i) => {
      li.querySelector("[data-remove]").addEventListener("click", (e) => {
        e.preventDefault();
        const inputs = suggItems.map((x) => x.querySelector("input"));
        for (let j = i; j < inputs.length - 1; j++) inputs[j].value = inputs[j + 1].value;
        inputs[inputs.length - 1].value = "";
        shown = Math.max(0, shown - 1);
        showSuggestions();
        (i < shown ? inputs[i] : suggAdd)?.focus();
        schedulePreview();
      });
    });
  }

  // --- Condition and action rows ---
  // A row's first control the keyboard can reach (each row starts with a
  // hidden input that tells the server which stored row it was).
  const focusable = "select, input:not([type=hidden]), textarea";
  function setupRows(kind, templateID, limitID) {
    const list = form.querySelector(`[data-rows="${kind}"]`);
    if (!list) return;
    const max = Number(list.dataset.max);
    const tpl = document.getElementById(templateID);
    const add = form.querySelector(`[data-add="${kind}"]`);
    const limit = document.getElementById(limitID);
    const idle = limit ? limit.textContent : "";
    let next = 0;
    for (const row of list.children) next = Math.max(next, Number(row.dataset.row.slice(1)) + 1);
    // With the script, rows are added on demand: drop the spare empty row.
    const rows = () => [...list.children];
    if (rows().length > 1) for (const row of rows()) if (row.hasAttribute("data-blank")) row.remove();
    function renumber() {
      rows().forEach((row, i) => {
        for (const el of row.querySelectorAll("[data-num]")) el.textContent = String(i + 1);
        for (const el of row.querySelectorAll("[data-pattern]")) el.textContent = number(el.dataset.pattern, i + 1);
      });
      const full = rows().length >= max;
      if (add) add.disabled = full;
      if (limit) limit.textContent = full ? limit.dataset.limitText : idle;
    }
    function wire(row) {
      row.querySelector(`[data-remove="${kind}"]`)?.addEventListener("click", (e) => {
        e.preventDefault();
        const after = row.nextElementSibling;
        row.remove();
        renumber();
        (after?.querySelector(focusable) ?? add)?.focus();
        schedulePreview();
      });
      if (kind === "condition") wireCondition(row);
      else wireAction(row);
    }
    rows().forEach(wire);
    add?.addEventListener("click", (e) => {
      e.preventDefault();
      if (rows().length >= max) return;
      const t = document.createElement("template");
      t.innerHTML = tpl.innerHTML.replaceAll("__I__", String(next)).replaceAll("__N__", String(rows().length + 1));
      next++;
      const row = t.content.firstElementChild;
      list.append(row);
      wire(row);
      renumber();
      row.querySelector(focusable)?.focus();
    });
    renumber();
  }

  // A condition's operators follow its field, its value input the kind.
  function valueKind(field, op) {
    const info = data.fields[field];
    if (op === "exists" || op === "not_exists") return "none";
    if (op === "in" || op === "not_in" || !info) return "text";
    if (field === "time.hour") return "hour";
    if (field === "time.weekday") return "day";
    if (info.kind === "number") return "number";
    if (info.kind === "true/false") return "bool";
    return "text";
  }
  function adaptValue(row) {
    const field = row.querySelector('[data-role="field"]').value;
    const op = row.querySelector('[data-role="op"]').value;
    const kind = valueKind(field, op);
    let el = row.querySelector('[data-role="value"]');
    if (el.dataset.kind !== kind) {
      const fresh = document.getElementById("value-" + kind).content.firstElementChild.cloneNode(true);
      fresh.id = el.id;
      fresh.name = el.name;
      fresh.dataset.kind = kind;
      if (fresh.tagName === "INPUT" && el.tagName === "INPUT" && !el.disabled && kind !== "none") fresh.value = el.value;
      el.replaceWith(fresh);
      el = fresh;
    }
    if (el.tagName === "INPUT" && kind !== "none") {
      const list = op === "in" || op === "not_in";
      el.placeholder = list ? (field === "time.weekday" ? data.dayListPlaceholder : data.listPlaceholder)
        : (data.fields[field]?.kind === "list" ? "tag" : "");
      const dl = "values-" + field.replaceAll(".", "-");
      if (document.getElementById(dl)) el.setAttribute("list", dl); else el.removeAttribute("list");
    }
  }
  function wireCondition(row) {
    const fieldSel = row.querySelector('[data-role="field"]');
    const opSel = row.querySelector('[data-role="op"]');
    const keyCell = row.querySelector(".cell.key");
    fieldSel.addEventListener("change", () => {
      const info = data.fields[fieldSel.value];
      keyCell.toggleAttribute("data-off", !(info && info.keyed));
      const ops = info ? info.ops : Object.keys(data.ops);
      const cur = opSel.value;
      opSel.replaceChildren(...ops.map((o) => new Option(data.ops[o] ?? o, o)));
      opSel.value = ops.includes(cur) ? cur : ops[0];
      adaptValue(row);
    });
    opSel.addEventListener("change", () => adaptValue(row));
  }
  function wireAction(row) {
    const typeSel = row.querySelector('[data-role="act-type"]');
    const apply = () => {
      for (const part of row.querySelectorAll("[data-act]")) part.hidden = !part.dataset.act.split(" ").includes(typeSel.value);
    };
    typeSel.addEventListener("change", apply);
    apply();
  }
  setupRows("condition", "cond-template", "t-conds-limit");
  setupRows("action", "act-template", "t-acts-limit");

  // --- Try a URL, with the runtime's own matcher on the server ---
  const tryInput = document.getElementById("t-try");
  const tryResult = document.getElementById("t-try-result");
  let trySeq = 0;
  async function tryURL() {
    if (!tryInput) return;
    const seq = ++trySeq;
    const q = new URLSearchParams({
      match: document.getElementById("t-url-match").value,
      value: document.getElementById("t-url").value,
      url: tryInput.value,
    });
    try {
      const res = await fetch(tryInput.dataset.tryUrl + "?" + q, { headers: { Accept: "application/json" } });
      const body = await res.json();
      if (seq !== trySeq) return;
      tryResult.textContent = body.message + (body.url && body.result !== "error" ? " (" + body.url + ")" : "");
      tryResult.className = "try-result " + body.result;
    } catch { /* offline: leave the last answer */ }
  }
  const tryLater = debounce(tryURL, 200);
  for (const id of ["t-try", "t-url", "t-url-match"]) document.getElementById(id)?.addEventListener("input", tryLater);
  document.getElementById("t-url-match")?.addEventListener("change", tryLater);

  // --- Preview: the trigger as the form describes it, drawn by the widget ---
  const frame = document.querySelector(".preview iframe");
  let last = null;
  let previewSeq = 0;
  function post() {
    if (last && frame?.contentWindow) {
      frame.contentWindow.postMessage({ type: "triggerwidget-preview", trigger: last, shortcuts }, location.origin);
    }
  }
  async function refresh() {
    const seq = ++previewSeq;
    const fd = new FormData(form);
    fd.delete("image");
    fd.set("_preview", "1");
    try {
      const res = await fetch(form.action, { method: "POST", body: fd, headers: { Accept: "application/json" } });
      if (!res.ok || seq !== previewSeq) return;
      last = (await res.json()).trigger;
      post();
    } catch { /* keep the last preview */ }
  }
  const schedulePreview = debounce(refresh, 150);
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", schedulePreview);
  window.addEventListener("message", (e) => {
    if (e.origin !== location.origin || !frame || e.source !== frame.contentWindow) return;
    if (e.data && e.data.type === "triggerwidget-preview-ready") {
      if (last) post(); else refresh();
    }
  });
  refresh();
})();
