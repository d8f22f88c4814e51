"""/api/v1/up-next, /left-off and /plan: what to practise next, where you left off, a timed plan."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import abort
from flask_smorest.error_handler import ErrorSchema

from tracker.api.base import ApiBlueprint
from tracker.api.base import model_noun
from tracker.api.fields import Day
from tracker.api.fields import UtcDateTime
from tracker.api.names import NameSchema
from tracker.extensions import db
from tracker.guidance.items import KINDS
from tracker.guidance.lists import left_off_and_up_next
from tracker.guidance.lists import plan_for
from tracker.guidance.lists import set_aside
from tracker.guidance.lists import snooze
from tracker.guidance.lists import up_next_for
from tracker.guidance.schedule import LEARNING
from tracker.guidance.schedule import MAINTENANCE
from tracker.guidance.up_next import DEFAULT_LIMIT
from tracker.models import Goal
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.timezones import local_now

blp = ApiBlueprint(
    "guidance",
    __name__,
    "",
    description="What to practise next and why, where you left off, and a plan for your minutes.",
)
BLUEPRINTS = [blp]
MAX_LIMIT = 50
MAX_SNOOZE_DAYS = 90
DEFAULT_PLAN_MINUTES = 30
# The model behind each kind of item, for the 404's wording ("No such piece section.").
ITEM_MODELS = {"goal": Goal, "piece": Piece, "section": PieceSection}
NO_SUCH_ITEM = "You have no goal, piece or piece section of that kind with that id."
# Examples in the reference, in the replies' own shapes.
REASONS_EXAMPLE = ["not played for 16 days (due every 2)", "deadline in 5 days"]
INSTRUMENT_EXAMPLE = {"id": 1, "name": "Guitar"}
LAST_SESSION_EXAMPLE = {
    "id": 41,
    "started_at": "2026-03-18T17:00:00+00:00",
    "duration_minutes": 30,
    "notes": "Slow practice, metronome at 60.",
}
LEFT_OFF_ITEM_EXAMPLE = {
    "kind": "goal",
    "id": 5,
    "title": "Travis picking",
    "next_time": "Start at 72.",
    "noted_at": "2026-03-18T17:00:00+00:00",
    "last_clean_bpm": 76,
    "target_bpm": 120,
}


def kind_field(**kwargs):
    """Which kind of item: goal, piece or section."""
    return ma.fields.String(
        validate=ma.validate.OneOf(KINDS),
        metadata={
            "example": "section",
            "description": "goal, piece or section (a piece split into sections is not an "
            "item: its sections are).",
        },
        **kwargs,
    )


def item_id_field(**kwargs):
    """The id of the goal, piece or section."""
    return ma.fields.Integer(
        strict=True,
        metadata={"example": 1, "description": "The id of the goal, piece or piece section."},
        **kwargs,
    )


def title_field():
    """How the item is named in the app."""
    return ma.fields.String(
        metadata={
            "example": "Romanza — Bars 15-26",
            "description": "The goal's name, the piece's title, or the piece and section.",
        }
    )


def tempo_figure(description, example):
    """A tempo in BPM the guidance worked out, or null."""
    return ma.fields.Integer(
        allow_none=True, metadata={"example": example, "description": description}
    )


def reasons_field(description):
    """The reasons, in plain words with true numbers."""
    return ma.fields.List(
        ma.fields.String(),
        metadata={"example": REASONS_EXAMPLE, "description": description},
    )


def instrument_field():
    """The item's or card's instrument, or null."""
    return ma.fields.Nested(
        NameSchema,
        allow_none=True,
        metadata={
            "example": INSTRUMENT_EXAMPLE,
            "description": "The instrument, or null when none is set.",
        },
    )


class UpNextArgs(ma.Schema):
    """How many items the list may hold."""

    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT, error=f"From 1 to {MAX_LIMIT} items."),
        metadata={
            "example": DEFAULT_LIMIT,
            "description": f"At most this many items (1 to {MAX_LIMIT}).",
        },
    )


class UpNextItemSchema(ma.Schema):
    """One item of "Up next": what it is, its score, when it is due and why it is listed."""

    kind = kind_field()
    id = item_id_field()
    title = title_field()
    instrument = instrument_field()
    score = ma.fields.Float(
        metadata={
            "example": 95.0,
            "description": "Points by the rules in the operation's description: the "
            "higher, the sooner to play it.",
        }
    )
    phase = ma.fields.String(
        validate=ma.validate.OneOf([LEARNING, MAINTENANCE]),
        metadata={
            "example": LEARNING,
            "description": "learning (every day or two until good on two days) or "
            "maintenance (spaced reviews, at most 60 days apart).",
        },
    )
    due_on = Day(
        allow_none=True,
        metadata={
            "example": "2026-03-06",
            "description": "The local day it is due again; null when never practised (due now).",
        },
    )
    interval_days = ma.fields.Integer(
        allow_none=True,
        metadata={
            "example": 2,
            "description": "Days between reviews: your own setting, else the computed one; "
            "null when never practised.",
        },
    )
    suggested_bpm = tempo_figure(
        "The tempo to try next: the last clean tempo plus 10 % (8 BPM at most, never past "
        "the target); null with nothing to go on.",
        79,
    )
    reasons = reasons_field(
        "Why it is listed, with the real numbers, the reason that moved it most first; an "
        "item not due yet first says when it is due, one set aside today says so."
    )


class UpNextSchema(ma.Schema):
    """The ranked "Up next" list."""

    items = ma.fields.List(
        ma.fields.Nested(UpNextItemSchema),
        metadata={
            "example": [
                {
                    "kind": "section",
                    "id": 7,
                    "title": "Romanza — Bars 15-26",
                    "instrument": INSTRUMENT_EXAMPLE,
                    "score": 95.0,
                    "phase": LEARNING,
                    "due_on": "2026-03-06",
                    "interval_days": 2,
                    "suggested_bpm": None,
                    "reasons": REASONS_EXAMPLE,
                }
            ],
            "description": "The items, the one to play first at the top.",
        },
    )


class ItemSchema(ma.Schema):
    """One of your goals, pieces or piece sections, named by kind and id."""

    kind = kind_field(required=True)
    id = item_id_field(required=True)


class SnoozeSchema(ItemSchema):
    """An item and how many days to keep it out of "Up next"."""

    days = ma.fields.Integer(
        strict=True,
        required=True,
        validate=ma.validate.Range(
            min=1, max=MAX_SNOOZE_DAYS, error=f"Snooze for 1 to {MAX_SNOOZE_DAYS} days."
        ),
        metadata={"example": 3, "description": f"Days to keep it out (1 to {MAX_SNOOZE_DAYS})."},
    )


class LastSessionSchema(ma.Schema):
    """The last session on the card's instrument."""

    id = ma.fields.Integer(metadata={"example": 41, "description": "The session's id."})
    started_at = UtcDateTime(
        metadata={"example": "2026-03-18T17:00:00+00:00", "description": "When it started, UTC."}
    )
    duration_minutes = ma.fields.Integer(metadata={"example": 30, "description": "Its length."})
    notes = ma.fields.String(
        allow_none=True,
        metadata={"example": "Slow practice, metronome at 60.", "description": "Its notes."},
    )


