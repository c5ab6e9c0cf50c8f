/* Agent console (demo only).
 * Lets a person play the agent's side of the chat through the widget's public
 * JavaScript API (window.TriggerWidget) and shows a live log of widget events.
 * It is a host-page script: it must never throw into the page. */
(function () {
  'use strict';

  var EVENTS = ['load', 'triggerFired', 'messageShown', 'suggestionClicked', 'visitorMessage',
    'formSubmitted', 'maximized', 'minimized', 'statusChange', 'emit', 'error'];
  var LOG_KEY = 'acme-demo:console-log';
  var OPEN_KEY = 'acme-demo:console-open';
  var NAME_KEY = 'acme-demo:agent-name';
  var RESET_KEY = 'acme-demo:reset';
  var MAX_LOG = 80;

  var ui = {};
  var entries = [];
  var subscribed = false;
  var ready = false;
  var pending = [];
  var lastLoadAt = 0;

  function api() { return window.TriggerWidget || {}; }

  function ss(op, key, value) {
    try {
      if (op === 'get') return window.sessionStorage.getItem(key);
      if (op === 'set') window.sessionStorage.setItem(key, value);
      if (op === 'del') window.sessionStorage.removeItem(key);
    } catch (e) { /* storage blocked: the console still works */ }
    return null;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  function clock(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function summarize(data) {
    if (data === undefined || data === null) return '';
    var s;
    try { s = typeof data === 'string' ? data : JSON.stringify(data); } catch (e) { s = String(data); }
    if (s === '{}') return '';
    return s.length > 220 ? s.slice(0, 219) + '…' : s;
  }

  // ---- log -------------------------------------------------------------
  function renderEntry(en) {
    var li = document.createElement('li');
    var t = document.createElement('time');
    t.textContent = clock(en.t);
    var ev = document.createElement('span');
    ev.className = 'ev' + (en.kind ? ' ev-' + en.kind : '');
    ev.textContent = en.ev;
    li.appendChild(t);
    li.appendChild(ev);
    li.appendChild(document.createTextNode(en.text));
    return li;
  }

  function addEntry(ev, text, kind) {
    var en = { t: Date.now(), ev: ev, text: text || '', kind: kind || '' };
    entries.push(en);
    if (entries.length > MAX_LOG) entries.splice(0, entries.length - MAX_LOG);
    ss('set', LOG_KEY, JSON.stringify(entries));
    if (!ui.log) return;
    ui.log.appendChild(renderEntry(en));
    while (ui.log.children.length > MAX_LOG) ui.log.removeChild(ui.log.firstChild);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function note(text, kind) { addEntry('•', text, kind || 'note'); }

  // ---- status ----------------------------------------------------------
  function showStatus(s) {
    if (s !== 'online' && s !== 'away' && s !== 'offline') return;
    if (ui.status) ui.status.value = s;
    if (ui.dot) ui.dot.setAttribute('data-status', s);
  }

  function syncFromState() {
    var st = null;
    var T = api();
    if (typeof T.getState !== 'function') return false;
    try { st = T.getState(); } catch (e) { return false; }
    if (typeof st === 'string') { try { st = JSON.parse(st); } catch (e) { st = null; } }
    if (!st || typeof st !== 'object' || typeof st.then === 'function') return false;
    var s = st.status || (st.widget && st.widget.status);
    if (typeof s === 'string') showStatus(s);
    return true;
  }

  function setState(text) { if (ui.state) ui.state.textContent = text; }

  function onReady() {
    ready = true;
    setState('Widget: ready');
    syncFromState();
    var q = pending;
    pending = [];
    for (var i = 0; i < q.length; i++) call(q[i][0], q[i][1], q[i][2]);
  }

  // ---- events from the widget ------------------------------------------
  function handle(name, data) {
    try {
      if (name === 'load') {
        var now = Date.now();
        if (now - lastLoadAt < 300) return; // same load seen through onLoad and on('load')
        lastLoadAt = now;
        addEntry(name, summarize(data));
        onReady();
        return;
      }
      if (name === 'statusChange' && data && data.status) showStatus(data.status);
      addEntry(name, summarize(data), name === 'error' ? 'error' : '');
    } catch (e) { /* never throw into the widget's dispatch */ }
  }

  function subscribe() {
    var T = api();
    if (subscribed || typeof T.on !== 'function') return false;
    subscribed = true;
    EVENTS.forEach(function (name) {
      try { T.on(name, function (data) { handle(name, data); }); } catch (e) { /* ignore */ }
    });
    return true;
  }

  function connect() {
    var T = window.TriggerWidget = window.TriggerWidget || {};
    if (typeof T.on === 'function') {
      subscribe();
      // The runtime may have finished loading before this script ran.
      if (syncFromState()) { note('widget was already loaded'); onReady(); }
    } else {
      // Properties named on+Event set before load are honoured by the runtime.
      var prev = T.onLoad;
      T.onLoad = function (data) {
        try { if (typeof prev === 'function') prev.call(this, data); } catch (e) { /* host's own */ }
        try { if (subscribe()) handle('load', data); } catch (e) { /* ignore */ }
      };
    }
    setTimeout(function () {
      if (!ready) setState('Widget: not loaded yet (is widgetd serving /widget/widget.js?)');
    }, 15000);
  }

  // ---- actions ---------------------------------------------------------
  function call(method, args, label) {
    var T = api();
    if (typeof T[method] !== 'function') {
      pending.push([method, args, label]);
      note(label + ' — queued until the widget loads');
      return;
    }
    try {
      T[method].apply(T, args);
      note(label);
    } catch (e) {
      note(label + ' failed: ' + (e && e.message ? e.message : e), 'error');
    }
  }

  function agentName() {
    var n = ui.name && ui.name.value.trim();
    return n || 'Agent';
  }

  function resetVisit() {
    try { if (typeof api().shutdown === 'function') api().shutdown(); } catch (e) { /* ignore */ }
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        var doomed = [];
        for (var i = 0; i < store.length; i++) {
          var k = store.key(i);
          if (k && k.indexOf('triggerwidget:') === 0) doomed.push(k);
        }
        doomed.forEach(function (k) { store.removeItem(k); });
      } catch (e) { /* storage blocked */ }
    });
    try {
      var host = location.hostname;
      document.cookie.split(';').forEach(function (c) {
        var name = c.split('=')[0].trim();
        if (name.indexOf('tw_') !== 0) return;
        var gone = name + '=; Max-Age=0; expires=Thu, 01 Jan 1970 00:00:00 GMT';
        document.cookie = gone + '; path=/';
        document.cookie = gone;
        if (host.indexOf('.') > 0) document.cookie = gone + '; path=/; domain=' + host;
      });
    } catch (e) { /* cookies blocked */ }
    ss('del', LOG_KEY);
    ss('set', RESET_KEY, '1');
    location.reload();
  }

  // ---- UI --------------------------------------------------------------
  var TEMPLATE =
    '<button type="button" class="ac-toggle" id="ac-toggle" aria-expanded="true" aria-controls="ac-body">' +
      '<span class="ac-dot" id="ac-dot" aria-hidden="true"></span>' +
      '<span class="ac-title">Agent console (demo only)</span>' +
      '<span class="ac-chevron" aria-hidden="true">▾</span>' +
    '</button>' +
    '<div class="ac-body" id="ac-body">' +
      '<p class="ac-note">Plays the agent via <code>TriggerWidget</code>. ' +
        '<span class="ac-state" id="ac-state" role="status">Widget: loading…</span></p>' +
      '<div class="ac-row">' +
        '<div class="ac-field"><label for="ac-status">Agent status</label>' +
          '<select id="ac-status"><option value="online">Online</option><option value="away">Away</option>' +
          '<option value="offline">Offline</option></select></div>' +
        '<div class="ac-field"><label for="ac-name">Agent name</label>' +
          '<input id="ac-name" autocomplete="off" maxlength="50" value="Alex"></div>' +
      '</div>' +
      '<form class="ac-row" id="ac-form">' +
        '<div class="ac-field ac-grow"><label for="ac-text">Agent message</label>' +
          '<input id="ac-text" autocomplete="off" maxlength="1000" placeholder="Type a reply…"></div>' +
        '<button type="submit" class="ac-btn ac-primary" id="ac-send">Send</button>' +
      '</form>' +
      '<div class="ac-row ac-actions">' +
        '<button type="button" class="ac-btn" id="ac-visitor" title="Send the message field as if the visitor typed it">Send as visitor</button>' +
        '<button type="button" class="ac-btn" id="ac-join">Agent joins</button>' +
        '<button type="button" class="ac-btn" id="ac-end">End chat</button>' +
        '<button type="button" class="ac-btn" id="ac-open">Open widget</button>' +
        '<button type="button" class="ac-btn ac-danger" id="ac-reset">Reset visit</button>' +
      '</div>' +
      '<div class="ac-log-head"><h3 id="ac-log-title">Widget events</h3>' +
        '<button type="button" id="ac-clear">Clear log</button></div>' +
      '<ol class="ac-log" id="ac-log" role="log" aria-labelledby="ac-log-title"></ol>' +
    '</div>';

  function setOpen(open) {
    ui.root.setAttribute('data-open', open ? 'true' : 'false');
    ui.toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    ss('set', OPEN_KEY, open ? '1' : '0');
  }

  function build() {
    var root = document.createElement('section');
    root.id = 'agent-console';
    root.className = 'agent-console';
    root.setAttribute('aria-label', 'Agent console (demo only)');
    root.innerHTML = TEMPLATE;
    document.body.appendChild(root);

    ui.root = root;
    ['toggle', 'dot', 'state', 'status', 'name', 'form', 'text', 'visitor', 'join', 'end', 'open', 'reset', 'clear', 'log']
      .forEach(function (k) { ui[k] = document.getElementById('ac-' + k); });

    var saved = ss('get', OPEN_KEY);
    var wide = (window.innerWidth || 0) >= 1024;
    setOpen(saved === null ? wide : saved === '1');

    var savedName = ss('get', NAME_KEY);
    if (savedName) ui.name.value = savedName;

    ui.toggle.addEventListener('click', function () {
      setOpen(ui.root.getAttribute('data-open') !== 'true');
    });
    ui.status.addEventListener('change', function () {
      var s = ui.status.value;
      if (ui.dot) ui.dot.setAttribute('data-status', s);
      call('setStatus', [s], 'setStatus("' + s + '")');
    });
    ui.name.addEventListener('change', function () { ss('set', NAME_KEY, ui.name.value.trim()); });
    ui.form.addEventListener('submit', function (e) {
      e.preventDefault();
      var text = ui.text.value.trim();
      if (!text) { ui.text.focus(); return; }
      var name = agentName();
      call('agentMessage', [{ name: name, text: text }], 'agentMessage from ' + name);
      ui.text.value = '';
    });
    ui.visitor.addEventListener('click', function () {
      var text = ui.text.value.trim();
      if (!text) { ui.text.focus(); return; }
      call('visitorMessage', [text], 'visitorMessage sent');
      ui.text.value = '';
    });
    ui.join.addEventListener('click', function () {
      var name = agentName();
      call('agentJoined', [name], 'agentJoined("' + name + '")');
    });
    ui.end.addEventListener('click', function () { call('chatEnded', [], 'chatEnded()'); });
    ui.open.addEventListener('click', function () { call('maximize', [], 'maximize()'); });
    ui.reset.addEventListener('click', resetVisit);
    ui.clear.addEventListener('click', function () {
      entries = [];
      ss('del', LOG_KEY);
      while (ui.log.firstChild) ui.log.removeChild(ui.log.firstChild);
    });

    // Restore this tab's log so events stay visible across page loads.
    var old = null;
    try { old = JSON.parse(ss('get', LOG_KEY) || 'null'); } catch (e) { old = null; }
    if (old && old.length) {
      entries = old.slice(-MAX_LOG);
      entries.forEach(function (en) { ui.log.appendChild(renderEntry(en)); });
    }
    if (ss('get', RESET_KEY)) {
      ss('del', RESET_KEY);
      note('visit reset: widget storage and tw_ cookies cleared');
    }
    note('page ' + location.pathname + location.search + location.hash);
  }

  function start() {
    try {
      build();
    } catch (e) {
      if (window.console) console.warn('Agent console:', e);
    }
    try {
      connect();
    } catch (e) {
      if (window.console) console.warn('Agent console:', e);
    }
  }

  try {
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start);
  } catch (e) { /* never throw into the host page */ }
})();
