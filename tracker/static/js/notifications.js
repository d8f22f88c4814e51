// The navbar bell: unread count and latest notifications from /api/v1/notifications/bell.
// Polls every 45 s while the page is visible; marks notifications read by POST with X-CSRFToken.
(function () {
  "use strict";
  var POLL_MS = 45000;
  var menu = document.getElementById("notifications-menu");
  if (!menu || !window.fetch) {
    return;
  }
  var API = menu.dataset.api;
  var list = document.getElementById("notifications-items");
  var toggle = document.getElementById("notifications-toggle");
  var readAll = document.getElementById("notifications-read-all");
  var badges = document.querySelectorAll("[data-unread-count]");
  var tokenTag = document.querySelector('meta[name="csrf-token"]');
  var timer = null;

  function showUnread(count) {
    Array.prototype.forEach.call(badges, function (badge) {
      badge.textContent = String(count);
      badge.hidden = !count;
    });
    var label = count ? "Notifications, " + count + " unread" : "Notifications";
    toggle.title = label;
    toggle.setAttribute("aria-label", label);
  }

  // Only paths inside this site become links (the API already drops anything else).
  function safeLink(link) {
    return typeof link === "string" && link.charAt(0) === "/" && !/^\/[\/\\]/.test(link) ? link : null;
  }

  function itemElement(item) {
    var link = safeLink(item.link);
    var el = document.createElement(link ? "a" : "div");
    el.className = "dropdown-item text-wrap notification-item py-2";
    if (link) {
      el.href = link;
    }
    el.dataset.id = String(item.id);
    var when = document.createElement("div");
    when.className = "small text-muted";
    when.textContent = item.when;
    var message = document.createElement("div");
    message.textContent = item.message;
    el.appendChild(when);
    el.appendChild(message);
    markElement(el, item.is_read);
    return el;
  }

  function markElement(el, isRead) {
    el.dataset.read = isRead ? "true" : "false";
    el.classList.toggle("notification-unread", !isRead);
    el.classList.toggle("font-weight-bold", !isRead);
  }

  function showItems(items) {
    list.textContent = "";
    if (!items.length) {
      var empty = document.createElement("span");
      empty.className = "dropdown-item-text small text-muted text-wrap";
      empty.textContent = "Nothing yet. Reminders, goal deadlines and milestones show up here.";
      list.appendChild(empty);
      return;
    }
    items.forEach(function (item) {
      list.appendChild(itemElement(item));
    });
  }

  function refresh() {
    return fetch(API + "/bell", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("notifications: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        showUnread(data.unread);
        showItems(data.items);
      })
      .catch(function () {
        // Offline or signed out: keep what is on screen and try again at the next poll.
      });
  }

  function post(url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenTag ? tokenTag.content : "", Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("notifications: HTTP " + response.status);
      }
      return response.json();
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = document.hidden ? null : window.setTimeout(poll, POLL_MS);
  }

  function poll() {
    refresh().then(schedule);
  }

  list.addEventListener("click", function (event) {
    var el = event.target.closest(".notification-item");
    if (!el || el.dataset.read === "true") {
      return;
    }
    var href = el.getAttribute("href");
    event.preventDefault();
    markElement(el, true);
    post(API + "/" + encodeURIComponent(el.dataset.id) + "/read")
      .then(function (data) {
        showUnread(data.unread);
      })
      .catch(function () {})
      .then(function () {
        if (href) {
          window.location.assign(href);
        }
      });
  });

  readAll.addEventListener("click", function (event) {
    // Keep the dropdown open so the change is visible.
    event.stopPropagation();
    post(API + "/read-all")
      .then(function () {
        showUnread(0);
        Array.prototype.forEach.call(list.querySelectorAll(".notification-item"), function (el) {
          markElement(el, true);
        });
      })
      .catch(function () {
        refresh();
      });
  });

  // The bell opens its dropdown; its href (the list page) is only for browsers without JS.
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    refresh();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      window.clearTimeout(timer);
      timer = null;
    } else {
      poll();
    }
  });

  poll();
})();
