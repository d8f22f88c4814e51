"""The bench seed drops and rebuilds only a database it created and marked itself."""

import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture
def seed(monkeypatch):
    """bench/seed.py, with its database name set to a scratch one of this test."""
    monkeypatch.syspath_prepend(str(BENCH))
    import benchenv
    import seed

    monkeypatch.setattr(benchenv, "DATABASE", f"tracker_bench_safety_{uuid.uuid4().hex[:8]}")
    yield seed
    sys.modules.pop("seed", None)


@pytest.fixture
def server(database_url, seed):
    """A maintenance URL on the test server; drops the scratch database afterwards."""
    url = make_url(database_url).set(database="postgres").render_as_string(hide_password=False)
    yield url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{seed.benchenv.DATABASE}" WITH (FORCE)'))
    admin.dispose()


def _comment(server, name):
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        comment = conn.execute(
            text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                 "WHERE datname = :name"),
            {"name": name},
        ).one_or_none()  # fmt: skip
    admin.dispose()
    return comment


def test_seed_refuses_to_drop_a_database_it_did_not_create(server, seed):
    name = seed.benchenv.DATABASE
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    with pytest.raises(SystemExit, match=f'Refusing to drop database "{name}"'):
        seed.recreate_database(server)
    assert _comment(server, name) == (None,)  # still there, untouched


def test_seed_marks_the_database_it_creates_and_may_rebuild_it(server, seed):
    name = seed.benchenv.DATABASE
    seed.recreate_database(server)
    assert _comment(server, name) == (seed.MARK,)
    seed.recreate_database(server)
    assert _comment(server, name) == (seed.MARK,)
