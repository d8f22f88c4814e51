"""Benchmark the seeded app: latency, SQL statements, export memory, throughput → RESULTS.md.

Run bench/seed.py first. A full run ends with the page weights in Chromium (page_weight.py).
BENCH_REPEATS (default 30) sets the timed requests per series, BENCH_LOAD_SECONDS (default 20)
the length of each throughput run. BENCH_ONLY=up_next,dashboard measures those requests only
(names as in report.REQUESTS) and prints their rows, without the export's memory, the
throughput runs, the page weights or a new RESULTS.md.
"""

import json
import os
import re
import sys
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import benchenv
import load
import measure
import page_weight
import report
from sqlalchemy import text

from tracker.extensions import db

REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "20"))
ONLY = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
LIGHT_SESSIONS = 300
FILTER_DAYS = 365
FILTER_DATA = re.compile(r'id="filter-groups-data"[^>]*>(.*?)</div>', re.S)
# The practice log's own Export button (Flask-Admin's export of the list, every session).
LOG_EXPORT_PATH = "/app/practice_session/export/csv/"
LOG_EXPORT_REPEATS = int(os.environ.get("BENCH_LOG_EXPORT_REPEATS", "5"))


@dataclass(frozen=True)
class BenchUser:
    """A seeded user to measure as."""

    kind: str
    id: int
    email: str
    timezone: str
    sessions: int


USER_QUERY = """
SELECT u.id, u.email, u.timezone, count(*) AS sessions
  FROM users u JOIN practice_sessions s ON s.user_id = u.id
 WHERE CASE u.email WHEN :heavy THEN 'heavy' WHEN :twin THEN 'twin' ELSE 'light' END = :kind
 GROUP BY u.id
 ORDER BY abs(count(*) - :sessions), u.id
 LIMIT 1
"""


def pick_users():
    """The light user closest to LIGHT_SESSIONS sessions, the heavy user and its twin."""
    users = []
    for kind in ("light", "heavy", "twin"):
        params = {
            "heavy": benchenv.HEAVY_EMAIL,
            "twin": benchenv.TWIN_EMAIL,
            "kind": kind,
            "sessions": LIGHT_SESSIONS,
        }
        row = db.session.execute(text(USER_QUERY), params).one_or_none()
        if row is None:
            sys.exit("The bench database is not seeded: run bench/seed.py first.")
        users.append(BenchUser(kind, *row))
    return users


HUGE_QUERY = """
SELECT u.id, u.email, u.timezone, count(*) AS sessions
  FROM users u JOIN practice_sessions s ON s.user_id = u.id
 WHERE u.email = :email
 GROUP BY u.id
"""


def pick_huge():
    """The huge user (500,000 sessions), or None in a database seeded before it existed."""
    row = db.session.execute(text(HUGE_QUERY), {"email": benchenv.HUGE_EMAIL}).one_or_none()
    return None if row is None else BenchUser("huge", *row)


