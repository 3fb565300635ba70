/* global document, window, fetch, URLSearchParams, setTimeout, clearTimeout */
// certbill client area, order form: live price, CSR preview, the CA's approver addresses.
// The form works without this file (the confirmation step shows the same price split).
(function () {
  'use strict';
  var form = document.getElementById('order-form');
  if (!form) return;
  var $ = function (id) {
    return document.getElementById(id);
  };
  var tariff = $('tariffId');
  var years = $('years');
  var cn = $('cn');
  var sans = $('sans');
  var status = $('price-status');
  var approver = $('approverEmail');
  var approverStatus = $('approver-status');
  var quoteTimer = null;
  var approverTimer = null;
  var quoteSeq = 0;
  var approverSeq = 0;

  function selectedTariff() {
    return tariff.options[tariff.selectedIndex];
  }

  function validation() {
    var o = selectedTariff();
    return o ? o.getAttribute('data-validation') : 'DV';
  }

  function setText(el, text) {
    if (el) el.textContent = text;
  }

  function showSections() {
    var v = validation();
    $('dcv-fields').hidden = v !== 'DV';
    $('org-fields').hidden = v === 'DV';
    $('ev-fields').hidden = v !== 'EV';
  }

  function fillYears() {
    var o = selectedTariff();
    if (!o) return;
    var offered = (o.getAttribute('data-years') || '').split(',').filter(Boolean);
    var current = years.value;
    while (years.options.length) years.remove(0);
    offered.forEach(function (y) {
      var opt = document.createElement('option');
      opt.value = y;
      opt.textContent = y + (y === '1' ? ' year' : ' years');
      if (y === current) opt.selected = true;
      years.appendChild(opt);
    });
  }

  function params() {
    return new URLSearchParams({
      tariffId: tariff.value,
      years: years.value,
      cn: cn.value,
      sans: sans.value,
    });
  }

  function showQuote(q) {
    q.rows.forEach(function (r) {
      var row = document.querySelector('#price-split tr[data-kind="' + r.kind + '"]');
      if (!row) return;
      setText(row.querySelector('.price-label'), r.label);
      setText(row.querySelector('.price-count'), String(r.count));
      setText(row.querySelector('.price-charged'), String(r.charged));
      setText(row.querySelector('.price-unit'), r.unit);
      setText(row.querySelector('.price-amount'), r.amount);
    });
    setText($('price-total'), q.total);
    setText(status, 'Price for ' + q.commonName + '.');
    status.classList.remove('field-error');
  }

  function quote() {
    if (cn.value.trim() === '') {
      setText(status, 'Enter the domain to see the price.');
      return;
    }
    var seq = ++quoteSeq;
    setText(status, 'Working out the price…');
    fetch(form.getAttribute('data-quote-url') + '?' + params().toString(), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        if (seq !== quoteSeq) return;
        if (body.error) {
          setText(status, body.error.message);
          status.classList.add('field-error');
          setText($('price-total'), '—');
        } else showQuote(body);
      })
      .catch(function () {
        if (seq === quoteSeq) setText(status, 'The price cannot be shown now; the next step shows it.');
      });
  }

  function approvers() {
    if (validation() !== 'DV' || cn.value.trim() === '') return;
    var seq = ++approverSeq;
    setText(approverStatus, 'Asking the CA for the approver addresses…');
    fetch(form.getAttribute('data-approvers-url') + '?' + params().toString(), {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        if (seq !== approverSeq) return;
        if (body.error) {
          setText(approverStatus, body.error.message);
          return;
        }
        var chosen = approver.value;
        while (approver.options.length) approver.remove(0);
        body.approvers.forEach(function (a, i) {
          var opt = document.createElement('option');
          opt.value = a.email;
          opt.textContent = a.email;
          if (a.email === chosen || (chosen === '' && i === 0)) opt.selected = true;
          approver.appendChild(opt);
        });
        setText(approverStatus, 'Addresses the CA offers for ' + body.commonName + '.');
      })
      .catch(function () {
        if (seq === approverSeq)
          setText(approverStatus, 'The CA cannot be asked now; the next step offers the list.');
      });
  }

  function later() {
    clearTimeout(quoteTimer);
    quoteTimer = setTimeout(quote, 250);
    clearTimeout(approverTimer);
    approverTimer = setTimeout(approvers, 800);
  }

  function decodeCsr() {
    var preview = $('csr-preview');
    preview.textContent = 'Decoding…';
    preview.className = 'csr-preview';
    fetch(form.getAttribute('data-csr-url'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': window.certbillCsrf() },
      credentials: 'same-origin',
      body: JSON.stringify({ csr: $('csr').value, cn: cn.value }),
    })
      .then(function (res) {
        return res.json();
      })
      .then(function (body) {
        preview.textContent = '';
        if (body.error) {
          preview.className = 'csr-preview field-error';
          preview.textContent = body.error.message;
          return;
        }
        var dl = document.createElement('dl');
        dl.className = 'facts';
        [
          ['CN', body.commonName],
          ['SANs', body.names.length ? body.names.join(', ') : 'none'],
          ['Key', body.key],
        ].forEach(function (pair) {
          var dt = document.createElement('dt');
          dt.textContent = pair[0];
          var dd = document.createElement('dd');
          dd.textContent = pair[1];
          dl.appendChild(dt);
          dl.appendChild(dd);
        });
        preview.appendChild(dl);
        if (!body.cnTyped && cn.value.trim() === '') {
          cn.value = body.commonName;
          later();
        }
      })
      .catch(function () {
        preview.textContent = 'The CSR cannot be decoded now; the next step checks it.';
      });
  }

  tariff.addEventListener('change', function () {
    fillYears();
    showSections();
    later();
  });
  [years, cn, sans].forEach(function (el) {
    el.addEventListener('input', later);
    el.addEventListener('change', later);
  });
  $('key-existing').addEventListener('change', function () {
    $('csr').focus();
  });
  var decode = $('csr-decode');
  decode.hidden = false;
  decode.addEventListener('click', decodeCsr);
  fillYears();
  showSections();
  if (cn.value.trim() !== '') later();
})();
