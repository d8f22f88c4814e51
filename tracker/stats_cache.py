"""Per-user cache of practice figures, invalidated by any write of that user's rows.

Each user has a version token in the cache; figures are cached under it, and every
committed change to the user's owned rows replaces the token, so the next read recomputes.
"""

import uuid

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.extensions import cache
from tracker.models import OwnedMixin

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


def cached(user_id, name, compute, *args):
    """compute(*args), cached per user and arguments until the user's data changes."""
    key = f"stats:{user_id}:{user_version(user_id)}:{name}:" + ":".join(map(str, args))
    value = cache.get(key)
    if value is None:
        value = compute(*args)
        cache.set(key, value, timeout=current_app.config["STATS_CACHE_SECONDS"])
    return value


@event.listens_for(Session, "after_flush")
def _collect_changed_users(session, flush_context):
    users = session.info.setdefault(_PENDING, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, OwnedMixin) and row.user_id is not None:
            users.add(row.user_id)


@event.listens_for(Session, "after_commit")
def _invalidate_changed_users(session):
    for user_id in session.info.pop(_PENDING, ()):
        forget_user(user_id)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session, previous_transaction):
    session.info.pop(_PENDING, None)
