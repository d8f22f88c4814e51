"""Per-user cache of practice figures, keyed on the user's data version in PostgreSQL.

`users.data_version` moves on in the same transaction as any write of the user's rows, by
database triggers (figures/data_version.sql), whatever wrote them. Figures are cached under
it, and the version is read with the user row the request loads anyway (no extra query). So
a cached entry is found only by a request that sees the data it was computed from: eviction,
a restarted cache or another worker's cache can make the app compute again, never show old
figures. Only the app writes the cache; keys hold ids, the version and a digest of the
arguments, values are what the app computed (see README, "Redis is a trust boundary").
"""

import functools
import hashlib
import inspect
import logging

from flask import current_app
from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy import update

from tracker.config import IN_PROCESS_CACHE
from tracker.extensions import cache
from tracker.extensions import db
from tracker.models import User

# Backends whose entries live in one process: each gunicorn worker then keeps its own copy.
PER_PROCESS_CACHES = {
    "SimpleCache",
    "simple",
    "flask_caching.backends.SimpleCache",
    IN_PROCESS_CACHE,
}

log = logging.getLogger(__name__)


def data_version(user_id):
    """The user's data version: from the signed-in user's row, else read from the database."""
    if has_request_context() and current_user.is_authenticated and current_user.id == user_id:
        return current_user.data_version
    return db.session.scalar(select(User.data_version).where(User.id == user_id))


def forget_user(user_id):
    """Make every cached figure of the user stale by moving their data version on; commits."""
    db.session.execute(
        update(User).where(User.id == user_id).values(data_version=User.data_version + 1)
    )
    db.session.commit()


def cache_key(name, user_id, version, arguments):
    """The key of one figure: unambiguous whatever text the arguments hold."""
    digest = hashlib.sha256(repr(tuple(arguments)).encode()).hexdigest()[:32]
    return f"stats:{user_id}:{version}:{name}:{digest}"


def cached_for_user(name, user_id, arguments, compute):
    """compute(), cached under name for the user and arguments until the user's data changes.

    per_user_cached below is this as a decorator; a caller whose work is not a function of
    its arguments alone (a template fragment being drawn) calls it directly.
    """
    key = cache_key(name, user_id, data_version(user_id), arguments)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=current_app.config["STATS_CACHE_SECONDS"])
    return value


def per_user_cached(name):
    """Cache `compute(user_id, ...)` per user and arguments until the user's data changes.

    The undecorated function stays reachable as `.uncached`.
    """

    def decorate(compute):
        signature = inspect.signature(compute)

        @functools.wraps(compute)
        def cached_compute(user_id, *args, **kwargs):
            bound = signature.bind(user_id, *args, **kwargs)
            bound.apply_defaults()
            # Defaults included, so f(u, x) and f(u, x, bucket="day") share one entry.
            arguments = list(bound.arguments.values())[1:]
            return cached_for_user(
                name, user_id, arguments, lambda: compute(user_id, *args, **kwargs)
            )

        cached_compute.uncached = compute
        return cached_compute

    return decorate


def check_cache_setup(app):
    """Say loudly, in production, that a per-process cache makes every worker compute alone.

    Not refused: the data version keeps such a cache correct with any number of workers, it
    only multiplies the work (and the memory) by the number of workers.
    """
    if app.config["ENV_NAME"] != "production":
        return
    if app.config.get("CACHE_TYPE") in PER_PROCESS_CACHES:
        log.warning(
            "CACHE_TYPE=%s keeps the figures cache inside each worker process: figures stay "
            "correct (they are keyed on users.data_version), but every worker computes and "
            "holds its own copy. Set CACHE_TYPE=RedisCache and CACHE_REDIS_URL to share one.",
            app.config.get("CACHE_TYPE"),
        )
