"""The security log: one JSON line per login, failed login, refusal and server error."""

import json
import logging

import pytest

from tests.conftest import PASSWORD
from tests.conftest import _make_app
from tests.factories import GoalFactory
from tests.factories import UserFactory
from tracker.security_log import LOGGER_NAME


class Lines(logging.Handler):
    """Keep every line the security logger writes."""

    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    def events(self):
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def security_log():
    handler = Lines()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def test_logins_and_failed_logins_are_json_lines_without_secrets(client, security_log):
    user = UserFactory()
    client.post("/login", data={"email": user.email, "password": "wrong guess 1"})
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong guess 2"})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    events = security_log.events()
    assert [(e["event"], e["user_id"]) for e in events] == [
        ("login_failed", user.id),
        ("login_failed", None),
        ("login", user.id),
    ]
    for event in events:
        assert event["path"] == "/login" and event["ip"] == "127.0.0.1"
        assert event["ts"].endswith("Z") and "T" in event["ts"]
    text = "\n".join(security_log.lines)
    assert "wrong guess" not in text and PASSWORD not in text
    assert "nobody@example.com" not in text


def test_refused_access_is_logged_with_the_user(client, auth, security_log):
    alice, bob = UserFactory(), UserFactory()
    goal = GoalFactory(user=alice)
    auth.login(bob)
    response = client.get(f"/app/goal/details/?id={goal.id}")
    assert response.status_code in (302, 404)
    api = client.get(f"/api/v1/goals/{goal.id}")
    assert api.status_code == 404
    refused = [e for e in security_log.events() if e["event"] == "access_refused"]
    assert {"user_id": bob.id, "status": 404, "path": f"/api/v1/goals/{goal.id}"}.items() <= (
        refused[-1].items()
    )


def test_anonymous_missing_pages_are_not_refusals(client, security_log):
    assert client.get("/no-such-page").status_code == 404
    assert security_log.events() == []


def test_server_errors_are_logged_by_type_only(database_url, security_log):
    def broken():
        raise ValueError("secret detail SELECT * FROM users")

    app = _make_app(database_url, TESTING=False)
    app.add_url_rule("/_test_broken", "test_broken", broken)
    assert app.test_client().get("/_test_broken").status_code == 500
    (event,) = [e for e in security_log.events() if e["event"] == "server_error"]
    assert event["error"] == "ValueError" and event["status"] == 500
    assert "secret detail" not in "\n".join(security_log.lines)
