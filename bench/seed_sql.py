"""The set-based SQL that fills the bench database, as (label, statement) steps in order.

User 1 is the heavy user; users 2..n are light; user n+1 is the heavy user's twin: the same
instruments, focus areas, goals, pieces, sections and gear, with a light user's 300 sessions;
user n+2 is the huge user, the heavy user's shape with 500,000 sessions. The steps fill the
users :first_user..:last_user, so an older bench database gains the huge user alone.
Ids are explicit and derived from the owner (instrument u*10+k, focus area/goal/piece
u*100+k, section piece*10+j, session u*100000+n; the huge user is the last one, so its
500,000 session ids run past the next user's range without meeting anyone's), so every link
names rows of its own user and the composite foreign keys hold by construction (CHECK_LINKS
proves it). Randomness comes from hashing ids (pg_temp.rnd), so a reseed produces the same data.

Sessions and their links are written in bulk with the row triggers off for this connection
(BULK_START): per row they would add to the day rollups, bump review states and data
versions one by one, which for 500,000 sessions takes many minutes. ROLLUPS then writes
what those triggers would have left, set-based: the days and runs, the review states marked
for recomputing, the data versions moved on. The whole fill is one transaction.
"""

HELPERS = """
CREATE FUNCTION pg_temp.rnd(k bigint, salt bigint) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT (hashint8extended(k, salt) & 2147483647)::float8 / 2147483648 $$;

CREATE FUNCTION pg_temp.pick(k bigint, salt bigint, n int) RETURNS int
LANGUAGE sql IMMUTABLE AS
$$ SELECT 1 + floor(pg_temp.rnd(k, salt) * n)::int $$;
"""

# One row per user: how much of everything they get.
PLAN = """
CREATE TEMP TABLE plan AS
WITH kinds AS (
    SELECT id, id IN (1, :twin_id, :huge_id) AS heavy_items
      FROM generate_series(:first_user, :last_user) id
)
SELECT id AS user_id,
       CASE WHEN id = 1 THEN :heavy_sessions WHEN id = :twin_id THEN 300
            WHEN id = :huge_id THEN :huge_sessions
            ELSE 200 + floor(pg_temp.rnd(id, 1) * 201)::int END AS sessions,
       CASE WHEN id IN (1, :huge_id) THEN 3650 ELSE 730 END AS days,
       CASE WHEN heavy_items THEN 3 ELSE 1 + id % 2 END AS instruments,
       CASE WHEN heavy_items THEN 12 ELSE 4 END AS focus_areas,
       CASE WHEN heavy_items THEN 3 ELSE 2 END AS focus_per_session,
       CASE WHEN heavy_items THEN 30 ELSE 3 END AS goals,
       CASE WHEN heavy_items THEN 40 ELSE 3 END AS pieces,
       CASE WHEN heavy_items THEN 5 ELSE 1 + id % 2 END AS equipment,
       CASE WHEN heavy_items THEN 'Europe/Berlin'
            ELSE (ARRAY['America/New_York', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney',
                        'America/Los_Angeles', 'UTC', 'Asia/Kolkata', 'America/Sao_Paulo',
                        'Europe/Paris', 'Africa/Nairobi', 'Pacific/Auckland',
                        'America/Chicago'])[1 + id % 12] END AS tz
  FROM kinds
"""

USERS = """
INSERT INTO users (id, email, password, active, fs_uniquifier, confirmed_at, name,
                   skill_level, practice_goals, timezone, created_at, updated_at)
SELECT user_id,
       CASE WHEN user_id = 1 THEN :heavy_email WHEN user_id = :twin_id THEN :twin_email
            WHEN user_id = :huge_id THEN :huge_email
            ELSE format('light%s@example.com', lpad(user_id::text, 4, '0')) END,
       :password_hash, true, md5(user_id::text), now() - make_interval(days => days),
       CASE WHEN user_id = 1 THEN 'Heavy Practiser' WHEN user_id = :twin_id THEN 'Twin Practiser'
            WHEN user_id = :huge_id THEN 'Huge Practiser' ELSE format('Light %s', user_id) END,
       (ARRAY['beginner', 'intermediate', 'advanced', 'professional'])[1 + user_id % 4],
       'Play every day; keep a steady tempo.', tz,
       now() - make_interval(days => days), now()
  FROM plan
"""

INSTRUMENTS = """
INSERT INTO instruments (id, user_id, name)
SELECT p.user_id * 10 + k, p.user_id,
       (ARRAY['Piano', 'Violin', 'Guitar', 'Cello', 'Flute', 'Voice', 'Drums',
              'Clarinet'])[1 + (p.user_id + k) % 8]
  FROM plan p, generate_series(1, p.instruments) k
"""

