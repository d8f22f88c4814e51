"""per-user search indexes

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 09:00:00.000000

A search names one user and a word. The plain GIN index of 0015 finds the word in every
user's rows, and PostgreSQL either reads all of them to keep the user's, or intersects them
with every row of the user's (50,000 sessions for a long log): both grow with the table, not
with what is found. On the three tables that grow with the log (sessions and their goal and
piece lines), a GIN index on (user_id, search_vector) finds the user's rows holding the word
in one scan. It needs btree_gin (GIN for a plain integer), which this migration installs
where PostgreSQL offers it; elsewhere (the embedded server) search keeps the plain index,
and migrations/env.py leaves these indexes out of the comparison with the models.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# Where PostgreSQL does not offer it, this revision leaves the schema as it was
# (tests/test_migrations.py reads this name to know).
NEEDS_EXTENSION = "btree_gin"
LOG_TABLES = ("practice_sessions", "session_goals", "session_pieces")
# migrations/env.py knows these indexes by this ending.
SUFFIX = "_user_search"


def upgrade():
    available = (
        op.get_bind()
        .execute(
            sa.text("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = :name)"),
            {"name": NEEDS_EXTENSION},
        )
        .scalar()
    )
    if not available:
        return
    op.execute(f"CREATE EXTENSION IF NOT EXISTS {NEEDS_EXTENSION}")
    for table in LOG_TABLES:
        op.create_index(
            f"ix_{table}{SUFFIX}", table, ["user_id", "search_vector"], postgresql_using="gin"
        )


def downgrade():
    for table in LOG_TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}{SUFFIX}")
    op.execute(f"DROP EXTENSION IF EXISTS {NEEDS_EXTENSION}")
