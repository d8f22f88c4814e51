"""The timed plan: the minutes split across the top of "Up next"."""

from types import SimpleNamespace

import pytest

from tracker.guidance.plan import build_plan
from tracker.guidance.plan import plan_size
from tracker.guidance.plan import share_minutes

pytestmark = pytest.mark.pure


def entries(*scores):
    """Stand-ins for ranked "Up next" entries: the plan reads only their order and score."""
    return [SimpleNamespace(name=f"item {n}", score=score) for n, score in enumerate(scores)]


def minutes_of(plan):
    return [step.minutes for step in plan]


def test_thirty_minutes_go_to_three_items_by_score():
    plan = build_plan(30, entries(95, 30, 25, 20, 15))
    assert [step.entry.name for step in plan] == ["item 0", "item 1", "item 2"]
    # 5 each, then the 15 left over in proportion 95 : 30 : 25.
    assert minutes_of(plan) == [15, 8, 7]


@pytest.mark.parametrize("minutes", [1, 4, 5, 9, 10, 17, 30, 45, 59, 60, 61, 90, 240])
def test_the_plan_sums_exactly_keeps_5_minutes_each_and_at_most_6_items(minutes):
    plan = build_plan(minutes, entries(60, 41.5, 30, 30, 22.3, 20, 15, 10, 0, -5))
    assert sum(minutes_of(plan)) == minutes
    assert 1 <= len(plan) <= 6
    if minutes >= 5:
        assert min(minutes_of(plan)) >= 5


@pytest.mark.parametrize(
    ("minutes", "items"), [(4, 1), (9, 1), (10, 1), (19, 1), (20, 2), (30, 3), (59, 5), (60, 6)]
)
def test_about_one_item_for_every_10_minutes(minutes, items):
    assert plan_size(minutes, available=10) == items


def test_fewer_items_when_up_next_has_fewer():
    plan = build_plan(60, entries(40, 20))
    assert minutes_of(plan) == [38, 22]  # 5 each, then 50 shared 2 : 1 (33.3 and 16.7)


def test_under_5_minutes_the_top_item_gets_them_all():
    plan = build_plan(4, entries(10, 90))
    assert [(step.entry.name, step.minutes) for step in plan] == [("item 0", 4)]


def test_items_scoring_0_or_less_still_get_a_share():
    assert minutes_of(build_plan(60, entries(0, -5))) == [30, 30]


def test_an_empty_up_next_gives_an_empty_plan():
    assert build_plan(30, []) == []


def test_a_plan_needs_a_minute():
    with pytest.raises(ValueError):
        build_plan(0, entries(10))


def test_rounding_leftovers_go_to_the_largest_remainders_then_higher_in_the_list():
    assert share_minutes(10, [1, 1, 1]) == [4, 3, 3]
    assert share_minutes(7, [2, 1]) == [5, 2]  # 4.67 and 2.33
    assert share_minutes(0, [3, 1]) == [0, 0]
