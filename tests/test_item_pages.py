"""Goal and piece pages: the schedule in plain words, the user's own interval, tempos and charts."""

import json
import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.admin.schedule import INTERVAL_MESSAGE
from tracker.extensions import db
from tracker.guidance.states import item_plays
from tracker.guidance.states import item_row

GOALS = "/app/goal"
PIECES = "/app/piece"


def _today():
    """The local day of a user in UTC (the factories' zone)."""
    return datetime.now(UTC).date()


def _at(days_ago, hour=12):
    day = _today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _play_goal(goal, days_ago, rating=3, **fields):
    session = PracticeSessionFactory(
        user=goal.user, started_at=_at(days_ago), quality_rating=rating
    )
    return SessionGoalFactory(user=goal.user, session=session, goal=goal, **fields)


def _play_section(section, days_ago, rating=3, hour=12, **fields):
    session = PracticeSessionFactory(
        user=section.user, started_at=_at(days_ago, hour), quality_rating=rating
    )
    return SessionPieceFactory(
        user=section.user, session=session, piece=section.piece, section=section, **fields
    )


def _text(html, css_class, key):
    """The text of the element with css_class inside the schedule box of item key."""
    box = html[html.index(f'id="schedule-{key}"') :]
    return re.search(rf'class="{css_class}[^"]*">([^<]*)<', box).group(1)


def _chart_data(html):
    return json.loads(re.search(r'id="tempo-data">(.*?)</script>', html, re.S).group(1))


def test_goal_page_says_when_it_is_due_in_plain_words(client, auth):
    goal = GoalFactory(name="Scales in thirds")
    _play_goal(goal, days_ago=1)
    auth.login(goal.user)
    body = client.get(f"{GOALS}/details/?id={goal.id}").get_data(as_text=True)
    key = f"goal-{goal.id}"
    assert _text(body, "badge badge-info", key) == "Learning"
    assert _text(body, "schedule-due", key) == "due tomorrow"
    assert _text(body, "schedule-interval", key) == "every 2 days"
    assert _text(body, "schedule-last", key) == "yesterday"
    assert "You are still learning it" in body


def test_goal_page_of_an_overdue_goal_and_a_new_one(client, auth):
    user = UserFactory()
    late = GoalFactory(user=user)
    _play_goal(late, days_ago=5)
    fresh = GoalFactory(user=user)
    auth.login(user)
    body = client.get(f"{GOALS}/details/?id={late.id}").get_data(as_text=True)
    assert _text(body, "schedule-due text-danger", f"goal-{late.id}") == "3 days overdue"
    played = _today() - timedelta(days=5)
    assert _text(body, "schedule-last", f"goal-{late.id}") == (
        f"{played:%a} {played.day} {played:%b}"
        + (f" {played.year}" if played.year != _today().year else "")
        + " (5 days ago)"
    )
    body = client.get(f"{GOALS}/details/?id={fresh.id}").get_data(as_text=True)
    assert _text(body, "schedule-due", f"goal-{fresh.id}") == "never practised yet"
    assert _text(body, "schedule-last", f"goal-{fresh.id}") == "not yet"
    assert "No tempo logged yet: add the BPM when you log a session." in body
    assert 'id="tempo-data"' not in body


def test_a_completed_goal_is_not_on_the_schedule(client, auth):
    goal = GoalFactory(status="completed")
    auth.login(goal.user)
    body = client.get(f"{GOALS}/details/?id={goal.id}").get_data(as_text=True)
    assert "Not on your schedule" in body
    assert 'name="days"' not in body


def test_piece_page_shows_each_sections_schedule_and_maintenance(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user, title="Partita No. 2")
    ready = PieceSectionFactory(
        user=user, piece=piece, section_name="Gigue", status="performance_ready"
    )
    new = PieceSectionFactory(user=user, piece=piece, section_name="Chaconne")
    _play_section(ready, days_ago=0, rating=4)
    auth.login(user)
    body = client.get(f"{PIECES}/details/?id={piece.id}").get_data(as_text=True)
    assert _text(body, "badge badge-success", f"section-{ready.id}") == "Maintenance"
    assert _text(body, "schedule-last", f"section-{ready.id}") == "today"
    assert _text(body, "schedule-due", f"section-{new.id}") == "never practised yet"
    assert body.count('name="section"') == 2
    assert f'id="schedule-piece-{piece.id}"' not in body


