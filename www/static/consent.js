// consent.js: the consent buttons without a page reload.
//
// Progressive enhancement only: every consent form is a plain POST that
// works without this file. With it, a click on "accept" or "reject" posts
// the consent form's own fields with fetch (asking for JSON), then hides the banner,
// updates the "current choice" on the cookie policy page and announces the
// result in a status region. Analytics, after an accept, loads from the
// next page on (this page's Content-Security-Policy does not allow it).
// If anything fails, the form is submitted the ordinary way.
// Loaded with <script src defer>; the CSP forbids inline script.
(function () {
  'use strict';

  // The ordinary submission, as without this file: a click on the same
  // button, passed over by onSubmit. It posts what the button's own form
  // sends, to its formaction (on a re-shown enquiry form the banner's
  // buttons belong to the enquiry form and post the typed text along, see
  // form_view.h). The submit event is dispatched during click(), so the
  // mark is gone again before anything else can see it.
  function fallback(button) {
    button.dataset.plain = 'yes';
    try {
      button.click();
    } finally {
      delete button.dataset.plain;
    }
  }

  function done(choice) {
    var banner = document.getElementById('consent-banner');
    // The button clicked goes away with the banner: keep the keyboard
    // focus on the page (at its main content) rather than lose it.
    var hadFocus = banner && banner.contains(document.activeElement);
    if (banner) banner.hidden = true;
    var main = document.getElementById('main');
    if (hadFocus && main) {
      main.setAttribute('tabindex', '-1');
      main.focus({ preventScroll: true });
    }
    var current = document.getElementById('consent-current');
    if (current && current.dataset[choice]) current.textContent = current.dataset[choice];
    var status = document.getElementById('consent-status');
    if (status) status.textContent = status.dataset.saved || '';
  }

  function onSubmit(event) {
    var button = event.submitter;
    if (!button || button.name !== 'choice' || !button.classList.contains('consent-choice')) return;
    if (button.dataset.plain) return;
    // The consent form around the button: its hidden fields are the choice's
    // only companions (never the enquiry's fields, whatever form the button
    // belongs to).
    var group = button.closest('form.consent-form');
    if (!group || !window.fetch || !window.URLSearchParams) return;
    event.preventDefault();
    var choice = button.value;
    var body = new URLSearchParams();
    group.querySelectorAll('input[type=hidden]').forEach(function (input) {
      body.append(input.name, input.value);
    });
    body.append('choice', choice);
    // formAction without the attribute is the page's own URL, not the form's action.
    fetch(button.hasAttribute('formaction') ? button.formAction : group.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    }).then(function (response) {
      if (!response.ok) throw new Error('status ' + response.status);
      done(choice);
    }).catch(function () {
      fallback(button);
    });
  }

  document.addEventListener('submit', onSubmit);
}());
