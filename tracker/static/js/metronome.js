// The metronome beside the practice timer (templates/admin/timer.html), on the Web Audio API.
// Clicks are scheduled ahead on the audio clock: a 25 ms timer looks 100 ms ahead and books
// every beat that falls in that window at its exact audio time, so the beat never drifts with
// the page's timers. The panel's data-beats counts the beats booked (tests read it). It tells
// js/timer.js its tempo with "metronome:tempo" and takes an item's tempo from "timer:item".
(function () {
  "use strict";
  var panel = document.getElementById("metronome");
  if (!panel) {
    return;
  }
  var MIN_BPM = 30;
  var MAX_BPM = 300;
  var LOOKAHEAD_MS = 25; // how often the scheduler wakes
  var AHEAD_S = 0.1; // how far ahead of the audio clock it books beats
  var CLICK_S = 0.05;
  var TAP_RESET_MS = 2000; // a pause this long starts a new tap tempo
  var TAPS_KEPT = 5;
  var SETTINGS_KEY = "tracker.metronome";
  var AudioContextClass = window.AudioContext || window.webkitAudioContext;

  var field = document.getElementById("metronome-bpm");
  var message = document.getElementById("metronome-bpm-message");
  var toggle = document.getElementById("metronome-toggle");
  var lights = document.getElementById("metronome-lights");
  var meterButtons = panel.querySelectorAll("[data-beats-per-bar]");

  var context = null;
  var bpm = 80;
  var beatsPerBar = 4;
  var playing = false;
  var scheduler = null;
  var nextBeatTime = 0;
  var beatInBar = 0;
  var beats = 0;
  var shown = []; // booked beats waiting to light up: {beat, time}
  var taps = [];

  function clamp(value) {
    return Math.min(MAX_BPM, Math.max(MIN_BPM, Math.round(value)));
  }

  function tell() {
    document.dispatchEvent(
      new CustomEvent("metronome:tempo", { detail: { bpm: bpm, playing: playing } })
    );
  }

  function remember() {
    try {
      window.localStorage.setItem(SETTINGS_KEY, JSON.stringify({ bpm: bpm, beats: beatsPerBar }));
    } catch (error) {
      // No storage: the settings last for this page only.
    }
  }

  function setBpm(value) {
    bpm = clamp(value);
    field.value = String(bpm);
    field.classList.remove("is-invalid");
    message.classList.remove("d-block");
    remember();
    tell();
  }

  function drawLights() {
    lights.textContent = "";
    for (var i = 0; i < beatsPerBar; i += 1) {
      var light = document.createElement("span");
      light.className = "metronome-light" + (i === 0 ? " metronome-light-accent" : "");
      lights.appendChild(light);
    }
  }

  function setMeter(value) {
    beatsPerBar = value;
    if (beatInBar >= beatsPerBar) {
      beatInBar = 0;
    }
    Array.prototype.forEach.call(meterButtons, function (button) {
      var on = Number(button.dataset.beatsPerBar) === value;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    drawLights();
    remember();
  }

  // One click at an exact audio time: higher and louder on beat 1 of the bar.
  function click(time, accent) {
    var tone = context.createOscillator();
    var gain = context.createGain();
    tone.frequency.value = accent ? 1600 : 1000;
    gain.gain.setValueAtTime(0.0001, time);
    gain.gain.exponentialRampToValueAtTime(accent ? 1 : 0.6, time + 0.002);
    gain.gain.exponentialRampToValueAtTime(0.0001, time + CLICK_S);
    tone.connect(gain);
    gain.connect(context.destination);
    tone.start(time);
    tone.stop(time + CLICK_S + 0.01);
  }

  function book() {
    while (nextBeatTime < context.currentTime + AHEAD_S) {
      click(nextBeatTime, beatInBar === 0);
      shown.push({ beat: beatInBar, time: nextBeatTime });
      beats += 1;
      panel.dataset.beats = String(beats);
      nextBeatTime += 60 / bpm; // the tempo in force when the beat is booked
      beatInBar = (beatInBar + 1) % beatsPerBar;
    }
  }

  // Light each beat when the audio clock reaches it.
  function light() {
    if (!playing) {
      return;
    }
    var due = null;
    while (shown.length && shown[0].time <= context.currentTime) {
      due = shown.shift();
    }
    if (due) {
      Array.prototype.forEach.call(lights.children, function (el, index) {
        el.classList.toggle("on", index === due.beat);
      });
    }
    window.requestAnimationFrame(light);
  }

  function showAudioState() {
    panel.dataset.audioState = context ? context.state : "none";
  }

  function play() {
    if (!AudioContextClass) {
      message.textContent = "This browser cannot play the metronome.";
      message.classList.add("d-block");
      return;
    }
    if (!context) {
      context = new AudioContextClass();
      panel.audioContext = context; // read by the browser tests
      context.addEventListener("statechange", showAudioState);
    }
    context.resume().catch(function () {});
    playing = true;
    beatInBar = 0;
    shown = [];
    nextBeatTime = context.currentTime + 0.05;
    book();
    scheduler = window.setInterval(book, LOOKAHEAD_MS);
    window.requestAnimationFrame(light);
    panel.dataset.playing = "true";
    toggle.textContent = "Stop";
    toggle.setAttribute("aria-pressed", "true");
    showAudioState();
    tell();
  }

  function stop() {
    playing = false;
    window.clearInterval(scheduler);
    scheduler = null;
    Array.prototype.forEach.call(lights.children, function (el) {
      el.classList.remove("on");
    });
    panel.dataset.playing = "false";
    toggle.textContent = "Play";
    toggle.setAttribute("aria-pressed", "false");
    tell();
  }

  function tap() {
    var at = window.performance.now();
    if (taps.length && at - taps[taps.length - 1] > TAP_RESET_MS) {
      taps = [];
    }
    taps.push(at);
    taps = taps.slice(-TAPS_KEPT);
    if (taps.length > 1) {
      var average = (taps[taps.length - 1] - taps[0]) / (taps.length - 1);
      setBpm(60000 / average);
    }
  }

  function typed() {
    var value = Number(field.value);
    var ok = field.value !== "" && Number.isInteger(value) && value >= MIN_BPM && value <= MAX_BPM;
    field.classList.toggle("is-invalid", !ok);
    message.textContent = "A tempo from " + MIN_BPM + " to " + MAX_BPM + " BPM.";
    message.classList.toggle("d-block", !ok);
    if (ok && value !== bpm) {
      setBpm(value);
    }
  }

  toggle.addEventListener("click", function () {
    if (playing) {
      stop();
    } else {
      play();
    }
  });
  document.getElementById("metronome-slower").addEventListener("click", function () {
    setBpm(bpm - 1);
  });
  document.getElementById("metronome-faster").addEventListener("click", function () {
    setBpm(bpm + 1);
  });
  document.getElementById("metronome-tap").addEventListener("click", tap);
  field.addEventListener("input", typed);
  field.addEventListener("change", function () {
    typed();
    if (field.classList.contains("is-invalid")) {
      return;
    }
    field.value = String(bpm);
  });
  Array.prototype.forEach.call(meterButtons, function (button) {
    button.addEventListener("click", function () {
      setMeter(Number(button.dataset.beatsPerBar));
    });
  });
  document.addEventListener("timer:item", function (event) {
    if (event.detail && event.detail.bpm) {
      setBpm(event.detail.bpm);
    }
  });

  try {
    var saved = JSON.parse(window.localStorage.getItem(SETTINGS_KEY)) || {};
    bpm = saved.bpm ? clamp(saved.bpm) : bpm;
    beatsPerBar = [2, 3, 4, 6].indexOf(saved.beats) >= 0 ? saved.beats : beatsPerBar;
  } catch (error) {
    // Nothing saved yet.
  }
  field.value = String(bpm);
  setMeter(beatsPerBar);
  showAudioState();
})();
