"""Links that open the session form pre-filled, and the rows such a link asks for.

The dashboard's Practise, Continue and Start buttons all open the form this way:

    /app/practice_session/new/?instrument=3&item=goal:5&item=section:7
        &bpm=section:7:80&minutes=section:7:10&duration=30&started=2026-12-01T18:05

- `instrument`: the instrument's id;
- `item`: one per row, `goal:<id>`, `piece:<id>` or `section:<id>` (a section's row names its
  piece and the section);
- `bpm` and `minutes`: `<kind>:<id>:<number>`, the tempo and minutes of that item's row;
- `duration`: the session's minutes;
- `started`: when the session started, in the user's own time zone.

Their "Time it" buttons open the practice timer (admin/timer.py) on the same items, with the
same `instrument`, `item`, `bpm` and `minutes` arguments; its Stop comes back here.

Anything the signed-in user does not own, or cannot be read, is left out without a word: a link
can never show or link someone else's rows.
"""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import url_for

from tracker.admin.fields import LOCAL_INPUT_FORMAT
from tracker.admin.fields import whole_number
from tracker.guidance.items import KINDS
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models.practice import MAX_BPM
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.models.practice import MIN_BPM
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.timezones import from_local

MAX_ID = 2**31 - 1  # ids are PostgreSQL integers
MAX_ROWS = 12  # more than a plan or a card ever holds; a longer link is cut here


@dataclass(frozen=True)
class WantedItem:
    """One row a link asks for: the item and, when given, its tempo and minutes."""

    kind: str
    id: int
    bpm: int | None = None
    minutes: int | None = None


def _link_args(instrument_id, items, duration=None):
    """The query args naming the instrument, the WantedItems and the duration."""
    args = {
        "instrument": instrument_id,
        "item": [f"{item.kind}:{item.id}" for item in items],
        "bpm": [f"{item.kind}:{item.id}:{item.bpm}" for item in items if item.bpm],
        "minutes": [f"{item.kind}:{item.id}:{item.minutes}" for item in items if item.minutes],
        "duration": duration or None,
    }
    return {name: value for name, value in args.items() if value is not None and value != []}


def log_form_url(instrument_id=None, items=(), duration=None, started=None):
    """The session form's URL, pre-filled with the instrument, the WantedItems, the duration
    and the local start time (a naive datetime in the user's zone).

    Saving the form comes back to the dashboard.
    """
    args = _link_args(instrument_id, items, duration)
    if started is not None:
        args["started"] = started.strftime(LOCAL_INPUT_FORMAT)
    return url_for("practice_session.create_view", url=url_for("admin.index"), **args)


def timer_url(instrument_id=None, items=(), duration=None):
    """The practice timer's URL, opened on the instrument and the WantedItems."""
    return url_for("timer.index", **_link_args(instrument_id, items, duration))


def _entry_link(entry):
    """An "Up next" entry's instrument and item, at the tempo to try."""
    item = entry.item
    return item.instrument_id, [WantedItem(item.kind, item.id, bpm=entry.suggested_bpm)]


def _card_link(card):
    """A left-off card's instrument and items, each at the tempo to try."""
    instrument = card["instrument"]
    wanted = [
        WantedItem(item["kind"], item["id"], bpm=item["suggested_bpm"]) for item in card["items"]
    ]
    return (instrument["id"] if instrument else None), wanted


def _plan_link(plan):
    """A timed plan's instrument, every item with its minutes, and the total."""
    instruments = {step.entry.item.instrument_id for step in plan}
    # One instrument for the whole plan when it has one; else the form's usual choice.
    instrument_id = instruments.pop() if len(instruments) == 1 else None
    wanted = [
        WantedItem(
            step.entry.item.kind,
            step.entry.item.id,
            bpm=step.entry.suggested_bpm,
            minutes=step.minutes,
        )
        for step in plan
    ]
    return instrument_id, wanted, sum(step.minutes for step in plan)


def practise_url(entry):
    """Practise one "Up next" entry: its instrument, the item and the tempo to try."""
    return log_form_url(*_entry_link(entry))


def continue_url(card):
    """Continue a left-off card: its instrument and its items, each at the tempo to try."""
    return log_form_url(*_card_link(card))


