"""Marshmallow fields the resources share: text, named codes, times, weekdays, money."""

from datetime import UTC
from datetime import time

import marshmallow as ma

from tracker.bounds import date_refusal
from tracker.models.practice import MAX_BPM
from tracker.models.practice import MIN_BPM

# PostgreSQL text cannot hold NUL; refusing it here keeps such input a 422.
NO_NUL = r"^[^\x00]*$"
# ... and a required text needs one character that is not a space (spelt out, so that
# Python and the JSON Schema regex dialect of the OpenAPI document agree).
NOT_BLANK = r"^[^\x00]*[^\x00\t\n\v\f\r ][^\x00]*$"


def short_text(max_length, *, required=False, message=None, **kwargs):
    """A string of at most max_length characters (not blank when required)."""
    message = message or f"At most {max_length} characters."
    length = ma.validate.Length(min=1 if required else 0, max=max_length, error=message)
    if required:
        pattern = ma.validate.Regexp(NOT_BLANK, error=message)
        return ma.fields.String(required=True, validate=[length, pattern], **kwargs)
    pattern = ma.validate.Regexp(NO_NUL, error="Text cannot contain NUL characters.")
    return ma.fields.String(allow_none=True, validate=[length, pattern], **kwargs)


def long_text(**kwargs):
    """Free text of any length, or null."""
    return ma.fields.String(
        allow_none=True,
        validate=ma.validate.Regexp(NO_NUL, error="Text cannot contain NUL characters."),
        **kwargs,
    )


def tempo(**kwargs):
    """An optional tempo in beats per minute, from MIN_BPM to MAX_BPM."""
    return ma.fields.Integer(
        strict=True,
        allow_none=True,
        validate=ma.validate.Range(
            min=MIN_BPM, max=MAX_BPM, error=f"A tempo from {MIN_BPM} to {MAX_BPM} BPM."
        ),
        **kwargs,
    )


def choice(choices, **kwargs):
    """One of the stored codes of a choice list (tracker/models/choices.py)."""
    codes = [code for code, _label in choices]
    return ma.fields.String(validate=ma.validate.OneOf(codes), **kwargs)


class Named(ma.fields.String):
    """A stored code shown by a name in JSON: names maps each stored value to its name."""

    def __init__(self, names, **kwargs):
        self.names = dict(names)
        self.codes = {name: code for code, name in self.names.items()}
        super().__init__(validate=ma.validate.OneOf(list(self.codes)), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else self.names[value]

    def deserialize(self, value, attr=None, data=None, **kwargs):
        """The stored code of a valid name (the validators see the name)."""
        name = super().deserialize(value, attr, data, **kwargs)
        return self.codes.get(name, name) if isinstance(name, str) else name


class Day(ma.fields.Date):
    """A calendar day "YYYY-MM-DD" in the years 1900–2200 (tracker.bounds)."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        refusal = date_refusal(day)
        if refusal:
            raise ma.ValidationError(refusal)
        return day


class UtcDateTime(ma.fields.AwareDateTime):
    """An ISO 8601 time with its offset in the years 1900–2200, stored and shown in UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        # Checked before the offset moves it: year 1 at +14:00 is no year in UTC.
        refusal = date_refusal(moment)
        if refusal:
            raise ma.ValidationError(refusal)
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise ma.ValidationError("Not a valid time.") from error

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(value and value.astimezone(UTC), attr, obj, **kwargs)


class LocalTime(ma.fields.String):
    """A wall-clock time "HH:MM" (24-hour) in the user's own zone."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validate",
            ma.validate.Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", error="A time as HH:MM."),
        )
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")

    def deserialize(self, value, attr=None, data=None, **kwargs):
        """A datetime.time from a valid "HH:MM"."""
        loaded = super().deserialize(value, attr, data, **kwargs)
        return time.fromisoformat(loaded) if isinstance(loaded, str) else loaded


class Weekdays(ma.fields.List):
    """Weekday numbers in JSON (0 = Monday … 6 = Sunday), a bitmask in the database."""

    def __init__(self, **kwargs):
        day = ma.fields.Integer(
            strict=True, validate=ma.validate.Range(min=0, max=6, error="0 (Mon) to 6 (Sun).")
        )
        super().__init__(day, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return [day for day in range(7) if (value or 0) & (1 << day)]

    def _deserialize(self, value, attr, data, **kwargs):
        days = super()._deserialize(value, attr, data, **kwargs)
        return sum(1 << day for day in set(days))


class Money(ma.fields.Decimal):
    """An amount with two decimals, 0 or more; a JSON number."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "validate",
            ma.validate.Range(min=0, max=99_999_999.99, error="From 0 to 99999999.99."),
        )
        super().__init__(places=2, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        # A number, as the OpenAPI document says (Flask would write a Decimal as a string).
        return None if value is None else float(value)


class JsonBoolean(ma.fields.Boolean):
    """true or false in a JSON body, nothing else (1, 0 and "yes" are refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class PlainList(ma.fields.List):
    """A list the figures already give as plain JSON values, sent as it is.

    Documented like any list of `inner`; dumping it skips the per-item field calls, which
    cost more than the query for a ten-year daily series.
    """

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else list(value)
