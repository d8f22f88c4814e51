"""Match a file's checked lines against one user's own rows, preview the import, and save it.

Every query names the user explicitly: a name is only ever matched against that user's
instruments, focus areas, goals and pieces.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import current_app
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db
from tracker.imports.reading import Problem
from tracker.imports.reading import quoted
from tracker.imports.reading import read_file
from tracker.models import FocusArea
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import Piece
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models.practice import session_focus_areas
from tracker.plausible_dates import start_refusal

# The longest name an instrument or focus area can have (their name columns).
MAX_NAME_LENGTH = 80
# Sessions written per INSERT.
INSERT_BATCH = 1000


@dataclass(frozen=True)
class PlannedSession:
    """A session the import will create, with its links as names and ids."""

    line: int
    started_at: datetime
    minutes: int
    instrument: str | None
    focus_areas: tuple
    goal_ids: tuple
    goals: tuple
    piece_ids: tuple
    pieces: tuple
    mood: int | None
    quality: int | None
    notes: str | None


@dataclass
class ImportPlan:
    """What importing a file would do for one user: the preview, or why it cannot be done."""

    sessions: list = field(default_factory=list)
    duplicates: int = 0
    new_instruments: list = field(default_factory=list)
    new_focus_areas: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def ok(self):
        """True when nothing in the file stands in the way of importing it."""
        return not self.problems


class ImportRefused(Exception):
    """The import saved nothing; `plan.problems` say why."""

    def __init__(self, plan):
        super().__init__("nothing was imported")
        self.plan = plan


def check_file(user_id, zone, data):
    """The plan for importing the uploaded bytes into the user's log (nothing is written)."""
    config = current_app.config
    reading = read_file(
        data, max_bytes=config["IMPORT_MAX_BYTES"], max_rows=config["IMPORT_MAX_ROWS"]
    )
    plan = ImportPlan(problems=list(reading.problems), notices=list(reading.notices))
    if reading.lines:
        _plan_lines(user_id, zone, reading.lines, plan)
    return plan


def upload_bytes(file_storage):
    """The uploaded file's bytes, at most one byte past the cap (so an oversize file is seen)."""
    return file_storage.stream.read(current_app.config["IMPORT_MAX_BYTES"] + 1)


class _Names:
    """One user's names of one kind: exact spelling first, then ignoring case."""

    def __init__(self, pairs):
        self.exact, self.folded, self.spelling = {}, {}, {}
        # The most parts of a cell one known name can span ("Scales, major" spans two).
        self.widest = 1
        for name, pk in pairs:
            self.exact.setdefault(name, pk)
            self.folded.setdefault(name.casefold(), pk)
            self.spelling.setdefault(pk, name)
            self.widest = max(self.widest, name.count(",") + 1)

    def find(self, name):
        """The id of the user's row called name, or None."""
        found = self.exact.get(name)
        return found if found is not None else self.folded.get(name.casefold())

    def spelt(self, name):
        """name as the user's own row spells it, or None when the user has no such row."""
        pk = self.find(name)
        return None if pk is None else self.spelling[pk]

    def split(self, cell):
        """The names of a cell the export joined with ", " (a known name may hold a comma)."""
        parts = [" ".join(part.split()) for part in cell.split(",")]
        names, folded, start = [], set(), 0
        while start < len(parts):
            # The longest known name starting here, else the one part.
            end = next(
                (
                    end
                    for end in range(min(len(parts), start + self.widest), start + 1, -1)
                    if self.find(", ".join(parts[start:end])) is not None
                ),
                start + 1,
            )
            name = ", ".join(parts[start:end])
            if name and name.casefold() not in folded:
                names.append(name)
                folded.add(name.casefold())
            start = end
        return names


def _names(user_id, column, model):
    """_Names of the user's rows of model by column, the oldest row first for a shared name."""
    rows = db.session.execute(
        select(column, model.id).where(model.user_id == user_id).order_by(model.id)
    )
    return _Names(rows)


