"""Rate limits on login, registration and password change, counted in Redis as in production."""

import os
import uuid

import pytest

from tests.conftest import PASSWORD
from tests.conftest import _config
from tests.factories import UserFactory
from tracker import create_app
from tracker.config import Config
from tracker.extensions import db
from tracker.extensions import limiter
from tracker.models import User

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_prefix():
    """A key prefix no other test process or test shares."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"tracker-test-{worker}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def limited_app(database_url):
    """The app with its limits on, counted in Redis under this test's own prefix."""
    app = create_app(
        _config(
            database_url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=REDIS_URL,
            RATELIMIT_STORAGE_OPTIONS={"key_prefix": redis_prefix()},
            LOGIN_RATE_LIMIT="3 per minute",
            LOGIN_ADDRESS_RATE_LIMIT="6 per minute",
            REGISTER_RATE_LIMIT="2 per minute",
            REGISTER_ADDRESS_RATE_LIMIT="3 per minute",
            PASSWORD_CHANGE_RATE_LIMIT="2 per minute",
            PASSWORD_CHANGE_ADDRESS_RATE_LIMIT="10 per minute",
        )
    )
    yield app
    limiter.reset()  # only this test's keys: the storage deletes keys under its prefix
    limiter.enabled = False


def _login(client, email, password="wrong password", address="127.0.0.1"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_login_is_limited_per_account_and_address(limited_app):
    client = limited_app.test_client()
    user = UserFactory()
    codes = [_login(client, user.email) for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # The owner, on another address, still signs in.
    assert _login(client, user.email, PASSWORD, address="127.0.0.2") == 302


def test_login_is_limited_per_address_across_accounts(limited_app):
    client = limited_app.test_client()
    codes = [_login(client, f"guess{n}@example.com") for n in range(7)]
    assert codes == [200] * 6 + [429]
    assert _login(client, "guess0@example.com", address="127.0.0.2") == 200


def test_the_429_page_says_what_to_do(limited_app):
    client = limited_app.test_client()
    for _ in range(3):
        _login(client, "someone@example.com")
    response = client.post("/login", data={"email": "someone@example.com", "password": "x"})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) > 0


def test_registration_is_limited(limited_app):
    client = limited_app.test_client()
    form = {"password": PASSWORD, "password_confirm": PASSWORD}
    codes = [
        client.post("/register", data={**form, "email": f"new{n}@example.com"}).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]


def test_password_change_is_limited(limited_app):
    client = limited_app.test_client()
    user = UserFactory()
    assert _login(client, user.email, PASSWORD) == 302
    data = {"password": "wrong password", "new_password": "x", "new_password_confirm": "x"}
    codes = [client.post("/change", data=data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_delete_account_is_limited_like_a_password_change(limited_app):
    client = limited_app.test_client()
    user = UserFactory()
    assert _login(client, user.email, PASSWORD) == 302
    data = {"password": "wrong password", "confirmation": "DELETE"}
    url = "/app/settings/delete-account/"
    codes = [client.post(url, data=data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert db.session.get(User, user.id) is not None


def test_production_refuses_per_process_limits(database_url):
    config = type(
        "Prod",
        (Config,),
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "k",
            "SECURITY_PASSWORD_SALT": "s",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "memory://",
        },
    )
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI must name shared storage"):
        create_app(config)
