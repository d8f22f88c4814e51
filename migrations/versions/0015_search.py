"""search

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 12:25:00.000000

Full-text search over the musician's own words (tracker/search.py): every searchable table
gets a stored generated `search_vector` ('simple' configuration, so any language is kept as
written; the title or name weighted A, the body B) with a GIN index. For typos, pg_trgm and
trigram GIN indexes on the titles and names, which the search falls back on when the words
find nothing: only where this PostgreSQL offers pg_trgm (the embedded development server does
not; search then simply suggests nothing). The models do not declare these indexes, and
migrations/env.py leaves them out of the comparison.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# table -> (title or name column, body columns): as tracker/models declares them.
SEARCHED = {
    "resources": ("title", ("notes",)),
    "practice_sessions": (None, ("notes",)),
    "session_goals": (None, ("next_time",)),
    "session_pieces": (None, ("next_time",)),
    "goals": ("name", ("notes",)),
    "pieces": ("title", ("composer", "notes")),
    "piece_sections": ("section_name", ("notes",)),
    "focus_areas": ("name", ()),
    "instruments": ("name", ()),
}


def vector_sql(title, body):
    """The generated column's expression, the same text tracker.models.base.search_column writes."""
    parts = [f"setweight(to_tsvector('simple', coalesce({title}, '')), 'A')"] if title else []
    if body:
        text = " || ' ' || ".join(f"coalesce({column}, '')" for column in body)
        parts.append(f"setweight(to_tsvector('simple', {text}), 'B')")
    return " || ".join(parts)


def upgrade():
    trigrams = (
        op.get_bind()
        .execute(
            sa.text("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')")
        )
        .scalar()
    )
    if trigrams:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, (title, body) in SEARCHED.items():
        op.add_column(
            table,
            sa.Column(
                "search_vector",
                postgresql.TSVECTOR(),
                sa.Computed(vector_sql(title, body), persisted=True),
                nullable=True,
            ),
        )
        op.create_index(
            f"ix_{table}_search_vector", table, ["search_vector"], postgresql_using="gin"
        )
        if title and trigrams:
            op.create_index(
                f"ix_{table}_{title}_trgm",
                table,
                [title],
                postgresql_using="gin",
                postgresql_ops={title: "gin_trgm_ops"},
            )


def downgrade():
    for table, (title, _body) in SEARCHED.items():
        if title:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_{title}_trgm")
        op.drop_index(f"ix_{table}_search_vector", table_name=table)
        op.drop_column(table, "search_vector")
    op.execute("DROP EXTENSION IF EXISTS pg_trgm")
