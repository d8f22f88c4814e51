"""/api/v1/reminders: when to nudge the musician to practise, in the app or by e-mail."""

import marshmallow as ma
from flask_smorest import abort

from tracker.api.base import ApiBlueprint
from tracker.api.fields import Day
from tracker.api.fields import JsonBoolean
from tracker.api.fields import LocalTime
from tracker.api.fields import Weekdays
from tracker.api.fields import choice
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.models import Reminder
from tracker.models.reminders import CHANNELS
from tracker.models.reminders import RECURRENCES
from tracker.reminders.jobs import settle_reminder
from tracker.reminders.recurrence import MAX_INTERVAL_DAYS
from tracker.reminders.recurrence import missing_settings
from tracker.timezones import user_zone_name


class ReminderSchema(ma.Schema):
    """A reminder at a time of your day: daily, on chosen weekdays, or every N days."""

    id = ma.fields.Integer(dump_only=True)
    label = short_text(
        120,
        required=True,
        message="Name the reminder (at most 120 characters).",
        metadata={"example": "Scales before work"},
    )
    recurrence = choice(
        RECURRENCES,
        metadata={
            "example": "daily",
            "description": (
                "daily; weekdays (needs weekdays); interval (needs interval_days and "
                "start_date). Settings the chosen rule doesn't use are cleared."
            ),
        },
    )
    local_time = LocalTime(
        required=True,
        metadata={"example": "07:30", "description": "HH:MM on your own clock (your time zone)."},
    )
    weekdays = Weekdays(
        metadata={
            "example": [0, 2, 4],
            "description": "For the weekdays rule: day numbers, 0 = Monday … 6 = Sunday.",
        }
    )
    interval_days = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(
            min=1, max=MAX_INTERVAL_DAYS, error="Enter a number of days from 1 to 365."
        ),
        metadata={"example": 2, "description": "For the interval rule: every how many days."},
    )
    start_date = Day(
        allow_none=True,
        metadata={"example": "2026-12-01", "description": "For the interval rule: the first day."},
    )
    channel = choice(CHANNELS, metadata={"example": "in_app"})
    is_active = JsonBoolean(
        metadata={"description": "false pauses the reminder without deleting it."}
    )
    timezone = ma.fields.String(
        dump_only=True,
        metadata={"description": "Your time zone (Settings → Profile), in which it is read."},
    )
    next_fire_at = ma.fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": "Null while it is paused."}
    )
    last_fired_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)


def settle(reminder):
    """Refuse a rule that lacks what it needs, else read it in the user's zone and schedule it."""
    missing = missing_settings(reminder)
    if missing:
        abort(422, errors={"json": {name: [message] for name, message in missing.items()}})
    settle_reminder(reminder, user_zone_name())


blp = ApiBlueprint(
    "reminders",
    __name__,
    "/reminders",
    description="Reminders to practise, in the app (the bell) or by e-mail.",
)
owned_resource(
    blp,
    Reminder,
    ReminderSchema,
    order_by=(Reminder.next_fire_at.asc().nulls_last(), Reminder.id),
    check=settle,
)
BLUEPRINTS = [blp]
