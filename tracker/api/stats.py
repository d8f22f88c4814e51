"""/api/v1/stats/*: the figures behind the dashboard and the analytics charts."""

from datetime import timedelta

import marshmallow as ma
from flask_login import current_user

from tracker.api.base import ApiBlueprint
from tracker.api.base import RangeArgs
from tracker.api.fields import Day
from tracker.api.fields import PlainList
from tracker.figures import stats
from tracker.timezones import local_now
from tracker.timezones import user_zone_name

blp = ApiBlueprint("stats", __name__, "/stats", description="Your practice in figures.")
BLUEPRINTS = [blp]
HEATMAP_DAYS = 365
KINDS = list(stats.BREAKDOWNS)


def iso_date(**kwargs):
    """A day the figures already give as "2026-03-31" text."""
    return ma.fields.String(metadata={"format": "date"}, **kwargs)


class SummarySchema(ma.Schema):
    """Totals for a range, with the streaks as of today."""

    start = Day(allow_none=True)
    end = Day()
    current_streak = ma.fields.Integer()
    longest_streak = ma.fields.Integer()
    total_minutes = ma.fields.Integer()
    sessions = ma.fields.Integer()
    days_practised = ma.fields.Integer()
    average_minutes = ma.fields.Float()


class BucketArgs(RangeArgs):
    """A range cut into days, weeks (from Monday) or months."""

    bucket = ma.fields.String(load_default="day", validate=ma.validate.OneOf(list(stats.BUCKETS)))


class SeriesSchema(ma.Schema):
    """Minutes per bucket: bucket i starts i days, weeks or months after `start`."""

    bucket = ma.fields.String()
    start = iso_date()
    minutes = PlainList(ma.fields.Integer())


class BreakdownArgs(RangeArgs):
    """Which breakdown: goal, piece, focus_area or instrument (all four when omitted)."""

    by = ma.fields.String(load_default=None, validate=ma.validate.OneOf(KINDS))


class ShareSchema(ma.Schema):
    """Minutes on one goal, piece, focus area or instrument."""

    label = ma.fields.String()
    minutes = ma.fields.Integer()


class BreakdownSchema(ma.Schema):
    """`items` for one breakdown, or `groups` (kind -> items) for all of them."""

    by = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(ShareSchema))
    groups = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.List(ma.fields.Nested(ShareSchema))
    )

    @ma.post_dump
    def one_of_the_two(self, data, **kwargs):
        """Only the key that applies: items for one breakdown, groups for all."""
        return {key: value for key, value in data.items() if value is not None}


class HeatmapArgs(ma.Schema):
    """The last day of the year shown (default today)."""

    end = Day(load_default=None)


class DaySchema(ma.Schema):
    """Minutes on one local day."""

    date = iso_date()
    minutes = ma.fields.Integer()


class HeatmapSchema(ma.Schema):
    """Minutes on each of 365 local days."""

    start = Day()
    end = Day()
    days = PlainList(ma.fields.Nested(DaySchema))


class RatingPointSchema(ma.Schema):
    """A day's average mood and quality, with their 7-day moving averages."""

    date = iso_date()
    mood = ma.fields.Float(allow_none=True)
    quality = ma.fields.Float(allow_none=True)
    mood_avg = ma.fields.Float(allow_none=True)
    quality_avg = ma.fields.Float(allow_none=True)


class RatingsSchema(ma.Schema):
    """Mood and quality over the range."""

    points = PlainList(ma.fields.Nested(RatingPointSchema))


@blp.get("/summary")
@blp.arguments(RangeArgs, location="query")
@blp.response(200, SummarySchema)
def summary(args):
    """Totals, sessions, days practised, average session and streaks for the range."""
    start, end = args["start"], args["end"]
    streak = stats.streaks(current_user.id, local_now().date())
    return {
        "start": start,
        "end": end,
        "current_streak": streak["current"],
        "longest_streak": streak["longest"],
        **stats.range_summary(current_user.id, start, end),
    }


@blp.get("/timeseries")
@blp.arguments(BucketArgs, location="query")
@blp.response(200, SeriesSchema)
def timeseries(args):
    """Minutes per day, week or month across the range."""
    series = stats.minutes_over_time(current_user.id, args["start"], args["end"], args["bucket"])
    return {"bucket": args["bucket"], **series}


@blp.get("/breakdown")
@blp.arguments(BreakdownArgs, location="query")
@blp.response(200, BreakdownSchema)
def breakdown(args):
    """Where the time went: by goal, piece, focus area or instrument (all four when unset)."""

    def items(kind):
        compute = stats.BREAKDOWNS[kind]
        return compute(current_user.id, user_zone_name(), args["start"], args["end"])

    if args["by"]:
        return {"by": args["by"], "items": items(args["by"]), "groups": None}
    return {"by": "all", "items": None, "groups": {kind: items(kind) for kind in KINDS}}


@blp.get("/heatmap")
@blp.arguments(HeatmapArgs, location="query")
@blp.response(200, HeatmapSchema)
def heatmap(args):
    """Minutes on each of the 365 local days ending at ?end (default today)."""
    end = args["end"] or local_now().date()
    start = end - timedelta(days=HEATMAP_DAYS - 1)
    return {"start": start, "end": end, "days": stats.daily_minutes(current_user.id, start, end)}


@blp.get("/ratings")
@blp.arguments(RangeArgs, location="query")
@blp.response(200, RatingsSchema)
def ratings(args):
    """Daily mood and quality with their 7-day moving averages."""
    points = stats.rating_trends(current_user.id, user_zone_name(), args["start"], args["end"])
    return {"points": points}
