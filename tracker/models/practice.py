"""The practice log: instruments, focus areas and practice sessions."""

import uuid
from datetime import date
from datetime import datetime

from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import FetchedValue
from sqlalchemy import ForeignKey
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import Uuid
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship
from sqlalchemy.orm import validates

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import TimestampMixin
from tracker.models.base import owned_link
from tracker.models.base import owned_link_table
from tracker.models.base import owned_many_to_many
from tracker.models.base import owned_many_to_one
from tracker.models.base import owned_one_to_many
from tracker.models.base import search_column
from tracker.models.base import search_index
from tracker.phrases import duration_text
from tracker.phrases import link_label
from tracker.phrases import local_date_time_text

MAX_SESSION_MINUTES = 24 * 60
# Tempos are beats per minute as a metronome shows them. 10 is below the slowest mark of
# any metronome (slower practice counts a subdivision instead); 400 is above the fastest.
MIN_BPM = 10
MAX_BPM = 400
# A line to pick up from ("bars 9–12: LH shift late, start at 80"); the session has notes.
MAX_NEXT_TIME = 200


def bpm_check(column):
    """A CHECK keeping column a tempo from MIN_BPM to MAX_BPM (NULL: none given)."""
    return CheckConstraint(f"{column} BETWEEN {MIN_BPM} AND {MAX_BPM}", name=f"{column}_range")


def tempo_target_checks():
    """The CHECKs of a target tempo and its optional start (new objects for each table)."""
    return (
        bpm_check("target_bpm"),
        bpm_check("start_bpm"),
        CheckConstraint("start_bpm <= target_bpm", name="start_bpm_not_above_target"),
    )


