"""Next-fire computation for each recurrence, across both DST changes, in two zones."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tracker.reminders.recurrence import local_instant
from tracker.reminders.recurrence import next_fire_after

BERLIN = ZoneInfo("Europe/Berlin")
LA = ZoneInfo("America/Los_Angeles")


def reminder(zone, at, recurrence="daily", weekdays=0, interval_days=None, start_date=None):
    return SimpleNamespace(
        timezone=zone.key,
        local_time=at,
        recurrence=recurrence,
        weekdays=weekdays,
        interval_days=interval_days,
        start_date=start_date,
    )


def local(zone, *args):
    return datetime(*args, tzinfo=zone)


def fire_times(rule, start, count):
    """The next `count` firings after start, in the rule's zone."""
    times, after = [], start
    for _ in range(count):
        after = next_fire_after(rule, after)
        times.append(after.astimezone(ZoneInfo(rule.timezone)))
    return times


@pytest.mark.parametrize(
    "zone, spring, autumn",
    [(BERLIN, date(2026, 3, 29), date(2026, 10, 25)), (LA, date(2026, 3, 8), date(2026, 11, 1))],
)
def test_daily_0730_stays_0730_local_across_both_changes(zone, spring, autumn):
    rule = reminder(zone, time(7, 30))
    for change in (spring, autumn):
        first = change - timedelta(days=2)
        start = local(zone, first.year, first.month, first.day, 12, 0)
        times = fire_times(rule, start, 4)
        assert [(t.date(), t.hour, t.minute) for t in times] == [
            (change + timedelta(days=n), 7, 30) for n in (-1, 0, 1, 2)
        ]
    # Across the spring change the gap between two 07:30s is 23 hours, in UTC.
    before = local_instant(spring - timedelta(days=1), time(7, 30), zone)
    after = local_instant(spring, time(7, 30), zone)
    assert (after - before).total_seconds() == 23 * 3600


def test_0230_on_spring_forward_day_fires_once_at_the_jump_in_berlin():
    rule = reminder(BERLIN, time(2, 30))
    times = fire_times(rule, local(BERLIN, 2026, 3, 28, 12, 0), 3)
    assert [t.isoformat() for t in times] == [
        "2026-03-29T03:00:00+02:00",
        "2026-03-30T02:30:00+02:00",
        "2026-03-31T02:30:00+02:00",
    ]


def test_0230_on_spring_forward_day_fires_once_at_the_jump_in_los_angeles():
    rule = reminder(LA, time(2, 30))
    times = fire_times(rule, local(LA, 2026, 3, 7, 12, 0), 2)
    assert [t.isoformat() for t in times] == [
        "2026-03-08T03:00:00-07:00",
        "2026-03-09T02:30:00-07:00",
    ]


@pytest.mark.parametrize("zone, day", [(BERLIN, 25), (LA, 1)])
def test_ambiguous_0130_or_0230_on_fall_back_fires_once(zone, day):
    at = time(2, 30) if zone is BERLIN else time(1, 30)
    month = 10 if zone is BERLIN else 11
    rule = reminder(zone, at)
    start = local(zone, 2026, month, day, 0, 5)
    times = fire_times(rule, start, 2)
    assert times[0].date() == date(2026, month, day) and times[0].fold == 0
    assert times[1].date() == date(2026, month, day) + timedelta(days=1)
    elapsed = times[1].astimezone(UTC) - times[0].astimezone(UTC)
    assert elapsed.total_seconds() == 25 * 3600


def test_weekdays_rule():
    monday_wednesday = 0b0000101
    rule = reminder(BERLIN, time(18, 0), "weekdays", weekdays=monday_wednesday)
    times = fire_times(rule, local(BERLIN, 2026, 3, 25, 19, 0), 4)  # a Wednesday evening
    assert [t.strftime("%a %d %H:%M") for t in times] == [
        "Mon 30 18:00",
        "Wed 01 18:00",
        "Mon 06 18:00",
        "Wed 08 18:00",
    ]


def test_every_n_days_from_a_start_date_across_dst():
    rule = reminder(LA, time(7, 0), "interval", interval_days=3, start_date=date(2026, 3, 2))
    times = fire_times(rule, local(LA, 2026, 3, 1, 0, 0), 4)
    assert [t.strftime("%m-%d %H:%M %Z") for t in times] == [
        "03-02 07:00 PST",
        "03-05 07:00 PST",
        "03-08 07:00 PDT",
        "03-11 07:00 PDT",
    ]


def test_next_fire_is_strictly_after():
    rule = reminder(BERLIN, time(7, 30))
    exactly = local_instant(date(2026, 6, 1), time(7, 30), BERLIN)
    assert next_fire_after(rule, exactly) == local_instant(date(2026, 6, 2), time(7, 30), BERLIN)
    assert next_fire_after(rule, exactly.astimezone(UTC)).tzinfo is not None
