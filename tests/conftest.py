"""Fixtures: an app on real PostgreSQL, a clean database per test, clients and an auth helper."""

import json
import os
import re
import tempfile
from html import unescape
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.config import TestConfig
from tracker.embedded_db import embedded_database_url
from tracker.embedded_db import psycopg2_url
from tracker.extensions import cache
from tracker.extensions import db

PASSWORD = "correct horse battery staple"


def committed_rows(sql, **params):
    """The rows of sql as tuples, read on a connection of their own: only what is committed."""
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def _worker_database_url():
    """A fresh database for this test process: on TEST_DATABASE_URL's server, else embedded."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # The pid keeps concurrent test runs on one server apart.
    name = f"tracker_test_{worker}_{os.getpid()}"
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pgdata = os.path.join(tempfile.mkdtemp(prefix=f"tracker-pg-{worker}-"), "pgdata")
        return embedded_database_url(pgdata, database=name, cleanup_mode="delete")
    base = psycopg2_url(base)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop_database(url):
    """Drop the test database on TEST_DATABASE_URL's server (embedded ones are deleted whole)."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    name = make_url(url).database
    admin = create_engine(
        psycopg2_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url():
    """URL of a migrated, empty database for this test process."""
    url = _worker_database_url()
    app = create_app(_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    with app.app_context():
        db.engine.dispose()
    _drop_database(url)


# Every app built for this test process shares one cache directory, as app processes
# share Redis in production: a write through one app invalidates figures in the others.
_CACHE_DIR = tempfile.mkdtemp(prefix="tracker-cache-")


def _config(url, **overrides):
    """TestConfig pointed at url, with overrides."""
    attrs = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CACHE_TYPE": "FileSystemCache",
        "CACHE_DIR": _CACHE_DIR,
        **overrides,
    }
    return type("BoundTestConfig", (TestConfig,), attrs)


def _truncate_all():
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


class FreshRequestClient(FlaskClient):
    """Each request starts as it would in production: empty `g`, no leftover transaction.

    Tests hold an app context open (for factories and assertions), and Flask reuses it
    for requests; without this, `g` (the logged-in user) would carry over between requests.
    """

    def open(self, *args, **kwargs):
        vars(g._get_current_object()).clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            db.session.rollback()


def _make_app(url, **overrides):
    app = create_app(_config(url, **overrides))
    app.test_client_class = FreshRequestClient
    return app


def app_on(url, **overrides):
    """Another app like the test app, on the database at url (a restore's target, say)."""
    return _make_app(url, **overrides)


@pytest.fixture(scope="session")
def app(database_url):
    """The app, CSRF off (tests about CSRF use csrf_app)."""
    return _make_app(database_url)


@pytest.fixture(scope="session")
def csrf_app(database_url):
    """The app with CSRF protection on, as in production."""
    return _make_app(database_url, WTF_CSRF_ENABLED=True)


@pytest.fixture(autouse=True)
def _app_context(request):
    """Every test runs in an app context and starts with empty tables; pure tests skip both."""
    if request.node.get_closest_marker("pure"):
        # Pure functions over plain data: no app, no database, so they run anywhere and fast.
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        _truncate_all()
        cache.clear()  # ids restart after TRUNCATE; cached figures must not outlive them


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_client(csrf_app):
    with csrf_app.app_context():
        yield csrf_app.test_client()


class AuthActions:
    """Log a test client in and out through the real forms (with their CSRF token when on)."""

    def __init__(self, client):
        self._client = client

    def _token(self, path):
        """The form token a browser would send from path, or None while CSRF is off."""
        if not self._client.application.config["WTF_CSRF_ENABLED"]:
            return None
        return csrf_token_from(self._client.get(path).get_data(as_text=True))

    def login(self, user_or_email, password=PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        data = {"email": email, "password": password}
        token = self._token("/login")
        if token:
            data["csrf_token"] = token
        response = self._client.post("/login", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        token = self._token("/app/")
        return self._client.post("/logout", data={"csrf_token": token} if token else {})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def csrf_auth(csrf_client):
    """AuthActions for the CSRF-protected client."""
    return AuthActions(csrf_client)


def confirmation_path(user):
    """The link of the e-mail that confirms user's address (what a new account opens)."""
    from flask_security.confirmable import generate_confirmation_token

    return f"/confirm/{generate_confirmation_token(user)}"


def csrf_token_from(html):
    """The CSRF token embedded in a rendered page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token on the page"
    return match.group(1)


@pytest.fixture
def count_queries():
    """count_queries(fn) -> how many SQL statements fn() ran."""
    from sqlalchemy import event

    def run(fn):
        statements = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            fn()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return run


def panel_html(body, element_id):
    """The HTML of the element with element_id up to the end of its <section> (a page panel)."""
    start = body.index(f'id="{element_id}"')
    end = body.find("</section>", start)
    return body[start:end]


def list_table(html):
    """A list page without the phone's cards (admin/model/scoped_list.html): the table alone."""
    start = html.find('<div class="list-cards')
    if start < 0:
        return html
    return html[:start] + html[html.index('<div class="list-pager', start) :]


def query_args(url):
    """{name: [values]} of url's query string."""
    return parse_qs(urlsplit(url).query)


def input_value(body, name):
    """The value of the input named name."""
    field = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', body)
    assert field, f"no input {name}"
    return unescape(re.search(r'value="([^"]*)"', field.group(0)).group(1))


def list_filter(html, label, operation=None):
    """(URL argument, details) of the list filter named label (and operation) on a list page."""
    data = re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', html, re.S).group(1)
    for item in json.loads(data)[label]:
        if operation is None or item["operation"] == operation:
            return item["arg"], item
    raise AssertionError(f"no filter {label} {operation or ''}")


@pytest.fixture
def report_figure(request):
    """report_figure("checked 184 cells, 0 unescaped"): a figure shown after the run."""

    def report(text):
        print(text)
        request.node.user_properties.append(("figure", text))

    return report


def pytest_terminal_summary(terminalreporter):
    """List the figures tests reported (also from xdist workers, whose output is hidden)."""
    figures = [
        (report.nodeid, value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        for name, value in getattr(report, "user_properties", ())
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("figures")
        for nodeid, value in figures:
            terminalreporter.write_line(f"{nodeid}: {value}")
