"""Security headers: a nonce CSP, no-store on everything but static files, HSTS over HTTPS."""

import re
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import _make_app
from tests.factories import GoalFactory
from tests.factories import UserFactory
from tracker.headers import configure_cookies

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def _script_src(response):
    policy = response.headers["Content-Security-Policy"]
    return next(part for part in policy.split("; ") if part.startswith("script-src "))


def test_every_page_has_a_csp_with_a_fresh_nonce_and_no_unsafe_inline(client, auth):
    auth.login(UserFactory())
    first, second = client.get("/app/goal/"), client.get("/app/goal/")
    assert first.status_code == second.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _script_src(first)).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", _script_src(second)).group(1)
    assert "unsafe-inline" not in _script_src(first)
    assert "unsafe-eval" not in _script_src(first)
    assert "frame-ancestors 'none'" in first.headers["Content-Security-Policy"]
    # Flask-Admin's own inline scripts carry this response's nonce.
    assert f'nonce="{nonce}"' in first.get_data(as_text=True)


def test_the_api_reference_runs_its_script_by_nonce(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", _script_src(response)).group(1)
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_no_template_has_an_inline_handler_or_an_unmarked_inline_script():
    for path in TEMPLATES.rglob("*.html"):
        html = path.read_text()
        assert not re.search(r"\son[a-z]+\s*=", html), f"{path.name} has an inline handler"
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert (
                "src=" in tag or "nonce=" in tag or 'type="application/json"' in tag
            ), f"{path.name}: {tag}"


@pytest.mark.parametrize(
    "path", ["/app/", "/app/goal/", "/app/settings/", "/api/v1/goals", "/api/v1/stats/export.csv"]
)
def test_signed_in_pages_exports_and_json_are_never_stored(client, auth, path):
    user = UserFactory()
    GoalFactory(user=user)
    auth.login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_account_pages_send_a_well_formed_cache_control(client, auth):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    auth.login(UserFactory())
    response = client.get("/change")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "=True" not in response.headers["Cache-Control"]


def test_static_files_may_be_cached(client):
    response = client.get("/static/js/handlers.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["Content-Security-Policy"]


def test_no_hsts_and_no_secure_cookie_over_plain_http(client):
    response = client.get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers.get("Set-Cookie", "")


def test_https_sends_hsts_and_marks_every_cookie_secure(database_url):
    app = _make_app(database_url, PREFERRED_URL_SCHEME="https")
    with app.app_context():
        user = UserFactory()
        client = app.test_client()
        client.get("/login", base_url="https://localhost")
        response = client.post(
            "/login",
            data={"email": user.email, "password": "correct horse battery staple", "remember": "y"},
            base_url="https://localhost",
        )
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "; Secure" in cookie and "SameSite=Lax" in cookie, cookie


@pytest.mark.parametrize(
    ("env_name", "scheme", "explicit", "secure"),
    [
        ("production", "http", None, True),
        ("development", "https", None, True),
        ("development", "http", None, False),
        ("production", "http", False, False),  # an operator's SESSION_COOKIE_SECURE=false stands
    ],
)
def test_cookies_are_secure_in_production_or_over_https(env_name, scheme, explicit, secure):
    app = Flask(__name__)
    app.config.update(
        ENV_NAME=env_name,
        PREFERRED_URL_SCHEME=scheme,
        SESSION_COOKIE_SECURE=explicit,
        REMEMBER_COOKIE_SECURE=explicit,
    )
    configure_cookies(app)
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
