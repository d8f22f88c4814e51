"""Aggregate practice figures computed in SQL; each takes user_id and returns plain data."""

from datetime import datetime
from datetime import time
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import PracticeSession


def local_day_bounds(day, zone):
    """Return the UTC instants where local `day` starts and the next local day starts."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def today_and_week_minutes(user_id, now_local):
    """Minutes practised today and this week (Monday first), in the user's zone, in one query."""
    zone = now_local.tzinfo
    today_start, today_end = local_day_bounds(now_local.date(), zone)
    week_start, _ = local_day_bounds(now_local.date() - timedelta(days=now_local.weekday()), zone)
    minutes = PracticeSession.duration_minutes
    query = select(
        func.coalesce(func.sum(minutes).filter(PracticeSession.started_at >= today_start), 0),
        func.coalesce(func.sum(minutes), 0),
    ).where(
        PracticeSession.user_id == user_id,
        PracticeSession.started_at >= week_start,
        PracticeSession.started_at < today_end,
    )
    today, week = db.session.execute(query).one()
    return {"today": today, "week": week}


def recent_sessions(user_id, limit=5):
    """The user's latest sessions, newest first, with instrument and focus areas loaded."""
    query = (
        select(PracticeSession)
        .where(PracticeSession.user_id == user_id)
        .options(
            selectinload(PracticeSession.instrument),
            selectinload(PracticeSession.focus_areas),
        )
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())