def _plan_lines(user_id, zone, lines, plan):
    """Fill plan with the sessions, duplicates, new names and problems of the checked lines."""
    instruments = _names(user_id, Instrument.name, Instrument)
    focus_areas = _names(user_id, FocusArea.name, FocusArea)
    goals = _names(user_id, Goal.name, Goal)
    pieces = _names(user_id, Piece.title, Piece)
    new_instruments, new_focus_areas = {}, {}
    starts = {}
    for line in lines:
        started = _utc_starts(line, zone, plan)
        if started is not None:
            starts[line.line] = started
    taken = _existing_starts(user_id, [s for pair in starts.values() for s in pair])
    seen = set()
    for line in lines:
        problems_before = len(plan.problems)
        instrument = _instrument(line, instruments, new_instruments, plan)
        focus = _focus_areas(line, focus_areas, new_focus_areas, plan)
        goal_names, goal_ids = _required_names(line, "Goals", line.goals, goals, "goal", plan)
        piece_names, piece_ids = _required_names(line, "Pieces", line.pieces, pieces, "piece", plan)
        if line.line not in starts or len(plan.problems) > problems_before:
            continue
        keys = {(_minute(start), line.minutes) for start in starts[line.line]}
        if any(key in taken or key in seen for key in keys):
            plan.duplicates += 1
            continue
        seen |= keys
        plan.sessions.append(
            PlannedSession(
                line=line.line,
                started_at=starts[line.line][0],
                minutes=line.minutes,
                instrument=instrument,
                focus_areas=tuple(focus),
                goal_ids=tuple(goal_ids),
                goals=tuple(goal_names),
                piece_ids=tuple(piece_ids),
                pieces=tuple(piece_names),
                mood=line.mood,
                quality=line.quality,
                notes=line.notes,
            )
        )
    plan.new_instruments = list(new_instruments.values())
    plan.new_focus_areas = list(new_focus_areas.values())


def _utc_starts(line, zone, plan):
    """The instants a local start can mean: one, or two in the hour the clocks go back."""
    earlier = line.local_start.replace(tzinfo=zone, fold=0)
    later = line.local_start.replace(tzinfo=zone, fold=1)
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != line.local_start:
        plan.problems.append(
            Problem(
                f"{line.local_start:%H:%M} on {line.local_start:%Y-%m-%d} does not exist in "
                f"{zone.key} (the clocks went forward then).",
                line.line,
                "Time",
            )
        )
        return None
    refusal = start_refusal(earlier, datetime.now(zone))
    if refusal:
        plan.problems.append(Problem(refusal, line.line, "Date"))
        return None
    instants = dict.fromkeys((earlier.astimezone(UTC), later.astimezone(UTC)))
    return tuple(instants)


def _minute(instant):
    return instant.replace(second=0, microsecond=0)


def _existing_starts(user_id, instants):
    """(start to the minute, minutes) of the user's sessions around the file's starts."""
    if not instants:
        return set()
    first, last = min(instants), max(instants)
    rows = db.session.execute(
        select(
            func.date_trunc("minute", PracticeSession.started_at),
            PracticeSession.duration_minutes,
        ).where(
            PracticeSession.user_id == user_id,
            PracticeSession.started_at >= _minute(first),
            PracticeSession.started_at < _minute(last) + timedelta(minutes=1),
        )
    )
    return {(start.astimezone(UTC), minutes) for start, minutes in rows}


def _instrument(line, instruments, new, plan):
    """The line's instrument name as the user spells it (a new one noted), or None."""
    name = " ".join(line.instrument.split())
    if not name:
        return None
    if instruments.find(name) is not None:
        return instruments.spelt(name)
    if len(name) > MAX_NAME_LENGTH:
        plan.problems.append(
            Problem(
                f"{quoted(name)} is longer than {MAX_NAME_LENGTH} characters, the most an "
                "instrument's name can have.",
                line.line,
                "Instrument",
            )
        )
        return None
    return new.setdefault(name.casefold(), name)


