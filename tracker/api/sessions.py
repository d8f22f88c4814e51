"""/api/v1/sessions: the practice log, with its links; creation is idempotent on client_uuid."""

from datetime import UTC
from datetime import datetime

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user
from sqlalchemy.orm import lazyload
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from tracker.api.base import PAGE_HEADERS
from tracker.api.base import ApiBlueprint
from tracker.api.base import OwnedId
from tracker.api.base import OwnedRows
from tracker.api.base import PageArgs
from tracker.api.base import owned_or_404
from tracker.api.base import page_of
from tracker.api.fields import Day
from tracker.api.fields import JsonBoolean
from tracker.api.fields import UtcDateTime
from tracker.api.fields import long_text
from tracker.api.fields import short_text
from tracker.api.fields import tempo
from tracker.api.resources import apply_changes
from tracker.api.resources import id_argument
from tracker.api.resources import save
from tracker.extensions import db
from tracker.figures.stats import local_day_bounds
from tracker.models import Equipment
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models.practice import MAX_NEXT_TIME
from tracker.models.practice import MAX_SESSION_MINUTES
from tracker.models.practice import effective_rating
from tracker.ownership import owned_query
from tracker.plausible_dates import start_refusal
from tracker.timezones import local_now
from tracker.timezones import user_zone

blp = ApiBlueprint(
    "sessions", __name__, "/sessions", description="Your practice log: one entry per sitting."
)
BLUEPRINTS = [blp]
ITEM_ARG = id_argument(PracticeSession)
# A page's links in one query each; the dump reads their ids only, so the goal, piece and
# section rows they would join are left unloaded.
LIST_OPTIONS = (
    selectinload(PracticeSession.focus_areas),
    selectinload(PracticeSession.equipment),
    selectinload(PracticeSession.goal_links).lazyload(SessionGoal.goal),
    selectinload(PracticeSession.piece_links).options(
        lazyload(SessionPiece.piece), lazyload(SessionPiece.section)
    ),
)


class Whole(ma.fields.Nested):
    """A nested object given whole, in a PATCH too: its required fields stay required."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=False, **kwargs)


def link_minutes():
    """Optional minutes spent on one goal or piece of the session."""
    return ma.fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(
            min=1, max=MAX_SESSION_MINUTES, error="Between 1 and 1440 minutes."
        ),
        metadata={"example": 15},
    )


def rating(what):
    """An optional 1–5 rating."""
    return ma.fields.Integer(
        strict=True,
        allow_none=True,
        validate=ma.validate.Range(min=1, max=5, error=f"{what} is a number from 1 to 5."),
        metadata={"example": 4},
    )


class ItemResultSchema(ma.Schema):
    """How one item of the session went; every field optional (null when not said)."""

    rating = ma.fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=1, max=5, error="Rating is a number from 1 to 5."),
        metadata={
            "example": 4,
            "description": "How this item went, 1 (fell apart) to 5; null: as the session "
            "as a whole (quality_rating).",
        },
    )
    # Read from `rating` here and completed by SessionSchema.effective_ratings, which has
    # the session's quality at hand: the link's own property would load its session anew.
    effective_rating = ma.fields.Integer(
        dump_only=True,
        allow_none=True,
        attribute="rating",
        metadata={"description": "rating, or the session's quality_rating when it is null."},
    )
    tempo_bpm = tempo(
        load_default=None,
        metadata={"example": 80, "description": "The tempo played, in beats per minute."},
    )
    clean = JsonBoolean(
        allow_none=True,
        load_default=None,
        metadata={"example": True, "description": "Played cleanly at tempo_bpm."},
    )
    next_time = short_text(
        MAX_NEXT_TIME,
        load_default=None,
        message=f"Keep the note for next time to {MAX_NEXT_TIME} characters.",
        metadata={
            "example": "Bars 9–12: left-hand shift late, start at 80.",
            "description": "Where to pick up next time (blank is stored as null).",
        },
    )


class GoalLinkSchema(ItemResultSchema):
    """A goal the session worked on, with the minutes spent on it and how it went."""

    goal_id = OwnedId(Goal, required=True, allow_none=False, metadata={"example": 1})
    minutes = link_minutes()


class PieceLinkSchema(ItemResultSchema):
    """A piece the session worked on, optionally one of its sections, and how it went."""

    piece_id = OwnedId(Piece, required=True, allow_none=False, metadata={"example": 1})
    section_id = OwnedId(PieceSection, load_default=None)
    minutes = link_minutes()

    @ma.validates_schema
    def section_of_piece(self, data, **kwargs):
        """The section must be one of the chosen piece's sections."""
        if data.get("section_id") is None:
            return
        section = (
            owned_query(PieceSection, PieceSection.piece_id, PieceSection.section_name)
            .filter(PieceSection.id == data["section_id"])
            .one()
        )
        if section.piece_id != data["piece_id"]:
            raise ma.ValidationError(
                f"“{section.section_name}” is a section of another piece.", "section_id"
            )


