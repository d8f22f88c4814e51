"""Stored review states: every item has one, every write moves it, every read is current."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy import text

from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.guidance.states import current_guidance
from tracker.guidance.states import item_row
from tracker.models import PracticeSession
from tracker.models import ReviewState


def _at(day, hour=18):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _by_key(user):
    return {entry.item.key: entry for entry in current_guidance(user.id)}


def _row(user, kind, item_id):
    db.session.expire_all()
    return item_row(user.id, kind, item_id)


def _play_goal(goal, day, rating=3, **fields):
    session = PracticeSessionFactory(user=goal.user, started_at=_at(day), quality_rating=rating)
    return SessionGoalFactory(user=goal.user, session=session, goal=goal, **fields)


def test_every_new_item_gets_a_review_state_row():
    goal = GoalFactory()
    piece = PieceFactory(user=goal.user)
    section = PieceSectionFactory(user=goal.user, piece=piece)
    rows = db.session.execute(select(ReviewState).order_by(ReviewState.id)).scalars().all()
    assert [(row.kind, row.item_id) for row in rows] == [
        ("goal", goal.id),
        ("piece", piece.id),
        ("section", section.id),
    ]
    assert all(row.computed_version is None for row in rows)


def test_reading_stores_the_computed_state():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=2)
    entry = _by_key(goal.user)[("goal", goal.id)]
    assert entry.state.due_on == date(2026, 3, 2)
    row = _row(goal.user, "goal", goal.id)
    assert row.computed_version == row.version
    assert (row.phase, row.due_on, row.review_count, row.last_rating) == (
        "learning",
        date(2026, 3, 2),
        1,
        2,
    )


def test_a_new_play_moves_the_version_and_the_next_read_recomputes():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=2)
    current_guidance(goal.user.id)
    before = _row(goal.user, "goal", goal.id).version
    _play_goal(goal, date(2026, 3, 2), rating=3)
    assert _row(goal.user, "goal", goal.id).version == before + 1
    assert _by_key(goal.user)[("goal", goal.id)].state.due_on == date(2026, 3, 4)


def test_deleting_a_past_session_recomputes_the_state_from_what_is_left():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=4)
    link = _play_goal(goal, date(2026, 3, 3), rating=5)
    assert _by_key(goal.user)[("goal", goal.id)].state.phase == "maintenance"
    db.session.delete(db.session.get(PracticeSession, link.session_id))
    db.session.commit()
    state = _by_key(goal.user)[("goal", goal.id)].state
    assert (state.phase, state.due_on, state.review_count) == ("learning", date(2026, 3, 3), 1)


def test_editing_a_past_session_day_or_rating_recomputes():
    goal = GoalFactory()
    link = _play_goal(goal, date(2026, 3, 1), rating=3)
    assert _by_key(goal.user)[("goal", goal.id)].state.due_on == date(2026, 3, 3)
    session = db.session.get(PracticeSession, link.session_id)
    session.quality_rating = 1
    db.session.commit()
    assert _by_key(goal.user)[("goal", goal.id)].state.due_on == date(2026, 3, 2)
    session.started_at = _at(date(2026, 3, 10))
    db.session.commit()
    assert _by_key(goal.user)[("goal", goal.id)].state.due_on == date(2026, 3, 11)


def test_a_section_play_moves_its_piece_goal_too():
    user = UserFactory()
    section = PieceSectionFactory(user=user)
    goal = GoalFactory(user=user, pieces=[section.piece])
    current_guidance(user.id)
    session = PracticeSessionFactory(user=user, started_at=_at(date(2026, 3, 1)))
    SessionPieceFactory(user=user, session=session, piece=section.piece, section=section)
    found = _by_key(user)
    assert found[("section", section.id)].state.review_count == 1
    assert found[("goal", goal.id)].state.review_count == 1


def test_a_time_zone_change_moves_every_row_of_the_user():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=3)  # 18:00 UTC
    current_guidance(goal.user.id)
    goal.user.timezone = "Pacific/Kiritimati"  # UTC+14: the session is on 2 March there
    db.session.commit()
    assert _by_key(goal.user)[("goal", goal.id)].state.last_reviewed_on == date(2026, 3, 2)


def test_an_interval_of_ones_own_moves_the_due_date():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=3)
    current_guidance(goal.user.id)
    row = _row(goal.user, "goal", goal.id)
    row.interval_days = 5
    db.session.commit()
    state = _by_key(goal.user)[("goal", goal.id)].state
    assert (state.due_on, state.interval_days, state.computed_interval_days) == (
        date(2026, 3, 6),
        5,
        2,
    )


def test_a_raw_sql_write_is_seen_too():
    goal = GoalFactory()
    link = _play_goal(goal, date(2026, 3, 1), rating=3)
    current_guidance(goal.user.id)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM session_goals WHERE id = :id"), {"id": link.id})
    assert _by_key(goal.user)[("goal", goal.id)].state.never_practised


def test_a_row_held_by_an_open_write_is_left_behind_not_waited_for():
    goal = GoalFactory()
    _play_goal(goal, date(2026, 3, 1), rating=3)
    with db.engine.connect() as other:
        # Another transaction holds the row (as a write in progress would).
        other.execute(
            text("SELECT id FROM review_states WHERE goal_id = :id FOR UPDATE"), {"id": goal.id}
        )
        entry = _by_key(goal.user)[("goal", goal.id)]
        other.rollback()
    assert entry.state.due_on == date(2026, 3, 3)
    row = _row(goal.user, "goal", goal.id)
    assert row.computed_version is None  # left for the next reader


def test_reads_make_the_same_queries_for_2_and_200_sessions(count_queries):
    small, big = UserFactory(), UserFactory()
    for user, sessions in ((small, 2), (big, 200)):
        goal = GoalFactory(user=user)
        piece = PieceFactory(user=user)
        for n in range(sessions):
            day = date(2026, 1, 1) + timedelta(days=n)
            session = PracticeSessionFactory(user=user, started_at=_at(day))
            SessionGoalFactory(user=user, session=session, goal=goal)
            SessionPieceFactory(user=user, session=session, piece=piece)
    counts = []
    for user in (small, big):
        current_guidance(user.id)  # brings the rows up to date
        counts.append(count_queries(lambda user=user: current_guidance(user.id)))
    assert counts[0] == counts[1]
