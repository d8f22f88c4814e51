"""JSON endpoints under /api/: chart data, the CSV export and notifications, signed-in only."""

import csv
import io
from datetime import date
from datetime import timedelta

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request
from flask import stream_with_context
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text

from tracker import stats
from tracker.admin.base import escape_formula_sql
from tracker.admin.base import owned_query
from tracker.admin.notifications import app_link
from tracker.admin.reminders import local_day_time
from tracker.extensions import db
from tracker.models import Notification
from tracker.reminders_query import latest_notifications
from tracker.reminders_query import unread_notification_count
from tracker.stats_cache import cached
from tracker.timezones import local_now

bp = Blueprint("api", __name__, url_prefix="/api")
HEATMAP_DAYS = 365


class BadRange(ValueError):
    """A start/end query that cannot be read as a date range."""


@bp.before_request
def require_login():
    """JSON callers get 401, not a redirect to the login page."""
    if not current_user.is_authenticated:
        return jsonify(error="Please log in."), 401
    return None


@bp.errorhandler(BadRange)
def bad_range(error):
    return jsonify(error=str(error)), 400


def _date_arg(name):
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRange(f"{name} must be a date like 2026-03-31.") from exc


def requested_range():
    """(start or None for all time, end) from ?start=&end=, in the user's local days."""
    start, end = _date_arg("start"), _date_arg("end") or local_now().date()
    if start is not None and start > end:
        raise BadRange("The start date is after the end date.")
    return start, end


def _zone_name():
    return current_user.timezone or "UTC"


@bp.get("/stats/summary")
def summary():
    """Totals, sessions, days practised, average session and streaks for the range."""
    start, end = requested_range()
    user_id, zone = current_user.id, _zone_name()
    figures = cached(user_id, "range_summary", stats.range_summary, user_id, zone, start, end)
    streak = cached(user_id, "streaks", stats.streaks, user_id, zone, local_now().date())
    return jsonify(
        start=start.isoformat() if start else None,
        end=end.isoformat(),
        current_streak=streak["current"],
        longest_streak=streak["longest"],
        **figures,
    )


@bp.get("/stats/timeseries")
def timeseries():
    """Minutes per day, week or month across the range."""
    start, end = requested_range()
    bucket = request.args.get("bucket", "day")
    if bucket not in stats.BUCKETS:
        raise BadRange("bucket must be day, week or month.")
    user_id = current_user.id
    series = cached(
        user_id, "timeseries", stats.minutes_over_time, user_id, _zone_name(), start, end, bucket
    )
    return jsonify(bucket=bucket, start=series["start"], minutes=series["minutes"])


@bp.get("/stats/breakdown")
def breakdown():
    """Where the time went: by goal, piece, focus area or instrument (all four when unset)."""
    start, end = requested_range()
    user_id, zone = current_user.id, _zone_name()
    by = request.args.get("by")
    if by is not None and by not in stats.BREAKDOWNS:
        raise BadRange("by must be goal, piece, focus_area or instrument.")

    def items(kind):
        return cached(user_id, f"by_{kind}", stats.BREAKDOWNS[kind], user_id, zone, start, end)

    if by:
        return jsonify(by=by, items=items(by))
    return jsonify(by="all", groups={kind: items(kind) for kind in stats.BREAKDOWNS})


@bp.get("/stats/heatmap")
def heatmap():
    """Minutes on each of the 365 local days ending at ?end (default today)."""
    end = _date_arg("end") or local_now().date()
    start = end - timedelta(days=HEATMAP_DAYS - 1)
    user_id = current_user.id
    days = cached(user_id, "heatmap", stats.daily_minutes, user_id, _zone_name(), start, end)
    return jsonify(start=start.isoformat(), end=end.isoformat(), days=days)


@bp.get("/stats/ratings")
def ratings():
    """Daily mood and quality with their 7-day moving averages."""
    start, end = requested_range()
    user_id = current_user.id
    points = cached(user_id, "ratings", stats.rating_trends, user_id, _zone_name(), start, end)
    return jsonify(points=points)


