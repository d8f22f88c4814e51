"""How far along a goal is: every measure that applies, side by side, and the one the bar shows.

The measures, in the order the bar falls back on them when the musician has not chosen one:
- sections ready: the share of the piece sections linked to the goal, directly or through its
  pieces, that are performance-ready (applies when any are linked);
- minutes practised, against `target_minutes` (applies when the goal has a target; the minutes
  are shown without one too, once it has been practised);
- tempo: the last clean tempo against `target_bpm` (applies when the goal has a target; the last
  clean tempo is shown without one too);
- the status, when none of the others applies.
The musician may choose the bar's measure (`progress_measure`) among those that apply.

The plays that count for a goal follow tracker/guidance/items.py `plays_by_item`: a session's
links to the goal itself, to the pieces it names and to the sections it names or that belong to
its pieces, each session once, as its best-rated play. Here they count for every goal, open or
not, so a completed goal still shows what was reached. A session gives a goal the minutes of its
link to the goal (the whole session when the link has none), or, when more, the minutes of its
links to the goal's pieces and sections added up, never more than the session's length.
"""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Integer
from sqlalchemy import and_
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import true
from sqlalchemy import type_coerce
from sqlalchemy import union
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import aggregate_order_by

from tracker.extensions import db
from tracker.figures.cache import per_user_cached
from tracker.models import Goal
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import ReviewState
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.models import goal_pieces
from tracker.models import goal_sections
from tracker.models.choices import GOAL_STATUSES
from tracker.models.choices import PROGRESS_MEASURES
from tracker.models.choices import label_of
from tracker.phrases import duration_text

STATUS_PERCENT = {"not_started": 0, "in_progress": 50, "completed": 100}
# The measures the bar can follow, in the order it falls back on them; then the status.
MEASURE_ORDER = tuple(name for name, _label in PROGRESS_MEASURES)
# Why a measure cannot be chosen for a goal, as the form and the API say it.
MEASURE_NEEDS = {
    "sections": "Link a piece with sections, or some sections, to measure progress by them.",
    "minutes": "Set a target in minutes to measure progress by minutes practised.",
    "tempo": "Set a target tempo to measure progress by tempo.",
}


@dataclass(frozen=True)
class Measure:
    """One measure of a goal: its name, percent done (None without a target) and its text."""

    name: str
    percent: int | None
    summary: str


@dataclass(frozen=True)
class Progress:
    """A goal's progress: the bar's percent and measure, every measure side by side, and why."""

    percent: int
    rule: str  # the measure the bar shows: "sections", "minutes", "tempo" or "status"
    summary: str  # every measure's text, the bar's first: "0 of 3 sections ready · 13 h practised"
    explanation: str
    measures: tuple[Measure, ...] = ()
    # At 100 % and not completed yet: the page offers "Mark completed?".
    offers_completion: bool = False


class Practised(NamedTuple):
    """What the plays of one goal add up to: minutes practised and the last clean tempo."""

    minutes: int = 0
    last_clean_bpm: int | None = None


def applicable_measures(has_sections, target_minutes, target_bpm):
    """The measures the bar can follow for a goal like this, in the order it falls back on them."""
    applies = {
        "sections": bool(has_sections),
        "minutes": bool(target_minutes) and target_minutes > 0,
        "tempo": target_bpm is not None,
    }
    return [name for name in MEASURE_ORDER if applies[name]]


def measure_refusal(measure, has_sections, target_minutes, target_bpm):
    """Why the bar cannot follow measure on such a goal, or None when it can (None: automatic)."""
    if measure is None or measure in applicable_measures(has_sections, target_minutes, target_bpm):
        return None
    return MEASURE_NEEDS[measure]


def names_sections(user_id, piece_ids, section_ids):
    """Tell whether a goal naming these pieces and sections has piece sections to count."""
    if section_ids:
        return True
    if not piece_ids:
        return False
    query = select(PieceSection.id).where(
        PieceSection.user_id == user_id, PieceSection.piece_id.in_(list(piece_ids))
    )
    return db.session.execute(query.limit(1)).first() is not None


