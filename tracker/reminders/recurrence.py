"""When a reminder fires next: local wall-clock times in the user's zone, DST-safe."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

# Far enough to find the next chosen weekday or interval day, whatever the rule.
MAX_DAYS_AHEAD = 400
MAX_INTERVAL_DAYS = 365
# What each repeat rule needs besides a time, and what to say when it is missing.
RULE_NEEDS = {
    "weekdays": {"weekdays": "Choose at least one day."},
    "interval": {
        "interval_days": "Enter how many days apart, e.g. 2 for every other day.",
        "start_date": "Choose the first day.",
    },
}


def missing_settings(reminder):
    """{setting: message} for what the reminder's repeat rule needs and it lacks."""
    needs = RULE_NEEDS.get(reminder.recurrence, {})
    return {name: message for name, message in needs.items() if not getattr(reminder, name)}


def drop_unused_settings(reminder):
    """Clear the settings (weekdays, interval, first day) that its repeat rule doesn't use."""
    if reminder.recurrence != "weekdays":
        reminder.weekdays = 0
    if reminder.recurrence != "interval":
        reminder.interval_days = None
        reminder.start_date = None


def local_instant(day, wall_time, zone):
    """The UTC instant of wall_time on local day; the first one when it happens twice.

    A wall time that does not exist (skipped by a spring-forward change) becomes the
    first valid moment after the gap, i.e. when the clocks jump.
    """
    naive = datetime.combine(day, wall_time)
    first = naive.replace(tzinfo=zone, fold=0)
    as_utc = first.astimezone(UTC)
    if as_utc.astimezone(zone).replace(tzinfo=None) == naive:
        return as_utc
    # In a gap: fold=0 reads the wall time with the offset before the change, which
    # lands after the jump; step back to the instant the new offset starts.
    after_offset = naive.replace(tzinfo=zone, fold=1).utcoffset()
    instant = as_utc
    while (instant - timedelta(minutes=1)).astimezone(zone).utcoffset() == after_offset:
        instant -= timedelta(minutes=1)
    return instant


def fires_on(reminder, day):
    """Whether the reminder's rule includes local calendar day."""
    if reminder.recurrence == "daily":
        return True
    if reminder.recurrence == "weekdays":
        return bool(reminder.weekdays & (1 << day.weekday()))
    if reminder.recurrence == "interval":
        if reminder.start_date is None or day < reminder.start_date:
            return False
        return (day - reminder.start_date).days % max(reminder.interval_days or 1, 1) == 0
    return False


def next_fire_after(reminder, after):
    """The first instant strictly after `after` (aware) when the reminder fires, or None."""
    zone = ZoneInfo(reminder.timezone or "UTC")
    day = after.astimezone(zone).date() - timedelta(days=1)
    for offset in range(MAX_DAYS_AHEAD):
        candidate_day = day + timedelta(days=offset)
        if not fires_on(reminder, candidate_day):
            continue
        instant = local_instant(candidate_day, reminder.local_time, zone)
        if instant > after:
            return instant
    return None
