"""Settings → Reminders: when to nudge the musician to practise, in the app or by e-mail."""

from flask import url_for
from wtforms import DateField
from wtforms import SelectField
from wtforms import TimeField
from wtforms import validators

from tracker.admin.base import UserScopedModelView
from tracker.admin.fields import WeekdaysField
from tracker.admin.formatters import choice_formatter
from tracker.admin.formatters import yes_no_formatter
from tracker.admin.validators import RequiredFor
from tracker.models import Reminder
from tracker.models.reminders import CHANNELS
from tracker.models.reminders import RECURRENCES
from tracker.models.reminders import WEEKDAY_NAMES
from tracker.phrases import local_day_time
from tracker.phrases import short_date
from tracker.reminders.jobs import settle_reminder
from tracker.reminders.recurrence import MAX_INTERVAL_DAYS
from tracker.reminders.recurrence import RULE_NEEDS
from tracker.timezones import local_now
from tracker.timezones import user_zone_name

EVERY_DAY_MASK = 0b1111111


def rule_text(reminder, today=None):
    """'Every day at 07:30', 'Mon, Wed at 18:00', 'Every 3 days at 07:00 from 2 Mar'."""
    at = f"at {reminder.local_time:%H:%M}" if reminder.local_time else ""
    if reminder.recurrence == "weekdays" and reminder.weekdays != EVERY_DAY_MASK:
        days = [name for i, name in enumerate(WEEKDAY_NAMES) if reminder.weekdays & (1 << i)]
        return f"{', '.join(days)} {at}"
    if reminder.recurrence == "interval":
        every = reminder.interval_days or 1
        text = "Every day" if every == 1 else f"Every {every} days"
        if reminder.start_date:
            today = today or local_now().date()
            at = f"{at} from {short_date(reminder.start_date, today)}"
        return f"{text} {at}"
    return f"Every day {at}"


def when_formatter(view, context, model, name):
    """The reminder's rule in words."""
    return rule_text(model)


def next_fire_formatter(view, context, model, name):
    """When the reminder fires next, in the user's time; a dash while it is off."""
    if not model.is_active or model.next_fire_at is None:
        return "—"
    return local_day_time(model.next_fire_at)


class ReminderView(UserScopedModelView):
    model = Reminder
    name = "Reminders"
    endpoint = "reminder"
    row_nouns = ("reminder", "reminders")
    category = "Settings"
    empty_list_message = (
        "No reminders yet. A reminder nudges you to practise at a time you choose — every day, "
        "on chosen weekdays or every few days — here in the app (the bell at the top) or by "
        "e-mail. Press Create to add one."
    )
    can_view_details = False
    can_export = False

    column_list = ["label", "when", "channel", "is_active", "next_fire_at"]
    column_labels = {
        "label": "Reminder",
        "when": "When",
        "channel": "How",
        "is_active": "Active",
        "next_fire_at": "Next",
    }
    column_default_sort = ("next_fire_at", False)
    column_sortable_list = ["label", "next_fire_at"]
    column_editable_list = ["is_active"]
    column_formatters = {
        "when": when_formatter,
        "channel": choice_formatter(CHANNELS),
        "is_active": yes_no_formatter,
        "next_fire_at": next_fire_formatter,
    }

    form_columns = [
        "label",
        "recurrence",
        "weekdays",
        "interval_days",
        "start_date",
        "local_time",
        "channel",
        "is_active",
    ]
    form_overrides = {
        # Plain selects and the browser's own time and date inputs.
        "recurrence": SelectField,
        "channel": SelectField,
        "local_time": TimeField,
        "start_date": DateField,
        "weekdays": WeekdaysField,
    }
    form_args = {
        "label": {
            "label": "Reminder",
            "description": "What to practise, e.g. “Scales before work”.",
            "validators": [
                validators.InputRequired("Name the reminder, e.g. “Scales before work”."),
                validators.Length(max=120, message="Keep it to 120 characters."),
            ],
        },
        "recurrence": {"label": "Repeat", "choices": RECURRENCES},
        "local_time": {
            "label": "Time",
            "format": ["%H:%M", "%H:%M:%S"],
            "render_kw": {"type": "time"},
            "description": "Your own clock (the time zone in Settings → Profile).",
            "validators": [validators.InputRequired("At what time should it remind you?")],
        },
        "weekdays": {
            "label": "On these days",
            "validators": [RequiredFor("weekdays", RULE_NEEDS["weekdays"]["weekdays"])],
        },
        "interval_days": {
            "label": "Every how many days",
            "render_kw": {"min": 1, "max": MAX_INTERVAL_DAYS, "inputmode": "numeric"},
            "validators": [
                RequiredFor("interval", RULE_NEEDS["interval"]["interval_days"]),
                validators.NumberRange(
                    min=1, max=MAX_INTERVAL_DAYS, message="Enter a number of days from 1 to 365."
                ),
            ],
        },
        "start_date": {
            "label": "Starting on",
            "default": lambda: local_now().date(),
            "validators": [RequiredFor("interval", RULE_NEEDS["interval"]["start_date"])],
        },
        "channel": {"label": "Remind me", "choices": CHANNELS},
        "is_active": {
            "label": "Active",
            "description": "Switch it off to pause the reminder without deleting it.",
        },
    }

    @property
    def extra_js(self):
        """The form's script, which shows only the fields that matter for the repeat rule."""
        return [url_for("static", filename="js/reminder_form.js")]

    def on_model_change(self, form, model, is_created):
        """Schedule the reminder once the base view has set and checked its owner.

        Runs for the full form and for inline edits of "Active" alike: the rule is read in
        the user's current time zone, settings that don't belong to the chosen repeat rule
        are dropped, and next_fire_at is computed (cleared while the reminder is off).
        """
        super().on_model_change(form, model, is_created)
        settle_reminder(model, user_zone_name())
