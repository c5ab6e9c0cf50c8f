// triggerwidget loader. The build (internal/distbuild) puts it in one
// function scope with Go's wasm_exec.js, so the Go class and the
// fs/process/path shims it needs stay private: they are the page's globals
// only while the program starts (withShims, in the build's prelude).
//
// What lives here rather than in Go, and why:
//  - the TriggerWidget method stubs and their queue, because the host may call
//    them before the wasm has even downloaded;
//  - listener dispatch, so that a throwing host listener is caught in JS and
//    never reaches Go or the host's own call stack;
//  - the history.pushState/replaceState wrappers, because only a JS wrapper
//    can pass the original's return value and exceptions through unchanged;
//  - the widget's stylesheet, so that the browser parses it while the wasm
//    downloads instead of during the start-up.
// Everything else (loading the trigger set, the engine, rendering) is Go.
var TW_WASM = "__TW_WASM__"; // replaced by the build with the hashed wasm name
var TW_VERSION = "__TW_VERSION__";
var script = document.currentScript;
var api = window.TriggerWidget;
if (!api || (typeof api !== "object" && typeof api !== "function")) {
  api = window.TriggerWidget = {};
}
// What the tag asks for: its property and set, as a second copy compares.
var tagConfig = script ? (script.getAttribute("data-property") || "") + " " + (script.getAttribute("data-triggers") || "") : " ";
if (api.__triggerwidget) {
  // One page runs one widget. A second tag for another property (or
  // another set) is a configuration error the first copy reports, so that
  // the page's error listeners hear it; a plain duplicate is only noted.
  var first = api.__triggerwidget;
  if (first && typeof first.report === "function" && first.config !== tagConfig) {
    first.report("config", "widget.js was included a second time, for " + JSON.stringify(tagConfig.trim()) +
      "; one page runs one widget, so that copy does nothing (the first runs " + JSON.stringify(first.config.trim()) + ")");
  } else {
    console.warn("[triggerwidget] widget.js was included twice; the second copy does nothing");
  }
  return;
}

var METHODS = ["visitorMessage", "agentMessage", "agentJoined", "agentTyping", "agentStoppedTyping", "chatEnded", "setStatus",
  "maximize", "minimize", "toggle", "hide", "show",
  "setAttributes", "addTags", "removeTags", "addEvent",
  "getState", "explain", "reload", "shutdown"];
var impl = null;     // the Go implementation, impl(i, ...args) for METHODS[i], once the runtime is ready
var queue = [];      // calls made before that
var listeners = Object.create(null); // event name -> functions registered with on()
var stopped = false;
var audio = null;    // the chime's AudioContext, once it has sounded

// halt makes the API inert and takes the widget's hooks off the page: on
// shutdown(), a fatal error, or a configuration that cannot work.
function halt() {
  if (stopped) return; // once: the runtime's exit after a shutdown() comes here again
  stopped = true;
  impl = null;
  queue = [];
  // The page may start the widget again by adding the tag again (a
  // single-page app after a log-out and log-in): that copy finds no mark.
  installed.forEach(function (o) {
    try { if (o.__triggerwidget === mark) delete o.__triggerwidget; } catch (e) { /* an exotic object */ }
  });
  unwrapNavigation();
  if (unmodal) {
    unmodal();
    unmodal = null;
  }
  if (audio) {
    try { audio.close(); } catch (e) { /* already closed */ }
    audio = null;
  }
}

function report(code, message) {
  if (stopped) return; // shutdown(): the page asked for no more of the widget
  try { console.error("[triggerwidget] " + message); } catch (e) { /* no console */ }
  dispatch("error", { code: code, message: message });
}

// dispatch calls the host's listeners of an event; none once the widget
// has stopped (shutdown(), or after the error that stopped it). A listener
// removed with off() while the event is being delivered is not called, as
// with the DOM's own events. An error that a call made from an 'error'
// listener causes is not delivered again to the listeners (it is in the
// console, as every error is): a listener that forwards errors through the
// API would otherwise recurse until the stack runs out.
var inError = false;
function dispatch(name, payload) {
  if (stopped) return;
  if (name === "error" && inError) return;
  adopt();
  var own = listeners[name] || [];
  var fns = own.slice();
  var prop = api["on" + name.charAt(0).toUpperCase() + name.slice(1)];
  if (typeof prop === "function") fns.unshift(prop);
  if (name === "error") inError = true;
  try {
    for (var i = 0; i < fns.length; i++) {
      if (fns[i] !== prop && own.indexOf(fns[i]) < 0) continue; // removed meanwhile
      try {
        fns[i].call(api, payload);
      } catch (e) {
        try { console.error("[triggerwidget] a '" + name + "' listener threw:", e); } catch (e2) { /* ignore */ }
      }
    }
  } finally {
    if (name === "error") inError = false;
  }
}

