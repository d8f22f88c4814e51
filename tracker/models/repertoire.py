"""Repertoire: pieces, their sections, and files attached to them."""

from datetime import date

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import Integer
from sqlalchemy import SmallInteger
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link
from tracker.models.base import owned_many_to_one
from tracker.models.base import owned_one_to_many
from tracker.models.base import search_column
from tracker.models.base import search_index
from tracker.models.choices import PIECE_STATUSES
from tracker.models.choices import SECTION_STATUSES
from tracker.models.choices import values_check
from tracker.models.practice import TempoTargetMixin
from tracker.models.practice import tempo_target_checks
from tracker.phrases import section_label


class Piece(OwnedMixin, Base):
    """A piece of music being learnt, polished or kept performance-ready."""

    __tablename__ = "pieces"
    __owned_constraints__ = (
        CheckConstraint(values_check("status", PIECE_STATUSES), name="status_known"),
        CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty_range"),
        owned_link("instrument_id", "instruments", ondelete="SET NULL (instrument_id)"),
    )

    title: Mapped[str] = mapped_column(String(200))
    composer: Mapped[str | None] = mapped_column(String(120))
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    difficulty: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(20), default="learning", server_default="learning")
    date_started: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    search_vector = search_column("title", "composer", "notes")

    instrument = owned_many_to_one("Piece", "Instrument", "instrument_id")
    sections = owned_one_to_many(
        "Piece",
        "PieceSection",
        "piece_id",
        back_populates="piece",
        cascade="all, delete-orphan",
        order_by="(PieceSection.position, PieceSection.id)",
    )
    attachments = owned_one_to_many(
        "Piece",
        "Attachment",
        "piece_id",
        back_populates="piece",
        cascade="all, delete-orphan",
        order_by="Attachment.created_at",
    )

    def __str__(self):
        return f"{self.title} ({self.composer})" if self.composer else self.title


class PieceSection(TempoTargetMixin, OwnedMixin, Base):
    """A part of a piece (intro, verse, bars 1–16) with its own status."""

    __tablename__ = "piece_sections"
    __owned_constraints__ = (
        CheckConstraint(values_check("status", SECTION_STATUSES), name="status_known"),
        UniqueConstraint("id", "piece_id", "user_id"),
        *tempo_target_checks(),
        owned_link("piece_id", "pieces"),
    )

    piece_id: Mapped[int] = mapped_column(Integer, index=True)
    section_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(
        String(20), default="not_started", server_default="not_started"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    search_vector = search_column("section_name", "notes")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Joined: a section's label names its piece, and selects list many sections.
    piece = owned_many_to_one(
        "PieceSection", "Piece", "piece_id", back_populates="sections", lazy="joined"
    )

    def __str__(self):
        return section_label(self.piece.title if self.piece else None, self.section_name)


class Attachment(OwnedMixin, Base):
    """A file kept with a piece or an explanation: sheet music, a PDF, an image or a recording."""

    __tablename__ = "attachments"
    __owned_constraints__ = (
        CheckConstraint("size_bytes >= 0", name="size_positive"),
        CheckConstraint("piece_id IS NOT NULL OR resource_id IS NOT NULL", name="has_owner_row"),
        owned_link("piece_id", "pieces"),
        owned_link("resource_id", "resources"),
    )

    piece_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set for a file kept with an explanation (Resource.attachments writes it).
    resource_id: Mapped[int | None] = mapped_column(Integer, index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)

    piece = owned_many_to_one("Attachment", "Piece", "piece_id", back_populates="attachments")

    def __str__(self):
        return self.original_name


search_index(Piece)
search_index(PieceSection)
