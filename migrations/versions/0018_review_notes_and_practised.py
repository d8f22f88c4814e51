"""review notes and practised figures

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-01 15:00:00.000000

Two more things each review_states row keeps, so that the pages that show them read one row
per item instead of the item's whole history:
- `last_note` / `last_note_at`: the item's latest "next time" note and the start of the
  session it was left in (the left-off cards), worked out with the schedule
  (tracker/guidance/states.py) at `computed_version`;
- for goals, `practised_minutes` / `practised_bpm`: the minutes practised and the last clean
  tempo that goal progress shows (tracker/figures/progress.py), valid while
  `practised_version` equals `version`.
So that `version` moves whenever these can change, the link triggers now also fire on the
links' minutes and notes, and a session's length moves every item it played. Every row is
put behind once, so the first read fills the new columns.

An index on (user_id, instrument_id, started_at, id) finds each instrument's last sessions
without reading the rest of the window.

The function below is a frozen copy of tracker/guidance/review_marks.sql at this revision.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0015'
branch_labels = None
depends_on = None

ON_SESSION = """
CREATE OR REPLACE FUNCTION review_states_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link record;
BEGIN
    IF OLD.started_at IS NOT DISTINCT FROM NEW.started_at
       AND OLD.quality_rating IS NOT DISTINCT FROM NEW.quality_rating
       AND OLD.duration_minutes IS NOT DISTINCT FROM NEW.duration_minutes THEN
        RETURN NULL;
    END IF;
    PERFORM review_states_mark(
        NEW.user_id,
        ARRAY(SELECT goal_id FROM session_goals WHERE session_id = NEW.id), '{}', '{}');
    FOR link IN SELECT piece_id, section_id FROM session_pieces WHERE session_id = NEW.id LOOP
        PERFORM review_states_mark_piece_play(NEW.user_id, link.piece_id, link.section_id);
    END LOOP;
    RETURN NULL;
END;
$$;
"""
OLD_ON_SESSION = ON_SESSION.replace(
    """
       AND OLD.duration_minutes IS NOT DISTINCT FROM NEW.duration_minutes THEN""",
    " THEN",
)

TRIGGERS = {
    # trigger: (table, columns before, columns now, function)
    'review_states_session_goals': (
        'session_goals',
        'session_id, goal_id, rating, tempo_bpm, clean',
        'session_id, goal_id, rating, tempo_bpm, clean, minutes, next_time',
        'review_states_on_session_goal',
    ),
    'review_states_session_pieces': (
        'session_pieces',
        'session_id, piece_id, section_id, rating, tempo_bpm, clean',
        'session_id, piece_id, section_id, rating, tempo_bpm, clean, minutes, next_time',
        'review_states_on_session_piece',
    ),
}
SESSION_TRIGGER = 'review_states_sessions'


def _replace_triggers(now):
    """Create the link and session triggers with the columns of now (True) or before."""
    for trigger, (table, before, after, function) in TRIGGERS.items():
        op.execute(f'DROP TRIGGER {trigger} ON {table}')
        op.execute(
            f'CREATE TRIGGER {trigger} AFTER INSERT OR DELETE OR UPDATE OF '
            f'{after if now else before} ON {table} '
            f'FOR EACH ROW EXECUTE FUNCTION {function}()'
        )
    op.execute(f'DROP TRIGGER {SESSION_TRIGGER} ON practice_sessions')
    columns = 'started_at, quality_rating' + (', duration_minutes' if now else '')
    op.execute(
        f'CREATE TRIGGER {SESSION_TRIGGER} AFTER UPDATE OF {columns} ON practice_sessions '
        'FOR EACH ROW EXECUTE FUNCTION review_states_on_session()'
    )


def upgrade():
    op.add_column('review_states', sa.Column('last_note', sa.Text(), nullable=True))
    op.add_column(
        'review_states', sa.Column('last_note_at', sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column('review_states', sa.Column('practised_version', sa.Integer(), nullable=True))
    op.add_column('review_states', sa.Column('practised_minutes', sa.Integer(), nullable=True))
    op.add_column('review_states', sa.Column('practised_bpm', sa.SmallInteger(), nullable=True))
    op.create_index(
        'ix_practice_sessions_user_id_instrument_id_started_at',
        'practice_sessions',
        ['user_id', 'instrument_id', 'started_at', 'id'],
    )
    op.execute(ON_SESSION)
    _replace_triggers(now=True)
    # Every row behind once: the next read fills last_note (practised_version is NULL).
    op.execute('UPDATE review_states SET version = version + 1')


def downgrade():
    _replace_triggers(now=False)
    op.execute(OLD_ON_SESSION)
    op.drop_index(
        'ix_practice_sessions_user_id_instrument_id_started_at', table_name='practice_sessions'
    )
    for column in ('practised_bpm', 'practised_minutes', 'practised_version', 'last_note_at',
                   'last_note'):
        op.drop_column('review_states', column)
