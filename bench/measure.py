"""Latency, SQL statement counts and export memory of requests made through Flask's test client."""

import os
import resource
import statistics
import time
import tracemalloc
from dataclasses import dataclass

from sqlalchemy import event

from tracker.figures.cache import forget_user

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class QueryCounter:
    """Counts the SQL statements an engine sends (every statement, including the export's)."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1


@dataclass(frozen=True)
class Sample:
    """Latency percentiles (ms) and SQL statements per request over one series of requests."""

    p50: float
    p95: float
    queries: tuple
    size: int

    @property
    def query_text(self):
        """The statement count, or its range when it varied between requests."""
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


def p95(values):
    """95th percentile (linear interpolation between the closest ranks)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def fetch(client, path):
    """GET path and consume the body chunk by chunk, as a WSGI server would; return its size."""
    response = client.get(path)
    size = 0
    try:
        for chunk in response.iter_encoded():
            size += len(chunk)
    finally:
        response.close()
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return size


def paired_series(app, counter, targets, cached, repeats, warmup=3):
    """Time `repeats` requests per target after `warmup`, alternating between the targets.

    targets: {key: (client, user_id, path)}. Alternating request by request means a machine
    that speeds up or slows down during the run affects every target alike, so their ratio
    holds. Uncached forgets the user's figures before each request. Returns {key: Sample}.
    """
    timings = {key: [] for key in targets}
    queries = {key: [] for key in targets}
    sizes = dict.fromkeys(targets, 0)
    for index in range(warmup + repeats):
        for key, (client, user_id, path) in targets.items():
            if not cached:
                with app.app_context():
                    forget_user(user_id)
            counter.count = 0
            started = time.perf_counter()
            sizes[key] = fetch(client, path)
            elapsed = (time.perf_counter() - started) * 1000
            if index >= warmup:
                timings[key].append(elapsed)
                queries[key].append(counter.count)
    return {
        key: Sample(
            statistics.median(timings[key]), p95(timings[key]), tuple(queries[key]), sizes[key]
        )
        for key in targets
    }


def _rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_BYTES


@dataclass(frozen=True)
class ExportMemory:
    """Memory growth while one export streams: Python allocations and the process's RSS."""

    traced_peak_mb: float
    rss_growth_mb: float
    maxrss_growth_mb: float
    seconds: float
    size: int

    @property
    def worst_mb(self):
        """The larger of the two growth measures."""
        return max(self.traced_peak_mb, self.rss_growth_mb)


def export_memory(client, path):
    """Stream one export under tracemalloc, sampling RSS after every chunk."""
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss_before = peak_rss = _rss_bytes()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    response = client.get(path)
    size = 0
    try:
        for chunk in response.iter_encoded():
            size += len(chunk)
            peak_rss = max(peak_rss, _rss_bytes())
    finally:
        response.close()
        traced_peak = tracemalloc.get_traced_memory()[1] - baseline
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mib = 1024 * 1024
    return ExportMemory(
        traced_peak_mb=traced_peak / mib,
        rss_growth_mb=(peak_rss - rss_before) / mib,
        maxrss_growth_mb=(maxrss_after - maxrss_before) / 1024,  # ru_maxrss is in KiB
        seconds=seconds,
        size=size,
    )
