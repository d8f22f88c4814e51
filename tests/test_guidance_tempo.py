"""The last clean tempo, the suggested tempo and the tempo plateau."""

from datetime import date
from datetime import timedelta

import pytest

from tracker.guidance.items import Item
from tracker.guidance.items import Play
from tracker.guidance.tempo import Plateau
from tracker.guidance.tempo import last_clean_tempo
from tracker.guidance.tempo import plateau
from tracker.guidance.tempo import step_up
from tracker.guidance.tempo import suggested_tempo
from tracker.guidance.tempo import tempo_state

pytestmark = pytest.mark.pure

MAR_1 = date(2026, 3, 1)


def played(*tempos):
    """Plays on successive days; a tempo written as a string, "90?", was not clean."""
    result = []
    for n, tempo in enumerate(tempos):
        clean = not (isinstance(tempo, str) and tempo.endswith("?"))
        bpm = None if tempo is None else int(str(tempo).rstrip("?"))
        result.append(Play(MAR_1 + timedelta(days=n), 3, tempo_bpm=bpm, clean=clean))
    return result


@pytest.mark.parametrize(
    ("bpm", "expected"),
    [(60, 66), (72, 79), (80, 88), (96, 104), (150, 158), (5, 6)],
)
def test_the_step_is_ten_percent_rounded_down_at_most_8_at_least_1(bpm, expected):
    assert step_up(bpm) == expected


def test_after_a_clean_play_the_suggestion_steps_up():
    assert suggested_tempo(played(60, 72), target_bpm=120) == 79


def test_the_suggestion_never_passes_the_target():
    assert suggested_tempo(played(116), target_bpm=120) == 120
    assert suggested_tempo(played(124), target_bpm=120) == 120


def test_after_a_play_that_was_not_clean_the_suggestion_is_the_last_clean_tempo():
    assert suggested_tempo(played(72, "80?"), target_bpm=120) == 72
    assert suggested_tempo(played(72, "64?"), target_bpm=120) == 72


def test_plays_without_a_tempo_leave_the_suggestion_alone():
    assert suggested_tempo(played(72, None), target_bpm=120) == 79
    assert last_clean_tempo(played(72, "80?", None)) == 72


def test_with_no_clean_tempo_yet_the_suggestion_is_the_start_tempo():
    assert suggested_tempo(played("70?"), target_bpm=120, start_bpm=60) == 60
    assert suggested_tempo([], target_bpm=120, start_bpm=60) == 60


def test_with_no_clean_tempo_and_no_start_tempo_there_is_no_suggestion():
    assert suggested_tempo(played("70?"), target_bpm=120) is None
    assert suggested_tempo([]) is None


def test_without_a_target_the_suggestion_just_steps_up():
    assert suggested_tempo(played(100)) == 108


def test_three_clean_tempos_that_do_not_rise_under_target_are_a_plateau():
    assert plateau(played(96, 96, 96), 120) == Plateau(bpm=96, target_bpm=120, plays=3)
    assert plateau(played(100, 98, 96), 120) == Plateau(bpm=96, target_bpm=120, plays=3)


def test_the_plateau_counts_back_as_long_as_the_tempo_has_not_risen():
    history = played(80, 96, 96, "104?", 96, 96, 96)
    assert plateau(history, 120) == Plateau(bpm=96, target_bpm=120, plays=5)


@pytest.mark.parametrize(
    "tempos",
    [
        (96, 96),  # only two clean tempos
        (92, 96, 96),  # it rose
        (96, 100, 96),  # it rose in between
        (120, 120, 120),  # at the target: done, not stuck
        (124, 120, 110, 110),  # only the last two are under the target
    ],
)
def test_no_plateau_when_the_tempo_rises_reaches_target_or_is_too_short(tempos):
    assert plateau(played(*tempos), 120) is None


def test_no_plateau_without_a_target():
    assert plateau(played(96, 96, 96), None) is None


def test_not_clean_plays_do_not_break_or_make_a_plateau():
    assert plateau(played(96, "110?", 96, "90?", 96), 120) == Plateau(96, 120, 3)
    assert plateau(played("96?", "96?", "96?"), 120) is None


def test_tempo_state_gathers_the_figures():
    item = Item("section", 5, "Exposition", "learning", target_bpm=120, start_bpm=60)
    state = tempo_state(item, played(96, 96, 96))
    assert (state.last_clean_bpm, state.suggested_bpm, state.target_bpm) == (96, 104, 120)
    assert state.plateau == Plateau(96, 120, 3)
