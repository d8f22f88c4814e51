"""review states

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 09:00:00.000000

Every goal, piece and piece section gets a review state: when it is due again, in which
phase (learning or maintenance), the FSRS card of a maintained item, and the tempo figures
"Up next" shows (last clean tempo, the suggestion, how long it has been stuck). The musician's
own settings live on the same row: an interval of their own ("every 3 days"), a snooze, and
"not now" for one day.

The schedule is worked out in Python from the item's whole history, so the database only
keeps it honest: triggers add a row for every new item and bump `version` on every write the
schedule depends on (see tracker/guidance/review_marks.sql for the list). A row is current
while `computed_version` equals `version`; the app recomputes rows that are behind before it
shows them. Existing items get their rows here, all behind, so the first read computes them.

The SQL below is a frozen copy of tracker/guidance/review_marks.sql at this revision; this
migration never reads that file, so it stays reproducible when the file changes.
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION review_states_mark(
    p_user_id integer, p_goal_ids integer[], p_piece_ids integer[], p_section_ids integer[]
) RETURNS void LANGUAGE sql AS $$
    UPDATE review_states SET version = version + 1
    WHERE user_id = p_user_id
      AND (goal_id = ANY (p_goal_ids) OR piece_id = ANY (p_piece_ids)
           OR section_id = ANY (p_section_ids))
$$;

CREATE FUNCTION review_states_mark_piece_play(
    p_user_id integer, p_piece_id integer, p_section_id integer
) RETURNS void LANGUAGE sql AS $$
    SELECT review_states_mark(
        p_user_id,
        ARRAY(SELECT goal_id FROM goal_pieces WHERE user_id = p_user_id AND piece_id = p_piece_id
              UNION
              SELECT goal_id FROM goal_sections
              WHERE user_id = p_user_id AND section_id = p_section_id),
        ARRAY[p_piece_id],
        ARRAY[p_section_id])
$$;

CREATE FUNCTION review_states_add_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'goals' THEN
        INSERT INTO review_states (user_id, goal_id) VALUES (NEW.user_id, NEW.id);
    ELSIF TG_TABLE_NAME = 'pieces' THEN
        INSERT INTO review_states (user_id, piece_id) VALUES (NEW.user_id, NEW.id);
    ELSE
        INSERT INTO review_states (user_id, section_id) VALUES (NEW.user_id, NEW.id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'goals' THEN
        PERFORM review_states_mark(NEW.user_id, ARRAY[NEW.id], '{}', '{}');
    ELSIF TG_TABLE_NAME = 'pieces' THEN
        PERFORM review_states_mark(NEW.user_id, '{}', ARRAY[NEW.id], '{}');
    ELSE
        PERFORM review_states_mark(NEW.user_id, '{}', '{}', ARRAY[NEW.id]);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_goal_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link record;
BEGIN
    link := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    PERFORM review_states_mark(link.user_id, ARRAY[link.goal_id], '{}', '{}');
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_session_goal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM review_states_mark(OLD.user_id, ARRAY[OLD.goal_id], '{}', '{}');
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM review_states_mark(NEW.user_id, ARRAY[NEW.goal_id], '{}', '{}');
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_session_piece() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM review_states_mark_piece_play(OLD.user_id, OLD.piece_id, OLD.section_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM review_states_mark_piece_play(NEW.user_id, NEW.piece_id, NEW.section_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link record;
BEGIN
    IF OLD.started_at IS NOT DISTINCT FROM NEW.started_at
       AND OLD.quality_rating IS NOT DISTINCT FROM NEW.quality_rating THEN
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

CREATE FUNCTION review_states_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE review_states SET version = version + 1 WHERE user_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE FUNCTION review_states_on_interval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.interval_days IS DISTINCT FROM OLD.interval_days THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;
"""

TRIGGERS = """
CREATE TRIGGER review_states_goals AFTER INSERT ON goals
FOR EACH ROW EXECUTE FUNCTION review_states_add_item();
CREATE TRIGGER review_states_pieces AFTER INSERT ON pieces
FOR EACH ROW EXECUTE FUNCTION review_states_add_item();
CREATE TRIGGER review_states_sections AFTER INSERT ON piece_sections
FOR EACH ROW EXECUTE FUNCTION review_states_add_item();

CREATE TRIGGER review_states_goal_changes
AFTER UPDATE OF status, archived, target_bpm, start_bpm ON goals FOR EACH ROW
WHEN ((OLD.status, OLD.archived, OLD.target_bpm, OLD.start_bpm)
      IS DISTINCT FROM (NEW.status, NEW.archived, NEW.target_bpm, NEW.start_bpm))
EXECUTE FUNCTION review_states_on_item();
CREATE TRIGGER review_states_piece_changes
AFTER UPDATE OF status ON pieces FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION review_states_on_item();
CREATE TRIGGER review_states_section_changes
AFTER UPDATE OF status, target_bpm, start_bpm, piece_id ON piece_sections FOR EACH ROW
WHEN ((OLD.status, OLD.target_bpm, OLD.start_bpm, OLD.piece_id)
      IS DISTINCT FROM (NEW.status, NEW.target_bpm, NEW.start_bpm, NEW.piece_id))
EXECUTE FUNCTION review_states_on_item();

CREATE TRIGGER review_states_goal_pieces AFTER INSERT OR DELETE ON goal_pieces
FOR EACH ROW EXECUTE FUNCTION review_states_on_goal_link();
CREATE TRIGGER review_states_goal_sections AFTER INSERT OR DELETE ON goal_sections
FOR EACH ROW EXECUTE FUNCTION review_states_on_goal_link();

CREATE TRIGGER review_states_session_goals
AFTER INSERT OR DELETE OR UPDATE OF session_id, goal_id, rating, tempo_bpm, clean
ON session_goals FOR EACH ROW EXECUTE FUNCTION review_states_on_session_goal();
CREATE TRIGGER review_states_session_pieces
AFTER INSERT OR DELETE OR UPDATE OF session_id, piece_id, section_id, rating, tempo_bpm, clean
ON session_pieces FOR EACH ROW EXECUTE FUNCTION review_states_on_session_piece();
CREATE TRIGGER review_states_sessions
AFTER UPDATE OF started_at, quality_rating ON practice_sessions
FOR EACH ROW EXECUTE FUNCTION review_states_on_session();

CREATE TRIGGER review_states_timezone
AFTER UPDATE OF timezone ON users FOR EACH ROW
WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
EXECUTE FUNCTION review_states_on_timezone();
CREATE TRIGGER review_states_interval
BEFORE UPDATE OF interval_days ON review_states
FOR EACH ROW EXECUTE FUNCTION review_states_on_interval();
"""