// VALUED are the methods that answer something; the others return
// undefined, before ready and after it alike.
var VALUED = { getState: true, explain: true };

// HUGE is the length (UTF-16 units) past which no argument's text is
// read, and MANY the number of tags, names or attributes: far past every
// limit the runtime checks exactly (a visitor's message of 5000
// characters, 50 tags or attributes, 1,000 names to remove), so only an
// argument that could never pass is refused here, before any of it is
// copied into the runtime's memory (which never shrinks), at no cost to
// the calls that pass.
var HUGE = 16384, MANY = 1000;
function oversized(args) {
  var text = function (v) { return typeof v === "string" && v.length > HUGE; };
  for (var i = 0; i < args.length; i++) {
    var v = args[i];
    if (text(v)) return "a text of " + v.length + " characters, far past the limit; it was not read";
    if (Array.isArray(v)) {
      if (v.length > MANY) return "too many items in one call: " + v.length + " (at most " + MANY + " are read)";
      for (var j = 0; j < v.length; j++) if (text(v[j])) return "item " + j + " is a text of " + v[j].length + " characters, far past the limit; it was not read";
    } else if (v !== null && typeof v === "object") {
      var keys = Object.keys(v);
      if (keys.length > MANY) return "too many items in one call: " + keys.length + " (at most " + MANY + " are read)";
      for (var k = 0; k < keys.length; k++) {
        if (text(keys[k]) || text(v[keys[k]])) return JSON.stringify(keys[k].slice(0, 40)) + " holds a text far past the limit; it was not read";
      }
    }
  }
  return "";
}

function call(name, args) {
  try {
    if (typeof impl === "function") {
      var big = oversized(args);
      if (big) {
        report("api", name + ": " + big);
        return VALUED[name] ? null : undefined;
      }
      var r = impl.apply(null, [METHODS.indexOf(name)].concat(args));
      return VALUED[name] ? r : undefined;
    }
  } catch (e) {
    report("api", name + ": " + (e && e.message ? e.message : String(e)));
  }
  return VALUED[name] ? null : undefined;
}

// snapshot copies a queued call's argument, one level deep, so that the
// call sees it as it was when the page made it (as a call after ready
// does), not as the page changed it meanwhile. A value that cannot be
// copied (a getter that throws) is kept as it is: the call reports it.
function snapshot(v) {
  try {
    // Past MANY items it is refused unread anyway, and not worth a copy.
    if (Array.isArray(v)) return v.length > MANY ? v : v.slice();
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.keys(v).length > MANY ? v : Object.assign({}, v);
    }
  } catch (e) { /* reported when the call runs */ }
  return v;
}

var stubs = {};
METHODS.forEach(function (name) {
  var stub = function () {
    var args = Array.prototype.slice.call(arguments);
    if (stopped) return VALUED[name] ? null : undefined;
    if (!impl) {
      if (VALUED[name]) return null;
      if (name === "shutdown") {
        // Before the runtime is ready: it does not start, or its start-up
        // ends at its next step, before anything more reaches the page.
        halt();
        if (boot) boot.halted = true;
        return undefined;
      }
      queue.push([name, args.map(snapshot)]);
      return undefined;
    }
    return call(name, args);
  };
  stub.__tw = true;
  stubs[name] = stub;
});

// EVENTS are the events on() takes (the runtime's widget.Host* names).
var EVENTS = ["load", "triggerFired", "messageShown", "suggestionClicked", "visitorMessage", "formSubmitted",
  "offlineMessage", "maximized", "minimized", "statusChange", "emit", "error"];
stubs.on = function (name, fn) {
  if (EVENTS.indexOf(name) < 0) {
    console.warn("[triggerwidget] on(" + JSON.stringify(String(name)) + "): no such event (one of " + EVENTS.join(", ") + ")");
  } else if (typeof fn !== "function") {
    console.warn("[triggerwidget] on(\"" + name + "\"): the listener is not a function");
  } else {
    (listeners[name] = listeners[name] || []).push(fn);
  }
  return api;
};
stubs.off = function (name, fn) {
  var l = listeners[name];
  if (l) {
    var i = l.indexOf(fn);
    if (i >= 0) l.splice(i, 1);
  }
  return api;
};
stubs.on.__tw = stubs.off.__tw = true;

// mark tells this copy's API object from another copy's: a copy added
// after this one was shut down takes its own.
var mark = { version: TW_VERSION, report: function (code, message) { report(code, message); }, config: tagConfig };
mark.toString = function () { return TW_VERSION; };

