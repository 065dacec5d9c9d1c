// consent.js: the consent buttons without a page reload.
//
// Progressive enhancement only: every consent form is a plain POST that
// works without this file. With it, a click on "accept" or "reject" posts
// the same fields with fetch (asking for JSON), then hides the banner,
// updates the "current choice" on the cookie policy page and announces the
// result in a status region. Analytics, after an accept, loads from the
// next page on (this page's Content-Security-Policy does not allow it).
// If anything fails, the form is submitted the ordinary way.
// Loaded with <script src defer>; the CSP forbids inline script.
(function () {
  'use strict';

  function fallback(form, choice) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'choice';
    input.value = choice;
    form.appendChild(input);
    form.submit();
  }

  function done(choice) {
    var banner = document.getElementById('consent-banner');
    if (banner) banner.hidden = true;
    var current = document.getElementById('consent-current');
    if (current && current.dataset[choice]) current.textContent = current.dataset[choice];
    var status = document.getElementById('consent-status');
    if (status) status.textContent = status.dataset.saved || '';
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('consent-form')) return;
    var button = event.submitter;
    if (!button || button.name !== 'choice') return;
    if (!window.fetch || !window.URLSearchParams) return;
    event.preventDefault();
    var choice = button.value;
    var body = new URLSearchParams();
    form.querySelectorAll('input[type=hidden]').forEach(function (input) {
      body.append(input.name, input.value);
    });
    body.append('choice', choice);
    fetch(form.action, {
      method: 'POST',
      body: body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    }).then(function (response) {
      if (!response.ok) throw new Error('status ' + response.status);
      done(choice);
    }).catch(function () {
      fallback(form, choice);
    });
  }

  document.addEventListener('submit', onSubmit);
}());
