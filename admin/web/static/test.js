// The Test page's journey form, enhanced: "Add step" adds a row in place,
// each row gets a "Remove step N" button, rows are renumbered (ids, names
// and labels) after each change, and a row's details box says what it
// expects for the chosen action. Without this script the form still
// works: "Add step" posts and the server answers with more rows, and a
// row is left out by choosing "— no step —".
(function () {
  "use strict";
  var form = document.getElementById("journey");
  if (!form) return;
  var table = form.querySelector("table.steps");
  var body = form.querySelector("[data-steps]");
  var count = form.querySelector("[data-count]");
  var tpl = document.getElementById("step-template");
  var add = form.querySelector("[data-add]");
  var max = parseInt(table.getAttribute("data-max"), 10) || 40;
  var hints = {
    url: "https://… /pricing",
    text: "…",
    name: "signup"
  };

  function label(kind, n) {
    return (table.getAttribute("data-label-" + kind) || "").replace("%d", String(n));
  }

  function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr[data-step]")); }

  function removeButton(row) {
    var cell = row.querySelector("td.col-remove");
    if (!cell || cell.querySelector("button")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.className = "remove";
    b.textContent = "✕";
    b.addEventListener("click", function () {
      var list = rows();
      var i = list.indexOf(row);
      row.parentNode.removeChild(row);
      renumber();
      list = rows();
      var next = list[Math.min(i, list.length - 1)];
      if (next) next.querySelector("select").focus();
      else add.focus();
    });
    cell.appendChild(b);
  }

  function renumber() {
    rows().forEach(function (row, i) {
      var n = i + 1;
      ["at", "action", "value"].forEach(function (kind) {
        var input = row.querySelector("[name$='-" + kind + "']");
        var lab = input && row.querySelector("label[for='" + input.id + "']");
        var id = "step-" + n + "-" + kind;
        if (!input) return;
        input.id = id;
        input.name = id;
        if (lab) {
          lab.htmlFor = id;
          lab.textContent = label(kind, n);
        }
      });
      var err = row.querySelector(".field-error");
      if (err) {
        err.id = "step-" + n + "-error";
        row.querySelectorAll("[aria-describedby]").forEach(function (el) {
          el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").replace(/step-\d+-error/, err.id));
        });
      }
      var b = row.querySelector("button.remove");
      if (b) b.setAttribute("aria-label", label("remove", n));
    });
    var n = rows().length;
    count.value = String(n);
    add.disabled = n >= max;
  }

  // fit shows what the row's details box expects for its action.
  function fit(row) {
    var sel = row.querySelector("select");
    var value = row.querySelector("input.value");
    if (!sel || !value) return;
    var opt = sel.options[sel.selectedIndex];
    var needs = opt ? opt.getAttribute("data-needs") || "" : "";
    value.disabled = sel.value !== "" && needs === "";
    value.placeholder = hints[needs] || "";
    value.type = "text";
  }

  function enhance(row) {
    removeButton(row);
    fit(row);
    var sel = row.querySelector("select");
    if (sel) sel.addEventListener("change", function () { fit(row); });
  }

  function empty(row) {
    return !row.querySelector(".field-error") && Array.prototype.every.call(
      row.querySelectorAll("input, select"), function (el) { return el.value === ""; });
  }

  // The latest time typed in a row, or null.
  function lastTime() {
    var t = null;
    rows().forEach(function (row) {
      var v = parseFloat((row.querySelector("input.at").value || "").replace(",", "."));
      if (!isNaN(v)) t = v;
    });
    return t;
  }

  // The empty rows a plain form needs are dropped: "Add step" adds one
  // where it is wanted. One row stays.
  rows().reverse().forEach(function (row) {
    if (rows().length > 1 && empty(row)) row.parentNode.removeChild(row);
  });
  add.type = "button";
  add.addEventListener("click", function () {
    if (rows().length >= max) return;
    var frag = tpl.content.cloneNode(true);
    var row = frag.querySelector("tr");
    body.appendChild(row);
    var t = lastTime();
    if (t !== null) row.querySelector("input.at").value = String(t + 5);
    enhance(row);
    renumber();
    row.querySelector("input.at").focus();
  });
  rows().forEach(enhance);
  renumber();
})();
