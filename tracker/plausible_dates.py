"""Dates a musician most likely meant: practice not in the future, targets within reach.

Pure rules taking "today" (in the user's zone), so both faces and the tests can ask them.
"""

from datetime import date

from tracker.phrases import date_text

# A goal's target further away than this is asked about ("Yes, that date").
TARGET_YEARS_AHEAD = 10
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