// install puts the API on target: the page's TriggerWidget object. Every
// object it was put on loses this copy's mark when the widget stops.
var installed = [];
function install(target) {
  Object.defineProperty(target, "__triggerwidget", { value: mark, configurable: true });
  installed.push(target);
  for (var name in stubs) {
    var previous = target[name];
    if (typeof previous === "function" && !previous.__tw) {
      console.warn("[triggerwidget] TriggerWidget." + name + " was already defined; it is replaced");
    }
    target[name] = stubs[name];
  }
}
install(api);

// adopt follows the page when it replaces window.TriggerWidget after this
// script has run (window.TriggerWidget = {} in a snippet that a tag
// manager or the page's own code runs late): the API moves to the new
// object, so that its calls and its onLoad-style handlers reach the
// widget. The old object's methods keep working. window.TriggerWidget is
// an accessor whose setter adopts at once (where the page lets us define
// it); dispatch and the runtime's start adopt too, for a page that
// defined the name its own way.
var warnedFrozen = false;
function adopt(g) {
  try {
    if (arguments.length === 0) g = window.TriggerWidget;
    if (stopped || g === api || !g || (typeof g !== "object" && typeof g !== "function") || g.__triggerwidget !== undefined) return api;
    install(g);
    api = g;
  } catch (e) {
    // A frozen object, a Proxy that throws: the API stays where it was.
    if (!warnedFrozen) {
      warnedFrozen = true;
      try { console.warn("[triggerwidget] window.TriggerWidget was replaced by an object the API cannot be added to; the API stays on the previous one"); } catch (e2) { /* no console */ }
    }
  }
  return api;
}
(function () {
  var current = api;
  try {
    var desc = Object.getOwnPropertyDescriptor(window, "TriggerWidget");
    if (desc && !desc.configurable) return;
    Object.defineProperty(window, "TriggerWidget", {
      configurable: true,
      enumerable: true,
      get: function () { return current; },
      set: function (v) { current = v; adopt(v); }
    });
  } catch (e) { /* the page's own definition stays; dispatch adopts */ }
})();

// Navigation. Wrappers call through to whatever was there before (another
// script's wrapper included) with the same this, arguments, result and
// exceptions; only afterwards do they tell the runtime.
var navWrappers = Object.create(null);
function navigated() {
  if (typeof impl === "function") {
    try { impl(METHODS.length, String(location.href), String(document.title || ""), ""); } catch (e) { /* reported by Go */ }
  }
}
["pushState", "replaceState"].forEach(function (m) {
  var original = history[m];
  if (typeof original !== "function") return;
  var wrapper = function () {
    var result = original.apply(this, arguments);
    if (!stopped) navigated();
    return result;
  };
  navWrappers[m] = { wrapper: wrapper, original: original };
  try { history[m] = wrapper; } catch (e) { /* frozen history: popstate/hashchange still work */ }
});
window.addEventListener("popstate", navigated);
window.addEventListener("hashchange", navigated);

function unwrapNavigation() {
  for (var m in navWrappers) {
    // Restore only if nobody wrapped on top of us; otherwise our wrapper
    // stays in their chain and simply passes through (stopped is true).
    if (history[m] === navWrappers[m].wrapper) history[m] = navWrappers[m].original;
  }
  window.removeEventListener("popstate", navigated);
  window.removeEventListener("hashchange", navigated);
}

var src = (script && script.src) || "";
var base = src ? src.slice(0, src.lastIndexOf("/") + 1) : "";
var property = (script && script.getAttribute("data-property")) || "";
var triggersURL = (script && script.getAttribute("data-triggers")) || "";
var debug = !!(script && script.hasAttribute("data-debug"));
function misconfigured(message) {
  report("config", message);
  halt();
}
if (!base) {
  misconfigured("widget.js could not find its own <script> tag; load it with a plain <script src> tag");
  return;
}
try {
  if (!triggersURL) {
    if (!property) {
      misconfigured("the <script> tag needs data-property=\"PROPERTY_ID\" (or data-triggers=\"URL\")");
      return;
    }
    triggersURL = new URL("../p/" + encodeURIComponent(property) + "/triggers.json", base).href;
  } else {
    triggersURL = new URL(triggersURL, location.href).href;
  }
} catch (e) {
  misconfigured("the trigger set's URL " + JSON.stringify(triggersURL) + " is not a URL (data-triggers)");
  return;
}

