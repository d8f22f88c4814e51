"""goal progress measure

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 09:00:00.000000

A goal's progress shows every measure that applies side by side (sections ready, minutes
practised, tempo); `progress_measure` says which one the bar follows: 'sections', 'minutes'
or 'tempo'. NULL, the value of every existing goal, keeps the bar on the first measure that
applies, as before, so no backfill.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('goals', sa.Column('progress_measure', sa.String(length=20), nullable=True))
    op.create_check_constraint(
        op.f('ck_goals_progress_measure_known'),
        'goals',
        "progress_measure IN ('sections', 'minutes', 'tempo')",
    )


def downgrade():
    # Dropping the column drops its CHECK.
    op.drop_column('goals', 'progress_measure')
