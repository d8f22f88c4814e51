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

# Each instrument's (and the no-instrument card's) last RECENT_SESSIONS sessions in the
# window: a short backward index scan per instrument, so the cost does not grow with the log.
SESSION_COLUMNS = "ps.id, ps.instrument_id, ps.started_at, ps.duration_minutes, ps.notes"
LAST_SESSIONS = text(
    f"""
    SELECT s.*, i.name AS instrument_name
    FROM instruments i
    CROSS JOIN LATERAL (
        SELECT {SESSION_COLUMNS} FROM practice_sessions ps
        WHERE ps.user_id = :user_id AND ps.instrument_id = i.id AND ps.started_at >= :since
        ORDER BY ps.started_at DESC, ps.id DESC LIMIT :recent
    ) s
    WHERE i.user_id = :user_id
    UNION ALL
    (SELECT {SESSION_COLUMNS}, NULL FROM practice_sessions ps
     WHERE ps.user_id = :user_id AND ps.instrument_id IS NULL AND ps.started_at >= :since
     ORDER BY ps.started_at DESC, ps.id DESC LIMIT :recent)
    """
)
# The items those sessions played, the most recently played first per instrument.
TOUCHED_ITEMS = text(
    """
    WITH links AS (
        SELECT g.session_id, 'goal' AS kind, g.goal_id AS item_id
        FROM session_goals g
        WHERE g.user_id = :user_id AND g.session_id = ANY(:session_ids)
        UNION ALL
        SELECT p.session_id, CASE WHEN p.section_id IS NULL THEN 'piece' ELSE 'section' END,
               coalesce(p.section_id, p.piece_id)
        FROM session_pieces p
        WHERE p.user_id = :user_id AND p.session_id = ANY(:session_ids)
    )
    SELECT s.instrument_id, l.kind, l.item_id, max(s.started_at) AS last_played
    FROM links l JOIN practice_sessions s ON s.id = l.session_id
    GROUP BY s.instrument_id, l.kind, l.item_id
    ORDER BY s.instrument_id, last_played DESC, l.kind, l.item_id
    """
)


def _item(known, since):
    """One card line: the item, its latest note if left since the window began, its tempo."""
    item = known.item
    note = known.note if known.note is not None and known.note.noted_at >= since else None
    return {
        "kind": item.kind,
        "id": item.id,
        "title": item.title,
        "next_time": note.text if note else None,
        "noted_at": note.noted_at if note else None,
        "last_clean_bpm": known.tempo.last_clean_bpm,
        "target_bpm": item.target_bpm,
        "suggested_bpm": known.tempo.suggested_bpm,
    }


def left_off(user_id, day_start, guidance):
    """The left-off cards on the local day starting at day_start (an aware datetime).

    guidance maps (kind, id) to states.ItemGuidance. The window starts at the same local
    midnight WINDOW_DAYS days earlier, so a whole day's cards agree.
    """
    since = day_start - timedelta(days=WINDOW_DAYS)
    params = {"user_id": user_id, "since": since, "recent": RECENT_SESSIONS}
    recent = db.session.execute(LAST_SESSIONS, params).all()
    if not recent:
        return []
    session_ids = [session.id for session in recent]
    touched = db.session.execute(
        TOUCHED_ITEMS, {"user_id": user_id, "session_ids": session_ids}
    ).all()
    items = {}
    for row in touched:
        known = guidance.get((row.kind, row.item_id))
        lines = items.setdefault(row.instrument_id, [])
        if known is not None and len(lines) < MAX_CARD_ITEMS:
            lines.append(_item(known, since))
    cards = []
    last_sessions = {}  # instrument_id -> its latest session, the most recent card first
    for session in sorted(recent, key=lambda s: (s.started_at, s.id), reverse=True):
        last_sessions.setdefault(session.instrument_id, session)
    for session in last_sessions.values():
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