def test_piece_without_sections_is_scheduled_itself(client, auth):
    piece = PieceFactory(title="Gymnopédie No. 1")
    session = PracticeSessionFactory(user=piece.user, started_at=_at(2))
    SessionPieceFactory(user=piece.user, session=session, piece=piece, tempo_bpm=66, clean=True)
    auth.login(piece.user)
    body = client.get(f"{PIECES}/details/?id={piece.id}").get_data(as_text=True)
    assert _text(body, "schedule-due", f"piece-{piece.id}") == "due today"
    data = _chart_data(body)
    assert data["items"][0]["points"] == [
        {"day": (_today() - timedelta(days=2)).isoformat(), "bpm": 66, "clean": True}
    ]
    assert data["items"][0]["target"] is None


def test_setting_an_interval_shows_it_beside_the_computed_one(client, auth):
    goal = GoalFactory(name="Arpeggios")
    _play_goal(goal, days_ago=1)
    auth.login(goal.user)
    response = client.post(f"{GOALS}/interval/?id={goal.id}", data={"days": "3"})
    assert response.status_code == 302
    assert f"/app/goal/details/?id={goal.id}" in response.headers["Location"]
    db.session.expire_all()
    assert item_row(goal.user.id, "goal", goal.id).interval_days == 3
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "“Arpeggios” now comes back every 3 days." in body
    key = f"goal-{goal.id}"
    assert _text(body, "schedule-interval", key) == "every 3 days (your setting; computed: every 2)"
    assert _text(body, "schedule-due", key) == "due in 2 days"
    assert re.search(r'name="days"[^>]*value="3"', body)


