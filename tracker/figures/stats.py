"""Practice figures computed in SQL; each takes user_id (and the zone), returns plain data.

A "day" is a calendar day in the user's own time zone. Ranges are inclusive local dates;
they are turned into UTC instants so the (user_id, started_at) index does the work.
"""

from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Date
from sqlalchemy import Integer
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import true

from tracker.extensions import db
from tracker.figures.cache import per_user_cached
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import MaintenanceLog
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import PracticeDay
from tracker.models import PracticeDayItem
from tracker.models import PracticeRun
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models import session_equipment
from tracker.phrases import link_label
from tracker.phrases import section_label

BREAKDOWN_LIMIT = 10
# Breakdowns over ranges shorter than this look up each session's links (see _session_links);
# on the benchmark's 50,000 sessions over ten years that wins up to about four months.
LOOKUP_RANGE_DAYS = 100


def local_day_bounds(day, zone):
    """Return the UTC instants where local `day` starts and the next local day starts."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def _zone(tz_name):
    return ZoneInfo(tz_name or "UTC")


def local_day(tz_name, instant):
    """SQL: the calendar day in zone tz_name at `instant` (local_day() of rollups.sql)."""
    return func.local_day(tz_name, instant, type_=Date)


def _in_range(user_id, tz_name, start, end):
    """WHERE clauses for the user's sessions on local days start..end (start None = ever)."""
    zone = _zone(tz_name)
    clauses = [PracticeSession.user_id == user_id]
    if start is not None:
        clauses.append(PracticeSession.started_at >= local_day_bounds(start, zone)[0])
    if end is not None:
        clauses.append(PracticeSession.started_at < local_day_bounds(end, zone)[1])
    return clauses


def _days_in(user_id, start=None, end=None):
    """WHERE clauses for the user's practice_days rows from start to end (inclusive)."""
    clauses = [PracticeDay.user_id == user_id]
    if start is not None:
        clauses.append(PracticeDay.day >= start)
    if end is not None:
        clauses.append(PracticeDay.day <= end)
    return clauses


# The functions below read practice_days, the per-local-day rollup that triggers keep in the
# user's own time zone (see rollups.sql), so they need no zone of their own.


@per_user_cached("period_totals")
def period_totals(user_id, today):
    """Minutes on local day `today`, its week (from Monday), its month and ever, in one query."""
    minutes, day = PracticeDay.minutes, PracticeDay.day

    def since(first):
        return func.coalesce(func.sum(minutes).filter(day >= first, day <= today), 0)

    query = select(
        since(today),
        since(today - timedelta(days=today.weekday())),
        since(today.replace(day=1)),
        func.coalesce(func.sum(minutes), 0),
    ).where(PracticeDay.user_id == user_id)
    today_total, week, month, ever = db.session.execute(query).one()
    return {"today": today_total, "week": week, "month": month, "all_time": ever}


@per_user_cached("streaks")
def streaks(user_id, today):
    """Current and longest runs of consecutive local days with practice.

    Today still counts until it ends: a run that reached yesterday is current. The runs
    are kept by triggers (practice_runs), so this reads a few hundred rows at most.
    """
    length = PracticeRun.last_day - PracticeRun.first_day + 1
    query = select(
        func.coalesce(func.max(length), 0),
        func.coalesce(
            func.max(length).filter(PracticeRun.last_day >= today - timedelta(days=1)), 0
        ),
    ).where(PracticeRun.user_id == user_id)
    longest, current = db.session.execute(query).one()
    return {"current": current, "longest": longest}


@per_user_cached("range_summary")
def range_summary(user_id, start, end):
    """Total minutes, sessions, days practised and the average session in a local range."""
    query = select(
        func.coalesce(func.sum(PracticeDay.minutes), 0),
        func.coalesce(func.sum(PracticeDay.sessions), 0),
        func.count(),
    ).where(*_days_in(user_id, start, end))
    total, sessions, days = db.session.execute(query).one()
    return {
        "total_minutes": int(total),
        "sessions": int(sessions),
        "days_practised": days,
        "average_minutes": round(total / sessions, 1) if sessions else 0,
    }


