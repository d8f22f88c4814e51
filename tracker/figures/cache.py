"""Per-user cache of practice figures, invalidated by any write of that user's rows.

Each user has a version token in the cache; figures are cached under it, and every
committed change to the user's owned rows (or to their time zone) replaces the token, so the
next read recomputes.
"""

import functools
import inspect
import uuid

from flask import current_app
from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from tracker.extensions import cache
from tracker.models import OwnedMixin
from tracker.models import User

_PENDING = "stats_cache_users"


def _version_key(user_id):
    return f"stats-version:{user_id}"


def user_version(user_id):
    """The user's current version token (a new one when none is cached)."""
    token = cache.get(_version_key(user_id))
    if token is None:
        token = uuid.uuid4().hex
        cache.set(_version_key(user_id), token, timeout=0)
    return token


def forget_user(user_id):
    """Make every cached figure of the user stale (also for writes made outside the ORM)."""
    cache.set(_version_key(user_id), uuid.uuid4().hex, timeout=0)


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
            key = f"stats:{user_id}:{user_version(user_id)}:{name}:" + ":".join(
                map(str, arguments)
            )
            value = cache.get(key)
            if value is None:
                value = compute(user_id, *args, **kwargs)
                cache.set(key, value, timeout=current_app.config["STATS_CACHE_SECONDS"])
            return value

        cached_compute.uncached = compute
        return cached_compute

    return decorate


def _timezone_changed(user):
    """Tell whether a flushed user row has a new time zone (their local days moved)."""
    return sa_inspect(user).attrs.timezone.history.has_changes()


def _collect_changed_users(session, flush_context):
    users = session.info.setdefault(_PENDING, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, OwnedMixin) and row.user_id is not None:
            users.add(row.user_id)
        elif isinstance(row, User) and row.id is not None and _timezone_changed(row):
            users.add(row.id)


def _invalidate_changed_users(session):
    for user_id in session.info.pop(_PENDING, ()):
        forget_user(user_id)


def _drop_pending(session, previous_transaction):
    session.info.pop(_PENDING, None)


_LISTENERS = (
    ("after_flush", _collect_changed_users),
    ("after_commit", _invalidate_changed_users),
    ("after_soft_rollback", _drop_pending),
)


def init_app(app):
    """Invalidate a user's figures whenever a committed write touches their rows."""
    # Session events are process-wide: several apps (tests build a few) share one set.
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
