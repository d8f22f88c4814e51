"""Statistics against hand-computed fixtures, in the user's own time zone."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_login import login_user

from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures import stats

BERLIN = "Europe/Berlin"


def _at(local_text, zone=BERLIN):
    """An aware UTC datetime from local wall-clock text like '2026-03-10 23:30'."""
    naive = datetime.fromisoformat(local_text)
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _session(user, local_text, minutes=30, zone=BERLIN, **kwargs):
    return PracticeSessionFactory(
        user=user, started_at=_at(local_text, zone), duration_minutes=minutes, **kwargs
    )


def test_late_evening_session_counts_on_its_local_day():
    user = UserFactory(timezone="America/Los_Angeles")
    # 23:30 on 10 March in Los Angeles is 07:30 on 11 March in UTC.
    _session(user, "2026-03-10 23:30", 45, zone="America/Los_Angeles")
    days = stats.daily_minutes(user.id, date(2026, 3, 10), date(2026, 3, 11))
    assert days == [{"date": "2026-03-10", "minutes": 45}, {"date": "2026-03-11", "minutes": 0}]


def test_period_totals_today_week_month_all_time():
    user = UserFactory(timezone=BERLIN)
    now = datetime(2026, 3, 18, 20, 0, tzinfo=ZoneInfo(BERLIN))  # a Wednesday
    _session(user, "2026-03-18 07:00", 20)  # today
    _session(user, "2026-03-16 00:10", 30)  # Monday, this week
    _session(user, "2026-03-15 23:50", 40)  # Sunday, last week, this month
    _session(user, "2026-02-28 12:00", 50)  # last month
    _session(user, "2026-03-19 08:00", 60)  # tomorrow (logged ahead): not counted yet
    totals = stats.period_totals(user.id, now.date())
    assert totals == {"today": 20, "week": 50, "month": 90, "all_time": 200}


def test_today_with_no_practice_yet():
    user = UserFactory(timezone=BERLIN)
    _session(user, "2026-03-17 10:00", 25)
    now = datetime(2026, 3, 18, 6, 0, tzinfo=ZoneInfo(BERLIN))
    assert stats.period_totals(user.id, now.date())["today"] == 0
    assert stats.streaks(user.id, now.date()) == {"current": 1, "longest": 1}


def test_streaks_over_a_gap():
    user = UserFactory(timezone=BERLIN)
    for day in ("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04"):
        _session(user, f"{day} 09:00")
    _session(user, "2026-03-04 21:00")  # two sessions on one day still count once
    for day in ("2026-03-08", "2026-03-09"):
        _session(user, f"{day} 09:00")
    assert stats.streaks(user.id, date(2026, 3, 9)) == {"current": 2, "longest": 4}
    assert stats.streaks(user.id, date(2026, 3, 10)) == {"current": 2, "longest": 4}
    assert stats.streaks(user.id, date(2026, 3, 11)) == {"current": 0, "longest": 4}


def test_streak_across_the_spring_dst_change():
    user = UserFactory(timezone=BERLIN)
    # Berlin moves its clocks forward at 02:00 on 29 March 2026.
    for day in ("2026-03-28 23:30", "2026-03-29 03:30", "2026-03-30 00:15"):
        _session(user, day)
    assert stats.streaks(user.id, date(2026, 3, 30)) == {"current": 3, "longest": 3}
    days = stats.daily_minutes(user.id, date(2026, 3, 28), date(2026, 3, 30))
    assert [d["minutes"] for d in days] == [30, 30, 30]


def test_day_boundaries_across_the_autumn_dst_change():
    user = UserFactory(timezone=BERLIN)
    # 25 October 2026 has 25 hours in Berlin; 23:59 is still the 25th.
    _session(user, "2026-10-25 00:05", 10)
    _session(user, "2026-10-25 23:59", 20)
    _session(user, "2026-10-26 00:01", 40)
    summary = stats.range_summary(user.id, date(2026, 10, 25), date(2026, 10, 25))
    assert summary == {
        "total_minutes": 30,
        "sessions": 2,
        "days_practised": 1,
        "average_minutes": 15.0,
    }


def test_range_summary_and_average():
    user = UserFactory(timezone="UTC")
    _session(user, "2026-01-01 10:00", 30, zone="UTC")
    _session(user, "2026-01-01 18:00", 45, zone="UTC")
    _session(user, "2026-01-03 10:00", 60, zone="UTC")
    _session(user, "2026-02-01 10:00", 90, zone="UTC")
    summary = stats.range_summary(user.id, date(2026, 1, 1), date(2026, 1, 31))
    assert summary == {
        "total_minutes": 135,
        "sessions": 3,
        "days_practised": 2,
        "average_minutes": 45.0,
    }
    everything = stats.range_summary(user.id, None, date(2026, 12, 31))
    assert everything["sessions"] == 4


def test_minutes_over_time_by_day_week_and_month():
    user = UserFactory(timezone="UTC")
    _session(user, "2026-03-02 10:00", 30, zone="UTC")  # Monday
    _session(user, "2026-03-04 10:00", 15, zone="UTC")
    _session(user, "2026-03-10 10:00", 60, zone="UTC")
    _session(user, "2026-04-01 10:00", 5, zone="UTC")
    daily = stats.minutes_over_time(user.id, date(2026, 3, 1), date(2026, 3, 4), "day")
    assert daily == {"start": "2026-03-01", "minutes": [0, 30, 0, 15]}
    weekly = stats.minutes_over_time(user.id, date(2026, 3, 4), date(2026, 3, 15), "week")
    assert weekly == {"start": "2026-03-02", "minutes": [15, 60]}  # from the 4th only
    monthly = stats.minutes_over_time(user.id, None, date(2026, 4, 30), "month")
    assert monthly == {"start": "2026-03-01", "minutes": [105, 5]}


def test_breakdowns_by_focus_area_goal_piece_and_instrument():
    user = UserFactory(timezone="UTC")
    scales = FocusAreaFactory(user=user, name="Scales")
    etudes = FocusAreaFactory(user=user, name="Etudes")
    piano = InstrumentFactory(user=user, name="Piano")
    first = _session(
        user, "2026-05-01 10:00", 60, zone="UTC", focus_areas=[scales, etudes], instrument=piano
    )
    second = _session(user, "2026-05-02 10:00", 30, zone="UTC", focus_areas=[scales])
    goal = GoalFactory(user=user, name="Clean scales")
    SessionGoalFactory(user=user, session=first, goal=goal, minutes=20)
    SessionGoalFactory(user=user, session=second, goal=goal)
    nocturne = PieceFactory(user=user, title="Nocturne")
    SessionPieceFactory(user=user, session=first, piece=nocturne)
    args = (user.id, "UTC", date(2026, 5, 1), date(2026, 5, 31))
    assert stats.minutes_by_focus_area(*args) == [
        {"label": "Scales", "minutes": 90},
        {"label": "Etudes", "minutes": 60},
    ]
    assert stats.minutes_by_goal(*args) == [{"label": "Clean scales", "minutes": 50}]
    assert stats.minutes_by_piece(*args) == [{"label": "Nocturne", "minutes": 60}]
    assert stats.minutes_by_instrument(*args) == [
        {"label": "Piano", "minutes": 60},
        {"label": "No instrument", "minutes": 30},
    ]


def test_rating_trends_with_moving_average():
    user = UserFactory(timezone="UTC")
    _session(user, "2026-06-01 10:00", zone="UTC", mood_rating=2, quality_rating=None)
    _session(user, "2026-06-01 18:00", zone="UTC", mood_rating=4, quality_rating=3)
    _session(user, "2026-06-05 10:00", zone="UTC", mood_rating=5, quality_rating=5)
    _session(user, "2026-06-20 10:00", zone="UTC", mood_rating=1, quality_rating=1)
    _session(user, "2026-06-21 10:00", zone="UTC", mood_rating=None, quality_rating=None)
    points = stats.rating_trends(user.id, "UTC", date(2026, 6, 1), date(2026, 6, 30))
    assert points == [
        {"date": "2026-06-01", "mood": 3.0, "quality": 3.0, "mood_avg": 3.0, "quality_avg": 3.0},
        {"date": "2026-06-05", "mood": 5.0, "quality": 5.0, "mood_avg": 4.0, "quality_avg": 4.0},
        {"date": "2026-06-20", "mood": 1.0, "quality": 1.0, "mood_avg": 1.0, "quality_avg": 1.0},
    ]


def test_other_users_sessions_never_count():
    user = UserFactory(timezone="UTC")
    other = UserFactory(timezone="UTC")
    _session(other, "2026-01-01 10:00", 100, zone="UTC")
    now = datetime(2026, 1, 1, 20, 0, tzinfo=UTC)
    assert stats.period_totals(user.id, now.date()) == {
        "today": 0,
        "week": 0,
        "month": 0,
        "all_time": 0,
    }
    assert stats.streaks(user.id, now.date()) == {"current": 0, "longest": 0}
    assert stats.daily_minutes(user.id, now.date() - timedelta(days=1), now.date()) == [
        {"date": "2025-12-31", "minutes": 0},
        {"date": "2026-01-01", "minutes": 0},
    ]


def test_cached_figures_stay_until_the_user_writes(app, count_queries):
    user = UserFactory(timezone=BERLIN)
    _session(user, "2026-03-18 07:00", 20)
    today = date(2026, 3, 18)
    with app.test_request_context():
        login_user(user)  # the version comes with the signed-in user's row: no query of its own
        assert stats.period_totals(user.id, today)["today"] == 20
        assert count_queries(lambda: stats.period_totals(user.id, today)) == 0
        assert count_queries(lambda: stats.period_totals(user.id, today + timedelta(days=1))) == 1
        assert count_queries(lambda: stats.period_totals.uncached(user.id, today)) == 1
        _session(user, "2026-03-18 09:00", 15)
        assert stats.period_totals(user.id, today)["today"] == 35


def test_cached_figures_outside_a_request_read_the_version_alone(count_queries):
    user = UserFactory(timezone=BERLIN)
    _session(user, "2026-03-18 07:00", 20)
    today = date(2026, 3, 18)
    assert stats.period_totals(user.id, today)["today"] == 20
    assert count_queries(lambda: stats.period_totals(user.id, today)) == 1


def test_cached_figures_follow_a_new_time_zone_at_once():
    user = UserFactory(timezone="UTC")
    _session(user, "2026-03-18 23:30", 40, zone="UTC")  # 19 March in Tokyo
    assert stats.period_totals(user.id, date(2026, 3, 18))["today"] == 40
    assert stats.streaks(user.id, date(2026, 3, 18))["current"] == 1
    user.timezone = "Asia/Tokyo"
    db.session.commit()
    assert stats.period_totals(user.id, date(2026, 3, 18))["today"] == 0
    assert stats.period_totals(user.id, date(2026, 3, 19))["today"] == 40
