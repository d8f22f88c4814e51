"""How each goal and piece of a session went (rating, tempo, clean, next time) and tempo targets."""

import html
import re

import pytest
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures.stats import usual_instrument_id
from tracker.models import Goal
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece

NEW = "/app/practice_session/new/"


def _form(**extra):
    return {
        "started_at": "2026-03-10T19:30",
        "duration_minutes-hours": "0",
        "duration_minutes-minutes": "45",
        "quality_rating": "3",
        **extra,
    }


def _raw(sql, **params):
    """Run one statement on its own connection, committed unless it fails."""
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


@pytest.mark.parametrize("table", ["session_goals", "session_pieces"])
@pytest.mark.parametrize(
    "column, value",
    [("rating", 0), ("rating", 6), ("tempo_bpm", 9), ("tempo_bpm", 401), ("next_time", "x" * 201)],
)
def test_database_refuses_out_of_range_item_results(table, column, value):
    link = SessionGoalFactory() if table == "session_goals" else SessionPieceFactory()
    with pytest.raises(DBAPIError):
        _raw(f"UPDATE {table} SET {column} = :v WHERE id = :id", v=value, id=link.id)
    _raw(
        f"UPDATE {table} SET rating = 5, tempo_bpm = 400, clean = false WHERE id = :id", id=link.id
    )
    _raw(
        f"UPDATE {table} SET rating = 1, tempo_bpm = 10, next_time = :n WHERE id = :id",
        n="x" * 200,
        id=link.id,
    )


@pytest.mark.parametrize("table", ["goals", "piece_sections"])
@pytest.mark.parametrize(
    "target, start",
    [(9, None), (401, None), (120, 9), (120, 401), (100, 120)],
)
def test_database_refuses_bad_tempo_targets(table, target, start):
    row = GoalFactory() if table == "goals" else PieceSectionFactory()
    sql = f"UPDATE {table} SET target_bpm = :t, start_bpm = :s WHERE id = :id"
    with pytest.raises(DBAPIError):
        _raw(sql, t=target, s=start, id=row.id)
    _raw(sql, t=120, s=120, id=row.id)
    _raw(sql, t=None, s=80, id=row.id)  # a start alone is allowed


def test_an_unrated_item_counts_as_the_sessions_quality():
    session = PracticeSessionFactory(quality_rating=3)
    unrated = SessionGoalFactory(user=session.user, session=session)
    rated = SessionPieceFactory(user=session.user, session=session, rating=5)
    assert (unrated.rating, unrated.effective_rating) == (None, 3)
    assert (rated.rating, rated.effective_rating) == (5, 5)
    session.quality_rating = 2  # the default follows the session; the item's own does not
    db.session.commit()
    assert (unrated.effective_rating, rated.effective_rating) == (2, 5)
    in_sql = db.session.execute(
        select(SessionGoal.effective_rating).where(SessionGoal.id == unrated.id)
    ).scalar()
    piece_sql = db.session.execute(
        select(SessionPiece.effective_rating).where(SessionPiece.id == rated.id)
    ).scalar()
    assert (in_sql, piece_sql) == (2, 5)
    session.quality_rating = None
    db.session.commit()
    assert unrated.effective_rating is None


def test_a_blank_note_is_no_note():
    link = SessionGoalFactory(next_time="   ")
    assert link.next_time is None
    link.next_time = "  start at 80 "
    assert link.next_time == "start at 80"


