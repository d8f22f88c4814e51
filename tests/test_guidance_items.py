"""Which goals, pieces and sections guidance works on, and which plays count for each."""

from datetime import date

import pytest

from tracker.guidance.items import GoalRecord
from tracker.guidance.items import ItemSettings
from tracker.guidance.items import PieceRecord
from tracker.guidance.items import SectionRecord
from tracker.guidance.items import SessionLink
from tracker.guidance.items import active_items
from tracker.guidance.items import plays_by_item

pytestmark = pytest.mark.pure

MAR_1 = date(2026, 3, 1)


def keys(items):
    return [item.key for item in items]


def test_completed_and_archived_goals_are_left_out():
    goals = [
        GoalRecord(1, "Scales", status="in_progress"),
        GoalRecord(2, "Done", status="completed"),
        GoalRecord(3, "Old", status="not_started", archived=True),
        GoalRecord(4, "Fresh"),
    ]
    assert keys(active_items(goals, [], [])) == [("goal", 1), ("goal", 4)]


def test_archived_pieces_and_their_sections_are_left_out():
    pieces = [PieceRecord(1, "Prelude"), PieceRecord(2, "Gone", status="archived")]
    sections = [SectionRecord(5, 2, "Coda")]
    assert keys(active_items([], pieces, sections)) == [("piece", 1)]


def test_a_piece_with_sections_is_replaced_by_its_sections():
    pieces = [PieceRecord(1, "Partita No. 2", instrument_id=7, instrument_name="Violin")]
    sections = [SectionRecord(5, 1, "Chaconne", target_bpm=60), SectionRecord(6, 1, "Gigue")]
    items = active_items([], pieces, sections)
    assert keys(items) == [("section", 5), ("section", 6)]
    assert items[0].title == "Partita No. 2 — Chaconne"
    assert (items[0].instrument_id, items[0].instrument_name) == (7, "Violin")
    assert items[0].target_bpm == 60


def test_deadlines_and_priority_come_from_every_open_goal_naming_the_item():
    goals = [
        GoalRecord(1, "Recital", priority=3, target_date=date(2026, 4, 10), section_ids=(5,)),
        GoalRecord(2, "Exam", priority=1, target_date=date(2026, 3, 20), piece_ids=(1,)),
        GoalRecord(
            3,
            "Past",
            status="completed",
            priority=3,
            target_date=date(2026, 3, 5),
            piece_ids=(1, 2),
        ),
    ]
    pieces = [PieceRecord(1, "Sonata"), PieceRecord(2, "Study")]
    sections = [SectionRecord(5, 1, "Exposition"), SectionRecord(6, 1, "Development")]
    by_key = {item.key: item for item in active_items(goals, pieces, sections)}
    assert by_key["section", 5].deadlines == (date(2026, 3, 20), date(2026, 4, 10))
    assert by_key["section", 5].priority == 3
    assert by_key["section", 6].deadlines == (date(2026, 3, 20),)
    assert by_key["section", 6].priority == 1
    # Only the completed goal names the study: no deadline, medium priority.
    assert by_key["piece", 2].deadlines == ()
    assert by_key["piece", 2].priority == 2


def test_settings_reach_their_item():
    settings = {("goal", 1): ItemSettings(interval_days=3, snoozed_until=MAR_1, not_now_on=MAR_1)}
    (goal,) = active_items([GoalRecord(1, "Scales")], [], [], settings)
    assert (goal.interval_days, goal.snoozed_until, goal.not_now_on) == (3, MAR_1, MAR_1)


def test_a_section_link_counts_for_the_section_and_the_goals_naming_it_or_its_piece():
    goals = [
        GoalRecord(1, "Recital", piece_ids=(1,)),
        GoalRecord(2, "Chaconne clean", section_ids=(5,)),
        GoalRecord(3, "Done", status="completed", piece_ids=(1,)),
    ]
    sections = [SectionRecord(5, 1, "Chaconne")]
    links = [SessionLink(10, MAR_1, piece_id=1, section_id=5, rating=4, tempo_bpm=60, clean=True)]
    found = plays_by_item(links, goals, sections)
    assert set(found) == {("section", 5), ("goal", 1), ("goal", 2)}
    assert found["goal", 1][0].tempo_bpm == 60


def test_one_session_reaching_an_item_twice_counts_once_with_the_better_rating():
    goals = [GoalRecord(1, "Recital", piece_ids=(1,))]
    links = [
        SessionLink(10, MAR_1, goal_id=1, rating=2),
        SessionLink(10, MAR_1, piece_id=1, rating=4),
        SessionLink(11, MAR_1, goal_id=1, rating=3),
    ]
    found = plays_by_item(links, goals, [])
    assert [play.rating for play in found["goal", 1]] == [4, 3]
    assert [play.rating for play in found["piece", 1]] == [4]
