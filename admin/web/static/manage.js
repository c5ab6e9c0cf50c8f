// triggerwidget admin — Administration pages: a dialog before a
// destructive action, and the shortcut editor's rows added and removed at
// once. Every page works without this script (the server then shows a
// confirmation step, and the Add and Remove buttons post the form).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // A form with data-confirm asks first, in a modal dialog.
  let dialog = null;
  const ask = (form) => {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "mg-dialog";
      dialog.setAttribute("aria-labelledby", "mg-dialog-title");
      dialog.setAttribute("aria-describedby", "mg-dialog-text");
      dialog.innerHTML = '<h2 id="mg-dialog-title"></h2><p id="mg-dialog-text"></p>' +
        '<div class="row-actions"><button type="button" class="primary" data-yes></button><button type="button" data-no></button></div>';
      document.body.append(dialog);
      dialog.querySelector("[data-no]").addEventListener("click", () => dialog.close());
    }
    const d = form.dataset;
    dialog.querySelector("h2").textContent = d.confirmTitle || "";
    dialog.querySelector("p").textContent = d.confirm;
    const yes = dialog.querySelector("[data-yes]");
    yes.textContent = d.confirmYes || "OK";
    yes.classList.toggle("danger", !form.querySelector("button.primary"));
    dialog.querySelector("[data-no]").textContent = d.confirmNo || "Cancel";
    yes.onclick = () => {
      const c = document.createElement("input");
      c.type = "hidden"; c.name = "confirm"; c.value = "1";
      form.append(c);
      dialog.close();
      form.submit();
    };
    dialog.showModal();
    dialog.querySelector("[data-no]").focus();
  };
  for (const f of document.querySelectorAll("form[data-confirm]")) {
    f.addEventListener("submit", (e) => { e.preventDefault(); ask(f); });
  }

  // The shortcut editor.
  const form = document.getElementById("sc-form");
  if (!form) return;
  const atts = form.querySelector("[data-atts]");
  const tplAtt = document.getElementById("tpl-att");
  const tplField = document.getElementById("tpl-field");
  const max = Number(form.dataset.max) || 10;
  const maxFields = Number(form.dataset.maxFields) || 10;
  let next = 100; // rows added here get numbers the page never uses
  const rows = () => atts.querySelectorAll(":scope > fieldset.att");
  const fields = (fs) => fs.querySelectorAll("[data-fields] > .ff");
  const renumber = () => {
    rows().forEach((fs, i) => {
      for (const s of fs.querySelectorAll(".n-att")) s.textContent = String(i + 1);
      fields(fs).forEach((ff, j) => { for (const s of ff.querySelectorAll(".n-field")) s.textContent = String(j + 1); });
      const add = fs.querySelector("[data-add-field]");
      if (add) add.disabled = fields(fs).length >= maxFields;
    });
    form.querySelector("[data-add-att]").disabled = rows().length >= max;
  };
  const fromTemplate = (tpl, map) => {
    let html = tpl.innerHTML;
    for (const [k, v] of Object.entries(map)) html = html.split(k).join(String(v));
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  };
  form.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b || !form.contains(b)) return;
    if (b.matches("[data-add-att]")) {
      e.preventDefault();
      const el = fromTemplate(tplAtt, { "__A__": next++ });
      atts.append(el);
      renumber();
      el.querySelector("select").focus();
    } else if (b.matches("[data-remove-att]")) {
      e.preventDefault();
      b.closest("fieldset.att").remove();
      renumber();
      document.getElementById("attachments").focus();
    } else if (b.matches("[data-add-field]")) {
      e.preventDefault();
      const fs = b.closest("fieldset.att");
      const el = fromTemplate(tplField, { "__A__": fs.dataset.att, "__F__": next++ });
      fs.querySelector("[data-fields]").append(el);
      renumber();
      el.querySelector("input").focus();
    } else if (b.matches("[data-remove-field]")) {
      e.preventDefault();
      const fs = b.closest("fieldset.att");
      b.closest(".ff").remove();
      renumber();
      fs.querySelector("[data-add-field]").focus();
    }
  });
});