class SessionSchema(ma.Schema):
    """One practice session: when, how long, on what, and how it went."""

    id = ma.fields.Integer(dump_only=True)
    started_at = UtcDateTime(
        # UtcDateTime keeps it within the years 1900–2200 (tracker.bounds).
        load_default=lambda: datetime.now(UTC),
        error_messages={
            "invalid_awareness": "Give the time with its offset, e.g. 2026-03-02T18:30:00+01:00."
        },
        metadata={
            "description": "When you started (ISO 8601 with offset); now when omitted.",
            "example": "2026-03-02T18:30:00+01:00",
        },
    )
    duration_minutes = ma.fields.Integer(
        strict=True,
        required=True,
        validate=ma.validate.Range(
            min=1,
            max=MAX_SESSION_MINUTES,
            error="A session lasts between 1 minute and 24 hours.",
        ),
        metadata={"example": 30},
    )
    instrument_id = OwnedId(Instrument)
    notes = long_text(metadata={"example": "Scales."})
    mood_rating = rating("Mood")
    quality_rating = rating("Quality")
    focus_area_ids = OwnedRows(FocusArea, attribute="focus_areas", metadata={"example": []})
    equipment_ids = OwnedRows(Equipment, attribute="equipment", metadata={"example": []})
    goals = ma.fields.List(Whole(GoalLinkSchema), attribute="goal_links", metadata={"example": []})
    pieces = ma.fields.List(
        Whole(PieceLinkSchema), attribute="piece_links", metadata={"example": []}
    )
    client_uuid = ma.fields.UUID(
        allow_none=True,
        metadata={
            "description": "Your client's own id for this session: sending it again "
            "returns the session already logged (200) instead of logging it twice.",
        },
    )

    @ma.post_dump
    def effective_ratings(self, data, **kwargs):
        """Each item's effective rating, from the session in hand (no query per link)."""
        for link in (*data.get("goals", ()), *data.get("pieces", ())):
            link["effective_rating"] = effective_rating(link["rating"], data["quality_rating"])
        return data

    @ma.validates("started_at")
    def not_in_future(self, started_at, **kwargs):
        """More than a day ahead of the user's clock is a typo, as in the form."""
        refusal = start_refusal(started_at, local_now())
        if refusal:
            raise ma.ValidationError(refusal)

    @ma.validates("goals")
    def each_goal_once(self, links, **kwargs):
        """A goal is listed once per session (its minutes say how long it had)."""
        # Links refused on their own still reach here, without their goal_id.
        ids = [link["goal_id"] for link in links if "goal_id" in link]
        twice = sorted({pk for pk in ids if ids.count(pk) > 1})
        if twice:
            raise ma.ValidationError(f"Goal {', '.join(map(str, twice))} is listed twice.")


class SessionArgs(PageArgs):
    """Filters of the log: your local days start..end (inclusive), and what a session is on."""

    start = Day(
        load_default=None, metadata={"description": "First local day."}
    )
    end = Day(
        load_default=None, metadata={"description": "Last local day."}
    )
    instrument_id = ma.fields.Integer(load_default=None)
    focus_area_id = ma.fields.Integer(load_default=None)
    goal_id = ma.fields.Integer(load_default=None)
    piece_id = ma.fields.Integer(load_default=None)

    @ma.validates_schema
    def ordered(self, data, **kwargs):
        """A start after the end is refused."""
        if data["start"] and data["end"] and data["start"] > data["end"]:
            raise ma.ValidationError("The start date is after the end date.", "start")