FOCUS_AREAS = """
INSERT INTO focus_areas (id, user_id, name)
SELECT p.user_id * 100 + k, p.user_id,
       (ARRAY['Scales', 'Arpeggios', 'Sight-reading', 'Technique', 'Repertoire', 'Rhythm',
              'Ear training', 'Improvisation', 'Etudes', 'Theory', 'Dynamics',
              'Memorisation'])[1 + (p.user_id + k) % 12]
  FROM plan p, generate_series(1, p.focus_areas) k
"""

EQUIPMENT = """
INSERT INTO equipment (id, user_id, name, kind, instrument_id, purchase_date, notes)
SELECT p.user_id * 10 + k, p.user_id,
       (ARRAY['Main instrument', 'Practice amp', 'Spare bow', 'String set', 'Looper pedal'])[k],
       (ARRAY['instrument', 'amplifier', 'bow', 'strings', 'pedal'])[k],
       p.user_id * 10 + 1 + (k - 1) % p.instruments,
       current_date - 200 * k, 'Bought second hand.'
  FROM plan p, generate_series(1, p.equipment) k
"""

MAINTENANCE = """
INSERT INTO maintenance_logs (user_id, equipment_id, kind, performed_on, notes, cost)
SELECT e.user_id, e.id,
       (ARRAY['string_change', 'setup', 'string_change', 'repair'])[1 + j % 4],
       current_date - 45 * j, 'Routine care.', 10 + j * 2.5
  FROM equipment e, generate_series(1, 4) j
 WHERE e.user_id IN (SELECT user_id FROM plan)
"""

GOALS = """
INSERT INTO goals (id, user_id, name, goal_type, instrument_id, target_date, status, priority,
                   notes, target_minutes, archived, completed_at)
SELECT p.user_id * 100 + k, p.user_id,
       format('%s %s', (ARRAY['Master', 'Learn', 'Polish', 'Memorise', 'Speed up'])[1 + k % 5],
              (ARRAY['C major scale', 'thirds', 'vibrato', 'the sonata', 'sight-reading',
                     'shifting', 'the etude', 'jazz standards'])[1 + k % 8]) || ' #' || k,
       (ARRAY['piece', 'technique', 'scale', 'theory', 'ear_training', 'repertoire',
              'other'])[1 + k % 7],
       CASE WHEN k % 4 <> 0 THEN p.user_id * 10 + 1 + k % p.instruments END,
       CASE WHEN k % 3 <> 0 THEN current_date + (k * 37) % 200 - 40 END,
       CASE WHEN k % 5 = 0 THEN 'completed' WHEN k % 2 = 1 THEN 'in_progress'
            ELSE 'not_started' END,
       1 + k % 3, 'Slow first, then up to tempo.',
       CASE WHEN k % 2 = 0 THEN 600 * k END,
       k % 10 = 0,
       CASE WHEN k % 5 = 0 THEN now() - make_interval(days => k) END
  FROM plan p, generate_series(1, p.goals) k
"""

PIECES = """
INSERT INTO pieces (id, user_id, title, composer, instrument_id, difficulty, status,
                    date_started, notes)
SELECT p.user_id * 100 + k, p.user_id,
       (ARRAY['Nocturne', 'Partita', 'Etude', 'Sonata', 'Prelude', 'Invention', 'Waltz',
              'Ballade', 'Suite', 'Romance'])[1 + k % 10] || ' No. ' || k,
       (ARRAY['Chopin', 'Bach', 'Czerny', 'Mozart', 'Debussy', 'Schumann', 'Brahms',
              'Satie'])[1 + k % 8],
       p.user_id * 10 + 1 + k % p.instruments, 1 + k % 5,
       (ARRAY['learning', 'polishing', 'performance_ready', 'archived'])[1 + k % 4],
       current_date - 30 * k, 'Watch the left hand.'
  FROM plan p, generate_series(1, p.pieces) k
"""

# 4..8 sections per piece, numbered piece*10+1 onwards.
SECTIONS = """
INSERT INTO piece_sections (id, user_id, piece_id, section_name, status, notes, position)
SELECT pc.id * 10 + j, pc.user_id, pc.id,
       format('Section %s (bars %s-%s)', j, (j - 1) * 16 + 1, j * 16),
       (ARRAY['not_started', 'learning', 'polishing',
              'performance_ready'])[pg_temp.pick(pc.id * 10 + j, 3, 4)],
       NULL, j
  FROM pieces pc, generate_series(1, 4 + pc.id % 5) j
 WHERE pc.user_id IN (SELECT user_id FROM plan)
"""

