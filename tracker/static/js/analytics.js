// Analytics page: one date range (kept in the URL) drives the summary, every chart and the
// CSV export link. Data comes from /api/v1/stats/*; all dates are the user's local calendar days.
(function () {
  "use strict";

  const root = document.getElementById("analytics");
  if (!root || typeof Chart === "undefined") {
    return;
  }

  const API = root.dataset.apiUrl;
  const LOG_URL = root.dataset.logUrl;
  const TODAY = parseDay(root.dataset.today) || todayInBrowser();
  const DEFAULT_RANGE = "30d";
  const PRESETS = { "7d": { days: 7 }, "30d": { days: 30 }, "3m": { months: 3 }, "12m": { months: 12 }, all: null };
  const BUCKETS = ["day", "week", "month"];
  const BREAKDOWN_COLORS = { goal: "#007bff", piece: "#17a2b8", focus_area: "#20c997", instrument: "#6f42c1" };
  // Sessions need not name a goal, piece or focus area: say which link is missing.
  const BREAKDOWN_EMPTY = {
    goal: "No practice towards a goal in this range yet.",
    piece: "No practice on a piece in this range yet.",
    focus_area: "No practice with a focus area in this range yet.",
  };
  const MOOD_COLOR = "#fd7e14";
  const QUALITY_COLOR = "#28a745";
  // Heatmap: no practice, then four steps of Bootstrap's success green.
  const HEAT_EMPTY = "#ebedf0";
  const HEAT_STEPS = ["#c3e6cb", "#8fd19e", "#48b461", "#1e7e34"];
  const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const DAY_MS = 86400000;

  // ---- Dates: local calendar days held as UTC midnights, so no time zone or DST shifts them.

  function parseDay(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!match) {
      return null;
    }
    const day = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
    return isoDay(day) === text ? day : null;
  }

  function todayInBrowser() {
    const now = new Date();
    return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function isoDay(day) {
    return day.getUTCFullYear() + "-" + pad(day.getUTCMonth() + 1) + "-" + pad(day.getUTCDate());
  }

  function addDays(day, n) {
    return new Date(day.getTime() + n * DAY_MS);
  }

  function addMonths(day, n) {
    const first = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + n, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(day.getUTCDate(), last)));
  }

  function dayNumber(day) {
    return Math.round(day.getTime() / DAY_MS);
  }

  function fromDayNumber(n) {
    return new Date(n * DAY_MS);
  }

  // "Tue 3 Mar 2026"
  function longDay(day) {
    return WEEKDAYS[day.getUTCDay()] + " " + day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + " " + day.getUTCFullYear();
  }

  // "3 Mar", or "3 Mar 2026" when withYear
  function shortDay(day, withYear) {
    return day.getUTCDate() + " " + MONTHS[day.getUTCMonth()] + (withYear ? " " + day.getUTCFullYear() : "");
  }

  // ---- Numbers

  // 750 -> "12 h 30 min", 45 -> "45 min", 120 -> "2 h"
  function duration(minutes) {
    const total = Math.round(minutes || 0);
    const hours = Math.floor(total / 60);
    const rest = total % 60;
    if (!hours) {
      return rest + " min";
    }
    return rest ? hours + " h " + rest + " min" : hours + " h";
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // Axis in minutes, or in hours once the largest value passes three hours.
  function minutesAxis(maxMinutes) {
    const hours = maxMinutes > 180;
    return {
      value: function (minutes) { return hours ? minutes / 60 : minutes; },
      tick: function (value) { return hours ? value + " h" : value + " min"; },
    };
  }

  function alpha(hex, opacity) {
    const n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + opacity + ")";
  }

  function ticksFor(width) {
    return Math.max(3, Math.min(12, Math.floor(width / 90)));
  }

  // Keeps the x axis from crowding: fewer ticks on narrow screens, recomputed on resize.
  function fitXTicks(chart, size) {
    chart.options.scales.x.ticks.maxTicksLimit = ticksFor(size.width);
  }

  // ---- Range state, read from and written to the query string

  function presetRange(key) {
    const spec = PRESETS[key];
    let start = null;
    if (spec && spec.days) {
      start = addDays(TODAY, 1 - spec.days);
    } else if (spec) {
      start = addDays(addMonths(TODAY, -spec.months), 1);
    }
    return { key: key, start: start, end: TODAY };
  }

  function readState() {
    const params = new URLSearchParams(window.location.search);
    const bucket = BUCKETS.indexOf(params.get("bucket")) >= 0 ? params.get("bucket") : null;
    let range = null;
    if (params.has("range") && Object.prototype.hasOwnProperty.call(PRESETS, params.get("range"))) {
      range = presetRange(params.get("range"));
    } else if (params.has("start")) {
      const start = parseDay(params.get("start"));
      const end = params.get("end") ? parseDay(params.get("end")) : TODAY;
      if (start && end && start <= end) {
        range = { key: "custom", start: start, end: end };
      }
    }
    return { range: range || presetRange(DEFAULT_RANGE), bucket: bucket };
  }

  function writeState() {
    const params = new URLSearchParams();
    if (state.range.key === "custom") {
      params.set("start", isoDay(state.range.start));
      params.set("end", isoDay(state.range.end));
    } else {
      params.set("range", state.range.key);
    }
    if (state.bucket) {
      params.set("bucket", state.bucket);
    }
    const url = window.location.pathname + "?" + params.toString();
    if (url !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", url);
    }
  }

  // start/end query parameters for the API; no start means all time.
  function rangeQuery(extra) {
    const params = new URLSearchParams();
    if (state.range.start) {
      params.set("start", isoDay(state.range.start));
    }
    params.set("end", isoDay(state.range.end));
    Object.keys(extra || {}).forEach(function (key) {
      params.set(key, extra[key]);
    });
    return params.toString();
  }

  // Without an explicit choice: days for short ranges, weeks up to a year, months beyond.
  function currentBucket() {
    if (state.bucket) {
      return state.bucket;
    }
    if (!state.range.start) {
      return "week";
    }
    const days = dayNumber(state.range.end) - dayNumber(state.range.start) + 1;
    return days <= 62 ? "day" : days <= 366 ? "week" : "month";
  }

  // ---- Fetching, with one request in flight per card

  function fetchJSON(url, signal) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal: signal })
      .then(
        function (response) {
          return response.json().catch(function () { return null; }).then(function (body) {
            if (!response.ok) {
              throw new Error((body && body.message) || "Could not load this chart (error " + response.status + ").");
            }
            if (!body) {
              throw new Error("The server sent an answer this page cannot read.");
            }
            return body;
          });
        },
        function (error) {
          if (error.name === "AbortError") {
            throw error;
          }
          throw new Error("Could not reach the server. Check your connection and try again.");
        }
      );
  }

  // A card whose body shows a chart, or over it a loading, empty or error message.
  function Panel(card) {
    this.card = card;
    this.body = card.querySelector(".chart-body");
    this.canvas = card.querySelector("canvas");
    this.chart = null;
    this.request = null;
    this.overlay = document.createElement("div");
    this.overlay.className = "chart-overlay";
    this.overlay.hidden = true;
    this.body.appendChild(this.overlay);
  }

  Panel.prototype.show = function (kind, message) {
    const overlay = this.overlay;
    overlay.textContent = "";
    overlay.className = "chart-overlay chart-overlay-" + kind;
    overlay.hidden = kind === "ready";
    overlay.setAttribute("role", kind === "error" ? "alert" : "status");
    this.card.setAttribute("aria-busy", kind === "loading" ? "true" : "false");
    if (kind === "loading") {
      const spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm text-primary mr-2";
      spinner.setAttribute("aria-hidden", "true");
      overlay.append(spinner, "Loading…");
    } else if (kind === "empty") {
      const text = document.createElement("p");
      text.className = "mb-1";
      text.textContent = message || "No practice in this range yet.";
      const link = document.createElement("a");
      link.href = LOG_URL;
      link.textContent = "Log a session";
      overlay.append(text, link);
    } else if (kind === "error") {
      const text = document.createElement("p");
      text.className = "text-danger mb-0";
      text.textContent = message;
      overlay.append(text);
    }
    if (kind === "empty" || kind === "error") {
      this.draw(null);
    }
  };

  Panel.prototype.draw = function (config) {
    if (this.chart) {
      this.chart.destroy();
      this.chart = null;
    }
    if (config && this.canvas) {
      this.chart = new Chart(this.canvas, config);
    }
  };

  // Fetch url (or wait for a fetch several cards share) and hand the JSON to render, which
  // draws and returns false when there is nothing to show.
  Panel.prototype.load = function (source, render) {
    if (this.request) {
      this.request.abort();
    }
    const request = new AbortController();
    this.request = request;
    this.show("loading");
    (typeof source === "string" ? fetchJSON(source, request.signal) : source)
      .then(function (data) {
        if (this.request !== request) {
          return;
        }
        const shown = render.call(this, data);
        if (shown === false) {
          this.show("empty");
        } else if (typeof shown === "string") {
          this.show("empty", shown);
        } else {
          this.show("ready");
        }
      }.bind(this))
      .catch(function (error) {
        if (this.request === request && error.name !== "AbortError") {
          this.show("error", error.message);
        }
      }.bind(this));
  };

  // ---- Renderers: each returns false (or an empty-state message) when the data is empty.

  function renderSummary(data) {
    const values = {
      total_minutes: duration(data.total_minutes),
      sessions: String(data.sessions),
      days_practised: String(data.days_practised),
      average_minutes: data.sessions ? duration(data.average_minutes) : "–",
      current_streak: plural(data.current_streak, "day"),
      longest_streak: plural(data.longest_streak, "day"),
    };
    Object.keys(values).forEach(function (name) {
      const cell = this.card.querySelector('[data-stat="' + name + '"]');
      if (cell) {
        cell.textContent = values[name];
      }
    }, this);
  }

  function renderTimeseries(data) {
    const minutes = data.minutes || [];
    if (!minutes.some(function (value) { return value > 0; })) {
      return false;
    }
    const bucket = data.bucket;
    const axis = minutesAxis(Math.max.apply(null, minutes));
    // Bucket i starts i days, weeks or months after data.start.
    const first = parseDay(data.start);
    const days = minutes.map(function (_, i) {
      return bucket === "month" ? addMonths(first, i) : addDays(first, bucket === "week" ? 7 * i : i);
    });
    const manyYears = days.length && days[0].getUTCFullYear() !== days[days.length - 1].getUTCFullYear();
    const ticks = days.map(function (day) {
      return bucket === "month" ? MONTHS[day.getUTCMonth()] + " " + day.getUTCFullYear() : shortDay(day, manyYears);
    });
    const titles = days.map(function (day) {
      if (bucket === "month") {
        return MONTHS[day.getUTCMonth()] + " " + day.getUTCFullYear();
      }
      return (bucket === "week" ? "Week of " : "") + longDay(day);
    });
    this.draw({
      type: "line",
      data: {
        labels: ticks,
        datasets: [{
          label: "Practice time",
          data: minutes.map(axis.value),
          borderColor: "#007bff",
          backgroundColor: alpha("#007bff", 0.12),
          fill: "origin",
          cubicInterpolationMode: "monotone",
          borderWidth: 2,
          pointRadius: minutes.length > 45 ? 0 : 3,
          pointHoverRadius: 4,
          pointHitRadius: 8,
        }],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        onResize: fitXTicks,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) { return titles[items[0].dataIndex]; },
              label: function (item) { return " " + duration(minutes[item.dataIndex]); },
            },
          },
        },
        scales: {
          x: {
            grid: { display: false },
            ticks: { maxTicksLimit: ticksFor(this.canvas.parentNode.clientWidth), maxRotation: 0, autoSkipPadding: 12 },
          },
          y: { beginAtZero: true, ticks: { maxTicksLimit: 5, callback: axis.tick } },
        },
      },
    });
  }

  function renderBreakdown(data) {
    const items = data.items || [];
    if (!items.length) {
      return BREAKDOWN_EMPTY[data.by] || false;
    }
    const color = BREAKDOWN_COLORS[data.by] || "#007bff";
    const minutes = items.map(function (item) { return item.minutes; });
    const labels = items.map(function (item) { return item.label; });
    const axis = minutesAxis(Math.max.apply(null, minutes));
    this.draw({
      type: "bar",
      data: {
        labels: labels,
        datasets: [{
          label: "Time",
          data: minutes.map(axis.value),
          backgroundColor: alpha(color, 0.75),
          hoverBackgroundColor: color,
          borderRadius: 3,
          maxBarThickness: 24,
        }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        onResize: fitXTicks,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (tips) { return labels[tips[0].dataIndex]; },
              label: function (tip) { return " " + duration(minutes[tip.dataIndex]); },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { maxTicksLimit: ticksFor(this.canvas.parentNode.clientWidth), callback: axis.tick },
          },
          y: {
            grid: { display: false },
            ticks: {
              autoSkip: false,
              // Long names are cut on phones; the tooltip has them in full.
              callback: function (value) {
                const label = this.getLabelForValue(value);
                const room = this.chart.width < 420 ? 14 : 28;
                return label.length > room ? label.slice(0, room - 1) + "…" : label;
              },
            },
          },
        },
      },
    });
  }

  // Colour steps scaled to the user's own busy days (at least an hour), rounded to 20 minutes.
  function heatScale(minutes) {
    const busy = minutes.filter(function (m) { return m > 0; }).sort(function (a, b) { return a - b; });
    const p90 = busy.length ? busy[Math.floor((busy.length - 1) * 0.9)] : 60;
    const top = Math.max(60, Math.ceil(p90 / 20) * 20);
    const bounds = [top / 4, top / 2, (3 * top) / 4];
    return {
      color: function (m) {
        if (!m) {
          return HEAT_EMPTY;
        }
        let step = 0;
        while (step < bounds.length && m > bounds[step]) {
          step += 1;
        }
        return HEAT_STEPS[step];
      },
      labels: ["0", "1–" + bounds[0], bounds[0] + "–" + bounds[1], bounds[1] + "–" + bounds[2], bounds[2] + "+ min"],
    };
  }

  function renderHeatmapLegend(labels) {
    const legend = document.getElementById("heatmap-legend");
    legend.textContent = "";
    [HEAT_EMPTY].concat(HEAT_STEPS).forEach(function (color, i) {
      const item = document.createElement("span");
      item.className = "heatmap-legend-item";
      const swatch = document.createElement("span");
      swatch.className = "heatmap-swatch";
      swatch.style.backgroundColor = color;
      item.append(swatch, labels[i]);
      legend.appendChild(item);
    });
  }

  function renderHeatmap(data) {
    const days = data.days || [];
    document.getElementById("heatmap-caption").textContent =
      "365 days to " + shortDay(parseDay(data.end) || state.range.end, true);
    if (!days.some(function (d) { return d.minutes > 0; })) {
      document.getElementById("heatmap-legend").textContent = "";
      return false;
    }
    const first = parseDay(days[0].date);
    const lead = (first.getUTCDay() + 6) % 7; // weekday of the first day, Monday = 0
    const cells = days.map(function (d, i) {
      const day = parseDay(d.date);
      return { x: Math.floor((i + lead) / 7), y: (day.getUTCDay() + 6) % 7, day: day, minutes: d.minutes };
    });
    const weeks = cells[cells.length - 1].x + 1;
    // A month label over the first column holding that month's 1st (skipping a cut-off first month).
    const monthTicks = [];
    const monthNames = {};
    cells.forEach(function (cell) {
      if (cell.day.getUTCDate() === 1 && cell.x > 0 && !(cell.x in monthNames)) {
        monthTicks.push({ value: cell.x });
        monthNames[cell.x] = MONTHS[cell.day.getUTCMonth()];
      }
    });
    const scale = heatScale(days.map(function (d) { return d.minutes; }));
    function cellSize(chart) {
      const area = chart.chartArea;
      return area ? Math.max(2, Math.min(area.width / weeks, area.height / 7) - 3) : 8;
    }
    renderHeatmapLegend(scale.labels);
    this.draw({
      type: "matrix",
      data: {
        datasets: [{
          label: "Minutes",
          data: cells,
          backgroundColor: function (ctx) { return ctx.raw ? scale.color(ctx.raw.minutes) : HEAT_EMPTY; },
          borderWidth: 0,
          borderRadius: 2,
          width: function (ctx) { return cellSize(ctx.chart); },
          height: function (ctx) { return cellSize(ctx.chart); },
        }],
      },
      options: {
        // Height follows width so the cells stay square: 7 rows plus room for the month labels.
        maintainAspectRatio: true,
        aspectRatio: weeks / 9,
        animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              title: function () { return ""; },
              label: function (tip) { return longDay(tip.raw.day) + ": " + duration(tip.raw.minutes); },
            },
          },
        },
        scales: {
          x: {
            type: "linear",
            position: "top",
            min: -0.5,
            max: weeks - 0.5,
            offset: false,
            grid: { display: false },
            border: { display: false },
            afterBuildTicks: function (axis) { axis.ticks = monthTicks; },
            ticks: { autoSkip: false, maxRotation: 0, callback: function (value) { return monthNames[value]; } },
          },
          y: {
            type: "linear",
            reverse: true,
            min: -0.5,
            max: 6.5,
            offset: false,
            grid: { display: false },
            border: { display: false },
            afterBuildTicks: function (axis) { axis.ticks = [{ value: 0 }, { value: 2 }, { value: 4 }, { value: 6 }]; },
            ticks: { callback: function (value) { return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][value]; } },
          },
        },
      },
    });
    showRecentWeeks(this.card);
  }

  // Phones scroll the year sideways: start at the most recent weeks.
  function showRecentWeeks(card) {
    const scroller = card.querySelector(".heatmap-scroll");
    scroller.scrollLeft = scroller.scrollWidth;
  }

  function renderRatings(data) {
    const points = (data.points || []).map(function (p) {
      return Object.assign({ x: dayNumber(parseDay(p.date)) }, p);
    });
    if (!points.length) {
      return "No mood or quality ratings in this range yet.";
    }
    function series(field) {
      return points.map(function (p) { return { x: p.x, y: p[field] }; });
    }
    const dot = points.length > 90 ? 2 : 3;
    const manyYears = fromDayNumber(points[0].x).getUTCFullYear() !== fromDayNumber(points[points.length - 1].x).getUTCFullYear();
    const first = state.range.start ? dayNumber(state.range.start) : points[0].x;
    const last = dayNumber(state.range.end);
    this.draw({
      type: "line",
      data: {
        datasets: [
          { label: "Mood, 7-day average", data: series("mood_avg"), borderColor: MOOD_COLOR, backgroundColor: MOOD_COLOR,
            borderWidth: 2, pointRadius: 0, cubicInterpolationMode: "monotone", spanGaps: true },
          { label: "Quality, 7-day average", data: series("quality_avg"), borderColor: QUALITY_COLOR, backgroundColor: QUALITY_COLOR,
            borderWidth: 2, pointRadius: 0, cubicInterpolationMode: "monotone", spanGaps: true },
          { label: "Mood, day", data: series("mood"), showLine: false, borderColor: MOOD_COLOR,
            backgroundColor: alpha(MOOD_COLOR, 0.45), pointRadius: dot, clip: false },
          { label: "Quality, day", data: series("quality"), showLine: false, borderColor: QUALITY_COLOR,
            backgroundColor: alpha(QUALITY_COLOR, 0.45), pointRadius: dot, clip: false },
        ],
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        onResize: fitXTicks,
        plugins: {
          legend: { position: "bottom", labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 } },
          tooltip: {
            filter: function (tip) { return tip.raw.y !== null && tip.raw.y !== undefined; },
            callbacks: {
              title: function (tips) { return tips.length ? longDay(fromDayNumber(tips[0].raw.x)) : ""; },
              label: function (tip) { return " " + tip.dataset.label + ": " + tip.raw.y.toFixed(1); },
            },
          },
        },
        scales: {
          x: {
            type: "linear",
            min: first,
            max: Math.max(last, first + 1),
            grid: { display: false },
            // Evenly spaced days from the range's first day, as many as fit.
            afterBuildTicks: function (axis) {
              const count = Math.max(2, axis.options.ticks.maxTicksLimit);
              const step = Math.max(1, Math.ceil((axis.max - axis.min) / (count - 1)));
              axis.ticks = [];
              for (let day = axis.min; day <= axis.max; day += step) {
                axis.ticks.push({ value: day });
              }
            },
            ticks: {
              maxRotation: 0,
              maxTicksLimit: ticksFor(this.canvas.parentNode.clientWidth),
              callback: function (value) { return shortDay(fromDayNumber(value), manyYears); },
            },
          },
          y: { min: 1, max: 5, ticks: { stepSize: 1 } },
        },
      },
    });
  }

  // ---- The page

  const form = document.getElementById("range-form");
  const startInput = document.getElementById("range-start");
  const endInput = document.getElementById("range-end");
  const rangeError = document.getElementById("range-error");
  const caption = document.getElementById("range-caption");
  const exportLink = document.getElementById("export-csv");
  const presetButtons = Array.prototype.slice.call(form.querySelectorAll("[data-range]"));
  const bucketButtons = Array.prototype.slice.call(document.querySelectorAll("#chart-timeseries [data-bucket]"));

  const summary = new Panel(document.getElementById("summary"));
  const timeseries = new Panel(document.getElementById("chart-timeseries"));
  const heatmap = new Panel(document.getElementById("chart-heatmap"));
  const ratings = new Panel(document.getElementById("chart-ratings"));
  const breakdowns = Array.prototype.map.call(document.querySelectorAll('[data-panel="breakdown"]'), function (card) {
    return { by: card.dataset.by, panel: new Panel(card) };
  });

  let state = readState();

  // A new width (a turned phone) shows the recent weeks again; a height change alone (a
  // phone's address bar hiding while the page scrolls) leaves the reader's place alone.
  let lastWidth = window.innerWidth;
  window.addEventListener("resize", function () {
    if (window.innerWidth !== lastWidth) {
      lastWidth = window.innerWidth;
      showRecentWeeks(heatmap.card);
    }
  });

  function setPressed(buttons, attribute, value) {
    buttons.forEach(function (button) {
      const on = button.getAttribute(attribute) === value;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function showRange() {
    const range = state.range;
    setPressed(presetButtons, "data-range", range.key);
    startInput.value = range.start ? isoDay(range.start) : "";
    endInput.value = isoDay(range.end);
    startInput.classList.remove("is-invalid");
    startInput.removeAttribute("aria-invalid");
    rangeError.hidden = true;
    caption.textContent = range.start
      ? shortDay(range.start, true) + " – " + shortDay(range.end, true)
      : "All time to " + shortDay(range.end, true);
    exportLink.href = API + "/export.csv?" + rangeQuery();
  }

  function loadTimeseries() {
    const bucket = currentBucket();
    setPressed(bucketButtons, "data-bucket", bucket);
    timeseries.load(API + "/timeseries?" + rangeQuery({ bucket: bucket }), renderTimeseries);
  }

  // One request answers every breakdown card (its `groups`: kind -> items).
  let breakdownRequest = null;

  function loadBreakdowns() {
    if (breakdownRequest) {
      breakdownRequest.abort();
    }
    breakdownRequest = new AbortController();
    const all = fetchJSON(API + "/breakdown?" + rangeQuery(), breakdownRequest.signal);
    breakdowns.forEach(function (b) {
      const mine = all.then(function (data) {
        return { by: b.by, items: (data.groups || {})[b.by] || [] };
      });
      b.panel.load(mine, renderBreakdown);
    });
  }

  function loadAll() {
    showRange();
    summary.load(API + "/summary?" + rangeQuery(), renderSummary);
    loadTimeseries();
    loadBreakdowns();
    heatmap.load(API + "/heatmap?end=" + isoDay(state.range.end), renderHeatmap);
    ratings.load(API + "/ratings?" + rangeQuery(), renderRatings);
  }

  presetButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      state.range = presetRange(button.getAttribute("data-range"));
      writeState();
      loadAll();
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const start = parseDay(startInput.value);
    const end = parseDay(endInput.value);
    if (!start || !end || start > end) {
      startInput.classList.add("is-invalid");
      startInput.setAttribute("aria-invalid", "true");
      rangeError.textContent = !start || !end
        ? "Pick both a start and an end date."
        : "The start date must be on or before the end date.";
      rangeError.hidden = false;
      return;
    }
    state.range = { key: "custom", start: start, end: end };
    writeState();
    loadAll();
  });

  bucketButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      state.bucket = button.getAttribute("data-bucket");
      writeState();
      loadTimeseries();
    });
  });

  window.addEventListener("popstate", function () {
    state = readState();
    loadAll();
  });

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#6c757d";
  Chart.defaults.borderColor = "rgba(0, 0, 0, 0.07)";
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  loadAll();
})();
