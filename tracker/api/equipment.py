"""/api/v1/equipment and /api/v1/equipment/<equipment_id>/maintenance: gear and its care."""

import marshmallow as ma

from tracker.api.base import ApiBlueprint
from tracker.api.base import OwnedId
from tracker.api.fields import Day
from tracker.api.fields import Money
from tracker.api.fields import choice
from tracker.api.fields import long_text
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.models import Equipment
from tracker.models import Instrument
from tracker.models import MaintenanceLog
from tracker.models.choices import EQUIPMENT_KINDS
from tracker.models.choices import MAINTENANCE_KINDS


class EquipmentSchema(ma.Schema):
    """An instrument, amp, bow or other piece of gear."""

    id = ma.fields.Integer(dump_only=True)
    name = short_text(
        200,
        required=True,
        message="Name this gear (at most 200 characters).",
        metadata={"example": "Yamaha C40 classical guitar"},
    )
    kind = choice(EQUIPMENT_KINDS, metadata={"example": "instrument"})
    instrument_id = OwnedId(Instrument)
    purchase_date = Day(allow_none=True, metadata={"example": "2025-03-14"})
    notes = long_text(metadata={"example": "Action lowered at the last setup."})


class MaintenanceLogSchema(ma.Schema):
    """Something done to a piece of gear: new strings, a setup, a repair."""

    id = ma.fields.Integer(dump_only=True)
    equipment_id = ma.fields.Integer(dump_only=True)
    kind = choice(MAINTENANCE_KINDS, required=True, metadata={"example": "string_change"})
    performed_on = Day(required=True, metadata={"example": "2026-11-20"})
    cost = Money(allow_none=True, metadata={"example": 12.5})
    notes = long_text(metadata={"example": "D'Addario EJ45."})


blp = ApiBlueprint(
    "gear",
    __name__,
    "/equipment",
    description="Your gear: instruments, bows, amps, pedals, and what was done to them.",
)
owned_resource(
    blp,
    Equipment,
    EquipmentSchema,
    order_by=(Equipment.name, Equipment.id),
    singular="piece of gear",
    plural="gear",
)
owned_resource(
    blp,
    MaintenanceLog,
    MaintenanceLogSchema,
    order_by=(MaintenanceLog.performed_on.desc(), MaintenanceLog.id.desc()),
    parent=(Equipment, "equipment_id"),
    singular="maintenance entry",
    plural="maintenance entries",
    path="/<int:equipment_id>/maintenance",
)
BLUEPRINTS = [blp]
