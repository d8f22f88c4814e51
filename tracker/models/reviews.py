"""Review states: where each goal, piece and piece section stands in the practice schedule."""

from datetime import date
from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link

# The longest "every N days" a musician can set on an item: a year.
MAX_INTERVAL_DAYS = 365
# One column per kind of item; exactly one is set. The order is tracker.guidance.items.KINDS.
ITEM_COLUMNS = {"goal": "goal_id", "piece": "piece_id", "section": "section_id"}


class ReviewState(OwnedMixin, Base):
    """One item's review state: the user's own settings, and the schedule derived from its plays.

    A row exists for every goal, piece and section from the moment it is created (database
    triggers add it, migration 0012). Triggers also bump `version` whenever anything the
    schedule depends on changes: a session linked to the item is written or deleted, its day
    or rating changes, the item's status or target changes, the user's time zone changes.
    The derived columns are valid only while `computed_version` equals `version`; readers go
    through tracker.guidance.states, which recomputes the rows that are behind before using
    them, so no write path can leave a stale due date in front of the musician.
    """

    __tablename__ = "review_states"
    __owned_constraints__ = (
        CheckConstraint("num_nonnulls(goal_id, piece_id, section_id) = 1", name="one_item"),
        CheckConstraint(f"interval_days BETWEEN 1 AND {MAX_INTERVAL_DAYS}", name="interval_range"),
        CheckConstraint("phase IN ('learning', 'maintenance')", name="phase_known"),
        UniqueConstraint("goal_id", "user_id"),
        UniqueConstraint("piece_id", "user_id"),
        UniqueConstraint("section_id", "user_id"),
        owned_link("goal_id", "goals"),
        owned_link("piece_id", "pieces"),
        owned_link("section_id", "piece_sections"),
    )

    goal_id: Mapped[int | None] = mapped_column(Integer)
    piece_id: Mapped[int | None] = mapped_column(Integer)
    section_id: Mapped[int | None] = mapped_column(Integer)

    # What the musician set.
    interval_days: Mapped[int | None] = mapped_column(SmallInteger)  # "every N days"
    snoozed_until: Mapped[date | None] = mapped_column(Date)  # out of "Up next" before this day
    not_now_on: Mapped[date | None] = mapped_column(Date)  # lowered for this local day

    # Freshness: triggers bump version; a recompute stores the version it read.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    computed_version: Mapped[int | None] = mapped_column(Integer)

    # Derived from the item's whole history (tracker.guidance.schedule and .tempo).
    phase: Mapped[str | None] = mapped_column(String(12))
    due_on: Mapped[date | None] = mapped_column(Date)
    computed_interval_days: Mapped[int | None] = mapped_column(SmallInteger)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    review_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_rating: Mapped[int | None] = mapped_column(SmallInteger)
    good_days: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    card: Mapped[dict | None] = mapped_column(JSONB)
    last_clean_bpm: Mapped[int | None] = mapped_column(SmallInteger)
    suggested_bpm: Mapped[int | None] = mapped_column(SmallInteger)
    plateau_plays: Mapped[int | None] = mapped_column(SmallInteger)
    # The item's own latest "next time" note and when its session started (the left-off cards).
    last_note: Mapped[str | None] = mapped_column(Text)
    last_note_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # A goal's progress figures (tracker.figures.progress), valid while practised_version is
    # version: computed for every goal, open or not, apart from the schedule.
    practised_version: Mapped[int | None] = mapped_column(Integer)
    practised_minutes: Mapped[int | None] = mapped_column(Integer)
    practised_bpm: Mapped[int | None] = mapped_column(SmallInteger)

    @property
    def kind(self):
        """'goal', 'piece' or 'section': which of the three item columns is set."""
        return next(kind for kind, column in ITEM_COLUMNS.items() if getattr(self, column))

    @property
    def item_id(self):
        """The id of the goal, piece or section."""
        return getattr(self, ITEM_COLUMNS[self.kind])

    def __str__(self):
        return f"{self.kind} {self.item_id}"
