// Import page: "Check the file" shows the result without leaving the page, so the chosen
// file stays chosen for "Import". The server checks the file again on import.
(function () {
  "use strict";
  var form = document.getElementById("import-form");
  var result = document.getElementById("import-result");
  var input = form && form.querySelector("input[type=file]");
  if (!form || !result || !input || !window.fetch || !window.FormData) {
    return;
  }
  form.addEventListener("submit", function (event) {
    var step = event.submitter && event.submitter.value;
    if (step !== "check" || !input.files.length) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    data.set("step", "check");
    result.textContent = "Checking the file…";
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin"
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("import-result");
        if (!fresh) {
          form.submit();
          return;
        }
        result.innerHTML = fresh.innerHTML;
      })
      .catch(function () {
        result.textContent = "The file could not be checked. Please try again.";
      });
  });
  // A result belongs to the file it checked.
  input.addEventListener("change", function () {
    result.textContent = "";
  });
})();
