"""An item's schedule in plain words, as its page shows it (pure functions over plain data)."""

from datetime import date

import pytest

from tracker.guidance.item_page import PHASES
from tracker.guidance.item_page import due_text
from tracker.guidance.item_page import interval_text
from tracker.guidance.item_page import last_played_text
from tracker.guidance.item_page import schedule_of
from tracker.guidance.item_page import tempo_chart
from tracker.guidance.items import Play
from tracker.guidance.schedule import ReviewState
from tracker.phrases import tempo_of_target_text

pytestmark = pytest.mark.pure

TODAY = date(2026, 12, 1)  # a Tuesday


def _state(due_on=None, computed=None, own=None, last=None, phase="learning", reviews=1):
    return ReviewState(
        phase=phase,
        due_on=due_on,
        interval_days=own or computed,
        computed_interval_days=computed,
        last_reviewed_on=last,
        review_count=reviews if last else 0,
        last_rating=3 if last else None,
        good_days=0,
        card=None,
    )


@pytest.mark.parametrize(
    "due_on, expected",
    [
        (date(2026, 12, 2), "due tomorrow"),
        (date(2026, 12, 1), "due today"),
        (date(2026, 12, 5), "due in 4 days"),
        (date(2026, 11, 30), "1 day overdue"),
        (date(2026, 11, 28), "3 days overdue"),
    ],
)
def test_due_in_plain_words(due_on, expected):
    assert due_text(_state(due_on=due_on, computed=2, last=date(2026, 11, 26)), TODAY) == expected


def test_an_item_never_played_is_never_practised_yet():
    state = _state()
    assert due_text(state, TODAY) == "never practised yet"
    assert interval_text(state, None) == "worked out after your first session"
    assert last_played_text(state.last_reviewed_on, TODAY) == "not yet"


def test_interval_computed_and_the_users_own():
    played = _state(due_on=date(2026, 12, 2), computed=2, last=date(2026, 11, 30))
    assert interval_text(played, None) == "every 2 days"
    assert interval_text(_state(computed=1, last=TODAY), None) == "every day"
    overridden = _state(due_on=date(2026, 12, 3), computed=31, own=3, last=date(2026, 11, 30))
    assert interval_text(overridden, 3) == "every 3 days (your setting; computed: every 31)"
    assert interval_text(_state(own=3), 3) == "every 3 days (your setting)"


def test_last_played_in_plain_words():
    assert last_played_text(TODAY, TODAY) == "today"
    assert last_played_text(date(2026, 11, 30), TODAY) == "yesterday"
    assert last_played_text(date(2026, 11, 28), TODAY) == "Sat 28 Nov (3 days ago)"
    assert last_played_text(date(2025, 11, 28), TODAY) == "Fri 28 Nov 2025 (368 days ago)"


def test_schedule_names_the_phase_with_its_meaning():
    learning = schedule_of(
        _state(due_on=date(2026, 11, 29), computed=2, last=date(2026, 11, 27)), None, TODAY
    )
    assert (learning.phase, learning.due, learning.overdue) == ("Learning", "2 days overdue", True)
    assert learning.phase_meaning == PHASES["learning"][1]
    kept = schedule_of(
        _state(
            due_on=date(2026, 12, 20), computed=21, last=date(2026, 11, 29), phase="maintenance"
        ),
        None,
        TODAY,
    )
    assert (kept.phase, kept.interval, kept.due) == (
        "Maintenance",
        "every 21 days",
        "due in 19 days",
    )
    assert kept.phase_meaning.startswith("It is solid")


def test_tempo_chart_keeps_the_plays_with_a_tempo_in_order():
    plays = [
        Play(day=date(2026, 11, 2), tempo_bpm=80, clean=True),
        Play(day=date(2026, 11, 3)),
        Play(day=date(2026, 11, 4), tempo_bpm=88, clean=False),
    ]
    assert tempo_chart("section-4", "Cadenza", plays, 120) == {
        "key": "section-4",
        "label": "Cadenza",
        "target": 120,
        "points": [
            {"day": "2026-11-02", "bpm": 80, "clean": True},
            {"day": "2026-11-04", "bpm": 88, "clean": False},
        ],
    }


def test_tempo_against_its_target():
    assert tempo_of_target_text(96, 120) == "96 / 120 BPM (80 %)"
    assert tempo_of_target_text(96, None) == "96 BPM"
    assert tempo_of_target_text(None, 120) == ""
