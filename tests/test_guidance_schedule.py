"""The review schedule: learning phase, FSRS maintenance, overrides, and replay after edits."""

from datetime import date
from datetime import timedelta

import pytest
from fsrs import Card
from fsrs import ReviewLog

from tracker.guidance.items import Item
from tracker.guidance.items import Play
from tracker.guidance.schedule import FSRS_RATINGS
from tracker.guidance.schedule import LEARNING
from tracker.guidance.schedule import MAINTENANCE
from tracker.guidance.schedule import SCHEDULER
from tracker.guidance.schedule import card_id
from tracker.guidance.schedule import daily_reviews
from tracker.guidance.schedule import review_datetime
from tracker.guidance.schedule import review_state

pytestmark = pytest.mark.pure

MAR_1 = date(2026, 3, 1)


def day(n):
    """The n-th day of March 2026."""
    return MAR_1 + timedelta(days=n - 1)


def section(status="learning", **fields):
    return Item("section", 5, "Sonata — Exposition", status, **fields)


def plays(*pairs):
    """Plays from (day of March, rating) pairs."""
    return [Play(day(n), rating) for n, rating in pairs]


def test_a_new_item_is_due_now_and_never_practised():
    state = review_state(section("not_started"), [])
    assert state.phase == LEARNING
    assert state.due_on is None and state.is_due(MAR_1)
    assert state.never_practised and state.review_count == 0
    assert state.interval_days is None and state.card is None


def test_learning_item_is_due_every_second_day():
    state = review_state(section(), plays((1, 3)))
    assert (state.phase, state.due_on, state.interval_days) == (LEARNING, day(3), 2)
    assert not state.is_due(day(2)) and state.is_due(day(3))


@pytest.mark.parametrize("rating", [1, 2])
def test_learning_item_is_due_the_next_day_after_a_poor_rating(rating):
    state = review_state(section(), plays((1, rating)))
    assert (state.phase, state.due_on, state.interval_days) == (LEARNING, day(2), 1)
    assert state.last_rating == rating


def test_a_play_without_a_rating_counts_as_an_ordinary_one():
    state = review_state(section(), [Play(day(1), None)])
    assert (state.due_on, state.last_rating) == (day(3), 3)


def test_learning_moves_to_maintenance_after_two_good_days():
    first = review_state(section(), plays((1, 4)))
    assert (first.phase, first.good_days, first.due_on) == (LEARNING, 1, day(3))
    second = review_state(section(), plays((1, 4), (3, 3), (5, 5)))
    assert second.phase == MAINTENANCE
    assert second.good_days == 0
    assert second.card is not None and second.card["card_id"] == card_id("section", 5)
    # The graduating day is FSRS's first review, rated Easy: a first gap of more than a few days.
    assert second.due_on > day(5) + timedelta(days=2)
    assert second.interval_days == (second.due_on - day(5)).days


def test_two_good_plays_on_one_day_are_one_good_day():
    state = review_state(section(), [Play(day(1), 5), Play(day(1), 4)])
    assert (state.phase, state.review_count, state.good_days) == (LEARNING, 1, 1)


def test_the_best_rating_of_a_day_is_the_one_that_counts():
    reviews = daily_reviews([Play(day(1), 1), Play(day(1), 3), Play(day(2), 2)])
    assert [(r.day, r.rating) for r in reviews] == [(day(1), 3), (day(2), 2)]
    assert review_state(section(), [Play(day(1), 1), Play(day(1), 3)]).due_on == day(3)


def test_clean_at_target_tempo_counts_as_a_good_day():
    item = section(target_bpm=120)
    history = [
        Play(day(1), 3, tempo_bpm=120, clean=True),
        Play(day(3), 3, tempo_bpm=112, clean=True),  # clean, but under the target
        Play(day(5), 3, tempo_bpm=126, clean=False),  # at the target, but not clean
    ]
    assert review_state(item, history).phase == LEARNING
    history.append(Play(day(7), 3, tempo_bpm=120, clean=True))
    assert review_state(item, history).phase == MAINTENANCE


