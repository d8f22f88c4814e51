"""The target tempo fields of goals and piece sections, in plain words and with their limits."""

from wtforms import validators

from tracker.admin.validators import NotAbove
from tracker.models.practice import MAX_BPM
from tracker.models.practice import MIN_BPM

TEMPO_COLUMNS = ["target_bpm", "start_bpm"]


def _tempo_validators(*extra):
    """Optional, MIN_BPM to MAX_BPM when given, then extra."""
    return [
        validators.Optional(),
        validators.NumberRange(
            min=MIN_BPM, max=MAX_BPM, message=f"A tempo from {MIN_BPM} to {MAX_BPM} BPM."
        ),
        *extra,
    ]


NUMBER_KW = {"min": MIN_BPM, "max": MAX_BPM, "inputmode": "numeric"}
TEMPO_ARGS = {
    "target_bpm": {
        "label": "Target tempo (BPM)",
        "validators": _tempo_validators(),
        "render_kw": NUMBER_KW,
    },
    "start_bpm": {
        "label": "Start tempo (BPM), optional",
        "validators": _tempo_validators(
            NotAbove("target_bpm", "The start tempo is above the target tempo.")
        ),
        "render_kw": NUMBER_KW,
    },
}
