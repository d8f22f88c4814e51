"""/api/v1/goals: what the musician works towards, with its progress."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy.orm import selectinload

from tracker.api.base import ApiBlueprint
from tracker.api.base import OwnedId
from tracker.api.base import OwnedRows
from tracker.api.base import PageArgs
from tracker.api.fields import Day
from tracker.api.fields import JsonBoolean
from tracker.api.fields import Named
from tracker.api.fields import choice
from tracker.api.fields import long_text
from tracker.api.fields import short_text
from tracker.api.resources import owned_resource
from tracker.api.tempo import TempoTargetSchema
from tracker.api.tempo import tempo_in_order
from tracker.extensions import db
from tracker.figures.progress import goal_progress
from tracker.figures.progress import measure_refusal
from tracker.figures.progress import names_sections
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models.choices import GOAL_STATUSES
from tracker.models.choices import GOAL_TYPES
from tracker.models.choices import PRIORITIES
from tracker.models.choices import PROGRESS_MEASURES

# "high", "medium", "low" in JSON; 3, 2, 1 in the database.
PRIORITY_NAMES = {value: label.lower() for value, label in PRIORITIES}
MAX_TARGET_MINUTES = 1_000_000


class GoalSchema(TempoTargetSchema):
    """A goal: a piece, technique or scale to reach, with a deadline, priority and progress."""

    id = ma.fields.Integer(dump_only=True)
    name = short_text(
        200,
        required=True,
        message="Name the goal (at most 200 characters).",
        metadata={"example": "Learn Chopin Nocturne Op. 9 No. 2"},
    )
    goal_type = choice(GOAL_TYPES, metadata={"example": "piece"})
    instrument_id = OwnedId(Instrument)
    target_date = Day(allow_none=True, metadata={"example": "2027-06-30"})
    status = choice(
        GOAL_STATUSES,
        metadata={
            "example": "in_progress",
            "description": "Setting it to completed stamps completed_at; reopening clears it.",
        },
    )
    priority = Named(PRIORITY_NAMES, metadata={"example": "high"})
    target_minutes = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.Range(
            min=1, max=MAX_TARGET_MINUTES, error="Enter a positive number of minutes."
        ),
        metadata={
            "example": 600,
            "description": "The minutes practised on it count towards this target.",
        },
    )
    progress_measure = choice(
        PROGRESS_MEASURES,
        allow_none=True,
        metadata={
            "example": "minutes",
            "description": (
                "What progress follows: sections (needs linked sections), minutes (needs "
                "target_minutes) or tempo (needs target_bpm); null, the first that applies, "
                "in that order, else the status."
            ),
        },
    )
    notes = long_text(metadata={"example": "Slow practice first."})
    archived = JsonBoolean(
        metadata={"description": "Archived goals are left out of the list unless asked for."}
    )
    completed_at = ma.fields.AwareDateTime(dump_only=True, allow_none=True)
    piece_ids = OwnedRows(
        Piece,
        attribute="pieces",
        metadata={"description": "Pieces of yours; all their sections count towards progress."},
    )
    section_ids = OwnedRows(PieceSection, attribute="sections")
    progress = ma.fields.Integer(
        dump_only=True,
        metadata={
            "description": (
                "Percent done, 0 to 100, by progress_measure: the share of linked sections "
                "that are performance-ready, the minutes practised against target_minutes, "
                "or the last clean tempo against target_bpm; without any, the status."
            )
        },
    )


class GoalListArgs(PageArgs):
    """A page of goals; archived ones only when asked for."""

    archived = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "true: only archived goals; false (the default): the others."},
    )


def only_archived(query, archived):
    """Goals that are archived, or that are not."""
    return query.filter(Goal.archived.is_(archived))


def measure_applies(goal):
    """Refuse a start tempo above the target, or a progress_measure the goal cannot follow (422).

    Checked on the row, not the request: a PATCH clearing target_bpm while the goal is
    measured by tempo is refused too.
    """
    tempo_in_order(goal)
    measure = goal.progress_measure
    # Nothing flushed yet (see apply_changes): the row may still be refused.
    with db.session.no_autoflush:
        has_sections = measure == "sections" and names_sections(
            current_user.id,
            [piece.id for piece in goal.pieces],
            [section.id for section in goal.sections],
        )
    message = measure_refusal(measure, has_sections, goal.target_minutes, goal.target_bpm)
    if message:
        abort(422, errors={"json": {"progress_measure": [message]}})


def attach_progress(goals):
    """Set each goal's progress percent, computed once for all of them."""
    figures = goal_progress(current_user.id, goals)
    for goal in goals:
        goal.progress = figures[goal.id].percent


blp = ApiBlueprint(
    "goals",
    __name__,
    "/goals",
    description="Your goals: pieces to learn, techniques and scales to master, with progress.",
)
owned_resource(
    blp,
    Goal,
    GoalSchema,
    order_by=(Goal.priority.desc(), Goal.target_date.asc().nulls_last(), Goal.id),
    options=(selectinload(Goal.pieces), selectinload(Goal.sections)),
    list_args=GoalListArgs,
    narrow=only_archived,
    check=measure_applies,
    annotate=attach_progress,
)
BLUEPRINTS = [blp]
