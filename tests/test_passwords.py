"""Passwords: 12 to 128 characters, not easy to guess (zxcvbn), with advice beside the field."""

import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import User


def _register(client, password):
    return client.post(
        "/register",
        data={"email": "new@example.com", "password": password, "password_confirm": password},
    )


@pytest.mark.parametrize(
    "password",
    ["password", "12345678", "password1234", "qwertyuiopasdf", "x" * 129],
)
def test_weak_or_overlong_passwords_are_refused_with_advice(client, password):
    response = _register(client, password)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password"' in body and "is-invalid" in body
    assert "Use 12 to 128 characters" in body or "Too easy to guess" in body
    assert db.session.query(User).count() == 0


def test_a_long_common_password_says_why_and_what_to_do(client):
    body = _register(client, "password1234").get_data(as_text=True)
    assert "Too easy to guess: try three or four unrelated words" in body


def test_a_passphrase_is_accepted(client):
    assert _register(client, PASSWORD).status_code == 302
    assert db.session.query(User).count() == 1


def test_changing_to_a_weak_password_is_refused(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        "/change",
        data={"password": PASSWORD, "new_password": "12345678", "new_password_confirm": "12345678"},
    )
    assert response.status_code == 200
    assert "Use 12 to 128 characters" in response.get_data(as_text=True)
