"""The results table (markdown) with targets, and RESULTS.md with the machine it ran on."""

import os
import platform
from datetime import UTC
from datetime import datetime

import benchenv
from sqlalchemy.engine import make_url

GROWTH_LIMIT = 1.5
EXPORT_SECONDS = 2.0
EXPORT_MEGABYTES = 50
THROUGHPUT_RATIO = 0.5
# The practice log against a stock Flask-Admin list, an empty app page against a stock one.
LOG_STOCK_RATIO = 2.0
LAYOUT_STOCK_RATIO = 0.8
# name -> (label, {mode: p95 limit in ms for both users})
REQUESTS = {
    "dashboard": ("Dashboard `/app/`", {"uncached": 50, "cached": 10}),
    "log": ("Practice log page 1", {}),
    "filtered": ("Practice log, last 365 days + focus area", {}),
    "timeseries": ("Analytics JSON `timeseries?bucket=day`, all time", {"uncached": 80}),
    "sessions": ("Sessions JSON `/api/v1/sessions` page 1", {}),
    "up_next": ("Up next JSON `/api/v1/up-next`", {"uncached": 50}),
    "export": ("CSV export `export.csv`, all time", {}),
    "search_sessions": ("Search JSON, a word in 1 % of the sessions", {"uncached": 50}),
    "search_resource": ("Search JSON, a word in one explanation", {"uncached": 50}),
}
# BENCH_ONLY name of the practice log's Export button (run.measure_log_export).
LOG_EXPORT = "log_export"
# Requests whose work grows with the goals, pieces and sections: also measured for the heavy
# user's twin (its items, 300 sessions), whose ratio is the growth with the log alone.
WITH_TWIN = ("dashboard", "up_next")


def verdict(ok):
    """pass / miss, the miss in bold so it stands out."""
    return "pass" if ok else "**miss**"


def _ms(sample):
    return f"{sample.p50:.1f} / {sample.p95:.1f}"


def _latency_rows(name, label, limits, latency):
    rows = []
    for mode in ("uncached", "cached"):
        light, heavy = latency[name, "light"][mode], latency[name, "heavy"][mode]
        target, result = "—", ""
        if mode in limits:
            limit = limits[mode]
            target = f"p95 ≤ {limit} ms"
            result = verdict(max(light.p95, heavy.p95) <= limit)
        elif name == "export" and mode == "uncached":
            target = f"heavy (50,000 rows) p95 ≤ {EXPORT_SECONDS:g} s"
            result = verdict(heavy.p95 <= EXPORT_SECONDS * 1000)
        rows.append([f"{label}: p50 / p95 {mode} (ms)", _ms(light), _ms(heavy), target, result])
    return rows


def _query_row(name, label, latency):
    def counts(kind):
        samples = latency[name, kind]
        return samples["uncached"].query_text, samples["cached"].query_text

    same = counts("light") == counts("heavy")
    return [
        f"{label}: SQL statements uncached / cached",
        " / ".join(counts("light")),
        " / ".join(counts("heavy")),
        "light = heavy",
        verdict(same),
    ]


def _growth_row(name, label, latency, reference="light"):
    """Heavy against the light user, or against its twin (same items, a light user's log)."""
    base, heavy = latency[name, reference]["uncached"], latency[name, "heavy"]["uncached"]
    ratio = heavy.p95 / base.p95
    result = verdict(ratio <= GROWTH_LIMIT)
    if reference == "light" and name in WITH_TWIN:
        # Ten times the items as well as the log: the twin's row below judges the log.
        result = "items ×10: see twin"
    words = "twin (same items, 300 sessions)" if reference == "twin" else "light"
    return [
        f"{label}: growth heavy / {words} (p95 uncached; p50 in brackets)",
        "",
        f"{ratio:.2f}× ({heavy.p50 / base.p50:.2f}×)",
        f"≤ {GROWTH_LIMIT}×",
        result,
    ]


