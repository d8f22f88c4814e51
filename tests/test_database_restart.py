"""A database restart under load: gunicorn serves again within seconds, and no response ever
shows a traceback or the SQL that failed.

The restart needs a PostgreSQL of its own (the shared test server must keep running for the
other tests), so this test starts an embedded one under tmp_path and restarts it with pg_ctl.
"""

import http.client
import os
import subprocess
import sys
import threading
import time

import pytest
from pgserver._commands import pg_ctl

from tests.conftest import PASSWORD
from tests.conftest import _config
from tests.served import Client
from tests.served import Served
from tracker import create_app
from tracker.config import TestConfig
from tracker.embedded_db import embedded_database_url
from tracker.embedded_db import embedded_server
from tracker.extensions import db

WORKERS = 3
BACK_WITHIN_SECONDS = 10
EMAIL = "restart@example.com"
# What a page must never show: Python's traceback, the driver's or the database's words.
LEAKS = (b"Traceback", b"psycopg2", b"OperationalError", b"SELECT ", b"sqlalchemy")


def _migrated(url):
    """Bring the private database to the latest migration."""
    app = create_app(_config(url))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()


def _create_user(url):
    """The musician who keeps loading the dashboard, made with the app's own command."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": TestConfig.SECRET_KEY,
        "SECURITY_PASSWORD_SALT": TestConfig.SECURITY_PASSWORD_SALT,
    }
    subprocess.run(
        [sys.executable, "manage.py", "create-user", EMAIL, "--password", PASSWORD],
        env=env, check=True, capture_output=True, cwd=os.path.dirname(os.path.dirname(__file__)),
    )  # fmt: skip


def _wait_for(condition, seconds=30):
    """Wait until condition() holds, at most seconds (the assertions then tell what was seen)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not condition():
        time.sleep(0.05)


class Load(threading.Thread):
    """Load the dashboard as one signed-in musician until stopped; keep every answer."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.client = Client(port, timeout=15)
        self.client.login(EMAIL)
        self.answers = []  # (monotonic time, status or None for a refused connection, body)
        self.running = True

    def run(self):
        while self.running:
            try:
                status, body = self.client.get("/app/")
            except (OSError, http.client.HTTPException):  # no answer at all
                status, body = None, b""
            self.answers.append((time.monotonic(), status, body))
            time.sleep(0.02)


@pytest.mark.slow
def test_serving_again_soon_after_a_database_restart_with_no_traceback(tmp_path, report_figure):
    pgdata = tmp_path / "pgdata"
    url = embedded_database_url(pgdata, cleanup_mode="delete")
    server = embedded_server(pgdata)
    _migrated(url)
    _create_user(url)
    with Served(url, WORKERS, str(tmp_path / "gunicorn.log")) as served:
        load = Load(served.port)
        load.start()
        # Enough pages served that every worker holds pooled connections.
        _wait_for(lambda: sum(status == 200 for _at, status, _body in load.answers) >= 3 * WORKERS)
        restart_began = time.monotonic()
        pg_ctl(["-w", "-m", "fast", "restart"], pgdata=pgdata, user=server.system_user, timeout=60)
        database_back = time.monotonic()
        # Served again, and a few more answers after that.
        _wait_for(
            lambda: sum(
                at > database_back and status == 200 for at, status, _body in load.answers
            )
            >= 5,
            BACK_WITHIN_SECONDS + 5,
        )
        load.running = False
        load.join(timeout=20)
    answers = load.answers
    first_served = min(at for at, status, _body in answers if at > database_back and status == 200)
    served_again = first_served - database_back
    failed = [status for at, status, _body in answers if status != 200]
    leaking = [body[:200] for _at, _status, body in answers if any(w in body for w in LEAKS)]
    report_figure(
        f"database restart: {len(answers)} requests, {len(failed)} not served while the "
        f"database was down ({database_back - restart_began:.1f} s), serving again "
        f"{served_again:.2f} s after it came back, {len(leaking)} showing a traceback or SQL"
    )
    assert served_again <= BACK_WITHIN_SECONDS
    assert leaking == []
    assert all(status in (200, 500, 503, None) for status in failed), failed
