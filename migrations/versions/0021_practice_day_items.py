"""practice day items

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 09:00:00.000000

practice_day_items holds, per user, local day and focus area or piece, the minutes the
most-practised figures add up, so a period's top focus areas and pieces read a few rows a
day instead of every session of the period with its links: the dashboard's month then costs
the same at 300 sessions or 500,000. Triggers rebuild the days a write touches from their
sessions: the links a statement wrote (statement triggers: each day once per statement), a
session moved, resized or deleted, and every day of a user whose time zone changes.

The SQL below is a frozen copy of tracker/figures/rollups.sql at this revision; this
migration never reads that file, so it stays reproducible when the file changes.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

FUNCTIONS = """-- The rows of practice_day_items for one user's sessions started in [p_from, p_to): per local
-- day, a focus area's minutes (each session naming it counts whole) and a piece's (per
-- session the link minutes given, else the whole session), as minutes_by_focus_area and
-- minutes_by_piece counted them from the sessions.
CREATE OR REPLACE FUNCTION practice_day_items_of(p_user_id integer, p_from timestamptz,
                                                 p_to timestamptz)
RETURNS TABLE (kind text, day date, item_id integer, minutes bigint)
LANGUAGE sql STABLE AS $$
    WITH sessions AS (
        SELECT s.id, s.duration_minutes, local_day(u.timezone, s.started_at) AS day
          FROM practice_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.user_id = p_user_id AND s.started_at >= p_from AND s.started_at < p_to
    )
    SELECT 'focus_area', s.day, l.focus_area_id, sum(s.duration_minutes)
      FROM sessions s JOIN session_focus_areas l ON l.session_id = s.id
     GROUP BY s.day, l.focus_area_id
    UNION ALL
    SELECT 'piece', day, piece_id, sum(minutes)
      FROM (SELECT s.day, l.piece_id,
                   coalesce(sum(l.minutes), max(s.duration_minutes)) AS minutes
              FROM sessions s JOIN session_pieces l ON l.session_id = s.id
             GROUP BY s.day, l.piece_id, s.id) per_session
     GROUP BY day, piece_id
$$;

-- Rebuild one local day of the user's practice_day_items (every day when p_day is null).
CREATE OR REPLACE FUNCTION practice_day_items_rebuild(p_user_id integer, p_day date)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    zone text;
BEGIN
    SELECT coalesce(timezone, 'UTC') INTO zone FROM users WHERE id = p_user_id;
    IF NOT FOUND THEN
        -- A deleted user's rows go with the user (and must not be written back).
        RETURN;
    END IF;
    -- One writer per user at a time: a rebuild then reads every session committed before it.
    -- The runs' lock itself: two locks of one user taken in either order could deadlock.
    PERFORM pg_advisory_xact_lock(hashtext('practice_runs'), p_user_id);
    IF p_day IS NULL THEN
        DELETE FROM practice_day_items WHERE user_id = p_user_id;
        INSERT INTO practice_day_items (user_id, kind, day, item_id, minutes)
        SELECT p_user_id, i.kind, i.day, i.item_id, i.minutes
          FROM practice_day_items_of(p_user_id, '-infinity', 'infinity') i;
    ELSE
        DELETE FROM practice_day_items WHERE user_id = p_user_id AND day = p_day;
        -- The local day's instants, widened by a day on both sides for any zone; the
        -- local_day() test inside keeps exactly the day's sessions.
        INSERT INTO practice_day_items (user_id, kind, day, item_id, minutes)
        SELECT p_user_id, i.kind, i.day, i.item_id, i.minutes
          FROM practice_day_items_of(p_user_id, (p_day - 1)::timestamp AT TIME ZONE zone,
                                     (p_day + 2)::timestamp AT TIME ZONE zone) i
         WHERE i.day = p_day;
    END IF;
END
$$;