DROP_TRIGGERS = (
    ('review_states_goals', 'goals'),
    ('review_states_pieces', 'pieces'),
    ('review_states_sections', 'piece_sections'),
    ('review_states_goal_changes', 'goals'),
    ('review_states_piece_changes', 'pieces'),
    ('review_states_section_changes', 'piece_sections'),
    ('review_states_goal_pieces', 'goal_pieces'),
    ('review_states_goal_sections', 'goal_sections'),
    ('review_states_session_goals', 'session_goals'),
    ('review_states_session_pieces', 'session_pieces'),
    ('review_states_sessions', 'practice_sessions'),
    ('review_states_timezone', 'users'),
)
FUNCTION_NAMES = (
    'review_states_mark(integer, integer[], integer[], integer[])',
    'review_states_mark_piece_play(integer, integer, integer)',
    'review_states_add_item()',
    'review_states_on_item()',
    'review_states_on_goal_link()',
    'review_states_on_session_goal()',
    'review_states_on_session_piece()',
    'review_states_on_session()',
    'review_states_on_timezone()',
    'review_states_on_interval()',
)

BACKFILL = """
INSERT INTO review_states (user_id, goal_id) SELECT user_id, id FROM goals;
INSERT INTO review_states (user_id, piece_id) SELECT user_id, id FROM pieces;
INSERT INTO review_states (user_id, section_id) SELECT user_id, id FROM piece_sections;
"""


def _owned_link(column, table):
    return sa.ForeignKeyConstraint(
        [column, 'user_id'], [f'{table}.id', f'{table}.user_id'],
        name=op.f(f'fk_review_states_{column}_user_id_{table}'), ondelete='CASCADE',
    )


def upgrade():
    op.create_table(
        'review_states',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('goal_id', sa.Integer(), nullable=True),
        sa.Column('piece_id', sa.Integer(), nullable=True),
        sa.Column('section_id', sa.Integer(), nullable=True),
        sa.Column('interval_days', sa.SmallInteger(), nullable=True),
        sa.Column('snoozed_until', sa.Date(), nullable=True),
        sa.Column('not_now_on', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('computed_version', sa.Integer(), nullable=True),
        sa.Column('phase', sa.String(length=12), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('computed_interval_days', sa.SmallInteger(), nullable=True),
        sa.Column('last_reviewed_on', sa.Date(), nullable=True),
        sa.Column('review_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_rating', sa.SmallInteger(), nullable=True),
        sa.Column('good_days', sa.SmallInteger(), server_default='0', nullable=False),
        sa.Column('card', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column('last_clean_bpm', sa.SmallInteger(), nullable=True),
        sa.Column('suggested_bpm', sa.SmallInteger(), nullable=True),
        sa.Column('plateau_plays', sa.SmallInteger(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.CheckConstraint('num_nonnulls(goal_id, piece_id, section_id) = 1',
                           name=op.f('ck_review_states_one_item')),
        sa.CheckConstraint('interval_days BETWEEN 1 AND 365',
                           name=op.f('ck_review_states_interval_range')),
        sa.CheckConstraint("phase IN ('learning', 'maintenance')",
                           name=op.f('ck_review_states_phase_known')),
        _owned_link('goal_id', 'goals'),
        _owned_link('piece_id', 'pieces'),
        _owned_link('section_id', 'piece_sections'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_review_states_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_states')),
        sa.UniqueConstraint('id', 'user_id', name=op.f('uq_review_states_id_user_id')),
        sa.UniqueConstraint('goal_id', 'user_id', name=op.f('uq_review_states_goal_id_user_id')),
        sa.UniqueConstraint('piece_id', 'user_id',
                            name=op.f('uq_review_states_piece_id_user_id')),
        sa.UniqueConstraint('section_id', 'user_id',
                            name=op.f('uq_review_states_section_id_user_id')),
    )
    op.create_index(op.f('ix_review_states_user_id'), 'review_states', ['user_id'])
    op.execute(FUNCTIONS)
    op.execute(TRIGGERS)
    op.execute(BACKFILL)


def downgrade():
    for trigger, table in DROP_TRIGGERS:
        op.execute(f'DROP TRIGGER {trigger} ON {table}')
    op.drop_table('review_states')
    for function in FUNCTION_NAMES:
        op.execute(f'DROP FUNCTION {function}')
