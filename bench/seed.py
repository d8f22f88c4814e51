"""Create tracker_bench, migrate it and fill it: 1,000 light users, one heavy user and its twin.

Skips the data when the database already holds the heavy user and its twin, unless BENCH_RESEED=1.
"""

import os
import time

import benchenv
import seed_sql
from flask_migrate import upgrade
from flask_security import hash_password
from sqlalchemy import create_engine
from sqlalchemy import text

from tracker.extensions import db

LIGHT_USERS = 1000
HEAVY_SESSIONS = 50_000
COUNTED_TABLES = (
    "users",
    "practice_sessions",
    "session_focus_areas",
    "session_goals",
    "session_pieces",
    "session_equipment",
    "piece_sections",
)


def _admin_engine(server):
    return create_engine(server, isolation_level="AUTOCOMMIT")


def recreate_database(server):
    """Drop and create tracker_bench on the server."""
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{benchenv.DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{benchenv.DATABASE}"'))
    admin.dispose()


def is_seeded(server, url):
    """Tell whether tracker_bench exists and already holds the heavy user and its twin."""
    admin = _admin_engine(server)
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": benchenv.DATABASE}
        ).scalar()
    admin.dispose()
    if not exists:
        return False
    engine = create_engine(url)
    with engine.connect() as conn:
        seeded = conn.execute(text("SELECT to_regclass('users') IS NOT NULL")).scalar() and (
            conn.execute(
                text("SELECT count(*) = 2 FROM users WHERE email IN (:heavy, :twin)"),
                {"heavy": benchenv.HEAVY_EMAIL, "twin": benchenv.TWIN_EMAIL},
            ).scalar()
        )
    engine.dispose()
    return bool(seeded)


def _migration_head():
    return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()


def fill(engine, password_hash):
    """Run the seed SQL steps in one session (its temp helpers live there), printing timings."""
    params = {
        "twin_id": LIGHT_USERS + 2,
        "heavy_sessions": HEAVY_SESSIONS,
        "heavy_email": benchenv.HEAVY_EMAIL,
        "twin_email": benchenv.TWIN_EMAIL,
        "password_hash": password_hash,
    }
    with engine.connect() as conn:
        # Bulk load: sorts in memory, no wait for the WAL flush on each commit.
        conn.execute(text("SET work_mem = '256MB'"))
        conn.execute(text("SET synchronous_commit = off"))
        conn.commit()
        for label, sql in seed_sql.STEPS:
            started = time.perf_counter()
            result = conn.execute(text(sql), params)
            conn.commit()
            rows = f"{result.rowcount:>9,} rows" if result.rowcount >= 0 else " " * 14
            print(f"  {label:<22}{rows}  {time.perf_counter() - started:6.1f} s", flush=True)


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


def main():
    """Seed tracker_bench unless it is already seeded (BENCH_RESEED=1 forces a fresh one)."""
    started = time.perf_counter()
    server = benchenv.server_url()
    url = benchenv.bench_database_url(server)
    if os.environ.get("BENCH_RESEED") != "1" and is_seeded(server, url):
        app = benchenv.make_app(url)
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
        print(f"{benchenv.DATABASE} already seeded (BENCH_RESEED=1 to rebuild); migrated.")
        return
    print(f"Creating {benchenv.DATABASE} and migrating...", flush=True)
    recreate_database(server)
    app = benchenv.make_app(url)
    with app.app_context():
        upgrade()
        hashed = time.perf_counter()
        # One bcrypt hash for everybody: hashing per user would take minutes.
        password_hash = hash_password(benchenv.PASSWORD)
        print(f"  {'password hash':<36}  {time.perf_counter() - hashed:6.1f} s", flush=True)
        fill(db.engine, password_hash)
        vacuum_analyze(db.engine)
        print_counts(db.engine)
        db.engine.dispose()
    print(f"Seeded {benchenv.DATABASE} in {time.perf_counter() - started:.1f} s.")


if __name__ == "__main__":
    main()