def _any(ids):
    """= ANY(one array parameter): one statement text however many ids (IN would expand)."""
    return any_(bindparam("goal_ids", list(ids), type_=ARRAY(Integer)))


def _any_goal():
    """= ANY(:goal_ids), the ids given when the statement runs."""
    return any_(bindparam("goal_ids", type_=ARRAY(Integer)))


def _section_counts(user_id, goal_ids):
    """goal_id -> (linked sections, performance-ready ones); pieces bring all their sections."""
    direct = select(goal_sections.c.goal_id, goal_sections.c.section_id).where(
        goal_sections.c.user_id == user_id, goal_sections.c.goal_id == _any(goal_ids)
    )
    via_pieces = (
        select(goal_pieces.c.goal_id, PieceSection.id)
        .join(
            PieceSection,
            and_(
                PieceSection.piece_id == goal_pieces.c.piece_id,
                PieceSection.user_id == goal_pieces.c.user_id,
            ),
        )
        .where(goal_pieces.c.user_id == user_id, goal_pieces.c.goal_id == _any(goal_ids))
    )
    linked = union(direct, via_pieces).subquery()
    query = (
        select(
            linked.c.goal_id,
            func.count(),
            func.count().filter(PieceSection.status == "performance_ready"),
        )
        .join(PieceSection, PieceSection.id == linked.c.section_id)
        .group_by(linked.c.goal_id)
    )
    return {goal_id: (total, ready) for goal_id, total, ready in db.session.execute(query)}


def _plays(user_id, goal_ids):
    """Every session link that counts for one of the goals, once per goal (a CTE)."""
    own = select(
        SessionGoal.goal_id,
        SessionGoal.session_id,
        true().label("direct"),
        SessionGoal.id.label("link_id"),
        SessionGoal.counted_minutes.label("minutes"),
        SessionGoal.rating,
        SessionGoal.tempo_bpm,
        SessionGoal.clean,
    ).where(SessionGoal.user_id == user_id, SessionGoal.goal_id == _any(goal_ids))

    def through(links, reaches):
        """The links to pieces and sections that reach a goal through the table links."""
        return (
            select(
                links.c.goal_id,
                SessionPiece.session_id,
                false().label("direct"),
                SessionPiece.id,
                SessionPiece.minutes,
                SessionPiece.rating,
                SessionPiece.tempo_bpm,
                SessionPiece.clean,
            )
            .join(links, and_(reaches, links.c.user_id == SessionPiece.user_id))
            .where(links.c.user_id == user_id, links.c.goal_id == _any(goal_ids))
        )

    # UNION, not UNION ALL: a link to a section that a goal reaches both through the section
    # and through its piece counts once.
    return union(
        own,
        through(goal_pieces, goal_pieces.c.piece_id == SessionPiece.piece_id),
        through(goal_sections, goal_sections.c.section_id == SessionPiece.section_id),
    ).cte("plays")


def _first(column, *order_by):
    """The first value of column in that order, as an aggregate."""
    return func.array_agg(aggregate_order_by(column, *order_by))


def practised_from_plays(user_id, goal_ids):
    """goal_id -> Practised (minutes, last clean tempo) worked out from every play of each goal.

    One statement for all the goals: each session counts once per goal (see the module's
    docstring); the last clean tempo is the latest such session's, if its play was clean.
    Goals never practised are left out.
    """
    plays = _plays(user_id, goal_ids)
    session = PracticeSession
    # The session's one play of the goal: the best rated (unrated: the session's quality),
    # then the clean one, then the fastest, as plays_by_item keeps it.
    best = (
        func.coalesce(plays.c.rating, session.quality_rating, 0).desc(),
        func.coalesce(plays.c.clean, False).desc(),
        func.coalesce(plays.c.tempo_bpm, 0).desc(),
        plays.c.link_id.desc(),
    )
    piece_minutes = func.sum(func.coalesce(plays.c.minutes, session.duration_minutes)).filter(
        ~plays.c.direct
    )
    per_session = (
        select(
            plays.c.goal_id,
            plays.c.session_id,
            session.started_at,
            func.greatest(
                func.coalesce(func.max(plays.c.minutes).filter(plays.c.direct), 0),
                func.least(session.duration_minutes, func.coalesce(piece_minutes, 0)),
            ).label("minutes"),
            _first(plays.c.tempo_bpm, *best)[1].label("tempo_bpm"),
            _first(plays.c.clean, *best)[1].label("clean"),
        )
        .select_from(plays)
        .join(session, and_(session.id == plays.c.session_id, session.user_id == user_id))
        .group_by(plays.c.goal_id, plays.c.session_id, session.id)
        .subquery()
    )
    latest_clean = type_coerce(
        _first(
            per_session.c.tempo_bpm,
            per_session.c.started_at.desc(),
            per_session.c.session_id.desc(),
        ).filter(per_session.c.clean.is_(True), per_session.c.tempo_bpm.is_not(None)),
        ARRAY(Integer),
    )[1]
    query = select(per_session.c.goal_id, func.sum(per_session.c.minutes), latest_clean).group_by(
        per_session.c.goal_id
    )
    return {
        goal_id: Practised(int(minutes), bpm) for goal_id, minutes, bpm in db.session.execute(query)
    }


