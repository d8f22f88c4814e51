"""The schema: owned tables are indexed and timestamped, and the database refuses bad rows.

That the migrations match the models, and survive a round trip with rows in place, is
checked in tests/test_migrations.py on a database of its own.
"""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.factories import FocusAreaFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db


def test_every_owned_table_has_indexed_user_id_and_timestamps():
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                "WHERE table_schema = 'public' "
                "AND column_name IN ('user_id', 'created_at', 'updated_at')"
            )
        ).all()
        indexed = {
            name
            for (name,) in conn.execute(
                text("SELECT tablename FROM pg_indexes WHERE indexdef LIKE '%(user_id%'")
            )
        }
    tables = {t.name for t in db.metadata.sorted_tables} - {"alembic_version"}
    columns = {(table, column): nullable for table, column, nullable in rows}
    for table in tables:
        assert (table, "created_at") in columns, table
        assert (table, "updated_at") in columns, table
        if (table, "user_id") in columns and table != "users":
            assert columns[(table, "user_id")] == "NO", table
            assert table in indexed, table


def _raw(sql, **params):
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_database_refuses_cross_user_focus_area_link():
    alice_focus = FocusAreaFactory()
    bob_session = PracticeSessionFactory()
    with pytest.raises(IntegrityError):
        _raw(
            "INSERT INTO session_focus_areas (session_id, focus_area_id, user_id) "
            "VALUES (:s, :f, :u)",
            s=bob_session.id,
            f=alice_focus.id,
            u=bob_session.user_id,
        )


def test_database_refuses_cross_user_instrument():
    alice_violin = InstrumentFactory()
    bob_session = PracticeSessionFactory()
    with pytest.raises(IntegrityError):
        _raw(
            "UPDATE practice_sessions SET instrument_id = :i WHERE id = :s",
            i=alice_violin.id,
            s=bob_session.id,
        )


@pytest.mark.parametrize(
    "column, value",
    [
        ("duration_minutes", 0),
        ("duration_minutes", 1441),
        ("mood_rating", 6),
        ("quality_rating", 0),
    ],
)
def test_database_refuses_out_of_range_values(column, value):
    session = PracticeSessionFactory()
    with pytest.raises(IntegrityError):
        _raw(f"UPDATE practice_sessions SET {column} = :v WHERE id = :s", v=value, s=session.id)


def test_deleting_an_instrument_keeps_its_sessions():
    user = UserFactory()
    violin = InstrumentFactory(user=user)
    session = PracticeSessionFactory(user=user, instrument=violin)
    db.session.delete(violin)
    db.session.commit()
    db.session.refresh(session)
    assert session.instrument_id is None and session.user_id == user.id
