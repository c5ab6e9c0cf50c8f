/* Acme Outdoor site behaviour: "talk to an expert" opens the chat widget,
 * and the contact form is a demo (nothing is sent). Never throws. */
(function () {
  'use strict';
  function tw() { return window.TriggerWidget || {}; }

  // Links marked data-open-chat open the widget when it is available and
  // otherwise keep working as ordinary links.
  document.addEventListener('click', function (e) {
    try {
      var a = e.target && e.target.closest ? e.target.closest('[data-open-chat]') : null;
      if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      if (typeof tw().maximize === 'function') {
        e.preventDefault();
        tw().maximize();
      }
    } catch (err) { /* fall back to the link */ }
  });

  try {
    var form = document.getElementById('contact-form');
    if (!form) return;
    var kit = /[?&]kit=(trail|summit|expedition)\b/.exec(location.search);
    if (kit) {
      var name = kit[1].charAt(0).toUpperCase() + kit[1].slice(1);
      form.elements.topic.value = 'advice';
      form.elements.message.value = 'Hello, I am interested in the ' + name + ' kit. ';
    }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var status = document.getElementById('cf-status');
      var missing = [];
      ['name', 'email', 'message'].forEach(function (n) {
        var el = form.elements[n];
        var bad = !el.value.trim() || (n === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(el.value.trim()));
        el.setAttribute('aria-invalid', bad ? 'true' : 'false');
        if (bad) missing.push(form.querySelector('label[for="' + el.id + '"]').textContent.toLowerCase());
      });
      if (missing.length) {
        status.textContent = 'Please check: ' + missing.join(', ') + '.';
        form.elements[['name', 'email', 'message'].filter(function (n) {
          return form.elements[n].getAttribute('aria-invalid') === 'true';
        })[0]].focus();
        return;
      }
      status.textContent = 'Thanks, ' + form.elements.name.value.trim() + '! We will reply within one working day. (Demo only: nothing was sent.)';
      try {
        if (typeof tw().addEvent === 'function') tw().addEvent('contact_form_sent', { topic: form.elements.topic.value });
      } catch (err) { /* optional */ }
      form.reset();
    });
  } catch (err) {
    if (window.console) console.warn('Acme site:', err);
  }
})();
