"""Bulk edits of ticked rows: a value asked for, confirmed with the count, saved on own rows."""

from datetime import date

from tests.conftest import csrf_token_from
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import PracticeSession
from tracker.models import SessionGoal

SESSIONS = "/app/practice_session/"


def _bulk(client, url, action, rows, **form):
    """POST one step of a bulk edit for rows, as the list's "With selected" menu does."""
    data = {"action": action, "rowid": [str(row.id) for row in rows], "url": url, **form}
    return client.post(url + "action/", data=data)


def test_set_instrument_asks_then_confirms_with_the_count_then_saves(client, auth):
    user = UserFactory()
    guitar = InstrumentFactory(user=user, name="Guitar")
    InstrumentFactory(user=user, name="Banjo")
    sessions = PracticeSessionFactory.create_batch(3, user=user)
    untouched = PracticeSessionFactory(user=user)
    auth.login(user)

    ask = _bulk(client, SESSIONS, "set_instrument", sessions)
    body = ask.get_data(as_text=True)
    assert ask.status_code == 200
    assert "3 sessions ticked." in body
    assert ">Banjo</option>" in body and ">Guitar</option>" in body
    assert db.session.query(PracticeSession).filter_by(instrument_id=guitar.id).count() == 0

    confirm = _bulk(client, SESSIONS, "set_instrument", sessions, value=str(guitar.id))
    assert confirm.status_code == 200
    assert "Set the instrument of 3 sessions to Guitar?" in confirm.get_data(as_text=True)
    assert db.session.query(PracticeSession).filter_by(instrument_id=guitar.id).count() == 0

    done = _bulk(
        client, SESSIONS, "set_instrument", sessions, value=str(guitar.id), confirmed="yes"
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert {s.instrument_id for s in sessions} == {guitar.id}
    assert db.session.get(PracticeSession, untouched.id).instrument_id is None
    listing = client.get(SESSIONS).get_data(as_text=True)
    assert "The instrument of 3 sessions is now Guitar." in listing


def test_bulk_edit_leaves_another_users_ticked_rows_alone(client, auth):
    alice, bob = UserFactory(), UserFactory()
    alices = PracticeSessionFactory(user=alice)
    bobs = PracticeSessionFactory(user=bob)
    violin = InstrumentFactory(user=bob, name="Violin")
    auth.login(bob)
    response = _bulk(
        client, SESSIONS, "set_instrument", [alices, bobs], value=str(violin.id), confirmed="yes"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PracticeSession, alices.id).instrument_id is None
    assert db.session.get(PracticeSession, bobs.id).instrument_id == violin.id
    assert "The instrument of 1 session is now Violin." in client.get(SESSIONS).get_data(
        as_text=True
    )


def test_bulk_edit_of_only_another_users_rows_finds_nothing(client, auth):
    alice, bob = UserFactory(), UserFactory()
    alices = PracticeSessionFactory(user=alice, notes="Alice's secret")
    auth.login(bob)
    response = _bulk(client, SESSIONS, "set_instrument", [alices])
    assert response.status_code == 302
    page = client.get(SESSIONS).get_data(as_text=True)
    assert "None of those rows could be found" in page
    assert "Alice's secret" not in page


def test_bulk_edit_refuses_another_users_choice_beside_the_field(client, auth):
    alice, bob = UserFactory(), UserFactory()
    alices_guitar = InstrumentFactory(user=alice, name="Alice's guitar")
    alices_goal = GoalFactory(user=alice, name="Alice's goal")
    alices_area = FocusAreaFactory(user=alice, name="Alice's area")
    # Bob has choices of his own, so the form is offered.
    InstrumentFactory(user=bob, name="Cello")
    GoalFactory(user=bob, name="Scales")
    FocusAreaFactory(user=bob, name="Bowing")
    session = PracticeSessionFactory(user=bob)
    auth.login(bob)
    cases = [
        ("set_instrument", alices_guitar, "Choose one of your instruments."),
        ("link_goal", alices_goal, "Choose one of your goals."),
        ("add_focus_area", alices_area, "Choose one of your focus areas."),
    ]
    for action, foreign, message in cases:
        for step in ({}, {"confirmed": "yes"}):
            response = _bulk(client, SESSIONS, action, [session], value=str(foreign.id), **step)
            body = response.get_data(as_text=True)
            assert response.status_code == 200, action
            assert message in body and 'aria-describedby="bulk-value-error"' in body
            assert "Alice" not in body
    db.session.expire_all()
    fresh = db.session.get(PracticeSession, session.id)
    assert fresh.instrument_id is None and fresh.focus_areas == [] and fresh.goal_links == []


def test_bulk_edit_choices_list_only_the_users_own_rows(client, auth):
    alice, bob = UserFactory(), UserFactory()
    InstrumentFactory(user=alice, name="Alice's guitar")
    InstrumentFactory(user=bob, name="Cello")
    session = PracticeSessionFactory(user=bob)
    auth.login(bob)
    body = _bulk(client, SESSIONS, "set_instrument", [session]).get_data(as_text=True)
    assert ">Cello</option>" in body and "Alice" not in body


def test_add_and_remove_a_focus_area_on_ticked_sessions(client, auth):
    user = UserFactory()
    scales = FocusAreaFactory(user=user, name="Scales")
    one = PracticeSessionFactory(user=user)
    two = PracticeSessionFactory(user=user)
    two.focus_areas.append(scales)
    db.session.commit()
    auth.login(user)
    confirm = _bulk(client, SESSIONS, "add_focus_area", [one, two], value=str(scales.id))
    assert "Add the focus area “Scales” to 2 sessions?" in confirm.get_data(as_text=True)
    _bulk(client, SESSIONS, "add_focus_area", [one, two], value=str(scales.id), confirmed="yes")
    db.session.expire_all()
    assert [area.name for area in db.session.get(PracticeSession, one.id).focus_areas] == ["Scales"]
    assert len(db.session.get(PracticeSession, two.id).focus_areas) == 1
    _bulk(client, SESSIONS, "remove_focus_area", [one, two], value=str(scales.id), confirmed="yes")
    db.session.expire_all()
    assert db.session.get(PracticeSession, one.id).focus_areas == []
    assert db.session.get(PracticeSession, two.id).focus_areas == []
    assert "“Scales” removed from 2 sessions." in client.get(SESSIONS).get_data(as_text=True)


def test_link_a_goal_to_ticked_sessions_once(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, name="Scales in thirds")
    linked = PracticeSessionFactory(user=user)
    db.session.add(SessionGoal(session=linked, goal=goal, user_id=user.id, minutes=10))
    other = PracticeSessionFactory(user=user)
    db.session.commit()
    auth.login(user)
    confirm = _bulk(client, SESSIONS, "link_goal", [linked, other], value=str(goal.id))
    assert "Link 2 sessions to the goal “Scales in thirds”?" in confirm.get_data(as_text=True)
    _bulk(client, SESSIONS, "link_goal", [linked, other], value=str(goal.id), confirmed="yes")
    db.session.expire_all()
    links = db.session.query(SessionGoal).order_by(SessionGoal.session_id).all()
    found = [(link.session_id, link.minutes) for link in links]
    assert found == [(linked.id, 10), (other.id, None)]


def test_goal_bulk_edits_set_status_priority_and_target_date(client, auth):
    user = UserFactory()
    goals = GoalFactory.create_batch(2, user=user, status="in_progress", priority=1)
    auth.login(user)
    url = "/app/goal/"
    confirm = _bulk(client, url, "set_status", goals, value="completed")
    assert "Set the status of 2 goals to Completed?" in confirm.get_data(as_text=True)
    _bulk(client, url, "set_status", goals, value="completed", confirmed="yes")
    _bulk(client, url, "set_priority", goals, value="3", confirmed="yes")
    confirm = _bulk(client, url, "set_target_date", goals, value="2027-06-30")
    assert "Set the target date of 2 goals to Wed 30 Jun 2027?" in confirm.get_data(as_text=True)
    _bulk(client, url, "set_target_date", goals, value="2027-06-30", confirmed="yes")
    db.session.expire_all()
    for goal in goals:
        db.session.refresh(goal)
        assert (goal.status, goal.priority, goal.target_date) == ("completed", 3, date(2027, 6, 30))
        assert goal.completed_at is not None


def test_goal_bulk_edit_refuses_an_unknown_status_and_a_bad_date(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, status="in_progress")
    auth.login(user)
    bad_status = _bulk(client, "/app/goal/", "set_status", [goal], value="done", confirmed="yes")
    assert "Choose one of the offered values." in bad_status.get_data(as_text=True)
    bad_date = _bulk(
        client, "/app/goal/", "set_target_date", [goal], value="31/06/2027", confirmed="yes"
    )
    assert bad_date.status_code == 200
    assert "Enter a date, e.g. 2027-06-30." in bad_date.get_data(as_text=True)
    db.session.refresh(goal)
    assert goal.status == "in_progress" and goal.target_date is None


def test_piece_and_section_bulk_status(client, auth):
    user = UserFactory()
    pieces = PieceFactory.create_batch(2, user=user, status="learning")
    sections = [PieceSectionFactory(user=user, piece=pieces[0]) for _ in range(3)]
    auth.login(user)
    confirm = _bulk(client, "/app/piece/", "set_status", pieces, value="polishing")
    assert "Set the status of 2 pieces to Polishing?" in confirm.get_data(as_text=True)
    _bulk(client, "/app/piece/", "set_status", pieces, value="polishing", confirmed="yes")
    listing = client.get("/app/piece_section/").get_data(as_text=True)
    assert all(section.section_name in listing for section in sections)
    confirm = _bulk(
        client, "/app/piece_section/", "set_status", sections, value="performance_ready"
    )
    assert "Set the status of 3 sections to Performance-ready?" in confirm.get_data(as_text=True)
    _bulk(
        client,
        "/app/piece_section/",
        "set_status",
        sections,
        value="performance_ready",
        confirmed="yes",
    )
    db.session.expire_all()
    assert {piece.status for piece in pieces} == {"polishing"}
    assert {section.status for section in sections} == {"performance_ready"}


def test_bulk_edit_needs_the_csrf_token(csrf_client, csrf_auth):
    user = UserFactory()
    guitar = InstrumentFactory(user=user, name="Guitar")
    session = PracticeSessionFactory(user=user)
    csrf_auth.login(user)
    data = {"action": "set_instrument", "rowid": [str(session.id)], "value": str(guitar.id)}
    refused = csrf_client.post(SESSIONS + "action/", data={**data, "confirmed": "yes"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert db.session.get(PracticeSession, session.id).instrument_id is None
    list_token = csrf_token_from(csrf_client.get(SESSIONS).get_data(as_text=True))
    page = csrf_client.post(SESSIONS + "action/", data={**data, "csrf_token": list_token})
    token = csrf_token_from(page.get_data(as_text=True))
    saved = csrf_client.post(
        SESSIONS + "action/", data={**data, "confirmed": "yes", "csrf_token": token}
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(PracticeSession, session.id).instrument_id == guitar.id


def test_with_selected_menu_lists_the_bulk_edits(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user)
    auth.login(user)
    body = client.get(SESSIONS).get_data(as_text=True)
    for text in ("Set instrument…", "Add a focus area…", "Remove a focus area…", "Link a goal…"):
        assert text in body


def test_bulk_edit_without_choices_says_where_to_add_them(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user)
    auth.login(user)
    body = _bulk(client, SESSIONS, "set_instrument", [session]).get_data(as_text=True)
    assert "You have no instruments yet: add them under Settings → Instruments." in body
    assert 'name="value"' not in body
