"""/api/v1/pieces and /api/v1/pieces/<piece_id>/sections: the repertoire and its parts."""

import marshmallow as ma

from tracker.api.base import ApiBlueprint
from tracker.api.base import OwnedId
from tracker.api.fields import Day
from tracker.api.fields import choice
from tracker.api.fields import long_text
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.api.tempo import TempoTargetSchema
from tracker.api.tempo import tempo_in_order
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models.choices import PIECE_STATUSES
from tracker.models.choices import SECTION_STATUSES

MAX_POSITION = 1_000_000


class PieceSchema(ma.Schema):
    """A piece you are learning, polishing or keeping performance-ready."""

    id = ma.fields.Integer(dump_only=True)
    title = short_text(
        200,
        required=True,
        message="Give the piece a title (at most 200 characters).",
        metadata={"example": "Nocturne Op. 9 No. 2"},
    )
    composer = short_text(120, metadata={"example": "Frédéric Chopin"})
    instrument_id = OwnedId(Instrument)
    difficulty = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(min=1, max=5, error="From 1 (easy) to 5 (hard)."),
        metadata={"example": 3},
    )
    status = choice(PIECE_STATUSES, metadata={"example": "learning"})
    date_started = Day(allow_none=True, metadata={"example": "2026-09-01"})
    notes = long_text(metadata={"example": "Left hand alone first."})


class PieceSectionSchema(TempoTargetSchema):
    """A part of a piece (intro, verse, bars 1–16) with its own status."""

    id = ma.fields.Integer(dump_only=True)
    piece_id = ma.fields.Integer(dump_only=True)
    section_name = short_text(
        120,
        required=True,
        message="Name the section (at most 120 characters).",
        metadata={"example": "Bars 1–16"},
    )
    status = choice(SECTION_STATUSES, metadata={"example": "learning"})
    notes = long_text(metadata={"example": "Watch the fingering in bar 12."})
    position = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=MAX_POSITION, error="0 or more."),
        metadata={"example": 1, "description": "Sections are listed by position, then by id."},
    )


blp = ApiBlueprint(
    "pieces", __name__, "/pieces", description="Your repertoire: pieces and their sections."
)
owned_resource(blp, Piece, PieceSchema, order_by=(Piece.title, Piece.id))
owned_resource(
    blp,
    PieceSection,
    PieceSectionSchema,
    order_by=(PieceSection.position, PieceSection.id),
    parent=(Piece, "piece_id"),
    path="/<int:piece_id>/sections",
    check=tempo_in_order,
)
BLUEPRINTS = [blp]
