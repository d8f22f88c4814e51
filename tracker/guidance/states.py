"""The review states of a user's items, read from the database and brought up to date first.

Every item has a row in review_states (tracker/models/reviews.py). Database triggers bump a
row's `version` on every write its schedule depends on; here, before anything is shown, the
rows whose `computed_version` is behind are worked out again from the item's whole history
(schedule.review_state and tempo.tempo_state) and stored. So every reader gets the state the
item would have if it had been recomputed a moment ago, and a page makes the same number of
queries however long the log is: the plays are read only for the items that are behind.

Storing is optimistic: a row is written only if its version is still the one that was read
and nobody holds it (FOR UPDATE SKIP LOCKED), in a short transaction of its own. A write that
lands meanwhile leaves the row behind for the next reader instead of being overwritten with
older figures, and the caller's own uncommitted writes are never waited for.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Integer
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import null
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import union_all
from sqlalchemy.dialects.postgresql import ARRAY

from tracker.extensions import db
from tracker.figures.stats import local_day
from tracker.guidance.items import GoalRecord
from tracker.guidance.items import ItemSettings
from tracker.guidance.items import PieceRecord
from tracker.guidance.items import SectionRecord
from tracker.guidance.items import SessionLink
from tracker.guidance.items import active_items
from tracker.guidance.items import plays_by_item
from tracker.guidance.schedule import ReviewState
from tracker.guidance.schedule import review_state
from tracker.guidance.tempo import Plateau
from tracker.guidance.tempo import TempoState
from tracker.guidance.tempo import tempo_state
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import ReviewState as ReviewRow
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models import User
from tracker.models import goal_pieces
from tracker.models import goal_sections
from tracker.models.reviews import ITEM_COLUMNS

# A row is written back only while its version is the one read and nobody holds it.
STORE = text(
    """
    UPDATE review_states SET
        computed_version = :version, phase = :phase, due_on = :due_on,
        computed_interval_days = :computed_interval_days,
        last_reviewed_on = :last_reviewed_on, review_count = :review_count,
        last_rating = :last_rating, good_days = :good_days, card = CAST(:card AS jsonb),
        last_clean_bpm = :last_clean_bpm, suggested_bpm = :suggested_bpm,
        plateau_plays = :plateau_plays, last_note = :last_note,
        last_note_at = :last_note_at, updated_at = now()
    WHERE id = (SELECT id FROM review_states WHERE id = :id AND version = :version
                FOR UPDATE SKIP LOCKED)
    """
)


class Note(NamedTuple):
    """An item's latest "next time" note, left in the session that started at noted_at."""

    text: str
    noted_at: datetime


@dataclass(frozen=True)
class ItemGuidance:
    """One item with its review state, tempo figures, latest note and stored row id."""

    item: object  # items.Item
    state: ReviewState
    tempo: TempoState
    row_id: int | None
    note: Note | None = None


def _ids(name, values):
    """= ANY(one array parameter): one statement text however many ids."""
    return any_(bindparam(name, sorted(values), type_=ARRAY(Integer)))


# The records' statements, built once: tables' own columns (Core rows, no ORM loading), the
# user's id bound when they run.
GOALS, PIECES, SECTIONS = Goal.__table__, Piece.__table__, PieceSection.__table__
INSTRUMENTS = Instrument.__table__
USER_ID = bindparam("user_id", type_=Integer)


def _named(table, column):
    """The ids a goal names in a link table, as one sorted array per goal row."""
    return func.array(
        select(table.c[column])
        .where(table.c.goal_id == GOALS.c.id, table.c.user_id == USER_ID)
        .order_by(table.c[column])
        .scalar_subquery()
    )


OPEN_GOALS = (
    select(
        GOALS.c.id,
        GOALS.c.name,
        GOALS.c.status,
        GOALS.c.archived,
        GOALS.c.priority,
        GOALS.c.target_date,
        GOALS.c.instrument_id,
        INSTRUMENTS.c.name.label("instrument_name"),
        GOALS.c.target_bpm,
        GOALS.c.start_bpm,
        _named(goal_pieces, "piece_id").label("piece_ids"),
        _named(goal_sections, "section_id").label("section_ids"),
    )
    .outerjoin(INSTRUMENTS, INSTRUMENTS.c.id == GOALS.c.instrument_id)
    .where(GOALS.c.user_id == USER_ID, GOALS.c.archived.is_(False), GOALS.c.status != "completed")
    .order_by(GOALS.c.id)
)
LIVE_PIECES = (
    select(
        PIECES.c.id, PIECES.c.title, PIECES.c.status, PIECES.c.instrument_id, INSTRUMENTS.c.name
    )
    .outerjoin(INSTRUMENTS, INSTRUMENTS.c.id == PIECES.c.instrument_id)
    .where(PIECES.c.user_id == USER_ID, PIECES.c.status != "archived")
    .order_by(PIECES.c.id)
)
LIVE_SECTIONS = (
    select(
        SECTIONS.c.id,
        SECTIONS.c.piece_id,
        SECTIONS.c.section_name,
        SECTIONS.c.status,
        SECTIONS.c.target_bpm,
        SECTIONS.c.start_bpm,
    )
    .join(PIECES, PIECES.c.id == SECTIONS.c.piece_id)
    .where(SECTIONS.c.user_id == USER_ID, PIECES.c.status != "archived")
    .order_by(SECTIONS.c.piece_id, SECTIONS.c.position, SECTIONS.c.id)
)


