"""App-wide behaviour: configuration, error pages, security headers, the login rate limit."""

import re

import pytest

from tests.factories import UserFactory
from tracker import create_app
from tracker.config import Config
from tracker.embedded_db import psycopg2_url


def test_psycopg2_url_rewrites_bare_postgres_urls():
    assert psycopg2_url("postgresql://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert psycopg2_url("postgres://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert psycopg2_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"


def test_production_refuses_to_start_without_secrets(database_url):
    config = type(
        "Prod",
        (Config,),
        {"ENV_NAME": "production", "SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": database_url},
    )
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_development_generates_secrets_once(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    config = type(
        "Dev",
        (Config,),
        {
            "SECRET_KEY": None,
            "SECURITY_PASSWORD_SALT": None,
            "SQLALCHEMY_DATABASE_URI": database_url,
        },
    )
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) > 40
    assert (tmp_path / "secret_key").exists()


def test_unknown_page_gets_plain_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "We couldn't find that page." in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_login_does_not_redirect_off_site(client):
    user = UserFactory()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 200
    assert "Redirections outside the domain are forbidden" in response.get_data(as_text=True)
    assert "Location" not in response.headers


def test_dev_server_serves_the_app_with_the_scheduler(database_url, tmp_path):
    """`make run`'s command answers HTTP and ticks the scheduler, then stops on SIGTERM."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "dev-server-test",
        "SECURITY_PASSWORD_SALT": "dev-server-test",
        "INSTANCE_PATH": str(tmp_path),
    }
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "manage", "dev-server", "--port", str(port)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "dev server did not answer"
                time.sleep(0.3)
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert "Scheduler started" in output


def test_every_asset_an_app_page_links_is_served(client, auth):
    auth.login(UserFactory())
    for page in ("/app/", "/app/practice_session/"):
        body = client.get(page).get_data(as_text=True)
        assets = re.findall(r'(?:href|src)="(/(?:app/)?static/[^"]+)"', body)
        assert any("bootstrap.min.css?v=4.6.2" in url for url in assets)
        for url in assets:
            assert client.get(url).status_code == 200, url


def test_favicon_is_served_and_linked(client):
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
