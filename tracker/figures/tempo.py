"""The last clean tempo of pieces and their sections against their targets, for a page of pieces.

A section's last clean tempo is the tempo of its latest play marked clean; a piece without
sections has its own. A piece split into sections shows its sections only, as the schedule
does (tracker/guidance/items.py).
"""

from dataclasses import dataclass

from sqlalchemy import text

from tracker.extensions import db
from tracker.phrases import tempo_of_target_text

# One statement for the whole page: every section of the pieces (or the piece itself when it
# has none) with its latest clean tempo, in the sections' own order.
LAST_CLEAN_TEMPOS = text(
    """
    WITH clean AS (
        SELECT DISTINCT ON (sp.piece_id, sp.section_id)
               sp.piece_id, sp.section_id, sp.tempo_bpm
        FROM session_pieces sp
        JOIN practice_sessions s ON s.id = sp.session_id
        WHERE sp.user_id = :user_id AND sp.piece_id = ANY(:piece_ids)
          AND sp.clean AND sp.tempo_bpm IS NOT NULL
        ORDER BY sp.piece_id, sp.section_id, s.started_at DESC, s.id DESC, sp.id DESC
    )
    SELECT p.id AS piece_id, ps.id AS section_id, ps.section_name, ps.target_bpm,
           c.tempo_bpm AS last_clean_bpm
    FROM pieces p
    LEFT JOIN piece_sections ps ON ps.piece_id = p.id AND ps.user_id = p.user_id
    LEFT JOIN clean c ON c.piece_id = p.id AND c.section_id IS NOT DISTINCT FROM ps.id
    WHERE p.user_id = :user_id AND p.id = ANY(:piece_ids)
    ORDER BY p.id, ps.position, ps.id
    """
)


@dataclass(frozen=True)
class TempoLine:
    """One section's (or a piece's own) last clean tempo and target."""

    section_id: int | None  # None: the piece itself, which has no sections
    name: str | None
    last_clean_bpm: int | None
    target_bpm: int | None

    @property
    def text(self):
        """'96 / 120 BPM (80 %)', '96 BPM' without a target, '' with no clean tempo yet."""
        return tempo_of_target_text(self.last_clean_bpm, self.target_bpm)


def pieces_tempo(user_id, pieces):
    """piece id -> [TempoLine, ...]: its sections in order, or the piece's own line."""
    ids = [piece.id for piece in pieces]
    if not ids:
        return {}
    found = {piece_id: [] for piece_id in ids}
    rows = db.session.execute(LAST_CLEAN_TEMPOS, {"user_id": user_id, "piece_ids": ids})
    for row in rows:
        found[row.piece_id].append(
            TempoLine(row.section_id, row.section_name, row.last_clean_bpm, row.target_bpm)
        )
    return found
