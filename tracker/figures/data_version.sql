-- The per-user data version behind the figures cache: the current source of every function
-- its triggers run.
--
-- users.data_version is a number that goes up whenever a committed transaction changed any
-- of the user's rows that a figure or a cached dashboard panel reads, whatever wrote them
-- (the app, the API, an import, the scheduler, raw SQL). tracker/figures/cache.py keys every
-- cached figure on it and reads it with the user row each request loads anyway, so a cache
-- entry can only ever be found by a request that sees exactly the data it was computed
-- from: an evicted entry, a second worker or a restarted cache simply compute afresh.
--
-- The bump is a deferred constraint trigger: it runs at COMMIT, after every other lock the
-- transaction takes, so locking the user's row for the bump can never deadlock with the
-- rollups' locks of another transaction of the same user. It bumps once per transaction
-- and user (a transaction-local setting remembers it), so a 50,000-line import updates
-- the user's row once, not 50,000 times.
--
-- The triggers themselves are defined in migration 0020:
--   data_version_<table>       AFTER INSERT OR UPDATE OR DELETE ON <table>, DEFERRABLE
--                              INITIALLY DEFERRED, FOR EACH ROW
--                              -> data_version_on_row()
--                              on every table holding user_id that the user writes:
--                              attachments, equipment, focus_areas, goal_pieces,
--                              goal_sections, goals, instruments, maintenance_logs,
--                              notifications, piece_sections, pieces, practice_sessions,
--                              reminders, resource_focus_areas, resource_goals,
--                              resource_pieces, resource_sections, resources,
--                              session_equipment, session_focus_areas, session_goals,
--                              session_pieces
--   data_version_review_settings
--                              AFTER UPDATE OF snoozed_until, not_now_on, interval_days
--                              ON review_states, DEFERRABLE INITIALLY DEFERRED, FOR EACH
--                              ROW WHEN one of them changed -> data_version_on_row():
--                              what the musician sets on an item (the rest of the row is
--                              recomputed while pages are read; what it follows bumps already)
--   data_version_timezone      BEFORE UPDATE OF timezone ON users
--                              -> data_version_on_timezone()
-- Left out on purpose: practice_days, practice_runs and practice_day_items (only triggers
-- on sessions and their links write them, and those rows bump), review_states' other writes (above), login_sessions
-- (written at every sign-in; no figure reads it), api_tokens (its last use is written on every API call) and
-- roles_users (no figure reads roles).
--
-- This file is the current source; tests/test_rollups_sql.py fails when the migrated
-- database differs from it. To change a function: edit it here, then write a migration that
-- installs a frozen copy of the new text (and restores the old one on downgrade).


-- Move the user's data version on, once per transaction.
CREATE OR REPLACE FUNCTION data_version_bump(p_user_id integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    flag text := 'tracker.data_version_' || p_user_id;
BEGIN
    IF current_setting(flag, true) IS DISTINCT FROM '1' THEN
        -- A user being deleted has no row left to bump: the UPDATE then touches nothing.
        UPDATE users SET data_version = data_version + 1 WHERE id = p_user_id;
        PERFORM set_config(flag, '1', true);
    END IF;
END
$$;

-- Trigger on every owned table: the row's user (both users, should the owner change).
CREATE OR REPLACE FUNCTION data_version_on_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM data_version_bump(NEW.user_id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM data_version_bump(OLD.user_id);
    ELSE
        PERFORM data_version_bump(OLD.user_id);
        IF NEW.user_id IS DISTINCT FROM OLD.user_id THEN
            PERFORM data_version_bump(NEW.user_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- Trigger on users: a new time zone moves every local day of the user's figures.
CREATE OR REPLACE FUNCTION data_version_on_timezone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.timezone IS DISTINCT FROM OLD.timezone THEN
        NEW.data_version := OLD.data_version + 1;
    END IF;
    RETURN NEW;
END
$$;
