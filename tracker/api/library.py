"""/api/v1/resources: the explanations the musician keeps, linked to what they explain."""

import marshmallow as ma
from sqlalchemy.orm import selectinload

from tracker.api.base import ApiBlueprint
from tracker.api.base import OwnedRows
from tracker.api.fields import choice
from tracker.api.fields import long_text
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import Resource
from tracker.models.choices import RESOURCE_KINDS
from tracker.models.resources import MAX_URL_LENGTH
from tracker.models.resources import url_refusal


def web_address(value):
    """Refuse anything but an http:// or https:// address (a javascript: one above all)."""
    refusal = url_refusal(value)
    if refusal:
        raise ma.ValidationError(refusal)


class ResourceSchema(ma.Schema):
    """An explanation kept for later: a video, article, book page, sheet or your own note."""

    id = ma.fields.Integer(dump_only=True)
    title = short_text(
        200,
        required=True,
        message="Give it a title (at most 200 characters).",
        metadata={"example": "How a barre works"},
    )
    kind = choice(
        RESOURCE_KINDS,
        metadata={
            "example": "note",
            "description": "video, article, book (a book page), sheet or note (your own).",
        },
    )
    url = short_text(
        MAX_URL_LENGTH,
        metadata={"example": "https://example.com/barre-chords", "description": "http(s) only."},
    )
    notes = long_text(
        metadata={"example": "Thumb behind the neck, roll the index finger onto its side."}
    )
    focus_area_ids = OwnedRows(FocusArea, attribute="focus_areas")
    goal_ids = OwnedRows(Goal, attribute="goals")
    piece_ids = OwnedRows(Piece, attribute="pieces")
    section_ids = OwnedRows(PieceSection, attribute="sections")

    @ma.validates("url")
    def _web_address(self, value, **kwargs):
        """Only web addresses become links."""
        web_address(value)


blp = ApiBlueprint(
    "resources",
    __name__,
    "/resources",
    description="Your explanations: videos, articles, book pages, sheets and your own notes.",
)
owned_resource(
    blp,
    Resource,
    ResourceSchema,
    order_by=(Resource.title, Resource.id),
    options=(
        selectinload(Resource.focus_areas),
        selectinload(Resource.goals),
        selectinload(Resource.pieces),
        selectinload(Resource.sections),
    ),
)
BLUEPRINTS = [blp]
