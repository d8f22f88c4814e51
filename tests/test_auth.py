"""Accounts: register, log in, log out, change password, profile."""

from flask_security import verify_password

from tests.conftest import PASSWORD
from tests.conftest import confirmation_path
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Instrument
from tracker.models import User


def test_landing_page_offers_register_and_login(client):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/register"' in body and 'href="/login"' in body


def test_landing_sends_signed_in_user_to_the_app(client, auth):
    auth.login(UserFactory())
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/")


def test_register_creates_user_with_bcrypt_hash(client):
    response = client.post(
        "/register",
        data={
            "email": "new@example.com",
            "name": "Clara",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    user = db.session.query(User).filter_by(email="new@example.com").one()
    assert user.name == "Clara"
    assert user.password.startswith("$2b$")
    assert verify_password(PASSWORD, user.password)
    # Not signed in until the address is confirmed.
    assert client.get("/app/").status_code == 302
    assert "finish signing up" in client.get("/login").get_data(as_text=True)


def test_confirming_the_address_signs_the_new_musician_in(client):
    data = {"email": "new@example.com", "password": PASSWORD, "password_confirm": PASSWORD}
    client.post("/register", data=data)
    refused = client.post("/login", data={"email": "new@example.com", "password": PASSWORD})
    assert refused.status_code == 200
    assert "confirm your address" in refused.get_data(as_text=True)
    user = db.session.query(User).filter_by(email="new@example.com").one()
    response = client.get(confirmation_path(user))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/settings/?welcome=1")
    assert client.get("/app/").status_code == 200
    db.session.refresh(user)
    assert user.confirmed_at is not None


def test_register_shows_errors_beside_fields(client):
    UserFactory(email="taken@example.com")
    response = client.post(
        "/register",
        data={"email": "taken@example.com", "password": "short", "password_confirm": "other"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.count("invalid-feedback") >= 2
    assert "Use 12 to 128 characters" in body
    # Whether the address has an account is never said.
    assert "already associated" not in body
    assert db.session.query(User).count() == 1


def test_login_with_wrong_password_shows_error(client):
    user = UserFactory()
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 200
    assert "e-mail address and password don&#39;t match" in response.get_data(as_text=True)
    assert client.get("/app/").status_code == 302


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/app/practice_session/")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_logout_is_post_only(client, auth):
    auth.login(UserFactory())
    assert client.get("/logout").status_code == 405
    assert client.get("/app/").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/app/").status_code == 302


def test_change_password(client, auth):
    user = UserFactory()
    auth.login(user)
    new = "an even better passphrase"
    response = client.post(
        "/change",
        data={"password": PASSWORD, "new_password": new, "new_password_confirm": new},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/app/settings/"), response.headers["Location"]
    db.session.refresh(user)
    assert verify_password(new, user.password)


def test_profile_edit_saves_fields_and_instruments(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        "/app/settings/",
        data={
            "name": "Clara",
            "instruments": "Piano, Violin , piano",
            "skill_level": "intermediate",
            "practice_goals": "Play the Bach partita",
            "timezone": "Europe/Berlin",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.skill_level, user.timezone) == (
        "Clara",
        "intermediate",
        "Europe/Berlin",
    )
    names = [i.name for i in db.session.query(Instrument).filter_by(user_id=user.id)]
    assert sorted(names) == ["Piano", "Violin"]


def test_profile_rejects_unknown_timezone(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post("/app/settings/", data={"timezone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Choose a time zone from the list." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.timezone == "UTC"


def test_profile_keeps_instrument_with_sessions(client, auth):
    user = UserFactory()
    violin = InstrumentFactory(user=user, name="Violin")
    PracticeSessionFactory(user=user, instrument=violin)
    auth.login(user)
    response = client.post("/app/settings/", data={"instruments": "Piano", "timezone": "UTC"})
    assert response.status_code == 200
    assert "Violin has logged sessions" in response.get_data(as_text=True)
    names = [i.name for i in db.session.query(Instrument).filter_by(user_id=user.id)]
    assert names == ["Violin"]


def test_register_keeps_the_browsers_time_zone(client):
    response = client.post(
        "/register",
        data={
            "email": "tz@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "timezone": "Asia/Kolkata",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.query(User).filter_by(email="tz@example.com").one().timezone == "Asia/Kolkata"


def test_register_ignores_an_unknown_time_zone(client):
    data = {"email": "x@example.com", "password": PASSWORD, "password_confirm": PASSWORD}
    response = client.post("/register", data={**data, "timezone": "Nowhere/Land"})
    assert response.status_code == 302
    assert db.session.query(User).filter_by(email="x@example.com").one().timezone == "UTC"