def test_performance_ready_items_start_in_maintenance_on_fsrs():
    item = Item("piece", 9, "Nocturne", "performance_ready")
    history = plays((1, 3), (5, 4), (20, 2))
    state = review_state(item, history)
    assert state.phase == MAINTENANCE
    # The card is what fsrs's own replay of the same review logs gives.
    cid = card_id("piece", 9)
    logs = [
        ReviewLog(cid, FSRS_RATINGS[rating], review_datetime(day(n)), None)
        for n, rating in [(1, 3), (5, 4), (20, 2)]
    ]
    replayed = SCHEDULER.reschedule_card(Card(card_id=cid, due=review_datetime(day(1))), logs)
    assert state.card == replayed.to_dict()
    assert state.due_on == replayed.due.date()
    assert state.interval_days == (replayed.due.date() - day(20)).days
    assert Card.from_dict(state.card).to_dict() == state.card  # stored as JSON, read back


def test_the_fsrs_review_time_is_noon_utc_as_fsrs_requires():
    instant = review_datetime(day(1))
    assert instant.tzinfo is not None and instant.utcoffset() == timedelta(0)
    assert (instant.date(), instant.hour) == (day(1), 12)


def test_a_rating_of_1_in_maintenance_sends_the_item_back_to_learning():
    item = Item("piece", 9, "Nocturne", "performance_ready")
    state = review_state(item, plays((1, 4), (10, 1)))
    assert (state.phase, state.due_on, state.interval_days) == (LEARNING, day(11), 1)
    assert state.card is None and state.good_days == 0
    # It has to earn its way out again: two good days.
    assert review_state(item, plays((1, 4), (10, 1), (11, 4))).phase == LEARNING
    assert review_state(item, plays((1, 4), (10, 1), (11, 4), (13, 4))).phase == MAINTENANCE


def test_a_graduate_that_falls_apart_goes_back_to_learning():
    state = review_state(section(), plays((1, 4), (3, 4), (9, 1)))
    assert (state.phase, state.due_on, state.last_rating) == (LEARNING, day(10), 1)


def test_an_interval_override_replaces_the_computed_interval():
    learning = review_state(section(interval_days=3), plays((1, 2)))
    assert (learning.due_on, learning.interval_days, learning.computed_interval_days) == (
        day(4),
        3,
        1,
    )
    item = Item("piece", 9, "Nocturne", "performance_ready", interval_days=7)
    maintenance = review_state(item, plays((1, 3), (5, 4), (20, 4)))
    assert (maintenance.due_on, maintenance.interval_days) == (day(27), 7)
    assert maintenance.computed_interval_days != 7


def test_deleting_a_past_session_gives_the_state_as_if_it_never_happened():
    history = plays((1, 4), (3, 4), (9, 1))
    assert review_state(section(), history).phase == LEARNING
    deleted = [play for play in history if play.day != day(9)]
    state = review_state(section(), deleted)
    never = review_state(section(), plays((1, 4), (3, 4)))
    assert state == never
    assert state.phase == MAINTENANCE and state.last_reviewed_on == day(3)


def test_editing_a_past_rating_gives_the_state_as_if_it_was_always_so():
    history = plays((1, 4), (3, 4), (9, 3))
    assert review_state(section(), history).phase == MAINTENANCE
    edited = [Play(p.day, 2) if p.day == day(1) else p for p in history]
    state = review_state(section(), edited)
    assert state == review_state(section(), plays((1, 2), (3, 4), (9, 3)))
    # Without the first good day it never left learning: Mar 3 was good day one.
    assert (state.phase, state.good_days, state.due_on) == (LEARNING, 1, day(11))


def test_replay_ignores_the_order_plays_arrive_in():
    history = plays((1, 3), (4, 4), (6, 5), (15, 2), (40, 3))
    assert review_state(section(), history) == review_state(section(), history[::-1])
