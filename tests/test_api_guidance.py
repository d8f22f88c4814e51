"""/api/v1/up-next, /left-off and /plan: shapes, true reasons, snooze and not-now, scoped writes."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import text

from tests.conftest import csrf_token_from
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import ReviewState

UP_NEXT = "/api/v1/up-next"
SNOOZE = "/api/v1/up-next/snooze"
NOT_NOW = "/api/v1/up-next/not-now"
LEFT_OFF = "/api/v1/left-off"
PLAN = "/api/v1/plan"


def _today():
    """The local day of the factories' users (their zone is UTC)."""
    return datetime.now(UTC).date()


def _at(day, hour=18):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _session(user, days_ago, instrument=None, **fields):
    day = _today() - timedelta(days=days_ago)
    return PracticeSessionFactory(user=user, started_at=_at(day), instrument=instrument, **fields)


def _state(goal=None, *, piece=None, section=None):
    """The review state row of a goal, piece or section, read afresh."""
    db.session.expire_all()
    if goal is not None:
        where = ReviewState.goal_id == goal.id
    elif piece is not None:
        where = ReviewState.piece_id == piece.id
    else:
        where = ReviewState.section_id == section.id
    return db.session.execute(select(ReviewState).where(where)).scalar_one()


def _body(path, kind, item_id):
    """The body of a snooze (for a day) or a "not now" of one item."""
    body = {"kind": kind, "id": item_id}
    return {**body, "days": 1} if path == SNOOZE else body


def _titles(response):
    return [item["title"] for item in response.get_json()["items"]]


@pytest.fixture
def recital(client, auth):
    """A pianist whose section was last played 16 days ago, five days before a recital."""
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    piece = PieceFactory(user=user, title="Clair de lune", instrument=piano)
    old = PieceSectionFactory(user=user, piece=piece, section_name="Bars 15-26", target_bpm=120)
    fresh = PieceSectionFactory(user=user, piece=piece, section_name="Bars 1-14")
    goal = GoalFactory(
        user=user,
        name="Play at the recital",
        pieces=[piece],
        target_date=_today() + timedelta(days=5),
    )
    SessionPieceFactory(
        user=user,
        session=_session(user, 16, piano),
        piece=piece,
        section=old,
        tempo_bpm=72,
        clean=True,
        next_time="LH shift late in bar 20",
    )
    SessionPieceFactory(user=user, session=_session(user, 1, piano), piece=piece, section=fresh)
    auth.login(user)
    return {"user": user, "piano": piano, "old": old, "fresh": fresh, "goal": goal}


def test_up_next_lists_items_with_their_figures_and_true_reasons(client, recital):
    response = client.get(UP_NEXT)
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items[0] == {
        "kind": "section",
        "id": recital["old"].id,
        "title": "Clair de lune — Bars 15-26",
        "instrument": {"id": recital["piano"].id, "name": "Piano"},
        # 60 (16 days at every 2, capped) + 25 (deadline in 5 days) + 10 (still learning)
        "score": 95.0,
        "phase": "learning",
        "due_on": (_today() - timedelta(days=14)).isoformat(),
        "interval_days": 2,
        "suggested_bpm": 79,
        "reasons": ["not played for 16 days (due every 2)", "deadline in 5 days"],
    }
    rest = {item["title"]: item for item in items[1:]}
    assert set(rest) == {"Clair de lune — Bars 1-14", "Play at the recital"}
    fresh = rest["Clair de lune — Bars 1-14"]
    assert fresh["reasons"] == ["due tomorrow", "deadline in 5 days"]
    assert fresh["due_on"] == (_today() + timedelta(days=1)).isoformat()
    assert rest["Play at the recital"]["instrument"] is None


def test_a_new_musician_sees_goals_never_practised(client, auth):
    user = UserFactory()
    GoalFactory(user=user, name="Scales in thirds", priority=3)
    GoalFactory(user=user, name="Sight-reading", priority=2)
    auth.login(user)
    items = client.get(UP_NEXT).get_json()["items"]
    assert [item["title"] for item in items] == ["Scales in thirds", "Sight-reading"]
    first = items[0]
    assert (first["due_on"], first["interval_days"], first["suggested_bpm"]) == (None, None, None)
    assert first["reasons"] == ["never practised yet", "high priority"]
    assert first["score"] == 35.0  # 15 never practised + 10 high priority + 10 learning


