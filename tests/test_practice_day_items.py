"""Minutes per day and focus area or piece stay equal to the sessions, whatever changes them."""

import importlib.util
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from tests.conftest import committed_rows
from tests.factories import FocusAreaFactory
from tests.factories import PieceFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures import stats

ROLLUP = (
    "SELECT kind, day, item_id, minutes FROM practice_day_items WHERE user_id = :u "
    "ORDER BY kind, day, item_id"
)
# Straight from the sessions, as the figures counted before the rollup: a focus area gets
# the whole session, a piece the session's link minutes for it, else the whole session.
RECOMPUTED = """
WITH s AS (SELECT s.id, s.duration_minutes, (s.started_at AT TIME ZONE u.timezone)::date AS day
             FROM practice_sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = :u)
SELECT kind, day, item_id, minutes FROM (
    SELECT 'focus_area' AS kind, s.day, l.focus_area_id AS item_id,
           sum(s.duration_minutes) AS minutes
      FROM s JOIN session_focus_areas l ON l.session_id = s.id GROUP BY 2, 3
    UNION ALL
    SELECT 'piece', day, piece_id, sum(minutes) FROM (
        SELECT s.day, l.piece_id, coalesce(sum(l.minutes), max(s.duration_minutes)) AS minutes
          FROM s JOIN session_pieces l ON l.session_id = s.id GROUP BY s.day, l.piece_id, s.id
    ) p GROUP BY 2, 3
) rows ORDER BY kind, day, item_id
"""


def _rollup(user_id):
    return committed_rows(ROLLUP, u=user_id)


def _recomputed(user_id):
    return committed_rows(RECOMPUTED, u=user_id)


def test_day_items_follow_links_sessions_and_time_zone_changes():
    user = UserFactory(timezone="Europe/Berlin")
    scales, etudes = FocusAreaFactory(user=user), FocusAreaFactory(user=user)
    nocturne = PieceFactory(user=user)
    # 23:30 UTC on 9 March is 10 March in Berlin.
    late = PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 3, 9, 23, 30, tzinfo=UTC),
        duration_minutes=40,
        focus_areas=[scales, etudes],
    )
    morning = PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
        duration_minutes=20,
        focus_areas=[scales],
    )
    SessionPieceFactory(user=user, session=late, piece=nocturne, minutes=None)
    link = SessionPieceFactory(user=user, session=morning, piece=nocturne, minutes=5)
    db.session.commit()
    march_10 = date(2026, 3, 10)
    assert _rollup(user.id) == _recomputed(user.id)
    assert _rollup(user.id) == [
        ("focus_area", march_10, scales.id, 60),
        ("focus_area", march_10, etudes.id, 40),
        ("piece", march_10, nocturne.id, 45),
    ]

    link.minutes = 15
    late.duration_minutes = 50
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)
    assert ("piece", march_10, nocturne.id, 65) in _rollup(user.id)

    late.started_at -= timedelta(hours=2)  # 9 March, local time
    late.focus_areas.remove(etudes)
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)
    assert {row[1] for row in _rollup(user.id)} == {date(2026, 3, 9), march_10}

    user.timezone = "America/Los_Angeles"
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)

    db.session.delete(morning)
    db.session.commit()
    assert _rollup(user.id) == _recomputed(user.id)
    assert [row[2] for row in _rollup(user.id)] == [scales.id, nocturne.id]


def test_day_items_follow_raw_sql_and_other_users_stay_apart():
    user, other = UserFactory(timezone="UTC"), UserFactory(timezone="UTC")
    area, other_area = FocusAreaFactory(user=user), FocusAreaFactory(user=other)
    db.session.commit()
    with db.engine.begin() as conn:
        for owner, focus in ((user, area), (other, other_area)):
            conn.execute(
                text(
                    "WITH s AS (INSERT INTO practice_sessions (user_id, started_at, "
                    "duration_minutes) SELECT :u, now() - (n || ' hours')::interval, 10 "
                    "FROM generate_series(1, 50) n RETURNING id) "
                    "INSERT INTO session_focus_areas (session_id, focus_area_id, user_id) "
                    "SELECT id, :f, :u FROM s"
                ),
                {"u": owner.id, "f": focus.id},
            )
        conn.execute(
            text("DELETE FROM practice_sessions WHERE user_id = :u AND duration_minutes = 10 "
                 "AND started_at < now() - interval '40 hours'"),
            {"u": user.id},
        )  # fmt: skip
    assert _rollup(user.id) == _recomputed(user.id)
    assert sum(row[3] for row in _rollup(user.id)) == 400  # 40 of the 50 sessions left
    assert _rollup(other.id) == _recomputed(other.id)
    assert sum(row[3] for row in _rollup(other.id)) == 500


def test_breakdowns_read_the_day_items_of_the_range_only():
    user = UserFactory(timezone="UTC")
    scales = FocusAreaFactory(user=user, name="Scales")
    nocturne = PieceFactory(user=user, title="Nocturne")
    for day, minutes in ((1, 30), (15, 20), (31, 50)):
        session = PracticeSessionFactory(
            user=user,
            started_at=datetime(2026, 5, day, 10, 0, tzinfo=UTC),
            duration_minutes=minutes,
            focus_areas=[scales],
        )
        SessionPieceFactory(user=user, session=session, piece=nocturne, minutes=None)
    db.session.commit()
    args = (user.id, "UTC", date(2026, 5, 2), date(2026, 5, 31))
    assert stats.minutes_by_focus_area(*args) == [{"label": "Scales", "minutes": 70}]
    assert stats.minutes_by_piece(*args) == [{"label": "Nocturne", "minutes": 70}]
    everything = (user.id, "UTC", None, None)
    assert stats.minutes_by_focus_area(*everything) == [{"label": "Scales", "minutes": 100}]


def test_deleting_a_user_deletes_their_day_items():
    user = UserFactory(timezone="UTC")
    PracticeSessionFactory(user=user, focus_areas=[FocusAreaFactory(user=user)])
    db.session.commit()
    assert len(_rollup(user.id)) == 1
    user_id = user.id
    db.session.delete(user)
    db.session.commit()
    assert _rollup(user_id) == []


def test_the_migrations_one_statement_backfill_writes_what_the_triggers_keep():
    path = next(Path(__file__).parents[1].glob("migrations/versions/*_practice_day_items.py"))
    spec = importlib.util.spec_from_file_location("day_items_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    users = [UserFactory(timezone="Europe/Berlin"), UserFactory(timezone="America/New_York")]
    for user in users:
        scales, nocturne = FocusAreaFactory(user=user), PieceFactory(user=user)
        for hours, minutes in ((2, None), (26, 10), (30, 25)):
            session = PracticeSessionFactory(
                user=user,
                started_at=datetime(2026, 3, 9, 22, 0, tzinfo=UTC) + timedelta(hours=hours),
                duration_minutes=40,
                focus_areas=[scales],
            )
            SessionPieceFactory(user=user, session=session, piece=nocturne, minutes=minutes)
    db.session.commit()
    kept = {user.id: _rollup(user.id) for user in users}
    assert all(kept.values())
    db.session.execute(text("DELETE FROM practice_day_items"))
    db.session.execute(text(migration.BACKFILL))
    db.session.commit()
    assert {user.id: _rollup(user.id) for user in users} == kept
