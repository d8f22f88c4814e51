"""One user's "Up next", plan, snooze, "not now" and left-off cards, read from the database."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.guidance.lists import left_off_and_up_next
from tracker.guidance.lists import plan_for
from tracker.guidance.lists import set_aside
from tracker.guidance.lists import snooze
from tracker.guidance.lists import up_next_for

TODAY = date(2026, 3, 20)
NOW = datetime(2026, 3, 20, 9, tzinfo=UTC)


def _at(day, hour=18):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _session(user, day, instrument=None, **fields):
    return PracticeSessionFactory(user=user, started_at=_at(day), instrument=instrument, **fields)


def _titles(entries):
    return [entry.item.title for entry in entries]


def test_a_new_user_with_goals_and_no_sessions_sees_them_never_practised():
    user = UserFactory()
    GoalFactory(user=user, name="Scales in thirds", priority=3)
    GoalFactory(user=user, name="Sight-reading", priority=2)
    entries = up_next_for(user.id, TODAY)
    assert _titles(entries) == ["Scales in thirds", "Sight-reading"]
    assert entries[0].reasons == ("never practised yet", "high priority")


def test_a_section_left_for_16_days_before_a_deadline_comes_first_with_true_reasons():
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    piece = PieceFactory(user=user, title="Clair de lune", instrument=piano)
    section = PieceSectionFactory(user=user, piece=piece, section_name="Bars 15-26")
    fresh = PieceSectionFactory(user=user, piece=piece, section_name="Bars 1-14")
    GoalFactory(
        user=user, name="Play at the recital", pieces=[piece], target_date=TODAY + timedelta(days=5)
    )
    old = _session(user, TODAY - timedelta(days=16), piano)
    SessionPieceFactory(user=user, session=old, piece=piece, section=section)
    recent = _session(user, TODAY - timedelta(days=1), piano)
    SessionPieceFactory(user=user, session=recent, piece=piece, section=fresh)
    entries = up_next_for(user.id, TODAY)
    first = entries[0]
    assert first.item.title == "Clair de lune — Bars 15-26"
    assert first.reasons == ("not played for 16 days (due every 2)", "deadline in 5 days")


def test_snoozed_items_are_out_and_not_now_lowers_for_the_day():
    user = UserFactory()
    first = GoalFactory(user=user, name="A", priority=3)
    second = GoalFactory(user=user, name="B", priority=2)
    third = GoalFactory(user=user, name="C", priority=1)
    assert snooze(user.id, "goal", first.id, 3, TODAY)
    assert set_aside(user.id, "goal", second.id, TODAY)
    db.session.commit()
    entries = up_next_for(user.id, TODAY)
    assert _titles(entries) == ["C", "B"]
    assert entries[1].reasons[0] == "set aside for today"
    # The snooze ends after 3 days; "not now" after the day.
    assert _titles(up_next_for(user.id, TODAY + timedelta(days=3))) == ["A", "B", "C"]
    assert third.id


def test_another_users_item_cannot_be_snoozed():
    goal = GoalFactory()
    stranger = UserFactory()
    assert not snooze(stranger.id, "goal", goal.id, 1, TODAY)
    assert not set_aside(stranger.id, "goal", goal.id, TODAY)


def test_a_plan_shares_the_minutes_across_the_top_of_up_next():
    user = UserFactory()
    for name in ("A", "B", "C", "D"):
        GoalFactory(user=user, name=name)
    plan = plan_for(user.id, TODAY, 30)
    assert [(step.entry.item.title, step.minutes) for step in plan] == [
        ("A", 10),
        ("B", 10),
        ("C", 10),
    ]


def test_left_off_has_a_card_per_instrument_most_recent_first_with_notes_and_tempo():
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    guitar = InstrumentFactory(user=user, name="Guitar")
    study = GoalFactory(user=user, name="Travis picking", instrument=guitar, target_bpm=120)
    piece = PieceFactory(user=user, title="Gymnopédie", instrument=piano)
    old_piano = _session(user, TODAY - timedelta(days=20), piano, notes="old")
    SessionPieceFactory(user=user, session=old_piano, piece=piece, next_time="LH voicing in bar 12")
    for days, bpm, note in ((10, 72, "start at 72"), (3, 76, None)):
        session = _session(user, TODAY - timedelta(days=days), guitar, notes=f"{days} days")
        SessionGoalFactory(
            user=user, session=session, goal=study, tempo_bpm=bpm, clean=True, next_time=note
        )
    _session(user, TODAY - timedelta(days=90), None)  # outside the window: no card
    loose = _session(user, TODAY - timedelta(days=2), None, notes="ear training")
    cards, entries = left_off_and_up_next(user.id, NOW)
    assert [card["instrument"] and card["instrument"]["name"] for card in cards] == [
        None,
        "Guitar",
        "Piano",
    ]
    assert cards[0]["last_session"]["id"] == loose.id and cards[0]["items"] == []
    guitar_item = cards[1]["items"][0]
    assert cards[1]["last_session"]["notes"] == "3 days"
    assert (guitar_item["title"], guitar_item["next_time"]) == ("Travis picking", "start at 72")
    assert (guitar_item["last_clean_bpm"], guitar_item["target_bpm"]) == (76, 120)
    assert guitar_item["noted_at"] == _at(TODAY - timedelta(days=10))
    assert cards[2]["items"][0]["next_time"] == "LH voicing in bar 12"
    assert {entry.item.title for entry in entries} == {"Travis picking", "Gymnopédie"}


def test_overview_makes_the_same_queries_for_10_and_300_sessions(count_queries):
    counts = []
    for sessions in (10, 300):
        user = UserFactory()
        piano = InstrumentFactory(user=user)
        goal = GoalFactory(user=user, instrument=piano)
        section = PieceSectionFactory(user=user)
        for n in range(sessions):
            session = _session(user, TODAY - timedelta(days=n % 80, hours=n), piano)
            SessionGoalFactory(user=user, session=session, goal=goal, next_time=f"note {n}")
            SessionPieceFactory(user=user, session=session, piece=section.piece, section=section)
        left_off_and_up_next(user.id, NOW)
        counts.append(count_queries(lambda user=user: left_off_and_up_next(user.id, NOW)))
    assert counts[0] == counts[1]


def test_a_next_time_note_edited_on_its_own_shows_on_the_card():
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    goal = GoalFactory(user=user, name="Scales", instrument=piano)
    session = _session(user, TODAY - timedelta(days=1), piano)
    link = SessionGoalFactory(user=user, session=session, goal=goal, next_time="start at 80")
    db.session.commit()
    cards, _entries = left_off_and_up_next(user.id, NOW)
    assert cards[0]["items"][0]["next_time"] == "start at 80"
    link.next_time = "bars 9-12 hands apart"
    db.session.commit()
    cards, _entries = left_off_and_up_next(user.id, NOW)
    assert cards[0]["items"][0]["next_time"] == "bars 9-12 hands apart"


def test_a_note_older_than_the_window_is_not_shown_on_a_recent_card():
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    goal = GoalFactory(user=user, name="Scales", instrument=piano)
    old = _session(user, TODAY - timedelta(days=70), piano)
    SessionGoalFactory(user=user, session=old, goal=goal, next_time="from last winter")
    recent = _session(user, TODAY - timedelta(days=2), piano)
    SessionGoalFactory(user=user, session=recent, goal=goal)
    cards, _entries = left_off_and_up_next(user.id, NOW)
    line = cards[0]["items"][0]
    assert (line["title"], line["next_time"], line["noted_at"]) == ("Scales", None, None)
