"""Where the bench database lives and how the bench app is configured (shared by the scripts)."""

import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
# The checkout the bench lives in, not whichever one the environment installed: the scripts
# and gunicorn's workers (which import this module first) measure this checkout's app.
sys.path.insert(0, str(ROOT))

from sqlalchemy.engine import make_url  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.config import Config  # noqa: E402
from tracker.embedded_db import embedded_database_url  # noqa: E402
from tracker.embedded_db import psycopg2_url  # noqa: E402

# Its own name per checkout when several share one server (the bench drops and recreates it).
DATABASE = os.environ.get("BENCH_DATABASE", "tracker_bench")
HEAVY_EMAIL = "heavy@example.com"
# The heavy user's goals, pieces and sections with a light user's log: comparing the two
# shows what the log's length alone costs the pages whose work grows with the items.
TWIN_EMAIL = "twin@example.com"
# The heavy user's shape with ten times its sessions (500,000): growth far past the bench user.
HUGE_EMAIL = "huge@example.com"
PASSWORD = "bench practice password"
# Set by run.py for gunicorn's workers, so they reuse the resolved URL (and no second pgserver).
RESOLVED_URL_ENV = "BENCH_RESOLVED_DATABASE_URL"


def url_source():
    """The environment variable the server URL comes from, or None for the embedded server."""
    for name in ("BENCH_DATABASE_URL", "TEST_DATABASE_URL"):
        if os.environ.get(name):
            return name
    return None


def server_url():
    """URL of a maintenance database on the bench server (embedded pgserver when none is set)."""
    name = url_source()
    if name:
        return psycopg2_url(os.environ[name])
    pgdata = ROOT / "instance" / "bench-pgdata"
    return embedded_database_url(pgdata, database="postgres")


def bench_database_url(server=None):
    """URL of the tracker_bench database on the bench server (server: from server_url())."""
    if os.environ.get(RESOLVED_URL_ENV):
        return os.environ[RESOLVED_URL_ENV]
    url = make_url(server or server_url()).set(database=DATABASE)
    return url.render_as_string(hide_password=False)


def bench_config(url):
    """A development Config bound to url: the default cache, no rate limit, no CSRF.

    The default cache is the app's (bounded, in each process; Redis when CACHE_REDIS_URL is
    set); CACHE_TYPE in the environment chooses another, e.g. SimpleCache to compare.
    """
    return type(
        "BenchConfig",
        (Config,),
        {
            "ENV_NAME": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            # Fixed secrets: the seeded password hash must verify in every bench process.
            "SECRET_KEY": "bench-secret-key",
            "SECURITY_PASSWORD_SALT": "bench-password-salt",
            "RATELIMIT_ENABLED": False,
            "LOGIN_RATE_LIMIT": "100000 per minute",
            "WTF_CSRF_ENABLED": False,
        },
    )


def make_app(url):
    """The product app built with the bench configuration."""
    return create_app(bench_config(url))
