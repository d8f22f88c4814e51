"""Create the bench database, migrate it and fill it: 1,000 light users, the heavy user, its twin
and the huge user.

Skips the data when the database already holds them, unless BENCH_RESEED=1; a database seeded
before the huge user existed gains it alone. It drops only a database it created itself
(marked with a comment on the database).
"""

import os
import time

import benchenv
import seed_sql
from flask_migrate import upgrade
from flask_security import hash_password
from sqlalchemy import bindparam
from sqlalchemy import create_engine
from sqlalchemy import text

from tracker.extensions import db

LIGHT_USERS = 1000
HEAVY_SESSIONS = 50_000
HUGE_SESSIONS = 500_000
TWIN_ID = LIGHT_USERS + 2
HUGE_ID = LIGHT_USERS + 3
# The comment on every database this script creates: without it, it drops nothing.
MARK = "Practice Tracker bench data, created by bench/seed.py; dropped and rebuilt at will."
BENCH_EMAILS = (benchenv.HEAVY_EMAIL, benchenv.TWIN_EMAIL, benchenv.HUGE_EMAIL)
COUNTED_TABLES = (
    "users",
    "practice_sessions",
    "session_focus_areas",
    "session_goals",
    "session_pieces",
    "session_equipment",
    "piece_sections",
    "practice_days",
    "practice_runs",
    "practice_day_items",
)


def _admin_engine(server):
    return create_engine(server, isolation_level="AUTOCOMMIT")


def database_comment(conn, name):
    """The database's comment, or None; False when there is no such database."""
    row = conn.execute(
        text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :name"),
        {"name": name},
    ).one_or_none()
    return False if row is None else row[0]


def recreate_database(server):
    """Drop the bench database (only when this script created it) and create it, marked."""
    name = benchenv.DATABASE
    admin = _admin_engine(server)
    with admin.connect() as conn:
        comment = database_comment(conn, name)
        if comment is not False and comment != MARK:
            admin.dispose()
            raise SystemExit(
                f'Refusing to drop database "{name}": bench/seed.py did not create it (it has '
                f"no bench mark). Drop it yourself if it is a bench copy, or set BENCH_DATABASE "
                "to a database name of its own."
            )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f"COMMENT ON DATABASE \"{name}\" IS '{MARK}'"))
    admin.dispose()


def seeded_emails(server, url):
    """The bench users' e-mails the database holds (empty when it does not exist or is empty)."""
    admin = _admin_engine(server)
    with admin.connect() as conn:
        exists = database_comment(conn, benchenv.DATABASE) is not False
    admin.dispose()
    if not exists:
        return set()
    engine = create_engine(url)
    with engine.connect() as conn:
        found = set()
        if conn.execute(text("SELECT to_regclass('users') IS NOT NULL")).scalar():
            found = set(
                conn.execute(
                    text("SELECT email FROM users WHERE email IN :emails").bindparams(
                        bindparam("emails", expanding=True)
                    ),
                    {"emails": list(BENCH_EMAILS)},
                ).scalars()
            )
    engine.dispose()
    return found


def _migration_head():
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def fill(engine, password_hash, first_user=1):
    """Run the seed SQL steps for users first_user.. in one transaction, printing timings.

    One transaction (and one session, where its temp helpers live): a seed that fails
    leaves the database as it was.
    """
    params = {
        "first_user": first_user,
        "last_user": HUGE_ID,
        "twin_id": TWIN_ID,
        "huge_id": HUGE_ID,
        "heavy_sessions": HEAVY_SESSIONS,
        "huge_sessions": HUGE_SESSIONS,
        "heavy_email": benchenv.HEAVY_EMAIL,
        "twin_email": benchenv.TWIN_EMAIL,
        "huge_email": benchenv.HUGE_EMAIL,
        "password_hash": password_hash,
    }
    with engine.connect() as conn:
        # Bulk load: sorts in memory, no wait for the WAL flush at commit.
        conn.execute(text("SET work_mem = '256MB'"))
        conn.execute(text("SET synchronous_commit = off"))
        for label, sql in seed_sql.STEPS:
            started = time.perf_counter()
            result = conn.execute(text(sql), params)
            rows = f"{result.rowcount:>9,} rows" if result.rowcount >= 0 else " " * 14
            print(f"  {label:<22}{rows}  {time.perf_counter() - started:6.1f} s", flush=True)
        started = time.perf_counter()
        conn.commit()
        print(f"  {'commit':<36}  {time.perf_counter() - started:6.1f} s", flush=True)


def vacuum_analyze(engine):
    """VACUUM ANALYZE: fresh statistics and a visibility map, as a settled database has."""
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    print(f"  {'vacuum analyze':<36}  {time.perf_counter() - started:6.1f} s", flush=True)


def print_counts(engine):
    """Row counts of the main tables."""
    with engine.connect() as conn:
        for table in COUNTED_TABLES:
            count = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            print(f"  {table:<22}{count:>9,}")


def migrate(app):
    """Bring an existing bench database to the current schema and search words."""
    with app.app_context():
        before = _migration_head()
        db.session.remove()
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(text(seed_sql.SEARCH_WORDS))
        if _migration_head() != before:
            # New indexes (expression ones especially) need statistics to be chosen.
            vacuum_analyze(db.engine)
        db.engine.dispose()


def seed(app, first_user=1):
    """Migrate and fill users first_user.. (all of them by default), then VACUUM ANALYZE."""
    with app.app_context():
        upgrade()
        hashed = time.perf_counter()
        # One bcrypt hash for everybody: hashing per user would take minutes.
        password_hash = hash_password(benchenv.PASSWORD)
        print(f"  {'password hash':<36}  {time.perf_counter() - hashed:6.1f} s", flush=True)
        fill(db.engine, password_hash, first_user)
        vacuum_analyze(db.engine)
        print_counts(db.engine)
        db.engine.dispose()


def main():
    """Seed the bench database unless it is already seeded (BENCH_RESEED=1 forces a fresh one)."""
    started = time.perf_counter()
    server = benchenv.server_url()
    url = benchenv.bench_database_url(server)
    found = seeded_emails(server, url)
    if os.environ.get("BENCH_RESEED") != "1" and found == set(BENCH_EMAILS):
        migrate(benchenv.make_app(url))
        print(f"{benchenv.DATABASE} already seeded (BENCH_RESEED=1 to rebuild); migrated.")
        return
    if os.environ.get("BENCH_RESEED") != "1" and found == set(BENCH_EMAILS) - {benchenv.HUGE_EMAIL}:
        # Seeded before the huge user existed: add it alone rather than rebuild everything.
        print(f"Adding {benchenv.HUGE_EMAIL} to {benchenv.DATABASE}...", flush=True)
        seed(benchenv.make_app(url), first_user=HUGE_ID)
        print(f"Added {benchenv.HUGE_EMAIL} in {time.perf_counter() - started:.1f} s.")
        return
    recreate_database(server)
    print(f"Created {benchenv.DATABASE}; migrating and filling it...", flush=True)
    seed(benchenv.make_app(url))
    print(f"Seeded {benchenv.DATABASE} in {time.perf_counter() - started:.1f} s.")


if __name__ == "__main__":
    main()
