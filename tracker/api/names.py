"""/api/v1/instruments and /api/v1/focus-areas: the names the musician tags sessions with."""

import marshmallow as ma

from tracker.api.base import ApiBlueprint
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.models import FocusArea
from tracker.models import Instrument


class NameSchema(ma.Schema):
    """An instrument or focus area: its id and name."""

    id = ma.fields.Integer(dump_only=True)
    name = short_text(
        80, required=True, message="A name of 1 to 80 characters.", metadata={"example": "Cello"}
    )

    @ma.post_load
    def tidy(self, data, **kwargs):
        """Names are kept without surrounding spaces."""
        if "name" in data:
            data["name"] = " ".join(data["name"].split())
            if not data["name"]:
                raise ma.ValidationError("A name of 1 to 80 characters.", "name")
        return data


instruments = ApiBlueprint(
    "instruments", __name__, "/instruments", description="The instruments you play."
)
focus_areas = ApiBlueprint(
    "focus_areas", __name__, "/focus-areas", description="Your own tags for what you practise."
)
owned_resource(instruments, Instrument, NameSchema, order_by=(Instrument.name, Instrument.id))
owned_resource(focus_areas, FocusArea, NameSchema, order_by=(FocusArea.name, FocusArea.id))
BLUEPRINTS = [instruments, focus_areas]
