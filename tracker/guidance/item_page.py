"""What an item's own page shows: where it stands in the schedule, in plain words, and its tempos.

- The phase: "Learning" (it comes back often until it is solid) or "Maintenance" (it is solid,
  and comes back at growing gaps), each with one sentence saying what that means.
- The interval: "every 2 days"; when you set your own, it says so and still shows the one
  worked out from your sessions: "every 3 days (your setting; computed: every 31)".
- When it is due: "due today", "due tomorrow", "due in 4 days", "3 days overdue", or "never
  practised yet".
- When you last played it: "today", "yesterday", "Sat 28 Nov (3 days ago)", or "not yet".
- The tempo history: every play with a tempo, on its day in your time zone, clean or not, and
  the target when there is one.
"""

from dataclasses import dataclass

from tracker.guidance.schedule import LEARNING
from tracker.guidance.score import due_in_text
from tracker.phrases import days_text
from tracker.phrases import every_days_text
from tracker.phrases import short_date

PHASES = {
    "learning": (
        "Learning",
        "You are still learning it: it comes back every second day (the next day after a hard "
        "session) until you have had two good days with it.",
    ),
    "maintenance": (
        "Maintenance",
        "It is solid: it comes back at growing gaps, up to 60 days, to keep it that way; a "
        "session that falls apart sends it back to learning.",
    ),
}


def page_key(kind, item_id):
    """'goal-5', 'section-12': how the page names an item (its boxes, the chart's picker)."""
    return f"{kind}-{item_id}"


@dataclass(frozen=True)
class Schedule:
    """An item's schedule in plain words, for its page."""

    phase: str  # "Learning" / "Maintenance"
    phase_meaning: str
    interval: str
    due: str
    overdue: bool
    last_played: str


@dataclass(frozen=True)
class ItemPage:
    """One item on a goal or piece page: its schedule, the user's own interval and its tempos."""

    kind: str
    id: int
    label: str
    schedule: Schedule | None  # None: not scheduled (a completed goal, an archived piece)
    own_interval_days: int | None  # what the user set, to fill the form
    chart: dict  # {"key", "label", "target", "points": [{"day", "bpm", "clean"}]}, JSON-ready

    @property
    def key(self):
        """The item's name on the page (page_key)."""
        return page_key(self.kind, self.id)


def interval_text(state, own_days):
    """The interval in force, saying when it is the user's own and what was computed."""
    if own_days:
        computed = state.computed_interval_days
        if computed:
            return f"{every_days_text(own_days)} (your setting; computed: every {computed})"
        return f"{every_days_text(own_days)} (your setting)"
    if state.interval_days:
        return every_days_text(state.interval_days)
    return "worked out after your first session"


def due_text(state, today):
    """'due today', 'due tomorrow', 'due in 4 days', '3 days overdue' or 'never practised yet'."""
    if state.never_practised or state.due_on is None:
        return "never practised yet"
    days = (state.due_on - today).days
    if days < 0:
        return f"{days_text(-days)} overdue"
    return "due today" if days == 0 else due_in_text(days)


def last_played_text(day, today):
    """'today', 'yesterday', 'Sat 28 Nov (3 days ago)', or 'not yet'."""
    if day is None:
        return "not yet"
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{day:%a} {short_date(day, today)} ({days_text(days)} ago)"


def schedule_of(state, own_days, today):
    """The Schedule of an item from its ReviewState on the local day today."""
    phase, meaning = PHASES[state.phase or LEARNING]
    return Schedule(
        phase=phase,
        phase_meaning=meaning,
        interval=interval_text(state, own_days),
        due=due_text(state, today),
        overdue=state.due_on is not None and state.due_on < today,
        last_played=last_played_text(state.last_reviewed_on, today),
    )


def tempo_chart(key, label, plays, target_bpm):
    """The chart data of one item: its plays with a tempo, oldest first, and its target."""
    points = [
        {"day": play.day.isoformat(), "bpm": play.tempo_bpm, "clean": play.clean}
        for play in plays
        if play.tempo_bpm is not None
    ]
    return {"key": key, "label": label, "target": target_bpm, "points": points}


def item_page(kind, item_id, label, target_bpm, known, plays, today):
    """The ItemPage of one item from its states.ItemGuidance (None: not scheduled) and plays."""
    schedule = own = None
    if known is not None:
        own = known.item.interval_days
        schedule = schedule_of(known.state, own, today)
    return ItemPage(
        kind=kind,
        id=item_id,
        label=label,
        schedule=schedule,
        own_interval_days=own,
        chart=tempo_chart(page_key(kind, item_id), label, plays, target_bpm),
    )
