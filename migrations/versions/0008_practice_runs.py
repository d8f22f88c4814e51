"""practice runs

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 00:20:00.000000

practice_runs holds each user's runs of consecutive local days with practice. A day row
appears in practice_days when its first session is logged and goes when its last one does
(migration 0006), so triggers on practice_days insert and delete are the only places runs
change: a new day starts, extends or joins runs; a removed day shrinks, splits or drops
one. Streaks then read a few hundred runs instead of every day.

It also lets a user be deleted: the sessions' rollup trigger skipped no deleted user, so
the cascade re-inserted a day row for them and failed on its foreign key.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SESSION_TRIGGER = """
CREATE OR REPLACE FUNCTION practice_days_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- A deleted user's days go with the user (and must not be written back).
        IF TG_OP = 'UPDATE' OR EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
            PERFORM practice_days_add(OLD.user_id,
                                      practice_days_local_day(OLD.user_id, OLD.started_at),
                                      -OLD.duration_minutes, -1);
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM practice_days_add(NEW.user_id,
                                  practice_days_local_day(NEW.user_id, NEW.started_at),
                                  NEW.duration_minutes, 1);
    END IF;
    RETURN NULL;
END
$$;
"""

# Migration 0006's version, for downgrade.
OLD_SESSION_TRIGGER = """
CREATE OR REPLACE FUNCTION practice_days_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""

FUNCTIONS = """
CREATE FUNCTION practice_runs_day_added(p_user_id integer, p_day date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    before_first date;
    after_last date;
BEGIN
    SELECT first_day INTO before_first FROM practice_runs
     WHERE user_id = p_user_id AND last_day = p_day - 1;
    SELECT last_day INTO after_last FROM practice_runs
     WHERE user_id = p_user_id AND first_day = p_day + 1;
    IF before_first IS NOT NULL AND after_last IS NOT NULL THEN
        DELETE FROM practice_runs WHERE user_id = p_user_id AND first_day = p_day + 1;
        UPDATE practice_runs SET last_day = after_last, updated_at = now()
         WHERE user_id = p_user_id AND first_day = before_first;
    ELSIF before_first IS NOT NULL THEN
        UPDATE practice_runs SET last_day = p_day, updated_at = now()
         WHERE user_id = p_user_id AND first_day = before_first;
    ELSIF after_last IS NOT NULL THEN
        UPDATE practice_runs SET first_day = p_day, updated_at = now()
         WHERE user_id = p_user_id AND first_day = p_day + 1;
    ELSE
        INSERT INTO practice_runs (user_id, first_day, last_day)
        VALUES (p_user_id, p_day, p_day);
    END IF;
END
$$;

CREATE FUNCTION practice_runs_day_removed(p_user_id integer, p_day date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    run_first date;
    run_last date;
BEGIN
    SELECT first_day, last_day INTO run_first, run_last FROM practice_runs
     WHERE user_id = p_user_id AND first_day <= p_day
     ORDER BY first_day DESC LIMIT 1;
    IF run_first IS NULL OR run_last < p_day THEN
        RETURN;
    END IF;
    IF run_first = p_day AND run_last = p_day THEN
        DELETE FROM practice_runs WHERE user_id = p_user_id AND first_day = run_first;
    ELSIF run_first = p_day THEN
        UPDATE practice_runs SET first_day = p_day + 1, updated_at = now()
         WHERE user_id = p_user_id AND first_day = run_first;
    ELSIF run_last = p_day THEN
        UPDATE practice_runs SET last_day = p_day - 1, updated_at = now()
         WHERE user_id = p_user_id AND first_day = run_first;
    ELSE
        UPDATE practice_runs SET last_day = p_day - 1, updated_at = now()
         WHERE user_id = p_user_id AND first_day = run_first;
        INSERT INTO practice_runs (user_id, first_day, last_day)
        VALUES (p_user_id, p_day + 1, run_last);
    END IF;
END
$$;

CREATE FUNCTION practice_runs_on_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- One writer per user at a time: two new neighbouring days must see each other.
        PERFORM pg_advisory_xact_lock(hashtext('practice_runs'), NEW.user_id);
        PERFORM practice_runs_day_added(NEW.user_id, NEW.day);
    ELSIF EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id) THEN
        -- (A deleted user's runs go with the user.)
        PERFORM pg_advisory_xact_lock(hashtext('practice_runs'), OLD.user_id);
        PERFORM practice_runs_day_removed(OLD.user_id, OLD.day);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER practice_runs_days
AFTER INSERT OR DELETE ON practice_days
FOR EACH ROW EXECUTE FUNCTION practice_runs_on_day();
"""

# Consecutive days share day - row_number (the gaps-and-islands trick).
BACKFILL = """
INSERT INTO practice_runs (user_id, first_day, last_day)
SELECT user_id, min(day), max(day)
  FROM (SELECT user_id, day,
               day - (row_number() OVER (PARTITION BY user_id ORDER BY day))::int AS grp
          FROM practice_days) AS days
 GROUP BY user_id, grp
"""


def upgrade():
    op.create_table('practice_runs',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('last_day >= first_day', name=op.f('ck_practice_runs_ordered')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_practice_runs_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'first_day', name=op.f('pk_practice_runs')),
    sa.UniqueConstraint('user_id', 'last_day', name=op.f('uq_practice_runs_user_id_last_day'))
    )
    op.execute(BACKFILL)
    op.execute(FUNCTIONS)
    op.execute(SESSION_TRIGGER)


def downgrade():
    op.execute(OLD_SESSION_TRIGGER)
    op.execute("DROP TRIGGER practice_runs_days ON practice_days")
    for name in (
        "practice_runs_on_day()",
        "practice_runs_day_removed(integer, date)",
        "practice_runs_day_added(integer, date)",
    ):
        op.execute(f"DROP FUNCTION {name}")
    op.drop_table('practice_runs')
