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

  // select2's search box is a combobox: it says which list of choices it controls.
  function linkComboboxes(root) {
    root.querySelectorAll('input.select2-input[role="combobox"]:not([aria-controls])').forEach(function (input) {
      var drop = input.closest('.select2-drop, .select2-container');
      var results = drop && drop.querySelector('.select2-results[id]');
      if (results) {
        input.setAttribute('aria-controls', results.id);
      }
    });
  }

  // select2 gives the hidden text box that holds a single choice's focus role="button",
  // which a text box may not take: left without it, it reads as the text box it is, and
  // its label (tied by select2) still names it.
  function unbuttonFocussers(root) {
    root.querySelectorAll('input.select2-focusser[role="button"]').forEach(function (input) {
      input.removeAttribute('role');
    });
  }

  // The little form x-editable opens to change one cell: its icon buttons, its field and the
  // popup itself are named after the cell's column ("Minutes").
  function nameInlineEdits(root) {
    root.querySelectorAll('.editable-popup').forEach(function (popup) {
      // Bootstrap ties the cell's link to its popup with aria-describedby.
      var opener = popup.id && document.querySelector('[aria-describedby~="' + popup.id + '"]');
      var heading = columnHeading((opener || popup).closest('td')) || 'value';
      var named = {
        '.editable-submit': 'Save',
        '.editable-cancel': 'Cancel',
        '.editable-input input:not([type=hidden]), .editable-input select, .editable-input textarea': heading,
        '.select2-choice': heading
      };
      Object.keys(named).forEach(function (selector) {
        popup.querySelectorAll(selector).forEach(function (element) {
          if (!element.hasAttribute('aria-label')) {
            element.setAttribute('aria-label', named[selector]);
          }
        });
      });
      if (!popup.hasAttribute('aria-label')) {
        popup.setAttribute('aria-label', 'Change ' + heading);
      }
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
    nameInlineEdits(document);
    linkComboboxes(document);
    unbuttonFocussers(document);
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
