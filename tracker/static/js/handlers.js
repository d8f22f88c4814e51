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
}());
