"""The "Up next" score of one item, and the reasons that moved it, in plain words with true numbers.

An item's score is the sum of these points (the higher, the sooner you should play it):

    what                          points
    ----------------------------  --------------------------------------------------------------
    due again                     10 for every interval's worth of days since you last played
                                  it (parts count), at most 60: due every 2 days and last played
                                  4 days ago is 20; every 3 days and 7 days ago is 23.3; 16 days
                                  ago at every 2 would be 80 and counts 60 (the cap keeps one
                                  forgotten item from burying everything else)
    never practised yet           15
    deadline                      30 on the day, one point less for each day before it, nothing
                                  when it is 30 days off or more; a deadline that has passed no
                                  longer counts (in 5 days: 25)
    priority                      high +10, medium 0, low −5
    still learning                +10 (learning needs frequent work; maintenance can wait)
    tempo stuck                   +15 (the last three clean tempos did not rise, under target)
    came apart last time          +15 (the last day you played it was rated 1)

An item that is not due yet gets no "due" points, and its first reason says when it is due.
Each reason names a rule that added or took away points, the biggest first; the phase itself is
shown beside the item rather than repeated as a reason.
"""

from dataclasses import dataclass

from tracker.guidance.schedule import LEARNING
from tracker.phrases import days_text
from tracker.phrases import deadline_text

POINTS_PER_INTERVAL = 10
MAX_DUE_POINTS = 60
NEVER_PRACTISED_POINTS = 15
DEADLINE_POINTS = 30  # on the day; one point less per day before it
DEADLINE_HORIZON_DAYS = 30
PRIORITY_POINTS = {3: 10, 2: 0, 1: -5}
LEARNING_POINTS = 10
PLATEAU_POINTS = 15
CAME_APART_POINTS = 15
CAME_APART_RATING = 1


@dataclass(frozen=True)
class Score:
    """An item's score and its reasons, the reason that moved it most first."""

    points: float
    reasons: tuple[str, ...]


def every_text(interval_days):
    """'due every 2', or 'due every day' for a one-day interval."""
    return "due every day" if interval_days == 1 else f"due every {interval_days}"


def due_in_text(days):
    """'due tomorrow', 'due in 3 days'."""
    return "due tomorrow" if days == 1 else f"due in {days_text(days)}"


def next_deadline(deadlines, today):
    """The nearest deadline that is today or later, or None."""
    return min((day for day in deadlines if day >= today), default=None)


def score_item(item, state, tempo, today):
    """Score one item from its ReviewState and TempoState on the local day today."""
    parts = []  # (points, reason or None); stable sort keeps this order among equal points

    if state.never_practised:
        parts.append((NEVER_PRACTISED_POINTS, "never practised yet"))
    elif state.is_due(today):
        days = (today - state.last_reviewed_on).days
        due_points = min(MAX_DUE_POINTS, POINTS_PER_INTERVAL * days / state.interval_days)
        reason = f"not played for {days_text(days)} ({every_text(state.interval_days)})"
        parts.append((due_points, reason))

    deadline = next_deadline(item.deadlines, today)
    if deadline is not None and (deadline - today).days < DEADLINE_HORIZON_DAYS:
        days_left = (deadline - today).days
        parts.append((DEADLINE_POINTS - days_left, f"deadline {deadline_text(deadline, today)}"))

    priority_points = PRIORITY_POINTS.get(item.priority, 0)
    if priority_points:
        parts.append((priority_points, "high priority" if priority_points > 0 else "low priority"))

    if state.phase == LEARNING:
        parts.append((LEARNING_POINTS, None))

    if tempo.plateau is not None:
        stuck = tempo.plateau
        reason = f"tempo stuck at {stuck.bpm} of {stuck.target_bpm} BPM for {stuck.plays} sessions"
        parts.append((PLATEAU_POINTS, reason))

    if state.last_rating == CAME_APART_RATING:
        parts.append((CAME_APART_POINTS, f"came apart last time (rated {CAME_APART_RATING})"))

    points = round(sum(p for p, _ in parts), 1)
    ranked = sorted((part for part in parts if part[1]), key=lambda part: -part[0])
    reasons = [reason for _, reason in ranked]
    if not state.is_due(today):
        reasons.insert(0, due_in_text((state.due_on - today).days))
    return Score(points=points, reasons=tuple(reasons))