def _records(user_id):
    """The user's open goals, live pieces and their sections, as the rules' records."""
    params = {"user_id": user_id}
    goals = [
        GoalRecord(*goal[:-2], piece_ids=tuple(goal.piece_ids), section_ids=tuple(goal.section_ids))
        for goal in db.session.execute(OPEN_GOALS, params)
    ]
    pieces = [PieceRecord(*row) for row in db.session.execute(LIVE_PIECES, params)]
    sections = [SectionRecord(*row) for row in db.session.execute(LIVE_SECTIONS, params)]
    return goals, pieces, sections


# What a read needs of a row: plain columns, not ORM objects (a user may have hundreds of
# items, and every page of guidance reads them all). The FSRS card is only ever written.
# Table columns, not ORM attributes: Core rows skip the ORM's per-row loading.
REVIEWS = ReviewRow.__table__
ROW_COLUMNS = tuple(
    REVIEWS.c[name]
    for name in (
        "id",
        "goal_id",
        "piece_id",
        "section_id",
        "interval_days",
        "snoozed_until",
        "not_now_on",
        "version",
        "computed_version",
        "phase",
        "due_on",
        "computed_interval_days",
        "last_reviewed_on",
        "review_count",
        "last_rating",
        "good_days",
        "last_clean_bpm",
        "suggested_bpm",
        "plateau_plays",
        "last_note",
        "last_note_at",
    )
)


def _row_key(row):
    """The (kind, id) of the item a review_states row belongs to."""
    if row.goal_id is not None:
        return ("goal", row.goal_id)
    if row.piece_id is not None:
        return ("piece", row.piece_id)
    return ("section", row.section_id)


USER_ROWS = select(*ROW_COLUMNS).where(REVIEWS.c.user_id == USER_ID)


def _rows(user_id):
    """(kind, id) -> the user's review_states row, as plain columns."""
    rows = db.session.execute(USER_ROWS, {"user_id": user_id}).all()
    return {_row_key(row): row for row in rows}


def _settings(rows):
    """(kind, id) -> the user's own settings on each item."""
    return {
        key: ItemSettings(row.interval_days, row.snoozed_until, row.not_now_on)
        for key, row in rows.items()
    }


def _plays_query(user_id, goal_ids, piece_ids, section_ids):
    """The session links that may count for these goals, pieces and sections, oldest first."""
    day = local_day(User.timezone, PracticeSession.started_at).label("day")

    def links_of(link, item_columns, where):
        return (
            select(
                link.session_id,
                day,
                *item_columns,
                # The item's own rating, else the session's (read, never copied).
                func.coalesce(link.rating, PracticeSession.quality_rating).label("rating"),
                link.tempo_bpm,
                link.clean,
                link.next_time,
                PracticeSession.started_at,
                link.id.label("link_id"),
            )
            .join(PracticeSession, PracticeSession.id == link.session_id)
            .join(User, User.id == link.user_id)
            .where(link.user_id == user_id, where)
        )

    goal_links = links_of(
        SessionGoal,
        (SessionGoal.goal_id, null().label("piece_id"), null().label("section_id")),
        SessionGoal.goal_id == _ids("goal_ids", goal_ids),
    )
    piece_links = links_of(
        SessionPiece,
        (null().label("goal_id"), SessionPiece.piece_id, SessionPiece.section_id),
        or_(
            SessionPiece.piece_id == _ids("piece_ids", piece_ids),
            SessionPiece.section_id == _ids("section_ids", section_ids),
        ),
    )
    both = union_all(goal_links, piece_links).subquery()
    return select(both).order_by(both.c.started_at, both.c.session_id, both.c.link_id)


def _own_key(row):
    """The (kind, id) of the item a link row names itself: its goal, section or piece."""
    if row.goal_id is not None:
        return ("goal", row.goal_id)
    if row.section_id is not None:
        return ("section", row.section_id)
    return ("piece", row.piece_id)


def _history(user_id, keys, goals):
    """(SessionLinks of every play that may count for the items of keys, {key: Note}).

    A note belongs to the item its link names, never to the goals the play also counts for.
    """
    goal_ids = {item_id for kind, item_id in keys if kind == "goal"}
    piece_ids = {item_id for kind, item_id in keys if kind == "piece"}
    section_ids = {item_id for kind, item_id in keys if kind == "section"}
    for goal in goals:
        if goal.id in goal_ids:
            # A goal's plays include those of the pieces and sections it names.
            piece_ids.update(goal.piece_ids)
            section_ids.update(goal.section_ids)
    rows = db.session.execute(_plays_query(user_id, goal_ids, piece_ids, section_ids)).all()
    # Oldest first: a later note replaces an earlier one.
    notes = {_own_key(row): Note(row.next_time, row.started_at) for row in rows if row.next_time}
    links = [
        SessionLink(
            session_id=row.session_id,
            day=row.day,
            goal_id=row.goal_id,
            piece_id=row.piece_id,
            section_id=row.section_id,
            rating=row.rating,
            tempo_bpm=row.tempo_bpm,
            clean=bool(row.clean),
        )
        for row in rows
    ]
    return links, notes