-- Trigger on practice_sessions: a session moved, resized, given away or deleted changes
-- its old and its new day. (A new session has no links yet: its links' trigger counts it.)
CREATE OR REPLACE FUNCTION practice_day_items_on_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM practice_day_items_rebuild(OLD.user_id,
                                       practice_days_local_day(OLD.user_id, OLD.started_at));
    IF TG_OP = 'UPDATE' AND (NEW.user_id IS DISTINCT FROM OLD.user_id
                             OR NEW.started_at IS DISTINCT FROM OLD.started_at) THEN
        PERFORM practice_day_items_rebuild(NEW.user_id,
                                           practice_days_local_day(NEW.user_id, NEW.started_at));
    END IF;
    RETURN NULL;
END
$$;

-- Rebuild the days of the sessions given, once per user and day (sessions gone are skipped:
-- a link whose session is gone goes with the session, whose trigger rebuilt the day).
CREATE OR REPLACE FUNCTION practice_day_items_rebuild_sessions(p_session_ids integer[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    touched record;
BEGIN
    FOR touched IN
        SELECT DISTINCT s.user_id, practice_days_local_day(s.user_id, s.started_at) AS day
          FROM practice_sessions s WHERE s.id = ANY (p_session_ids)
    LOOP
        PERFORM practice_day_items_rebuild(touched.user_id, touched.day);
    END LOOP;
END
$$;

-- Statement trigger on session_focus_areas and session_pieces: the links a statement wrote
-- (transition tables new_links / old_links) change their sessions' days, each rebuilt once
-- per statement, so an import of 50,000 links rebuilds each day once, not once per link.
CREATE OR REPLACE FUNCTION practice_day_items_on_links() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM practice_day_items_rebuild_sessions(ARRAY(SELECT session_id FROM new_links));
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM practice_day_items_rebuild_sessions(ARRAY(SELECT session_id FROM old_links));
    END IF;
    RETURN NULL;
END
$$;

-- Trigger on users: a new time zone moves sessions to other days.
CREATE OR REPLACE FUNCTION practice_day_items_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM practice_day_items_rebuild(NEW.id, NULL);
    RETURN NULL;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER practice_day_items_sessions
AFTER DELETE OR UPDATE OF started_at, duration_minutes, user_id ON practice_sessions
FOR EACH ROW EXECUTE FUNCTION practice_day_items_on_session();
CREATE TRIGGER practice_day_items_focus_areas_insert AFTER INSERT ON session_focus_areas
REFERENCING NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_focus_areas_update AFTER UPDATE ON session_focus_areas
REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_focus_areas_delete AFTER DELETE ON session_focus_areas
REFERENCING OLD TABLE AS old_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_pieces_insert AFTER INSERT ON session_pieces
REFERENCING NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_pieces_update AFTER UPDATE ON session_pieces
REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_pieces_delete AFTER DELETE ON session_pieces
REFERENCING OLD TABLE AS old_links
FOR EACH STATEMENT EXECUTE FUNCTION practice_day_items_on_links();
CREATE TRIGGER practice_day_items_timezone
AFTER UPDATE OF timezone ON users
FOR EACH ROW WHEN (OLD.timezone IS DISTINCT FROM NEW.timezone)
EXECUTE FUNCTION practice_day_items_on_timezone();
"""

# What practice_day_items_of() gives, for every user in one statement (one hash join).
BACKFILL = """
INSERT INTO practice_day_items (user_id, kind, day, item_id, minutes)
WITH s AS (
    SELECT s.id, s.user_id, s.duration_minutes, local_day(u.timezone, s.started_at) AS day
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
)
SELECT s.user_id, 'focus_area', s.day, l.focus_area_id, sum(s.duration_minutes)
  FROM s JOIN session_focus_areas l ON l.session_id = s.id
 GROUP BY s.user_id, s.day, l.focus_area_id
UNION ALL
SELECT user_id, 'piece', day, piece_id, sum(minutes)
  FROM (SELECT s.user_id, s.day, l.piece_id,
               coalesce(sum(l.minutes), max(s.duration_minutes)) AS minutes
          FROM s JOIN session_pieces l ON l.session_id = s.id
         GROUP BY s.user_id, s.day, l.piece_id, s.id) per_session
 GROUP BY user_id, day, piece_id
"""

DROP_TRIGGERS = (
    "practice_day_items_sessions ON practice_sessions",
    "practice_day_items_focus_areas_insert ON session_focus_areas",
    "practice_day_items_focus_areas_update ON session_focus_areas",
    "practice_day_items_focus_areas_delete ON session_focus_areas",
    "practice_day_items_pieces_insert ON session_pieces",
    "practice_day_items_pieces_update ON session_pieces",
    "practice_day_items_pieces_delete ON session_pieces",
    "practice_day_items_timezone ON users",
)
DROP_FUNCTIONS = (
    "practice_day_items_on_timezone()",
    "practice_day_items_on_links()",
    "practice_day_items_rebuild_sessions(integer[])",
    "practice_day_items_on_session()",
    "practice_day_items_rebuild(integer, date)",
    "practice_day_items_of(integer, timestamptz, timestamptz)",
)


def upgrade():
    op.create_table(
        "practice_day_items",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('focus_area', 'piece')", name=op.f("ck_practice_day_items_kind")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_practice_day_items_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind", "day", "item_id", name=op.f("pk_practice_day_items")),
    )
    op.execute(FUNCTIONS)
    op.execute(BACKFILL)
    op.execute(TRIGGERS)


def downgrade():
    for trigger in DROP_TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger}")
    for function in DROP_FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    op.drop_table("practice_day_items")
