"""WSGI app for the throughput benchmarks: the bench app plus its /bench/ routes (only here)."""

import itertools
import os

import benchenv
import references
from flask import current_app
from flask import request
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.orm.attributes import set_committed_value

from tracker.extensions import cache
from tracker.extensions import db

app = benchenv.make_app(benchenv.bench_database_url())
# Versions no real data version reaches, one per request of this worker.
_fresh_versions = itertools.count(10**9 + os.getpid() * 10**6)
# About the size of one cached figure.
FILLER = {"days": list(range(60)), "label": "bench filler"}


@app.get("/bench/bare")
def bare():
    """The floor: one SELECT 1 through the same app, session handling and connection pool."""
    db.session.execute(text("SELECT 1")).scalar()
    return "ok"


@app.before_request
def miss_the_cache_on_request():
    """?bench_uncached=1: the signed-in user's figures are computed and written afresh.

    The user's data version is replaced for this request only (set as if loaded, so nothing
    writes it back): every figure misses the cache and is stored, as after each write of
    the user's data, without the write.
    """
    if request.args.get("bench_uncached") == "1" and current_user.is_authenticated:
        user = current_user._get_current_object()
        set_committed_value(user, "data_version", next(_fresh_versions))


@app.post("/bench/cache/fill")
def fill_cache():
    """Empty this worker's cache, then fill it with CACHE_THRESHOLD entries; answer the pid."""
    cache.clear()
    timeout = current_app.config["STATS_CACHE_SECONDS"]
    for number in range(current_app.config["CACHE_THRESHOLD"]):
        cache.set(f"bench:filler:{number}", FILLER, timeout=timeout)
    return str(os.getpid())


@app.post("/bench/cache/clear")
def clear_cache():
    """Empty this worker's cache; answer the pid."""
    cache.clear()
    return str(os.getpid())


references.add_references(app)
