"""Chart data for the analytics page and the dashboard: /api/stats/*."""

from datetime import timedelta

from flask import jsonify
from flask import request
from flask_login import current_user

from tracker.api.base import BadRange
from tracker.api.base import bp
from tracker.api.base import date_arg
from tracker.api.base import requested_range
from tracker.figures import stats
from tracker.timezones import local_now
from tracker.timezones import user_zone_name

HEATMAP_DAYS = 365


@bp.get("/stats/summary")
def summary():
    """Totals, sessions, days practised, average session and streaks for the range."""
    start, end = requested_range()
    figures = stats.range_summary(current_user.id, start, end)
    streak = stats.streaks(current_user.id, local_now().date())
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
    series = stats.minutes_over_time(current_user.id, start, end, bucket)
    return jsonify(bucket=bucket, start=series["start"], minutes=series["minutes"])


@bp.get("/stats/breakdown")
def breakdown():
    """Where the time went: by goal, piece, focus area or instrument (all four when unset)."""
    start, end = requested_range()
    by = request.args.get("by")
    if by is not None and by not in stats.BREAKDOWNS:
        raise BadRange("by must be goal, piece, focus_area or instrument.")

    def items(kind):
        return stats.BREAKDOWNS[kind](current_user.id, user_zone_name(), start, end)

    if by:
        return jsonify(by=by, items=items(by))
    return jsonify(by="all", groups={kind: items(kind) for kind in stats.BREAKDOWNS})


@bp.get("/stats/heatmap")
def heatmap():
    """Minutes on each of the 365 local days ending at ?end (default today)."""
    end = date_arg("end") or local_now().date()
    start = end - timedelta(days=HEATMAP_DAYS - 1)
    days = stats.daily_minutes(current_user.id, start, end)
    return jsonify(start=start.isoformat(), end=end.isoformat(), days=days)


@bp.get("/stats/ratings")
def ratings():
    """Daily mood and quality with their 7-day moving averages."""
    start, end = requested_range()
    points = stats.rating_trends(current_user.id, user_zone_name(), start, end)
    return jsonify(points=points)