def first_practice_day(user_id):
    """The local day of the user's first session, or None."""
    query = select(func.min(PracticeDay.day)).where(PracticeDay.user_id == user_id)
    return db.session.execute(query).scalar()


BUCKETS = {"day": "day", "week": "week", "month": "month"}


@per_user_cached("timeseries")
def minutes_over_time(user_id, start, end, bucket="day"):
    """Minutes per local day, week (from Monday) or month, zero-filled.

    Returns {"start": the first bucket's first day (ISO), "minutes": one number per bucket}:
    bucket i starts i days, weeks or months after start.
    """
    unit = BUCKETS[bucket]
    if start is None:
        start = first_practice_day(user_id) or end
    first = first_bucket(start, unit)
    # Buckets are numbered 0.. from first; each day of the rollup works out its number.
    day = PracticeDay.day
    if unit == "month":
        month = cast(func.extract("year", day) * 12 + func.extract("month", day), Integer)
        index = month - (first.year * 12 + first.month)
        count = (end.year - first.year) * 12 + end.month - first.month + 1
    elif unit == "week":
        index = (day - literal(first, Date)) // 7
        count = (end - first).days // 7 + 1
    else:
        index = day - literal(first, Date)
        count = (end - first).days + 1
    days = _days_in(user_id, start, end)
    if unit == "day":  # one row per day already
        totals = select(index.label("i"), PracticeDay.minutes).where(*days)
    else:
        totals = select(index.label("i"), func.sum(PracticeDay.minutes).label("minutes"))
        totals = totals.where(*days).group_by(index)
    totals = totals.subquery()
    # Only buckets with practice come back, as two arrays built by PostgreSQL (paired: one
    # scan feeds both); placing them in the zero-filled list is one cheap step per bucket.
    query = select(func.array_agg(totals.c.i), func.array_agg(totals.c.minutes))
    indexes, totals_minutes = db.session.execute(query).one()
    minutes = [0] * count
    for i, value in zip(indexes or (), totals_minutes or (), strict=True):
        minutes[i] = value
    return {"start": first.isoformat(), "minutes": minutes}


def first_bucket(day, unit):
    """The day that starts the day, week (its Monday) or month `day` falls in."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def _top(query):
    return [
        {"label": label or "No instrument", "minutes": int(minutes)}
        for label, minutes in db.session.execute(query.limit(BREAKDOWN_LIMIT))
    ]


def _session_links(link, start, end, *columns):
    """LATERAL subquery: `columns` of the rows of link table `link` of each joined session.

    The planner assumes a user's sessions spread over time like everybody's, so for a short
    range of a long history it expects many sessions and hashes all of the user's links.
    For ranges up to LOOKUP_RANGE_DAYS, OFFSET 0 keeps the subquery a per-session index
    lookup; longer ranges are flattened into a plain join, where hashing pays off.
    """
    query = select(*columns).where(
        link.c.session_id == PracticeSession.id, link.c.user_id == PracticeSession.user_id
    )
    if start is not None and (end - start).days < LOOKUP_RANGE_DAYS:
        query = query.offset(0)
    return query.lateral()


def _day_items(user_id, kind, start, end):
    """WHERE clauses for the user's practice_day_items rows of kind from start to end."""
    clauses = [PracticeDayItem.user_id == user_id, PracticeDayItem.kind == kind]
    if start is not None:
        clauses.append(PracticeDayItem.day >= start)
    if end is not None:
        clauses.append(PracticeDayItem.day <= end)
    return clauses


@per_user_cached("by_focus_area")
def minutes_by_focus_area(user_id, tz_name, start, end):
    """Most practised focus areas: each session's minutes count for each of its focus areas.

    Read from practice_day_items, kept per local day of the user's zone by triggers (see
    rollups.sql), so a month costs the same however many sessions it holds.
    """
    minutes = func.sum(PracticeDayItem.minutes)
    query = (
        select(FocusArea.name, minutes)
        .join(FocusArea, FocusArea.id == PracticeDayItem.item_id)
        .where(*_day_items(user_id, "focus_area", start, end))
        .group_by(FocusArea.id, FocusArea.name)
        .order_by(minutes.desc(), FocusArea.name)
    )
    return _top(query)


