"""CSRF protection on: every state change without a token is refused and changes nothing."""

import pytest

from tests.conftest import PASSWORD
from tests.conftest import csrf_token_from
from tests.factories import GoalFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.guidance.states import item_row
from tracker.models import PracticeSession


@pytest.fixture
def signed_in(csrf_client, csrf_auth):
    """A CSRF-protected client logged in through the real form (with its token)."""
    user = UserFactory()
    csrf_auth.login(user)
    return csrf_client, user


def test_login_without_token_is_refused(csrf_client):
    user = UserFactory()
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (200, 400)
    assert csrf_client.get("/app/").status_code == 302


@pytest.mark.parametrize(
    "path, data",
    [
        (
            "/app/practice_session/new/",
            {"duration_minutes-hours": "1", "started_at": "2026-01-01T10:00"},
        ),
        (
            "/app/practice_session/edit/?id={id}",
            {"duration_minutes-hours": "3", "started_at": "2026-01-01T10:00"},
        ),
        ("/app/practice_session/delete/", {"id": "{id}"}),
        ("/app/practice_session/action/", {"action": "delete", "rowid": "{id}"}),
        ("/app/practice_session/ajax/update/", {"list_form_pk": "{id}", "duration_minutes": "99"}),
        ("/app/settings/", {"timezone": "Asia/Tokyo", "name": "Mallory"}),
        ("/app/import/", {"step": "check"}),
        ("/app/import/", {"step": "import"}),
        ("/app/settings/delete-account/", {"password": PASSWORD, "confirmation": "DELETE"}),
    ],
)
def test_state_change_without_token_gets_400(signed_in, path, data):
    client, user = signed_in
    session = PracticeSessionFactory(user=user, duration_minutes=30)
    fill = {k: v.format(id=session.id) for k, v in data.items()}
    response = client.post(path.format(id=session.id), data=fill)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.query(PracticeSession).count() == 1
    assert db.session.get(PracticeSession, session.id).duration_minutes == 30
    db.session.refresh(user)
    assert user.timezone == "UTC" and user.name is None


def test_logout_without_token_keeps_you_signed_in(signed_in):
    client, _ = signed_in
    assert client.post("/logout").status_code == 400
    assert client.get("/app/").status_code == 200


def test_state_change_with_token_works(signed_in):
    client, user = signed_in
    page = client.get("/app/practice_session/new/").get_data(as_text=True)
    response = client.post(
        "/app/practice_session/new/",
        data={
            "csrf_token": csrf_token_from(page),
            "started_at": "2026-01-01T10:00",
            "duration_minutes-hours": "0",
            "duration_minutes-minutes": "40",
        },
    )
    assert response.status_code == 302
    assert db.session.query(PracticeSession).filter_by(user_id=user.id).count() == 1
    page = client.get("/app/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token_from(page)}).status_code == 302
    assert client.get("/app/").status_code == 302


def test_interval_without_token_is_refused_and_with_it_is_saved(signed_in):
    client, user = signed_in
    goal = GoalFactory(user=user)
    url = f"/app/goal/interval/?id={goal.id}"
    assert client.post(url, data={"days": "3"}).status_code == 400
    db.session.expire_all()
    assert item_row(user.id, "goal", goal.id).interval_days is None
    page = client.get(f"/app/goal/details/?id={goal.id}").get_data(as_text=True)
    response = client.post(url, data={"days": "3", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert item_row(user.id, "goal", goal.id).interval_days == 3


@pytest.mark.parametrize(
    "path, data",
    [
        ("/app/up-next/snooze", {"kind": "goal", "days": "3"}),
        ("/app/up-next/not-now", {"kind": "goal"}),
    ],
)
def test_up_next_change_without_token_gets_400(signed_in, path, data):
    client, user = signed_in
    goal = GoalFactory(user=user)
    response = client.post(path, data={**data, "id": goal.id})
    assert response.status_code == 400
    db.session.expire_all()
    row = item_row(user.id, "goal", goal.id)
    assert (row.snoozed_until, row.not_now_on) == (None, None)