def test_up_next_keeps_to_the_limit(client, auth):
    user = UserFactory()
    for name in ("A", "B", "C"):
        GoalFactory(user=user, name=name)
    auth.login(user)
    assert _titles(client.get(f"{UP_NEXT}?limit=2")) == ["A", "B"]
    assert _titles(client.get(UP_NEXT)) == ["A", "B", "C"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("limit=0", "limit", "From 1 to 50 items."),
        ("limit=51", "limit", "From 1 to 50 items."),
        ("limit=ten", "limit", "Not a valid integer."),
    ],
)
def test_a_bad_limit_is_422_with_the_field_message(client, auth, query, field, message):
    auth.login(UserFactory())
    response = client.get(f"{UP_NEXT}?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"][field] == [message]


def test_snooze_keeps_an_item_out_for_its_days(client, auth):
    user = UserFactory()
    scales = GoalFactory(user=user, name="Scales")
    GoalFactory(user=user, name="Arpeggios")
    auth.login(user)
    response = client.post(SNOOZE, json={"kind": "goal", "id": scales.id, "days": 3})
    assert response.status_code == 204
    assert response.get_data() == b""
    assert _state(scales).snoozed_until == _today() + timedelta(days=3)
    assert _titles(client.get(UP_NEXT)) == ["Arpeggios"]


def test_not_now_lowers_an_item_for_the_day(client, auth):
    user = UserFactory()
    scales = GoalFactory(user=user, name="Scales", priority=3)
    GoalFactory(user=user, name="Arpeggios")
    auth.login(user)
    response = client.post(NOT_NOW, json={"kind": "goal", "id": scales.id})
    assert response.status_code == 204
    assert _state(scales).not_now_on == _today()
    items = client.get(UP_NEXT).get_json()["items"]
    assert [item["title"] for item in items] == ["Arpeggios", "Scales"]
    assert items[1]["reasons"] == ["set aside for today", "never practised yet", "high priority"]


def test_snoozing_a_section_or_a_piece_works_by_its_own_id(client, auth):
    user = UserFactory()
    section = PieceSectionFactory(user=user)
    piece = PieceFactory(user=user, title="Study in E")
    auth.login(user)
    snoozed = client.post(SNOOZE, json={"kind": "section", "id": section.id, "days": 1})
    assert snoozed.status_code == 204
    assert client.post(NOT_NOW, json={"kind": "piece", "id": piece.id}).status_code == 204
    assert _state(section=section).snoozed_until == _today() + timedelta(days=1)
    assert _state(piece=piece).not_now_on == _today()
    assert _titles(client.get(UP_NEXT)) == ["Study in E"]


@pytest.mark.parametrize("path", [SNOOZE, NOT_NOW])
def test_another_musicians_item_is_404_and_stays_as_it_was(client, auth, path):
    theirs = GoalFactory()
    auth.login(UserFactory())
    response = client.post(path, json=_body(path, "goal", theirs.id))
    assert response.status_code == 404
    assert response.get_json()["message"] == "No such goal."
    state = _state(theirs)
    assert (state.snoozed_until, state.not_now_on) == (None, None)


@pytest.mark.parametrize(
    "kind, message",
    [("goal", "No such goal."), ("piece", "No such piece."), ("section", "No such piece section.")],
)
def test_an_unknown_item_is_404_naming_its_kind(client, auth, kind, message):
    auth.login(UserFactory())
    response = client.post(SNOOZE, json={"kind": kind, "id": 999_999, "days": 1})
    assert response.status_code == 404
    assert response.is_json and response.get_json()["message"] == message