// The wasm's download starts as soon as the tag's configuration is known,
// before the trigger set's: its streaming compilation is the longest part
// of the widget's start, and each fetch() call takes a few milliseconds of
// the script's own run.
//
// Both downloads go with credentials "same-origin": cookies only when the
// widget is served from the page's own origin, whose server has them
// anyway, and never to another widget host. A browser keeps requests sent
// without credentials on connections of their own, so "omit" would make a
// self-hosted widget open a second connection (a TCP and TLS handshake,
// one or two round trips) where the one that brought widget.js is idle.
var go = new Go();
var wasmURL = base + TW_WASM;
var fetchInit = { credentials: "same-origin" };
function instantiate() {
  var response = fetch(wasmURL, fetchInit).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status);
    return r;
  });
  var buffered = function (r) {
    return r.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
  };
  if (!WebAssembly.instantiateStreaming) return response.then(buffered);
  return response.then(function (r) {
    var type = (r.headers.get("Content-Type") || "").toLowerCase();
    // A static host that does not send application/wasm: compiled from a
    // buffer, the slower way (and V8 keeps no compiled code for it). Any
    // other failure (a policy without 'wasm-unsafe-eval', a broken file) is
    // reported, not downloaded again.
    if (type !== "application/wasm") return buffered(r);
    return WebAssembly.instantiateStreaming(r, go.importObject);
  });
}

var instantiated = instantiate();

// The largest trigger set the runtime reads, in bytes: widget.MaxSetBytes
// (a test in cmd/widget keeps the two equal). A larger one is refused here,
// before a byte of it reaches Go: by its Content-Length when the server sends
// one, else by counting the body as it streams in and cancelling the
// download once it passes the limit. So a huge or endless set costs neither
// memory nor a long task.
var TW_MAX_SET = 262144;

function tooLarge(size) {
  var e = new Error("the trigger set " + (size ? "is " + size + " bytes, " : "is ") +
    "larger than the limit of " + TW_MAX_SET + " bytes (256 KiB)");
  e.code = "load";
  return e;
}

// readLimited reads a response body as text, at most TW_MAX_SET bytes.
function readLimited(r, abort) {
  var declared = r.headers.get("Content-Length");
  if (declared !== null && /^[0-9]+$/.test(declared) && Number(declared) > TW_MAX_SET) {
    abort();
    return Promise.reject(tooLarge(Number(declared)));
  }
  if (!r.body || typeof r.body.getReader !== "function" || typeof TextDecoder === "undefined") {
    return r.text().then(function (t) {
      // Its size in UTF-8, the bytes the limit counts (a string's length
      // counts UTF-16 units: a 3-byte character is one).
      if (new Blob([t]).size > TW_MAX_SET) throw tooLarge(0);
      return t;
    });
  }
  var reader = r.body.getReader();
  var decoder = new TextDecoder();
  var parts = [];
  var size = 0;
  function next() {
    return reader.read().then(function (chunk) {
      if (chunk.done) {
        parts.push(decoder.decode());
        return parts.join("");
      }
      size += chunk.value.byteLength;
      if (size > TW_MAX_SET) {
        parts = [];
        try { reader.cancel().catch(function () { /* already gone */ }); } catch (e) { /* ignore */ }
        abort();
        throw tooLarge(0);
      }
      parts.push(decoder.decode(chunk.value, { stream: true }));
      return next();
    });
  }
  return next();
}

// Neither download holds the host page's load event (a fetch does not
// delay it). Go waits for the trigger set with a timeout.
function fetchSet() {
  var controller = typeof AbortController === "function" ? new AbortController() : null;
  var abort = function () { if (controller) { try { controller.abort(); } catch (e) { /* ignore */ } } };
  var init = { credentials: fetchInit.credentials, mode: "cors" };
  if (controller) init.signal = controller.signal;
  return fetch(triggersURL, init).then(function (r) {
    if (!r.ok) throw new Error("HTTP " + r.status + " for " + triggersURL);
    return readLimited(r, abort);
  });
}
var setPromise = fetchSet();
setPromise.catch(function () { /* handled by Go */ });

var boot = {
  version: TW_VERSION,
  base: base,
  property: property,
  triggersURL: triggersURL,
  debug: debug,
  start: (window.performance && performance.now) ? performance.now() : 0,
  set: setPromise,
  refetch: fetchSet,
  api: api,
  dispatch: dispatch,
  // Go calls ready(impl) once it can take calls: queued calls run now, in order.
  ready: function (implementation) {
    impl = implementation;
    var pending = queue;
    queue = [];
    for (var i = 0; i < pending.length; i++) call(pending[i][0], pending[i][1]);
  },
  // Go calls stop() on shutdown or a fatal error: the API becomes inert.
  stop: halt,
  // Set when shutdown() came before the runtime was ready: the start-up
  // ends at its next step.
  halted: false
};

