"""local day function

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00.000000

local_day(zone, at) names the one rule every rollup follows: a session belongs to the
calendar day in its user's time zone at the instant it started (UTC when no zone is
given). It is a SQL function declared IMMUTABLE (timezone(text, timestamptz) is), so the
planner inlines it and it costs nothing in queries, and figures, rollups and any later
index can share one spelling of the rule instead of each repeating the AT TIME ZONE
expression.

practice_days_local_day (which looks up the user's zone) and practice_days_rebuild now
call it. Days do not move: users.timezone is NOT NULL, so the coalesce to UTC changes no
existing row and no backfill is needed.

The SQL below is a frozen copy of tracker/figures/rollups.sql at this revision; this
migration never reads that file, so it stays reproducible when the file changes.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

FUNCTIONS = """
CREATE FUNCTION local_day(zone text, at timestamptz)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (at AT TIME ZONE coalesce(zone, 'UTC'))::date
$$;

CREATE OR REPLACE FUNCTION practice_days_local_day(p_user_id integer, p_started_at timestamptz)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT local_day((SELECT timezone FROM users WHERE id = p_user_id), p_started_at)
$$;

CREATE OR REPLACE FUNCTION practice_days_rebuild(p_user_id integer) RETURNS void LANGUAGE sql AS $$
    DELETE FROM practice_days WHERE user_id = p_user_id;
    INSERT INTO practice_days (user_id, day, minutes, sessions)
    SELECT s.user_id, local_day(u.timezone, s.started_at),
           sum(s.duration_minutes), count(*)
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = p_user_id
     GROUP BY 1, 2;
$$;
"""

# Migration 0006's versions, for downgrade.
OLD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION practice_days_local_day(p_user_id integer, p_started_at timestamptz)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (p_started_at AT TIME ZONE coalesce(
        (SELECT timezone FROM users WHERE id = p_user_id), 'UTC'))::date
$$;

CREATE OR REPLACE FUNCTION practice_days_rebuild(p_user_id integer) RETURNS void LANGUAGE sql AS $$
    DELETE FROM practice_days WHERE user_id = p_user_id;
    INSERT INTO practice_days (user_id, day, minutes, sessions)
    SELECT s.user_id, (s.started_at AT TIME ZONE u.timezone)::date,
           sum(s.duration_minutes), count(*)
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = p_user_id
     GROUP BY 1, 2;
$$;
"""


def upgrade():
    op.execute(FUNCTIONS)


def downgrade():
    op.execute(OLD_FUNCTIONS)
    op.execute("DROP FUNCTION local_day(text, timestamptz)")
