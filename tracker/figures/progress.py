"""How far along a goal is, by the first rule that applies to it, computed in SQL per page."""

from dataclasses import dataclass

from sqlalchemy import Integer
from sqlalchemy import and_
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import union
from sqlalchemy.dialects.postgresql import ARRAY

from tracker.extensions import db
from tracker.figures.cache import per_user_cached
from tracker.models import Goal
from tracker.models import PieceSection
from tracker.models import SessionGoal
from tracker.models import goal_pieces
from tracker.models import goal_sections
from tracker.models.choices import GOAL_STATUSES
from tracker.models.choices import label_of

STATUS_PERCENT = {"not_started": 0, "in_progress": 50, "completed": 100}


@dataclass(frozen=True)
class Progress:
    """A goal's progress: percent done, the rule used, and a sentence explaining it."""

    percent: int
    rule: str
    summary: str
    explanation: str


def _any(ids):
    """= ANY(one array parameter): one statement text however many ids (IN would expand)."""
    return any_(bindparam("goal_ids", list(ids), type_=ARRAY(Integer)))


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


# Minutes sum every linked session ever, so they grow with the log: cached like the stats.
@per_user_cached("goal_minutes")
def goal_minutes(user_id, goal_ids):
    """goal_id -> minutes practised on it (the link's minutes, else the whole session)."""
    # counted_minutes is kept by the database (migration 0007): no join with the sessions.
    query = (
        select(SessionGoal.goal_id, func.sum(SessionGoal.counted_minutes))
        .where(SessionGoal.user_id == user_id, SessionGoal.goal_id == _any(goal_ids))
        .group_by(SessionGoal.goal_id)
    )
    return dict(db.session.execute(query).all())


def goal_progress(user_id, goals):
    """Progress of each goal (id -> Progress) in two queries, whatever the number of goals."""
    goals = list(goals)
    if not goals:
        return {}
    ids = [goal.id for goal in goals]
    sections = _section_counts(user_id, ids)
    minutes = goal_minutes(user_id, ids)
    return {
        goal.id: _progress(goal, sections.get(goal.id), minutes.get(goal.id, 0)) for goal in goals
    }


def _progress(goal, section_counts, minutes):
    if section_counts and section_counts[0]:
        total, ready = section_counts
        return Progress(
            percent=round(100 * ready / total),
            rule="sections",
            summary=f"{ready} of {total} sections ready",
            explanation=(
                f"{ready} of the {total} piece sections linked to this goal (directly or "
                "through its pieces) are performance-ready."
            ),
        )
    if goal.target_minutes:
        percent = min(100, round(100 * minutes / goal.target_minutes))
        return Progress(
            percent=percent,
            rule="minutes",
            summary=f"{minutes} of {goal.target_minutes} min",
            explanation=(
                f"No piece sections are linked, so progress is the {minutes} minutes practised "
                f"on it against the target of {goal.target_minutes} minutes."
            ),
        )
    label = label_of(GOAL_STATUSES, goal.status)
    return Progress(
        percent=STATUS_PERCENT.get(goal.status, 0),
        rule="status",
        summary=label,
        explanation=(
            "No piece sections are linked and there is no target in minutes, so progress "
            f"follows the goal's status: {label.lower()}."
        ),
    )


def active_goals(user_id, limit=8):
    """The user's open goals: highest priority first, then nearest deadline."""
    query = (
        select(Goal)
        .where(Goal.user_id == user_id, Goal.archived.is_(False), Goal.status != "completed")
        .order_by(Goal.priority.desc(), Goal.target_date.asc().nulls_last(), Goal.name)
        .limit(limit)
    )
    return list(db.session.execute(query).scalars())
