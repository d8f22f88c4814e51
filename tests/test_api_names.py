"""Names sent to the API (instruments, focus areas, tokens) are checked before the database."""

from tests.factories import UserFactory


def test_a_nul_character_in_a_name_is_refused_beside_the_field(client, auth):
    auth.login(UserFactory())
    for path in ("/api/v1/instruments", "/api/v1/focus-areas", "/api/v1/tokens"):
        response = client.post(path, json={"name": "Vio\x00la"})
        assert response.status_code == 422, path
        assert "name" in response.get_json()["errors"]["json"], path


def test_a_name_is_kept_without_its_surrounding_spaces(client, auth):
    auth.login(UserFactory())
    response = client.post("/api/v1/instruments", json={"name": "  Viola   da  gamba "})
    assert response.status_code == 201
    assert response.get_json()["name"] == "Viola da gamba"
