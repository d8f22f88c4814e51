"""Lists under /api/v1: ?page= and ?per_page=, the X-Pagination header, bounds."""

import json

from tests.factories import InstrumentFactory
from tests.factories import UserFactory


def test_pages_and_their_header(client, auth):
    user = UserFactory()
    for name in ("Cello", "Guitar", "Piano"):
        InstrumentFactory(user=user, name=name)
    auth.login(user)
    response = client.get("/api/v1/instruments?page=2&per_page=2")
    assert response.status_code == 200
    assert [row["name"] for row in response.get_json()] == ["Piano"]
    header = json.loads(response.headers["X-Pagination"])
    assert header["total"] == 3 and header["total_pages"] == 2 and header["page"] == 2
    assert header["previous_page"] == 1 and "next_page" not in header


def test_more_than_a_hundred_a_page_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.get("/api/v1/instruments?per_page=101")
    assert response.status_code == 422
    assert "per_page" in response.get_json()["errors"]["query"]


def test_a_page_beyond_any_list_is_refused_not_a_server_error(client, auth):
    auth.login(UserFactory())
    response = client.get("/api/v1/instruments?page=99999999999999999999")
    assert response.status_code == 422
    assert "page" in response.get_json()["errors"]["query"]
    assert client.get("/api/v1/instruments?page=1000000").get_json() == []

