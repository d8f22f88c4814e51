"""Start or reuse an embedded PostgreSQL (pgserver) when no DATABASE_URL is configured."""

import logging
import os
import signal
import sys
from pathlib import Path

log = logging.getLogger(__name__)

_servers = {}


def psycopg2_url(url):
    """Return url with the psycopg2 driver named, as SQLAlchemy 2.1 defaults to psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def _exit_cleanly_on_sigterm():
    """Turn SIGTERM into a normal exit so pgserver's atexit hook stops the server."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))


def embedded_server(pgdata, cleanup_mode="stop"):
    """Return a running pgserver instance whose data lives in pgdata."""
    pgdata = Path(pgdata).resolve()
    if pgdata not in _servers:
        import pgserver  # imported lazily: only development and tests without a URL need it

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        _exit_cleanly_on_sigterm()
        _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
        log.warning("Embedded PostgreSQL running; its data lives in %s", pgdata)
    return _servers[pgdata]


def embedded_database_url(pgdata, database="tracker", cleanup_mode="stop"):
    """Start (or reuse) the embedded server, make sure `database` exists, return its URL."""
    server = embedded_server(pgdata, cleanup_mode=cleanup_mode)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return psycopg2_url(server.get_uri(database))


def default_pgdata(instance_path):
    """Where development data lives: instance/pgdata unless PGDATA_DIR says otherwise."""
    return os.environ.get("PGDATA_DIR") or os.path.join(instance_path, "pgdata")
