"""The SQL source files are what the migrated database runs: no function drifts or hides.

tracker/figures/rollups.sql holds the rollups behind the figures, tracker/figures/data_version.sql
the per-user data version the figures cache keys on, tracker/guidance/review_marks.sql the marks
that tell review states they are behind.
"""

import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.extensions import db

TRACKER = Path(__file__).resolve().parents[1] / "tracker"
SQL_SOURCES = (
    TRACKER / "figures" / "rollups.sql",
    TRACKER / "figures" / "data_version.sql",
    TRACKER / "guidance" / "review_marks.sql",
)
# One statement per function; no body in the file contains "$$;" before its end.
FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION\s+(\w+)\s*\(.*?\$\$;", re.S)
# The functions behind the rollups, by name.
ROLLUP_NAMES = (
    r"^(practice_days?_|practice_runs_|session_goals_|review_states_|data_version_)|^local_day$"
)
# The file's functions are created here, inside a transaction that is rolled back.
SCRATCH_SCHEMA = "rollups_file"
DEFINITIONS = (
    "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema"
)


def _file_functions():
    """name -> CREATE OR REPLACE FUNCTION statement, in the files' order."""
    matches = []
    for path in SQL_SOURCES:
        source = path.read_text()
        matches += FUNCTION.finditer(source)
        rest = re.sub(r"--[^\n]*", "", FUNCTION.sub("", source)).strip()
        assert rest == "", f"{path.name} holds more than function definitions: {rest[:200]!r}"
    names = [match.group(1) for match in matches]
    assert len(names) == len(set(names)), f"a function is defined twice: {names}"
    return {match.group(1): match.group(0) for match in matches}


def _normalised(definition, schema):
    """pg_get_functiondef output without its schema, as stripped non-blank lines."""
    header, _, rest = definition.partition("\n")
    header = header.replace(f"FUNCTION {schema}.", "FUNCTION ", 1)
    return [line.strip() for line in [header, *rest.splitlines()] if line.strip()]


def _definitions(conn, schema):
    """name -> normalised definition of every function in schema."""
    rows = conn.execute(text(DEFINITIONS), {"schema": schema})
    return {name: _normalised(definition, schema) for name, definition in rows}


@pytest.fixture(scope="module")
def definitions(app):
    """(installed, from the file): definitions as PostgreSQL itself prints them."""
    with app.app_context(), db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            installed = _definitions(conn, "public")
            conn.execute(text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
            conn.execute(text(f"SET LOCAL search_path TO {SCRATCH_SCHEMA}, public"))
            for statement in _file_functions().values():
                # exec_driver_sql: the bodies are passed through untouched (no bind params).
                conn.exec_driver_sql(statement)
            from_file = _definitions(conn, SCRATCH_SCHEMA)
        finally:
            transaction.rollback()
    return installed, from_file


@pytest.mark.parametrize("name", list(_file_functions()))
def test_installed_function_matches_rollups_sql(definitions, name):
    installed, from_file = definitions
    assert name in installed, f"{name} is in rollups.sql but not in the migrated database"
    assert installed[name] == from_file[name]


def test_every_rollup_function_in_the_database_is_in_rollups_sql(definitions):
    installed, _ = definitions
    rollup_functions = {name for name in installed if re.search(ROLLUP_NAMES, name)}
    assert "practice_runs_on_day" in rollup_functions  # the pattern finds what it should
    assert rollup_functions == set(_file_functions())


def test_local_day_is_the_day_in_the_given_zone():
    with db.engine.connect() as conn:
        days = conn.execute(
            text(
                "SELECT local_day('Europe/Berlin', :at)::text, "
                "local_day('America/Los_Angeles', :at)::text, local_day(NULL, :at)::text"
            ),
            {"at": "2026-03-09 23:30:00+00"},
        ).one()
    assert tuple(days) == ("2026-03-10", "2026-03-09", "2026-03-09")


def test_local_day_is_inlined_into_queries():
    with db.engine.connect() as conn:
        plan = "\n".join(
            conn.execute(
                text("EXPLAIN (VERBOSE, COSTS OFF) SELECT local_day('UTC', now())")
            ).scalars()
        )
    assert "local_day" not in plan and "AT TIME ZONE" in plan
