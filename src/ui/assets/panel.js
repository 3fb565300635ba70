/* global document, window, HTMLFormElement */
// certbill panel: small enhancements only; every form works without this file.
(function () {
  'use strict';
  // A submitted form's button is disabled so a double click does not send it twice.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.submitted === '1') {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = '1';
    var buttons = form.querySelectorAll('button[type="submit"], button:not([type])');
    for (var i = 0; i < buttons.length; i++) buttons[i].classList.add('busy');
  });
  // Pages call fetch with this header on non-GET requests: the token is the form's _csrf field.
  window.certbillCsrf = function () {
    var field = document.querySelector('input[name="_csrf"]');
    return field ? field.value : '';
  };
})();
