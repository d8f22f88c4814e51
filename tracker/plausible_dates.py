"""Dates a musician most likely meant: practice not in the future, targets within reach.

Pure rules taking "today" (in the user's zone), so both faces and the tests can ask them.
"""

from datetime import date
from datetime import datetime
from datetime import timedelta

from tracker.phrases import date_text

# A goal's target further away than this is asked about ("Yes, that date").
TARGET_YEARS_AHEAD = 10
# A session may start up to a day ahead of the user's clock: a late-night session logged
# from a device in another zone. Later than that is a typo.
SESSION_DAYS_AHEAD = 1
CONFIRM_LABEL = "Yes, that date"


def _in_year(day, year):
    """The same day and month in another year (29 February becomes the 28th)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def likely_meant(day, today):
    """The day probably meant instead of a future one: the same day this year, else today."""
    same_day = _in_year(day, today.year)
    return same_day if same_day <= today else today


def future_refusal(day, today):
    """"That's in the future — did you mean Tue 1 Dec 2026?" for a day after today, else None."""
    if day <= today:
        return None
    return f"That's in the future — did you mean {date_text(likely_meant(day, today))}?"


def start_refusal(value, now, days_ahead=SESSION_DAYS_AHEAD):
    """future_refusal for a start (a date, or an aware date and time) more than days_ahead
    after now (aware, in the user's zone), else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value <= now + timedelta(days=days_ahead):
            return None
        return future_refusal(value.astimezone(now.tzinfo).date(), now.date())
    if value <= now.date() + timedelta(days=days_ahead):
        return None
    return future_refusal(value, now.date())


def target_date_question(day, today, creating):
    """Why a target date needs a tick to be kept (far off, or past on a new goal), or None."""
    if not isinstance(day, date):
        return None
    if day > _in_year(today, today.year + TARGET_YEARS_AHEAD):
        return (
            f"That's more than {TARGET_YEARS_AHEAD} years away ({date_text(day)}). "
            f"Tick “{CONFIRM_LABEL}” to keep it."
        )
    if creating and day < today:
        return f"That's in the past ({date_text(day)}). Tick “{CONFIRM_LABEL}” to keep it."
    return None
