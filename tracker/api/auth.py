"""Who is calling the API: the session cookie of the app's own pages, or a personal token."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import g
from flask import request
from sqlalchemy import select
from sqlalchemy import update

from tracker.access_tokens import secret_hash
from tracker.extensions import db
from tracker.models import ApiToken
from tracker.models import User

# last_used_at is a hint for the token list, not an audit log: write it at most this often.
LAST_USED_PRECISION = timedelta(minutes=1)


def bearer_secret():
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


def user_from_token(request):
    """Flask-Login's request loader: the active user whose token the request carries.

    A revoked token's row is gone, so it finds nobody at once. The token used is kept in
    `g.api_token_id`: writes signed by a token need no CSRF token, cookie writes always do.
    """
    secret = bearer_secret()
    if secret is None:
        return None
    found = db.session.execute(
        select(ApiToken.id, ApiToken.last_used_at, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == secret_hash(secret))
    ).first()
    if found is None or not found.User.active:
        return None
    g.api_token_id = found.id
    _note_use(found.id, found.last_used_at)
    return found.User


def signed_in_by_token():
    """Tell whether this request's user came from a personal access token."""
    return g.get("api_token_id") is not None


def _note_use(token_id, last_used_at):
    """Stamp last_used_at (on a connection of its own: a GET commits nothing)."""
    now = datetime.now(UTC)
    if last_used_at is not None and now - last_used_at < LAST_USED_PRECISION:
        return
    with db.engine.begin() as conn:
        # A use is not a change of the token: updated_at keeps its value.
        conn.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(last_used_at=now, updated_at=ApiToken.updated_at)
        )