def _stored(item, row):
    """The ReviewState, TempoState and Note kept in an up-to-date row."""
    state = ReviewState(
        phase=row.phase,
        due_on=row.due_on,
        interval_days=item.interval_days or row.computed_interval_days,
        computed_interval_days=row.computed_interval_days,
        last_reviewed_on=row.last_reviewed_on,
        review_count=row.review_count,
        last_rating=row.last_rating,
        good_days=row.good_days,
        card=None,  # kept in the row for the record; no reader needs it
    )
    plateau = None
    if row.plateau_plays:
        plateau = Plateau(row.last_clean_bpm, item.target_bpm, row.plateau_plays)
    tempo = TempoState(row.last_clean_bpm, row.suggested_bpm, item.target_bpm, plateau)
    note = Note(row.last_note, row.last_note_at) if row.last_note else None
    return state, tempo, note


def _store_values(row, state, tempo, note):
    """The STORE parameters that write state, tempo and note into row at the version read."""
    return {
        "id": row.id,
        "version": row.version,
        "phase": state.phase,
        "due_on": state.due_on,
        "computed_interval_days": state.computed_interval_days,
        "last_reviewed_on": state.last_reviewed_on,
        "review_count": state.review_count,
        "last_rating": state.last_rating,
        "good_days": state.good_days,
        "card": json.dumps(state.card) if state.card is not None else None,
        "last_clean_bpm": tempo.last_clean_bpm,
        "suggested_bpm": tempo.suggested_bpm,
        "plateau_plays": tempo.plateau.plays if tempo.plateau else None,
        "last_note": note.text if note else None,
        "last_note_at": note.noted_at if note else None,
    }


def _is_current(row):
    """Tell whether a row's derived columns are up to date."""
    return row is not None and row.computed_version == row.version


def _store(values):
    """Write recomputed rows in a short transaction of their own (see the module docstring)."""
    if not values:
        return
    with db.engine.begin() as conn:
        conn.execute(STORE, values)


def _plays(user_id, keys, goals, sections):
    """({(kind, id): [Play, ...]} of every play counting for the items of keys, {key: Note})."""
    if not keys:
        return {}, {}
    links, notes = _history(user_id, keys, goals)
    return plays_by_item(links, goals, sections), notes


def _current(items, rows, history):
    """ItemGuidance of items, recomputing (and storing) those whose rows are behind.

    history is a callable given the keys of the items behind, returning (plays, notes).
    """
    behind = [item.key for item in items if not _is_current(rows.get(item.key))]
    plays_of, notes = history(behind) if behind else ({}, {})
    found, values = [], []
    for item in items:
        row = rows.get(item.key)
        if _is_current(row):
            state, tempo, note = _stored(item, row)
        else:
            its_plays = plays_of.get(item.key, [])
            state, tempo = review_state(item, its_plays), tempo_state(item, its_plays)
            note = notes.get(item.key)
            if row is not None:
                values.append(_store_values(row, state, tempo, note))
        row_id = row.id if row is not None else None
        found.append(ItemGuidance(item, state, tempo, row_id, note))
    _store(values)
    return found


def current_guidance(user_id):
    """Every item of the user with its up-to-date state, in active_items order."""
    goals, pieces, sections = _records(user_id)
    rows = _rows(user_id)
    items = active_items(goals, pieces, sections, _settings(rows))
    return _current(items, rows, lambda behind: _plays(user_id, behind, goals, sections))


def guidance_and_plays(user_id, keys):
    """(ItemGuidance of the user's active items among keys, {key: [Play, ...]} of every key).

    For one item's page: the same reads whatever the number of keys. A key that is no
    active item (a completed goal, an archived piece) has plays but no guidance.
    """
    keys = set(keys)
    goals, pieces, sections = _records(user_id)
    rows = _rows(user_id)
    items = [
        item for item in active_items(goals, pieces, sections, _settings(rows)) if item.key in keys
    ]
    plays, notes = _plays(user_id, keys, goals, sections)
    guidance = _current(items, rows, lambda behind: (plays, notes))
    return guidance, {key: plays.get(key, []) for key in keys}


def item_plays(user_id, kind, item_id):
    """One item's plays in the order played, by the rule the schedule uses (items.py)."""
    goals, _pieces, sections = _records(user_id)
    plays, _notes = _plays(user_id, {(kind, item_id)}, goals, sections)
    return plays.get((kind, item_id), [])


def item_row(user_id, kind, item_id):
    """The user's review_states row of one item, or None (another user's item: None too)."""
    column = getattr(ReviewRow, ITEM_COLUMNS[kind])
    query = select(ReviewRow).where(ReviewRow.user_id == user_id, column == item_id)
    return db.session.execute(query).scalar_one_or_none()
