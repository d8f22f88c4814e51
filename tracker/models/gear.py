"""Gear: equipment and its maintenance log."""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy import Date
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from tracker.models.base import Base
from tracker.models.base import OwnedMixin
from tracker.models.base import owned_link
from tracker.models.base import owned_many_to_one
from tracker.models.base import owned_one_to_many
from tracker.models.choices import EQUIPMENT_KINDS
from tracker.models.choices import MAINTENANCE_KINDS
from tracker.models.choices import label_of
from tracker.models.choices import values_check
from tracker.phrases import date_text


class Equipment(OwnedMixin, Base):
    """An instrument, amp, bow or other piece of gear."""

    __tablename__ = "equipment"
    __owned_constraints__ = (
        CheckConstraint(values_check("kind", EQUIPMENT_KINDS), name="kind_known"),
        owned_link("instrument_id", "instruments", ondelete="SET NULL (instrument_id)"),
    )

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="instrument", server_default="instrument")
    instrument_id: Mapped[int | None] = mapped_column(Integer, index=True)
    purchase_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)

    instrument = owned_many_to_one("Equipment", "Instrument", "instrument_id")
    maintenance_logs = owned_one_to_many(
        "Equipment",
        "MaintenanceLog",
        "equipment_id",
        back_populates="equipment",
        cascade="all, delete-orphan",
        order_by="MaintenanceLog.performed_on.desc()",
    )

    def __str__(self):
        return self.name


class MaintenanceLog(OwnedMixin, Base):
    """Something done to a piece of gear: new strings, a setup, a repair."""

    __tablename__ = "maintenance_logs"
    __owned_constraints__ = (
        CheckConstraint(values_check("kind", MAINTENANCE_KINDS), name="kind_known"),
        CheckConstraint("cost >= 0", name="cost_positive"),
        owned_link("equipment_id", "equipment"),
    )

    equipment_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    performed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))

    equipment = owned_many_to_one(
        "MaintenanceLog", "Equipment", "equipment_id", back_populates="maintenance_logs"
    )

    def __str__(self):
        kind = label_of(MAINTENANCE_KINDS, self.kind) or "Maintenance"
        return f"{kind}, {date_text(self.performed_on)}" if self.performed_on else kind