// build makes the widget's fixed markup in one call from Go instead of one
// call per element and attribute. markup is a JSON tree of
// [tag, {attribute: value}, child...] where a string child is a text node;
// it is a constant of the runtime (wasm/ui.go, wasm/ux.go), never data from
// a trigger set or the host, and it goes in through createElement,
// setAttribute and text nodes only. A number, as a child or an attribute's
// value, is the widget's own phrase of that number in words (the phrases in
// the widget's language, when given). It returns the elements by their
// data-part attribute, and the tree's root as "root".
// isArray tells the runtime whether an argument is an array, in one call
// whose answer holds no JS object (each one Go holds costs it a
// finalizer).
boot.isArray = Array.isArray;

boot.build = function (markup, words) {
  var parts = {};
  function word(v) { return typeof v === "number" && words ? words[v] : v; }
  function make(node) {
    if (typeof node !== "object") return document.createTextNode(word(node));
    var el = document.createElement(node[0]);
    var attrs = node[1];
    for (var name in attrs) el.setAttribute(name, word(attrs[name]));
    for (var i = 2; i < node.length; i++) el.appendChild(make(node[i]));
    var part = el.getAttribute("data-part");
    if (part) parts[part] = el;
    return el;
  }
  parts.root = make(JSON.parse(markup));
  return parts;
};

// listen adds the runtime's listener number i for events of type on
// target: go(i, event), one Go function for all of them. Once the program
// has exited, calling it throws; that never reaches the page.
boot.listen = function (target, type, i, go) {
  target.addEventListener(type, function (ev) {
    try { go(i, ev); } catch (e) { /* the runtime has stopped */ }
  });
};

// appearance applies the set's appearance to the widget in one call from
// Go, where a call per attribute, property and text was some sixty
// crossings, each name and value a JS string Go tracks. changes is JSON,
// [[kind, part, name, value], …] made by the runtime (wasm/appearance.go):
// kind "a" sets the attribute name of the element with that data-part ("":
// the host) to value, "p" sets the custom property name of its style, and "t"
// makes value the part's text (a text node, never markup), shown, or
// hidden when it is empty.
boot.appearance = function (host, root, changes) {
  var list = JSON.parse(changes);
  for (var i = 0; i < list.length; i++) {
    var c = list[i], el = c[1] ? root.querySelector("[data-part=" + c[1] + "]") : host;
    if (!el) continue;
    if (c[0] === "p") {
      el.style.setProperty(c[2], c[3]);
    } else if (c[0] === "a") {
      el.setAttribute(c[2], c[3]);
    } else {
      el.textContent = c[3];
      if (c[3]) el.removeAttribute("hidden"); else el.setAttribute("hidden", "");
    }
  }
};

// A few chores of the widget's UI that need no decision of the engine and
// take a line of JS but many bytes of wasm (every Go call into JS is code
// of its own): keeping the transcript at its newest line, replacing broken
// images, the tone for a new message, and the wording of message times
// with the browser's Intl. Each catches what it throws: nothing reaches
// the host page.

// comforts puts the parts p built from the runtime's uxMarkup in place
// among the fixed markup's parts f (the close button before minimize; the
// typing line, the pill and the offline form before the composer),
// replaces broken images under root (images), and returns follow's show.
boot.comforts = function (p, f, root, avatar) {
  f.minimize.before(p.close);
  f.composer.before(p.typing, p["new-message"], p.offline);
  boot.images(root, avatar);
  boot.modal(f.panel);
  return boot.follow(f.transcript, p["new-message"]);
};

// modal makes the panel a modal dialog while it fills the screen (a
// phone, a short window; the stylesheet's full-screen rule): Tab and
// Shift+Tab go round its controls instead of on to the page hidden under
// it, and aria-modal tells a screen reader the page is out of reach.
var unmodal = null;
boot.modal = function (panel) {
  try {
    var mq = window.matchMedia("(max-width: 480px), (max-height: 420px)");
    var mark = function () {
      if (mq.matches) panel.setAttribute("aria-modal", "true"); else panel.removeAttribute("aria-modal");
    };
    mark();
    if (mq.addEventListener) {
      mq.addEventListener("change", mark);
      unmodal = function () { mq.removeEventListener("change", mark); };
    }
    panel.addEventListener("keydown", function (e) {
      if (e.key !== "Tab" || !mq.matches) return;
      var all = Array.prototype.filter.call(panel.querySelectorAll("button, input, textarea, select, a[href], [tabindex]"), function (el) {
        return !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0;
      });
      if (!all.length) return;
      var active = panel.getRootNode().activeElement;
      if (e.shiftKey && active === all[0]) {
        all[all.length - 1].focus();
        e.preventDefault();
      } else if (!e.shiftKey && active === all[all.length - 1]) {
        all[0].focus();
        e.preventDefault();
      }
    });
  } catch (e) { /* no matchMedia: the page stays in reach */ }
};

