"""Migrations: one head, up and down cleanly, models match, every downgrade undoes its upgrade.

These tests run on a database of their own (one per test process, emptied before each
test), never on the worker's database, which every other test needs migrated to head.
"""

import os

import pytest
from flask import current_app
from pytest_alembic.config import Config
from pytest_alembic.tests import test_model_definitions_match_ddl  # noqa: F401 - run here
from pytest_alembic.tests import test_single_head_revision  # noqa: F401 - run here
from pytest_alembic.tests import test_up_down_consistency  # noqa: F401 - run here
from pytest_alembic.tests import test_upgrade  # noqa: F401 - run here
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

# Everything the migrations define in the public schema, one text row per object.
SCHEMA = """
SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '
       || is_nullable || ' ' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = 'public'
UNION ALL
SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
SELECT 'statistics ' || stxname || ' ' || pg_get_statisticsobjdef_columns(oid)
  FROM pg_statistic_ext WHERE stxnamespace = 'public'::regnamespace
UNION ALL
SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
"""


@pytest.fixture(scope="session")
def migration_database_url(database_url):
    """A database for this test process's migration tests, on the worker database's server.

    The worker's own server (TEST_DATABASE_URL's, or the embedded one) is reached through
    the worker database, so this works in both modes; the pid keeps concurrent runs apart.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"tracker_migrations_{worker}_{os.getpid()}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migration_app(migration_database_url):
    """The app bound to the migration database: migrations/env.py reads its engine."""
    config = type(
        "MigrationTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": migration_database_url}
    )
    app = create_app(config)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def migration_database(migration_app):
    """An empty migration database, with its app's context current for the test."""
    with migration_app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        yield
        db.session.remove()


@pytest.fixture
def alembic_config(migration_database):
    """Flask-Migrate's own alembic config: migrations/alembic.ini and env.py."""
    return Config.from_raw_config(current_app.extensions["migrate"].migrate.get_config())


@pytest.fixture
def alembic_engine(migration_database):
    """The engine env.py migrates with (it takes the app's, not one passed to it)."""
    return db.engine


def _rows(sql, **params):
    with db.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def _schema():
    """The migrations' objects, sorted; alembic's own bookkeeping table left out."""
    return sorted(row for (row,) in _rows(SCHEMA) if "alembic_version" not in row)


def test_every_downgrade_restores_the_schema_before_its_upgrade(alembic_runner):
    revisions = alembic_runner.history.revisions[1:-1]  # between "base" and "heads"
    before = {"base": _schema()}
    previous = "base"
    for revision in revisions:
        alembic_runner.migrate_up_to(revision)
        before[revision] = _schema()
        assert before[revision] != before[previous], f"{revision} changed nothing"
        previous = revision
    for revision, down_to in zip(reversed(revisions), ["base", *revisions][-2::-1], strict=True):
        alembic_runner.migrate_down_to(down_to)
        assert _schema() == before[down_to], f"downgrading {revision} left a different schema"
