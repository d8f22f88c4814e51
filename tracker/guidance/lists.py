"""One user's "Up next", timed plan, item pages and item settings, in the database."""

from datetime import timedelta

from tracker.figures.cache import per_user_cached
from tracker.guidance.item_page import item_page
from tracker.guidance.left_off import left_off
from tracker.guidance.plan import MAX_ITEMS
from tracker.guidance.plan import build_plan
from tracker.guidance.states import current_guidance
from tracker.guidance.states import guidance_and_plays
from tracker.guidance.states import item_row
from tracker.guidance.up_next import DEFAULT_LIMIT
from tracker.guidance.up_next import up_next_from_states

# The snoozes "Up next" offers, in days.
SNOOZE_DAYS = (1, 3, 7)


def up_next_for(user_id, today, limit=DEFAULT_LIMIT):
    """The user's ranked "Up next" entries on the local day today."""
    return up_next_from_states(current_guidance(user_id), today, limit)


def plan_for(user_id, today, minutes):
    """The user's timed plan (plan.PlanItem list) for the minutes they have today."""
    return build_plan(minutes, up_next_for(user_id, today, MAX_ITEMS))


def item_pages(user_id, items, today):
    """{(kind, id): ItemPage} for items, a list of (kind, id, label, target_bpm)."""
    guidance, plays = guidance_and_plays(user_id, [(kind, item_id) for kind, item_id, *_ in items])
    known = {entry.item.key: entry for entry in guidance}
    return {
        (kind, item_id): item_page(
            kind,
            item_id,
            label,
            target_bpm,
            known.get((kind, item_id)),
            plays[(kind, item_id)],
            today,
        )
        for kind, item_id, label, target_bpm in items
    }


def _set(user_id, kind, item_id, **settings):
    """Write the user's own settings on an item's row; False when the user has no such item."""
    row = item_row(user_id, kind, item_id)
    if row is None:
        return False
    for name, value in settings.items():
        setattr(row, name, value)
    return True


def snooze(user_id, kind, item_id, days, today):
    """Keep an item out of "Up next" for days; False when the user has no such item."""
    return _set(user_id, kind, item_id, snoozed_until=today + timedelta(days=days))


def set_aside(user_id, kind, item_id, today):
    """ "Not now": lower an item for the rest of the local day; False when there is no such item."""
    return _set(user_id, kind, item_id, not_now_on=today)


def set_interval(user_id, kind, item_id, days):
    """Set the user's own "every N days" on an item (None: back to the computed one)."""
    return _set(user_id, kind, item_id, interval_days=days)


def left_off_and_up_next(user_id, now, limit=DEFAULT_LIMIT):
    """(left-off cards, "Up next" entries) at the user's local time now, from one state read."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return _overview(user_id, day_start, limit)


# Both depend only on the user's rows and the local day: cached until a write of the user's
# rows (a snooze included) or the next day.
@per_user_cached("guidance_overview")
def _overview(user_id, day_start, limit):
    """(left-off cards, "Up next" entries) on the local day starting at day_start."""
    guidance = current_guidance(user_id)
    by_key = {known.item.key: known for known in guidance}
    cards = left_off(user_id, day_start, by_key)
    return cards, up_next_from_states(guidance, day_start.date(), limit)
