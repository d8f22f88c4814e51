"""The "Up next" score, its reasons in plain words, and the ranked list, on fixtures."""

from datetime import date
from datetime import timedelta

import pytest

from tracker.guidance.items import GoalRecord
from tracker.guidance.items import Item
from tracker.guidance.items import PieceRecord
from tracker.guidance.items import Play
from tracker.guidance.items import SectionRecord
from tracker.guidance.items import SessionLink
from tracker.guidance.items import active_items
from tracker.guidance.items import plays_by_item
from tracker.guidance.schedule import review_state
from tracker.guidance.score import score_item
from tracker.guidance.tempo import tempo_state
from tracker.guidance.up_next import DUE
from tracker.guidance.up_next import LATER
from tracker.guidance.up_next import SET_ASIDE
from tracker.guidance.up_next import instrument_cap
from tracker.guidance.up_next import up_next

pytestmark = pytest.mark.pure

TODAY = date(2026, 3, 20)
PIANO, GUITAR = 1, 2


def ago(days):
    return TODAY - timedelta(days=days)


def section(section_id, status="learning", instrument=PIANO, **fields):
    name = {PIANO: "Piano", GUITAR: "Guitar", None: None}[instrument]
    return Item(
        "section",
        section_id,
        f"Section {section_id}",
        status,
        instrument_id=instrument,
        instrument_name=name,
        **fields,
    )


def scored(item, plays, today=TODAY):
    state = review_state(item, plays)
    return score_item(item, state, tempo_state(item, plays), today)


def listing(entries):
    """(key, reasons) of each entry, in order."""
    return [(entry.item.key, list(entry.reasons)) for entry in entries]


def test_a_section_not_played_for_16_days_before_a_deadline_comes_first():
    neglected = section(5, deadlines=(TODAY + timedelta(days=5),))
    on_time = Item("goal", 1, "Scales", "in_progress", priority=3)
    plays = {neglected.key: [Play(ago(16), 3)], on_time.key: [Play(ago(2), 3)]}
    entries = up_next([on_time, neglected], plays, TODAY)
    assert listing(entries) == [
        (("section", 5), ["not played for 16 days (due every 2)", "deadline in 5 days"]),
        (("goal", 1), ["not played for 2 days (due every 2)", "high priority"]),
    ]
    # 16 days is 8 intervals of 2, capped at 60; the deadline 5 days off is 25; learning 10.
    assert [entry.score for entry in entries] == [95, 30]


def test_a_tempo_plateau_lifts_an_item_and_says_so():
    stuck = section(5, target_bpm=120)
    plain = section(6, target_bpm=120)
    stuck_plays = [Play(ago(n), 3, tempo_bpm=96, clean=True) for n in (6, 4, 2)]
    rising = [Play(ago(n), 3, tempo_bpm=bpm, clean=True) for n, bpm in ((6, 88), (4, 92), (2, 96))]
    entries = up_next([plain, stuck], {stuck.key: stuck_plays, plain.key: rising}, TODAY)
    assert listing(entries) == [
        (
            ("section", 5),
            ["tempo stuck at 96 of 120 BPM for 3 sessions", "not played for 2 days (due every 2)"],
        ),
        (("section", 6), ["not played for 2 days (due every 2)"]),
    ]
    assert [entry.suggested_bpm for entry in entries] == [104, 104]


def test_an_instrument_left_for_two_weeks_rises_to_the_top():
    piano = [section(n, priority=3) for n in range(1, 6)]
    guitar = [section(10, instrument=GUITAR), section(11, instrument=GUITAR)]
    plays = {item.key: [Play(ago(2), 4)] for item in piano}
    plays |= {item.key: [Play(ago(14), 3)] for item in guitar}
    entries = up_next(piano + guitar, plays, TODAY, limit=5)
    assert listing(entries)[:2] == [
        (("section", 10), ["not played for 14 days (due every 2)"]),
        (("section", 11), ["not played for 14 days (due every 2)"]),
    ]
    assert [entry.item.instrument_name for entry in entries] == ["Guitar"] * 2 + ["Piano"] * 3


