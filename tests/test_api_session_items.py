"""/api/v1: how each item of a session went, and the tempo targets of goals and sections."""

import pytest

from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import UserFactory
from tracker.access_tokens import create_token
from tracker.extensions import db
from tracker.models import Goal
from tracker.models import PieceSection
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece

SESSIONS = "/api/v1/sessions"
NOTE = "Bars 9–12: left-hand shift late, start at 80."


@pytest.fixture
def musician():
    return UserFactory(timezone="Europe/Berlin")


@pytest.fixture
def headers(musician):
    _token, secret = create_token(musician.id, "script")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def errors_of(response):
    """The field messages of a 422 body."""
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def test_session_items_round_trip(client, musician, headers):
    goal = GoalFactory(user=musician)
    section = PieceSectionFactory(user=musician)
    body = {
        "duration_minutes": 40,
        "quality_rating": 3,
        "goals": [{"goal_id": goal.id, "rating": 4, "tempo_bpm": 96, "clean": True}],
        "pieces": [
            {
                "piece_id": section.piece_id,
                "section_id": section.id,
                "tempo_bpm": 72,
                "clean": False,
                "next_time": NOTE,
            }
        ],
    }
    response = client.post(SESSIONS, json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["goals"] == [
        {
            "goal_id": goal.id,
            "minutes": None,
            "rating": 4,
            "effective_rating": 4,
            "tempo_bpm": 96,
            "clean": True,
            "next_time": None,
        }
    ]
    # Unrated: stored as null, read as the session's quality.
    assert created["pieces"] == [
        {
            "piece_id": section.piece_id,
            "section_id": section.id,
            "minutes": None,
            "rating": None,
            "effective_rating": 3,
            "tempo_bpm": 72,
            "clean": False,
            "next_time": NOTE,
        }
    ]
    link = db.session.query(SessionPiece).one()
    assert (link.rating, link.tempo_bpm, link.clean, link.next_time) == (None, 72, False, NOTE)
    item = f"{SESSIONS}/{created['id']}"
    assert client.get(item, headers=headers).get_json() == created

    # The session's quality moves the default, never an item's own rating.
    patched = client.patch(item, json={"quality_rating": 5}, headers=headers).get_json()
    assert [link["effective_rating"] for link in patched["goals"] + patched["pieces"]] == [4, 5]
    listed = client.get(SESSIONS, headers=headers).get_json()
    assert listed[0]["pieces"][0]["effective_rating"] == 5

    # Links sent replace the old ones whole: what is left out is cleared.
    kept_link = db.session.query(SessionGoal.id).scalar()
    patched = client.patch(
        item, json={"goals": [{"goal_id": goal.id, "next_time": "  "}]}, headers=headers
    ).get_json()
    assert patched["goals"][0] == {
        "goal_id": goal.id,
        "minutes": None,
        "rating": None,
        "effective_rating": 5,
        "tempo_bpm": None,
        "clean": None,
        "next_time": None,
    }
    db.session.expire_all()
    assert db.session.query(SessionGoal.id).scalar() == kept_link


@pytest.mark.parametrize(
    "item, field, message",
    [
        ({"rating": 0}, "rating", "Rating is a number from 1 to 5."),
        ({"rating": 6}, "rating", "Rating is a number from 1 to 5."),
        ({"rating": 4.5}, "rating", "Not a valid integer."),
        ({"tempo_bpm": 9}, "tempo_bpm", "A tempo from 10 to 400 BPM."),
        ({"tempo_bpm": 401}, "tempo_bpm", "A tempo from 10 to 400 BPM."),
        ({"clean": "yes"}, "clean", "Not a valid boolean."),
        ({"next_time": "x" * 201}, "next_time", "Keep the note for next time to 200 characters."),
        ({"next_time": "a\x00b"}, "next_time", "Text cannot contain NUL characters."),
    ],
)
@pytest.mark.parametrize("kind", ["goals", "pieces"])
def test_bad_item_results_are_422_and_save_nothing(
    client, musician, headers, item, field, message, kind
):
    goal = GoalFactory(user=musician)
    piece = PieceFactory(user=musician)
    links = {"goals": [{"goal_id": goal.id}], "pieces": [{"piece_id": piece.id}]}
    links[kind][0].update(item)
    response = client.post(SESSIONS, json={"duration_minutes": 30, **links}, headers=headers)
    assert errors_of(response)[kind]["0"][field] == [message]
    assert db.session.query(PracticeSession).count() == 0
    assert db.session.query(SessionGoal).count() == db.session.query(SessionPiece).count() == 0

    existing = PracticeSessionFactory(user=musician, duration_minutes=30, notes="before")
    SessionGoalFactory(user=musician, session=existing, goal=goal, rating=2)
    response = client.patch(
        f"{SESSIONS}/{existing.id}", json={"notes": "after", **links}, headers=headers
    )
    assert errors_of(response)[kind]["0"][field] == [message]
    db.session.expire_all()
    assert db.session.get(PracticeSession, existing.id).notes == "before"
    assert [(link.goal_id, link.rating) for link in existing.goal_links] == [(goal.id, 2)]


def _paths(musician):
    """(list URL, item URL of one row, model) for goals and for a piece's sections."""
    piece = PieceFactory(user=musician)
    goal = GoalFactory(user=musician, target_bpm=120)
    section = PieceSectionFactory(user=musician, piece=piece, target_bpm=120)
    return [
        ("/api/v1/goals", f"/api/v1/goals/{goal.id}", Goal, goal.id, {"name": "Bumblebee"}),
        (
            f"/api/v1/pieces/{piece.id}/sections",
            f"/api/v1/pieces/{piece.id}/sections/{section.id}",
            PieceSection,
            section.id,
            {"section_name": "Coda"},
        ),
    ]


def test_goals_and_sections_carry_a_target_and_a_start_tempo(client, musician, headers):
    for collection, item, model, _pk, body in _paths(musician):
        created = client.post(
            collection, json={**body, "target_bpm": 160, "start_bpm": 90}, headers=headers
        )
        assert created.status_code == 201, created.get_json()
        row = created.get_json()
        assert (row["target_bpm"], row["start_bpm"]) == (160, 90)
        stored = db.session.get(model, row["id"])
        assert (stored.target_bpm, stored.start_bpm) == (160, 90)
        read = client.get(item, headers=headers).get_json()
        assert (read["target_bpm"], read["start_bpm"]) == (120, None)
        patched = client.patch(item, json={"start_bpm": 100}, headers=headers)
        assert patched.status_code == 200, patched.get_json()
        assert (patched.get_json()["target_bpm"], patched.get_json()["start_bpm"]) == (120, 100)
        cleared = client.patch(item, json={"target_bpm": None}, headers=headers).get_json()
        assert (cleared["target_bpm"], cleared["start_bpm"]) == (None, 100)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"target_bpm": 9}, "target_bpm", "A tempo from 10 to 400 BPM."),
        ({"target_bpm": 401}, "target_bpm", "A tempo from 10 to 400 BPM."),
        ({"start_bpm": 5}, "start_bpm", "A tempo from 10 to 400 BPM."),
        (
            {"target_bpm": 100, "start_bpm": 120},
            "start_bpm",
            "The start tempo is above the target tempo.",
        ),
        # Only the start sent: compared with the target already stored (120).
        ({"start_bpm": 130}, "start_bpm", "The start tempo is above the target tempo."),
        # Only the target sent, below a stored start.
        ({"target_bpm": 70}, "start_bpm", "The start tempo is above the target tempo."),
    ],
)
def test_bad_tempo_targets_are_422_and_change_nothing(
    client, musician, headers, change, field, message
):
    for collection, item, model, pk, body in _paths(musician):
        db.session.get(model, pk).start_bpm = 80
        db.session.commit()
        response = client.patch(item, json={**change, "notes": "changed"}, headers=headers)
        assert errors_of(response)[field] == [message]
        db.session.expire_all()
        row = db.session.get(model, pk)
        assert (row.target_bpm, row.start_bpm) == (120, 80) and row.notes != "changed"
        count = db.session.query(model).count()
        if "target_bpm" in change and "start_bpm" in change:
            response = client.post(collection, json={**body, **change}, headers=headers)
            assert errors_of(response)[field] == [message]
            assert db.session.query(model).count() == count


def test_spec_documents_the_new_fields_with_examples(client, headers):
    spec = client.get("/api/v1/openapi.json", headers=headers).get_json()
    schemas = spec["components"]["schemas"]
    for name in ("GoalLink", "PieceLink"):
        props = schemas[name]["properties"]
        assert {"rating", "effective_rating", "tempo_bpm", "clean", "next_time"} <= set(props)
        assert props["tempo_bpm"]["minimum"] == 10 and props["tempo_bpm"]["maximum"] == 400
        assert props["next_time"]["maxLength"] == 200
        assert props["effective_rating"]["readOnly"] is True
    for name in ("Goal", "PieceSection"):
        props = schemas[name]["properties"]
        assert props["target_bpm"]["example"] == 120 and props["start_bpm"]["example"] == 80
