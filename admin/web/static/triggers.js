// The Triggers page without reloads: the Enabled switch saves at once,
// rows move with their arrow buttons or by drag and drop, and Delete asks
// in a dialog. Every action posts the page's own forms (answered in JSON
// when asked for), so the page works the same without this script.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector(".tl-table");
  const status = document.getElementById("tl-status");
  if (!table || !status) return;
  const base = table.dataset.base;
  const tbody = table.tBodies[0];

  // Messages: a status line, or a problem with a way to reload.
  function say(text) {
    clearProblem();
    status.replaceChildren();
    if (!text) return;
    const p = document.createElement("p");
    p.className = "notice";
    p.textContent = text;
    status.append(p);
  }
  function clearProblem() {
    document.querySelectorAll(".tl-problem").forEach((e) => e.remove());
  }
  function problem(text, reload) {
    status.replaceChildren();
    clearProblem();
    const box = document.createElement("div");
    box.className = "alert tl-problem";
    box.setAttribute("role", "alert");
    const p = document.createElement("p");
    p.textContent = text;
    box.append(p);
    if (reload) {
      const a = document.createElement("a");
      a.className = "button";
      a.href = base;
      a.textContent = table.dataset.reload;
      const q = document.createElement("p");
      q.append(a);
      box.append(q);
    }
    status.after(box);
  }

  // post sends a form's fields and returns the JSON answer; a refusal
  // throws an Error carrying the server's message.
  async function post(url, body) {
    let resp;
    try {
      resp = await fetch(url, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
    } catch {
      throw Object.assign(new Error(table.dataset.failed), { reload: false });
    }
    let data = {};
    try { data = await resp.json(); } catch { /* not JSON: a proxy's page */ }
    if (!resp.ok || !data.ok) {
      const err = data.error || {};
      throw Object.assign(new Error(err.message || table.dataset.failed), { reload: !!err.reload || resp.status === 409 });
    }
    return data;
  }

  // Clean the address of the last action's message, so reloading does not say it again.
  const here = new URL(location.href);
  if (here.searchParams.has("done")) {
    for (const k of ["done", "id", "n", "dir"]) here.searchParams.delete(k);
    history.replaceState(null, "", here.pathname + here.search + here.hash);
  }

  // --- the Enabled switch ---
  for (const form of document.querySelectorAll(".tl-toggle")) {
    const input = form.querySelector("input[role=switch]");
    const state = form.querySelector(".tl-state");
    const row = form.closest("tr");
    const show = (on) => {
      input.checked = on;
      input.setAttribute("aria-checked", on ? "true" : "false");
      if (state) state.textContent = on ? table.dataset.stateOn : table.dataset.stateOff;
      row.classList.toggle("off", !on);
    };
    form.addEventListener("submit", (e) => { e.preventDefault(); input.dispatchEvent(new Event("change")); });
    input.addEventListener("change", async () => {
      const on = input.checked;
      const body = new URLSearchParams(new FormData(form)); // before disabling: a disabled box is not sent
      show(on);
      input.disabled = true;
      say(table.dataset.saving);
      try {
        const data = await post(form.action, body);
        if (data.etag) form.querySelector("input[name=etag]").value = data.etag;
        say(data.message);
      } catch (err) {
        show(!on);
        problem(err.message, err.reload);
      } finally {
        input.disabled = false;
        input.focus();
      }
    });
  }

  // --- order ---
  const rows = () => Array.from(tbody.rows);
  function renumber() {
    const all = rows();
    all.forEach((tr, i) => {
      tr.querySelector(".tl-num").textContent = String(i + 1);
      tr.querySelector("button[value=up]").disabled = i === 0;
      tr.querySelector("button[value=down]").disabled = i === all.length - 1;
    });
  }
  function movedText(tr) {
    const all = rows();
    // Replaced by functions: a name with "$&" or "$'" is shown as typed.
    return table.dataset.moved.replace("%s", () => tr.dataset.label)
      .replace("%d", () => String(all.indexOf(tr) + 1)).replace("%d", () => String(all.length));
  }
  // place puts tr before ref (null: at the end), saves the new order,
  // and puts it back if the save is refused.
  let saving = false;
  async function place(tr, ref, focusDir) {
    const next = tr.nextElementSibling;
    if (ref === tr || ref === next) return;
    saving = true;
    tbody.insertBefore(tr, ref);
    renumber();
    refocus(tr, focusDir);
    const body = new URLSearchParams();
    for (const r of rows()) body.append("ids", r.dataset.id);
    try {
      await post(base + "/order", body);
      say(movedText(tr));
      tr.classList.remove("tl-flash");
      void tr.offsetWidth;
      tr.classList.add("tl-flash");
    } catch (err) {
      tbody.insertBefore(tr, next);
      renumber();
      refocus(tr, focusDir);
      problem(err.message, err.reload);
    } finally {
      saving = false;
    }
  }
  function refocus(tr, dir) {
    if (!dir) return;
    let b = tr.querySelector(`button[value=${dir}]`);
    if (b.disabled) b = tr.querySelector(`button[value=${dir === "up" ? "down" : "up"}]`);
    if (!b.disabled) b.focus();
  }
  for (const form of document.querySelectorAll(".tl-move")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (saving) return;
      const dir = e.submitter && e.submitter.value === "down" ? "down" : "up";
      const tr = form.closest("tr");
      if (dir === "up" && tr.previousElementSibling) place(tr, tr.previousElementSibling, "up");
      if (dir === "down" && tr.nextElementSibling) place(tr, tr.nextElementSibling.nextElementSibling, "down");
    });
  }

  // Drag and drop of rows.
  let dragged = null;
  const clearMarks = () => tbody.querySelectorAll(".tl-drop-before, .tl-drop-after")
    .forEach((r) => r.classList.remove("tl-drop-before", "tl-drop-after"));
  for (const tr of rows()) {
    tr.draggable = true;
    tr.addEventListener("dragstart", (e) => {
      if (saving) { e.preventDefault(); return; }
      dragged = tr;
      tr.classList.add("tl-dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", tr.dataset.label);
    });
    tr.addEventListener("dragend", () => {
      tr.classList.remove("tl-dragging");
      clearMarks();
      dragged = null;
    });
    tr.addEventListener("dragover", (e) => {
      if (!dragged || dragged === tr) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
      const box = tr.getBoundingClientRect();
      const after = e.clientY > box.top + box.height / 2;
      clearMarks();
      tr.classList.add(after ? "tl-drop-after" : "tl-drop-before");
    });
    tr.addEventListener("drop", (e) => {
      if (!dragged || dragged === tr) return;
      e.preventDefault();
      const box = tr.getBoundingClientRect();
      const after = e.clientY > box.top + box.height / 2;
      const moving = dragged;
      clearMarks();
      place(moving, after ? tr.nextElementSibling : tr, null);
    });
  }

  // --- selection and Delete ---
  const boxes = () => Array.from(document.querySelectorAll('input[name=ids][form="select-form"]'));
  const all = document.getElementById("select-all");
  if (all) {
    all.hidden = false;
    const sync = () => {
      const n = boxes().filter((b) => b.checked).length;
      all.checked = n > 0 && n === boxes().length;
      all.indeterminate = n > 0 && n < boxes().length;
    };
    all.addEventListener("change", () => { for (const b of boxes()) b.checked = all.checked; });
    for (const b of boxes()) b.addEventListener("change", sync);
    sync();
  }
  const selectForm = document.getElementById("select-form");
  const dialog = document.getElementById("delete-dialog");
  if (selectForm && dialog && typeof dialog.showModal === "function") {
    const list = document.getElementById("delete-list");
    const ids = document.getElementById("delete-ids");
    const title = document.getElementById("delete-title");
    selectForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const chosen = boxes().filter((b) => b.checked);
      if (chosen.length === 0) {
        problem(table.dataset.none, false);
        return;
      }
      clearProblem();
      list.replaceChildren();
      ids.replaceChildren();
      for (const b of chosen) {
        const li = document.createElement("li");
        li.textContent = b.closest("tr").dataset.label;
        list.append(li);
        const h = document.createElement("input");
        h.type = "hidden";
        h.name = "ids";
        h.value = b.value;
        ids.append(h);
      }
      title.textContent = chosen.length === 1 ? dialog.dataset.titleOne : dialog.dataset.titleMany.replace("%d", String(chosen.length));
      dialog.showModal();
    });
    document.getElementById("delete-cancel").addEventListener("click", () => dialog.close());
  }
});
