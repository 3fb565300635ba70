/* global document, window, fetch, setTimeout */
// certbill client area, service page: while the certificate is on its way, asks for the service's
// state every few seconds, shows it in the status line and reloads the page when it changes; fills
// the approver addresses of "Change validation method"; a typed CSR chooses "Use a new CSR".
(function () {
  'use strict';
  // "Change validation method": the Approver address select gets the CA's list for the domain.
  var switchForm = document.getElementById('switch-validation');
  if (switchForm) {
    var select = document.getElementById('switch-approver');
    var note = document.getElementById('switch-approver-status');
    fetch(switchForm.getAttribute('data-approvers-url'), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        if (!body.approvers) {
          if (note && body.error) note.textContent = body.error.message;
          return;
        }
        var chosen = select.value;
        body.approvers.forEach(function (email) {
          if (email === chosen) return;
          var option = document.createElement('option');
          option.value = email;
          option.textContent = email;
          select.appendChild(option);
        });
        if (note)
          note.textContent =
            'For e-mail validation: ' + body.approvers.length + " addresses from the CA's list.";
      })
      .catch(function () {
        if (note) note.textContent = "The CA's list could not be read now; the CA's first address is used.";
      });
  }
  // Reissue: typing a CSR chooses "Use a new CSR".
  var csr = document.getElementById('reissue-csr');
  var csrMode = document.getElementById('reissue-csr-mode');
  if (csr && csrMode) {
    csr.addEventListener('input', function () {
      if (csr.value.trim() !== '') csrMode.checked = true;
    });
  }

  var line = document.getElementById('service-status');
  if (!line || line.getAttribute('data-pending') !== '1') return;
  var url = line.getAttribute('data-status-url');
  var fingerprint = line.getAttribute('data-fingerprint');
  var delay = 4000;
  var polls = 0;

  function poll() {
    polls += 1;
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.json();
      })
      .then(function (s) {
        if (s.fingerprint !== fingerprint) {
          window.location.reload();
          return;
        }
        line.textContent = s.line + ' (checked ' + polls + ' time' + (polls === 1 ? '' : 's') + ')';
        if (s.pending) setTimeout(poll, Math.min(delay * Math.ceil(polls / 10), 30000));
      })
      .catch(function () {
        setTimeout(poll, 30000);
      });
  }
  line.classList.add('polling');
  setTimeout(poll, delay);
})();