EXPORT_COLUMNS = [
    "Date",
    "Time",
    "Minutes",
    "Instrument",
    "Focus areas",
    "Goals",
    "Pieces",
    "Mood",
    "Quality",
    "Notes",
]
# Rows fetched from the server-side cursor, written and sent per chunk.
EXPORT_BATCH_ROWS = 1000
# One row per session with its links as readable names; read with a server-side cursor.
# Each link table is aggregated once for the sessions in range (joined on the range itself,
# so the planner knows how many: a lookup per session for a month, one hash join for ten
# years) rather than three subqueries per session.
# Text cells arrive formula-escaped, so rows go to the CSV writer untouched.
EXPORT_SQL = text(
    """
    SELECT to_char(timezone(:zone, s.started_at), 'YYYY-MM-DD') AS day,
           to_char(timezone(:zone, s.started_at), 'HH24:MI') AS at,
           s.duration_minutes, {instrument}, {focus}, {goals}, {pieces},
           s.mood_rating, s.quality_rating, {notes}
      FROM practice_sessions s
      LEFT JOIN instruments i ON i.id = s.instrument_id
      LEFT JOIN (SELECT sf.session_id, string_agg(f.name, ', ' ORDER BY f.name) AS names
                   FROM session_focus_areas sf
                   JOIN practice_sessions r ON r.id = sf.session_id AND r.user_id = :user_id
                        AND r.started_at >= :start AND r.started_at < :end
                   JOIN focus_areas f ON f.id = sf.focus_area_id
                  GROUP BY sf.session_id) focus ON focus.session_id = s.id
      LEFT JOIN (SELECT sg.session_id, string_agg(g.name, ', ' ORDER BY g.name) AS names
                   FROM session_goals sg
                   JOIN practice_sessions r ON r.id = sg.session_id AND r.user_id = :user_id
                        AND r.started_at >= :start AND r.started_at < :end
                   JOIN goals g ON g.id = sg.goal_id
                  GROUP BY sg.session_id) goal ON goal.session_id = s.id
      LEFT JOIN (SELECT sp.session_id, string_agg(DISTINCT p.title, ', ') AS names
                   FROM session_pieces sp
                   JOIN practice_sessions r ON r.id = sp.session_id AND r.user_id = :user_id
                        AND r.started_at >= :start AND r.started_at < :end
                   JOIN pieces p ON p.id = sp.piece_id
                  GROUP BY sp.session_id) piece ON piece.session_id = s.id
     WHERE s.user_id = :user_id AND s.started_at >= :start AND s.started_at < :end
     ORDER BY s.started_at, s.id
    """.format(
        instrument=escape_formula_sql("i.name"),
        focus=escape_formula_sql("focus.names"),
        goals=escape_formula_sql("goal.names"),
        pieces=escape_formula_sql("piece.names"),
        notes=escape_formula_sql("s.notes"),
    )
)


@bp.get("/stats/export.csv")
def export_csv():
    """Stream the range's sessions as CSV (formula-escaped), never holding them all in memory."""
    start, end = requested_range()
    zone_name = _zone_name()
    zone = local_now().tzinfo
    first = start or stats.first_practice_day(current_user.id, zone_name) or end
    params = {
        "zone": zone_name,
        "user_id": current_user.id,
        "start": stats.local_day_bounds(first, zone)[0],
        "end": stats.local_day_bounds(end, zone)[1],
    }

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def flush():
            chunk = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return chunk

        writer.writerow(EXPORT_COLUMNS)
        yield flush()
        with db.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(EXPORT_SQL, params)
            # An explicit size: on a Core text() result, yield_per does not reach partitions(),
            # which then fetched every row into one list and one chunk.
            for partition in result.partitions(EXPORT_BATCH_ROWS):
                writer.writerows(partition)
                yield flush()

    filename = f"practice-{first.isoformat()}-to-{end.isoformat()}.csv"
    return Response(
        stream_with_context(rows()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


NOTIFICATIONS_SHOWN = 8


@bp.errorhandler(CSRFError)
def csrf_refused(error):
    """A write without a valid X-CSRFToken header gets a JSON 400 and changes nothing."""
    return jsonify(error="This page has expired: reload it and try again."), 400


def _notification_json(item, now):
    """One notification for the bell."""
    return {
        "id": item["id"],
        "kind": item["kind"],
        "message": item["message"],
        "link": app_link(item["link"]),
        "is_read": item["is_read"],
        "created_at": item["created_at"].isoformat(),
        "when": local_day_time(item["created_at"], now),
    }


@bp.get("/notifications")
def notifications():
    """The bell: how many are unread, and the latest in-app notifications."""
    user_id, now = current_user.id, local_now()
    items = latest_notifications(user_id, NOTIFICATIONS_SHOWN)
    return jsonify(
        unread=unread_notification_count(user_id),
        items=[_notification_json(item, now) for item in items],
    )


@bp.post("/notifications/<int:notification_id>/read")
def notification_read(notification_id):
    """Mark one of the user's notifications read; another user's id is simply not found."""
    notification = (
        owned_query(Notification).filter(Notification.id == notification_id).one_or_none()
    )
    if notification is None:
        return jsonify(error="No such notification."), 404
    notification.is_read = True
    db.session.commit()
    return jsonify(
        id=notification_id, is_read=True, unread=unread_notification_count(current_user.id)
    )


@bp.post("/notifications/read-all")
def notifications_read_all():
    """Mark every in-app notification of the user read."""
    marked = (
        owned_query(Notification)
        .filter(Notification.in_app.is_(True), Notification.is_read.is_(False))
        .update({Notification.is_read: True}, synchronize_session=False)
    )
    db.session.commit()
    return jsonify(marked=marked, unread=0)
