"""link dependency statistics

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 22:20:00.000000

Every link row's user_id follows from the row it links to (composite foreign keys), but the
planner assumes the two columns independent and so expects a focus area, goal, piece or
piece of gear to have a fraction of its real sessions. Functional-dependency statistics
tell it; with them, "sessions with this focus area in this range" starts from the range.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# (statistics name, link table, the column that determines user_id)
LINK_STATISTICS = [
    ('st_session_focus_areas_focus_area_id_user_id', 'session_focus_areas', 'focus_area_id'),
    ('st_session_goals_goal_id_user_id', 'session_goals', 'goal_id'),
    ('st_session_pieces_piece_id_user_id', 'session_pieces', 'piece_id'),
    ('st_session_equipment_equipment_id_user_id', 'session_equipment', 'equipment_id'),
]


def upgrade():
    for name, table, column in LINK_STATISTICS:
        op.execute(f'CREATE STATISTICS {name} (dependencies) ON {column}, user_id FROM {table}')
        # The planner only uses them once ANALYZE has filled them.
        op.execute(f'ANALYZE {table}')


def downgrade():
    for name, _table, _column in LINK_STATISTICS:
        op.execute(f'DROP STATISTICS IF EXISTS {name}')
