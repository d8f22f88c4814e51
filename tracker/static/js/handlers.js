// What Flask-Admin's templates did in onclick attributes, bound here instead: the
// Content-Security-Policy runs no inline handler (see templates/admin/model/*.html).
(function () {
  'use strict';

  // x-editable reads the JSON of its data-source and data-value with new Function(), which
  // the policy refuses as eval. Flask-Admin writes them with json.dumps, so JSON.parse reads
  // them alike. This ready handler runs before form.js's, which sets the editables up.
  if (window.jQuery) {
    window.jQuery(function ($) {
      if (!$.fn.editableutils) {
        return;
      }
      // An empty cell reads a quiet dash (app.css), not x-editable's red "Empty".
      $.fn.editable.defaults.emptytext = '\u2014';
      $.fn.editableutils.tryParseJson = function (text, safe) {
        if (typeof text !== 'string' || !/^[\{\[].*[\}\]]$/.test(text)) {
          return text;
        }
        try {
          return JSON.parse(text);
        } catch (error) {
          if (safe) {
            return text;
          }
          throw error;
        }
      };
    });
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    // "javascript:void(0)" links only stand for their handlers; following one is an
    // inline script the policy refuses (and reports).
    var scriptLink = target.closest('a[href^="javascript:"]');
    if (scriptLink) {
      event.preventDefault();
    }
    var confirmed = target.closest('[data-confirm]');
    if (confirmed && !window.confirm(confirmed.getAttribute('data-confirm'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var action = target.closest('[data-model-action]');
    if (action && window.modelActions) {
      window.modelActions.execute(action.getAttribute('data-model-action'));
      return;
    }
    var inline = target.closest('[data-inline-field]');
    if (inline && window.faForm) {
      window.faForm.addInlineField(inline, inline.getAttribute('data-inline-field'));
    }
  }, true); // capturing: before any handler that stops the click on its way up

  // A form being sent disables its buttons, so a double click saves once (the server's
  // one-time form tokens catch what still gets through). Disabled only after this event:
  // a disabled button would not send its own name ("Save and add another").
  var SENDING_MS = 10000; // then the buttons come back: a download or a lost answer
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) ||
        (form.method || '').toLowerCase() !== 'post') {
      return; // x-editable and other scripts send their own way
    }
    if (form.hasAttribute('data-sending')) {
      event.preventDefault();
      return;
    }
    form.setAttribute('data-sending', '');
    var buttons = form.querySelectorAll('button[type=submit], button:not([type]), input[type=submit]');
    window.setTimeout(function () {
      buttons.forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
    window.setTimeout(function () {
      enable(form);
    }, SENDING_MS);
  });

  function enable(form) {
    form.removeAttribute('data-sending');
    form.querySelectorAll('[type=submit], button:not([type])').forEach(function (button) {
      button.disabled = false;
    });
  }

  // Back to a page kept in the browser's memory: its forms can be sent again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) {
      document.querySelectorAll('form[data-sending]').forEach(enable);
    }
  });
}());