def item_result_checks():
    """The CHECKs of how a session's item went (new objects for each link table)."""
    return (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"), bpm_check("tempo_bpm"))


def effective_rating(rating, quality_rating):
    """How an item went: its own rating, else the rating of the session as a whole."""
    return rating if rating is not None else quality_rating


class TempoTargetMixin:
    """The tempo an item (a goal, a piece section) is heading for, and where it started."""

    target_bpm: Mapped[int | None] = mapped_column(SmallInteger)
    start_bpm: Mapped[int | None] = mapped_column(SmallInteger)


class ItemResultMixin:
    """How one item of a session went: a rating, the tempo played, clean or not, a note.

    `rating` holds only the musician's own rating of the item. An item left unrated counts
    as the session's quality rating, read through `effective_rating` (in Python and in SQL)
    rather than copied: a later change of the session's quality then carries over to the
    items never rated on their own, and an explicit rating is never confused with the
    default.
    """

    rating: Mapped[int | None] = mapped_column(SmallInteger)
    tempo_bpm: Mapped[int | None] = mapped_column(SmallInteger)
    # Played cleanly at tempo_bpm: true, false, or NULL when nobody said.
    clean: Mapped[bool | None] = mapped_column(Boolean)
    next_time: Mapped[str | None] = mapped_column(String(MAX_NEXT_TIME))
    search_vector = search_column(None, "next_time")

    @validates("next_time")
    def _blank_note_is_none(self, key, note):
        """A note of spaces only is no note."""
        note = note.strip() if isinstance(note, str) else note
        return note or None

    @hybrid_property
    def effective_rating(self):
        """The item's own rating, else its session's quality rating."""
        quality = self.session.quality_rating if self.session is not None else None
        return effective_rating(self.rating, quality)

    @effective_rating.inplace.expression
    @classmethod
    def _effective_rating_expression(cls):
        """The same in SQL: coalesce(rating, the session's quality_rating)."""
        quality = (
            select(PracticeSession.quality_rating)
            .where(PracticeSession.id == cls.session_id)
            .scalar_subquery()
        )
        return func.coalesce(cls.rating, quality)


class Instrument(OwnedMixin, Base):
    """An instrument the user plays."""

    __tablename__ = "instruments"
    __owned_constraints__ = (UniqueConstraint("user_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))
    search_vector = search_column("name")

    def __str__(self):
        return self.name


class FocusArea(OwnedMixin, Base):
    """The user's own tag for what a session worked on (technique, scales, a piece, ...)."""

    __tablename__ = "focus_areas"
    __owned_constraints__ = (UniqueConstraint("user_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))
    search_vector = search_column("name")

    def __str__(self):
        return self.name


# Migration 0005 gives the session link tables functional-dependency statistics
# (target id -> user_id), which the planner needs to estimate "sessions with this tag".
session_focus_areas = owned_link_table(
    "session_focus_areas", "session_id", "practice_sessions", "focus_area_id", "focus_areas"
)
session_equipment = owned_link_table(
    "session_equipment", "session_id", "practice_sessions", "equipment_id", "equipment"
)
LINK_MINUTES_CHECK = f"minutes > 0 AND minutes <= {MAX_SESSION_MINUTES}"


class PracticeSession(OwnedMixin, Base):
    """One sitting of practice: when, how long, on what, and how it went."""

    __tablename__ = "practice_sessions"
    __owned_constraints__ = (
        CheckConstraint(
            f"duration_minutes > 0 AND duration_minutes <= {MAX_SESSION_MINUTES}",
            name="duration_range",
        ),
        CheckConstraint("mood_rating BETWEEN 1 AND 5", name="mood_range"),
        CheckConstraint("quality_rating BETWEEN 1 AND 5", name="quality_range"),
        # Deleting an instrument keeps its sessions: only instrument_id is cleared.
        owned_link("instrument_id", "instruments", ondelete="SET NULL (instrument_id)"),
        # One session per client-chosen id (NULLs, the usual case, never clash).
        UniqueConstraint("user_id", "client_uuid"),
        # duration_minutes rides along so sums over a user's sessions are index-only scans.
        Index(
            "ix_practice_sessions_user_id_started_at",
            "user_id",
            "started_at",
            # id too: "sessions in this range that have this tag" reads the index alone.
            postgresql_include=["duration_minutes", "id"],
        ),
        # Each instrument's last sessions (the left-off cards), without the rest of the log.
        Index(
            "ix_practice_sessions_user_id_instrument_id_started_at",
            "user_id",
            "instrument_id",
            "started_at",
            "id",
        ),
    )

    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    search_vector = search_column(None, "notes")
    mood_rating: Mapped[int | None] = mapped_column(SmallInteger)
    quality_rating: Mapped[int | None] = mapped_column(SmallInteger)
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set by clients that may send the same session twice (an offline queue replaying):
    # unique per user, so the second copy finds the first instead of logging it again.
    client_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    instrument = owned_many_to_one("PracticeSession", "Instrument", "instrument_id")
    focus_areas = owned_many_to_many(
        "PracticeSession",
        "FocusArea",
        session_focus_areas,
        order_by=lambda: FocusArea.name,
        backref="sessions",
    )
    equipment = owned_many_to_many(
        "PracticeSession", "Equipment", session_equipment, backref="sessions"
    )
    goal_links = owned_one_to_many(
        "PracticeSession",
        "SessionGoal",
        "session_id",
        back_populates="session",
        cascade="all, delete-orphan",
    )
    piece_links = owned_one_to_many(
        "PracticeSession",
        "SessionPiece",
        "session_id",
        back_populates="session",
        cascade="all, delete-orphan",
    )
    # Read-only shortcuts through the link rows, for lists, filters and exports.
    goals = relationship(
        "Goal",
        secondary="session_goals",
        viewonly=True,
        order_by="Goal.name",
        primaryjoin="PracticeSession.id == SessionGoal.session_id",
        secondaryjoin="Goal.id == SessionGoal.goal_id",
    )
    pieces = relationship(
        "Piece",
        secondary="session_pieces",
        viewonly=True,
        order_by="Piece.title",
        primaryjoin="PracticeSession.id == SessionPiece.session_id",
        secondaryjoin="Piece.id == SessionPiece.piece_id",
    )

    def __str__(self):
        # The signed-in user's zone: dropdowns list their own sessions only.
        when = local_date_time_text(self.started_at) if self.started_at else "New session"
        return f"{when} · {duration_text(self.duration_minutes or 0)}"


class SessionGoal(ItemResultMixin, OwnedMixin, Base):
    """A goal a session worked on, optionally with the minutes spent on it and how it went."""

    __tablename__ = "session_goals"
    __owned_constraints__ = (
        UniqueConstraint("session_id", "goal_id"),
        CheckConstraint(LINK_MINUTES_CHECK, name="minutes_range"),
        *item_result_checks(),
        owned_link("session_id", "practice_sessions"),
        owned_link("goal_id", "goals"),
        # A goal's minutes are an index-only sum over its links.
        Index(
            "ix_session_goals_goal_id_minutes",
            "goal_id",
            postgresql_include=["user_id", "counted_minutes"],
        ),
    )

    session_id: Mapped[int] = mapped_column(Integer, index=True)
    goal_id: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int | None] = mapped_column(Integer)
    # What the link adds to the goal: its own minutes, else the whole session's. Database
    # triggers keep it (migration 0007), also when the session's duration changes.
    counted_minutes: Mapped[int] = mapped_column(
        Integer, server_default="0", server_onupdate=FetchedValue()
    )

    session = owned_many_to_one(
        "SessionGoal", "PracticeSession", "session_id", back_populates="goal_links"
    )
    goal = owned_many_to_one("SessionGoal", "Goal", "goal_id", lazy="joined")

    def __str__(self):
        return link_label(self.goal, self.minutes)


class SessionPiece(ItemResultMixin, OwnedMixin, Base):
    """A piece (optionally one of its sections) a session worked on, and how it went."""

    __tablename__ = "session_pieces"
    __owned_constraints__ = (
        CheckConstraint(LINK_MINUTES_CHECK, name="minutes_range"),
        *item_result_checks(),
        owned_link("session_id", "practice_sessions"),
        owned_link("piece_id", "pieces"),
        # The section must be one of this piece's sections (and the same user's).
        ForeignKeyConstraint(
            ["section_id", "piece_id", "user_id"],
            ["piece_sections.id", "piece_sections.piece_id", "piece_sections.user_id"],
            ondelete="SET NULL (section_id)",
        ),
    )

    session_id: Mapped[int] = mapped_column(Integer, index=True)
    piece_id: Mapped[int] = mapped_column(Integer, index=True)
    section_id: Mapped[int | None] = mapped_column(Integer, index=True)
    minutes: Mapped[int | None] = mapped_column(Integer)

    session = owned_many_to_one(
        "SessionPiece", "PracticeSession", "session_id", back_populates="piece_links"
    )
    # Joined: a link's label names its piece and section.
    piece = owned_many_to_one("SessionPiece", "Piece", "piece_id", lazy="joined")
    section = owned_many_to_one("SessionPiece", "PieceSection", "section_id", lazy="joined")

    def __str__(self):
        return link_label(self.section or self.piece, self.minutes)


class PracticeDay(TimestampMixin, Base):
    """Minutes and sessions per local calendar day of a user, kept by database triggers.

    Streaks, period totals and day-by-day charts read these few thousand rows instead of
    every session. Triggers on practice_sessions keep them exact on every write (raw SQL
    included), and a change of the user's time zone rebuilds them (migration 0006).
    """

    __tablename__ = "practice_days"
    # Totals over a user's days are index-only scans.
    __table_args__ = (
        Index(
            "ix_practice_days_user_id_day_totals",
            "user_id",
            "day",
            postgresql_include=["minutes", "sessions"],
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def __str__(self):
        return f"{self.day}: {self.minutes} min"

    def __repr__(self):
        return f"<PracticeDay {self.user_id} {self.day} {self.minutes}>"


class PracticeRun(TimestampMixin, Base):
    """A run of consecutive local days with practice, kept by database triggers.

    Streaks read these few hundred rows instead of every day. Triggers on practice_days
    extend, join, shorten and split runs as days appear and disappear (migration 0008).
    """

    __tablename__ = "practice_runs"
    __table_args__ = (
        UniqueConstraint("user_id", "last_day"),
        CheckConstraint("last_day >= first_day", name="ordered"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    first_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_day: Mapped[date] = mapped_column(Date)

    def __str__(self):
        return f"{self.first_day} to {self.last_day}"


class PracticeDayItem(TimestampMixin, Base):
    """Minutes per local day of a user for one focus area or piece, kept by database triggers.

    The most practised focus areas and pieces of a period add up these rows (a few per day)
    instead of every session of the period with its links, so the dashboard's month costs
    the same at 300 sessions or 500,000. A focus area's row counts the whole minutes of
    each session naming it; a piece's counts, per session, the link minutes given, else the
    whole session. Triggers on sessions, their focus area and piece links and the user's
    time zone rebuild the days a write touches (migration 0021).
    """

    __tablename__ = "practice_day_items"
    __table_args__ = (CheckConstraint("kind IN ('focus_area', 'piece')", name="kind"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # A focus area's or a piece's id, by kind (no foreign key: its links' triggers drop it).
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)

    def __str__(self):
        return f"{self.day}: {self.kind} {self.item_id}, {self.minutes} min"

    def __repr__(self):
        return f"<PracticeDayItem {self.user_id} {self.day} {self.kind} {self.item_id}>"


for _model in (Instrument, FocusArea, PracticeSession, SessionGoal, SessionPiece):
    search_index(_model)
