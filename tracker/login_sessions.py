"""Signed-in sessions kept on the server: made at login, checked on every request, ended at will.

Why a row per session, and not server-side session storage or Flask-Security's
fs_uniquifier alone: Flask-Login keeps the value it calls the user id in the signed session
cookie and copies that same value into the remember cookie. Here that value is a random
token naming a `login_sessions` row instead of the account's fs_uniquifier, so
- every request finds its row and its user in one indexed lookup (`load_user`), and the row
  says whether the session still lives: not ended, used within the idle timeout, younger
  than the absolute one, and made under the account's current fs_uniquifier (a password
  change still ends every older session);
- ending the row (logout, "Sign out", "Sign out everywhere") ends the session cookie and
  the remember cookie together, wherever a copy of either is replayed;
- the signed cookie keeps only what it carried before (CSRF token, flashes), and nothing
  else moves to the database.
Only the token's SHA-256 is stored. The remember cookie's token rotates each time it signs
a browser back in; the next token is derived from the last (HMAC with SECRET_KEY), so tabs
restored at once all land on the same one within a short grace period.
"""

import hashlib
import hmac
import secrets
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import current_app
from flask import g
from flask import request
from flask import session
from flask_login import user_loaded_from_cookie
from flask_login import user_logged_in
from flask_login import user_logged_out
from flask_security.utils import set_request_attr
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from tracker.access_tokens import secret_hash
from tracker.extensions import db
from tracker.models import LoginSession
from tracker.models import User

# last_seen_at is written at most this often, so most requests only read.
TOUCH_EVERY = timedelta(minutes=1)
# How long the token before a rotation still signs in (tabs restored together).
ROTATION_GRACE = timedelta(seconds=60)
USER_AGENT_LENGTH = 255


def _now():
    return datetime.now(UTC)


def next_token(token):
    """The token that follows `token` at a rotation: derived, so concurrent requests agree."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def idle_timeout():
    """How long a session lives unused."""
    return timedelta(days=current_app.config["SESSION_IDLE_DAYS"])


def absolute_timeout():
    """How long a session lives at most, however often it is used."""
    return timedelta(days=current_app.config["SESSION_ABSOLUTE_DAYS"])


def _client():
    """(address, user agent) of the request, cut to what the columns hold."""
    agent = (request.user_agent.string or "")[:USER_AGENT_LENGTH] or None
    return request.remote_addr, agent


def start_session(user):
    """Record a new sign-in of user and return the token its cookies will carry."""
    token = secrets.token_urlsafe(32)
    now = _now()
    ip, agent = _client()
    row = LoginSession(
        user_id=user.id,
        token_hash=secret_hash(token),
        user_uniquifier=user.fs_uniquifier,
        created_at=now,
        last_seen_at=now,
        ip=ip,
        user_agent=agent,
    )
    db.session.add(row)
    db.session.flush()
    g.login_session_id = row.id
    return token


def is_live(row, user, now):
    """Tell whether a session row still signs its user in at `now`."""
    return (
        row.revoked_at is None
        and user.active
        and row.user_uniquifier == user.fs_uniquifier
        and now - row.last_seen_at <= idle_timeout()
        and now - row.created_at <= absolute_timeout()
    )


def load_user(token):
    """Flask-Login's user loader: the user of the live session that `token` names, or None."""
    if not token:
        return None
    hashed = secret_hash(str(token))
    found = (
        db.session.execute(
            select(LoginSession, User)
            .join(User, User.id == LoginSession.user_id)
            # Flask-Principal reads the roles on every request: in the same statement.
            .options(joinedload(User.roles))
            .where(
                or_(LoginSession.token_hash == hashed, LoginSession.previous_token_hash == hashed)
            )
        )
        .unique()
        .first()
    )
    now = _now()
    if found is None or not is_live(found[0], found[1], now):
        return None
    row, user = found
    if row.token_hash != hashed:
        # A token from just before a rotation: hand this browser the current one.
        fresh = next_token(str(token))
        if now - row.rotated_at > ROTATION_GRACE or secret_hash(fresh) != row.token_hash:
            return None
        session["_user_id"] = fresh
        session["_remember"] = "set"
        g.login_session_rotated = True
    if now - row.last_seen_at >= TOUCH_EVERY:
        _touch(row.id, now)
    g.login_session_id = row.id
    # What Flask-Security's own loader records about a session sign-in.
    set_request_attr("fs_authn_via", "session")
    set_request_attr("fs_paa", session.get("fs_paa", 0))
    return user


def _write(statement):
    """Run one UPDATE in its own short transaction, apart from the request's unit of work."""
    with db.engine.begin() as conn:
        conn.execute(statement)


def _touch(session_id, now):
    ip, agent = _client()
    _write(
        update(LoginSession)
        .where(LoginSession.id == session_id)
        .values(last_seen_at=now, ip=ip, user_agent=agent)
    )


def rotate_remembered(session_id):
    """Give the browser that the remember cookie just signed in a new token (and cookie)."""
    if g.get("login_session_rotated"):
        return
    token = str(session["_user_id"])
    fresh = next_token(token)
    _write(
        update(LoginSession)
        .where(LoginSession.id == session_id, LoginSession.token_hash == secret_hash(token))
        .values(
            previous_token_hash=secret_hash(token),
            token_hash=secret_hash(fresh),
            rotated_at=_now(),
        )
    )
    session["_user_id"] = fresh
    session["_remember"] = "set"
    g.login_session_rotated = True


def end_sessions(user_id, session_id=None):
    """End one of the user's sessions (or all of them, without session_id); returns how many."""
    statement = (
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    if session_id is not None:
        statement = statement.where(LoginSession.id == session_id)
    with db.engine.begin() as conn:
        return conn.execute(statement).rowcount


def current_session_id():
    """Id of the session row that signed this request in, or None."""
    return g.get("login_session_id")


def live_sessions(query):
    """`query` of LoginSession narrowed to sessions that still sign in, most recent first."""
    now = _now()
    return (
        query.join(User, User.id == LoginSession.user_id)
        .filter(
            LoginSession.revoked_at.is_(None),
            LoginSession.user_uniquifier == User.fs_uniquifier,
            LoginSession.last_seen_at >= now - idle_timeout(),
            LoginSession.created_at >= now - absolute_timeout(),
        )
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())
    )


def _on_login(app, user):
    """A sign-in: record its row and let both cookies carry the row's token."""
    session["_user_id"] = start_session(user)


def _on_cookie_login(app, user):
    rotate_remembered(g.login_session_id)


def _on_logout(app, user):
    """Logout ends the row, so copies of this browser's cookies sign nobody in."""
    session_id = g.pop("login_session_id", None)
    if session_id is not None and user is not None and getattr(user, "id", None):
        end_sessions(user.id, session_id)


def init_app(app):
    """Make Flask-Login load users through session rows, and keep the rows in step."""
    app.login_manager.user_loader(load_user)
    user_logged_in.connect(_on_login, app)
    user_loaded_from_cookie.connect(_on_cookie_login, app)
    user_logged_out.connect(_on_logout, app)
