// A list's cards on a phone (templates/admin/model/scoped_list.html). A card's tick box
// stands for its row's tick box in the table, the one Flask-Admin's actions.js sends, so a
// bulk action gets each row once whichever screen ticked it; "Selected" counts the rows.
(function () {
  'use strict';

  function tableBox(rowId) {
    var boxes = document.querySelectorAll('input.action-checkbox');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === rowId) {
        return boxes[i];
      }
    }
    return null;
  }

  // The table's boxes are the truth: "Tick every row" and the browser's own restoring of
  // ticks on the way back both set them without a word to the cards.
  function refresh() {
    document.querySelectorAll('input.card-checkbox').forEach(function (card) {
      var box = tableBox(card.getAttribute('data-row-id'));
      card.checked = Boolean(box && box.checked);
    });
    var ticked = document.querySelectorAll('input.action-checkbox:checked').length;
    document.querySelectorAll('[data-selected-count]').forEach(function (count) {
      count.textContent = String(ticked);
    });
  }

  document.addEventListener('change', function (event) {
    var card = event.target instanceof Element ? event.target.closest('input.card-checkbox') : null;
    if (card) {
      var box = tableBox(card.getAttribute('data-row-id'));
      if (box && box.checked !== card.checked) {
        box.checked = card.checked;
        // actions.js keeps "Tick every row" in step on the table box's change.
        box.dispatchEvent(new Event('change', { bubbles: true }));
        return;
      }
    }
    refresh();
  });
  window.addEventListener('pageshow', refresh);
  document.addEventListener('DOMContentLoaded', refresh);
}());
