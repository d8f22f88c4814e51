"""item results and tempo targets

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00.000000

A session's link to a goal, a piece or a piece section now says how that item went, so the
next session can pick up where this one stopped instead of the musician digging through
free notes: `rating` (1–5, the item's own; an item left unrated counts as the session's
quality rating, which is read, not copied, so no backfill), `tempo_bpm` (the tempo
played), `clean` (played cleanly at that tempo; NULL when nobody said) and `next_time`
(one short line to start from next time).

Goals and piece sections gain the tempo they are heading for, `target_bpm`, and an
optional `start_bpm`. Tempos are 10 to 400 BPM, the span of metronomes; a start above its
target is refused.

Every new column is nullable, so existing rows stay valid as they are.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

LINK_TABLES = ('session_goals', 'session_pieces')
TARGET_TABLES = ('goals', 'piece_sections')
TEMPO = 'BETWEEN 10 AND 400'


def upgrade():
    for table in LINK_TABLES:
        op.add_column(table, sa.Column('rating', sa.SmallInteger(), nullable=True))
        op.add_column(table, sa.Column('tempo_bpm', sa.SmallInteger(), nullable=True))
        op.add_column(table, sa.Column('clean', sa.Boolean(), nullable=True))
        op.add_column(table, sa.Column('next_time', sa.String(length=200), nullable=True))
        op.create_check_constraint(
            op.f(f'ck_{table}_rating_range'), table, 'rating BETWEEN 1 AND 5'
        )
        op.create_check_constraint(
            op.f(f'ck_{table}_tempo_bpm_range'), table, f'tempo_bpm {TEMPO}'
        )
    for table in TARGET_TABLES:
        op.add_column(table, sa.Column('target_bpm', sa.SmallInteger(), nullable=True))
        op.add_column(table, sa.Column('start_bpm', sa.SmallInteger(), nullable=True))
        op.create_check_constraint(
            op.f(f'ck_{table}_target_bpm_range'), table, f'target_bpm {TEMPO}'
        )
        op.create_check_constraint(
            op.f(f'ck_{table}_start_bpm_range'), table, f'start_bpm {TEMPO}'
        )
        op.create_check_constraint(
            op.f(f'ck_{table}_start_bpm_not_above_target'), table, 'start_bpm <= target_bpm'
        )


def downgrade():
    # Dropping a column drops the CHECKs on it.
    for table in TARGET_TABLES:
        op.drop_column(table, 'start_bpm')
        op.drop_column(table, 'target_bpm')
    for table in LINK_TABLES:
        op.drop_column(table, 'next_time')
        op.drop_column(table, 'clean')
        op.drop_column(table, 'tempo_bpm')
        op.drop_column(table, 'rating')
