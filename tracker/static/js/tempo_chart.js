// An item's tempo over time (goal and piece pages): clean plays as filled dots joined by a line,
// plays that were not clean as crosses, the target as a dashed line. The data is embedded in the
// page (#tempo-data, worked out on the server); days are the user's local calendar days.
(function () {
  "use strict";

  const card = document.getElementById("tempo-chart");
  const source = document.getElementById("tempo-data");
  if (!card || !source || typeof Chart === "undefined") {
    return;
  }

  const items = JSON.parse(source.textContent).items || [];
  const canvas = card.querySelector("canvas");
  const box = card.querySelector(".chart-box");
  const empty = card.querySelector(".tempo-empty");
  const picker = card.querySelector(".tempo-picker");
  const CLEAN = "#28a745";
  const NOT_CLEAN = "#fd7e14";
  const TARGET = "#6c757d";
  const DAY_MS = 86400000;
  const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  let chart = null;

  // "2026-03-03" -> days since 1970-01-01, so the x axis spaces plays by the days between them.
  function dayNumber(text) {
    const parts = text.split("-");
    return Math.round(Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / DAY_MS);
  }

  function fromDayNumber(n) {
    return new Date(Math.round(n) * DAY_MS);
  }

  // "3 Mar", or "3 Mar 2026" when withYear
  function shortDay(n, withYear) {
    const day = fromDayNumber(n);
    return day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + (withYear ? " " + day.getUTCFullYear() : "");
  }

  // "Tue 3 Mar 2026"
  function longDay(n) {
    return WEEKDAYS[fromDayNumber(n).getUTCDay()] + " " + shortDay(n, true);
  }

  function config(item) {
    const points = item.points.map(function (p) {
      return { x: dayNumber(p.day), y: p.bpm, clean: p.clean };
    });
    const first = points[0].x - 1;
    const last = points[points.length - 1].x + 1;
    const manyYears = fromDayNumber(first).getUTCFullYear() !== fromDayNumber(last).getUTCFullYear();
    const datasets = [
      {
        label: "Clean",
        data: points.filter(function (p) { return p.clean; }),
        borderColor: CLEAN,
        backgroundColor: CLEAN,
        pointStyle: "circle",
        pointRadius: 5,
        pointHoverRadius: 6,
        showLine: true,
        borderWidth: 2,
      },
      {
        label: "Not clean",
        data: points.filter(function (p) { return !p.clean; }),
        borderColor: NOT_CLEAN,
        backgroundColor: NOT_CLEAN,
        pointStyle: "crossRot",
        pointRadius: 7,
        pointHoverRadius: 8,
        pointBorderWidth: 2,
        showLine: false,
      },
    ];
    if (item.target) {
      datasets.push({
        label: "Target " + item.target + " BPM",
        data: [{ x: first, y: item.target }, { x: last, y: item.target }],
        borderColor: TARGET,
        backgroundColor: TARGET,
        pointStyle: "line",
        borderDash: [6, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 0,
        showLine: true,
      });
    }
    return {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        maintainAspectRatio: false,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, boxHeight: 8 } },
          tooltip: {
            filter: function (tip) { return tip.datasetIndex < 2; },
            callbacks: {
              title: function (tips) { return longDay(tips[0].raw.x); },
              label: function (tip) {
                return " " + tip.raw.y + " BPM, " + (tip.raw.clean ? "clean" : "not clean");
              },
            },
          },
        },
        scales: {
          x: {
            type: "linear",
            min: first,
            max: last,
            grid: { display: false },
            ticks: {
              precision: 0,
              maxRotation: 0,
              autoSkipPadding: 12,
              maxTicksLimit: Math.max(3, Math.min(8, Math.floor(box.clientWidth / 90))),
              callback: function (value) { return shortDay(value, manyYears); },
            },
          },
          // grace: room above the target line and the fastest play.
          y: { grace: "8%", title: { display: true, text: "BPM" }, ticks: { precision: 0, maxTicksLimit: 6 } },
        },
      },
    };
  }

  function show(key) {
    const item = items.find(function (each) { return each.key === key; }) || items[0];
    if (chart) {
      chart.destroy();
      chart = null;
    }
    const hasTempo = item && item.points.length > 0;
    box.hidden = !hasTempo;
    empty.hidden = hasTempo;
    if (hasTempo) {
      chart = new Chart(canvas, config(item));
    }
  }

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#6c757d";
  Chart.defaults.borderColor = "rgba(0, 0, 0, 0.07)";
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  if (picker) {
    // Open on the first section that has tempos.
    const first = items.find(function (item) { return item.points.length > 0; });
    if (first) {
      picker.value = first.key;
    }
    picker.addEventListener("change", function () { show(picker.value); });
    show(picker.value);
  } else {
    show(items.length ? items[0].key : null);
  }
})();
