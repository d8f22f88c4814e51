"""The practice log: instruments, focus areas and practice sessions."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy import Column
from sqlalchemy import DateTime
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import foreign
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link

MAX_SESSION_MINUTES = 24 * 60


class Instrument(OwnedMixin, Base):
    """An instrument the user plays."""

    __tablename__ = "instruments"
    __owned_constraints__ = (UniqueConstraint("user_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))

    def __str__(self):
        return self.name


class FocusArea(OwnedMixin, Base):
    """The user's own tag for what a session worked on (technique, scales, a piece, ...)."""

    __tablename__ = "focus_areas"
    __owned_constraints__ = (UniqueConstraint("user_id", "name"),)

    name: Mapped[str] = mapped_column(String(80))

    def __str__(self):
        return self.name


session_focus_areas = Table(
    "session_focus_areas",
    Base.metadata,
    Column("session_id", Integer, primary_key=True),
    Column("focus_area_id", Integer, primary_key=True, index=True),
    Column("user_id", Integer, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    owned_link("session_id", "practice_sessions"),
    owned_link("focus_area_id", "focus_areas"),
    ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
)


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
        Index("ix_practice_sessions_user_id_started_at", "user_id", "started_at"),
    )

    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    mood_rating: Mapped[int | None] = mapped_column(SmallInteger)
    quality_rating: Mapped[int | None] = mapped_column(SmallInteger)
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)

    instrument = relationship(
        "Instrument",
        primaryjoin=lambda: and_(
            foreign(PracticeSession.instrument_id) == Instrument.id,
            PracticeSession.user_id == Instrument.user_id,
        ),
    )
    focus_areas = relationship(
        "FocusArea",
        secondary=session_focus_areas,
        primaryjoin=lambda: and_(
            PracticeSession.id == session_focus_areas.c.session_id,
            PracticeSession.user_id == session_focus_areas.c.user_id,
        ),
        secondaryjoin=lambda: and_(
            FocusArea.id == session_focus_areas.c.focus_area_id,
            FocusArea.user_id == session_focus_areas.c.user_id,
        ),
        order_by=lambda: FocusArea.name,
        backref="sessions",
    )

    def __str__(self):
        when = self.started_at.strftime("%Y-%m-%d %H:%M") if self.started_at else "new"
        return f"{when} · {self.duration_minutes or 0} min"
