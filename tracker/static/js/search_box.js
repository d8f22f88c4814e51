// The navbar search box: pressing "/" anywhere but in a text field puts the cursor in it.
(function () {
  "use strict";
  var box = document.getElementById("navbar-search");
  if (!box) {
    return;
  }

  function typingSomewhere(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typingSomewhere(event.target)) {
      return;
    }
    event.preventDefault();
    // On phones the box sits in the collapsed menu: open it first.
    var menu = document.getElementById("app-navbar");
    if (menu && !menu.classList.contains("show") && box.offsetParent === null && window.jQuery) {
      window.jQuery(menu).collapse("show");
    }
    box.focus();
    box.select();
  });
})();
