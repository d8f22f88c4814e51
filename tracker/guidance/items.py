"""What guidance works on: the items (goals, pieces, sections) and the plays that belong to them.

Which items there are:
- every goal that is neither completed nor archived;
- every piece that is not archived and has no sections;
- every section of a piece that is not archived: once a piece is split into sections, the
  sections are what you practise and schedule, so the piece itself is not listed as well.

An item's deadlines are its own goal's date, or the dates of every open goal that names its
piece or section (a section also inherits the goals that name its piece). A piece or section
takes the highest priority among those goals, and medium priority when no goal names it.

Which plays belong to an item: a session's link to a goal counts for that goal; a link to a
piece counts for the piece and for every goal naming the piece; a link to a section counts for
the section, for every goal naming the section and for every goal naming its piece. When one
session reaches an item twice (say through its goal and through its piece), it counts once,
with the better rating.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from tracker.phrases import section_label

KINDS = ("goal", "piece", "section")
MEDIUM_PRIORITY = 2
# Statuses that start an item in the learning phase; "performance_ready" starts in maintenance.
LEARNING_STATUSES = frozenset({"new", "not_started", "in_progress", "learning", "polishing"})


@dataclass(frozen=True)
class Item:
    """One thing to practise, with everything the rules need to know about it."""

    kind: str  # "goal" | "piece" | "section"
    id: int
    title: str
    status: str  # the goal's, piece's or section's stored status
    instrument_id: int | None = None
    instrument_name: str | None = None
    priority: int = MEDIUM_PRIORITY  # 3 high, 2 medium, 1 low
    deadlines: tuple[date, ...] = ()
    target_bpm: int | None = None
    start_bpm: int | None = None
    interval_days: int | None = None  # the user's own "every N days", replacing the computed one
    snoozed_until: date | None = None  # out of "Up next" before this day
    not_now_on: date | None = None  # lowered in "Up next" for this one local day

    @property
    def key(self):
        """The item's (kind, id), unique across the three kinds."""
        return (self.kind, self.id)

    @property
    def starts_in_learning(self):
        """Tell whether the item's status puts it in the learning phase before any review."""
        return self.status in LEARNING_STATUSES


@dataclass(frozen=True)
class Play:
    """One session's play of one item: the local day, its rating 1–5, the tempo and "clean"."""

    day: date
    rating: int | None = None  # None: not rated; the schedule counts it as an ordinary 3
    tempo_bpm: int | None = None
    clean: bool = False
    session_id: int | None = None  # lets one session reaching an item twice count once


@dataclass(frozen=True)
class ItemSettings:
    """What the user set on an item from the guidance pages."""

    interval_days: int | None = None
    snoozed_until: date | None = None
    not_now_on: date | None = None


@dataclass(frozen=True)
class GoalRecord:
    """A goal as stored, with the ids of the pieces and sections it names."""

    id: int
    name: str
    status: str = "not_started"
    archived: bool = False
    priority: int = MEDIUM_PRIORITY
    target_date: date | None = None
    instrument_id: int | None = None
    instrument_name: str | None = None
    target_bpm: int | None = None
    start_bpm: int | None = None
    piece_ids: tuple[int, ...] = ()
    section_ids: tuple[int, ...] = ()

    @property
    def is_open(self):
        """Tell whether the goal still counts: neither completed nor archived."""
        return self.status != "completed" and not self.archived


@dataclass(frozen=True)
class PieceRecord:
    """A piece as stored."""

    id: int
    title: str
    status: str = "learning"
    instrument_id: int | None = None
    instrument_name: str | None = None


@dataclass(frozen=True)
class SectionRecord:
    """A piece section as stored."""

    id: int
    piece_id: int
    name: str
    status: str = "not_started"
    target_bpm: int | None = None
    start_bpm: int | None = None


@dataclass(frozen=True)
class SessionLink:
    """A session's link to a goal (goal_id) or to a piece, maybe one of its sections."""

    session_id: int
    day: date
    goal_id: int | None = None
    piece_id: int | None = None
    section_id: int | None = None
    rating: int | None = None
    tempo_bpm: int | None = None
    clean: bool = False


@dataclass
class _Links:
    """The open goals naming each piece and section."""

    by_piece: dict = field(default_factory=dict)
    by_section: dict = field(default_factory=dict)