def test_clearing_the_interval_goes_back_to_the_computed_one(client, auth):
    goal = GoalFactory(name="Arpeggios")
    _play_goal(goal, days_ago=1)
    row = item_row(goal.user.id, "goal", goal.id)
    row.interval_days = 5
    db.session.commit()
    auth.login(goal.user)
    response = client.post(
        f"{GOALS}/interval/?id={goal.id}", data={"days": ""}, follow_redirects=True
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "“Arpeggios” is back on the interval worked out from your sessions." in body
    assert _text(body, "schedule-interval", f"goal-{goal.id}") == "every 2 days"
    db.session.expire_all()
    assert item_row(goal.user.id, "goal", goal.id).interval_days is None


def test_a_bad_interval_is_explained_beside_the_field(client, auth):
    goal = GoalFactory()
    auth.login(goal.user)
    for typed in ("0", "366", "abc", "2.5", "-1"):
        response = client.post(f"{GOALS}/interval/?id={goal.id}", data={"days": typed})
        assert response.status_code == 200, typed
        body = response.get_data(as_text=True)
        assert INTERVAL_MESSAGE in body
        assert re.search(rf'class="[^"]*is-invalid[^"]*"[^>]*value="{re.escape(typed)}"', body)
        assert 'id="goal-schedule"' in body
    db.session.expire_all()
    assert item_row(goal.user.id, "goal", goal.id).interval_days is None


def test_a_sections_interval_is_set_from_its_piece_page(client, auth):
    user = UserFactory()
    section = PieceSectionFactory(user=user, section_name="Cadenza")
    other = PieceSectionFactory(user=user)
    auth.login(user)
    url = f"{PIECES}/interval/?id={section.piece.id}"
    response = client.post(url, data={"section": str(section.id), "days": "4"})
    assert response.status_code == 302
    db.session.expire_all()
    assert item_row(user.id, "section", section.id).interval_days == 4
    # A section of another piece, no section, or a piece that has sections: not found.
    assert client.post(url, data={"section": str(other.id), "days": "4"}).status_code == 404
    assert client.post(url, data={"days": "4"}).status_code == 404
    db.session.expire_all()
    assert item_row(user.id, "section", other.id).interval_days is None
    assert item_row(user.id, "piece", section.piece.id).interval_days is None


def test_another_users_item_is_not_found(client, auth):
    alice = UserFactory()
    goal = GoalFactory(user=alice)
    section = PieceSectionFactory(user=alice)
    auth.login(UserFactory())
    assert client.post(f"{GOALS}/interval/?id={goal.id}", data={"days": "3"}).status_code == 404
    response = client.post(
        f"{PIECES}/interval/?id={section.piece.id}", data={"section": section.id, "days": "3"}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert item_row(alice.id, "goal", goal.id).interval_days is None
    assert item_row(alice.id, "section", section.id).interval_days is None


def test_item_plays_counts_a_section_play_for_its_pieces_goal():
    user = UserFactory()
    section = PieceSectionFactory(user=user, target_bpm=120)
    goal = GoalFactory(user=user, pieces=[section.piece])
    _play_goal(goal, days_ago=3, tempo_bpm=70, clean=False)
    _play_section(section, days_ago=1, rating=4, tempo_bpm=96, clean=True)
    plays = item_plays(user.id, "goal", goal.id)
    assert [(p.day, p.tempo_bpm, p.clean, p.rating) for p in plays] == [
        (_today() - timedelta(days=3), 70, False, 3),
        (_today() - timedelta(days=1), 96, True, 4),
    ]
    assert [p.tempo_bpm for p in item_plays(user.id, "section", section.id)] == [96]
    assert item_plays(UserFactory().id, "goal", goal.id) == []


def test_goal_chart_data_has_every_tempo_and_the_target(client, auth):
    user = UserFactory(timezone="Asia/Tokyo")
    section = PieceSectionFactory(user=user)
    goal = GoalFactory(user=user, pieces=[section.piece], target_bpm=120)
    # 20:00 UTC is the next day in Tokyo.
    _play_section(section, days_ago=2, hour=20, tempo_bpm=96, clean=True)
    _play_goal(goal, days_ago=1, tempo_bpm=100, clean=False)
    auth.login(user)
    body = client.get(f"{GOALS}/details/?id={goal.id}").get_data(as_text=True)
    [item] = _chart_data(body)["items"]
    assert item["target"] == 120
    assert item["points"] == [
        {"day": (_today() - timedelta(days=1)).isoformat(), "bpm": 96, "clean": True},
        {"day": (_today() - timedelta(days=1)).isoformat(), "bpm": 100, "clean": False},
    ]


def test_pieces_list_and_page_show_the_last_clean_tempo_against_the_target(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user, title="Partita No. 2")
    gigue = PieceSectionFactory(user=user, piece=piece, section_name="Gigue", target_bpm=120)
    PieceSectionFactory(user=user, piece=piece, section_name="Chaconne", target_bpm=60)
    _play_section(gigue, days_ago=3, tempo_bpm=100, clean=True)
    _play_section(gigue, days_ago=2, tempo_bpm=96, clean=True)
    _play_section(gigue, days_ago=1, tempo_bpm=104, clean=False)
    solo = PieceFactory(user=user, title="Etude")
    session = PracticeSessionFactory(user=user, started_at=_at(1))
    SessionPieceFactory(user=user, session=session, piece=solo, tempo_bpm=72, clean=True)
    auth.login(user)
    listing = client.get(f"{PIECES}/").get_data(as_text=True)
    assert '<li>Gigue: <span class="text-nowrap">96 / 120 BPM (80 %)</span></li>' in listing
    assert "Chaconne:" not in listing
    assert '<li><span class="text-nowrap">72 BPM</span></li>' in listing
    page = client.get(f"{PIECES}/details/?id={piece.id}").get_data(as_text=True)
    assert 'section-tempo">· 96 / 120 BPM (80 %)<' in page
    assert "· target 60 BPM" in page


def test_pieces_list_tempos_cost_the_same_queries_for_more_pieces(client, auth, count_queries):
    user = UserFactory()
    auth.login(user)

    def add_piece():
        section = PieceSectionFactory(user=user, target_bpm=120)
        _play_section(section, days_ago=1, tempo_bpm=90, clean=True)

    add_piece()
    client.get(f"{PIECES}/")
    few = count_queries(lambda: client.get(f"{PIECES}/"))
    for _ in range(12):
        add_piece()
    # Measured as the first count: after one visit (the filter choices are cached per data version).
    client.get(f"{PIECES}/")
    assert count_queries(lambda: client.get(f"{PIECES}/")) == few


def test_piece_page_costs_the_same_queries_for_more_sections(client, auth, count_queries):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)

    def add_section():
        section = PieceSectionFactory(user=user, piece=piece, target_bpm=120)
        _play_section(section, days_ago=1, tempo_bpm=90, clean=True)

    add_section()
    url = f"{PIECES}/details/?id={piece.id}"
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for _ in range(8):
        add_section()
    client.get(url)
    assert count_queries(lambda: client.get(url)) == few
