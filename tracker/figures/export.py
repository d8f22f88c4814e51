"""The CSV export's rows: one per session in a local range, with readable names from SQL."""

from sqlalchemy import text

from tracker.figures.stats import local_day_bounds
from tracker.figures.stats import session_links_sql
from tracker.streaming import BATCH_ROWS
from tracker.streaming import streaming_connection

EXPORT_COLUMNS = [
    "Date",
    "Time",
    "Minutes",
    "Instrument",
    "Focus areas",
    "Goals",
    "Pieces",
    "Mood",
    "Quality",
    "Notes",
]
# The sessions in range, for the link names: the planner joins on the range itself, so it
# knows how many (a lookup per session for a month, one hash join for ten years).
_SESSIONS_IN_RANGE = """IN (SELECT r.id FROM practice_sessions r
                          WHERE r.user_id = :user_id
                            AND r.started_at >= :start AND r.started_at < :end)"""
# One row per session with its links as readable names, aggregated once for the range.
# Text cells are formula-escaped by the CSV writer (tracker.ownership.FormulaSafeWriter).
EXPORT_SQL = text(
    f"""
    WITH links AS ({session_links_sql(_SESSIONS_IN_RANGE)}),
    names AS (
        SELECT session_id,
               string_agg(name, ', ' ORDER BY name) FILTER (WHERE kind = 'focus_area') AS focus,
               string_agg(name, ', ' ORDER BY name) FILTER (WHERE kind = 'goal') AS goals,
               string_agg(DISTINCT name, ', ' ORDER BY name) FILTER (WHERE kind = 'piece')
                   AS pieces
          FROM links GROUP BY session_id
    )
    SELECT to_char(local_day(:zone, s.started_at), 'YYYY-MM-DD') AS day,
           to_char(timezone(:zone, s.started_at), 'HH24:MI') AS at,
           s.duration_minutes, i.name, n.focus, n.goals, n.pieces,
           s.mood_rating, s.quality_rating, s.notes
      FROM practice_sessions s
      LEFT JOIN instruments i ON i.id = s.instrument_id
      LEFT JOIN names n ON n.session_id = s.id
     WHERE s.user_id = :user_id AND s.started_at >= :start AND s.started_at < :end
     ORDER BY s.started_at, s.id
    """
)


def export_batches(user_id, zone, first, last):
    """Yield the sessions of local days first..last as lists of rows for the CSV writer.

    Read through a server-side cursor on a connection of its own, so memory stays bounded
    by BATCH_ROWS however long the history.
    """
    params = {
        "zone": zone.key,
        "user_id": user_id,
        "start": local_day_bounds(first, zone)[0],
        "end": local_day_bounds(last, zone)[1],
    }
    with streaming_connection() as conn:
        result = conn.execution_options(stream_results=True).execute(EXPORT_SQL, params)
        # An explicit size: on a Core text() result, yield_per does not reach partitions(),
        # which then fetched every row into one list and one chunk.
        yield from result.partitions(BATCH_ROWS)