@per_user_cached("by_goal")
def minutes_by_goal(user_id, tz_name, start, end):
    """Most practised goals: the link's minutes, else the whole session."""
    table = SessionGoal.__table__
    links = _session_links(table, start, end, table.c.goal_id, table.c.minutes)
    minutes = func.sum(func.coalesce(links.c.minutes, PracticeSession.duration_minutes))
    query = (
        select(Goal.name, minutes)
        .select_from(PracticeSession)
        .join(links, true())
        .join(Goal, Goal.id == links.c.goal_id)
        .where(*_in_range(user_id, tz_name, start, end))
        .group_by(Goal.id, Goal.name)
        .order_by(minutes.desc(), Goal.name)
    )
    return _top(query)


@per_user_cached("by_piece")
def minutes_by_piece(user_id, tz_name, start, end):
    """Most practised pieces: per session, the sum of its link minutes, else the whole session.

    Read from practice_day_items, as minutes_by_focus_area.
    """
    minutes = func.sum(PracticeDayItem.minutes)
    query = (
        select(Piece.title, minutes)
        .join(Piece, Piece.id == PracticeDayItem.item_id)
        .where(*_day_items(user_id, "piece", start, end))
        .group_by(Piece.id, Piece.title)
        .order_by(minutes.desc(), Piece.title)
    )
    return _top(query)


@per_user_cached("by_instrument")
def minutes_by_instrument(user_id, tz_name, start, end):
    """Time per instrument (sessions without one are grouped as "No instrument")."""
    minutes = func.sum(PracticeSession.duration_minutes)
    query = (
        select(Instrument.name, minutes)
        .select_from(PracticeSession)
        .outerjoin(Instrument, Instrument.id == PracticeSession.instrument_id)
        .where(*_in_range(user_id, tz_name, start, end))
        .group_by(Instrument.id, Instrument.name)
        .order_by(minutes.desc(), Instrument.name)
    )
    return _top(query)


BREAKDOWNS = {
    "focus_area": minutes_by_focus_area,
    "goal": minutes_by_goal,
    "piece": minutes_by_piece,
    "instrument": minutes_by_instrument,
}


@per_user_cached("heatmap")
def daily_minutes(user_id, start, end):
    """Minutes on every local day from start to end (zero-filled), for the heatmap."""
    days = minutes_over_time.uncached(user_id, start, end, "day")["minutes"]
    return [
        {"date": (start + timedelta(days=offset)).isoformat(), "minutes": minutes}
        for offset, minutes in enumerate(days)
    ]


@per_user_cached("ratings")
def rating_trends(user_id, tz_name, start, end, window_days=7):
    """Daily average mood and quality, with moving averages over the last window_days days."""
    day = local_day(tz_name, PracticeSession.started_at)
    daily = (
        select(
            day.label("day"),
            func.avg(PracticeSession.mood_rating).label("mood"),
            func.avg(PracticeSession.quality_rating).label("quality"),
        )
        .where(
            *_in_range(user_id, tz_name, start, end),
            or_(
                PracticeSession.mood_rating.isnot(None), PracticeSession.quality_rating.isnot(None)
            ),
        )
        .group_by(text("1"))
        .subquery()
    )
    # A day number orders the window, so RANGE counts calendar days, not rows.
    day_number = daily.c.day - literal(date(2000, 1, 1))
    window = {"order_by": day_number, "range_": (-(window_days - 1), 0)}
    query = select(
        daily.c.day,
        daily.c.mood,
        daily.c.quality,
        func.avg(daily.c.mood).over(**window),
        func.avg(daily.c.quality).over(**window),
    ).order_by(daily.c.day)

    def rounded(value):
        return round(float(value), 2) if value is not None else None

    return [
        {
            "date": day_value.isoformat(),
            "mood": rounded(mood),
            "quality": rounded(quality),
            "mood_avg": rounded(mood_avg),
            "quality_avg": rounded(quality_avg),
        }
        for day_value, mood, quality, mood_avg, quality_avg in db.session.execute(query)
    ]


