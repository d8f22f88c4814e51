"""practice sessions covering index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 22:10:00.000000

The (user_id, started_at) index also carries duration_minutes, so the sums over a user's
sessions (period totals, range summaries, minutes over time) are index-only scans instead
of visiting one heap page per session.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

INDEX = 'ix_practice_sessions_user_id_started_at'


def upgrade():
    op.drop_index(INDEX, table_name='practice_sessions')
    op.create_index(
        INDEX,
        'practice_sessions',
        ['user_id', 'started_at'],
        unique=False,
        postgresql_include=['duration_minutes'],
    )


def downgrade():
    op.drop_index(INDEX, table_name='practice_sessions')
    op.create_index(INDEX, 'practice_sessions', ['user_id', 'started_at'], unique=False)