@pytest.mark.parametrize(
    "path, body, field, message",
    [
        (
            SNOOZE,
            {"kind": "exercise", "id": 1, "days": 1},
            "kind",
            "Must be one of: goal, piece, section.",
        ),
        (NOT_NOW, {"kind": "Goal", "id": 1}, "kind", "Must be one of: goal, piece, section."),
        (SNOOZE, {"kind": "goal", "id": 1, "days": 0}, "days", "Snooze for 1 to 90 days."),
        (SNOOZE, {"kind": "goal", "id": 1, "days": 91}, "days", "Snooze for 1 to 90 days."),
        (SNOOZE, {"kind": "goal", "id": 1, "days": "3"}, "days", "Not a valid integer."),
        (SNOOZE, {"kind": "goal", "id": 1}, "days", "Missing data for required field."),
        (NOT_NOW, {"kind": "goal"}, "id", "Missing data for required field."),
    ],
)
def test_a_bad_body_is_422_and_changes_nothing(client, auth, path, body, field, message):
    user = UserFactory()
    goal = GoalFactory(user=user)
    body = {**body, "id": goal.id} if "id" in body else body
    auth.login(user)
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"][field] == [message]
    state = _state(goal)
    assert (state.snoozed_until, state.not_now_on) == (None, None)