def test_a_fresh_performance_ready_piece_stays_low():
    ready = Item("piece", 3, "Nocturne", "performance_ready", instrument_id=PIANO)
    never_played = Item("piece", 4, "Gymnopédie", "performance_ready", instrument_id=PIANO)
    learning = section(5)
    new_goal = Item("goal", 1, "Arpeggios", "not_started", instrument_id=PIANO)
    plays = {ready.key: [Play(ago(1), 4)], learning.key: [Play(ago(2), 3)]}
    entries = up_next([ready, never_played, learning, new_goal], plays, TODAY)
    ready_state = review_state(ready, plays[ready.key])
    days_left = (ready_state.due_on - TODAY).days
    assert days_left > 1
    assert listing(entries) == [
        (("goal", 1), ["never practised yet"]),
        (("section", 5), ["not played for 2 days (due every 2)"]),
        (("piece", 4), ["never practised yet"]),
        (("piece", 3), [f"due in {days_left} days"]),
    ]
    assert [entry.band for entry in entries] == [DUE, DUE, DUE, LATER]
    assert [entry.score for entry in entries] == [25, 20, 15, 0]


def test_completed_and_archived_goals_never_appear():
    soon = TODAY + timedelta(days=1)
    goals = [
        GoalRecord(1, "Done", status="completed", priority=3, target_date=soon),
        GoalRecord(2, "Shelved", archived=True, priority=3, target_date=soon),
        GoalRecord(3, "Open"),
    ]
    pieces = [PieceRecord(7, "Old piece", status="archived")]
    links = [SessionLink(1, ago(30), goal_id=1, rating=1), SessionLink(1, ago(30), goal_id=2)]
    items = active_items(goals, pieces, [])
    entries = up_next(items, plays_by_item(links, goals, []), TODAY)
    assert listing(entries) == [(("goal", 3), ["never practised yet"])]


def test_a_completed_goals_deadline_no_longer_pushes_its_piece():
    goals = [
        GoalRecord(1, "Concert", status="completed", priority=3, target_date=TODAY, piece_ids=(7,))
    ]
    items = active_items(goals, [PieceRecord(7, "Sonata")], [])
    assert listing(up_next(items, {}, TODAY)) == [(("piece", 7), ["never practised yet"])]


def test_a_snoozed_item_is_out_until_its_snooze_ends():
    snoozed = section(5, snoozed_until=TODAY + timedelta(days=3))
    other = section(6)
    for n in range(3):
        entries = up_next([snoozed, other], {}, TODAY + timedelta(days=n))
        assert [entry.item.key for entry in entries] == [("section", 6)]
    back = up_next([snoozed, other], {}, TODAY + timedelta(days=3))
    assert [entry.item.key for entry in back] == [("section", 5), ("section", 6)]


def test_not_now_lowers_an_item_for_the_rest_of_the_day_only():
    put_off = section(5, deadlines=(TODAY + timedelta(days=2),), not_now_on=TODAY)
    later = section(6, status="performance_ready")
    low = section(7, priority=1)
    plays = {later.key: [Play(ago(1), 4)], low.key: [Play(ago(2), 3)]}
    entries = up_next([put_off, later, low], plays, TODAY)
    assert [entry.item.key for entry in entries] == [("section", 7), ("section", 6), ("section", 5)]
    assert [entry.band for entry in entries] == [DUE, LATER, SET_ASIDE]
    assert list(entries[-1].reasons) == [
        "set aside for today",
        "deadline in 2 days",
        "never practised yet",
    ]
    tomorrow = up_next([put_off, later, low], plays, TODAY + timedelta(days=1))
    assert tomorrow[0].item.key == ("section", 5)
    assert list(tomorrow[0].reasons) == ["deadline in 1 day", "never practised yet"]


def test_a_new_user_with_goals_and_no_sessions_sees_them_ranked_never_practised():
    goals = [
        GoalRecord(1, "Major scales", priority=3),
        GoalRecord(2, "Grade 5 pieces", target_date=TODAY + timedelta(days=10)),
        GoalRecord(3, "Sight-reading", priority=1),
        GoalRecord(4, "Bach Invention 1", target_bpm=100, start_bpm=60),
    ]
    entries = up_next(active_items(goals, [], []), {}, TODAY)
    assert listing(entries) == [
        (("goal", 2), ["deadline in 10 days", "never practised yet"]),
        (("goal", 1), ["never practised yet", "high priority"]),
        (("goal", 4), ["never practised yet"]),
        (("goal", 3), ["never practised yet", "low priority"]),
    ]
    assert [entry.score for entry in entries] == [45, 35, 25, 20]
    assert [entry.suggested_bpm for entry in entries] == [None, None, 60, None]
    assert all(entry.state.due_on is None and entry.band == DUE for entry in entries)


