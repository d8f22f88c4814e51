"""A plan for the minutes you have: "I have 30 minutes" split across the top of "Up next".

How the minutes are shared, in plain words:
- The plan takes items from the top of "Up next", in its order: about one item for every 10
  minutes you have, at least one and at most 6 (30 minutes: 3 items; 60 or more: 6). Fewer
  when "Up next" has fewer.
- Every item gets 5 minutes first. The minutes left over are shared in proportion to the
  items' scores, so the item that needs it most gets the most time (an item scoring 0 or less
  counts as scoring 1, so it still gets a share).
- Minutes are whole: each share is rounded down, and the minutes that rounding leaves over go
  one each to the items that lost the most in the rounding, higher in the list first on a tie.
  The plan always adds up to exactly the minutes you have.
- With fewer than 5 minutes, the plan is the top item alone, for all of them: a few focused
  minutes on what matters most beat none.
"""

from dataclasses import dataclass
from fractions import Fraction

MIN_ITEM_MINUTES = 5
MAX_ITEMS = 6
MINUTES_PER_ITEM = 10  # about how long each item gets, which sets how many items there are
MIN_WEIGHT = 1


@dataclass(frozen=True)
class PlanItem:
    """One step of a plan: an "Up next" entry and its whole minutes."""

    entry: object  # up_next.Entry
    minutes: int


def plan_size(minutes, available):
    """How many items a plan of minutes takes when available entries are on offer."""
    wanted = min(MAX_ITEMS, max(1, minutes // MINUTES_PER_ITEM))
    return min(wanted, available)


def share_minutes(total, weights):
    """Split total whole minutes in proportion to weights, summing exactly to total."""
    # Fractions, not floats: rounding error could otherwise tip a share over a whole minute.
    weights = [Fraction(weight) for weight in weights]
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    shares = [int(part) for part in exact]
    # Largest remainder: the minutes lost to rounding down go back to the biggest losers.
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def build_plan(minutes, entries):
    """Return the PlanItems for the minutes you have from ranked "Up next" entries."""
    if minutes < 1:
        raise ValueError("a plan needs at least one minute")
    count = plan_size(minutes, len(entries))
    if count == 0:
        return []
    top = list(entries[:count])
    if minutes < MIN_ITEM_MINUTES:
        return [PlanItem(top[0], minutes)]
    # Never negative: from 10 minutes there is one item per 10, below that a single item.
    spare = minutes - MIN_ITEM_MINUTES * count
    weights = [max(MIN_WEIGHT, entry.score) for entry in top]
    extra = share_minutes(spare, weights)
    return [
        PlanItem(entry, MIN_ITEM_MINUTES + more) for entry, more in zip(top, extra, strict=True)
    ]
