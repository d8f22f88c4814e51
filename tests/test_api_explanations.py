"""/api/v1/resources: explanations through a token, their links and their web addresses."""

import pytest

from tests.api_routes import bearer
from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Resource

URL = "/api/v1/resources"


@pytest.fixture
def musician():
    return UserFactory()


@pytest.fixture
def headers(musician):
    return bearer(musician)


def test_resource_round_trip(client, musician, headers):
    goal = GoalFactory(user=musician)
    piece = PieceFactory(user=musician)
    section = PieceSectionFactory(user=musician, piece=piece)
    focus = FocusAreaFactory(user=musician)
    body = {
        "title": "How a barre works",
        "kind": "video",
        "url": "https://example.com/barre",
        "notes": "Thumb behind the neck.",
        "focus_area_ids": [focus.id],
        "goal_ids": [goal.id],
        "piece_ids": [piece.id],
        "section_ids": [section.id],
    }
    created = client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    assert data == {"id": data["id"], **body}

    listed = client.get(URL, headers=headers)
    assert listed.status_code == 200 and listed.get_json() == [data]

    changed = client.patch(
        f"{URL}/{data['id']}", json={"kind": "note", "goal_ids": []}, headers=headers
    )
    assert changed.status_code == 200
    assert changed.get_json()["kind"] == "note" and changed.get_json()["goal_ids"] == []
    assert changed.get_json()["piece_ids"] == [piece.id]

    assert client.delete(f"{URL}/{data['id']}", headers=headers).status_code == 204
    assert db.session.query(Resource).count() == 0


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x", "mailto:a@b.c"]
)
def test_a_script_address_is_a_422_naming_the_field(client, headers, url):
    response = client.post(URL, json={"title": "Barre", "url": url}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["url"] == [
        "Enter a web address starting with http:// or https://."
    ]
    assert db.session.query(Resource).count() == 0


def test_an_unknown_kind_is_refused(client, headers):
    response = client.post(URL, json={"title": "Barre", "kind": "podcast"}, headers=headers)
    assert response.status_code == 422
    assert "kind" in response.get_json()["errors"]["json"]


def test_linking_someone_elses_goal_is_refused(client, headers):
    theirs = GoalFactory()
    response = client.post(URL, json={"title": "Barre", "goal_ids": [theirs.id]}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["goal_ids"] == [
        f"You have no goal with id {theirs.id}."
    ]


def test_someone_elses_resource_is_not_found(client, headers):
    theirs = ResourceFactory()
    assert client.get(f"{URL}/{theirs.id}", headers=headers).status_code == 404
    assert client.get(URL, headers=headers).get_json() == []


def test_a_page_of_resources_costs_the_same_queries_for_one_or_many(
    client, musician, headers, count_queries
):
    goal = GoalFactory(user=musician)
    ResourceFactory(user=musician, goals=[goal], pieces=[PieceFactory(user=musician)])

    def one_page():
        assert client.get(URL, headers=headers).status_code == 200

    one_page()  # the token's first use is stamped once
    few = count_queries(one_page)
    for _ in range(5):
        ResourceFactory(user=musician, goals=[goal], pieces=[PieceFactory(user=musician)])
    assert count_queries(one_page) == few
