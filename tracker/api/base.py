"""The blueprint under /api/, its sign-in rule and error replies, and the range arguments."""

from datetime import date

from flask import Blueprint
from flask import jsonify
from flask import request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from tracker.timezones import local_now

bp = Blueprint("api", __name__, url_prefix="/api")


class BadRange(ValueError):
    """A start/end query that cannot be read as a date range."""


@bp.before_request
def require_login():
    """JSON callers get 401, not a redirect to the login page."""
    if not current_user.is_authenticated:
        return jsonify(error="Please log in."), 401
    return None


@bp.errorhandler(BadRange)
def bad_range(error):
    """A query argument that makes no sense gets a JSON 400 saying why."""
    return jsonify(error=str(error)), 400


@bp.errorhandler(CSRFError)
def csrf_refused(error):
    """A write without a valid X-CSRFToken header gets a JSON 400 and changes nothing."""
    return jsonify(error="This page has expired: reload it and try again."), 400


def date_arg(name):
    """The ISO date in query argument `name`, or None when it is not given."""
    value = request.args.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise BadRange(f"{name} must be a date like 2026-03-31.") from exc


def requested_range():
    """(start or None for all time, end) from ?start=&end=, in the user's local days."""
    start, end = date_arg("start"), date_arg("end") or local_now().date()
    if start is not None and start > end:
        raise BadRange("The start date is after the end date.")
    return start, end
