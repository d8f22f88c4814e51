"""goal link counted minutes and covering indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 23:20:00.000000

session_goals.counted_minutes is what a link adds to its goal: the link's own minutes, else
the whole session's duration. Triggers keep it exact when a link is written and when its
session's duration changes (whatever wrote them), so a goal's minutes are an index-only sum
over its links instead of a join with every session of the user.

Covering indexes turn the remaining per-user scans into index-only ones: practice_days
carries its totals, the (user_id, started_at) session index carries the session id (for
"sessions in this range with this tag"), and each link table gets (right, left) carrying
user_id in place of its single-column index on the right-hand id.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION session_goals_count_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted_minutes := coalesce(
        NEW.minutes,
        (SELECT duration_minutes FROM practice_sessions WHERE id = NEW.session_id),
        0);
    RETURN NEW;
END
$$;

CREATE FUNCTION session_goals_follow_duration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE session_goals SET counted_minutes = NEW.duration_minutes
     WHERE session_id = NEW.id AND minutes IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER session_goals_counted_minutes
BEFORE INSERT OR UPDATE ON session_goals
FOR EACH ROW EXECUTE FUNCTION session_goals_count_minutes();

CREATE TRIGGER session_goals_session_duration
AFTER UPDATE OF duration_minutes ON practice_sessions FOR EACH ROW
WHEN (OLD.duration_minutes IS DISTINCT FROM NEW.duration_minutes)
EXECUTE FUNCTION session_goals_follow_duration();
"""

# table -> (left, right) columns of the owned link tables.
LINK_TABLES = {
    'session_focus_areas': ('session_id', 'focus_area_id'),
    'session_equipment': ('session_id', 'equipment_id'),
    'goal_pieces': ('goal_id', 'piece_id'),
    'goal_sections': ('goal_id', 'section_id'),
}
SESSIONS_INDEX = 'ix_practice_sessions_user_id_started_at'

BACKFILL = """
UPDATE session_goals sg
   SET counted_minutes = coalesce(sg.minutes, s.duration_minutes)
  FROM practice_sessions s
 WHERE s.id = sg.session_id
"""


def upgrade():
    op.add_column(
        'session_goals',
        sa.Column('counted_minutes', sa.Integer(), server_default='0', nullable=False),
    )
    op.execute(BACKFILL)
    op.execute(FUNCTIONS)
    op.drop_index('ix_session_goals_goal_id', table_name='session_goals')
    op.create_index(
        'ix_session_goals_goal_id_minutes',
        'session_goals',
        ['goal_id'],
        unique=False,
        postgresql_include=['user_id', 'counted_minutes'],
    )
    op.create_index(
        'ix_practice_days_user_id_day_totals',
        'practice_days',
        ['user_id', 'day'],
        unique=False,
        postgresql_include=['minutes', 'sessions'],
    )
    _sessions_index(['duration_minutes', 'id'])
    for table, (left, right) in LINK_TABLES.items():
        op.drop_index(f'ix_{table}_{right}', table_name=table)
        op.create_index(
            f'ix_{table}_{right}_{left}',
            table,
            [right, left],
            unique=False,
            postgresql_include=['user_id'],
        )


def _sessions_index(include):
    op.drop_index(SESSIONS_INDEX, table_name='practice_sessions')
    op.create_index(
        SESSIONS_INDEX,
        'practice_sessions',
        ['user_id', 'started_at'],
        unique=False,
        postgresql_include=include,
    )


def downgrade():
    for table, (left, right) in LINK_TABLES.items():
        op.drop_index(f'ix_{table}_{right}_{left}', table_name=table)
        op.create_index(f'ix_{table}_{right}', table, [right], unique=False)
    _sessions_index(['duration_minutes'])
    op.drop_index('ix_practice_days_user_id_day_totals', table_name='practice_days')
    op.drop_index('ix_session_goals_goal_id_minutes', table_name='session_goals')
    op.create_index('ix_session_goals_goal_id', 'session_goals', ['goal_id'], unique=False)
    op.execute("DROP TRIGGER session_goals_session_duration ON practice_sessions")
    op.execute("DROP TRIGGER session_goals_counted_minutes ON session_goals")
    op.execute("DROP FUNCTION session_goals_follow_duration()")
    op.execute("DROP FUNCTION session_goals_count_minutes()")
    op.drop_column('session_goals', 'counted_minutes')
