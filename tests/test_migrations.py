"""Migrations: one head, up and down cleanly, models match, rows survive a round trip.

These tests run on a database of their own (one per test process, emptied before each
test), never on the worker's database, which every other test needs migrated to head.
"""

import os
from datetime import UTC
from datetime import datetime

import pytest
from alembic.script import ScriptDirectory
from flask import current_app
from pytest_alembic.config import Config
from pytest_alembic.tests import test_model_definitions_match_ddl  # noqa: F401 - run here
from pytest_alembic.tests import test_single_head_revision  # noqa: F401 - run here
from pytest_alembic.tests import test_up_down_consistency  # noqa: F401 - run here
from pytest_alembic.tests import test_upgrade  # noqa: F401 - run here
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import committed_rows
from tests.factories import GoalFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import UserFactory
from tests.test_practice_days import RECOMPUTED
from tests.test_practice_days import ROLLUP
from tests.test_practice_days import RUNS
from tests.test_practice_days import RUNS_RECOMPUTED
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

# The last revision before the rollups (practice_days arrives in 0006).
BEFORE_ROLLUPS = "0005"

COUNTED = (
    "SELECT session_id, goal_id, counted_minutes FROM session_goals "
    "WHERE user_id = :u ORDER BY 1, 2"
)
COUNTED_RECOMPUTED = (
    "SELECT sg.session_id, sg.goal_id, coalesce(sg.minutes, s.duration_minutes) "
    "FROM session_goals sg JOIN practice_sessions s ON s.id = sg.session_id "
    "WHERE sg.user_id = :u ORDER BY 1, 2"
)

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


def _schema():
    """The migrations' objects, sorted; alembic's own bookkeeping table left out."""
    return sorted(row for (row,) in committed_rows(SCHEMA) if "alembic_version" not in row)


def _can_change_here(revision):
    """False for a revision whose NEEDS_EXTENSION this PostgreSQL lacks: it then changes nothing.

    The embedded server has no btree_gin, so migration 0022 adds nothing there.
    """
    scripts = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    needed = getattr(scripts.get_revision(revision).module, "NEEDS_EXTENSION", None)
    available = "SELECT 1 FROM pg_available_extensions WHERE name = :name"
    return needed is None or committed_rows(available, name=needed) != []


def test_every_downgrade_restores_the_schema_before_its_upgrade(alembic_runner):
    revisions = alembic_runner.history.revisions[1:-1]  # between "base" and "heads"
    before = {"base": _schema()}
    previous = "base"
    for revision in revisions:
        alembic_runner.migrate_up_to(revision)
        before[revision] = _schema()
        if _can_change_here(revision):
            assert before[revision] != before[previous], f"{revision} changed nothing"
        previous = revision
    for revision, down_to in zip(reversed(revisions), ["base", *revisions][-2::-1], strict=True):
        alembic_runner.migrate_down_to(down_to)
        assert _schema() == before[down_to], f"downgrading {revision} left a different schema"


