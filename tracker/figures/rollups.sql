-- The rollups behind the figures: the current source of every function their triggers run.
--
-- How a session becomes a streak:
--
--   1. A session starts at practice_sessions.started_at, an instant stored in UTC.
--   2. Its day is the calendar day in the user's own time zone at that instant:
--      local_day(users.timezone, started_at). A session at 23:30 UTC on 9 March is on
--      10 March for a user in Europe/Berlin and on 9 March for one in America/Los_Angeles.
--   3. practice_days holds, per user and local day, the minutes and the number of
--      sessions. Triggers on practice_sessions keep it exact on every insert, update and
--      delete (practice_days_on_session -> practice_days_add); a day row appears with the
--      day's first session and goes with its last. When a user's time zone changes, their
--      days are rebuilt from their sessions (practice_days_on_timezone ->
--      practice_days_rebuild), because every session may now fall on another day.
--   4. practice_runs holds, per user, each run of consecutive local days with practice
--      (first_day .. last_day). A trigger on practice_days keeps it: a new day starts,
--      extends or joins runs (practice_runs_day_added), a removed day shrinks, splits or
--      drops one (practice_runs_day_removed).
--   5. Streaks read the runs: the current streak is the run ending today or yesterday, the
--      longest is the longest run.
--
-- Goal minutes: session_goals.counted_minutes is what a session's link adds to its goal,
-- the link's own minutes, else the whole session's duration. A trigger on session_goals
-- sets it when a link is written (session_goals_count_minutes), and a trigger on
-- practice_sessions follows a change of the session's duration
-- (session_goals_follow_duration), so a goal's minutes are a sum over its links.
--
-- Minutes per day and item: practice_day_items holds, per user, local day and focus area or
-- piece, the minutes the most-practised figures add up (a focus area counts the whole of
-- each session naming it; a piece, per session, its link minutes, else the whole session).
-- A write rebuilds the days it touches from their sessions (practice_day_items_rebuild):
-- the links a statement wrote (each day once per statement), a session moved, resized or
-- deleted, and every day on a new time zone.
--
-- The triggers themselves are defined in the migrations:
--   practice_days_sessions          AFTER INSERT OR DELETE OR UPDATE OF started_at,
--                                   duration_minutes, user_id ON practice_sessions
--                                   -> practice_days_on_session()          (0006)
--   practice_days_timezone          AFTER UPDATE OF timezone ON users, when it changed
--                                   -> practice_days_on_timezone()         (0006)
--   session_goals_counted_minutes   BEFORE INSERT OR UPDATE ON session_goals
--                                   -> session_goals_count_minutes()       (0007)
--   session_goals_session_duration  AFTER UPDATE OF duration_minutes ON practice_sessions,
--                                   when it changed
--                                   -> session_goals_follow_duration()     (0007)
--   practice_runs_days              AFTER INSERT OR DELETE ON practice_days
--                                   -> practice_runs_on_day()              (0008)
--   practice_day_items_sessions     AFTER DELETE OR UPDATE OF started_at, duration_minutes,
--                                   user_id ON practice_sessions
--                                   -> practice_day_items_on_session()     (0021)
--   practice_day_items_focus_areas_insert, _update, _delete
--   practice_day_items_pieces_insert, _update, _delete
--                                   AFTER INSERT / UPDATE / DELETE ON session_focus_areas and
--                                   session_pieces, FOR EACH STATEMENT with the transition
--                                   tables new_links / old_links
--                                   -> practice_day_items_on_links()       (0021)
--   practice_day_items_timezone     AFTER UPDATE OF timezone ON users, when it changed
--                                   -> practice_day_items_on_timezone()    (0021)
--
-- This file is the current source; tests/test_rollups_sql.py fails when the migrated
-- database differs from it. To change a function: edit it here, then write a migration
-- that installs a frozen copy of the new text (and restores the old one on downgrade).
-- Migrations never read this file, so they stay reproducible when it changes.


-- The calendar day in `zone` (an IANA name; UTC when null) at the instant `at`.
-- Immutable (timezone(text, timestamptz) is), so queries inline it at no cost.
CREATE OR REPLACE FUNCTION local_day(zone text, at timestamptz)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (at AT TIME ZONE coalesce(zone, 'UTC'))::date
$$;

-- The local day of p_started_at for the user p_user_id, in the user's stored zone.
CREATE OR REPLACE FUNCTION practice_days_local_day(p_user_id integer, p_started_at timestamptz)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT local_day((SELECT timezone FROM users WHERE id = p_user_id), p_started_at)
$$;

-- Add minutes and sessions (negative to take them away) to one day; drop the day at zero.
CREATE OR REPLACE FUNCTION practice_days_add(p_user_id integer, p_day date, p_minutes integer,
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

-- Trigger on practice_sessions: take the old row off its day, put the new row on its day.
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

-- Recompute all of one user's days from their sessions, in their current zone.
CREATE OR REPLACE FUNCTION practice_days_rebuild(p_user_id integer) RETURNS void LANGUAGE sql AS $$
    DELETE FROM practice_days WHERE user_id = p_user_id;
    INSERT INTO practice_days (user_id, day, minutes, sessions)
    SELECT s.user_id, local_day(u.timezone, s.started_at),
           sum(s.duration_minutes), count(*)
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id = p_user_id
     GROUP BY 1, 2;
$$;

-- Trigger on users: a new time zone moves sessions to other days.
CREATE OR REPLACE FUNCTION practice_days_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM practice_days_rebuild(NEW.id);
    RETURN NULL;
END
$$;

-- Trigger on session_goals: the minutes a link adds to its goal.
CREATE OR REPLACE FUNCTION session_goals_count_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.counted_minutes := coalesce(
        NEW.minutes,
        (SELECT duration_minutes FROM practice_sessions WHERE id = NEW.session_id),
        0);
    RETURN NEW;
END
$$;

-- Trigger on practice_sessions: links without minutes of their own follow the duration.
CREATE OR REPLACE FUNCTION session_goals_follow_duration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE session_goals SET counted_minutes = NEW.duration_minutes
     WHERE session_id = NEW.id AND minutes IS NULL;
    RETURN NULL;
END
$$;

-- A day with practice was added: start a run, extend the one before or after, or join both.
CREATE OR REPLACE FUNCTION practice_runs_day_added(p_user_id integer, p_day date)
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

-- A day with practice was removed: drop its run, shrink it from either end, or split it.
CREATE OR REPLACE FUNCTION practice_runs_day_removed(p_user_id integer, p_day date)
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

-- Trigger on practice_days: a day row inserted or deleted changes the user's runs.
CREATE OR REPLACE FUNCTION practice_runs_on_day() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- The rows of practice_day_items for one user's sessions started in [p_from, p_to): per local
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
