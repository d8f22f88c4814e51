"""What screen readers are told: the page's language, its main landmark, names and errors."""

import re
from datetime import UTC
from datetime import datetime

from tests.factories import GoalFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory


def test_app_pages_declare_english_and_one_main_landmark(client, auth):
    for path in ("/login", "/register"):
        body = client.get(path).get_data(as_text=True)
        assert '<html lang="en">' in body, path
        assert body.count("<main") == 1, path
    auth.login(UserFactory())
    for path in ("/app/", "/app/goal/", "/app/practice_session/new/", "/change"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert '<html lang="en">' in body, path
        assert body.count("<main") == 1, path
        assert 'href="#main">Skip to the page</a>' in body, path


def test_the_api_reference_declares_english(client):
    body = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "css/api_docs.css" in body


def test_session_tick_boxes_name_the_session_in_the_users_zone(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    PracticeSessionFactory(user=user, started_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    auth.login(user)
    response = client.get("/app/practice_session/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-label="Select session of 1 Dec, 18:00"' in body
    assert 'class="action-rowtoggle" title="Tick every row"\n' in body
    assert 'aria-label="Tick every row"' in body


def test_goal_tick_boxes_name_the_goal(client, auth):
    user = UserFactory()
    GoalFactory(user=user, name="Scales in thirds")
    auth.login(user)
    body = client.get("/app/goal/").get_data(as_text=True)
    assert 'aria-label="Select goal Scales in thirds"' in body
    boxes = re.findall(r'<input[^>]*class="action-checkbox"[^>]*>', body)
    assert boxes and all("aria-label=" in box for box in boxes)


def test_column_help_icon_says_its_help(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user)
    auth.login(user)
    body = client.get("/app/practice_session/").get_data(as_text=True)
    assert 'aria-label="About Minutes: Click a value in the list to change it."' in body


def test_row_action_icons_have_names(client, auth):
    user = UserFactory()
    GoalFactory(user=user)
    auth.login(user)
    body = client.get("/app/goal/").get_data(as_text=True)
    assert 'aria-label="View"' in body
    assert 'aria-label="Edit"' in body
    assert 'aria-label="Delete"' in body


def test_account_form_errors_describe_their_fields(client):
    response = client.post(
        "/register",
        data={"email": "new@example.com", "password": "short", "password_confirm": "short"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    field = re.search(r'<input[^>]*id="password"[^>]*>', body).group(0)
    assert 'aria-describedby="password-error"' in field
    assert 'aria-invalid="true"' in field
    message = re.search(r'id="password-error">(.*?)</div></div>', body, re.S).group(1)
    assert "Use 12 to 128 characters" in message