def test_no_instrument_takes_more_than_two_thirds_of_the_due_list():
    piano = [section(n, priority=3) for n in range(1, 9)]
    guitar = [section(n, instrument=GUITAR) for n in range(10, 13)]
    plays = {item.key: [Play(ago(2), 3)] for item in piano + guitar}
    entries = up_next(piano + guitar, plays, TODAY, limit=6)
    # Piano items score 30 and guitar 20, but piano may take only 4 of the 6 places.
    assert [entry.item.key[1] for entry in entries] == [1, 2, 3, 4, 10, 11]
    assert instrument_cap(6) == 4 and instrument_cap(10) == 6 and instrument_cap(5) == 3


def test_the_balance_fills_with_the_held_back_when_the_others_run_out():
    piano = [section(n, priority=3) for n in range(1, 9)]
    guitar = [section(10, instrument=GUITAR)]
    plays = {item.key: [Play(ago(2), 3)] for item in piano + guitar}
    entries = up_next(piano + guitar, plays, TODAY, limit=6)
    assert [entry.item.key[1] for entry in entries] == [1, 2, 3, 4, 10, 5]


def test_no_balance_when_only_one_instrument_has_due_items():
    piano = [section(n, priority=3) for n in range(1, 9)]
    guitar = [section(10, instrument=GUITAR)]
    plays = {item.key: [Play(ago(2), 3)] for item in piano}
    plays[guitar[0].key] = [Play(ago(1), 3)]  # due tomorrow
    entries = up_next(piano + guitar, plays, TODAY, limit=6)
    assert [entry.item.key[1] for entry in entries] == [1, 2, 3, 4, 5, 6]


def test_items_without_an_instrument_count_as_an_instrument_of_their_own():
    piano = [section(n, priority=3) for n in range(1, 9)]
    theory = [section(20, instrument=None), section(21, instrument=None)]
    plays = {item.key: [Play(ago(2), 3)] for item in piano + theory}
    entries = up_next(piano + theory, plays, TODAY, limit=6)
    assert [entry.item.key[1] for entry in entries] == [1, 2, 3, 4, 20, 21]


def test_came_apart_last_time_with_a_one_day_interval():
    item = section(5)
    assert scored(item, [Play(ago(3), 4), Play(ago(1), 1)]).reasons == (
        "came apart last time (rated 1)",
        "not played for 1 day (due every day)",
    )


def test_the_users_own_interval_is_the_one_the_reason_names():
    item = section(5, interval_days=3)
    score = scored(item, [Play(ago(7), 3)])
    assert score.reasons == ("not played for 7 days (due every 3)",)
    assert score.points == 33.3  # 10 × 7/3 for being due, 10 for learning


def test_a_passed_deadline_or_one_30_days_away_does_not_count():
    item = section(5, deadlines=(ago(3), TODAY + timedelta(days=30)))
    assert scored(item, []).reasons == ("never practised yet",)
    today = section(6, deadlines=(ago(3), TODAY))
    assert scored(today, []).reasons == ("deadline today", "never practised yet")


def test_the_entry_summary_has_the_api_shape():
    item = section(5, target_bpm=120)
    (entry,) = up_next([item], {item.key: [Play(ago(4), 3, tempo_bpm=90, clean=True)]}, TODAY)
    assert entry.summary() == {
        "kind": "section",
        "id": 5,
        "title": "Section 5",
        "instrument": {"id": PIANO, "name": "Piano"},
        "score": 30,
        "phase": "learning",
        "due_on": ago(2),
        "interval_days": 2,
        "suggested_bpm": 98,  # 90 + min(8, 9)
        "reasons": ["not played for 4 days (due every 2)"],
    }


def test_from_records_a_section_and_the_goal_naming_its_piece_share_the_history():
    goals = [GoalRecord(1, "Recital", target_date=TODAY + timedelta(days=5), piece_ids=(7,))]
    pieces = [PieceRecord(7, "Sonata", instrument_id=PIANO, instrument_name="Piano")]
    sections = [SectionRecord(5, 7, "Exposition"), SectionRecord(6, 7, "Development")]
    links = [
        SessionLink(1, ago(16), piece_id=7, section_id=5, rating=3),
        SessionLink(2, ago(1), piece_id=7, section_id=6, rating=2),
    ]
    items = active_items(goals, pieces, sections)
    entries = up_next(items, plays_by_item(links, goals, sections), TODAY)
    assert listing(entries) == [
        (("section", 5), ["not played for 16 days (due every 2)", "deadline in 5 days"]),
        (("goal", 1), ["deadline in 5 days", "not played for 1 day (due every day)"]),
        (("section", 6), ["deadline in 5 days", "not played for 1 day (due every day)"]),
    ]
    assert entries[0].item.title == "Sonata — Exposition"
