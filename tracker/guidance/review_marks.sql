-- How review states learn that they are behind: the current source of every function the
-- review-state triggers run.
--
-- review_states holds one row per goal, piece and piece section (tracker/models/reviews.py).
-- Its derived columns (phase, due date, tempo figures) are worked out in Python by replaying
-- the item's whole history (tracker/guidance/schedule.py), which SQL cannot do. So the
-- database's job is only to say, on every write by any path (the app, the API, raw SQL), that
-- a row is behind: `version` goes up by one. The app recomputes a row whenever its
-- `computed_version` differs from `version` before it shows it (tracker/guidance/states.py).
--
-- What moves an item's version:
--   - a session's link to it is added, changed or removed (a session's delete removes its
--     links, so it counts too), its minutes and "next time" note included; a link to a piece
--     or section also moves every goal naming that piece or section, whose plays it is;
--   - the session's start time (its local day), quality rating (an unrated item's rating)
--     or length (a goal's minutes) changes;
--   - the goal's status, archive flag or tempo target; the piece's status; the section's
--     status or tempo target; a goal naming a piece or section, or no longer naming it;
--   - the user's own interval on the row;
--   - the user's time zone (every local day may move): all of the user's rows.
--
-- The triggers themselves are defined in migration 0012 (three redefined in 0018):
--   review_states_goals, _pieces, _sections   AFTER INSERT -> review_states_add_item()
--   review_states_goal_changes                AFTER UPDATE OF status, archived, target_bpm,
--                                             start_bpm ON goals -> review_states_on_item()
--   review_states_piece_changes               AFTER UPDATE OF status ON pieces
--   review_states_section_changes             AFTER UPDATE OF status, target_bpm, start_bpm,
--                                             piece_id ON piece_sections
--   review_states_goal_pieces, _goal_sections AFTER INSERT OR DELETE
--                                             -> review_states_on_goal_link()
--   review_states_session_goals               AFTER INSERT OR DELETE OR UPDATE OF session_id,
--                                             goal_id, rating, tempo_bpm, clean, minutes,
--                                             next_time (since 0018)
--                                             -> review_states_on_session_goal()
--   review_states_session_pieces              AFTER INSERT OR DELETE OR UPDATE OF session_id,
--                                             piece_id, section_id, rating, tempo_bpm, clean,
--                                             minutes, next_time (since 0018)
--                                             -> review_states_on_session_piece()
--   review_states_sessions                    AFTER UPDATE OF started_at, quality_rating,
--                                             duration_minutes (since 0018)
--                                             ON practice_sessions
--                                             -> review_states_on_session()
--   review_states_timezone                    AFTER UPDATE OF timezone ON users
--                                             -> review_states_on_timezone()
--   review_states_interval                    BEFORE UPDATE OF interval_days ON review_states
--                                             -> review_states_on_interval()
--
-- Marks only ever UPDATE existing rows: an item being deleted has lost its row already (the
-- foreign key cascades), and inserting one back would fail.
--
-- This file is the current source; tests/test_rollups_sql.py fails when the migrated
-- database differs from it. To change a function: edit it here, then write a migration that
-- installs a frozen copy of the new text (and restores the old one on downgrade).


-- Move the version of the user's rows for these goals, pieces and sections.
CREATE OR REPLACE FUNCTION review_states_mark(
    p_user_id integer, p_goal_ids integer[], p_piece_ids integer[], p_section_ids integer[]
) RETURNS void LANGUAGE sql AS $$
    UPDATE review_states SET version = version + 1
    WHERE user_id = p_user_id
      AND (goal_id = ANY (p_goal_ids) OR piece_id = ANY (p_piece_ids)
           OR section_id = ANY (p_section_ids))
$$;

-- A play of a piece (maybe one of its sections) counts for the piece, the section and
-- every goal naming either: move them all.
CREATE OR REPLACE FUNCTION review_states_mark_piece_play(
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

-- A new goal, piece or section gets its row (never practised: due now).
CREATE OR REPLACE FUNCTION review_states_add_item() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- A goal, piece or section changed something its schedule reads.
CREATE OR REPLACE FUNCTION review_states_on_item() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- A goal starts or stops naming a piece or section: its plays change.
CREATE OR REPLACE FUNCTION review_states_on_goal_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    link record;
BEGIN
    link := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    PERFORM review_states_mark(link.user_id, ARRAY[link.goal_id], '{}', '{}');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION review_states_on_session_goal() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE OR REPLACE FUNCTION review_states_on_session_piece() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- A session moved to another day, was re-rated or changed length: every item it played.
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

CREATE OR REPLACE FUNCTION review_states_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE review_states SET version = version + 1 WHERE user_id = NEW.id;
    RETURN NULL;
END;
$$;

-- The user's own interval replaces the computed one: the due date moves.
CREATE OR REPLACE FUNCTION review_states_on_interval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.interval_days IS DISTINCT FROM OLD.interval_days THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;
