"""The practice timer: the page opened on the user's items, the dashboard's "Time it" links, and
Stop turning the times into the pre-filled session form in the user's zone."""

import re
from datetime import UTC
from datetime import datetime
from html import unescape
from urllib.parse import urlsplit

from tests.conftest import input_value
from tests.conftest import panel_html
from tests.conftest import query_args
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import UserFactory
from tests.factories import played_on_two_instruments

TIMER = "/app/timer/"
LOG = "/app/timer/log"


def _timer_links(html):
    """The unescaped hrefs of the "Time it" links in html."""
    links = re.findall(r'<a [^>]*class="[^"]*\btime-it\b[^"]*"[^>]*href="([^"]+)"', html)
    return [unescape(href) for href in links]


def _timer_items(body):
    """[(data-item, data-title)] of the timer's item buttons, in order."""
    return [
        (key, unescape(title))
        for key, title in re.findall(r'data-item="([^"]+)" data-title="([^"]*)"', body)
    ]


def test_the_timer_lists_the_users_items_in_order_with_tempo_and_minutes(client, auth):
    user = UserFactory()
    cello = InstrumentFactory(user=user, name="Cello")
    goal = GoalFactory(user=user, name="Thirds")
    section = PieceSectionFactory(user=user, section_name="Prelude", piece__title="Suite No. 1")
    auth.login(user)
    response = client.get(
        TIMER,
        query_string=[
            ("instrument", cello.id),
            ("item", f"section:{section.id}"),
            ("item", f"goal:{goal.id}"),
            ("bpm", f"section:{section.id}:80"),
            ("minutes", f"goal:{goal.id}:10"),
        ],
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _timer_items(body) == [
        (f"section:{section.id}", "Suite No. 1 — Prelude"),
        (f"goal:{goal.id}", "Thirds"),
    ]
    assert 'data-bpm="80"' in body and "try 80 BPM" in body
    assert 'data-planned-minutes="10"' in body and "/ 10 min" in body
    assert f'data-id="{cello.id}" data-name="Cello"' in body
    assert 'id="timer-no-items" hidden' in body
    # The page's scripts, and this user's own place in localStorage.
    assert "js/timer.js" in body and "js/metronome.js" in body
    assert f'data-storage-key="tracker.timer.{user.id}"' in body
    assert 'data-beats="0"' in body


def test_the_timer_drops_someone_elses_items_without_a_word(client, auth):
    theirs = UserFactory()
    their_goal = GoalFactory(user=theirs, name="THEIR-GOAL")
    their_section = PieceSectionFactory(user=theirs, section_name="THEIR-SECTION")
    their_piano = InstrumentFactory(user=theirs, name="THEIR-PIANO")
    mine = UserFactory()
    my_piece = PieceFactory(user=mine, title="Blackbird", composer=None)
    auth.login(mine)
    response = client.get(
        TIMER,
        query_string=[
            ("instrument", their_piano.id),
            ("item", f"goal:{their_goal.id}"),
            ("item", f"section:{their_section.id}"),
            ("item", f"piece:{my_piece.id}"),
            ("item", "goal:not-a-number"),
            ("item", "lesson:3"),
        ],
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _timer_items(body) == [(f"piece:{my_piece.id}", "Blackbird")]
    assert "THEIR-" not in body
    assert 'id="timer-instrument"></span>' in body.replace("\n", "").replace("  ", "")


def test_the_timer_from_the_navbar_times_the_whole_session(client, auth):
    auth.login(UserFactory())
    response = client.get("/app/")
    assert re.search(r'<a class="nav-link" href="/app/timer/">Timer</a>', response.text)
    response = client.get(TIMER)
    assert response.status_code == 200
    assert _timer_items(response.text) == []
    assert "The timer counts the whole session." in response.text
    assert "<title>Timer · Practice Tracker</title>" in response.text


def test_the_timer_needs_a_signed_in_user(client):
    response = client.get(TIMER)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_left_off_cards_and_up_next_items_link_to_the_timer_with_their_items(client, auth):
    user = UserFactory()
    guitar, piano, study, section, _ = played_on_two_instruments(user)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    guitar_card, piano_card = _timer_links(panel_html(body, "left-off"))
    assert urlsplit(guitar_card).path == TIMER
    assert query_args(guitar_card) == {
        "instrument": [str(guitar.id)],
        "item": [f"goal:{study.id}"],
        "bpm": [f"goal:{study.id}:83"],
    }
    assert query_args(piano_card) == {
        "instrument": [str(piano.id)],
        "item": [f"section:{section.id}"],
    }
    up_next = panel_html(body, "up-next")
    links = _timer_links(up_next)
    assert len(links) == up_next.count('class="list-group-item up-next-item"') == 2
    guitar_entry = next(link for link in links if f"goal:{study.id}" in link)
    assert query_args(guitar_entry) == query_args(guitar_card)
    # The timer opened from the card lists the card's item.
    opened = client.get(guitar_card)
    assert _timer_items(opened.text) == [(f"goal:{study.id}", "Travis picking")]


def test_the_plan_links_to_the_timer_with_every_item_and_its_minutes(client, auth):
    user = UserFactory()
    goals = [GoalFactory(user=user, name=name) for name in ("Scales", "Etude", "Sight-reading")]
    auth.login(user)
    plan = panel_html(client.get("/app/?minutes=30").get_data(as_text=True), "plan")
    [link] = _timer_links(plan)
    query = query_args(link)
    assert urlsplit(link).path == TIMER
    assert query["item"] == [f"goal:{goal.id}" for goal in goals]
    assert query["minutes"] == [f"goal:{goal.id}:10" for goal in goals]
    body = client.get(link).get_data(as_text=True)
    assert [title for _, title in _timer_items(body)] == ["Scales", "Etude", "Sight-reading"]
    assert body.count("/ 10 min") == 3


def test_stop_opens_the_form_with_the_start_in_the_users_zone_and_whole_minutes(client, auth):
    user = UserFactory(timezone="America/New_York")
    guitar = InstrumentFactory(user=user, name="Guitar")
    goal = GoalFactory(user=user, name="Thirds")
    section = PieceSectionFactory(user=user, section_name="Intro", piece__title="Blackbird")
    auth.login(user)
    started = int(datetime(2026, 6, 1, 22, 5, 40, tzinfo=UTC).timestamp())  # 18:05 in New York
    response = client.get(
        LOG,
        query_string=[
            ("instrument", guitar.id),
            ("item", f"goal:{goal.id}"),
            ("item", f"section:{section.id}"),
            ("seconds", f"goal:{goal.id}:629"),
            ("seconds", f"section:{section.id}:20"),
            ("bpm", f"goal:{goal.id}:92"),
            ("elapsed", "1250"),
            ("started", str(started)),
        ],
    )
    assert response.status_code == 302
    form_url = response.headers["Location"]
    assert urlsplit(form_url).path == "/app/practice_session/new/"
    assert query_args(form_url) == {
        "url": ["/app/"],
        "instrument": [str(guitar.id)],
        "item": [f"goal:{goal.id}", f"section:{section.id}"],
        "bpm": [f"goal:{goal.id}:92"],
        "minutes": [f"goal:{goal.id}:10"],  # 20 seconds are no minute: the row has none
        "duration": ["21"],
        "started": ["2026-06-01T18:05"],
    }
    form = client.get(form_url).get_data(as_text=True)
    assert input_value(form, "started_at") == "2026-06-01T18:05"
    assert input_value(form, "duration_minutes-minutes") == "21"
    assert input_value(form, "goal_links-0-minutes") == "10"
    assert input_value(form, "goal_links-0-tempo_bpm") == "92"
    assert input_value(form, "piece_links-0-minutes") == ""


def test_a_short_or_endless_timer_logs_at_least_a_minute_and_at_most_a_day(client, auth):
    auth.login(UserFactory())
    for elapsed, duration in (
        ("0", "1"),
        ("5", "1"),
        ("89", "1"),
        ("90", "2"),
        ("9999999", "1440"),
    ):
        response = client.get(LOG, query_string={"elapsed": elapsed})
        assert response.status_code == 302
        assert query_args(response.headers["Location"])["duration"] == [duration], elapsed


def test_stop_drops_someone_elses_items_and_garbage(client, auth):
    theirs = UserFactory()
    their_goal = GoalFactory(user=theirs, name="THEIR-GOAL")
    their_piano = InstrumentFactory(user=theirs)
    auth.login(UserFactory())
    response = client.get(
        LOG,
        query_string=[
            ("instrument", their_piano.id),
            ("item", f"goal:{their_goal.id}"),
            ("seconds", f"goal:{their_goal.id}:600"),
            ("seconds", "goal:1:lots"),
            ("elapsed", "soon"),
            ("started", "yesterday"),
        ],
    )
    assert response.status_code == 302
    assert query_args(response.headers["Location"]) == {"url": ["/app/"], "duration": ["1"]}


def test_a_started_time_the_form_cannot_read_keeps_the_usual_default(client, auth):
    user = UserFactory(timezone="Asia/Tokyo")
    auth.login(user)
    for started in ("2026-13-01T10:00", "tomorrow", "1700000000"):
        form = client.get("/app/practice_session/new/", query_string={"started": started})
        assert form.status_code == 200
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", input_value(form.text, "started_at")), (
            started
        )
        assert input_value(form.text, "started_at") != started