def _export_growth_row(label, latency, rows_exported):
    """The export answers with every session, so its growth is compared per exported row."""
    light, heavy = latency["export", "light"]["uncached"], latency["export", "heavy"]["uncached"]
    light_rows, heavy_rows = rows_exported
    per_row = (heavy.p95 / heavy_rows) / (light.p95 / light_rows)
    return [
        f"{label}: growth heavy / light per exported row (p95 uncached; whole export in brackets)",
        f"{light_rows:,} rows",
        f"{heavy_rows:,} rows: {per_row:.2f}× ({heavy.p95 / light.p95:.1f}×)",
        f"≤ {GROWTH_LIMIT}× per row",
        verdict(per_row <= GROWTH_LIMIT),
    ]


def rows(latency, export=None, load=None, rows_exported=None):
    """Every figure measured, with its target and verdict, as table rows.

    rows_exported: (light, heavy) rows in the all-time export, one per session. A run of some
    requests only (BENCH_ONLY) has no export memory or throughput: export and load are None.
    """
    table = []
    for name, (label, limits) in REQUESTS.items():
        if (name, "light") not in latency:
            continue
        table += _latency_rows(name, label, limits, latency)
        table.append(_query_row(name, label, latency))
        if name == "export":
            table.append(_export_growth_row(label, latency, rows_exported))
        else:
            table.append(_growth_row(name, label, latency))
        if (name, "twin") in latency:
            table.append(_growth_row(name, label, latency, "twin"))
    if export is not None:
        table.append(_export_memory_row(export))
    if load is not None:
        table += _throughput_rows(load)
        table += _stock_reference_rows(load)
    return table


# Requests whose growth to the huge user (500,000 sessions, the heavy user's items) is judged.
HUGE_GROWTH = (
    "dashboard",
    "log",
    "filtered",
    "timeseries",
    "up_next",
    "search_sessions",
    "search_resource",
)


def huge_growth_rows(growth):
    """Growth from the light user (or the twin) to the huge user, p95 uncached, per request.

    growth: {(name, kind): Sample} for kinds light, huge and, for WITH_TWIN, twin, measured
    in alternating turns. Like the heavy user's rows, the requests whose work grows with the
    items are judged against the twin (the same items, a light user's log).
    """
    table = []
    for name in HUGE_GROWTH:
        if (name, "huge") not in growth:
            continue
        huge = growth[name, "huge"]
        for reference in ("light", "twin"):
            if (name, reference) not in growth:
                continue
            base = growth[name, reference]
            ratio = huge.p95 / base.p95
            result = verdict(ratio <= GROWTH_LIMIT)
            if reference == "light" and (name, "twin") in growth:
                result = "items ×10: see twin"
            words = "twin (same items, 300 sessions)" if reference == "twin" else "light"
            table.append(
                [
                    f"{REQUESTS[name][0]}: growth huge (500,000 sessions) / {words} "
                    "(p95 uncached ms; p50 ratio in brackets)",
                    f"{base.p95:.1f}",
                    f"{huge.p95:.1f}: {ratio:.2f}× ({huge.p50 / base.p50:.2f}×)",
                    f"≤ {GROWTH_LIMIT}×",
                    result,
                ]
            )
    return table


FULL_CACHE_RATIO = 0.8


def full_cache_rows(cache_load, cache_type):
    """Uncached dashboard throughput with every worker's cache empty and full (load.py)."""
    ratio = cache_load["full"] / cache_load["empty"]
    return [
        [f"Throughput `/app/` uncached, heavy, empty cache (req/s; {cache_type})", "",
         f"{cache_load['empty']:.1f}", "—", ""],
        ["Throughput `/app/` uncached, heavy, cache full to its threshold (req/s)", "",
         f"{cache_load['full']:.1f}", "—", ""],
        ["Throughput with a full cache / an empty one", "", f"{ratio:.2f}",
         f"≥ {FULL_CACHE_RATIO}", verdict(ratio >= FULL_CACHE_RATIO and cache_load["errors"] == 0)],
    ]  # fmt: skip


def _export_memory_row(export):
    return [
        "CSV export, heavy: memory growth while streaming (tracemalloc peak / RSS)",
        "",
        f"{export.traced_peak_mb:.1f} MB / {export.rss_growth_mb:.1f} MB",
        f"≤ {EXPORT_MEGABYTES} MB",
        verdict(export.worst_mb <= EXPORT_MEGABYTES),
    ]