// filled reports whether form's required fields hold more than spaces:
// those that hold only spaces are emptied, and the browser shows the
// visitor which, in its own words, as for a field left empty (a message
// of spaces passed the browser's check, and the runtime then refused it
// where the visitor could not see).
boot.filled = function (form) {
  try {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.required && typeof el.value === "string" && el.value !== "" && el.value.trim() === "") el.value = "";
    });
    return form.reportValidity();
  } catch (e) {
    return true;
  }
};

// morph makes the transcript line old look like its new rendering el,
// changing only what differs: attributes in place, and only the nodes
// that differ replaced. The transcript is a log, whose additions a screen
// reader reads out: a whole line put back (its suggestions used, its form
// sent) was read again in full. It returns the line now in the document.
boot.morph = function (old, el) {
  function same(a, b) {
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) return false;
    if (a.nodeType !== 1) {
      if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
      return true;
    }
    var i, at;
    for (i = a.attributes.length - 1; i >= 0; i--) {
      at = a.attributes[i];
      if (!b.hasAttribute(at.name)) a.removeAttribute(at.name);
    }
    for (i = 0; i < b.attributes.length; i++) {
      at = b.attributes[i];
      if (a.getAttribute(at.name) !== at.value) a.setAttribute(at.name, at.value);
    }
    var ac = Array.prototype.slice.call(a.childNodes), bc = Array.prototype.slice.call(b.childNodes);
    if (ac.length !== bc.length) {
      while (a.firstChild) a.removeChild(a.firstChild);
      for (i = 0; i < bc.length; i++) a.appendChild(bc[i]);
      return true;
    }
    for (i = 0; i < ac.length; i++) {
      if (!ac[i].isEqualNode(bc[i]) && !same(ac[i], bc[i])) a.replaceChild(bc[i], ac[i]);
    }
    return true;
  }
  try {
    if (same(old, el)) return old;
  } catch (e) { /* below */ }
  try { old.replaceWith(el); } catch (e) { /* gone */ }
  return el;
};

// place puts a transcript line el into log in time order: after the last
// line no later than it, so that a line another tab sent earlier, adopted
// after this tab's own later ones, takes its place. A line's time is its
// <time data-at=MS>; a line without one goes last.
boot.place = function (log, el) {
  var at = function (n) { var t = n.querySelector("time[data-at]"); return t ? +t.getAttribute("data-at") : -1; };
  var mine = at(el), n = log.lastElementChild;
  if (mine >= 0) while (n && at(n) > mine) n = n.previousElementSibling;
  log.insertBefore(el, n ? n.nextSibling : log.firstChild);
};
// follow keeps the newest line of the transcript log in sight while the
// visitor has not scrolled up: the log's end, or, when the newest line is
// another's and taller than the log (a long message, a picture), its
// start, so that it reads from the top. It does so again when an image in
// it loads (load does not bubble: it is caught on the way down). A visitor
// who scrolled up gets the pill instead, which takes them to the newest
// line. It returns show(own, always): a line was added, own when the
// visitor sent it (the end, always); always when the panel opens.
boot.follow = function (log, pill) {
  var stick = true, placed = -1;
  function place(own) {
    var top = log.scrollHeight - log.clientHeight, n = log.lastElementChild;
    if (!own && n && !n.classList.contains("visitor") && n.offsetHeight > log.clientHeight) {
      top = Math.min(top, log.scrollTop + n.getBoundingClientRect().top - log.getBoundingClientRect().top);
    }
    log.scrollTop = top;
    placed = log.scrollTop;
    stick = true;
    pill.hidden = true;
  }
  log.addEventListener("scroll", function () {
    // Our own placing is not the visitor scrolling away.
    if (placed >= 0 && Math.abs(log.scrollTop - placed) < 2) return;
    placed = -1;
    stick = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    if (stick) pill.hidden = true;
  }, { passive: true });
  log.addEventListener("load", function () { if (stick) place(false); }, true);
  pill.addEventListener("click", function () { place(false); log.focus(); });
  return function (own, always) {
    if (own || stick || always) place(own); else pill.hidden = false;
  };
};

// images replaces the images under root that fail to load: an agent's
// picture (class avatar) by the standard avatar, once; an attachment's by
// a line of its alt text.
boot.images = function (root, avatar) {
  root.addEventListener("error", function (e) {
    try {
      var img = e.target;
      if (img.tagName !== "IMG") return;
      if (img.className === "avatar") {
        img.className = "avatar fallback";
        img.src = avatar;
      } else if (img.parentNode.matches("[data-part=attachment]")) {
        var alt = document.createElement("span");
        alt.className = "alt";
        alt.setAttribute("data-part", "image-alt");
        alt.textContent = img.alt;
        img.replaceWith(alt);
      }
    } catch (e2) { /* leave it */ }
  }, true);
};

