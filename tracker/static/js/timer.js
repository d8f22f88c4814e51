// The practice timer (templates/admin/timer.html): start, pause, resume, stop, and a split per
// item. Its state lives in localStorage as timestamps, never as tick counts, so a reload or a
// closed tab comes back to the right elapsed time. Stop sends the times to the page's log URL,
// which opens the session form pre-filled. It hears the metronome (js/metronome.js) through
// "metronome:tempo" events and tells it the tempo of the item you switch to with "timer:item".
(function () {
  "use strict";
  var root = document.getElementById("practice-timer");
  if (!root) {
    return;
  }
  var STORAGE_KEY = root.dataset.storageKey;
  var TICK_MS = 250; // only redraws: every figure is worked out from the stored timestamps
  var list = document.getElementById("timer-items");
  var panel = document.getElementById("timer-panel");
  var elapsedText = document.getElementById("timer-elapsed");
  var statusText = document.getElementById("timer-status");
  var buttons = {
    start: document.getElementById("timer-start"),
    pause: document.getElementById("timer-pause"),
    resume: document.getElementById("timer-resume"),
    stop: document.getElementById("timer-stop"),
  };
  var plainTitle = document.title;
  var metronome = { bpm: null, playing: false };
  var wakeLock = null;
  var ticker = null;
  var state = null;

  function now() {
    return Date.now();
  }

  // ---- State -----------------------------------------------------------------------------

  function pageItems() {
    return Array.prototype.map.call(list.querySelectorAll(".timer-item"), function (button) {
      return {
        key: button.dataset.item,
        title: button.dataset.title,
        bpm: button.dataset.bpm ? Number(button.dataset.bpm) : null,
        plannedMinutes: button.dataset.plannedMinutes ? Number(button.dataset.plannedMinutes) : null,
        ms: 0,
        tempo: null,
      };
    });
  }

  function pageInstrument() {
    var tag = document.getElementById("timer-instrument");
    return tag.dataset.id ? { id: Number(tag.dataset.id), name: tag.dataset.name } : null;
  }

  function freshState() {
    return {
      v: 1,
      instrument: pageInstrument(),
      items: pageItems(),
      startedAt: null,
      runningSince: null,
      accumulated: 0,
      active: null,
      activeSince: null,
    };
  }

  function storedState() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY));
      return stored && stored.v === 1 && stored.startedAt ? stored : null;
    } catch (error) {
      return null; // no storage (private mode) or a damaged entry: start afresh
    }
  }

  function save() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // Storage full or refused: the timer still runs in this tab.
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch (error) {
      // Nothing stored to forget.
    }
  }

  function status() {
    if (!state.startedAt) {
      return "idle";
    }
    return state.runningSince ? "running" : "paused";
  }

  function itemOf(key) {
    return state.items.filter(function (item) {
      return item.key === key;
    })[0];
  }

  function totalMs() {
    return state.accumulated + (state.runningSince ? now() - state.runningSince : 0);
  }

  function itemMs(item) {
    var running = state.runningSince && state.active === item.key;
    return item.ms + (running ? now() - state.activeSince : 0);
  }

  // Fold the active item's current stretch into its total, so a switch or pause keeps it.
  function closeStretch() {
    var item = state.active && itemOf(state.active);
    if (item && state.runningSince) {
      item.ms += now() - state.activeSince;
    }
    state.activeSince = now();
  }

  // ---- Actions ---------------------------------------------------------------------------

  function start(key) {
    var at = now();
    state.startedAt = at;
    state.runningSince = at;
    state.accumulated = 0;
    state.active = key || (state.items[0] && state.items[0].key) || null;
    state.activeSince = at;
    afterChange(true);
  }

  function pause() {
    closeStretch();
    state.accumulated = totalMs();
    state.runningSince = null;
    afterChange(false);
  }

  function resume() {
    state.runningSince = now();
    state.activeSince = state.runningSince;
    afterChange(false);
  }

  function switchTo(key) {
    if (status() === "idle") {
      start(key);
      return;
    }
    if (key === state.active) {
      return;
    }
    closeStretch();
    state.active = key;
    afterChange(true);
  }

  function stop() {
    if (status() === "running") {
      pause();
    }
    var params = new URLSearchParams();
    if (state.instrument) {
      params.append("instrument", state.instrument.id);
    }
    state.items.forEach(function (item) {
      params.append("item", item.key);
      params.append("seconds", item.key + ":" + Math.round(item.ms / 1000));
      // The tempo played, else the one suggested, as the dashboard's Practise offers it.
      if (item.tempo || item.bpm) {
        params.append("bpm", item.key + ":" + (item.tempo || item.bpm));
      }
    });
    params.append("elapsed", String(Math.round(state.accumulated / 1000)));
    params.append("started", String(Math.floor(state.startedAt / 1000)));
    forget();
    releaseWakeLock();
    buttons.stop.disabled = true;
    window.location.assign(root.dataset.logUrl + "?" + params.toString());
  }

  // Save, redraw, and when the item changed offer its tempo to the metronome.
  function afterChange(itemChanged) {
    var item = state.active && itemOf(state.active);
    if (itemChanged && item) {
      var bpm = item.tempo || item.bpm;
      document.dispatchEvent(new CustomEvent("timer:item", { detail: { bpm: bpm } }));
    }
    noteTempo();
    save();
    render();
    keepAwake();
  }

  // The tempo the metronome plays while an item is active becomes that item's tempo.
  function noteTempo() {
    var item = state.active && itemOf(state.active);
    if (item && metronome.playing && metronome.bpm && status() !== "idle") {
      item.tempo = metronome.bpm;
    }
  }

  // ---- Drawing ---------------------------------------------------------------------------

  function clock(ms) {
    var seconds = Math.floor(ms / 1000);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function span(className, text) {
    var el = document.createElement("span");
    el.className = className;
    el.textContent = text;
    return el;
  }

  // The same markup as the page's timer_item macro, for a timer restored with other items.
  function itemElement(item) {
    var row = document.createElement("li");
    row.className = "timer-item-row";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-block btn-outline-primary timer-item";
    button.dataset.item = item.key;
    button.dataset.title = item.title;
    button.appendChild(span("timer-item-title", item.title));
    var figures = span("timer-item-figures", "");
    figures.appendChild(span("badge badge-light timer-item-now", "Now"));
    figures.appendChild(span("timer-item-time", "0:00"));
    if (item.plannedMinutes) {
      figures.appendChild(span("timer-item-planned", " / " + item.plannedMinutes + " min"));
    }
    figures.appendChild(span("timer-item-tempo", ""));
    button.appendChild(figures);
    row.appendChild(button);
    return row;
  }

  function showItems() {
    var shown = pageItems().map(function (item) {
      return item.key;
    });
    var wanted = state.items.map(function (item) {
      return item.key;
    });
    if (shown.join() !== wanted.join()) {
      list.textContent = "";
      state.items.forEach(function (item) {
        list.appendChild(itemElement(item));
      });
    }
    document.getElementById("timer-no-items").hidden = state.items.length > 0;
    var instrument = document.getElementById("timer-instrument");
    instrument.textContent = state.instrument ? state.instrument.name : "";
  }

  function render() {
    var now_ = status();
    panel.dataset.state = now_;
    buttons.start.hidden = now_ !== "idle";
    buttons.pause.hidden = now_ !== "running";
    buttons.resume.hidden = now_ !== "paused";
    buttons.stop.hidden = now_ === "idle";
    statusText.textContent = { idle: "Not started", running: "Running", paused: "Paused" }[now_];
    Array.prototype.forEach.call(list.querySelectorAll(".timer-item"), function (button) {
      var item = itemOf(button.dataset.item);
      var active = item && item.key === state.active && now_ !== "idle";
      button.classList.toggle("active", !!active);
      button.classList.toggle("btn-primary", !!active);
      button.classList.toggle("btn-outline-primary", !active);
      button.setAttribute("aria-pressed", active ? "true" : "false");
      var tempo = item.tempo ? item.tempo + " BPM" : item.bpm ? "try " + item.bpm + " BPM" : "";
      button.querySelector(".timer-item-tempo").textContent = tempo;
    });
    tick();
  }

  function tick() {
    var running = status() !== "idle";
    var elapsed = clock(totalMs());
    elapsedText.textContent = elapsed;
    document.title = running ? elapsed + " · " + plainTitle.split(" · ").pop() : plainTitle;
    Array.prototype.forEach.call(list.querySelectorAll(".timer-item"), function (button) {
      var item = itemOf(button.dataset.item);
      button.querySelector(".timer-item-time").textContent = clock(itemMs(item));
    });
  }

  // ---- Keeping the screen on -------------------------------------------------------------

  function keepAwake() {
    if (status() !== "running") {
      releaseWakeLock();
      return;
    }
    if (wakeLock || !navigator.wakeLock || document.visibilityState !== "visible") {
      return;
    }
    navigator.wakeLock.request("screen").then(
      function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () {
          wakeLock = null;
        });
      },
      function () {
        // Refused (battery saver, no permission): the timer runs all the same.
      }
    );
  }

  function releaseWakeLock() {
    if (wakeLock) {
      wakeLock.release().catch(function () {});
      wakeLock = null;
    }
  }

  // ---- Wiring ----------------------------------------------------------------------------

  function load() {
    var stored = storedState();
    var opened = pageItems()
      .map(function (item) {
        return item.key;
      })
      .join();
    state = stored || freshState();
    var others =
      stored &&
      opened &&
      opened !==
        stored.items
          .map(function (item) {
            return item.key;
          })
          .join();
    document.getElementById("timer-other").hidden = !others;
    showItems();
    render();
    keepAwake();
    // Back on a running timer: the metronome starts from the active item's tempo.
    var item = status() !== "idle" && state.active && itemOf(state.active);
    if (item && (item.tempo || item.bpm)) {
      document.dispatchEvent(new CustomEvent("timer:item", { detail: { bpm: item.tempo || item.bpm } }));
    }
  }

  buttons.start.addEventListener("click", function () {
    start(null);
  });
  buttons.pause.addEventListener("click", pause);
  buttons.resume.addEventListener("click", resume);
  buttons.stop.addEventListener("click", stop);
  list.addEventListener("click", function (event) {
    var button = event.target.closest(".timer-item");
    if (button) {
      switchTo(button.dataset.item);
    }
  });
  document.addEventListener("metronome:tempo", function (event) {
    metronome = event.detail;
    var before = JSON.stringify(state.items);
    noteTempo();
    if (JSON.stringify(state.items) !== before) {
      save();
      render();
    }
  });
  // Another tab started, switched or stopped this timer.
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY) {
      load();
    }
  });
  document.addEventListener("visibilitychange", keepAwake);

  load();
  ticker = window.setInterval(tick, TICK_MS);
  window.addEventListener("pagehide", function () {
    window.clearInterval(ticker);
  });
})();
