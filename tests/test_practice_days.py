"""The per-day rollup stays equal to the sessions it summarises, whatever changes them."""

import random
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import text

from tests.conftest import committed_rows
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures import stats

ROLLUP = "SELECT day, minutes, sessions FROM practice_days WHERE user_id = :u ORDER BY day"
RECOMPUTED = (
    "SELECT (s.started_at AT TIME ZONE u.timezone)::date AS day, "
    "sum(s.duration_minutes), count(*) "
    "FROM practice_sessions s JOIN users u ON u.id = s.user_id "
    "WHERE s.user_id = :u GROUP BY 1 ORDER BY 1"
)
RUNS = "SELECT first_day, last_day FROM practice_runs WHERE user_id = :u ORDER BY first_day"
# The runs of consecutive days, straight from practice_days (gaps and islands).
RUNS_RECOMPUTED = (
    "SELECT min(day), max(day) FROM (SELECT day, day - (row_number() "
    "OVER (ORDER BY day))::int AS grp FROM practice_days WHERE user_id = :u) d "
    "GROUP BY grp ORDER BY 1"
)


def _rollup(user_id):
    return committed_rows(ROLLUP, u=user_id)


def _recomputed(user_id):
    return committed_rows(RECOMPUTED, u=user_id)


def test_rollup_follows_inserts_updates_deletes_and_time_zone_changes():
    user = UserFactory(timezone="Europe/Berlin")
    late = PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC), duration_minutes=40
    )
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC), duration_minutes=20
    )
    assert _rollup(user.id) == _recomputed(user.id)
    assert [(str(d), m, n) for d, m, n in _rollup(user.id)] == [("2026-03-10", 60, 2)]

    late.started_at -= timedelta(hours=2)  # moves to 9 March, local time
    late.duration_minutes = 45
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)
    assert len(_rollup(user.id)) == 2

    user.timezone = "UTC"
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)

    db.session.delete(late)
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id) == [(datetime(2026, 3, 10).date(), 20, 1)]


def test_rollup_follows_raw_sql_and_other_users_stay_apart():
    user, other = UserFactory(), UserFactory()
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practice_sessions (user_id, started_at, duration_minutes) "
                "SELECT :u, now() - (n || ' hours')::interval, 10 FROM generate_series(1, 100) n"
            ),
            {"u": user.id},
        )
        conn.execute(
            text(
                "DELETE FROM practice_sessions WHERE user_id = :u AND duration_minutes = 10 "
                "AND started_at < now() - interval '50 hours'"
            ),
            {"u": user.id},
        )
    PracticeSessionFactory(user=other, duration_minutes=500)
    assert _rollup(user.id) == _recomputed(user.id)
    assert sum(m for _, m, _ in _rollup(user.id)) == 500
    assert _rollup(other.id) == _recomputed(other.id)


def _runs(user_id):
    return committed_rows(RUNS, u=user_id)


def _runs_recomputed(user_id):
    return committed_rows(RUNS_RECOMPUTED, u=user_id)


def test_runs_follow_days_added_and_removed_in_any_order():
    user, other = UserFactory(timezone="UTC"), UserFactory(timezone="UTC")
    PracticeSessionFactory(user=other, started_at=datetime(2026, 1, 5, 12, tzinfo=UTC))
    shuffled = random.Random(20261124)
    sessions = {}
    for _ in range(120):
        day = shuffled.randrange(30)
        if day in sessions and shuffled.random() < 0.5:
            db.session.delete(sessions.pop(day))  # the day's only session: the day goes
        elif day in sessions:
            sessions[day].started_at += timedelta(days=shuffled.choice((-1, 1)) * 3)
            sessions[shuffled.randrange(1000, 10**6)] = sessions.pop(day)  # moved elsewhere
        else:
            sessions[day] = PracticeSessionFactory(
                user=user, started_at=datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=day)
            )
        db.session.commit()
        assert _runs(user.id) == _runs_recomputed(user.id)
    assert _runs(other.id) == [(datetime(2026, 1, 5).date(), datetime(2026, 1, 5).date())]

    user.timezone = "Pacific/Kiritimati"  # UTC+14: every noon session moves to the next day
    db.session.commit()
    assert _runs(user.id) == _runs_recomputed(user.id)


def test_runs_give_current_and_longest_streak():
    user = UserFactory(timezone="UTC")
    for day in (1, 2, 3, 5, 6, 9, 10):
        PracticeSessionFactory(user=user, started_at=datetime(2026, 2, day, 9, tzinfo=UTC))
    assert _runs(user.id) == _runs_recomputed(user.id)
    assert stats.streaks(user.id, datetime(2026, 2, 11).date()) == {
        "current": 2,
        "longest": 3,
    }
    assert stats.streaks(user.id, datetime(2026, 2, 12).date())["current"] == 0


def test_deleting_a_user_deletes_their_runs():
    user = UserFactory()
    for day in (1, 2, 4):
        PracticeSessionFactory(user=user, started_at=datetime(2026, 2, day, 9, tzinfo=UTC))
    user_id = user.id
    db.session.delete(user)
    db.session.commit()
    assert _runs(user_id) == []