class LeftOffItemSchema(ma.Schema):
    """An item touched lately on the card's instrument, with where to pick it up."""

    kind = kind_field()
    id = item_id_field()
    title = title_field()
    next_time = ma.fields.String(
        allow_none=True,
        metadata={
            "example": "Bars 9–12: left-hand shift late, start at 80.",
            "description": "The latest note for next time it got in the last 60 days, or null.",
        },
    )
    noted_at = UtcDateTime(
        allow_none=True,
        metadata={
            "example": "2026-03-18T17:00:00+00:00",
            "description": "When that note was left (the session's start, UTC), or null.",
        },
    )
    last_clean_bpm = tempo_figure("The tempo of the latest clean play, or null.", 72)
    target_bpm = tempo_figure("The tempo it is heading for, or null.", 120)


class LeftOffCardSchema(ma.Schema):
    """One instrument's card: its last session and the items of its last five sessions."""

    instrument = instrument_field()
    last_session = ma.fields.Nested(
        LastSessionSchema,
        metadata={
            "example": LAST_SESSION_EXAMPLE,
            "description": "The instrument's last session.",
        },
    )
    items = ma.fields.List(
        ma.fields.Nested(LeftOffItemSchema),
        metadata={
            "example": [LEFT_OFF_ITEM_EXAMPLE],
            "description": "Items of its last five sessions, most recently played first, "
            "at most six.",
        },
    )


class LeftOffSchema(ma.Schema):
    """One card per instrument practised in the last 60 days."""

    instruments = ma.fields.List(
        ma.fields.Nested(LeftOffCardSchema),
        metadata={
            "example": [
                {
                    "instrument": INSTRUMENT_EXAMPLE,
                    "last_session": LAST_SESSION_EXAMPLE,
                    "items": [LEFT_OFF_ITEM_EXAMPLE],
                }
            ],
            "description": "The most recently played instrument first (none without a "
            "session in the last 60 days).",
        },
    )