var unitFormats = {};
boot.chime = function () {
  try {
    audio = audio || new AudioContext();
    var t = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain);
    gain.connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.35);
  } catch (e) { /* no WebAudio */ }
};
// unit words n of unit ("minute", "hour", "day") short: "2 min".
boot.unit = function (n, unit, lang) {
  try {
    var key = lang + " " + unit;
    return (unitFormats[key] = unitFormats[key] || new Intl.NumberFormat(lang, { style: "unit", unit: unit, unitDisplay: "short" })).format(n);
  } catch (e) {
    return n + " " + unit;
  }
};
// times words every message time (<time data-part=time data-at=MS>) under
// root at now (ms), in language lang. units is the runtime's rule
// (widget.TimeUnits), flat: [below, step, unit, …]: an age under below
// counts in whole steps of unit, "" for nowWord. A time gets its ISO
// datetime and, as its title, the full local time once. It returns the
// soonest change, or -1 for no time.
boot.times = function (root, now, nowWord, lang, units) {
  var next = -1, els = [];
  try { els = root.querySelectorAll("time[data-part=time]"); } catch (e) { /* no times */ }
  for (var i = 0; i < els.length; i++) {
    try {
      var el = els[i], at = +el.getAttribute("data-at"), age = Math.max(0, now - at), k = 0;
      while (k + 3 < units.length && age >= units[k]) k += 3;
      var step = units[k + 1], unit = units[k + 2], change = step - age % step;
      if (!el.hasAttribute("datetime")) {
        var d = new Date(at);
        el.setAttribute("datetime", d.toISOString());
        el.setAttribute("title", d.toLocaleString(lang, { dateStyle: "full", timeStyle: "short" }));
      }
      el.setAttribute("data-ago", unit ? boot.unit(Math.floor(age / step), unit, lang) : nowWord);
      if (next < 0 || change < next) next = change;
    } catch (e) { /* leave this time as it is; the others are still worded */ }
  }
  return next;
};

// yieldTo calls fn from a new task of the event loop, so that the host
// page's own work (input, rendering, its scripts) can run before it: the
// runtime calls it between the steps of its start-up, so that none of them
// is a long task. scheduler.postTask where there is one, else a
// MessageChannel message (setTimeout would be clamped to 4 ms after a few
// nested calls).
var channel = null, waiting = [];
function yieldTo(fn) {
  try {
    if (window.scheduler && typeof scheduler.postTask === "function") {
      scheduler.postTask(fn).catch(function () { /* fn reports its own errors */ });
      return;
    }
    if (typeof MessageChannel === "function") {
      if (!channel) {
        channel = new MessageChannel();
        channel.port1.onmessage = function () {
          var f = waiting.shift();
          try { if (f) f(); } catch (e) { /* fn reports its own errors */ }
        };
      }
      waiting.push(fn);
      channel.port2.postMessage(null);
      return;
    }
  } catch (e) { /* fall through */ }
  setTimeout(fn, 0);
}
boot.yieldTo = yieldTo;

// idleTo calls fn once the page has an idle moment (requestIdleCallback,
// within two seconds however busy the page is), else after a short
// timeout: for the runtime's work that can wait, such as its first
// garbage collection after the start-up.
function idleTo(fn) {
  try {
    if (typeof window.requestIdleCallback === "function") {
      window.requestIdleCallback(function () { try { fn(); } catch (e) { /* fn reports its own errors */ } }, { timeout: 2000 });
      return;
    }
  } catch (e) { /* fall through */ }
  setTimeout(function () { try { fn(); } catch (e) { /* fn reports its own errors */ } }, 50);
}
boot.idleTo = idleTo;

// afterLoad runs fn once the host page's load event has passed (at once if
// it already has), in a task of its own after the page's own load
// listeners: the runtime never competes with the page's start.
function afterLoad(fn) {
  if (document.readyState === "complete") {
    yieldTo(fn); // a task of its own, not the end of the wasm's compilation
    return;
  }
  window.addEventListener("load", function () { setTimeout(fn, 0); }, { once: true });
}

