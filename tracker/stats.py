"""Aggregate practice figures computed in SQL; each takes user_id and returns plain data."""

from datetime import datetime
from datetime import time
from datetime import timedelta

from sqlalchemy import Date
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import MaintenanceLog
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import SessionPiece
from tracker.models import session_equipment


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


def piece_practice(user_id, piece_id, recent=20):
    """Total minutes, last practice and the latest sessions that worked on one piece.

    A session counts its link minutes when given, else its whole duration, once per session.
    """
    link_minutes = func.sum(SessionPiece.minutes)
    per_session = (
        select(
            PracticeSession.id.label("session_id"),
            PracticeSession.started_at,
            func.coalesce(link_minutes, PracticeSession.duration_minutes).label("minutes"),
            func.string_agg(PieceSection.section_name, ", ").label("sections"),
        )
        .join(
            SessionPiece,
            and_(
                SessionPiece.session_id == PracticeSession.id,
                SessionPiece.user_id == PracticeSession.user_id,
            ),
        )
        .outerjoin(PieceSection, PieceSection.id == SessionPiece.section_id)
        .where(SessionPiece.user_id == user_id, SessionPiece.piece_id == piece_id)
        .group_by(PracticeSession.id)
        .subquery()
    )
    totals = db.session.execute(
        select(
            func.coalesce(func.sum(per_session.c.minutes), 0), func.max(per_session.c.started_at)
        )
    ).one()
    rows = db.session.execute(
        select(PracticeSession, per_session.c.minutes, per_session.c.sections)
        .join(per_session, per_session.c.session_id == PracticeSession.id)
        .order_by(per_session.c.started_at.desc())
        .limit(recent)
    ).all()
    return {
        "total_minutes": totals[0],
        "last_practised": totals[1],
        "sessions": [
            {"session": session, "minutes": minutes, "sections": sections}
            for session, minutes, sections in rows
        ],
    }


def equipment_wear(user_id, equipment, zone_name):
    """id -> (last string change date or None, minutes played since then, what "since" means).

    "Since" is the last string change, else the purchase date, else ever; days are local.
    """
    items = list(equipment)
    if not items:
        return {}
    ids = [item.id for item in items]
    last_change = dict(
        db.session.execute(
            select(MaintenanceLog.equipment_id, func.max(MaintenanceLog.performed_on))
            .where(
                MaintenanceLog.user_id == user_id,
                MaintenanceLog.kind == "string_change",
                MaintenanceLog.equipment_id.in_(ids),
            )
            .group_by(MaintenanceLog.equipment_id)
        ).all()
    )
    since = {item.id: last_change.get(item.id) or item.purchase_date for item in items}
    local_day = cast(func.timezone(zone_name, PracticeSession.started_at), Date)
    dated = [(session_equipment.c.equipment_id == i, day) for i, day in since.items() if day]
    counted = or_(case(*dated, else_=None).is_(None), local_day >= case(*dated)) if dated else True
    played = dict(
        db.session.execute(
            select(session_equipment.c.equipment_id, func.sum(PracticeSession.duration_minutes))
            .join(
                PracticeSession,
                and_(
                    PracticeSession.id == session_equipment.c.session_id,
                    PracticeSession.user_id == session_equipment.c.user_id,
                ),
            )
            .where(
                session_equipment.c.user_id == user_id,
                session_equipment.c.equipment_id.in_(ids),
                counted,
            )
            .group_by(session_equipment.c.equipment_id)
        ).all()
    )
    return {
        item.id: {
            "strings_changed": last_change.get(item.id),
            "minutes_since": played.get(item.id, 0),
            "since": "string change"
            if last_change.get(item.id)
            else ("purchase" if item.purchase_date else "ever"),
        }
        for item in items
    }
