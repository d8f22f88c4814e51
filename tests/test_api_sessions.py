"""/api/v1/sessions: links, filters on local days, validation, idempotent creation, queries."""

import threading
import time
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from tests.factories import EquipmentFactory
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.access_tokens import create_token
from tracker.extensions import db
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece

URL = "/api/v1/sessions"


def bearer(user):
    """Headers carrying a fresh personal access token of user."""
    _, secret = create_token(user.id, "script")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def session_count(user=None):
    """How many sessions there are (of user, when given), read afresh."""
    db.session.expire_all()
    query = select(func.count()).select_from(PracticeSession)
    if user is not None:
        query = query.where(PracticeSession.user_id == user.id)
    return db.session.execute(query).scalar()


def listed_ids(response):
    assert response.status_code == 200, response.get_json()
    return [item["id"] for item in response.get_json()]


def wait_for(condition, seconds=10):
    """Poll condition() until it holds; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


@pytest.fixture
def kit():
    """A user with one of everything a session can link, and a piece with two sections."""
    user = UserFactory(timezone="Europe/Berlin")
    piece = PieceFactory(user=user)
    return {
        "user": user,
        "instrument": InstrumentFactory(user=user),
        # In name order, as a session lists its focus areas.
        "focus": [FocusAreaFactory(user=user, name="Arpeggios"), FocusAreaFactory(user=user)],
        "gear": EquipmentFactory(user=user),
        "goals": [GoalFactory(user=user), GoalFactory(user=user)],
        "piece": piece,
        "section": PieceSectionFactory(user=user, piece=piece),
        "other_piece": PieceFactory(user=user),
    }


def unrated(quality_rating):
    """How a link reads back when nothing was said about how the item went."""
    return {
        "rating": None,
        "effective_rating": quality_rating,
        "tempo_bpm": None,
        "clean": None,
        "next_time": None,
    }


def full_body(kit):
    return {
        "started_at": "2026-03-02T18:30:00+01:00",
        "duration_minutes": 45,
        "instrument_id": kit["instrument"].id,
        "notes": "Scales in thirds, then the Allemande.",
        "mood_rating": 4,
        "quality_rating": 3,
        "focus_area_ids": [kit["focus"][0].id, kit["focus"][1].id],
        "equipment_ids": [kit["gear"].id],
        "goals": [{"goal_id": kit["goals"][0].id, "minutes": 20}, {"goal_id": kit["goals"][1].id}],
        "pieces": [
            {"piece_id": kit["piece"].id, "section_id": kit["section"].id, "minutes": 25},
            {"piece_id": kit["other_piece"].id},
        ],
        "client_uuid": str(uuid.uuid4()),
    }


def test_create_with_links_and_read_back(client, auth, kit):
    auth.login(kit["user"])
    body = full_body(kit)
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    expected = {
        **body,
        "started_at": "2026-03-02T17:30:00+00:00",
        "goals": [
            {**body["goals"][0], **unrated(3)},
            {**body["goals"][1], "minutes": None, **unrated(3)},
        ],
        "pieces": [
            {**body["pieces"][0], **unrated(3)},
            {**body["pieces"][1], "section_id": None, "minutes": None, **unrated(3)},
        ],
    }
    assert {key: created[key] for key in expected} == expected
    assert set(created) == {"id", *expected}
    assert client.get(f"{URL}/{created['id']}").get_json() == created
    session = db.session.get(PracticeSession, created["id"])
    assert session.user_id == kit["user"].id
    assert session.started_at == datetime(2026, 3, 2, 17, 30, tzinfo=UTC)
    assert sorted((link.goal_id, link.minutes) for link in session.goal_links) == [
        (kit["goals"][0].id, 20),
        (kit["goals"][1].id, None),
    ]
    assert {(link.piece_id, link.section_id) for link in session.piece_links} == {
        (kit["piece"].id, kit["section"].id),
        (kit["other_piece"].id, None),
    }


def test_started_at_defaults_to_now(client, auth):
    auth.login(UserFactory())
    before = datetime.now(UTC)
    response = client.post(URL, json={"duration_minutes": 20})
    after = datetime.now(UTC)
    assert response.status_code == 201, response.get_json()
    started = datetime.fromisoformat(response.get_json()["started_at"])
    assert started.utcoffset() == timedelta(0)
    assert before <= started <= after
    assert response.get_json()["focus_area_ids"] == []
    assert response.get_json()["goals"] == []
    assert response.get_json()["client_uuid"] is None


def test_list_is_newest_first_and_paginated(client, auth):
    user = UserFactory()
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    old = PracticeSessionFactory(user=user, started_at=at - timedelta(days=1))
    same_a = PracticeSessionFactory(user=user, started_at=at)
    same_b = PracticeSessionFactory(user=user, started_at=at)
    auth.login(user)
    response = client.get(f"{URL}?per_page=2")
    assert listed_ids(response) == [same_b.id, same_a.id]
    assert '"total": 3' in response.headers["X-Pagination"]
    assert listed_ids(client.get(f"{URL}?per_page=2&page=2")) == [old.id]


def test_local_day_filters_at_a_time_zone_edge(client, auth):
    user = UserFactory(timezone="America/New_York")
    # 23:30 on 2 March in New York is already 3 March in UTC.
    late = PracticeSessionFactory(user=user, started_at=datetime(2026, 3, 3, 4, 30, tzinfo=UTC))
    next_day = PracticeSessionFactory(user=user, started_at=datetime(2026, 3, 3, 5, 30, tzinfo=UTC))
    auth.login(user)
    assert listed_ids(client.get(f"{URL}?start=2026-03-02&end=2026-03-02")) == [late.id]
    assert listed_ids(client.get(f"{URL}?start=2026-03-03&end=2026-03-03")) == [next_day.id]
    assert listed_ids(client.get(f"{URL}?end=2026-03-02")) == [late.id]
    assert listed_ids(client.get(f"{URL}?start=2026-03-03")) == [next_day.id]
    assert listed_ids(client.get(f"{URL}?start=2026-03-01")) == [next_day.id, late.id]


def test_each_filter_narrows_the_list(client, auth):
    user = UserFactory()
    instrument = InstrumentFactory(user=user)
    focus = FocusAreaFactory(user=user)
    plain = PracticeSessionFactory(user=user)
    on_instrument = PracticeSessionFactory(user=user, instrument=instrument)
    tagged = PracticeSessionFactory(user=user, focus_areas=[focus])
    goal_link = SessionGoalFactory(user=user)
    piece_link = SessionPieceFactory(user=user)
    auth.login(user)
    assert len(listed_ids(client.get(URL))) == 5
    assert listed_ids(client.get(f"{URL}?instrument_id={instrument.id}")) == [on_instrument.id]
    assert listed_ids(client.get(f"{URL}?focus_area_id={focus.id}")) == [tagged.id]
    assert listed_ids(client.get(f"{URL}?goal_id={goal_link.goal_id}")) == [goal_link.session_id]
    assert listed_ids(client.get(f"{URL}?piece_id={piece_link.piece_id}")) == [
        piece_link.session_id
    ]
    combined = f"{URL}?instrument_id={instrument.id}&focus_area_id={focus.id}"
    assert listed_ids(client.get(combined)) == []
    assert plain.id in listed_ids(client.get(f"{URL}?start=2000-01-01"))


def test_bad_filters_are_422(client, auth):
    auth.login(UserFactory())
    response = client.get(f"{URL}?start=2026-05-02&end=2026-05-01")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["start"] == [
        "The start date is after the end date."
    ]
    response = client.get(f"{URL}?end=9999-12-31")
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["end"] == [
        "Enter a date between the years 1900 and 2200."
    ]


def test_list_shows_only_your_sessions_and_others_ids_find_nothing(client, auth):
    alice = UserFactory()
    instrument = InstrumentFactory(user=alice)
    focus = FocusAreaFactory(user=alice)
    PracticeSessionFactory(user=alice, instrument=instrument, focus_areas=[focus])
    goal_link = SessionGoalFactory(user=alice)
    piece_link = SessionPieceFactory(user=alice)
    bob = UserFactory()
    mine = PracticeSessionFactory(user=bob)
    auth.login(bob)
    response = client.get(URL)
    assert listed_ids(response) == [mine.id]
    assert '"total": 1' in response.headers["X-Pagination"]
    for name, pk in [
        ("instrument_id", instrument.id),
        ("focus_area_id", focus.id),
        ("goal_id", goal_link.goal_id),
        ("piece_id", piece_link.piece_id),
    ]:
        response = client.get(f"{URL}?{name}={pk}")
        assert listed_ids(response) == [], name
        assert '"total": 0' in response.headers["X-Pagination"], name
    for session_id in (goal_link.session_id, piece_link.session_id):
        assert client.get(f"{URL}/{session_id}").status_code == 404
        assert client.patch(f"{URL}/{session_id}", json={"notes": "mine"}).status_code == 404
        assert client.delete(f"{URL}/{session_id}").status_code == 404
    assert session_count(alice) == 3
    assert db.session.get(PracticeSession, goal_link.session_id).notes != "mine"


@pytest.mark.parametrize(
    "change, where, message",
    [
        ({"duration_minutes": 0}, ["duration_minutes"], "between 1 minute and 24 hours"),
        ({"duration_minutes": 1441}, ["duration_minutes"], "between 1 minute and 24 hours"),
        ({"duration_minutes": None}, ["duration_minutes"], "may not be null"),
        ({"duration_minutes": 1.5}, ["duration_minutes"], "Not a valid integer"),
        ({"mood_rating": 6}, ["mood_rating"], "Mood is a number from 1 to 5."),
        ({"quality_rating": 0}, ["quality_rating"], "Quality is a number from 1 to 5."),
        ({"started_at": "2026-03-02T18:30:00"}, ["started_at"], "with its offset"),
        ({"started_at": "0001-01-01T00:00:00+05:00"}, ["started_at"], "years 1900 and 2200"),
        ({"started_at": "9999-12-31T23:00:00+05:00"}, ["started_at"], "years 1900 and 2200"),
        ({"notes": "a\x00b"}, ["notes"], "NUL"),
        ({"client_uuid": "not-a-uuid"}, ["client_uuid"], "Not a valid UUID."),
        ({"instrument_id": 999999}, ["instrument_id"], "You have no instrument with id 999999."),
        ({"focus_area_ids": [999999]}, ["focus_area_ids"], "You have no focus area with id"),
        ({"equipment_ids": [999999]}, ["equipment_ids"], "You have no equipment with id 999999."),
        ({"goals": [{"goal_id": 999999}]}, ["goals", "0", "goal_id"], "You have no goal"),
        ({"goals": [{"minutes": 5}]}, ["goals", "0", "goal_id"], "Missing data"),
        ({"pieces": [{"piece_id": 999999}]}, ["pieces", "0", "piece_id"], "You have no piece"),
        ("minutes 0", ["goals", "0", "minutes"], "Between 1 and 1440 minutes."),
        ("minutes 1441", ["pieces", "0", "minutes"], "Between 1 and 1440 minutes."),
        ("section of another piece", ["pieces", "0", "section_id"], "section of another piece"),
        ("goal twice", ["goals"], "is listed twice"),
    ],
)
def test_bad_values_are_422_with_the_field_message(client, auth, kit, change, where, message):
    auth.login(kit["user"])
    goal, piece = kit["goals"][0], kit["piece"]
    # Bodies that need the kit's ids are named in the parameters.
    named = {
        "minutes 0": {"goals": [{"goal_id": goal.id, "minutes": 0}]},
        "minutes 1441": {"pieces": [{"piece_id": piece.id, "minutes": 1441}]},
        "section of another piece": {
            "pieces": [{"piece_id": kit["other_piece"].id, "section_id": kit["section"].id}]
        },
        "goal twice": {"goals": [{"goal_id": goal.id}, {"goal_id": goal.id, "minutes": 5}]},
    }
    change = named[change] if isinstance(change, str) else change
    response = client.post(URL, json={**full_body(kit), **change})
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]["json"]
    for key in where:
        errors = errors[key]
    assert any(message in text for text in errors), errors
    assert session_count() == 0
    existing = PracticeSessionFactory(user=kit["user"], duration_minutes=30)
    response = client.patch(f"{URL}/{existing.id}", json=change)
    assert response.status_code == 422, response.get_json()
    assert session_count() == 1


def test_section_message_names_the_section(client, auth, kit):
    auth.login(kit["user"])
    kit["section"].section_name = "Coda"
    db.session.commit()
    body = {
        "duration_minutes": 10,
        "pieces": [{"piece_id": kit["other_piece"].id, "section_id": kit["section"].id}],
    }
    response = client.post(URL, json=body)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["pieces"]["0"]["section_id"] == [
        "“Coda” is a section of another piece."
    ]


@pytest.mark.parametrize(
    "field", ["instrument_id", "focus_area_ids", "equipment_ids", "goals", "pieces", "section_id"]
)
def test_another_users_rows_cannot_be_linked(client, auth, kit, field):
    theirs = {
        "instrument_id": InstrumentFactory().id,
        "focus_area_ids": [FocusAreaFactory().id],
        "equipment_ids": [EquipmentFactory().id],
        "goals": [{"goal_id": GoalFactory().id}],
        "pieces": [{"piece_id": PieceFactory().id}],
        "section_id": PieceSectionFactory().id,
    }[field]
    body = {"duration_minutes": 30}
    if field == "section_id":
        body["pieces"] = [{"piece_id": kit["piece"].id, "section_id": theirs}]
    else:
        body[field] = theirs
    auth.login(kit["user"])
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.get_json()
    assert "You have no" in str(response.get_json()["errors"]["json"])
    mine = PracticeSessionFactory(user=kit["user"], duration_minutes=30)
    response = client.patch(f"{URL}/{mine.id}", json={**body, "duration_minutes": 50})
    assert response.status_code == 422
    assert session_count(kit["user"]) == 1
    assert db.session.get(PracticeSession, mine.id).duration_minutes == 30


def test_a_refused_patch_changes_nothing(client, auth, kit):
    session = PracticeSessionFactory(
        user=kit["user"], duration_minutes=30, notes="before", focus_areas=[kit["focus"][0]]
    )
    SessionGoalFactory(user=kit["user"], session=session, goal=kit["goals"][0], minutes=10)
    auth.login(kit["user"])
    response = client.patch(
        f"{URL}/{session.id}",
        json={
            "notes": "after",
            "duration_minutes": 60,
            "focus_area_ids": [kit["focus"][1].id],
            "goals": [{"goal_id": kit["goals"][1].id}],
            "pieces": [{"piece_id": kit["other_piece"].id, "section_id": kit["section"].id}],
        },
    )
    assert response.status_code == 422
    db.session.expire_all()
    session = db.session.get(PracticeSession, session.id)
    assert (session.notes, session.duration_minutes) == ("before", 30)
    assert [area.id for area in session.focus_areas] == [kit["focus"][0].id]
    assert [(link.goal_id, link.minutes) for link in session.goal_links] == [
        (kit["goals"][0].id, 10)
    ]
    assert session.piece_links == []


def test_patch_replaces_the_links_given_and_keeps_the_rest(client, auth, kit):
    auth.login(kit["user"])
    created = client.post(URL, json=full_body(kit)).get_json()
    kept_link = db.session.execute(
        select(SessionGoal.id).where(SessionGoal.goal_id == kit["goals"][0].id)
    ).scalar()
    third = GoalFactory(user=kit["user"])
    response = client.patch(
        f"{URL}/{created['id']}",
        json={
            "goals": [{"goal_id": kit["goals"][0].id, "minutes": 30}, {"goal_id": third.id}],
            "pieces": [{"piece_id": kit["other_piece"].id, "minutes": 5}],
            "focus_area_ids": [kit["focus"][1].id],
            "equipment_ids": [],
        },
    )
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert changed["goals"] == [
        {"goal_id": kit["goals"][0].id, "minutes": 30, **unrated(3)},
        {"goal_id": third.id, "minutes": None, **unrated(3)},
    ]
    assert changed["pieces"] == [
        {"piece_id": kit["other_piece"].id, "section_id": None, "minutes": 5, **unrated(3)}
    ]
    assert (changed["focus_area_ids"], changed["equipment_ids"]) == ([kit["focus"][1].id], [])
    untouched = ["started_at", "duration_minutes", "notes", "instrument_id", "client_uuid"]
    assert {key: changed[key] for key in untouched} == {key: created[key] for key in untouched}
    db.session.expire_all()
    goal_links = db.session.execute(
        select(SessionGoal.id, SessionGoal.goal_id).where(SessionGoal.session_id == created["id"])
    ).all()
    assert {row.goal_id for row in goal_links} == {kit["goals"][0].id, third.id}
    assert kept_link in {row.id for row in goal_links}  # the same goal keeps its link row
    piece_count = select(func.count()).select_from(SessionPiece)
    assert db.session.execute(piece_count).scalar() == 1
    assert client.get(f"{URL}/{created['id']}").get_json() == changed


def test_patch_changes_only_the_fields_given(client, auth, kit):
    auth.login(kit["user"])
    created = client.post(URL, json=full_body(kit)).get_json()
    response = client.patch(
        f"{URL}/{created['id']}", json={"notes": None, "started_at": "2026-03-03T08:00:00Z"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        **created,
        "notes": None,
        "started_at": "2026-03-03T08:00:00+00:00",
    }


def test_delete_removes_the_session_and_its_links(client, auth, kit):
    auth.login(kit["user"])
    created = client.post(URL, json=full_body(kit)).get_json()
    response = client.delete(f"{URL}/{created['id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert session_count() == 0
    for link in (SessionGoal, SessionPiece):
        assert db.session.execute(select(func.count()).select_from(link)).scalar() == 0
    assert client.get(f"{URL}/{created['id']}").status_code == 404
    assert client.delete(f"{URL}/{created['id']}").status_code == 404


def test_a_replayed_client_uuid_returns_the_session_already_logged(client, kit):
    headers = bearer(kit["user"])
    body = full_body(kit)
    first = client.post(URL, json=body, headers=headers)
    assert first.status_code == 201
    again = client.post(URL, json={**body, "duration_minutes": 90}, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    assert session_count() == 1
    other = UserFactory()
    theirs = client.post(
        URL,
        json={"duration_minutes": 15, "client_uuid": body["client_uuid"]},
        headers=bearer(other),
    )
    assert theirs.status_code == 201
    assert theirs.get_json()["id"] != first.get_json()["id"]
    assert (session_count(kit["user"]), session_count(other)) == (1, 1)


def test_the_spec_documents_both_replies_of_a_create(client, auth):
    auth.login(UserFactory())
    spec = client.get("/api/v1/openapi.json").get_json()
    responses = spec["paths"][URL]["post"]["responses"]
    assert {"200", "201", "422"} <= set(responses)
    assert "client_uuid" in responses["200"]["description"]


def _post_in_thread(app, headers, body, results, barrier=None):
    """POST body with its own app context and test client, as a second process would."""
    with app.app_context():
        client = app.test_client()
        if barrier is not None:
            barrier.wait(timeout=10)
        response = client.post(URL, json=body, headers=headers)
        results.append((response.status_code, response.get_json()))


def test_concurrent_posts_with_one_client_uuid_log_one_session(app, kit):
    headers = bearer(kit["user"])
    body = {"duration_minutes": 25, "client_uuid": str(uuid.uuid4())}
    results, barrier = [], threading.Barrier(2)
    threads = [
        threading.Thread(target=_post_in_thread, args=(app, headers, body, results, barrier))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(status for status, _ in results) == [200, 201], results
    assert results[0][1] == results[1][1]
    assert session_count() == 1


def test_a_post_that_loses_the_race_returns_the_winner(app, kit):
    """The unique index, not the first look-up, settles a race: the loser gets 200."""
    user_id, key = kit["user"].id, uuid.uuid4()
    headers = bearer(kit["user"])
    results = []
    with db.engine.connect() as winner:
        winner_id = winner.execute(
            text(
                "INSERT INTO practice_sessions (user_id, started_at, duration_minutes, client_uuid)"
                " VALUES (:u, now(), 40, :k) RETURNING id"
            ),
            {"u": user_id, "k": key},
        ).scalar()
        loser = threading.Thread(
            target=_post_in_thread,
            args=(app, headers, {"duration_minutes": 10, "client_uuid": str(key)}, results),
        )
        loser.start()

        def loser_waits_on_the_index():
            with db.engine.connect() as probe:
                return probe.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                ).scalar()

        wait_for(loser_waits_on_the_index)
        winner.commit()
    loser.join(timeout=30)
    assert len(results) == 1
    status, body = results[0]
    assert (status, body["id"], body["duration_minutes"]) == (200, winner_id, 40)
    assert session_count() == 1


def _sessions_with_links(kit, count):
    """count sessions of kit's user, each with two tags, gear, two goals and two pieces."""
    user_id = kit["user"].id
    for n in range(count):
        db.session.add(
            PracticeSession(
                user_id=user_id,
                started_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n),
                duration_minutes=30,
                focus_areas=kit["focus"],
                equipment=[kit["gear"]],
                goal_links=[
                    SessionGoal(user_id=user_id, goal_id=goal.id, minutes=10)
                    for goal in kit["goals"]
                ],
                piece_links=[
                    SessionPiece(
                        user_id=user_id, piece_id=kit["piece"].id, section_id=kit["section"].id
                    ),
                    SessionPiece(user_id=user_id, piece_id=kit["other_piece"].id),
                ],
            )
        )
    db.session.commit()


