"""Personal access tokens: made, used, listed, revoked; CSRF for cookies, none for tokens."""

import re

from sqlalchemy import func
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.factories import ApiTokenFactory
from tests.factories import InstrumentFactory
from tests.factories import UserFactory
from tracker.access_tokens import secret_hash
from tracker.extensions import db
from tracker.models import ApiToken
from tracker.models import Instrument


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_token_is_made_used_listed_and_revoked(client, auth):
    user = UserFactory()
    auth.login(user)
    made = client.post("/api/v1/tokens", json={"name": "  Spreadsheet sync "})
    assert made.status_code == 201
    body = made.get_json()
    assert set(body) >= {"id", "name", "token", "created_at"}
    assert body["name"] == "Spreadsheet sync"
    secret = body["token"]
    assert secret.startswith("pt_") and len(secret) > 40
    stored = db.session.get(ApiToken, body["id"])
    assert stored.user_id == user.id
    assert stored.token_hash == secret_hash(secret)
    assert stored.last_used_at is None
    auth.logout()

    # Used from a script: no cookie, just the token.
    script = client.application.test_client()
    used = script.post("/api/v1/instruments", json={"name": "Viola"}, headers=_bearer(secret))
    assert used.status_code == 201
    assert db.session.get(Instrument, used.get_json()["id"]).user_id == user.id
    db.session.expire_all()
    assert db.session.get(ApiToken, body["id"]).last_used_at is not None

    listed = script.get("/api/v1/tokens", headers=_bearer(secret))
    assert listed.status_code == 200
    assert [token["name"] for token in listed.get_json()] == ["Spreadsheet sync"]
    assert "token" not in listed.get_json()[0]
    assert listed.get_json()[0]["last_used_at"] is not None
    text = listed.get_data(as_text=True)
    assert secret not in text and stored.token_hash not in text

    revoked = script.delete(f"/api/v1/tokens/{body['id']}", headers=_bearer(secret))
    assert revoked.status_code == 204
    assert db.session.get(ApiToken, body["id"]) is None
    refused = script.get("/api/v1/instruments", headers=_bearer(secret))
    assert refused.status_code == 401
    assert refused.get_json()["code"] == 401


def test_another_users_token_is_not_found(client):
    alice = UserFactory()
    alices_token = ApiTokenFactory(user=alice)
    bob = UserFactory()
    bob_token = ApiTokenFactory(user=bob, token_hash=secret_hash("pt_bob"))
    response = client.delete(f"/api/v1/tokens/{alices_token.id}", headers=_bearer("pt_bob"))
    assert response.status_code == 404
    assert response.get_json()["message"] == "No such api token."
    assert db.session.get(ApiToken, alices_token.id) is not None
    listed = client.get("/api/v1/tokens", headers=_bearer("pt_bob")).get_json()
    assert [token["id"] for token in listed] == [bob_token.id]


def test_unknown_and_inactive_tokens_get_401(client):
    user = UserFactory(active=False)
    ApiTokenFactory(user=user, token_hash=secret_hash("pt_inactive"))
    for headers in (_bearer("pt_inactive"), _bearer("pt_made-up"), {"Authorization": "Basic x"}):
        response = client.get("/api/v1/instruments", headers=headers)
        assert response.status_code == 401, headers
        assert response.is_json


def test_unauthenticated_calls_get_json_401_never_a_login_page(client):
    for method, path in [
        ("GET", "/api/v1/instruments"),
        ("POST", "/api/v1/instruments"),
        ("DELETE", "/api/v1/tokens/1"),
        ("GET", "/api/v1/stats/summary"),
    ]:
        response = client.open(path, method=method, json={})
        assert response.status_code == 401, (method, path)
        assert response.is_json and response.get_json()["code"] == 401
        assert "Location" not in response.headers


def test_unknown_api_path_is_json_not_html(client):
    anonymous = client.get("/api/v1/no-such-thing")
    assert anonymous.status_code in (401, 404)
    assert anonymous.is_json
    assert "<html" not in anonymous.get_data(as_text=True).lower()
    user = UserFactory()
    ApiTokenFactory(user=user, token_hash=secret_hash("pt_known"))
    signed_in = client.get("/api/v1/no-such-thing", headers=_bearer("pt_known"))
    assert signed_in.status_code == 404
    assert signed_in.is_json and signed_in.get_json()["code"] == 404


