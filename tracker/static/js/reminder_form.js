// Reminder form: show only the fields that belong to the chosen repeat rule.
(function () {
  "use strict";
  var recurrence = document.getElementById("recurrence");
  if (!recurrence) {
    return;
  }
  // Which fields each rule uses; the rest are hidden (the server ignores them too).
  var FIELDS = {
    daily: [],
    weekdays: ["weekdays"],
    interval: ["interval_days", "start_date"],
  };
  var ALL = ["weekdays", "interval_days", "start_date"];

  function group(id) {
    var field = document.getElementById(id);
    return field ? field.closest(".form-group") : null;
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function update() {
    var shown = FIELDS[recurrence.value] || [];
    ALL.forEach(function (id) {
      var wrapper = group(id);
      if (wrapper) {
        wrapper.hidden = shown.indexOf(id) === -1;
      }
    });
    var start = document.getElementById("start_date");
    if (recurrence.value === "interval" && start && !start.value) {
      start.value = today();
    }
  }

  recurrence.addEventListener("change", update);
  update();
})();