# A row is written back only while its version is the one read and nobody holds it, as the
# review states are (tracker/guidance/states.py).
STORE_PRACTISED = text(
    """
    UPDATE review_states SET practised_version = :version, practised_minutes = :minutes,
                             practised_bpm = :bpm
    WHERE id = (SELECT id FROM review_states WHERE id = :id AND version = :version
                FOR UPDATE SKIP LOCKED)
    """
)
REVIEWS = ReviewState.__table__
STORED_PRACTISED = select(
    REVIEWS.c.id,
    REVIEWS.c.goal_id,
    REVIEWS.c.version,
    REVIEWS.c.practised_version,
    REVIEWS.c.practised_minutes,
    REVIEWS.c.practised_bpm,
).where(REVIEWS.c.user_id == bindparam("user_id"), REVIEWS.c.goal_id == _any_goal())


# Cached like the stats, invalidated by any write of the user's rows.
@per_user_cached("goal_practice")
def goal_practice(user_id, goal_ids):
    """goal_id -> Practised (minutes, last clean tempo) of each goal, read from its review row.

    The figures of a goal whose row is behind (the triggers bumped its version: a play, its
    minutes or its session's length changed) are worked out again from its plays and stored,
    so a page reads one row per goal however long the log is.
    """
    rows = db.session.execute(STORED_PRACTISED, {"user_id": user_id, "goal_ids": list(goal_ids)})
    stored, behind = {}, []
    for row in rows:
        if row.practised_version == row.version:
            stored[row.goal_id] = Practised(row.practised_minutes, row.practised_bpm)
        else:
            behind.append(row)
    if behind:
        fresh = practised_from_plays(user_id, [row.goal_id for row in behind])
        values = []
        for row in behind:
            practised = stored[row.goal_id] = fresh.get(row.goal_id, Practised())
            values.append(
                {
                    "id": row.id,
                    "version": row.version,
                    "minutes": practised.minutes,
                    "bpm": practised.last_clean_bpm,
                }
            )
        with db.engine.begin() as conn:
            conn.execute(STORE_PRACTISED, values)
    return stored


def goal_progress(user_id, goals):
    """Progress of each goal (id -> Progress) in two queries, whatever the number of goals."""
    goals = list(goals)
    if not goals:
        return {}
    ids = [goal.id for goal in goals]
    sections = _section_counts(user_id, ids)
    practised = goal_practice(user_id, ids)
    return {
        goal.id: _progress(goal, sections.get(goal.id, (0, 0)), practised.get(goal.id, Practised()))
        for goal in goals
    }


def _measures(goal, section_counts, practised):
    """Every measure the goal shows, by name: the ones that apply, and minutes or tempo seen."""
    measures = {}
    total, ready = section_counts
    if total:
        measures["sections"] = Measure(
            "sections", round(100 * ready / total), f"{ready} of {total} sections ready"
        )
    minutes, bpm = practised
    if goal.target_minutes:
        measures["minutes"] = Measure(
            "minutes",
            min(100, round(100 * minutes / goal.target_minutes)),
            f"{duration_text(minutes)} of {duration_text(goal.target_minutes)} practised",
        )
    elif minutes:
        measures["minutes"] = Measure("minutes", None, f"{duration_text(minutes)} practised")
    if goal.target_bpm is not None:
        if bpm is None:
            text = f"no clean tempo yet (target {goal.target_bpm} BPM)"
        else:
            text = f"{bpm} of {goal.target_bpm} BPM"
        percent = min(100, round(100 * (bpm or 0) / goal.target_bpm))
        measures["tempo"] = Measure("tempo", percent, text)
    elif bpm is not None:
        measures["tempo"] = Measure("tempo", None, f"clean at {bpm} BPM")
    return measures