def test_cookie_write_needs_the_csrf_header(csrf_client, csrf_auth):
    user = UserFactory()
    csrf_auth.login(user)
    refused = csrf_client.post("/api/v1/instruments", json={"name": "Viola"})
    assert refused.status_code == 400
    assert refused.is_json and "CSRF" in refused.get_json()["message"]
    assert _count(Instrument) == 0

    token = csrf_token_from(csrf_client.get("/app/api-tokens/").get_data(as_text=True))
    accepted = csrf_client.post(
        "/api/v1/instruments", json={"name": "Viola"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    assert _count(Instrument) == 1


def test_cookie_delete_without_csrf_changes_nothing(csrf_client, csrf_auth):
    user = UserFactory()
    viola = InstrumentFactory(user=user)
    csrf_auth.login(user)
    response = csrf_client.delete(f"/api/v1/instruments/{viola.id}")
    assert response.status_code == 400
    assert db.session.get(Instrument, viola.id) is not None


def test_bearer_write_needs_no_csrf(csrf_client):
    user = UserFactory()
    ApiTokenFactory(user=user, token_hash=secret_hash("pt_script"))
    response = csrf_client.post(
        "/api/v1/instruments", json={"name": "Viola"}, headers=_bearer("pt_script")
    )
    assert response.status_code == 201
    assert db.session.get(Instrument, response.get_json()["id"]).user_id == user.id


def test_settings_page_creates_shows_once_lists_and_revokes(csrf_client, csrf_auth):
    user = UserFactory()
    csrf_auth.login(user)
    page = csrf_client.get("/app/api-tokens/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="token-list-empty"' in html
    assert "/api/v1/docs" in html

    # Without the form's CSRF token nothing is made.
    assert csrf_client.post("/app/api-tokens/", data={"name": "Phone"}).status_code == 400
    assert _count(ApiToken) == 0

    made = csrf_client.post(
        "/app/api-tokens/", data={"name": "Phone", "csrf_token": csrf_token_from(html)}
    )
    assert made.status_code == 200
    token = db.session.scalars(select(ApiToken)).one()
    secret = _shown_secret(made.get_data(as_text=True))
    assert secret_hash(secret) == token.token_hash
    assert "Copy it now" in made.get_data(as_text=True)
    # The secret works, and is never shown again.
    assert (
        csrf_client.application.test_client()
        .get("/api/v1/tokens", headers=_bearer(secret))
        .get_json()[0]["name"]
        == "Phone"
    )
    again = csrf_client.get("/app/api-tokens/").get_data(as_text=True)
    assert secret not in again
    assert "Phone" in again and "not used yet" not in again  # used just now

    # Revoking takes the form's CSRF token; without it the token stays.
    revoke_url = f"/app/api-tokens/{token.id}/revoke"
    csrf_client.post(revoke_url)
    assert db.session.get(ApiToken, token.id) is not None
    revoked = csrf_client.post(revoke_url, data={"csrf_token": csrf_token_from(again)})
    assert revoked.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id) is None
    after = csrf_client.get("/app/api-tokens/").get_data(as_text=True)
    assert "is revoked" in after and 'id="token-list-empty"' in after
    refused = csrf_client.application.test_client().get("/api/v1/tokens", headers=_bearer(secret))
    assert refused.status_code == 401


def test_settings_page_cannot_revoke_another_users_token(csrf_client, csrf_auth):
    alices = ApiTokenFactory(user=UserFactory())
    csrf_auth.login(UserFactory())
    html = csrf_client.get("/app/api-tokens/").get_data(as_text=True)
    csrf_client.post(
        f"/app/api-tokens/{alices.id}/revoke", data={"csrf_token": csrf_token_from(html)}
    )
    assert db.session.get(ApiToken, alices.id) is not None


def _shown_secret(html):
    """The secret shown in #new-token-secret."""
    match = re.search(r'id="new-token-secret"[^>]*>\s*([^<\s]+)\s*<', html)
    assert match, "no #new-token-secret on the page"
    return match.group(1)

