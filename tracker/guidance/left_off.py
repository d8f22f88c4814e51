"""Where you left off: one card per instrument played lately, with each item's next-time note.

How the cards are made, in plain words:
- One card for every instrument you practised in the last 60 days, the most recently played
  first; sessions logged without an instrument share a card of their own.
- A card shows the instrument's last session (its day, minutes and notes) and the items you
  touched in its last five sessions, the most recently played first: for each, the latest
  "next time" note you left on it in those 60 days (and when), its last clean tempo and its
  target. Only items still in play are shown (not completed goals or archived pieces).
"""

from datetime import timedelta

from sqlalchemy import text

from tracker.extensions import db

WINDOW_DAYS = 60
RECENT_SESSIONS = 5  # per instrument: the sessions whose items the card lists
MAX_CARD_ITEMS = 6

LAST_SESSIONS = text(
    """
    SELECT DISTINCT ON (s.instrument_id)
           s.id, s.instrument_id, i.name AS instrument_name, s.started_at,
           s.duration_minutes, s.notes
    FROM practice_sessions s
    LEFT JOIN instruments i ON i.id = s.instrument_id
    WHERE s.user_id = :user_id AND s.started_at >= :since
    ORDER BY s.instrument_id, s.started_at DESC, s.id DESC
    """
)
# Every item link in the window, then: the items of each instrument's last sessions, and the
# latest note each item got in the window.
TOUCHED_ITEMS = text(
    """
    WITH recent AS (
        SELECT id, instrument_id, started_at,
               row_number() OVER (PARTITION BY instrument_id
                                  ORDER BY started_at DESC, id DESC) AS n
        FROM practice_sessions
        WHERE user_id = :user_id AND started_at >= :since
    ), links AS (
        SELECT r.instrument_id, r.n, r.started_at, r.id AS session_id,
               'goal' AS kind, g.goal_id AS item_id, g.next_time
        FROM recent r JOIN session_goals g ON g.session_id = r.id
        UNION ALL
        SELECT r.instrument_id, r.n, r.started_at, r.id,
               CASE WHEN p.section_id IS NULL THEN 'piece' ELSE 'section' END,
               coalesce(p.section_id, p.piece_id), p.next_time
        FROM recent r JOIN session_pieces p ON p.session_id = r.id
    ), touched AS (
        SELECT instrument_id, kind, item_id, max(started_at) AS last_played
        FROM links WHERE n <= :recent GROUP BY instrument_id, kind, item_id
    ), notes AS (
        SELECT DISTINCT ON (kind, item_id) kind, item_id, next_time, started_at AS noted_at
        FROM links WHERE next_time IS NOT NULL
        ORDER BY kind, item_id, started_at DESC, session_id DESC
    )
    SELECT t.instrument_id, t.kind, t.item_id, n.next_time, n.noted_at
    FROM touched t LEFT JOIN notes n ON n.kind = t.kind AND n.item_id = t.item_id
    ORDER BY t.instrument_id, t.last_played DESC, t.kind, t.item_id
    """
)


def _item(known, note):
    """One card line: the item, its latest note and its tempo figures."""
    item = known.item
    return {
        "kind": item.kind,
        "id": item.id,
        "title": item.title,
        "next_time": note.next_time,
        "noted_at": note.noted_at,
        "last_clean_bpm": known.tempo.last_clean_bpm,
        "target_bpm": item.target_bpm,
        "suggested_bpm": known.tempo.suggested_bpm,
    }


def left_off(user_id, now, guidance):
    """The left-off cards as plain data; guidance maps (kind, id) to states.ItemGuidance."""
    params = {"user_id": user_id, "since": now - timedelta(days=WINDOW_DAYS)}
    sessions = db.session.execute(LAST_SESSIONS, params).all()
    if not sessions:
        return []
    touched = db.session.execute(TOUCHED_ITEMS, {**params, "recent": RECENT_SESSIONS}).all()
    items = {}
    for row in touched:
        known = guidance.get((row.kind, row.item_id))
        lines = items.setdefault(row.instrument_id, [])
        if known is not None and len(lines) < MAX_CARD_ITEMS:
            lines.append(_item(known, row))
    cards = []
    for session in sorted(sessions, key=lambda s: (s.started_at, s.id), reverse=True):
        instrument = None
        if session.instrument_id is not None:
            instrument = {"id": session.instrument_id, "name": session.instrument_name}
        cards.append(
            {
                "instrument": instrument,
                "last_session": {
                    "id": session.id,
                    "started_at": session.started_at,
                    "duration_minutes": session.duration_minutes,
                    "notes": session.notes,
                },
                "items": items.get(session.instrument_id, []),
            }
        )
    return cards