def filtered(query, args):
    """query narrowed by the list's filters (the local days read the (user, started_at) index)."""
    zone = user_zone()
    if args["start"] is not None:
        query = query.filter(PracticeSession.started_at >= local_day_bounds(args["start"], zone)[0])
    if args["end"] is not None:
        query = query.filter(PracticeSession.started_at < local_day_bounds(args["end"], zone)[1])
    if args["instrument_id"] is not None:
        query = query.filter(PracticeSession.instrument_id == args["instrument_id"])
    if args["focus_area_id"] is not None:
        query = query.filter(PracticeSession.focus_areas.any(FocusArea.id == args["focus_area_id"]))
    if args["goal_id"] is not None:
        query = query.filter(PracticeSession.goal_links.any(SessionGoal.goal_id == args["goal_id"]))
    if args["piece_id"] is not None:
        query = query.filter(
            PracticeSession.piece_links.any(SessionPiece.piece_id == args["piece_id"])
        )
    return query


def with_link_rows(row, data):
    """data with its goals and pieces as link rows of this session.

    A goal already linked keeps its link row, with the new minutes and results: (session,
    goal) is unique, and the flush would insert the new row before deleting the old one.
    """
    changes = dict(data)
    if "goal_links" in changes:
        kept = {link.goal_id: link for link in row.goal_links}
        links = []
        for item in changes["goal_links"]:
            link = kept.get(item["goal_id"]) or SessionGoal(
                user_id=current_user.id, goal_id=item["goal_id"]
            )
            for name, value in item.items():
                setattr(link, name, value)
            links.append(link)
        changes["goal_links"] = links
    if "piece_links" in changes:
        changes["piece_links"] = [
            SessionPiece(user_id=current_user.id, **item) for item in changes["piece_links"]
        ]
    return changes


def change(row, data):
    """Set data on row; nothing reaches the database before save() commits it."""
    # An autoflush half-way (a lazy load in the owner check) would raise a clash outside save().
    with db.session.no_autoflush:
        apply_changes(row, with_link_rows(row, data))


def replayed(client_uuid):
    """The user's session already logged with this client_uuid, or None."""
    if client_uuid is None:
        return None
    return owned_query(PracticeSession).filter(PracticeSession.client_uuid == client_uuid).first()


@blp.route("")
class Sessions(MethodView):
    @blp.arguments(SessionArgs, location="query")
    @blp.response(200, SessionSchema(many=True), headers=PAGE_HEADERS)
    def get(self, args):
        """Your sessions, newest first; filter by local days, instrument, tag, goal or piece."""
        query = (
            filtered(owned_query(PracticeSession), args)
            .options(*LIST_OPTIONS)
            .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        )
        return page_of(query, args["page"], args["per_page"])

    @blp.arguments(SessionSchema)
    @blp.response(201, SessionSchema)
    @blp.alt_response(
        200, schema=SessionSchema, description="Already logged with this client_uuid: that session."
    )
    def post(self, data):
        """Log a session; sent again with the same client_uuid, it is not logged twice."""
        existing = replayed(data.get("client_uuid"))
        if existing is not None:
            return existing, 200
        row = PracticeSession(user_id=current_user.id)
        change(row, data)
        try:
            return save(row, data), 201
        except HTTPException as refused:
            # Another request with the same client_uuid committed first (an offline queue
            # replaying on two connections): the unique index refused this copy.
            errors = (getattr(refused, "data", None) or {}).get("errors", {}).get("json", {})
            existing = replayed(data.get("client_uuid"))
            if "client_uuid" not in errors or existing is None:
                raise
            return existing, 200


@blp.route(f"/<int:{ITEM_ARG}>")
class SessionItem(MethodView):
    @blp.response(200, SessionSchema)
    def get(self, practice_session_id):
        """One of your sessions."""
        return owned_or_404(PracticeSession, practice_session_id)

    @blp.arguments(SessionSchema(partial=True))
    @blp.response(200, SessionSchema)
    def patch(self, data, practice_session_id):
        """Change some fields of a session; links you send replace the old ones."""
        row = owned_or_404(PracticeSession, practice_session_id)
        change(row, data)
        return save(row, data)

    @blp.response(204)
    def delete(self, practice_session_id):
        """Delete a session."""
        db.session.delete(owned_or_404(PracticeSession, practice_session_id))
        db.session.commit()
