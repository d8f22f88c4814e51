"""What a goal's or a piece of gear's page lists of its past: the sessions it was part of and
its maintenance log, worked out in one query per list for every row the page shows."""

from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import MaintenanceLog
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import session_equipment

# A page lists an item's latest sessions; older ones are in the practice log.
MAX_LISTED = 50


class LinkedSession(NamedTuple):
    """One session as an item's page lists it."""

    session_id: int
    started_at: datetime
    minutes: int
    rating: int | None
    rating_is_own: bool
    tempo_bpm: int | None
    clean: bool | None
    # The link's note for next time (a goal's page), the session's notes (a gear page).
    note: str | None


class MaintenanceEntry(NamedTuple):
    """One entry of a piece of gear's maintenance log."""

    id: int
    performed_on: date
    kind: str
    cost: Decimal | None
    notes: str | None


def _grouped(rows, key_index, build):
    """{item id: [build(row)]}, keeping at most MAX_LISTED rows per item, in the rows' order."""
    found = {}
    for row in rows:
        listed = found.setdefault(row[key_index], [])
        if len(listed) < MAX_LISTED:
            listed.append(build(row))
    return found


def goal_sessions(user_id, goals):
    """{goal id: [LinkedSession]}, latest first: each session that worked on the goal.

    The rating is the link's own, else the session's quality (rating_is_own says which).
    """
    ids = [goal.id for goal in goals]
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            SessionGoal.goal_id,
            PracticeSession.id,
            PracticeSession.started_at,
            db.func.coalesce(SessionGoal.minutes, PracticeSession.duration_minutes),
            SessionGoal.rating,
            PracticeSession.quality_rating,
            SessionGoal.tempo_bpm,
            SessionGoal.clean,
            SessionGoal.next_time,
        )
        .join(
            PracticeSession,
            (PracticeSession.id == SessionGoal.session_id)
            & (PracticeSession.user_id == SessionGoal.user_id),
        )
        .where(SessionGoal.user_id == user_id, SessionGoal.goal_id.in_(ids))
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
    )
    return _grouped(
        rows,
        0,
        lambda r: LinkedSession(
            r[1], r[2], r[3], r[4] if r[4] is not None else r[5], r[4] is not None, *r[6:]
        ),
    )


def equipment_sessions(user_id, equipment):
    """{equipment id: [LinkedSession]}, latest first: each session the gear was used in."""
    ids = [item.id for item in equipment]
    if not ids:
        return {}
    links = session_equipment.c
    rows = db.session.execute(
        select(
            links.equipment_id,
            PracticeSession.id,
            PracticeSession.started_at,
            PracticeSession.duration_minutes,
            PracticeSession.quality_rating,
            PracticeSession.notes,
        )
        .join(
            PracticeSession,
            (PracticeSession.id == links.session_id) & (PracticeSession.user_id == links.user_id),
        )
        .where(links.user_id == user_id, links.equipment_id.in_(ids))
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
    )
    return _grouped(
        rows, 0, lambda r: LinkedSession(r[1], r[2], r[3], r[4], True, None, None, r[5])
    )


def equipment_maintenance(user_id, equipment):
    """{equipment id: [MaintenanceEntry]}, latest first: the gear's maintenance log."""
    ids = [item.id for item in equipment]
    if not ids:
        return {}
    rows = db.session.execute(
        select(
            MaintenanceLog.equipment_id,
            MaintenanceLog.id,
            MaintenanceLog.performed_on,
            MaintenanceLog.kind,
            MaintenanceLog.cost,
            MaintenanceLog.notes,
        )
        .where(MaintenanceLog.user_id == user_id, MaintenanceLog.equipment_id.in_(ids))
        .order_by(MaintenanceLog.performed_on.desc(), MaintenanceLog.id.desc())
    )
    return _grouped(rows, 0, lambda r: MaintenanceEntry(*r[1:]))
