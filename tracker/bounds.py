"""What a value may be before it reaches the database: dates in 1900–2200, numbers that fit.

Both faces check their input with these rules, so a value the database (or date arithmetic)
cannot hold is refused beside its field instead of failing as a server error.
"""

from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation

from sqlalchemy import BigInteger
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import SmallInteger

FIRST_YEAR = 1900
LAST_YEAR = 2200
DATE_MESSAGE = f"Enter a date between the years {FIRST_YEAR} and {LAST_YEAR}."
# The whole numbers each integer column type holds (PostgreSQL's smallint, integer, bigint).
INTEGER_LIMITS = ((SmallInteger, 2**15 - 1), (BigInteger, 2**63 - 1), (Integer, 2**31 - 1))
# No list has more pages than this (its offset stays a number PostgreSQL takes).
MAX_PAGE = 1_000_000


def date_refusal(value):
    """Why a date or date-time is refused (outside the years 1900–2200), or None."""
    if isinstance(value, date | datetime) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        return DATE_MESSAGE
    return None


def integer_limit(column_type):
    """The largest whole number a column of column_type holds, or None for other types."""
    for kind, limit in INTEGER_LIMITS:
        if isinstance(column_type, kind):
            return limit
    return None


def number_refusal(value, column_type):
    """Why value cannot be stored in a column of column_type, or None when it fits.

    Integer types hold their range; Numeric(p, s) holds fewer than 10**(p - s) once rounded
    to s places; NaN and infinity fit no column here.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(value) if not isinstance(value, Decimal) else value
        finite = number.is_finite()
    except (InvalidOperation, TypeError, ValueError):
        return "Enter a number."
    if not finite:
        return "Enter a number (not NaN or infinity)."
    limit = integer_limit(column_type)
    if limit is not None:
        if number != number.to_integral_value():
            return "Enter a whole number."
        return _range_refusal(number, -limit - 1, limit)
    if isinstance(column_type, Numeric) and column_type.precision is not None:
        scale = column_type.scale or 0
        largest = Decimal(10) ** (column_type.precision - scale) - Decimal(10) ** -scale
        try:
            rounded = number.quantize(Decimal(10) ** -scale)
        except InvalidOperation:
            rounded = number  # too many digits to round: far beyond the limit anyway
        return _range_refusal(rounded, -largest, largest)
    return None


def _range_refusal(number, low, high):
    """The message for a number outside low..high, or None."""
    if number > high:
        return f"That is too large: at most {high}."
    if number < low:
        return f"That is too small: at least {low}."
    return None

