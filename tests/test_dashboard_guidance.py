"""The dashboard's guidance: where you left off per instrument, "Up next" with snooze and
"not now", and a plan for the minutes you have."""

import re
from datetime import timedelta
from html import unescape

from tests.conftest import csrf_token_from
from tests.conftest import panel_html
from tests.conftest import query_args
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tests.factories import days_ago
from tests.factories import played_on_two_instruments
from tracker.extensions import db
from tracker.guidance.states import item_row
from tracker.timezones import local_now

LONG_TITLE = "A" * 60 + " very long piece title " + "B" * 37


def _links(html, text):
    """The unescaped hrefs of the links whose text is text."""
    return [
        unescape(href)
        for href in re.findall(rf'href="([^"]+)"[^>]*>\s*{re.escape(text)}\s*<', html)
    ]


def test_left_off_has_a_card_per_instrument_most_recent_first(client, auth):
    user = UserFactory(timezone="Asia/Tokyo")
    guitar, piano, study, section, guitar_day = played_on_two_instruments(user)
    auth.login(user)
    response = client.get("/app/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    left_off = panel_html(body, "left-off")
    assert left_off.index("Guitar") < left_off.index("Piano")
    # The session's day in the user's zone, its minutes, the notes shortened with "more".
    local_day = guitar_day.started_at.astimezone(local_now(user).tzinfo)
    assert f"{local_day:%H:%M} · 45 min" in left_off
    assert 'class="notes-short">Long tones first.' in left_off
    assert "more</span>" in left_off and "THE END OF THE NOTES" in left_off
    assert left_off.index('class="notes-short"') < left_off.index("THE END OF THE NOTES")
    # Each item: its latest note and its tempo.
    assert "Travis picking" in left_off and "Start at 80" in left_off
    assert "last clean 76 / target 120 BPM" in left_off
    assert "Gymnopédie — Bars 9-12" in left_off and "LH shift late" in left_off
    guitar_continue, piano_continue = _links(left_off, "Continue")
    assert query_args(guitar_continue) == {
        "url": ["/app/"],
        "instrument": [str(guitar.id)],
        "item": [f"goal:{study.id}"],
        "bpm": [f"goal:{study.id}:83"],
    }
    assert query_args(piano_continue)["item"] == [f"section:{section.id}"]
    assert query_args(piano_continue)["instrument"] == [str(piano.id)]


def test_up_next_shows_reasons_phase_tempo_and_practise_links(client, auth):
    user = UserFactory()
    guitar, _, study, _, _ = played_on_two_instruments(user)
    GoalFactory(user=user, name="Sight-reading", priority=3)
    auth.login(user)
    up_next = panel_html(client.get("/app/").get_data(as_text=True), "up-next")
    assert "Sight-reading" in up_next
    assert "never practised yet · high priority" in up_next
    assert "Guitar · Learning" in up_next and "try 83 BPM" in up_next
    practise = _links(up_next, "Practise")
    assert len(practise) == up_next.count('class="list-group-item up-next-item"') == 3
    guitar_link = next(link for link in practise if f"goal:{study.id}" in link)
    assert query_args(guitar_link)["instrument"] == [str(guitar.id)]
    assert query_args(guitar_link)["bpm"] == [f"goal:{study.id}:83"]
    # Snooze 1, 3 or 7 days and "not now": posted forms with the token.
    assert up_next.count('name="days" value="3"') == 3
    assert up_next.count('action="/app/up-next/not-now"') == 3
    assert up_next.count('name="csrf_token"') == 6


def test_snooze_takes_an_item_off_the_list_and_says_so(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, name="Arpeggios in C")
    auth.login(user)
    # Shown first, so the snooze has to replace what the dashboard keeps for today.
    assert "Arpeggios in C" in panel_html(client.get("/app/").get_data(as_text=True), "up-next")
    response = client.post("/app/up-next/snooze", data={"kind": "goal", "id": goal.id, "days": 3})
    assert response.status_code == 302
    assert response.headers["Location"] == "/app/"
    db.session.expire_all()
    today = local_now(user).date()
    assert item_row(user.id, "goal", goal.id).snoozed_until == today + timedelta(days=3)
    body = client.get("/app/").get_data(as_text=True)
    assert "Snoozed for 3 days." in body
    assert "Arpeggios in C" not in panel_html(body, "up-next")


def test_not_now_lowers_an_item_for_today(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user, name="Arpeggios in C", priority=3)
    GoalFactory(user=user, name="Scales", priority=1)
    auth.login(user)
    response = client.post("/app/up-next/not-now", data={"kind": "goal", "id": goal.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert item_row(user.id, "goal", goal.id).not_now_on == local_now(user).date()
    body = client.get("/app/").get_data(as_text=True)
    assert "Set aside for today: it is back tomorrow." in body
    up_next = panel_html(body, "up-next")
    assert up_next.index("Scales") < up_next.index("Arpeggios in C")
    assert "set aside for today" in up_next


def test_snooze_refuses_a_bad_kind_or_days_with_a_message(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    for data, message in (
        ({"kind": "goal", "id": goal.id, "days": 2}, "Snooze for 1, 3 or 7 days."),
        ({"kind": "goal", "id": goal.id, "days": "x"}, "Snooze for 1, 3 or 7 days."),
        ({"kind": "song", "id": goal.id, "days": 1}, "There is no such item in your list."),
        ({"kind": "goal", "id": "²", "days": 1}, "There is no such item in your list."),
        ({"kind": "goal", "id": 2**40, "days": 1}, "There is no such item in your list."),
    ):
        response = client.post("/app/up-next/snooze", data=data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True)
    response = client.post("/app/up-next/not-now", data={"kind": "goal"})
    assert response.status_code == 400
    assert "There is no such item in your list." in response.get_data(as_text=True)
    db.session.expire_all()
    row = item_row(user.id, "goal", goal.id)
    assert (row.snoozed_until, row.not_now_on) == (None, None)


def test_another_users_item_is_not_found_and_stays_as_it_was(client, auth):
    goal = GoalFactory(name="Alice's goal")
    auth.login(UserFactory())
    snoozed = client.post("/app/up-next/snooze", data={"kind": "goal", "id": goal.id, "days": 1})
    set_aside = client.post("/app/up-next/not-now", data={"kind": "goal", "id": goal.id})
    assert (snoozed.status_code, set_aside.status_code) == (404, 404)
    db.session.expire_all()
    row = item_row(goal.user_id, "goal", goal.id)
    assert (row.snoozed_until, row.not_now_on) == (None, None)


def test_a_new_user_is_shown_how_to_begin(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/").get_data(as_text=True)
    left_off = panel_html(body, "left-off")
    assert "Nothing practised in the last 60 days" in left_off
    assert "Log your first session" in left_off
    up_next = panel_html(body, "up-next")
    assert 'href="/app/goal/new/?url=/app/"' in up_next
    assert 'href="/app/piece/new/?url=/app/"' in up_next


def test_a_plan_for_30_minutes_lists_its_steps_and_starts_the_form(client, auth):
    user = UserFactory()
    goals = [GoalFactory(user=user, name=name) for name in ("Scales", "Etude", "Sight-reading")]
    GoalFactory(user=user, name="Fourth")
    auth.login(user)
    response = client.get("/app/?minutes=30")
    plan = panel_html(response.get_data(as_text=True), "plan")
    assert response.status_code == 200
    assert 'value="30"' in plan
    steps = re.findall(r'class="item-title">([^<]+)</span>\s*<strong[^>]*>· (\d+) min', plan)
    assert steps == [("Scales", "10"), ("Etude", "10"), ("Sight-reading", "10")]
    assert "never practised yet" in plan
    [start] = _links(plan, "Start")
    query = query_args(start)
    assert query["item"] == [f"goal:{goal.id}" for goal in goals]
    assert query["minutes"] == [f"goal:{goal.id}:10" for goal in goals]
    assert query["duration"] == ["30"]


def test_a_refused_plan_length_is_explained_next_to_the_field(client, auth):
    user = UserFactory()
    GoalFactory(user=user)
    auth.login(user)
    for minutes in ("0", "1441", "half an hour", ""):
        response = client.get("/app/", query_string={"minutes": minutes})
        plan = panel_html(response.get_data(as_text=True), "plan")
        assert response.status_code == 200
        assert "is-invalid" in plan
        assert "Type the minutes you have, from 1 to 1440." in plan
        assert "plan-start" not in plan


def test_a_plan_with_nothing_to_practise_says_what_to_do(client, auth):
    auth.login(UserFactory())
    plan = panel_html(client.get("/app/?minutes=20").get_data(as_text=True), "plan")
    assert "Nothing to plan yet: set a goal or add a piece first." in plan


def test_the_first_screen_comes_first_and_the_statistics_follow(client, auth):
    user = UserFactory()
    played_on_two_instruments(user)
    PieceFactory(user=user, title=LONG_TITLE)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    order = [
        body.index('id="log-session"'),
        body.index('id="left-off"'),
        body.index('id="up-next"'),
        body.index('id="stat-cards"'),
    ]
    assert order == sorted(order)
    assert LONG_TITLE in panel_html(body, "up-next")
    # The strip of three on a phone; the other figures from a tablet up.
    strip = body[body.index('id="stat-cards"') :]
    card = r'<div class="{}[^"]*">\s*<a [^>]*>\s*<div[^>]*>\s*<div class="stat-value" id="{}"'
    for figure in ("minutes-today", "minutes-week", "streak-current"):
        assert re.search(card.format("col-4 ", figure), strip), figure
    for figure in ("minutes-month", "minutes-all", "average-session"):
        assert re.search(card.format("d-none d-md-block ", figure), strip), figure


def test_guidance_forms_carry_each_browsers_own_token(csrf_app):
    """The statistics are cached per user; the guidance forms never come from that cache."""
    user = UserFactory()
    GoalFactory(user=user, name="Scales")
    tokens = []
    for _ in range(2):
        with csrf_app.test_client() as browser:
            login_page = browser.get("/login").get_data(as_text=True)
            browser.post(
                "/login",
                data={
                    "email": user.email,
                    "password": "correct horse battery staple",
                    "csrf_token": csrf_token_from(login_page),
                },
            )
            body = browser.get("/app/").get_data(as_text=True)
            up_next = panel_html(body, "up-next")
            token = csrf_token_from(up_next)
            assert token == re.search(r'name="csrf-token" content="([^"]+)"', body).group(1)
            goal_id = re.search(r'name="id" value="(\d+)"', up_next).group(1)
            response = browser.post(
                "/app/up-next/not-now", data={"kind": "goal", "id": goal_id, "csrf_token": token}
            )
            assert response.status_code == 302
            tokens.append(token)
    assert tokens[0] != tokens[1]


def test_dashboard_guidance_queries_do_not_grow_with_the_log(client, auth, count_queries):
    user = UserFactory()
    guitar = InstrumentFactory(user=user)
    goal = GoalFactory(user=user, instrument=guitar, target_bpm=120)
    piece = PieceFactory(user=user, instrument=guitar)
    section = PieceSectionFactory(user=user, piece=piece)

    def log(count):
        for n in range(count):
            session = PracticeSessionFactory(user=user, instrument=guitar, started_at=days_ago(n))
            SessionGoalFactory(user=user, session=session, goal=goal, tempo_bpm=80, clean=True)
            SessionPieceFactory(user=user, session=session, piece=piece, section=section)

    log(2)
    auth.login(user)
    client.get("/app/?minutes=30")  # brings the stored states up to date
    few = count_queries(lambda: client.get("/app/?minutes=30"))
    log(20)
    client.get("/app/?minutes=30")
    assert count_queries(lambda: client.get("/app/?minutes=30")) == few