def _goal_links(goals):
    """Index the open goals by the pieces and sections they name."""
    links = _Links()
    for goal in goals:
        if not goal.is_open:
            # A finished or archived goal's deadline and priority no longer push anything.
            continue
        for piece_id in goal.piece_ids:
            links.by_piece.setdefault(piece_id, []).append(goal)
        for section_id in goal.section_ids:
            links.by_section.setdefault(section_id, []).append(goal)
    return links


def _from_goals(goals):
    """The priority and sorted, distinct deadlines that a list of goals gives an item."""
    priority = max((goal.priority for goal in goals), default=MEDIUM_PRIORITY)
    deadlines = tuple(sorted({goal.target_date for goal in goals if goal.target_date}))
    return priority, deadlines


def active_items(goals, pieces, sections, settings=None):
    """Return the items guidance works on, goals first, then pieces, then sections."""
    settings = settings or {}
    links = _goal_links(goals)
    pieces_by_id = {piece.id: piece for piece in pieces}
    pieces_with_sections = {section.piece_id for section in sections}

    def with_settings(kind, item_id, **fields):
        own = settings.get((kind, item_id), ItemSettings())
        return Item(
            kind=kind,
            id=item_id,
            interval_days=own.interval_days,
            snoozed_until=own.snoozed_until,
            not_now_on=own.not_now_on,
            **fields,
        )

    items = []
    for goal in goals:
        if not goal.is_open:
            continue
        items.append(
            with_settings(
                "goal",
                goal.id,
                title=goal.name,
                status=goal.status,
                instrument_id=goal.instrument_id,
                instrument_name=goal.instrument_name,
                priority=goal.priority,
                deadlines=(goal.target_date,) if goal.target_date else (),
                target_bpm=goal.target_bpm,
                start_bpm=goal.start_bpm,
            )
        )
    for piece in pieces:
        if piece.status == "archived" or piece.id in pieces_with_sections:
            continue
        priority, deadlines = _from_goals(links.by_piece.get(piece.id, []))
        items.append(
            with_settings(
                "piece",
                piece.id,
                title=piece.title,
                status=piece.status,
                instrument_id=piece.instrument_id,
                instrument_name=piece.instrument_name,
                priority=priority,
                deadlines=deadlines,
            )
        )
    for section in sections:
        piece = pieces_by_id.get(section.piece_id)
        if piece is None or piece.status == "archived":
            continue
        naming = links.by_section.get(section.id, []) + links.by_piece.get(piece.id, [])
        priority, deadlines = _from_goals(naming)
        items.append(
            with_settings(
                "section",
                section.id,
                title=section_label(piece.title, section.name),
                status=section.status,
                instrument_id=piece.instrument_id,
                instrument_name=piece.instrument_name,
                priority=priority,
                deadlines=deadlines,
                target_bpm=section.target_bpm,
                start_bpm=section.start_bpm,
            )
        )
    return items


def _better(play, other):
    """The play of the two that a session should count: the higher rating, then the clean one."""

    def rank(p):
        return (p.rating or 0, p.clean, p.tempo_bpm or 0)

    return play if rank(play) >= rank(other) else other


def plays_by_item(links, goals, sections):
    """Return {(kind, id): [Play, ...]} from session links, in the links' order, one per session."""
    goal_links = _goal_links(goals)
    piece_of_section = {section.id: section.piece_id for section in sections}
    found = {}  # key -> {session_id: Play}, dicts keep first-seen order
    for link in links:
        play = Play(
            day=link.day,
            rating=link.rating,
            tempo_bpm=link.tempo_bpm,
            clean=link.clean,
            session_id=link.session_id,
        )
        keys = []
        if link.goal_id is not None:
            keys.append(("goal", link.goal_id))
        if link.section_id is not None:
            keys.append(("section", link.section_id))
            keys += [("goal", g.id) for g in goal_links.by_section.get(link.section_id, [])]
            piece_id = link.piece_id or piece_of_section.get(link.section_id)
            keys += [("goal", g.id) for g in goal_links.by_piece.get(piece_id, [])]
        elif link.piece_id is not None:
            keys.append(("piece", link.piece_id))
            keys += [("goal", g.id) for g in goal_links.by_piece.get(link.piece_id, [])]
        for key in dict.fromkeys(keys):
            per_session = found.setdefault(key, {})
            kept = per_session.get(link.session_id)
            per_session[link.session_id] = play if kept is None else _better(play, kept)
    return {key: list(per_session.values()) for key, per_session in found.items()}
