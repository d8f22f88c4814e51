"""Tempo targets of goals and piece sections: their fields, and a start never above its target."""

import marshmallow as ma
from flask_smorest import abort

from tracker.api.fields import tempo

START_ABOVE_TARGET = "The start tempo is above the target tempo."


class TempoTargetSchema(ma.Schema):
    """The tempo an item is heading for, and the optional tempo it started from."""

    target_bpm = tempo(
        metadata={"example": 120, "description": "The tempo you are heading for, in BPM."}
    )
    start_bpm = tempo(
        metadata={
            "example": 80,
            "description": "Optional: the tempo you started from (at most target_bpm).",
        }
    )


def tempo_in_order(row):
    """Refuse a row whose start tempo is above its target (a 422 on start_bpm).

    Checked on the row, not the request: a PATCH may send only one of the two.
    """
    if row.start_bpm is not None and row.target_bpm is not None and row.start_bpm > row.target_bpm:
        abort(422, errors={"json": {"start_bpm": [START_ABOVE_TARGET]}})