GOAL_PIECES = """
INSERT INTO goal_pieces (goal_id, piece_id, user_id)
SELECT p.user_id * 100 + k, p.user_id * 100 + k, p.user_id
  FROM plan p, generate_series(1, least(p.goals, p.pieces, 10)) k
 WHERE k % 2 = 1
"""

# Sessions at random local times (06:00-22:00) on random days of the user's span, never in the
# future, inserted in time order across users as a real table would fill up.
SESSIONS = """
WITH raw AS (
    SELECT user_id, instruments, tz, user_id::bigint * 100000 + n AS k,
           least(
               (date_trunc('day', now() AT TIME ZONE tz)
                - make_interval(days => floor(pg_temp.rnd(user_id::bigint * 100000 + n, 11)
                                              * days)::int)
                + make_interval(mins => 360 + floor(pg_temp.rnd(user_id::bigint * 100000 + n, 12)
                                                    * 960)::int)) AT TIME ZONE tz,
               now() - interval '5 minutes') AS started_at
      FROM plan, generate_series(1, sessions) n
)
INSERT INTO practice_sessions (id, user_id, started_at, duration_minutes, notes, mood_rating,
                               quality_rating, instrument_id, created_at, updated_at)
SELECT user_id * 100000 + row_number() OVER (PARTITION BY user_id ORDER BY started_at, k),
       user_id, started_at,
       5 * (2 + floor(pg_temp.rnd(k, 13) * 24)::int),
       CASE WHEN pg_temp.rnd(k, 14) < 0.8 THEN
           rtrim((ARRAY['Slow practice with the metronome at 60.', 'Hands separately first.',
                  'Warm-up was rushed; start with long tones.', 'Recorded a run-through.',
                  'Tricky shift in bar 12 is getting cleaner.', 'Worked on even sixteenths.',
                  'Played through the whole piece twice.', 'Tired today, short session.'])
               [pg_temp.pick(k, 15, 8)] || ' ' ||
           (ARRAY['Next time: push the tempo by 4 bpm.', 'Next time: memorise the coda.',
                  'Next time: more dynamics.', 'Next time: check the fingering.',
                  'Next time: start with scales.', ''])[pg_temp.pick(k, 16, 6)])
       END,
       CASE WHEN pg_temp.rnd(k, 17) < 0.85 THEN pg_temp.pick(k, 18, 5) END,
       CASE WHEN pg_temp.rnd(k, 19) < 0.85 THEN pg_temp.pick(k, 20, 5) END,
       CASE WHEN pg_temp.rnd(k, 21) < 0.95 THEN user_id * 10 + pg_temp.pick(k, 22, instruments)
       END,
       started_at, started_at
  FROM raw
 ORDER BY started_at
"""

# 1..focus_per_session distinct areas per session, skewed so a few areas dominate.
SESSION_FOCUS_AREAS = """
INSERT INTO session_focus_areas (session_id, focus_area_id, user_id, created_at, updated_at)
SELECT s.id,
       s.user_id * 100 + 1
           + (floor(pg_temp.rnd(s.id, 32) ^ 2 * p.focus_areas)::int + j) % p.focus_areas,
       s.user_id, s.started_at, s.started_at
  FROM practice_sessions s
  JOIN plan p ON p.user_id = s.user_id,
       generate_series(0, pg_temp.pick(s.id, 31, p.focus_per_session) - 1) j
"""

# How an item went, for link k: rated on 70 %, a tempo on half (60-139 BPM, clean on 60 % of
# those), a "next time" note on a quarter.
LINK_RESULTS = """
       CASE WHEN pg_temp.rnd(k, 71) < 0.7 THEN pg_temp.pick(k, 72, 5) END,
       CASE WHEN pg_temp.rnd(k, 73) < 0.5 THEN 59 + pg_temp.pick(k, 74, 80) END,
       pg_temp.rnd(k, 73) < 0.5 AND pg_temp.rnd(k, 75) < 0.6,
       CASE WHEN pg_temp.rnd(k, 76) < 0.25 THEN
           (ARRAY['bars 9-12: left hand shift late, start at 80', 'slow the run down first',
                  'memorise the ending', 'even sixteenths with the metronome',
                  'check the fingering in the middle part'])[pg_temp.pick(k, 77, 5)] END"""

