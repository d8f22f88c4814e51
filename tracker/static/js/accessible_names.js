// Names for the controls that Flask-Admin's scripts draw as bare icons, and fields tied to
// their error messages: screen readers then say what each one is. Runs on every page of the
// app, again whenever those scripts redraw (select2 choices, x-editable ticks).
(function () {
  'use strict';

  // The heading of the table column a cell sits in ("Active"), or "".
  function columnHeading(cell) {
    var table = cell && cell.closest('table');
    if (!table) {
      return '';
    }
    var heading = table.querySelectorAll('thead th')[cell.cellIndex];
    return heading ? heading.textContent.trim() : '';
  }

  // A yes/no cell that x-editable shows as a tick or a dash: "Active: yes, change".
  function nameTicks(root) {
    root.querySelectorAll('[data-role="x-editable-boolean"]').forEach(function (link) {
      var on = link.querySelector('.fa-check') !== null;
      var heading = columnHeading(link.closest('td')) || 'Yes or no';
      var label = heading + ': ' + (on ? 'yes' : 'no') + ', change';
      if (link.getAttribute('aria-label') !== label) {
        link.setAttribute('aria-label', label);
      }
    });
  }

  // The "×" that removes one choice from a select2 box: "Remove Scales".
  function nameRemoveButtons(root) {
    root.querySelectorAll('.select2-search-choice-close:not([aria-label])').forEach(function (link) {
      var choice = link.parentElement ? link.parentElement.textContent.trim() : '';
      link.setAttribute('aria-label', choice ? 'Remove ' + choice : 'Remove');
    });
  }

  // A field marked invalid is described by the message beside it (both inputs of an
  // hours-and-minutes pair, say).
  function tieErrors(root) {
    root.querySelectorAll('.invalid-feedback').forEach(function (message, index) {
      var group = message.closest('.form-group') || message.parentElement;
      if (!group || !message.textContent.trim()) {
        return;
      }
      var fields = group.querySelectorAll('.is-invalid');
      if (!fields.length) {
        fields = group.querySelectorAll('input:not([type=hidden]), select, textarea');
      }
      if (!message.id) {
        message.id = (fields.length && fields[0].id ? fields[0].id : 'field-' + index) + '-error';
      }
      fields.forEach(function (field) {
        var described = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
        if (described.indexOf(message.id) === -1) {
          described.push(message.id);
          field.setAttribute('aria-describedby', described.join(' '));
        }
        field.setAttribute('aria-invalid', 'true');
      });
    });
  }

  function nameAll() {
    nameTicks(document);
    nameRemoveButtons(document);
    tieErrors(document);
  }

  function start() {
    nameAll();
    // Only added or removed nodes are watched, so the attributes set here never loop.
    new MutationObserver(nameAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
