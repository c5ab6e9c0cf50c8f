/* Acme Outdoor "My account" mini single-page app.
 * Path routes (/app/orders …) navigate with history.pushState; help routes
 * (#/help, #/returns) are hash routes. Both re-render on popstate/hashchange.
 * The chat widget sees each of these as a page view. */
(function () {
  'use strict';
  try {
    var view = document.getElementById('app-view');
    if (!view) return;

    var ORDERS = [
      { id: 'AC-20417', date: '3 May 2025', items: 'Summit kit', total: '€349.00', status: 'In transit' },
      { id: 'AC-19822', date: '12 Apr 2025', items: 'Ember micro stove, gas 230 g ×2', total: '€71.80', status: 'Delivered' },
      { id: 'AC-18390', date: '28 Feb 2025', items: 'Ridgeline 2 tent footprint', total: '€39.00', status: 'Delivered' }
    ];

    function orderRows() {
      return ORDERS.map(function (o) {
        var cls = o.status === 'In transit' ? 'status-pill transit' : 'status-pill';
        return '<tr><th scope="row">' + o.id + '</th><td>' + o.date + '</td><td>' + o.items +
          '</td><td>' + o.total + '</td><td><span class="' + cls + '">' + o.status + '</span></td></tr>';
      }).join('');
    }

    var PATH_VIEWS = {
      '/app': {
        title: 'Overview',
        html: function () {
          return '<p>Good to see you again. Here is what is happening with your gear.</p>' +
            '<div class="stats">' +
            '<div class="stat"><b>1</b>order on its way</div>' +
            '<div class="stat"><b>4</b>items in your wishlist</div>' +
            '<div class="stat"><b>320</b>trail points</div>' +
            '</div>' +
            '<p>Your Summit kit (order AC-20417) is expected on <strong>Thursday</strong>. ' +
            '<a href="/app/orders" data-route="/app/orders">See all orders</a>.</p>' +
            '<p>Something not right? <a href="#/returns" data-hash-route="/returns">Start a return</a> — it is free for 60 days.</p>';
        }
      },
      '/app/orders': {
        title: 'Orders',
        html: function () {
          return '<div class="table-wrap"><table><caption>Your recent orders</caption>' +
            '<thead><tr><th scope="col">Order</th><th scope="col">Date</th><th scope="col">Items</th>' +
            '<th scope="col">Total</th><th scope="col">Status</th></tr></thead><tbody>' + orderRows() +
            '</tbody></table></div>' +
            '<p class="hint">Need to send something back? Open <a href="#/returns" data-hash-route="/returns">Returns</a>.</p>';
        }
      },
      '/app/wishlist': {
        title: 'Wishlist',
        html: function () {
          return '<ul class="info-list">' +
            '<li><strong>Basecamp 3 four-season tent</strong>€489 · in stock</li>' +
            '<li><strong>Summit 55 L pack</strong>€189 · back in stock on 20 May</li>' +
            '<li><strong>Merino base layer, women’s M</strong>€79 · in stock</li>' +
            '<li><strong>Titanium spork</strong>€12 · in stock</li>' +
            '</ul>';
        }
      },
      '/app/settings': {
        title: 'Settings',
        html: function () {
          return '<form id="settings-form" class="form-grid">' +
            '<div><label for="st-name">Full name</label><input id="st-name" name="name" autocomplete="name" value="Camille Roux"></div>' +
            '<div><label for="st-email">Email</label><input id="st-email" name="email" type="email" autocomplete="email" value="camille@example.com"></div>' +
            '<div class="full"><label for="st-lang">Language</label><select id="st-lang" name="lang">' +
            '<option value="en">English</option><option value="fr">Français</option><option value="de">Deutsch</option></select></div>' +
            '<div class="full"><label class="check"><input type="checkbox" name="news" checked> Send me trip ideas and new-gear news</label></div>' +
            '<div class="full"><button class="btn btn-primary" type="submit">Save changes</button></div>' +
            '<p class="full notice" role="status" id="st-status"></p>' +
            '</form>';
        }
      }
    };

    var HASH_VIEWS = {
      '/help': {
        title: 'Help centre',
        html: function () {
          return '<div class="faq">' +
            '<details><summary>Where is my order?</summary><p>Open <a href="/app/orders" data-route="/app/orders">Orders</a> for live tracking. Most EU deliveries take 1–3 working days.</p></details>' +
            '<details><summary>How do I care for a down sleeping bag?</summary><p>Air it after each trip, store it loose, and wash it twice a year with a down-specific soap.</p></details>' +
            '<details><summary>Can you repair gear from other brands?</summary><p>Yes, for a flat €25 inspection fee. Acme products are repaired for free.</p></details>' +
            '</div>';
        }
      },
      '/returns': {
        title: 'Returns',
        html: function () {
          return '<p>Returns are free for 60 days after delivery. Choose an order and tell us why; we will email a prepaid label.</p>' +
            '<form id="returns-form" class="form-grid">' +
            '<div><label for="rt-order">Order</label><select id="rt-order" name="order">' +
            ORDERS.map(function (o) { return '<option value="' + o.id + '">' + o.id + ' — ' + o.items + '</option>'; }).join('') +
            '</select></div>' +
            '<div><label for="rt-reason">Reason</label><select id="rt-reason" name="reason">' +
            '<option>Wrong size</option><option>Not what I expected</option><option>Damaged or faulty</option><option>Other</option></select></div>' +
            '<div class="full"><label for="rt-notes">Notes (optional)</label><textarea id="rt-notes" name="notes"></textarea></div>' +
            '<div class="full"><button class="btn btn-primary" type="submit">Request a return label</button></div>' +
            '<p class="full notice" role="status" id="rt-status"></p>' +
            '</form>';
        }
      }
    };

    function normPath(p) {
      p = (p || '/').replace(/\/+$/, '') || '/';
      if (p === '/app.html' || p === '/app/index.html') return '/app';
      return p;
    }
    function hashRoute() {
      var h = location.hash || '';
      return h.indexOf('#/') === 0 ? h.slice(1).replace(/\/+$/, '') || '/' : '';
    }

    function setCurrent(path, hash) {
      var links = document.querySelectorAll('.app-nav a');
      for (var i = 0; i < links.length; i++) {
        var a = links[i];
        var on = hash ? a.getAttribute('data-hash-route') === hash
                      : normPath(a.getAttribute('data-route')) === path;
        if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
      }
    }

    function render(moveFocus) {
      var path = normPath(location.pathname);
      var hash = hashRoute();
      var v = (hash && HASH_VIEWS[hash]) || PATH_VIEWS[path];
      var route = hash && HASH_VIEWS[hash] ? '#' + hash : path;
      if (!v) {
        v = { title: 'Page not found', html: function () {
          return '<p>We could not find that page in your account.</p><p><a href="/app.html" data-route="/app.html">Back to the overview</a></p>';
        } };
      }
      view.innerHTML = '<h2 tabindex="-1">' + v.title + ' <span class="route-tag">' + route.replace(/</g, '&lt;') + '</span></h2>' + v.html();
      document.title = v.title + ' — My account — Acme Outdoor';
      setCurrent(path, hash && HASH_VIEWS[hash] ? hash : '');
      if (moveFocus) {
        var h = view.querySelector('h2');
        if (h) h.focus();
      }
    }

    // Path links: pushState. Hash links: let the browser change the hash.
    document.addEventListener('click', function (e) {
      try {
        var a = e.target && e.target.closest ? e.target.closest('a[data-route]') : null;
        if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        var to = a.getAttribute('href');
        if (to !== location.pathname || location.hash) history.pushState({ route: to }, '', to);
        render(true);
      } catch (err) { /* navigation falls back to a normal page load */ }
    });

    document.addEventListener('submit', function (e) {
      var f = e.target;
      if (!f || (f.id !== 'settings-form' && f.id !== 'returns-form')) return;
      e.preventDefault();
      var status = f.querySelector('[role=status]');
      if (!status) return;
      status.textContent = f.id === 'settings-form'
        ? 'Saved. (Demo only: nothing was sent.)'
        : 'Return requested for ' + f.order.value + '. A prepaid label is on its way to your inbox. (Demo only.)';
    });

    window.addEventListener('popstate', function () { render(true); });
    window.addEventListener('hashchange', function () { render(true); });
    render(false);
  } catch (err) {
    if (window.console) console.warn('Acme account app:', err);
  }
})();