@pytest.mark.parametrize(
    "query, message",
    [
        ("minutes=0", "From 1 to 1440 minutes."),
        ("minutes=1441", "From 1 to 1440 minutes."),
        ("minutes=half", "Not a valid integer."),
    ],
)
def test_a_bad_plan_length_is_422(client, auth, query, message):
    auth.login(UserFactory())
    response = client.get(f"{PLAN}?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["minutes"] == [message]


@pytest.mark.parametrize(
    "method, path",
    [("GET", UP_NEXT), ("POST", SNOOZE), ("POST", NOT_NOW), ("GET", LEFT_OFF), ("GET", PLAN)],
)
def test_anonymous_gets_401_json(client, method, path):
    goal = GoalFactory()
    response = client.open(path, method=method, json=_body(path, "goal", goal.id))
    assert response.status_code == 401
    assert response.get_json()["code"] == 401
    assert _state(goal).snoozed_until is None


@pytest.mark.parametrize("path", [SNOOZE, NOT_NOW])
def test_a_cookie_write_needs_the_csrf_header(csrf_client, csrf_auth, path):
    user = UserFactory()
    goal = GoalFactory(user=user)
    csrf_auth.login(user)
    body = _body(path, "goal", goal.id)
    refused = csrf_client.post(path, json=body)
    assert refused.status_code == 400
    assert refused.is_json and "CSRF" in refused.get_json()["message"]
    state = _state(goal)
    assert (state.snoozed_until, state.not_now_on) == (None, None)
    token = csrf_token_from(csrf_client.get("/app/api-tokens/").get_data(as_text=True))
    accepted = csrf_client.post(path, json=body, headers={"X-CSRFToken": token})
    assert accepted.status_code == 204
    state = _state(goal)
    assert _today() + timedelta(days=1) == state.snoozed_until or _today() == state.not_now_on


def test_left_off_has_a_card_per_instrument_with_iso_times(client, recital):
    response = client.get(LEFT_OFF)
    assert response.status_code == 200
    [card] = response.get_json()["instruments"]
    yesterday = _today() - timedelta(days=1)
    assert card["instrument"] == {"id": recital["piano"].id, "name": "Piano"}
    session = card["last_session"]
    assert session["started_at"] == f"{yesterday.isoformat()}T18:00:00+00:00"
    assert (session["duration_minutes"], session["notes"]) == (
        30,
        "Slow practice, metronome at 60.",
    )
    assert card["items"] == [
        {
            "kind": "section",
            "id": recital["fresh"].id,
            "title": "Clair de lune — Bars 1-14",
            "next_time": None,
            "noted_at": None,
            "last_clean_bpm": None,
            "target_bpm": None,
        },
        {
            "kind": "section",
            "id": recital["old"].id,
            "title": "Clair de lune — Bars 15-26",
            "next_time": "LH shift late in bar 20",
            "noted_at": f"{(_today() - timedelta(days=16)).isoformat()}T18:00:00+00:00",
            "last_clean_bpm": 72,
            "target_bpm": 120,
        },
    ]


def test_left_off_is_empty_without_recent_sessions(client, auth):
    user = UserFactory()
    _session(user, 90)
    auth.login(user)
    assert client.get(LEFT_OFF).get_json() == {"instruments": []}


def test_plan_shares_the_minutes_across_the_top_of_up_next(client, recital):
    response = client.get(f"{PLAN}?minutes=45")
    assert response.status_code == 200
    plan = response.get_json()
    assert plan["minutes"] == 45
    # 4 items wanted, 3 on offer: 5 minutes each, the other 30 shared by score (95, 35, 35).
    assert [(item["title"], item["minutes"]) for item in plan["items"]] == [
        ("Clair de lune — Bars 15-26", 22),
        ("Play at the recital", 12),
        ("Clair de lune — Bars 1-14", 11),
    ]
    first = plan["items"][0]
    assert (first["kind"], first["id"]) == ("section", recital["old"].id)
    assert first["reasons"] == ["not played for 16 days (due every 2)", "deadline in 5 days"]


def test_plan_is_for_30_minutes_when_none_are_given(client, auth):
    user = UserFactory()
    for name in ("A", "B", "C", "D"):
        GoalFactory(user=user, name=name)
    auth.login(user)
    plan = client.get(PLAN).get_json()
    assert plan["minutes"] == 30
    assert [(item["title"], item["minutes"]) for item in plan["items"]] == [
        ("A", 10),
        ("B", 10),
        ("C", 10),
    ]
    assert plan["items"][0]["reasons"] == ["never practised yet"]


def test_plan_without_items_is_empty(client, auth):
    auth.login(UserFactory())
    assert client.get(PLAN).get_json() == {"minutes": 30, "items": []}


def _bulk_history(user_id, instrument_id, goal_id, piece_id, section_id, count):
    """count sessions, each linked to the goal and the section, in one INSERT ... SELECT."""
    db.session.execute(
        text(
            """
            WITH sessions AS (
                INSERT INTO practice_sessions
                    (user_id, instrument_id, started_at, duration_minutes, quality_rating, notes)
                SELECT :user, :instrument, now() - (n || ' hours')::interval, 30,
                       1 + n % 5, 'note ' || n
                FROM generate_series(1, :count) AS n
                RETURNING id, quality_rating
            ), goals AS (
                INSERT INTO session_goals
                    (user_id, session_id, goal_id, tempo_bpm, clean, next_time)
                SELECT :user, id, :goal, 60 + quality_rating, quality_rating > 2,
                       'goal note ' || id
                FROM sessions
            )
            INSERT INTO session_pieces (user_id, session_id, piece_id, section_id, rating)
            SELECT :user, id, :piece, :section, quality_rating FROM sessions
            """
        ),
        {
            "user": user_id,
            "instrument": instrument_id,
            "goal": goal_id,
            "piece": piece_id,
            "section": section_id,
            "count": count,
        },
    )
    db.session.commit()


def _musician_with(sessions):
    """A musician with a goal, a piece in sections and a loose piece, and sessions on them."""
    user = UserFactory()
    guitar = InstrumentFactory(user=user)
    goal = GoalFactory(user=user, instrument=guitar, target_bpm=90)
    section = PieceSectionFactory(user=user, target_bpm=100)
    PieceFactory(user=user)
    _bulk_history(user.id, guitar.id, goal.id, section.piece_id, section.id, sessions)
    return user


def test_guidance_makes_the_same_queries_for_10_and_2000_sessions(client, auth, count_queries):
    counts = {}
    for sessions in (10, 2000):
        user = _musician_with(sessions)
        auth.login(user)
        for path in (UP_NEXT, LEFT_OFF, PLAN):
            # The first call brings the stored review states up to date.
            assert client.get(path).status_code == 200
            counts[sessions, path] = count_queries(lambda path=path: client.get(path))
        auth.logout()
    for path in (UP_NEXT, LEFT_OFF, PLAN):
        assert counts[10, path] == counts[2000, path], path