def login(app, email):
    """A test client signed in through the real login form."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": benchenv.PASSWORD})
    if response.status_code != 302:
        sys.exit(f"Login as {email} failed ({response.status_code}).")
    return client


def filtered_log_path(client, user):
    """The practice log filtered to the user's last FILTER_DAYS local days and one focus area.

    A year, so page 1 is full (20 rows) for the light user too: growth then compares the
    same page over 300 and 50,000 sessions, not 6 rows with 20.

    Filter arguments come from the page's own #filter-groups-data, as the browser builds them.
    """
    html = client.get("/app/practice_session/").get_data(as_text=True)
    groups = json.loads(FILTER_DATA.search(html).group(1))
    between = next(f for f in groups["Date"] if f["operation"] == "between")
    focus = groups["Focus area"][0]
    today = datetime.now(ZoneInfo(user.timezone)).date()
    start = today - timedelta(days=FILTER_DAYS - 1)
    query = urllib.parse.urlencode(
        {
            f"flt0_{between['arg']}": f"{start.isoformat()} to {today.isoformat()}",
            f"flt1_{focus['arg']}": focus["options"][0][0],
        }
    )
    return f"/app/practice_session/?{query}"


def paths_for(client, user):
    """name -> path of every measured request, for this user."""
    return {
        "dashboard": "/app/",
        "log": "/app/practice_session/",
        "filtered": filtered_log_path(client, user),
        "timeseries": "/api/v1/stats/timeseries?bucket=day",
        "sessions": "/api/v1/sessions",
        "up_next": "/api/v1/up-next",
        "export": "/api/v1/stats/export.csv",
        # bench/seed_sql.py SEARCH_WORDS: in 1 % of the sessions, and in one explanation.
        "search_sessions": "/api/v1/search?q=tremolo",
        "search_resource": "/api/v1/search?q=campanella",
    }


def measure_latency(app, counter, users, names=None):
    """Both users, the requests named (all by default), uncached then cached.

    Returns (latency, the heavy export's memory, or None when the export is not measured).
    The light and the heavy user's requests alternate (measure.paired_series), so the
    growth ratio compares requests made under the same conditions.
    """
    clients = {user.kind: login(app, user.email) for user in users}
    paths = {user.kind: paths_for(clients[user.kind], user) for user in users}
    names = names or list(report.REQUESTS)
    export = None
    if "export" in names:
        heavy_export = paths["heavy"]["export"]
        measure.fetch(clients["heavy"], heavy_export)
        export = measure.export_memory(clients["heavy"], heavy_export)
    latency = {}
    for name in names:
        # The twin only where the work grows with the items (report.WITH_TWIN).
        measured = [u for u in users if u.kind != "twin" or name in report.WITH_TWIN]
        targets = {
            user.kind: (clients[user.kind], user.id, paths[user.kind][name]) for user in measured
        }
        by_mode = {
            mode: measure.paired_series(app, counter, targets, mode == "cached", REPEATS)
            for mode in ("uncached", "cached")
        }
        for user in measured:
            samples = {mode: by_mode[mode][user.kind] for mode in by_mode}
            latency[name, user.kind] = samples
            print(
                f"  {user.kind:<6}{name:<11}"
                + "  ".join(
                    f"{mode} p50 {s.p50:7.1f} p95 {s.p95:7.1f} ms q {s.query_text:>5}"
                    for mode, s in samples.items()
                )
                + f"  {samples['cached'].size:>10,} B",
                flush=True,
            )
    return latency, export


def measure_huge_growth(app, counter, users, huge, names=None):
    """p95 uncached of the light user, the twin and the huge user, in alternating turns.

    Only the requests of report.HUGE_GROWTH (those named, when names are given); the twin
    only where the work grows with the items (report.WITH_TWIN). Returns {(name, kind): Sample}.
    """
    measured = [user for user in users if user.kind in ("light", "twin")] + [huge]
    clients = {user.kind: login(app, user.email) for user in measured}
    paths = {user.kind: paths_for(clients[user.kind], user) for user in measured}
    growth = {}
    for name in report.HUGE_GROWTH:
        if names and name not in names:
            continue
        targets = {
            user.kind: (clients[user.kind], user.id, paths[user.kind][name])
            for user in measured
            if user.kind != "twin" or name in report.WITH_TWIN
        }
        for kind, sample in measure.paired_series(app, counter, targets, False, REPEATS).items():
            growth[name, kind] = sample
        print(
            f"  growth {name:<16}"
            + "  ".join(
                f"{kind} p50 {growth[name, kind].p50:7.1f} p95 {growth[name, kind].p95:7.1f} ms"
                for kind in targets
            ),
            flush=True,
        )
    return growth


def measure_log_export(app, counter, users):
    """The practice log's Export button for the light and the heavy user, alternating.

    Returns ({kind: Sample} uncached, the heavy export's memory while it streams).
    """
    measured = [user for user in users if user.kind != "twin"]
    clients = {user.kind: login(app, user.email) for user in measured}
    targets = {user.kind: (clients[user.kind], user.id, LOG_EXPORT_PATH) for user in measured}
    samples = measure.paired_series(app, counter, targets, False, LOG_EXPORT_REPEATS, warmup=1)
    memory = measure.export_memory(clients["heavy"], LOG_EXPORT_PATH)
    for kind, sample in samples.items():
        print(
            f"  {kind:<6}log export  p50 {sample.p50:7.1f} p95 {sample.p95:7.1f} ms "
            f"q {sample.query_text:>5}  {sample.size:>10,} B",
            flush=True,
        )
    return samples, memory


def notes(users, latency, export, load_result):
    """How the figures were taken, for RESULTS.md."""
    light, heavy, twin = users

    def growth(name):
        return latency[name, "heavy"]["cached"].size / latency[name, "light"]["cached"].size

    sizes = ", ".join(
        f"{name} {latency[name, 'light']['cached'].size:,} / "
        f"{latency[name, 'heavy']['cached'].size:,} B"
        for name in report.REQUESTS
    )
    return [
        f"Light user: {light.email} ({light.sessions} sessions, {light.timezone}); heavy user: "
        f"{heavy.email} ({heavy.sessions:,} sessions, {heavy.timezone}); its twin: "
        f"{twin.email} (the heavy user's 3 instruments, 30 goals, 40 pieces and their "
        f"sections, with {twin.sessions} sessions). 1,000 light users, the heavy one and the "
        "twin share the database.",
        f"Latency: Flask test client in one process, full request including reading the body; "
        f"{REPEATS} timed requests per series after 3 warm-ups, the light and the heavy "
        "user's requests alternating so both see the same machine. Uncached calls "
        "forget_user(user_id) before each request; cached runs with the warm per-user cache "
        "(the app's default cache: see the full-cache rows).",
        "SQL statements: every statement on db.engine during the request "
        "(before_cursor_execute), the export's streaming connection included.",
        "Up next: uncached forgets the figure cache, which Up next does not use; it reads the "
        "stored review states, current after the warm-ups as after any page view (a write "
        "marks only its own items for recomputing).",
        "Growth with the log: Up next and the dashboard's guidance score every goal, piece "
        "and section, and the heavy user has about ten times a light user's items (204 "
        "against 21), so heavy / light measures the items and the log together. Heavy / twin "
        "compares the same items with 300 and 50,000 sessions: the log's length alone, which "
        "is what the growth target is about; both figures are in the table.",
        "Search, a word in 1 % of the sessions: about 3 matches for the light user, 500 for "
        "the heavy one and 5,000 for the huge one, and all of them are ranked (search is "
        "exact), so this search grows with the matches: finding the huge user's 5,000 rows "
        "alone takes PostgreSQL about 2 ms, against 0.1 ms for 3. The word in one "
        "explanation is the same search with a count of matches that does not grow.",
        f"Response sizes light / heavy: {sizes}. The all-time daily series answers with one "
        f"number per day since the first session ({growth('timeseries'):.1f}× the bytes: "
        "ten years of days against two), read from the per-day rollup as two PostgreSQL "
        "arrays and zero-filled in one pass. The export has one row per session "
        f"({growth('export'):.0f}× the bytes), so its growth is compared per exported row; "
        "the whole export is bounded by the 2 s target.",
        f"CSV export memory: one heavy export consumed chunk by chunk under tracemalloc (peak of "
        f"Python allocations) with RSS sampled after every chunk (peak minus start; "
        f"ru_maxrss grew {export.maxrss_growth_mb:.1f} MB); that run took {export.seconds:.2f} s "
        "with tracemalloc on.",
        f"Throughput: gunicorn, 2 sync workers, bench/wsgi.py on 127.0.0.1, load by "
        f"{load_result['tool']}; every URL sent with the heavy user's session cookie; "
        "non-2xx responses: "
        + ", ".join(f"{name} {load_result[f'{name}_errors']}" for name in load.URLS)
        + ". Server, PostgreSQL and load generator share the same cores.",
        "Stock references (bench/references.py, bench only): a second, stock Flask-Admin at "
        "/bench/stock/ renders Flask-Admin's own templates; its ModelView lists the signed-in "
        "user's sessions with the log's list columns and inline-editable columns, 20 a page, "
        "and its empty page is a BaseView with an empty template. /app/bench-empty/ is an "
        "empty page in the app's own layout. Both log pages are loaded warm: the log's rows "
        "are drawn once per version of the user's data (the latency rows above show the log "
        "uncached too).",
    ]


def growth_notes(huge, cache_load):
    """How the huge user's growth and the full-cache throughput were taken, for RESULTS.md."""
    lines = [
        "Full cache: gunicorn as above, `/app/?bench_uncached=1` with the heavy user's cookie "
        "(bench/wsgi.py gives each request a data version of its own, so every figure is "
        "computed and written into the cache, as after each write of the user's data), in "
        f"{load.SEGMENTS} alternating turns per state, each turn starting from every "
        "worker's cache emptied or filled to CACHE_THRESHOLD entries (/bench/cache/clear, "
        f"/bench/cache/fill); non-2xx responses: {cache_load['errors']}.",
    ]
    if huge is not None:
        lines.insert(
            0,
            f"Huge user: {huge.email} ({huge.sessions:,} sessions over ten years, "
            f"{huge.timezone}; the heavy user's instruments, focus areas, goals, pieces and "
            "sections). Its growth rows compare p95 uncached with the light user (and, where "
            "the work grows with the items, the twin) in one series, requests alternating.",
        )
    return lines


def main():
    """Run every measurement, print the table and write bench/RESULTS.md."""
    load_before = os.getloadavg()
    url = benchenv.bench_database_url()
    app = benchenv.make_app(url)
    with app.app_context():
        users = pick_users()
        huge = pick_huge()
        postgres_version = db.session.execute(text("SHOW server_version")).scalar()
        counter = measure.QueryCounter(db.engine)
        db.session.remove()
    unknown = sorted(set(ONLY) - {*report.REQUESTS, report.LOG_EXPORT})
    if unknown:
        sys.exit(f"BENCH_ONLY: no such request {', '.join(unknown)} (see report.REQUESTS).")
    print(f"Measuring {REPEATS} requests per series...", flush=True)
    requests = [name for name in ONLY if name != report.LOG_EXPORT]
    latency, export = {}, None
    if requests or not ONLY:
        latency, export = measure_latency(app, counter, users, requests)
    log_export = None
    if not ONLY or report.LOG_EXPORT in ONLY:
        log_export = measure_log_export(app, counter, users)
    rows_exported = tuple(user.sessions for user in users if user.kind != "twin")
    growth = {}
    if huge is None:
        print(f"No {benchenv.HUGE_EMAIL} (run bench/seed.py): growth to 500,000 not measured.")
    else:
        print(f"Growth to {huge.email} ({huge.sessions:,} sessions)...", flush=True)
        growth = measure_huge_growth(app, counter, users, huge, ONLY)
    if ONLY:
        # A partial run: its rows only, and RESULTS.md keeps the last full run.
        print()
        table = report.rows(latency, export, None, rows_exported)
        print(
            report.markdown(
                table
                + report.huge_growth_rows(growth)
                + report.log_export_rows(log_export, rows_exported)
            )
        )
        return
    print(f"Throughput ({LOAD_SECONDS} s per URL)...", flush=True)
    heavy = next(user for user in users if user.kind == "heavy")
    load_result = load.throughput(url, heavy.email, benchenv.PASSWORD, LOAD_SECONDS)
    print(f"Throughput with the cache empty and full ({LOAD_SECONDS} s each)...", flush=True)
    cache_load = load.full_cache_throughput(url, heavy.email, benchenv.PASSWORD, LOAD_SECONDS)
    print("Page weight in Chromium...", flush=True)
    weights = page_weight.measure(url, heavy.email, benchenv.PASSWORD)
    table = report.markdown(
        report.rows(latency, export, load_result, rows_exported)
        + report.log_export_rows(log_export, rows_exported)
        + report.huge_growth_rows(growth)
        + report.full_cache_rows(cache_load, app.config["CACHE_TYPE"])
        + page_weight.rows(weights)
    )
    print()
    print(table)
    report.write_results(
        benchenv.BENCH_DIR / "RESULTS.md",
        table,
        report.machine(postgres_version, load_before),
        notes(users, latency, export, load_result) + growth_notes(huge, cache_load)
        + [page_weight.NOTE],
    )
    print(f"\nWrote {benchenv.BENCH_DIR / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