# ~30% of sessions, one goal (a second one on a tenth of those), half with minutes.
SESSION_GOALS = f"""
INSERT INTO session_goals (user_id, session_id, goal_id, minutes, rating, tempo_bpm, clean,
                           next_time, counted_minutes, created_at, updated_at)
SELECT user_id, session_id, goal_id, minutes, {LINK_RESULTS},
       -- What session_goals_count_minutes() sets (its trigger is off in bulk).
       coalesce(minutes, duration), started_at, started_at
  FROM (SELECT s.user_id, s.id AS session_id, s.started_at, s.id::bigint * 4 + j AS k,
       s.duration_minutes AS duration,
       s.user_id * 100 + 1 + (floor(pg_temp.rnd(s.id, 42) ^ 2 * p.goals)::int + j) % p.goals
           AS goal_id,
       CASE WHEN pg_temp.rnd(s.id * 4 + j, 43) < 0.5
            THEN greatest(1, floor(s.duration_minutes * (0.1 + 0.4 * pg_temp.rnd(s.id, 44))))::int
       END AS minutes
  FROM practice_sessions s
  JOIN plan p ON p.user_id = s.user_id,
       generate_series(0, CASE WHEN pg_temp.rnd(s.id, 45) < 0.1 THEN 1 ELSE 0 END) j
 WHERE pg_temp.rnd(s.id, 41) < 0.3) linked
"""

# ~40% of sessions, one piece (two on a fifth of those); half name one of its sections.
SESSION_PIECES = f"""
INSERT INTO session_pieces (user_id, session_id, piece_id, section_id, minutes, rating,
                            tempo_bpm, clean, next_time, created_at, updated_at)
SELECT user_id, session_id, piece_id,
       CASE WHEN pg_temp.rnd(k, 53) < 0.5
            THEN piece_id * 10 + pg_temp.pick(k, 54, 4 + piece_id % 5) END,
       CASE WHEN pg_temp.rnd(k, 55) < 0.5
            THEN greatest(1, floor(duration * (0.1 + 0.4 * pg_temp.rnd(k, 56))))::int END,
       {LINK_RESULTS},
       started_at, started_at
  FROM (SELECT s.user_id, s.id AS session_id, s.duration_minutes AS duration, s.started_at,
               s.id::bigint * 4 + j AS k,
               s.user_id * 100 + 1
                   + (floor(pg_temp.rnd(s.id, 52) ^ 2 * p.pieces)::int + j) % p.pieces
                   AS piece_id
          FROM practice_sessions s
          JOIN plan p ON p.user_id = s.user_id,
               generate_series(0, CASE WHEN pg_temp.rnd(s.id, 57) < 0.2 THEN 1 ELSE 0 END) j
         WHERE pg_temp.rnd(s.id, 51) < 0.4) linked
"""

# ~50% of sessions name one piece of gear.
SESSION_EQUIPMENT = """
INSERT INTO session_equipment (session_id, equipment_id, user_id, created_at, updated_at)
SELECT s.id, s.user_id * 10 + pg_temp.pick(s.id, 62, p.equipment), s.user_id,
       s.started_at, s.started_at
  FROM practice_sessions s
  JOIN plan p ON p.user_id = s.user_id
 WHERE pg_temp.rnd(s.id, 61) < 0.5
"""

# Words to search for (bench/run.py): "tremolo" in 1 % of every user's sessions, "campanella"
# in one explanation of each user. Idempotent, so an already seeded database gets them too.
SEARCH_WORDS = """
UPDATE practice_sessions SET notes = concat_ws(' ', notes, 'Tremolo picking, even strokes.')
 WHERE id % 100 = 0 AND coalesce(notes, '') NOT LIKE '%Tremolo picking%';
INSERT INTO resources (user_id, title, kind, notes)
SELECT id, 'Campanella fingering', 'note',
       'Let the open strings ring: campanella means little bell. Fret the next note on '
       || 'another string before lifting the last one.'
  FROM users
 WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.user_id = users.id AND r.kind = 'note'
                   AND r.title = 'Campanella fingering')
"""

# Row triggers (and the foreign keys' checks, which are triggers too) off for this
# connection only: nothing changes for other connections, and the setting goes with the
# connection should the seed die. CHECK_LINKS proves the links afterwards.
BULK_START = "SET session_replication_role = replica"
BULK_END = "SET session_replication_role = DEFAULT"

