"""Brute force against gunicorn with 3 workers: the limit holds across them, the owner gets in."""

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.test_throttling import REDIS_URL
from tests.test_throttling import redis_prefix
from tracker.config import TestConfig

LIMIT = 5
GUESSES = 30
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A tiny cookie-keeping client that connects from a chosen local address."""

    def __init__(self, port, source):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method, path, form=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.headers, text

    def login(self, email, password):
        """GET the form (for its CSRF token), then POST it: the POST's status."""
        _status, _headers, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = {"email": email, "password": password, "csrf_token": token}
        status, headers, _ = self.request("POST", "/login", form)
        return status, headers.get("Location")


@pytest.fixture
def gunicorn(database_url):
    """gunicorn, 3 workers, production settings, limits in Redis under a fresh prefix."""
    port = _free_port()
    instance = tempfile.mkdtemp(prefix="tracker-gunicorn-")
    env = {
        **os.environ,
        "TRACKER_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "brute-force-test-secret",
        "SECURITY_PASSWORD_SALT": TestConfig.SECURITY_PASSWORD_SALT,
        "INSTANCE_PATH": instance,
        "UPLOAD_FOLDER": os.path.join(instance, "uploads"),
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix(),
        "LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
        "LOGIN_ADDRESS_RATE_LIMIT": "100 per minute",
        "CACHE_TYPE": "SimpleCache",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "3", "-b", f"127.0.0.1:{port}",
         "tracker:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if Browser(port, "127.0.0.1").request("GET", "/login")[0] == 200:
                break
        except OSError:
            pass
        assert server.poll() is None, server.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.slow
def test_brute_force_across_three_workers_stops_at_the_limit(gunicorn, report_figure):
    email = UserFactory(email="owner@example.com").email

    def guess(n):
        return Browser(gunicorn, "127.0.0.1").login(email, f"wrong guess {n}")[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(guess, range(GUESSES)))
    checked, limited = codes.count(200), codes.count(429)
    owner = Browser(gunicorn, "127.0.0.2").login(email, PASSWORD)
    report_figure(
        f"brute force, gunicorn -w 3: {checked} of {GUESSES} guesses checked "
        f"(limit {LIMIT}), {limited} refused with 429; the owner from 127.0.0.2: {owner[0]}"
    )
    assert checked <= LIMIT and checked + limited == GUESSES, codes
    assert owner == (302, "/app/")
