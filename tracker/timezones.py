"""The signed-in user's time zone, and conversions between UTC and local time."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError
from zoneinfo import available_timezones

from flask_login import current_user


@lru_cache(maxsize=1)
def timezone_names():
    """Return every IANA zone name this machine knows, sorted."""
    return sorted(available_timezones())


def is_valid_timezone(name):
    """Tell whether name is an IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return name in set(timezone_names()) or name == "UTC"


def user_zone_name(user=None):
    """The IANA name of user's zone (default: the signed-in user's), "UTC" when unset."""
    user = user if user is not None else current_user
    return getattr(user, "timezone", None) or "UTC"


# The signed-in user's zone while a long task (an export of 50,000 rows) holds it fixed.
_fixed_zone = ContextVar("fixed_zone", default=None)


@contextmanager
def zone_fixed(zone):
    """Within, user_zone() of the signed-in user is zone, looked up once instead of per call."""
    token = _fixed_zone.set(zone)
    try:
        yield zone
    finally:
        _fixed_zone.reset(token)


def user_zone(user=None):
    """Return the ZoneInfo of user (default: the signed-in user), UTC if unknown."""
    if user is None:
        fixed = _fixed_zone.get()
        if fixed is not None:
            return fixed
    try:
        return ZoneInfo(user_zone_name(user))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(user=None):
    """Return now in the user's zone (aware)."""
    return datetime.now(UTC).astimezone(user_zone(user))


def to_local(value, user=None):
    """Convert an aware UTC datetime to the user's zone; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(user_zone(user))


def from_local(naive, user=None):
    """Interpret a naive wall-clock datetime in the user's zone and return it in UTC."""
    return naive.replace(tzinfo=user_zone(user)).astimezone(UTC)


def format_local(value, fmt="%a %d %b %Y, %H:%M", user=None):
    """Format an aware datetime in the user's zone for display."""
    local = to_local(value, user)
    return local.strftime(fmt) if local else ""