def _focus_areas(line, focus_areas, new, plan):
    """The line's focus area names as the user spells them (new ones noted)."""
    names = []
    for name in focus_areas.split(line.focus_areas):
        if focus_areas.find(name) is not None:
            names.append(focus_areas.spelt(name))
        elif len(name) > MAX_NAME_LENGTH:
            plan.problems.append(
                Problem(
                    f"{quoted(name)} is longer than {MAX_NAME_LENGTH} characters, the most a "
                    "focus area's name can have.",
                    line.line,
                    "Focus areas",
                )
            )
        else:
            names.append(new.setdefault(name.casefold(), name))
    return names


def _required_names(line, column, cell, known, noun, plan):
    """(names, ids) of the goals or pieces a cell names; each missing one is a problem."""
    names, ids = [], []
    for name in known.split(cell):
        pk = known.find(name)
        if pk is None:
            plan.problems.append(
                Problem(
                    f"you have no {noun} called {quoted(name)}. Add it first, or take it out "
                    "of the file.",
                    line.line,
                    column,
                )
            )
        elif pk not in ids:
            names.append(name)
            ids.append(pk)
    return names, ids


def save_import(user_id, plan):
    """Write the plan's sessions and new names in one transaction; all or nothing.

    Raises ImportRefused (nothing written) when the plan has problems or a clash appears
    while saving (a name added meanwhile). The database moves the user's data version on, so
    their cached figures are computed afresh.
    """
    if not plan.ok:
        raise ImportRefused(plan)
    try:
        instrument_ids = _create_names(user_id, Instrument, plan.new_instruments)
        focus_ids = _create_names(user_id, FocusArea, plan.new_focus_areas)
        instrument_ids |= _ids_by_name(user_id, Instrument, {s.instrument for s in plan.sessions})
        focus_ids |= _ids_by_name(
            user_id, FocusArea, {n for s in plan.sessions for n in s.focus_areas}
        )
        for start in range(0, len(plan.sessions), INSERT_BATCH):
            batch = plan.sessions[start : start + INSERT_BATCH]
            _insert_sessions(user_id, batch, instrument_ids, focus_ids)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        plan.problems.append(
            Problem("Something changed while importing, so nothing was saved. Please try again.")
        )
        raise ImportRefused(plan) from None
    except Exception:
        db.session.rollback()
        raise
    return len(plan.sessions)


def _create_names(user_id, model, names):
    """Insert the user's new rows of model called names; {name: id}."""
    if not names:
        return {}
    rows = db.session.execute(
        insert(model).returning(model.name, model.id),
        [{"user_id": user_id, "name": name} for name in names],
    )
    return dict(rows.all())


def _ids_by_name(user_id, model, names):
    """{name: id} of the user's rows of model called names (unique per user, exact spelling)."""
    names = {name for name in names if name}
    if not names:
        return {}
    rows = db.session.execute(
        select(model.name, model.id).where(model.user_id == user_id, model.name.in_(names))
    )
    return dict(rows.all())


def _insert_sessions(user_id, batch, instrument_ids, focus_ids):
    """Insert one batch of planned sessions and their links (one INSERT per table)."""
    ids = db.session.scalars(
        insert(PracticeSession).returning(PracticeSession.id, sort_by_parameter_order=True),
        [
            {
                "user_id": user_id,
                "started_at": planned.started_at,
                "duration_minutes": planned.minutes,
                "instrument_id": instrument_ids.get(planned.instrument),
                "mood_rating": planned.mood,
                "quality_rating": planned.quality,
                "notes": planned.notes,
            }
            for planned in batch
        ],
    ).all()
    focus_links, goal_links, piece_links = [], [], []
    for session_id, planned in zip(ids, batch, strict=True):
        base = {"user_id": user_id, "session_id": session_id}
        focus_links += [{**base, "focus_area_id": focus_ids[n]} for n in planned.focus_areas]
        goal_links += [{**base, "goal_id": pk} for pk in planned.goal_ids]
        piece_links += [{**base, "piece_id": pk} for pk in planned.piece_ids]
    for table, links in (
        (session_focus_areas, focus_links),
        (SessionGoal, goal_links),
        (SessionPiece, piece_links),
    ):
        if links:
            db.session.execute(insert(table), links)
