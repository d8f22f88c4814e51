// The session form: a piece link's "Section" list offers only the chosen piece's sections.
// Options carry data-piece (SectionSelectField); rows added with "Add" are handled too, and
// their labels are pointed at their own fields (Flask-Admin renames the fields only).
(function ($) {
  "use strict";
  if (!$) {
    return;
  }
  var WHOLE_PIECE = "__None";

  function sectionSelectFor(pieceSelect) {
    var name = pieceSelect.name.replace(/-piece$/, "-section");
    return document.querySelector('select[name="' + name + '"]');
  }

  function narrow(pieceSelect) {
    var sections = sectionSelectFor(pieceSelect);
    if (!sections) {
      return;
    }
    // Every option the server sent, kept aside once so they can come back.
    if (!sections.allOptions) {
      sections.allOptions = Array.prototype.slice.call(sections.options);
    }
    var piece = pieceSelect.value;
    var chosen = sections.value;
    var keep = sections.allOptions.filter(function (option) {
      return !option.dataset.piece || option.dataset.piece === piece;
    });
    sections.textContent = "";
    keep.forEach(function (option) {
      sections.appendChild(option);
    });
    var stillThere = keep.some(function (option) {
      return option.value === chosen;
    });
    sections.value = stillThere ? chosen : WHOLE_PIECE;
    $(sections).trigger("change.select2");
  }

  function narrowWithin(root) {
    $(root).find('select[name$="-piece"]').addBack('select[name$="-piece"]').each(function () {
      narrow(this);
    });
  }

  // A row added with "Add" (id "piece_links-2") holds "piece_links-2-rating" while its label
  // still says for="rating": without this, clicking "Clean" would not tick the box.
  function labelRow(row) {
    if (!row.id) {
      return;
    }
    Array.prototype.forEach.call(row.querySelectorAll("label[for]"), function (label) {
      var own = row.id + "-" + label.htmlFor;
      if (row.querySelector('[id="' + own + '"]')) {
        label.htmlFor = own;
      }
    });
  }

  // Delegated through jQuery: Select2 reports its changes as jQuery events.
  $(document).on("change", 'select[name$="-piece"]', function () {
    narrow(this);
  });
  $(function () {
    narrowWithin(document);
    // A row added with "Add" starts on no piece, without a change event: offer no sections.
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        Array.prototype.forEach.call(mutation.addedNodes, function (node) {
          if (node.nodeType === 1 && node.tagName !== "OPTION") {
            if (node.classList.contains("inline-field")) {
              labelRow(node);
            }
            narrowWithin(node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})(window.jQuery);
