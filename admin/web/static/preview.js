// The Preview frame: shows one trigger's message rendered by the widget
// runtime itself. The trigger editor (our parent, same origin) posts
// {type: "triggerwidget-preview", trigger, shortcuts} on every change (the
// Widget page adds widget, the set's appearance object); we
// answer {type: "triggerwidget-preview-ready"} once we listen.
//
// Each update builds a one-trigger set (a no-delay site notification
// carrying the trigger's message, agent and suggestions), hands it to a
// fresh widget through data-triggers as a blob: URL, in a blank
// same-origin frame, with the preview property's stored visit cleared so
// the message shows anew, and opens the widget. The new frame replaces the
// old one once the widget reports the message shown, so the preview never
// flashes empty; the old widget is shut down first. Nothing here builds
// HTML from what was typed: the set goes to the runtime as JSON, and the
// runtime renders every text as text.
(function () {
  "use strict";
  var root = document.getElementById("preview");
  if (!root) return;
  var stage = document.getElementById("preview-stage");
  var placeholder = document.getElementById("preview-placeholder");
  var invalid = document.getElementById("preview-invalid");
  var timing = document.getElementById("preview-timing");
  var widgetURL = new URL(root.getAttribute("data-widget") || "/widget/widget.js", location.href).href;
  var cssURL = new URL(root.getAttribute("data-css") || "", location.href).href;
  var pid = root.getAttribute("data-pid") || "";
  var frameTitle = root.getAttribute("data-frame-title") || "Preview";

  // The property the preview widget runs as: its storage keys and session
  // cookie are the runtime's ("triggerwidget:ID:…", "tw_ID").
  var PROPERTY = "admin-preview";
  var DEBOUNCE = 80;      // ms between the last keystroke and a render
  var GIVE_UP = 5000;     // ms after which a frame is shown even if silent

  var shown = null;       // {frame, url} on screen
  var loading = null;     // {frame, url, started, timer} being built
  var latest = null;      // the last update asked for
  var debounce = 0;
  var asked = 0;          // when the pending update was asked for

  function clearStorage() {
    var prefix = "triggerwidget:" + PROPERTY + ":";
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (k && k.indexOf(prefix) === 0) localStorage.removeItem(k);
      }
    } catch (e) { /* storage blocked: the runtime keeps its visit in memory */ }
    try {
      document.cookie = "tw_" + PROPERTY + "=; path=/; max-age=0; SameSite=Lax";
    } catch (e) { /* cookies blocked */ }
  }

  function text(v) { return typeof v === "string" ? v : ""; }
  function blank(v) { return text(v).trim() === ""; }

  // A relative image is relative to the published set's URL,
  // /p/ID/triggers.json; the preview's set is a blob: URL that nothing can
  // be relative to, so such images are made absolute paths first.
  function absolute(ref) {
    if (typeof ref !== "string" || ref === "" || /^(avatar:|https:|http:|data:|blob:|\/)/i.test(ref)) return ref;
    // A URL the runtime refuses (control characters, spaces, backslashes)
    // stays as it is, so that the preview refuses it too instead of
    // showing what the URL parser would make of it.
    if (/[\x00-\x20\x7f\\]/.test(ref)) return ref;
    try {
      var u = new URL(ref, location.origin + "/p/" + encodeURIComponent(pid) + "/triggers.json");
      return u.pathname + u.search + u.hash;
    } catch (e) {
      return ref;
    }
  }

  function copy(v) { return JSON.parse(JSON.stringify(v)); }

  // buildSet makes the one-trigger set for a trigger, or null when it has
  // no message to show yet.
  function buildSet(d) {
    var t = d && typeof d.trigger === "object" && d.trigger ? d.trigger : null;
    if (!t) return null;
    var src = t;
    if (t.type === "advanced") {
      src = null;
      var actions = Array.isArray(t.actions) ? t.actions : [];
      for (var i = 0; i < actions.length; i++) {
        if (actions[i] && actions[i].type === "send_message") { src = actions[i]; break; }
      }
      if (!src) return null;
    }
    var m = src.message;
    if (!m || typeof m !== "object") return null;
    var message = {};
    if (!blank(m.shortcut)) message.shortcut = text(m.shortcut);
    else if (!blank(m.text)) message.text = text(m.text);
    else return null;
    var trigger = {
      id: "preview", name: blank(t.name) ? "Preview" : text(t.name), type: "site",
      enabled: true, delay: 0, oncePerVisitor: false, message: message
    };
    if (src.agent && typeof src.agent === "object") {
      var agent = {};
      if (!blank(src.agent.name)) agent.name = text(src.agent.name);
      if (!blank(src.agent.image)) agent.image = absolute(text(src.agent.image));
      // An agent name is required to publish, but the owner may not have
      // typed it yet: preview the message with a stand-in meanwhile.
      if (!agent.name) agent.name = "…";
      trigger.agent = agent;
    } else {
      trigger.agent = { name: "…" };
    }
    if (Array.isArray(src.suggestions)) {
      var sugg = src.suggestions.filter(function (s) { return !blank(s); });
      if (sugg.length) trigger.suggestions = sugg;
    }
    var shortcuts = [];
    if (message.shortcut && Array.isArray(d.shortcuts)) {
      d.shortcuts.forEach(function (s) {
        if (!s || s.id !== message.shortcut) return;
        s = copy(s);
        (Array.isArray(s.attachments) ? s.attachments : []).forEach(function (a) {
          if (a && typeof a.url === "string") a.url = absolute(a.url);
        });
        shortcuts.push(s);
      });
    }
    var set = { version: 1, property: PROPERTY, status: "online", triggers: [trigger], shortcuts: shortcuts };
    // The Widget page previews an appearance: the set's widget object.
    if (d.widget && typeof d.widget === "object" && !Array.isArray(d.widget)) set.widget = copy(d.widget);
    return set;
  }

  function setState(state) {
    root.setAttribute("data-state", state);
    placeholder.hidden = state !== "empty";
    invalid.hidden = state !== "invalid";
  }

  function dispose(f) {
    if (!f) return;
    clearTimeout(f.timer);
    try {
      var api = f.frame.contentWindow && f.frame.contentWindow.TriggerWidget;
      if (api && typeof api.shutdown === "function") api.shutdown();
    } catch (e) { /* the frame is gone already */ }
    try { f.frame.contentWindow.URL.revokeObjectURL(f.url); } catch (e) { /* ignore */ }
    if (f.frame.parentNode) f.frame.parentNode.removeChild(f.frame);
  }

  // reveal puts a loaded frame on screen in place of the previous one.
  function reveal(f, state) {
    if (loading !== f) return;
    loading = null;
    clearTimeout(f.timer);
    dispose(shown);
    shown = null;
    if (state === "invalid") {
      // The runtime skipped the trigger: an empty widget would mislead.
      dispose(f);
    } else {
      shown = f;
      f.frame.classList.remove("is-loading");
    }
    setState(state);
    var ms = Math.round(performance.now() - f.asked);
    root.setAttribute("data-update-ms", String(ms));
    timing.textContent = " · " + ms + " ms";
    notify({ type: "triggerwidget-preview-shown", state: state, ms: ms });
  }

  function render(set) {
    dispose(loading);
    loading = null;
    if (!set) {
      dispose(shown);
      shown = null;
      clearStorage();
      timing.textContent = "";
      setState("empty");
      notify({ type: "triggerwidget-preview-shown", state: "empty", ms: 0 });
      return;
    }
    clearStorage();
    var frame = document.createElement("iframe");
    frame.className = "widget-frame is-loading";
    frame.title = frameTitle;
    stage.appendChild(frame);
    var win = frame.contentWindow;
    var doc = frame.contentDocument;
    var f = { frame: frame, url: "", asked: asked, timer: 0 };
    loading = f;
    try {
      doc.documentElement.lang = document.documentElement.lang;
      doc.documentElement.className = "widget-doc";
      var link = doc.createElement("link");
      link.rel = "stylesheet";
      link.href = cssURL;
      doc.head.appendChild(link);
      // Listeners the loader picks up (set before widget.js runs).
      win.TriggerWidget = {
        onMessageShown: function (ev) { if (ev && ev.triggerId === "preview") reveal(f, "shown"); },
        onLoad: function (ev) {
          if (ev && Array.isArray(ev.skipped) && ev.skipped.indexOf("preview") >= 0) reveal(f, "invalid");
        },
        onError: function (ev) {
          if (ev && (ev.code === "load" || ev.code === "start" || ev.triggerId === "preview")) reveal(f, "invalid");
        }
      };
      var blob = new win.Blob([JSON.stringify(set)], { type: "application/json" });
      f.url = win.URL.createObjectURL(blob);
      var script = doc.createElement("script");
      script.src = widgetURL;
      script.setAttribute("data-triggers", f.url);
      script.setAttribute("data-property", PROPERTY);
      script.onload = function () {
        try { win.TriggerWidget.maximize(); } catch (e) { /* reported by the widget */ }
      };
      doc.body.appendChild(script);
    } catch (e) {
      reveal(f, "invalid");
      return;
    }
    f.timer = setTimeout(function () { reveal(f, "shown"); }, GIVE_UP);
  }

  function update(d) {
    latest = d;
    clearTimeout(debounce);
    var first = !shown && !loading;
    asked = performance.now();
    debounce = setTimeout(function () { render(buildSet(latest)); }, first ? 0 : DEBOUNCE);
  }

  function notify(msg) {
    if (window.parent && window.parent !== window) {
      try { window.parent.postMessage(msg, location.origin); } catch (e) { /* ignore */ }
    }
  }

  window.addEventListener("message", function (ev) {
    if (ev.origin !== location.origin || ev.source !== window.parent) return;
    var d = ev.data;
    if (!d || typeof d !== "object" || d.type !== "triggerwidget-preview") return;
    update(d);
  });
  window.addEventListener("pagehide", function () {
    dispose(loading);
    dispose(shown);
    clearStorage();
  });
  setState("empty");
  notify({ type: "triggerwidget-preview-ready" });
})();
