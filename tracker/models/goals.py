"""Goals and techniques the musician works towards."""

from datetime import UTC
from datetime import date
from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import validates

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link
from tracker.models.base import owned_link_table
from tracker.models.base import owned_many_to_many
from tracker.models.base import owned_many_to_one
from tracker.models.base import search_column
from tracker.models.base import search_index
from tracker.models.choices import GOAL_STATUSES
from tracker.models.choices import GOAL_TYPES
from tracker.models.choices import PROGRESS_MEASURES
from tracker.models.choices import values_check
from tracker.models.practice import TempoTargetMixin
from tracker.models.practice import tempo_target_checks

goal_pieces = owned_link_table("goal_pieces", "goal_id", "goals", "piece_id", "pieces")
goal_sections = owned_link_table(
    "goal_sections", "goal_id", "goals", "section_id", "piece_sections"
)


class Goal(TempoTargetMixin, OwnedMixin, Base):
    """Something to reach: a piece, a technique, a scale, with a deadline and a priority."""

    __tablename__ = "goals"
    __owned_constraints__ = (
        CheckConstraint(values_check("goal_type", GOAL_TYPES), name="goal_type_known"),
        CheckConstraint(values_check("status", GOAL_STATUSES), name="status_known"),
        CheckConstraint("priority BETWEEN 1 AND 3", name="priority_range"),
        CheckConstraint("target_minutes > 0", name="target_minutes_positive"),
        CheckConstraint(
            values_check("progress_measure", PROGRESS_MEASURES), name="progress_measure_known"
        ),
        *tempo_target_checks(),
        owned_link("instrument_id", "instruments", ondelete="SET NULL (instrument_id)"),
    )

    name: Mapped[str] = mapped_column(String(200))
    goal_type: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    target_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(
        String(20), default="not_started", server_default="not_started"
    )
    priority: Mapped[int] = mapped_column(SmallInteger, default=2, server_default="2")
    notes: Mapped[str | None] = mapped_column(Text)
    search_vector = search_column("name", "notes")
    target_minutes: Mapped[int | None] = mapped_column(Integer)
    # What the progress bar shows: "sections", "minutes" or "tempo"; NULL, the first that applies.
    progress_measure: Mapped[str | None] = mapped_column(String(20))
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    instrument = owned_many_to_one("Goal", "Instrument", "instrument_id")
    pieces = owned_many_to_many("Goal", "Piece", goal_pieces)
    sections = owned_many_to_many("Goal", "PieceSection", goal_sections)

    @validates("status")
    def _track_completion(self, key, status):
        """Completing a goal stamps completed_at; reopening it clears the stamp."""
        if status == "completed" and self.completed_at is None:
            self.completed_at = datetime.now(UTC)
        elif status != "completed":
            self.completed_at = None
        return status

    def __str__(self):
        return self.name


search_index(Goal)