def test_form_saves_each_items_results_and_shows_them_again(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, name="Scales in thirds")
    section = PieceSectionFactory(user=user, section_name="Bars 9-12")
    other = PieceFactory(user=user)
    auth.login(user)
    response = client.post(
        NEW,
        data=_form(
            **{
                "goal_links-0-goal": str(goal.id),
                "goal_links-0-minutes": "15",
                "goal_links-0-rating": "4",
                "goal_links-0-tempo_bpm": "96",
                "goal_links-0-clean": "y",
                "goal_links-0-next_time": "Thirds in G at 100",
                "piece_links-0-piece": str(section.piece_id),
                "piece_links-0-section": str(section.id),
                "piece_links-0-rating": "",
                "piece_links-0-tempo_bpm": "72",
                "piece_links-0-next_time": "bars 9–12: LH shift late, start at 80",
                # Nothing but the piece: no tempo, so an unticked box says nothing.
                "piece_links-1-piece": str(other.id),
            }
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    session = db.session.query(PracticeSession).one()
    [goal_link] = session.goal_links
    assert (goal_link.minutes, goal_link.rating, goal_link.tempo_bpm, goal_link.clean) == (
        15,
        4,
        96,
        True,
    )
    assert goal_link.next_time == "Thirds in G at 100"
    by_piece = {link.piece_id: link for link in session.piece_links}
    worked = by_piece[section.piece_id]
    assert (worked.rating, worked.effective_rating, worked.tempo_bpm, worked.clean) == (
        None,
        3,
        72,
        False,
    )
    assert worked.next_time == "bars 9–12: LH shift late, start at 80"
    untouched = by_piece[other.id]
    assert (untouched.tempo_bpm, untouched.clean, untouched.next_time) == (None, None, None)

    edit = client.get(f"/app/practice_session/edit/?id={session.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="4">4</option>', edit)
    assert 'value="96"' in edit and 'value="72"' in edit
    assert re.search(
        r'name="goal_links-0-clean"[^>]*checked|checked[^>]*name="goal_links-0-clean"', edit
    )
    assert "Thirds in G at 100" in edit and "bars 9–12: LH shift late, start at 80" in edit
    for label in ("Rating", "BPM", "Clean", "Next time"):
        assert f">{label}" in edit
    details = client.get(f"/app/practice_session/details/?id={session.id}").get_data(as_text=True)
    assert "rated 4 · 96 BPM, clean" in details
    assert "rated 3 (as the session) · 72 BPM, not clean" in details
    assert "Next time: Thirds in G at 100" in details


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("rating", "6", "Not a valid choice."),
        ("tempo_bpm", "500", "A tempo from 10 to 400 BPM."),
        ("tempo_bpm", "9", "A tempo from 10 to 400 BPM."),
        ("tempo_bpm", "fast", "Not a valid integer value."),
        ("next_time", "x" * 201, "Keep the note for next time to 200 characters."),
    ],
)
def test_form_refuses_bad_item_results_beside_the_field(client, auth, field, value, message):
    user = UserFactory()
    goal = GoalFactory(user=user)
    piece = PieceFactory(user=user)
    auth.login(user)
    response = client.post(
        NEW,
        data=_form(
            **{
                "goal_links-0-goal": str(goal.id),
                "piece_links-0-piece": str(piece.id),
                f"piece_links-0-{field}": value,
            }
        ),
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in body
    # The message sits in the piece row's field group, beside the field it is about.
    group = body[body.index(f'id="piece_links-0-{field}"') :]
    assert group.index(message) < group.index("</div>\n", group.index("invalid-feedback"))
    assert db.session.query(PracticeSession).count() == 0
    assert db.session.query(SessionGoal).count() == 0


def test_a_row_without_its_piece_or_goal_is_refused(client, auth):
    user = UserFactory()
    PieceFactory(user=user)
    GoalFactory(user=user)
    auth.login(user)
    response = client.post(
        NEW,
        data=_form(
            **{
                "goal_links-0-goal": "__None",
                "goal_links-0-rating": "4",
                "piece_links-0-piece": "__None",
                "piece_links-0-tempo_bpm": "80",
            }
        ),
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Choose a goal." in body and "Choose a piece." in body
    assert db.session.query(PracticeSession).count() == 0


def test_new_rows_start_on_no_goal_and_no_piece(client, auth):
    user = UserFactory()
    GoalFactory(user=user, name="Scales")
    PieceFactory(user=user, title="Nuages")
    auth.login(user)
    # The rows "Add" makes come from templates kept escaped in the page.
    body = html.unescape(client.get(NEW).get_data(as_text=True))
    for field in ("goal", "piece"):
        select = re.search(rf'<select[^>]*id="{field}".*?</select>', body, re.S).group(0)
        first = re.search(r"<option[^>]*>", select).group(0)
        assert "__None" in first and "selected" in first, select


def _chosen_instrument(client):
    """The id of the instrument selected on a new session's form, or None."""
    body = client.get(NEW).get_data(as_text=True)
    select = re.search(r'<select[^>]*name="instrument".*?</select>', body, re.S).group(0)
    chosen = re.search(r'<option selected value="(\d+)"', select)
    return int(chosen.group(1)) if chosen else None


def test_new_session_starts_on_the_instrument_last_played(client, auth):
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    guitar = InstrumentFactory(user=user, name="Guitar")
    PracticeSessionFactory(user=user, instrument=piano, started_at="2026-03-01T10:00Z")
    PracticeSessionFactory(user=user, instrument=guitar, started_at="2026-03-05T10:00Z")
    # The latest session named no instrument: the last one that did counts.
    PracticeSessionFactory(user=user, instrument=None, started_at="2026-03-06T10:00Z")
    # A session logged later for an earlier day does not win.
    PracticeSessionFactory(user=user, instrument=piano, started_at="2026-02-01T10:00Z")
    auth.login(user)
    assert _chosen_instrument(client) == guitar.id
    assert usual_instrument_id(user.id) == guitar.id


def test_new_session_starts_on_the_only_instrument(client, auth):
    user = UserFactory()
    only = InstrumentFactory(user=user, name="Cello")
    InstrumentFactory(name="Someone else's")
    auth.login(user)
    assert _chosen_instrument(client) == only.id


def test_new_session_names_no_instrument_among_several_never_played(client, auth):
    user = UserFactory()
    InstrumentFactory(user=user, name="Piano")
    InstrumentFactory(user=user, name="Guitar")
    auth.login(user)
    assert _chosen_instrument(client) is None
    assert usual_instrument_id(UserFactory().id) is None


def test_another_users_sessions_never_choose_the_instrument(client, auth):
    user = UserFactory()
    InstrumentFactory(user=user, name="Piano")
    InstrumentFactory(user=user, name="Guitar")
    other = UserFactory()
    PracticeSessionFactory(user=other, instrument=InstrumentFactory(user=other))
    auth.login(user)
    assert _chosen_instrument(client) is None


def test_a_submitted_form_keeps_the_instrument_chosen(client, auth):
    user = UserFactory()
    only = InstrumentFactory(user=user)
    auth.login(user)
    response = client.post(NEW, data=_form(instrument="__None"))
    assert response.status_code == 302
    # Pre-selection is for an empty form only: the musician's "—" stands.
    assert db.session.query(PracticeSession).one().instrument_id is None
    assert _chosen_instrument(client) == only.id


def test_goal_form_saves_target_and_start_tempo(client, auth):
    user = UserFactory()
    auth.login(user)
    base = {
        "name": "Flight of the bumblebee",
        "goal_type": "piece",
        "priority": "2",
        "status": "in_progress",
    }
    page = client.get("/app/goal/new/").get_data(as_text=True)
    assert "Target tempo (BPM)" in page and "Start tempo (BPM), optional" in page
    response = client.post("/app/goal/new/", data={**base, "target_bpm": "160", "start_bpm": "180"})
    assert response.status_code == 200
    assert "The start tempo is above the target tempo." in response.get_data(as_text=True)
    response = client.post("/app/goal/new/", data={**base, "target_bpm": "401"})
    assert "A tempo from 10 to 400 BPM." in response.get_data(as_text=True)
    assert db.session.query(Goal).count() == 0
    response = client.post("/app/goal/new/", data={**base, "target_bpm": "160", "start_bpm": "90"})
    assert response.status_code == 302
    goal = db.session.query(Goal).one()
    assert (goal.target_bpm, goal.start_bpm) == (160, 90)


def test_piece_form_saves_section_tempos_inline(client, auth):
    user = UserFactory()
    auth.login(user)
    base = {
        "title": "Asturias",
        "status": "learning",
        "sections-0-section_name": "Opening",
        "sections-0-status": "learning",
    }
    page = client.get("/app/piece/new/").get_data(as_text=True)
    assert "Target tempo (BPM)" in page and "Start tempo (BPM), optional" in page
    response = client.post(
        "/app/piece/new/",
        data={**base, "sections-0-target_bpm": "100", "sections-0-start_bpm": "120"},
    )
    assert response.status_code == 200
    assert "The start tempo is above the target tempo." in response.get_data(as_text=True)
    assert db.session.query(PieceSection).count() == 0
    response = client.post(
        "/app/piece/new/",
        data={**base, "sections-0-target_bpm": "132", "sections-0-start_bpm": "84"},
    )
    assert response.status_code == 302
    section = db.session.query(PieceSection).one()
    assert (section.target_bpm, section.start_bpm) == (132, 84)
    details = client.get(f"/app/piece/details/?id={section.piece_id}").get_data(as_text=True)
    assert "target 84 → 132 BPM" in details
