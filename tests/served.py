"""The app served by gunicorn with several workers, for tests about more than one process.

`Served` starts `gunicorn "tracker:create_app()"` on a free port in its own process group,
configured only by the environment as in production; `Client` speaks HTTP to it with a
cookie jar of its own (Secure cookies included: the tests talk plain HTTP to 127.0.0.1).
"""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.conftest import PASSWORD
from tracker.config import TestConfig

HOST = "127.0.0.1"
START_TIMEOUT = 60


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Served:
    """gunicorn serving the app with `workers` workers and `env` on top of the tests' own."""

    def __init__(self, database_url, workers=3, log_path=None, **env):
        self.port = free_port()
        self.log_path = log_path or os.devnull
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            # The tests' own secrets: passwords the factories hashed check out.
            "SECRET_KEY": TestConfig.SECRET_KEY,
            "SECURITY_PASSWORD_SALT": TestConfig.SECURITY_PASSWORD_SALT,
            **env,
        }
        self.workers = workers
        self.process = None

    def __enter__(self):
        self._log = open(self.log_path, "ab")
        command = [
            sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
            "--bind", f"{HOST}:{self.port}", "--timeout", "60", "--log-level", "warning",
            "tracker:create_app()",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.wait_until_up()
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()

    def wait_until_up(self):
        """Poll the landing page until it answers 200; fail when gunicorn dies or is slow."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited during start-up, see {self.log_path}")
            try:
                if Client(self.port).get("/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s")

    def worker_pids(self):
        """The pids of gunicorn's live workers (children of the master)."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return [int(pid) for pid in out.stdout.split()]


class Client:
    """One HTTP client: a fresh connection per request, cookies kept, redirects not followed."""

    def __init__(self, port, headers=None, timeout=30):
        self.port = port
        self.headers = headers or {}
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        """(status, headers as a dict of lists, body bytes)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            received = {}
            for name, value in response.getheaders():
                received.setdefault(name.lower(), []).append(value)
            for line in received.get("set-cookie", []):
                for name, morsel in SimpleCookie(line).items():
                    self.cookies[name] = morsel.value
            return response.status, received, response.read()
        finally:
            conn.close()

    def get(self, path):
        """(status, body) of a GET."""
        status, _headers, body = self.request("GET", path)
        return status, body

    def post_form(self, path, fields):
        """(status, headers, body) of a form POST."""
        return self.request(
            "POST", path, urlencode(fields, doseq=True),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip

    def post_json(self, path, data):
        """(status, body as JSON or None) of a JSON POST."""
        status, _headers, body = self.request(
            "POST", path, json.dumps(data), {"Content-Type": "application/json"}
        )
        return status, json.loads(body) if body else None

    def get_json(self, path):
        """(status, body as JSON) of a GET."""
        status, body = self.get(path)
        return status, json.loads(body)

    def form_fields(self, path):
        """The hidden inputs (csrf_token, form_token, ...) of the first form on a page."""
        status, body = self.get(path)
        assert status == 200, (path, status)
        fields = {}
        for tag in re.findall(r"<input[^>]*>", body.decode()):
            attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
            if attrs.get("type") == "hidden" and "name" in attrs:
                fields.setdefault(attrs["name"], attrs.get("value", ""))
        return fields

    def login(self, email, password=PASSWORD):
        """Sign in through the login form, CSRF token included."""
        fields = self.form_fields("/login")
        status, headers, _body = self.post_form(
            "/login", {"csrf_token": fields.get("csrf_token", ""), "email": email,
                       "password": password},
        )  # fmt: skip
        assert status == 302, f"login answered {status}: {_body.decode()[-3000:]}"