# What sessions worked on, one row per link: (session_id, kind, name, section, minutes), kind
# being focus_area, piece or goal. `{sessions}` completes "session_id ..." with the sessions
# wanted: "= ANY(:ids)" for a few, or "IN (SELECT ...)" for a range (the CSV export).
SESSION_LINKS_SQL = """
    SELECT sf.session_id, 'focus_area' AS kind, f.name, NULL AS section, NULL::int AS minutes
      FROM session_focus_areas sf JOIN focus_areas f ON f.id = sf.focus_area_id
     WHERE sf.user_id = :user_id AND sf.session_id {sessions}
    UNION ALL
    SELECT sp.session_id, 'piece', p.title, ps.section_name, sp.minutes
      FROM session_pieces sp JOIN pieces p ON p.id = sp.piece_id
      LEFT JOIN piece_sections ps ON ps.id = sp.section_id
     WHERE sp.user_id = :user_id AND sp.session_id {sessions}
    UNION ALL
    SELECT sg.session_id, 'goal', g.name, NULL, sg.minutes
      FROM session_goals sg JOIN goals g ON g.id = sg.goal_id
     WHERE sg.user_id = :user_id AND sg.session_id {sessions}
"""


def session_links_sql(sessions):
    """SESSION_LINKS_SQL for the sessions that `session_id {sessions}` picks."""
    return SESSION_LINKS_SQL.format(sessions=sessions)


RECENT_LINKS = text(session_links_sql("= ANY(:ids)") + " ORDER BY 1, 2, 3, 4")


def usual_instrument_id(user_id):
    """The instrument a new session most likely is on: the one last played, else the only one.

    None when the user has several instruments and no session names one (or none at all).
    """
    last = db.session.execute(
        select(PracticeSession.instrument_id)
        .where(PracticeSession.user_id == user_id, PracticeSession.instrument_id.is_not(None))
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(1)
    ).scalar()
    if last is not None:
        return last
    only = db.session.execute(
        select(Instrument.id).where(Instrument.user_id == user_id).limit(2)
    ).scalars()
    ids = list(only)
    return ids[0] if len(ids) == 1 else None


def instrument_names(user_id):
    """The names of the instruments user_id has set in their profile, in alphabetical order."""
    return list(
        db.session.execute(
            select(Instrument.name).where(Instrument.user_id == user_id).order_by(Instrument.name)
        ).scalars()
    )


def recent_sessions(user_id, limit=5):
    """The user's latest sessions, newest first, as plain data naming what they worked on.

    Two queries whatever the number of links: the sessions, then their focus areas, pieces
    (or sections) and goals together.
    """
    query = (
        select(
            PracticeSession.id,
            PracticeSession.started_at,
            PracticeSession.duration_minutes,
            PracticeSession.notes,
            Instrument.name.label("instrument"),
        )
        .outerjoin(Instrument, Instrument.id == PracticeSession.instrument_id)
        .where(PracticeSession.user_id == user_id)
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    sessions = [
        {**row._asdict(), "focus_areas": [], "piece_links": [], "goal_links": []}
        for row in db.session.execute(query)
    ]
    if not sessions:
        return []
    by_id = {session["id"]: session for session in sessions}
    links = db.session.execute(RECENT_LINKS, {"user_id": user_id, "ids": list(by_id)})
    for session_id, kind, name, section, minutes in links:
        session = by_id[session_id]
        if kind == "focus_area":
            session["focus_areas"].append(name)
        elif kind == "piece":
            label = section_label(name, section) if section else name
            session["piece_links"].append(link_label(label, minutes))
        else:
            session["goal_links"].append(link_label(name, minutes))
    return sessions


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


def pieces_practice(user_id, pieces):
    """piece id -> piece_practice() of each of the pieces (a details page shows one)."""
    return {piece.id: piece_practice(user_id, piece.id) for piece in pieces}


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
    played_on = local_day(zone_name, PracticeSession.started_at)
    dated = [(session_equipment.c.equipment_id == i, day) for i, day in since.items() if day]
    counted = or_(case(*dated, else_=None).is_(None), played_on >= case(*dated)) if dated else True
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
