// Profile page: offer the browser's time zone when it differs from the saved one.
(function () {
  "use strict";
  var select = document.getElementById("timezone");
  var hint = document.getElementById("browser-zone-hint");
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!select || !hint || !zone || select.value === zone) {
    return;
  }
  var known = Array.prototype.some.call(select.options, function (opt) { return opt.value === zone; });
  if (!known) {
    return;
  }
  document.getElementById("browser-zone").textContent = zone;
  hint.hidden = false;
  document.getElementById("use-browser-zone").addEventListener("click", function () {
    select.value = zone;
    select.dispatchEvent(new Event("change"));
  });
  select.addEventListener("change", function () {
    hint.hidden = select.value === zone;
  });
})();
