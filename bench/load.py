"""Throughput: gunicorn (2 workers) serving bench/wsgi.py on 127.0.0.1, loaded by wrk or Python."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookiejar import CookieJar

import benchenv

HOST = "127.0.0.1"
WORKERS = 2
CONNECTIONS = 8
# Each URL's load is split into this many turns, alternating between the URLs.
SEGMENTS = 4
START_TIMEOUT = 60
# name -> path of every URL loaded, in turn; bench/wsgi.py mounts the /bench/ references.
URLS = {
    "dashboard": "/app/",
    "bare": "/bench/bare",
    # The practice log against a stock Flask-Admin list of the same rows (bench/references.py).
    "log": "/app/practice_session/",
    "stock_list": "/bench/stock/stock_session/",
    # An empty page in the app's layout against an empty stock Flask-Admin page.
    "app_empty": "/app/bench-empty/",
    "stock_empty": "/bench/stock/empty/",
}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def bench_port():
    """The port for gunicorn: BENCH_PORT when set, else a free one."""
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    return free_port()


def start_gunicorn(database_url, port, log):
    """Start gunicorn in its own session; the caller must stop it (stop_gunicorn)."""
    env = {**os.environ, benchenv.RESOLVED_URL_ENV: database_url}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--pythonpath",
        str(benchenv.BENCH_DIR),
        "--log-level",
        "warning",
        "wsgi:app",
    ]
    return subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_gunicorn(process):
    """SIGTERM the master (it stops its workers), SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def get(port, path, cookie=None, timeout=10):
    """GET http://127.0.0.1:port/path; return (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_until_up(process, port):
    """Poll /bench/bare until it answers 200, gunicorn dies, or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        try:
            if get(port, "/bench/bare", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s")


def login_cookie(port, email, password):
    """Log in through the real form (CSRF is off in the bench config); return a Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"email": email, "password": password}).encode()
    with opener.open(f"http://{HOST}:{port}/login", data=form, timeout=30) as response:
        response.read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    status, _body = get(port, "/app/", cookie)
    if status != 200:
        raise RuntimeError(f"login did not stick: /app/ answered {status}")
    return cookie


def run_wrk(port, path, cookie, seconds):
    """wrk -t2 -c8 -d<seconds>s; return (requests/s, non-2xx count) or None without wrk."""
    wrk = shutil.which("wrk")
    if not wrk:
        return None
    command = [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-H", f"Cookie: {cookie}"]
    result = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if not rate:
        raise RuntimeError(f"cannot read wrk's output:\n{result.stdout}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", result.stdout)
    return float(rate.group(1)), int(bad.group(1)) if bad else 0


def run_python_load(port, path, cookie, seconds):
    """CONNECTIONS threads sending GETs back to back for `seconds`; return (requests/s, non-200)."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    counts = {"ok": 0, "bad": 0}

    def worker():
        while time.monotonic() < deadline:
            try:
                status = get(port, path, cookie)[0]
            except OSError:
                status = None
            with lock:
                counts["ok" if status == 200 else "bad"] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        for _ in range(CONNECTIONS):
            pool.submit(worker)
    elapsed = time.monotonic() - started
    return (counts["ok"] + counts["bad"]) / elapsed, counts["bad"]


@contextmanager
def served(database_url):
    """gunicorn serving the bench app on bench_port() while the block runs; yields the port.

    Stopped however the block ends; when it fails, the end of gunicorn's log is printed.
    """
    port = bench_port()
    with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log:
        process = start_gunicorn(database_url, port, log)
        try:
            wait_until_up(process, port)
            yield port
        except Exception:
            log.seek(0)
            print(log.read()[-4000:], file=sys.stderr)
            raise
        finally:
            stop_gunicorn(process)


def timed_load(port, path, cookie, seconds):
    """(requests/s, non-2xx count) for seconds of load on path: wrk, else the Python loop."""
    return run_wrk(port, path, cookie, seconds) or run_python_load(port, path, cookie, seconds)


def throughput(database_url, email, password, seconds=20):
    """Requests/s for every URL in URLS, all sent with the user's session cookie.

    Each URL gets `seconds` of load in SEGMENTS turns that alternate between them, so a
    machine that speeds up or slows down meanwhile affects both alike; a URL's figure is the
    mean of its turns (all of equal length).
    """
    turn = max(1, seconds // SEGMENTS)
    with served(database_url) as port:
        cookie = login_cookie(port, email, password)
        tool = f"wrk -t2 -c{CONNECTIONS}" if shutil.which("wrk") else None
        tool = tool or f"Python load loop, {CONNECTIONS} threads"
        tool += f", {SEGMENTS} alternating turns of {turn} s per URL"
        urls = tuple(URLS.items())
        for _name, path in urls:
            # A short warm-up fills both workers' caches and connection pools.
            run_python_load(port, path, cookie, 2)
        rates = {name: [] for name, _path in urls}
        errors = dict.fromkeys(rates, 0)
        for _ in range(SEGMENTS):
            for name, path in urls:
                rate, bad = timed_load(port, path, cookie, turn)
                rates[name].append(rate)
                errors[name] += bad
        results = {"tool": tool}
        for name in rates:
            results[name] = sum(rates[name]) / len(rates[name])
            results[f"{name}_errors"] = errors[name]
        return results


def each_worker(port, path, deadline_seconds=60):
    """POST path until every gunicorn worker has answered it (the answer is the worker's pid).

    WORKERS requests at a time, so a worker busy with one leaves the next to another.
    """
    pids = set()
    deadline = time.monotonic() + deadline_seconds
    while len(pids) < WORKERS:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{path} reached {len(pids)} of {WORKERS} workers")

        def call(_):
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            try:
                conn.request("POST", path)
                response = conn.getresponse()
                return response.status, response.read().decode()
            finally:
                conn.close()

        with ThreadPoolExecutor(WORKERS) as pool:
            for status, body in pool.map(call, range(WORKERS)):
                if status != 200:
                    raise RuntimeError(f"POST {path} answered {status}")
                pids.add(body)
    return pids


# How each turn of full_cache_throughput starts: every worker's cache emptied, or filled.
CACHE_STATES = (("empty", "/bench/cache/clear"), ("full", "/bench/cache/fill"))


def full_cache_throughput(database_url, email, password, seconds=20):
    """Uncached dashboard requests/s with every worker's cache empty, and with it full.

    Uncached (?bench_uncached=1, bench/wsgi.py): every request computes the user's figures
    and writes them into the cache, which is what a full cache makes expensive. Full means
    CACHE_THRESHOLD entries in each worker (/bench/cache/fill). The two alternate in
    SEGMENTS turns, each turn starting from a freshly emptied or filled cache.
    """
    turn = max(1, seconds // SEGMENTS)
    path = "/app/?bench_uncached=1"
    with served(database_url) as port:
        cookie = login_cookie(port, email, password)
        run_python_load(port, path, cookie, 2)
        rates = {"empty": [], "full": []}
        errors = dict.fromkeys(rates, 0)
        for _ in range(SEGMENTS):
            for state, route in CACHE_STATES:
                each_worker(port, route)
                rate, bad = timed_load(port, path, cookie, turn)
                rates[state].append(rate)
                errors[state] += bad
        results = {name: sum(values) / len(values) for name, values in rates.items()}
        results["errors"] = errors["empty"] + errors["full"]
        return results