class PlanArgs(ma.Schema):
    """The minutes you have."""

    minutes = ma.fields.Integer(
        load_default=DEFAULT_PLAN_MINUTES,
        validate=ma.validate.Range(
            min=1, max=MAX_SESSION_MINUTES, error=f"From 1 to {MAX_SESSION_MINUTES} minutes."
        ),
        metadata={
            "example": DEFAULT_PLAN_MINUTES,
            "description": f"Minutes to plan (1 to {MAX_SESSION_MINUTES}; "
            f"{DEFAULT_PLAN_MINUTES} when left out).",
        },
    )


class PlanItemSchema(ma.Schema):
    """One step of the plan: an item and its minutes."""

    kind = kind_field()
    id = item_id_field()
    title = title_field()
    minutes = ma.fields.Integer(
        metadata={"example": 10, "description": "Whole minutes for this item."}
    )
    reasons = reasons_field('Why it is in the plan: its reasons in "Up next".')


class PlanSchema(ma.Schema):
    """The minutes asked for, split across the top of "Up next"."""

    minutes = ma.fields.Integer(
        metadata={
            "example": 30,
            "description": "The minutes asked for; the items add up to them (no items when "
            "there is nothing to practise yet).",
        }
    )
    items = ma.fields.List(
        ma.fields.Nested(PlanItemSchema),
        metadata={
            "example": [
                {
                    "kind": "section",
                    "id": 7,
                    "title": "Romanza — Bars 15-26",
                    "minutes": 12,
                    "reasons": REASONS_EXAMPLE,
                }
            ],
            "description": "The steps, in the order to play them.",
        },
    )


def today():
    """The signed-in user's local day."""
    return local_now().date()


def changed_or_404(found, kind):
    """Commit a snooze or "not now"; 404 when the user has no such item (whoever has one)."""
    if not found:
        abort(404, message=f"No such {model_noun(ITEM_MODELS[kind])}.")
    db.session.commit()


@blp.get("/up-next")
@blp.arguments(UpNextArgs, location="query", as_kwargs=True)
@blp.response(200, UpNextSchema)
def up_next(limit):
    """What to practise next: your goals, pieces and sections, the most pressing first.

    Each item's score adds up points: 10 for every interval's worth of days since you last
    played it (at most 60), 15 when never practised, up to 30 as a deadline in the next 30
    days comes near, +10 for high priority and −5 for low, +10 while still learning, +15
    when the tempo is stuck under its target, +15 when it came apart last time. Items due
    today come first, then those not due yet, then those set aside today ("not now");
    snoozed items are left out, and when several instruments have due items none takes more
    than two thirds of the due places. `reasons` says in words, with the real numbers, what
    moved each score.
    """
    entries = up_next_for(current_user.id, today(), limit)
    return {"items": [entry.summary() for entry in entries]}


@blp.post("/up-next/snooze")
@blp.arguments(SnoozeSchema)
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SUCH_ITEM)
def snooze_item(data):
    """Keep an item out of "Up next" for a few days.

    Snoozed for 3 days on a Monday, it is back on Thursday. 404 when you have no such item.
    """
    found = snooze(current_user.id, data["kind"], data["id"], data["days"], today())
    changed_or_404(found, data["kind"])


@blp.post("/up-next/not-now")
@blp.arguments(ItemSchema)
@blp.response(204)
@blp.alt_response(404, schema=ErrorSchema, description=NO_SUCH_ITEM)
def not_now(data):
    """Not now: lower an item in "Up next" for the rest of your day.

    Tomorrow it is back where its score puts it. 404 when you have no such item.
    """
    found = set_aside(current_user.id, data["kind"], data["id"], today())
    changed_or_404(found, data["kind"])


@blp.get("/left-off")
@blp.response(200, LeftOffSchema)
def left_off():
    """Where you left off: one card per instrument you practised in the last 60 days.

    The most recently played instrument comes first; sessions without an instrument share a
    card. Each card has the instrument's last session and the items of its last five
    sessions, with the latest note for next time, the last clean tempo and the target.
    """
    cards, _ = left_off_and_up_next(current_user.id, local_now())
    return {"instruments": cards}


@blp.get("/plan")
@blp.arguments(PlanArgs, location="query", as_kwargs=True)
@blp.response(200, PlanSchema)
def plan(minutes):
    """A plan for the minutes you have, from the top of "Up next".

    About one item for every 10 minutes (at least one, at most 6). Each item gets 5 minutes,
    and the rest is shared by score, so the most pressing item gets the most; the minutes
    add up exactly to what you asked for. Under 5 minutes, the top item gets them all.
    `minutes` is 30 when left out.
    """
    steps = plan_for(current_user.id, today(), minutes)
    # The entry's summary carries kind, id, title and reasons; the schema keeps only those.
    items = [{**step.entry.summary(), "minutes": step.minutes} for step in steps]
    return {"minutes": minutes, "items": items}