// The widget's stylesheet (wasm/widget.css; the build puts it here as a
// string). styles parses it once into a constructable stylesheet, which a
// strict Content-Security-Policy allows where an inline <style> would not;
// false in a browser without them.
var TW_CSS = "__TW_CSS__";
var sheet = null;
function styles() {
  if (sheet === null) {
    sheet = false;
    try {
      if (typeof CSSStyleSheet === "function") {
        var s = new CSSStyleSheet();
        s.replaceSync(TW_CSS);
        sheet = s;
      }
    } catch (e) { /* no constructable stylesheets: a <style> element below */ }
  }
  return sheet;
}

// adopt styles the widget's shadow root with the stylesheet and returns
// null, or, in a browser without constructable stylesheets, returns a
// <style> element holding it for the runtime to put in the root.
boot.adopt = function (root) {
  var s = styles();
  if (s) {
    try {
      root.adoptedStyleSheets = [s];
      return null;
    } catch (e) { /* fall back to an element */ }
  }
  var el = document.createElement("style");
  el.textContent = TW_CSS;
  return el;
};

// Parsing the stylesheet takes a few milliseconds (3 to 6 in the bench):
// done once the page has loaded, in a task of its own, it overlaps the
// wasm's download instead of lengthening the start-up's step that builds
// the widget.
afterLoad(function () { if (!stopped) styles(); });

// While the wasm downloads and compiles, once the page has loaded, open
// what the runtime's start-up reads: a page's first access to localStorage
// (and to document.cookie) is a synchronous round trip to the browser
// process, a few milliseconds that would otherwise fall in a step of the
// start-up, after the download. Later reads find them open.
afterLoad(function () {
  if (stopped) return;
  try { window.localStorage.getItem("triggerwidget:"); } catch (e) { /* blocked: the runtime keeps the visit in memory */ }
  boot.newSession = browserSession();
});

// browserSession tells whether this page load starts a new browser session
// for the property: its session cookie (no expiry: the browser drops it
// when its session ends) was not there, and is now. False when it was, or
// when cookies are blocked (visits then end only by the idle rule). Asked
// here, while the wasm downloads, because writing a cookie and reading it
// back are round trips to the browser process, a few milliseconds the
// start-up would otherwise wait for. Undefined when the property is not
// known before the set is read: the runtime asks itself.
function browserSession() {
  try {
    if (!property) {
      void document.cookie; // opened now, read sooner later
      return undefined;
    }
    var name = "tw_" + property.replace(/[^A-Za-z0-9_-]/g, "_");
    var has = function () { return document.cookie.split(";").some(function (c) { return c.replace(/^ +/, "").split("=")[0] === name; }); };
    if (has()) return false;
    document.cookie = name + "=1; path=/; SameSite=Lax";
    return has();
  } catch (e) {
    return false; // a sandboxed frame: no session cookie
  }
}

instantiated.then(function (result) {
  afterLoad(function () { run(result); });
}).catch(function (e) {
  report("load", "could not load the widget runtime from " + wasmURL + ": " + (e && e.message ? e.message : e));
  halt();
});

function run(result) {
  if (stopped) return;
  var instance = result.instance;
  var running;
  try {
    adopt();
    // Where the runtime finds the loader, until it has read it: a global of
    // its own, not the API object, which the page may replace meanwhile.
    Object.defineProperty(window, "__triggerwidgetBoot", { value: boot, configurable: true });
    // For `make bench` and debugging: the size of the runtime's linear memory.
    var stats = function () { return instance ? { memory: instance.exports.mem.buffer.byteLength, wasm: wasmURL } : null; };
    Object.defineProperty(api, "__stats", { configurable: true, value: stats });
    // go.run returns when the program first hands the thread back: in its
    // initialisation (wasm/inityield), once package syscall has read the
    // shims it needs.
    running = withShims(function () { return go.run(instance); });
  } catch (e) {
    report("runtime", "the widget runtime stopped: " + (e && e.message ? e.message : e));
    halt();
    return;
  }
  // Once the Go program has exited (shutdown), a wake-up it had already
  // scheduled must not reach it: wasm_exec.js would throw "Go program has
  // already exited" from a timer, uncaught, in the host page. Nothing of
  // the program is kept: its memory goes with the last reference to it.
  var quiesce = function () {
    try {
      if (go._scheduledTimeouts) {
        go._scheduledTimeouts.forEach(function (id) { clearTimeout(id); });
        go._scheduledTimeouts.clear();
      }
      go._resume = function () {};
      go.mem = null;
      instance = null;
      if (api.__stats === stats) delete api.__stats;
      if (window.__triggerwidgetBoot === boot) delete window.__triggerwidgetBoot;
    } catch (e) { /* nothing left to stop */ }
  };
  if (running && running.then) {
    running.then(function () { quiesce(); halt(); }, function (e) { quiesce(); report("runtime", "the widget runtime stopped: " + e); halt(); });
  }
}
