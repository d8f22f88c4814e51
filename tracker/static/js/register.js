// Registration: send the browser's time zone along, so local days are right from the start.
(function () {
  "use strict";
  var field = document.getElementById("register-timezone");
  if (!field) {
    return;
  }
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch (e) {
    field.value = "UTC";
  }
})();
