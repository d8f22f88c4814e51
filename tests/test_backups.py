"""`manage.py backup` and `restore`: pg_dump / pg_restore round trips, checked table by table."""

import os
import re
import stat
import uuid
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import app_on
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.factories import every_kind_of_row
from tracker.backups import BackupError
from tracker.backups import find_tool
from tracker.backups import libpq_target
from tracker.backups import pgserver_bin_dir


@pytest.fixture
def fresh_database(database_url):
    """The URL of a new, empty database on the test server; dropped afterwards."""
    name = f"tracker_restore_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fingerprint(url):
    """Per table: row count and md5 of its rows in order; and the schema's other objects."""
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        ).scalars()
        rows = {}
        for name in list(tables):
            rows[name] = tuple(
                conn.execute(
                    text(
                        f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' "
                        f"ORDER BY t::text), '')) FROM \"{name}\" t"
                    )
                ).one()
            )
        objects = {
            kind: sorted(conn.execute(text(query)).all())
            for kind, query in {
                "sequences": "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()",
                "triggers": "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
                "WHERE NOT tgisinternal",
                "functions": "SELECT proname, md5(prosrc) FROM pg_proc "
                "WHERE pronamespace = current_schema()::regnamespace",
                "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema()",
                # By name and kind: PostgreSQL words a re-read `IN (...)` CHECK differently.
                "constraints": "SELECT conrelid::regclass::text, conname, contype::text "
                "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace",
            }.items()
        }
    engine.dispose()
    return rows, objects


def _run(app, *args):
    """Run a manage.py command of app (its own context: the commands use the current app)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def test_backup_then_restore_into_a_fresh_database_gives_equal_tables(
    app, tmp_path, fresh_database, report_figure
):
    for email in ("alice@example.com", "bob@example.com"):
        user = every_kind_of_row(UserFactory(email=email))
        for _ in range(5):
            PracticeSessionFactory(user=user)
    archive = str(tmp_path / "nightly.dump")

    backed_up = _run(app, "backup", "--output", archive)

    assert backed_up.exit_code == 0, backed_up.output
    assert "Backed up" in backed_up.output and archive in backed_up.output
    with open(archive, "rb") as file:
        assert file.read(5) == b"PGDMP"
    target = app_on(fresh_database)
    restored = _run(target, "restore", archive)
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output

    source_rows, source_objects = fingerprint(app.config["SQLALCHEMY_DATABASE_URI"])
    target_rows, target_objects = fingerprint(fresh_database)
    assert target_rows == source_rows
    assert target_objects == source_objects
    total = sum(count for count, _ in source_rows.values())
    assert total > 100 and source_rows["users"][0] == 2
    report_figure(
        f"backup -> restore: {len(source_rows)} tables, {total} rows, checksums equal; "
        + ", ".join(f"{len(items)} {kind}" for kind, items in source_objects.items())
        + " equal"
    )


def test_restore_refuses_a_database_that_is_not_empty_and_cleans_on_request(
    app, tmp_path, fresh_database
):
    every_kind_of_row(UserFactory())
    archive = str(tmp_path / "backup.dump")
    assert _run(app, "backup", "-o", archive).exit_code == 0
    target = app_on(fresh_database)
    assert _run(target, "restore", archive).exit_code == 0
    before = fingerprint(fresh_database)

    again = _run(target, "restore", archive)

    assert again.exit_code == 1
    assert "is not empty: it holds " in again.output and "--clean" in again.output
    assert "tables (alembic_version, api_tokens, " in again.output
    assert fingerprint(fresh_database) == before
    cleaned = _run(target, "restore", "--clean", archive)
    assert cleaned.exit_code == 0, cleaned.output
    assert fingerprint(fresh_database) == before


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path, fresh_database):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("scales, arpeggios\n")

    result = _run(app_on(fresh_database), "restore", str(not_a_backup))

    assert result.exit_code == 1
    assert "is not a backup made by `manage.py backup`" in result.output
    assert fingerprint(fresh_database)[0] == {}


def _fake_tool(folder, name, version, body="exit 0"):
    """A stand-in for a PostgreSQL program that reports version and then runs body."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "{name} (PostgreSQL) {version}"; exit 0; fi\n'
        f"{body}\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.pure
def test_the_newest_tools_not_older_than_the_server_are_used(tmp_path, monkeypatch):
    folders = {major: tmp_path / f"pg{major}" for major in (14, 16, 17)}
    for major, folder in folders.items():
        _fake_tool(folder, "pg_dump", f"{major}.2")
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.setattr(
        "tracker.backups.candidate_dirs", lambda: [str(f) for f in folders.values()]
    )

    assert find_tool("pg_dump", 15) == (str(folders[17] / "pg_dump"), (17, 2))
    assert find_tool("pg_dump", 17)[1] == (17, 2)
    with pytest.raises(BackupError, match="No pg_dump for PostgreSQL 18 or newer"):
        find_tool("pg_dump", 18)


@pytest.mark.pure
def test_pg_bin_dir_chooses_the_tools(tmp_path, monkeypatch):
    chosen = _fake_tool(tmp_path / "mine", "pg_restore", "15.20")
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path / "mine"))
    assert find_tool("pg_restore", 16) == (chosen, (15, 20))
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path / "nothing"))
    with pytest.raises(BackupError, match="PG_BIN_DIR is set"):
        find_tool("pg_restore", 16)


@pytest.mark.pure
def test_the_password_goes_in_the_environment_not_the_command_line():
    url = make_url("postgresql+psycopg2://tracker:s3cr%40t@db:5432/tracker?sslmode=require")

    uri, env = libpq_target(url)

    assert uri == "postgresql://tracker@db:5432/tracker?sslmode=require"
    assert env["PGPASSWORD"] == "s3cr@t"


def test_a_failed_backup_leaves_no_file(app, tmp_path, monkeypatch):
    # Writes half a file, then fails as a lost connection would.
    half_then_fail = (
        'while [ "$#" -gt 0 ]; do [ "$1" = "--file" ] && echo half > "$2"; shift; done\n'
        'echo "pg_dump: error: connection to server lost" >&2; exit 1'
    )
    _fake_tool(tmp_path / "bin", "pg_dump", "99.0", half_then_fail)
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path / "bin"))
    output = tmp_path / "out" / "backup.dump"

    result = _run(app, "backup", "--output", str(output))

    assert result.exit_code == 1
    assert "The backup failed (pg_dump): pg_dump: error: connection to server lost" in result.output
    assert os.listdir(output.parent) == []


@pytest.mark.pure
def test_the_image_has_tools_for_the_compose_database(monkeypatch):
    """The image installs the package (pgserver included) and no other PostgreSQL client."""
    root = Path(__file__).resolve().parent.parent
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    major = int(re.match(r"postgres:(\d+)", compose["services"]["db"]["image"]).group(1))
    assert re.search(r"^\s+pgserver==", (root / "setup.cfg").read_text(), re.MULTILINE)
    monkeypatch.delenv("PG_BIN_DIR", raising=False)
    monkeypatch.setattr("tracker.backups.candidate_dirs", lambda: [pgserver_bin_dir()])

    for tool in ("pg_dump", "pg_restore"):
        path, version = find_tool(tool, major)
        assert path.startswith(pgserver_bin_dir()) and version[0] >= major
