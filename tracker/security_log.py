"""The security log: one JSON line per login, failed login, refused request and server error.

Lines go to the `tracker.security` logger (stderr unless configured otherwise) with a UTC
timestamp, the event, the user id (or null), the path and the address. They never hold a
password, a token, a cookie or a query string: only the fields written here.
"""

import json
import logging
import sys
from datetime import UTC
from datetime import datetime

from flask import g
from flask import has_request_context
from flask import request
from flask_security import user_authenticated
from flask_security import user_failed_authn

LOGGER_NAME = "tracker.security"
logger = logging.getLogger(LOGGER_NAME)
# Statuses that mean "not for you": someone else's row (404), forbidden, throttled.
REFUSED_STATUSES = (403, 404, 429)


def _signed_in_user_id():
    """The signed-in user's id, without loading a user where none was loaded yet."""
    user = g.get("_login_user")
    return getattr(user, "id", None) if user is not None and user.is_authenticated else None


def record(event, user_id=None, **fields):
    """Write one line of the security log."""
    line = {
        "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "event": event,
        "user_id": user_id,
    }
    if has_request_context():
        line["path"] = request.path
        line["method"] = request.method
        line["ip"] = request.remote_addr
    line.update(fields)
    logger.info(json.dumps(line, sort_keys=True))


def _on_login(app, user, authn_via=None, **extra):
    record("login", user.id, via=(authn_via or [None])[0])


def _on_failed_login(app, user, auth_type=None, **extra):
    record("login_failed", user.id, auth_type=auth_type)


def record_response(response):
    """After a request: note refused access (403, 404 for a signed-in user, 429)."""
    status = response.status_code
    if status in REFUSED_STATUSES:
        user_id = _signed_in_user_id()
        # An anonymous 404 is a missing page (a favicon, a typo), not a refusal.
        if status != 404 or user_id is not None:
            record("access_refused", user_id, status=status)
    return response


def record_server_error(error):
    """Note an unhandled exception (its type only: messages may quote data)."""
    original = getattr(error, "original_exception", None) or error
    record("server_error", _signed_in_user_id(), status=500, error=type(original).__name__)


def _configure_logger():
    """Give the logger a handler that writes each message as it is: one JSON line."""
    if logger.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # The root logger's format would wrap each line in "INFO:tracker.security:".
    logger.propagate = False


def init_app(app):
    """Log this app's sign-ins, failed sign-ins and refused requests."""
    _configure_logger()
    user_authenticated.connect(_on_login, app)
    user_failed_authn.connect(_on_failed_login, app)
    app.after_request(record_response)



def record_unknown_account():
    """Note a login attempt for an address without an account (no user id to name)."""
    record("login_failed", None, auth_type="unknown_account")