def _progress(goal, section_counts, practised):
    """The Progress of one goal from its section counts and what its plays add up to."""
    measures = _measures(goal, section_counts, practised)
    applicable = applicable_measures(section_counts[0], goal.target_minutes, goal.target_bpm)
    chosen = goal.progress_measure if goal.progress_measure in applicable else None
    rule = chosen or (applicable[0] if applicable else "status")
    if rule == "status":
        label = label_of(GOAL_STATUSES, goal.status)
        measures["status"] = Measure("status", STATUS_PERCENT.get(goal.status, 0), label)
    bar = measures[rule]
    shown = (bar, *(measure for name, measure in measures.items() if name != rule))
    return Progress(
        percent=bar.percent,
        rule=rule,
        summary=" · ".join(measure.summary for measure in shown),
        explanation=_explanation(goal, rule, chosen, section_counts, practised),
        measures=shown,
        offers_completion=bar.percent >= 100 and goal.status != "completed",
    )


def _clause(goal, rule, section_counts, practised):
    """What the bar's measure counts, as a clause: "progress is the 90 minutes practised ..."."""
    if rule == "sections":
        total, ready = section_counts
        return (
            f"{ready} of the {total} piece sections linked to this goal (directly or "
            "through its pieces) are performance-ready"
        )
    if rule == "minutes":
        return (
            f"progress is the {practised.minutes} minutes practised on it against the target "
            f"of {goal.target_minutes} minutes"
        )
    if rule == "tempo":
        if practised.last_clean_bpm is None:
            return (
                f"progress is the last clean tempo against the target of {goal.target_bpm} BPM, "
                "and nothing has been played clean at a tempo yet"
            )
        return (
            f"progress is the last clean tempo, {practised.last_clean_bpm} BPM, against the "
            f"target of {goal.target_bpm} BPM"
        )
    return f"progress follows the goal's status: {label_of(GOAL_STATUSES, goal.status).lower()}"


def _missing(skipped):
    """Why the bar passed over the measures skipped: "no piece sections are linked and ..."."""
    parts = ["no piece sections are linked"] if "sections" in skipped else []
    targets = [
        words for name, words in (("minutes", "in minutes"), ("tempo", "tempo")) if name in skipped
    ]
    if targets:
        parts.append(f"there is no target {' or '.join(targets)}")
    return " and ".join(parts)


def _explanation(goal, rule, chosen, section_counts, practised):
    """A sentence or two saying which measure the bar shows, why, and what it counts."""
    clause = _clause(goal, rule, section_counts, practised)
    labels = dict(PROGRESS_MEASURES)
    if chosen:
        return f"You chose to measure it by {labels[chosen].lower()}: {clause}."
    skipped = MEASURE_ORDER[: MEASURE_ORDER.index(rule)] if rule in MEASURE_ORDER else MEASURE_ORDER
    sentence = f"{_missing(skipped)}, so {clause}." if skipped else f"{clause}."
    sentence = sentence[0].upper() + sentence[1:]
    if goal.progress_measure:
        # Chosen once, but the goal has changed since: its target or sections are gone.
        chosen_label = labels[goal.progress_measure].lower()
        return f"You chose {chosen_label}, but {_missing([goal.progress_measure])} now. {sentence}"
    return sentence


def active_goals(user_id, limit=8):
    """The user's open goals: highest priority first, then nearest deadline."""
    query = (
        select(Goal)
        .where(Goal.user_id == user_id, Goal.archived.is_(False), Goal.status != "completed")
        .order_by(Goal.priority.desc(), Goal.target_date.asc().nulls_last(), Goal.name)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())