def start_url(plan):
    """Start a timed plan (plan.PlanItem list): every item with its minutes, and the total."""
    return log_form_url(*_plan_link(plan))


def time_entry_url(entry):
    """Time one "Up next" entry with the practice timer."""
    return timer_url(*_entry_link(entry))


def time_card_url(card):
    """Time a left-off card's items with the practice timer."""
    return timer_url(*_card_link(card))


def time_plan_url(plan):
    """Time a plan's items, with their planned minutes, with the practice timer."""
    return timer_url(*_plan_link(plan))


def item_key(kind, item_id):
    """(kind, id) of an item named by its kind and id as text, or None when they name none."""
    number = whole_number(item_id, 1, MAX_ID)
    return (kind, number) if kind in KINDS and number is not None else None


def _item_key(text):
    """('goal', 5) from 'goal:5', else None."""
    kind, _, item_id = (text or "").partition(":")
    return item_key(kind, item_id)


def _figures(args, name, low, high):
    """{(kind, id): number} from the link's `name` values ('section:7:80')."""
    figures = {}
    for value in args.getlist(name):
        key_text, _, number = value.rpartition(":")
        key, number = _item_key(key_text), whole_number(number, low, high)
        if key is not None and number is not None:
            figures[key] = number
    return figures


def wanted_items(args):
    """The WantedItems a link's query args ask for, in order, without repeats."""
    bpm = _figures(args, "bpm", MIN_BPM, MAX_BPM)
    minutes = _figures(args, "minutes", 1, MAX_SESSION_MINUTES)
    keys = dict.fromkeys(key for key in map(_item_key, args.getlist("item")) if key)
    return [
        WantedItem(kind, item_id, bpm.get((kind, item_id)), minutes.get((kind, item_id)))
        for kind, item_id in list(keys)[:MAX_ROWS]
    ]


def _owned_by_id(model, ids):
    """The signed-in user's rows of model among ids, by id."""
    if not ids:
        return {}
    return {row.id: row for row in owned_query(model).filter(model.id.in_(ids))}


def owned_items(wanted):
    """[(WantedItem, row)] for the wanted items the signed-in user owns, in order.

    row is the Goal, the Piece, or the PieceSection (with its piece); the rest are dropped.
    """
    ids = {kind: [item.id for item in wanted if item.kind == kind] for kind in KINDS}
    rows = {
        "goal": _owned_by_id(Goal, ids["goal"]),
        "piece": _owned_by_id(Piece, ids["piece"]),
        "section": _owned_by_id(PieceSection, ids["section"]),  # each with its piece, joined
    }
    return [(item, rows[item.kind][item.id]) for item in wanted if item.id in rows[item.kind]]


def link_instrument(args):
    """The signed-in user's instrument a link names, or None."""
    return owned_one(Instrument, args.get("instrument")) if "instrument" in args else None


def started_at(args):
    """The UTC start time a link's `started` (local, 2026-12-01T18:05) names, or None."""
    try:
        local = datetime.strptime(args.get("started") or "", LOCAL_INPUT_FORMAT)
    except ValueError:
        return None
    return from_local(local)


def prefilled_session(args):
    """A stand-in session for the create form with what the link asks for, or None.

    It carries only the attributes the link names, so every other field keeps its default.
    """
    wanted = wanted_items(args)
    instrument = link_instrument(args)
    duration = whole_number(args.get("duration"), 1, MAX_SESSION_MINUTES)
    started = started_at(args)
    if not wanted and instrument is None and duration is None and started is None:
        return None
    session = SimpleNamespace(goal_links=[], piece_links=[])
    for item, row in owned_items(wanted):
        figures = {"tempo_bpm": item.bpm, "minutes": item.minutes}
        if item.kind == "goal":
            session.goal_links.append(SimpleNamespace(goal=row, **figures))
        elif item.kind == "piece":
            session.piece_links.append(SimpleNamespace(piece=row, section=None, **figures))
        else:
            session.piece_links.append(SimpleNamespace(piece=row.piece, section=row, **figures))
    if instrument is not None:
        session.instrument = instrument
    if duration is not None:
        session.duration_minutes = duration
    if started is not None:
        session.started_at = started
    return session