# What the row triggers on sessions and links would have left, written set-based for the
# users filled: practice_days as practice_days_rebuild() computes them, practice_runs as
# the runs of consecutive days practice_runs_day_added() builds, practice_day_items as
# practice_day_items_of() computes them (for all users at once: one hash join, where one
# call per user would walk every link per user), every review state of
# theirs marked for recomputing (as review_states_on_timezone() does), their data version
# moved on once (as data_version_bump() does per transaction).
ROLLUPS = """
DELETE FROM practice_days WHERE user_id IN (SELECT user_id FROM plan);
INSERT INTO practice_days (user_id, day, minutes, sessions)
SELECT s.user_id, local_day(u.timezone, s.started_at), sum(s.duration_minutes), count(*)
  FROM practice_sessions s JOIN users u ON u.id = s.user_id
 WHERE s.user_id IN (SELECT user_id FROM plan)
 GROUP BY 1, 2;
DELETE FROM practice_runs WHERE user_id IN (SELECT user_id FROM plan);
INSERT INTO practice_runs (user_id, first_day, last_day)
SELECT user_id, min(day), max(day)
  FROM (SELECT user_id, day,
               day - row_number() OVER (PARTITION BY user_id ORDER BY day)::int AS run
          FROM practice_days WHERE user_id IN (SELECT user_id FROM plan)) days
 GROUP BY user_id, run;
DELETE FROM practice_day_items WHERE user_id IN (SELECT user_id FROM plan);
INSERT INTO practice_day_items (user_id, kind, day, item_id, minutes)
WITH s AS (
    SELECT s.id, s.user_id, s.duration_minutes, local_day(u.timezone, s.started_at) AS day
      FROM practice_sessions s JOIN users u ON u.id = s.user_id
     WHERE s.user_id IN (SELECT user_id FROM plan)
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
 GROUP BY user_id, day, piece_id;
UPDATE review_states SET version = version + 1 WHERE user_id IN (SELECT user_id FROM plan);
UPDATE users SET data_version = data_version + 1 WHERE id IN (SELECT user_id FROM plan)
"""

# Every foreign key of the tables written in bulk, checked set-based (an anti-join per key;
# a key with a null column holds, as MATCH SIMPLE says): the checks the bulk mode skipped.
CHECK_LINKS = """
DO $$
DECLARE
    fk record;
    broken bigint;
BEGIN
    FOR fk IN
        SELECT c.conname, c.conrelid::regclass AS child, c.confrelid::regclass AS parent,
               string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ') AS present,
               string_agg(format('p.%I = c.%I', b.attname, a.attname), ' AND ') AS matches
          FROM pg_constraint c
          CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(child_col, parent_col)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.child_col
          JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = k.parent_col
         WHERE c.contype = 'f'
           AND c.conrelid::regclass::text IN ('practice_sessions', 'session_focus_areas',
                                              'session_goals', 'session_pieces',
                                              'session_equipment', 'practice_days',
                                              'practice_runs', 'practice_day_items')
         GROUP BY c.conname, c.conrelid, c.confrelid
    LOOP
        EXECUTE format('SELECT count(*) FROM %s c WHERE %s AND NOT EXISTS '
                       '(SELECT 1 FROM %s p WHERE %s)',
                       fk.child, fk.present, fk.parent, fk.matches) INTO broken;
        IF broken > 0 THEN
            RAISE EXCEPTION '% rows of % break %', broken, fk.child, fk.conname;
        END IF;
    END LOOP;
END $$
"""

# Explicit ids bypassed the sequences; move them past the data so the app can insert.
SEQUENCES = """
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'instruments', 'focus_areas', 'equipment', 'goals',
                             'pieces', 'piece_sections', 'practice_sessions'] LOOP
        EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''), max(id)) FROM %I',
                       t, t);
    END LOOP;
END $$
"""

STEPS = [
    ("helpers", HELPERS),
    ("plan", PLAN),
    ("users", USERS),
    ("instruments", INSTRUMENTS),
    ("focus areas", FOCUS_AREAS),
    ("equipment", EQUIPMENT),
    ("maintenance logs", MAINTENANCE),
    ("goals", GOALS),
    ("pieces", PIECES),
    ("piece sections", SECTIONS),
    ("goal pieces", GOAL_PIECES),
    ("bulk mode", BULK_START),
    ("practice sessions", SESSIONS),
    ("session focus areas", SESSION_FOCUS_AREAS),
    ("session goals", SESSION_GOALS),
    ("session pieces", SESSION_PIECES),
    ("session equipment", SESSION_EQUIPMENT),
    ("rollups", ROLLUPS),
    ("end of bulk mode", BULK_END),
    ("check links", CHECK_LINKS),
    ("search words", SEARCH_WORDS),
    ("sequences", SEQUENCES),
]
