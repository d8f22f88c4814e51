"""practice days rollup

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 22:45:00.000000

practice_days holds minutes and sessions per user and local calendar day. Triggers keep it
exact on every insert, update and delete of practice_sessions (whatever wrote them), and
rebuild a user's days when their time zone changes, so streaks, totals and day charts read a
few thousand rows instead of every session.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION practice_days_local_day(p_user_id integer, p_started_at timestamptz)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (p_started_at AT TIME ZONE coalesce(
        (SELECT timezone FROM users WHERE id = p_user_id), 'UTC'))::date
$$;

CREATE FUNCTION practice_days_add(p_user_id integer, p_day date, p_minutes integer,
                                  p_sessions integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO practice_days (user_id, day, minutes, sessions)
    VALUES (p_user_id, p_day, p_minutes, p_sessions)
    ON CONFLICT (user_id, day) DO UPDATE
       SET minutes = practice_days.minutes + EXCLUDED.minutes,
           sessions = practice_days.sessions + EXCLUDED.sessions,
           updated_at = now();
    DELETE FROM practice_days
     WHERE user_id = p_user_id AND day = p_day AND sessions <= 0;
END
$$;

CREATE FUNCTION practice_days_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM practice_days_add(OLD.user_id,
                                  practice_days_local_day(OLD.user_id, OLD.started_at),
                                  -OLD.duration_minutes, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM practice_days_add(NEW.user_id,
                                  practice_days_local_day(NEW.user_id, NEW.started_at),
                                  NEW.duration_minutes, 1);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION practice_days_rebuild(p_user_id integer) RETURNS void LANGUAGE sql AS $$
    DELETE FROM practice_days WHERE user_id = p_user_id;
    INSERT INTO practice_days (user_id, day, minutes, sessions)
    SELECT s.user_id, (s.started_at AT TIME ZONE u.timezone)::date,
           sum(s.duration_minutes), count(*)
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = p_user_id
     GROUP BY 1, 2;
$$;

CREATE FUNCTION practice_days_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM practice_days_rebuild(NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER practice_days_sessions
AFTER INSERT OR DELETE OR UPDATE OF started_at, duration_minutes, user_id
ON practice_sessions FOR EACH ROW EXECUTE FUNCTION practice_days_on_session();

CREATE TRIGGER practice_days_timezone
AFTER UPDATE OF timezone ON users FOR EACH ROW
WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
EXECUTE FUNCTION practice_days_on_timezone();
"""

BACKFILL = """
INSERT INTO practice_days (user_id, day, minutes, sessions)
SELECT s.user_id, (s.started_at AT TIME ZONE u.timezone)::date, sum(s.duration_minutes), count(*)
  FROM practice_sessions s JOIN users u ON u.id = s.user_id
 GROUP BY 1, 2
"""


def upgrade():
    op.create_table('practice_days',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_days_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'day', name=op.f('pk_practice_days'))
    )
    op.execute(FUNCTIONS)
    op.execute(BACKFILL)


def downgrade():
    op.execute("DROP TRIGGER practice_days_timezone ON users")
    op.execute("DROP TRIGGER practice_days_sessions ON practice_sessions")
    for name in (
        "practice_days_on_timezone()",
        "practice_days_rebuild(integer)",
        "practice_days_on_session()",
        "practice_days_add(integer, date, integer, integer)",
        "practice_days_local_day(integer, timestamptz)",
    ):
        op.execute(f"DROP FUNCTION {name}")
    op.drop_table('practice_days')
