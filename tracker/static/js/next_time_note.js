// The session form: a goal or piece row's "next time" note can be saved as an explanation.
// Beside a note that is not blank sits "Save as explanation", a link to the new-explanation
// page with the note and the row's goal, piece and section as the page's own pre-links
// (?notes=, ?goal_id=, ?piece_id=, ?section_id=, ?kind=note; admin/explanation_links.py).
// It reads the row as it is now, saved or not, and opens in a new tab so the session being
// written stays as it is. Without this script there is no link here; a saved session's
// details page offers the same one.
(function () {
  "use strict";
  var script = document.currentScript;
  var newUrl = script && script.dataset.newExplanationUrl;
  if (!newUrl) {
    return;
  }
  var NOTE = /-next_time$/;
  var NONE = ["", "__None"];

  function fieldValue(prefix, name) {
    var field = document.querySelector('[name="' + prefix + "-" + name + '"]');
    var value = field ? field.value : "";
    return NONE.indexOf(value) === -1 ? value : "";
  }

  function noteUrl(note) {
    var prefix = note.name.replace(NOTE, "");
    var args = new URLSearchParams({ kind: "note", notes: note.value.trim() });
    ["goal", "piece", "section"].forEach(function (name) {
      var value = fieldValue(prefix, name);
      if (value) {
        args.set(name + "_id", value);
      }
    });
    return newUrl + "?" + args.toString();
  }

  function controlFor(note) {
    var control = note.parentNode.querySelector(".save-note-explanation");
    if (!control) {
      control = document.createElement("a");
      control.className = "save-note-explanation small";
      control.target = "_blank";
      control.rel = "noopener";
      control.innerHTML =
        '<i class="fa fa-book" aria-hidden="true"></i> Save as explanation' +
        '<span class="sr-only"> (opens in a new tab)</span>';
      note.insertAdjacentElement("afterend", control);
    }
    return control;
  }

  // Show the link beside a note that is not blank, pointing at the row as it is now.
  function refresh(note) {
    var blank = !note.value.trim();
    var control = note.parentNode.querySelector(".save-note-explanation");
    if (blank && !control) {
      return;
    }
    control = controlFor(note);
    // d-none, not hidden: app.css gives the link a display that would win over the attribute.
    control.classList.toggle("d-none", blank);
    control.href = blank ? "#" : noteUrl(note);
  }

  function notes(root) {
    return Array.prototype.filter.call(
      (root || document).querySelectorAll("input[name]"),
      function (input) {
        // Rows added with "Add" keep a template named plain "next_time": not a row yet.
        return NOTE.test(input.name);
      }
    );
  }

  function refreshRowOf(field) {
    var prefix = field.name.replace(/-[^-]+$/, "");
    var note = document.querySelector('[name="' + prefix + '-next_time"]');
    if (note) {
      refresh(note);
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.name && NOTE.test(event.target.name)) {
      refresh(event.target);
    }
  });
  // A goal, piece or section chosen after the note was written (Select2 fires jQuery events).
  function onItemChange(event) {
    var name = event.target.name || "";
    if (/-(goal|piece|section)$/.test(name)) {
      refreshRowOf(event.target);
    }
  }
  if (window.jQuery) {
    window.jQuery(document).on("change", "select", onItemChange);
  } else {
    document.addEventListener("change", onItemChange);
  }
  // A click reads the row once more: nothing typed since is left out.
  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest(".save-note-explanation");
    if (control) {
      var note = control.parentNode.querySelector("input[name]");
      if (note && NOTE.test(note.name)) {
        control.href = noteUrl(note);
      }
    }
  });

  function start() {
    notes(document).forEach(refresh);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