def log_export_rows(log_export, rows_exported):
    """The practice log's Export button: seconds, memory, statements light against heavy.

    log_export: ({kind: Sample}, ExportMemory) from run.measure_log_export, or None.
    """
    if log_export is None:
        return []
    samples, memory = log_export
    light, heavy = samples["light"], samples["heavy"]
    label = "Practice log Export button `/app/practice_session/export/csv/`"
    return [
        [
            f"{label}: p50 / p95 uncached (ms)",
            f"{rows_exported[0]:,} rows: {_ms(light)}",
            f"{rows_exported[1]:,} rows: {_ms(heavy)}",
            f"heavy p95 ≤ {EXPORT_SECONDS:g} s",
            verdict(heavy.p95 <= EXPORT_SECONDS * 1000),
        ],
        [
            f"{label}: memory growth while streaming, heavy (tracemalloc peak / RSS)",
            "",
            f"{memory.traced_peak_mb:.1f} MB / {memory.rss_growth_mb:.1f} MB",
            f"≤ {EXPORT_MEGABYTES} MB",
            verdict(memory.worst_mb <= EXPORT_MEGABYTES),
        ],
        [
            f"{label}: SQL statements",
            light.query_text,
            heavy.query_text,
            "light = heavy",
            verdict(light.queries == heavy.queries),
        ],
    ]


def _throughput_rows(load):
    ratio = load["dashboard"] / load["bare"]
    errors = load["dashboard_errors"] + load["bare_errors"]
    return [
        ["Throughput `/app/`, heavy user (req/s)", "", f"{load['dashboard']:.0f}", "—", ""],
        ["Throughput `/bench/bare` (req/s)", "", f"{load['bare']:.0f}", "—", ""],
        [
            "Throughput dashboard / bare",
            "",
            f"{ratio:.2f}",
            f"≥ {THROUGHPUT_RATIO}",
            verdict(ratio >= THROUGHPUT_RATIO and errors == 0),
        ],
    ]


def _stock_reference_rows(load):
    """The log and an empty app page, each against its stock Flask-Admin reference."""
    rows = []
    pairs = (
        (
            "log",
            "stock_list",
            "Throughput practice log page 1 / stock Flask-Admin list",
            LOG_STOCK_RATIO,
        ),
        (
            "app_empty",
            "stock_empty",
            "Throughput empty app page / empty stock Flask-Admin page",
            LAYOUT_STOCK_RATIO,
        ),
    )
    for page, stock, label, target in pairs:
        ratio = load[page] / load[stock]
        errors = load[f"{page}_errors"] + load[f"{stock}_errors"]
        rows.append(
            [
                f"{label} (req/s)",
                "",
                f"{load[page]:.0f} / {load[stock]:.0f} = {ratio:.2f}",
                f"≥ {target}",
                verdict(ratio >= target and errors == 0),
            ]
        )
    return rows


def markdown(table):
    """The rows as one markdown table."""
    header = ["Measure", "Light", "Heavy", "Target", "Result"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in table]
    return "\n".join(lines)


def _cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram():
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def command_line():
    """The command that produced the results, with the server URL (password hidden)."""
    source = benchenv.url_source()
    prefix = ""
    if source:
        url = make_url(os.environ[source]).render_as_string(hide_password=True)
        prefix = f"{source}={url} "
    return prefix + os.environ.get("BENCH_COMMAND", "python bench/seed.py && python bench/run.py")


def machine(postgres_version, load_before):
    """Machine details as markdown bullet lines; load_before is os.getloadavg() at the start."""
    load_after = os.getloadavg()
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores",
        # Other work on the machine shows up in every figure; the load average tells how much.
        f"- Load average (1 min) at start / end: {load_before[0]:.2f} / {load_after[0]:.2f}",
        f"- RAM: {_ram()}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, PostgreSQL {postgres_version}",
        f"- Command: `{command_line()}`",
    ]


def write_results(path, table_text, machine_lines, notes):
    """Write RESULTS.md: the table, the machine, notes on how each figure was taken."""
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Generated by `make bench` (bench/run.py); see bench/README.md.",
            "",
            *machine_lines,
            "",
            table_text,
            "",
            "## Notes",
            "",
            *[f"- {note}" for note in notes],
            "",
        ]
    )
    path.write_text(text)