def _seed():
    """Users in three zones; sessions across local midnights and on consecutive days."""
    berlin = UserFactory(timezone="Europe/Berlin")
    los_angeles = UserFactory(timezone="America/Los_Angeles")
    utc = UserFactory(timezone="UTC")

    def sessions(user, *starts, minutes=30):
        return [
            PracticeSessionFactory(
                user=user, started_at=datetime(*start, tzinfo=UTC), duration_minutes=minutes
            )
            for start in starts
        ]

    # Berlin (UTC+1): 23:30 UTC on 9 March is 00:30 on 10 March, 23:15 on the 12th the 13th.
    sessions(berlin, (2026, 3, 9, 23, 30), (2026, 3, 10, 8), (2026, 3, 11, 22, 30), minutes=40)
    sessions(berlin, (2026, 3, 12, 23, 15), minutes=25)
    # Los Angeles (UTC-7 after 8 March): 06:30 UTC on 10 March is 23:30 on the 9th.
    la = sessions(
        los_angeles, (2026, 3, 10, 6, 30), (2026, 3, 10, 7, 30), (2026, 3, 12, 18), (2026, 3, 13, 5)
    )
    # UTC: five days in a row, a gap, one more.
    daily = sessions(utc, *[(2026, 3, day, 12) for day in (1, 2, 3, 4, 5, 8)], minutes=20)

    for user, linked in ((los_angeles, la), (utc, daily)):
        goal = GoalFactory(user=user)
        SessionGoalFactory(user=user, goal=goal, session=linked[0], minutes=15)
        SessionGoalFactory(user=user, goal=goal, session=linked[1])  # counts the whole session
        SessionGoalFactory(user=user, goal=GoalFactory(user=user), session=linked[1], minutes=5)
    ids = berlin.id, los_angeles.id, utc.id
    db.session.remove()
    return ids


def _rollups(user_ids):
    """Per user: the stored days, runs and goal minutes."""
    return {
        u: (committed_rows(ROLLUP, u=u), committed_rows(RUNS, u=u), committed_rows(COUNTED, u=u))
        for u in user_ids
    }


def _recomputed(user_ids):
    """Per user: days, runs and goal minutes computed straight from the sessions.

    RUNS_RECOMPUTED reads practice_days: comparing days with RECOMPUTED first makes the
    runs' reference come from the sessions too.
    """
    return {
        u: (
            committed_rows(RECOMPUTED, u=u),
            committed_rows(RUNS_RECOMPUTED, u=u),
            committed_rows(COUNTED_RECOMPUTED, u=u),
        )
        for u in user_ids
    }


def _tables():
    return {
        name
        for (name,) in committed_rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    }


def _day(day):
    return datetime(2026, 3, day).date()


def test_rollups_are_rebuilt_from_the_rows_after_downgrade_and_upgrade(alembic_runner):
    alembic_runner.migrate_up_to("heads")
    user_ids = _seed()
    berlin, los_angeles, utc = user_ids
    at_head = _rollups(user_ids)
    assert at_head == _recomputed(user_ids)
    days, runs, _ = at_head[berlin]
    assert [(day, sessions) for day, _, sessions in days] == [
        (_day(10), 2),
        (_day(11), 1),
        (_day(13), 1),
    ]
    assert runs == [(_day(10), _day(11)), (_day(13), _day(13))]
    assert at_head[utc][1] == [(_day(1), _day(5)), (_day(8), _day(8))]
    assert [counted for _, _, counted in at_head[los_angeles][2]] == [15, 30, 5]

    alembic_runner.migrate_down_to(BEFORE_ROLLUPS)
    assert not {"practice_days", "practice_runs"} & _tables()
    assert committed_rows("SELECT count(*) FROM practice_sessions") == [(14,)]

    alembic_runner.migrate_up_to("heads")
    assert _rollups(user_ids) == at_head == _recomputed(user_ids)

    # The triggers are back too: a new day joins a run, a zone change rebuilds the days.
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO practice_sessions (user_id, started_at, duration_minutes) "
                "VALUES (:u, '2026-03-06 12:00Z', 20), (:u, '2026-03-07 12:00Z', 20)"
            ),
            {"u": utc},
        )
        conn.execute(text("UPDATE users SET timezone = 'UTC' WHERE id = :u"), {"u": los_angeles})
    assert _rollups(user_ids) == _recomputed(user_ids)
    assert _rollups(user_ids)[utc][1] == [(_day(1), _day(8))]

    alembic_runner.migrate_down_to("base")
    assert _tables() == {"alembic_version"}
    alembic_runner.migrate_up_to("heads")
    assert committed_rows("SELECT count(*) FROM users") == [(0,)]
    assert _rollups(user_ids) == _recomputed(user_ids) == {u: ([], [], []) for u in user_ids}
