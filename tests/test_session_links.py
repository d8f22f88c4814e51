"""A practice session names the goals, pieces, sections and gear it worked on."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.conftest import list_filter
from tests.factories import EquipmentFactory
from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import PracticeSession
from tracker.models import SessionPiece

NEW = "/app/practice_session/new/"
LIST = "/app/practice_session/"


def _base_form(**extra):
    return {
        "started_at": "2026-03-10T19:30",
        "duration_minutes-hours": "1",
        "duration_minutes-minutes": "0",
        **extra,
    }


def test_log_session_with_goal_piece_section_and_gear(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    section = PieceSectionFactory(user=user, section_name="Bars 1-8")
    gear = EquipmentFactory(user=user)
    auth.login(user)
    response = client.post(
        NEW,
        data=_base_form(
            **{
                "equipment": [str(gear.id)],
                "goal_links-0-goal": str(goal.id),
                "goal_links-0-minutes": "20",
                "piece_links-0-piece": str(section.piece_id),
                "piece_links-0-section": str(section.id),
                "piece_links-0-minutes": "40",
            }
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    session = db.session.query(PracticeSession).one()
    assert session.equipment == [gear]
    assert [(link.goal, link.minutes, link.user_id) for link in session.goal_links] == [
        (goal, 20, user.id)
    ]
    assert [(link.piece_id, link.section, link.minutes) for link in session.piece_links] == [
        (section.piece_id, section, 40)
    ]


def test_section_of_another_piece_is_refused_beside_the_field(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user)
    section = PieceSectionFactory(user=user, section_name="Coda")
    auth.login(user)
    response = client.post(
        NEW,
        data=_base_form(
            **{"piece_links-0-piece": str(piece.id), "piece_links-0-section": str(section.id)}
        ),
    )
    assert response.status_code == 200
    assert "“Coda” is a section of another piece." in response.get_data(as_text=True)
    assert db.session.query(PracticeSession).count() == 0


def test_link_minutes_validated(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    response = client.post(
        NEW, data=_base_form(**{"goal_links-0-goal": str(goal.id), "goal_links-0-minutes": "0"})
    )
    assert response.status_code == 200
    assert "Between 1 and 1440 minutes." in response.get_data(as_text=True)
    assert db.session.query(PracticeSession).count() == 0


def _filter_arg(client, label):
    """The URL argument of a practice-log filter."""
    return list_filter(client.get(LIST).get_data(as_text=True), label)[0]


def test_filters_by_goal_piece_and_gear(client, auth):
    user = UserFactory()
    link = SessionGoalFactory(
        user=user, session=PracticeSessionFactory(user=user, notes="goal work")
    )
    piece_link = SessionPieceFactory(
        user=user, session=PracticeSessionFactory(user=user, notes="piece work")
    )
    gear = EquipmentFactory(user=user)
    geared = PracticeSessionFactory(user=user, notes="gear work")
    geared.equipment.append(gear)
    db.session.commit()
    auth.login(user)
    for label, value, expected in (
        ("Goal", link.goal_id, "goal work"),
        ("Piece", piece_link.piece_id, "piece work"),
        ("Gear", gear.id, "gear work"),
    ):
        body = client.get(f"{LIST}?flt1_{_filter_arg(client, label)}={value}").get_data(
            as_text=True
        )
        others = {"goal work", "piece work", "gear work"} - {expected}
        assert expected in body and not any(o in body for o in others), label


def test_export_names_goals_pieces_and_gear(client, auth):
    user = UserFactory()
    link = SessionGoalFactory(user=user, minutes=15)
    SessionPieceFactory(user=user, session=link.session)
    auth.login(user)
    body = client.get(LIST + "export/csv/").get_data(as_text=True)
    assert str(link.goal) in body and "(15 min)" in body


@pytest.mark.parametrize(
    "table, column, factory",
    [
        ("session_goals", "goal_id", GoalFactory),
        ("session_pieces", "piece_id", PieceFactory),
        ("session_equipment", "equipment_id", EquipmentFactory),
    ],
)
def test_database_refuses_links_to_another_users_rows(table, column, factory):
    alice_row = factory()
    bob_session = PracticeSessionFactory()
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO {table} (session_id, {column}, user_id) VALUES (:s, :x, :u)"),
            {"s": bob_session.id, "x": alice_row.id, "u": bob_session.user_id},
        )


def test_database_refuses_section_of_another_users_piece():
    alice_section = PieceSectionFactory()
    bob = UserFactory()
    bob_piece = PieceFactory(user=bob)
    bob_session = PracticeSessionFactory(user=bob)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO session_pieces (session_id, piece_id, section_id, user_id) "
                "VALUES (:s, :p, :x, :u)"
            ),
            {"s": bob_session.id, "p": bob_piece.id, "x": alice_section.id, "u": bob.id},
        )
    assert db.session.query(SessionPiece).count() == 0


def test_database_refuses_section_of_a_different_piece():
    user = UserFactory()
    section = PieceSectionFactory(user=user)
    other_piece = PieceFactory(user=user)
    session = PracticeSessionFactory(user=user)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO session_pieces (session_id, piece_id, section_id, user_id) "
                "VALUES (:s, :p, :x, :u)"
            ),
            {"s": session.id, "p": other_piece.id, "x": section.id, "u": user.id},
        )