def test_list_queries_do_not_grow_with_the_page(client, auth, kit, count_queries):
    auth.login(kit["user"])
    _sessions_with_links(kit, 5)
    page = f"{URL}?per_page=50"
    client.get(page)
    few = count_queries(lambda: client.get(page))
    _sessions_with_links(kit, 35)
    responses = []
    many = count_queries(lambda: responses.append(client.get(page)))
    assert len(responses[0].get_json()) == 40
    assert responses[0].get_json()[0]["goals"] == [
        {"goal_id": goal.id, "minutes": 10, **unrated(None)} for goal in kit["goals"]
    ]
    assert many == few


def test_summary_follows_sessions_written_through_the_api(client, kit):
    headers = bearer(kit["user"])
    summary = "/api/v1/stats/summary?start=2000-01-01"

    def figures():
        body = client.get(summary, headers=headers).get_json()
        return body["sessions"], body["total_minutes"]

    assert figures() == (0, 0)  # now cached
    created = client.post(URL, json={"duration_minutes": 35}, headers=headers).get_json()
    assert figures() == (1, 35)
    client.patch(f"{URL}/{created['id']}", json={"duration_minutes": 50}, headers=headers)
    assert figures() == (1, 50)
    client.delete(f"{URL}/{created['id']}", headers=headers)
    assert figures() == (0, 0)
