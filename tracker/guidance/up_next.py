"""The "Up next" list: every item scored, snoozed ones out, "not now" lowered, instruments balanced.

How the list is put together, in plain words:
- A snoozed item stays out of the list until the day its snooze ends: snoozing for 3 days on a
  Monday brings it back on Thursday.
- The list comes in three bands, each ordered by score, highest first:
  1. items due today (or overdue, or never practised);
  2. items not due yet, so a short day's list still has something to offer;
  3. items you said "not now" to today; tomorrow they are back where their score puts them.
- Balance between instruments: when items of more than one instrument are due, no instrument
  takes more than two thirds of the list's places (6 of 10, 3 of 5) among the due items; the
  places it cannot take go to the next due items of the other instruments. Only when those run
  out does the list go on with the rest, in score order. Items with no instrument count as an
  instrument of their own.
"""

from dataclasses import dataclass

from tracker.guidance.items import KINDS
from tracker.guidance.schedule import review_state
from tracker.guidance.score import score_item
from tracker.guidance.tempo import tempo_state

DUE, LATER, SET_ASIDE = 0, 1, 2
DEFAULT_LIMIT = 10
SET_ASIDE_REASON = "set aside for today"


@dataclass(frozen=True)
class Entry:
    """One line of "Up next": the item, its states, score, reasons and band."""

    item: object  # items.Item
    state: object  # schedule.ReviewState
    tempo: object  # tempo.TempoState
    score: float
    reasons: tuple[str, ...]
    band: int  # DUE, LATER or SET_ASIDE

    @property
    def suggested_bpm(self):
        """The tempo to try next time, or None."""
        return self.tempo.suggested_bpm

    def summary(self):
        """The entry as plain data, in the shape of the up-next API's items."""
        item = self.item
        instrument = None
        if item.instrument_id is not None:
            instrument = {"id": item.instrument_id, "name": item.instrument_name}
        return {
            "kind": item.kind,
            "id": item.id,
            "title": item.title,
            "instrument": instrument,
            "score": self.score,
            "phase": self.state.phase,
            "due_on": self.state.due_on,
            "interval_days": self.state.interval_days,
            "suggested_bpm": self.suggested_bpm,
            "reasons": list(self.reasons),
        }


def is_snoozed(item, today):
    """Tell whether the item is snoozed on the local day today."""
    return item.snoozed_until is not None and today < item.snoozed_until


def entry_for(item, plays, today):
    """Score one item from its plays on the local day today and place it in its band."""
    return placed(item, review_state(item, plays), tempo_state(item, plays), today)


def placed(item, state, tempo, today):
    """Score one item from its review and tempo states and place it in its band."""
    score = score_item(item, state, tempo, today)
    reasons = score.reasons
    if item.not_now_on == today:
        band = SET_ASIDE
        reasons = (SET_ASIDE_REASON, *reasons)
    else:
        band = DUE if state.is_due(today) else LATER
    return Entry(item, state, tempo, score.points, reasons, band)


def instrument_cap(limit):
    """The most places one instrument may take among the due items of a list of limit."""
    return max(1, limit * 2 // 3)


def balanced(entries, limit):
    """Take up to limit entries in order, keeping any one instrument to its share of the due."""
    due = [entry for entry in entries if entry.band == DUE]
    rest = [entry for entry in entries if entry.band != DUE]
    if len({entry.item.instrument_id for entry in due}) < 2:
        return entries[:limit]
    cap = instrument_cap(limit)
    taken, held_back, counts = [], [], {}
    for entry in due:
        instrument = entry.item.instrument_id
        if counts.get(instrument, 0) < cap:
            counts[instrument] = counts.get(instrument, 0) + 1
            taken.append(entry)
        else:
            held_back.append(entry)
    # Held-back items still come before items that are not due: a short list of one
    # instrument's due work beats filling it with work that can wait.
    return (taken + held_back + rest)[:limit]


def ranked(entries, limit=DEFAULT_LIMIT):
    """Order entries into the "Up next" list: by band, then score, instruments balanced."""
    # Kind and id settle ties so the same data always gives the same list.
    entries = sorted(entries, key=lambda e: (e.band, -e.score, KINDS.index(e.item.kind), e.item.id))
    return balanced(entries, limit)


def up_next(items, plays_by_item, today, limit=DEFAULT_LIMIT):
    """Return the ranked "Up next" entries for the local day today, at most limit of them."""
    # plays_by_item maps (kind, id) to the item's plays in the order played (as
    # items.plays_by_item gives them): the schedule sorts by day, but "last clean tempo" and
    # "the last play was not clean" depend on the order within a day.
    entries = [
        entry_for(item, plays_by_item.get(item.key, []), today)
        for item in items
        if not is_snoozed(item, today)
    ]
    return ranked(entries, limit)


def up_next_from_states(guidance, today, limit=DEFAULT_LIMIT):
    """The same list from items whose states are already known (states.ItemGuidance)."""
    entries = [
        placed(known.item, known.state, known.tempo, today)
        for known in guidance
        if not is_snoozed(known.item, today)
    ]
    return ranked(entries, limit)
