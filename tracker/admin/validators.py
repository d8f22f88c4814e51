"""Form validators: rules that compare a field with the user's rows or with other fields."""

from decimal import Decimal

from flask_login import current_user
from wtforms.validators import StopValidation
from wtforms.validators import ValidationError

from tracker.bounds import date_refusal
from tracker.bounds import number_refusal
from tracker.extensions import db
from tracker.figures.progress import measure_refusal
from tracker.figures.progress import names_sections
from tracker.models.resources import url_refusal
from tracker.ownership import owned_query
from tracker.plausible_dates import start_refusal
from tracker.plausible_dates import target_date_question
from tracker.timezones import local_now


class UniqueForUser:
    """No other row of the signed-in user has this value (case-insensitive)."""

    def __init__(self, column, message="You already have one called “{}”."):
        self.column = column
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        model = self.column.class_
        query = owned_query(model, model.id).filter(
            db.func.lower(self.column) == field.data.strip().lower()
        )
        editing = getattr(form, "_obj", None)
        if editing is not None and editing.id is not None:
            query = query.filter(model.id != editing.id)
        if db.session.query(query.exists()).scalar():
            raise ValidationError(self.message.format(field.data.strip()))


class RequiredFor:
    """Required when the form's recurrence is `recurrence`, ignored otherwise."""

    def __init__(self, recurrence, message):
        self.recurrence = recurrence
        self.message = message

    def __call__(self, form, field):
        if form.recurrence.data != self.recurrence:
            field.errors[:] = []
            raise StopValidation()
        if field.data is None or field.data == []:
            field.errors[:] = []
            raise StopValidation(self.message)


class SectionOfPiece:
    """The chosen section must belong to the piece chosen in the same row."""

    def __init__(self, piece_field="piece"):
        self.piece_field = piece_field

    def __call__(self, form, field):
        piece = form[self.piece_field].data
        section = field.data
        if section is not None and piece is not None and section.piece_id != piece.id:
            raise ValidationError(f"“{section.section_name}” is a section of another piece.")


class NotAbove:
    """This number is not above the one in another field of the form (when both are given)."""

    def __init__(self, other_field, message):
        self.other_field = other_field
        self.message = message

    def __call__(self, form, field):
        other = form[self.other_field].data
        if field.data is not None and other is not None and field.data > other:
            raise ValidationError(self.message)


class MeasureApplies:
    """The goal's chosen progress measure applies to the goal as this form would save it."""

    def __call__(self, form, field):
        # Only "sections" needs to look at the user's rows: the others read the form.
        has_sections = field.data == "sections" and names_sections(
            current_user.id,
            [piece.id for piece in form.pieces.data or ()],
            [section.id for section in form.sections.data or ()],
        )
        message = measure_refusal(
            field.data, has_sections, form.target_minutes.data, form.target_bpm.data
        )
        if message:
            raise ValidationError(message)


class WebAddress:
    """An optional http:// or https:// address; anything else (javascript:, data:) is refused."""

    def __call__(self, form, field):
        field.data = (field.data or "").strip() or None
        refusal = url_refusal(field.data)
        if refusal:
            raise ValidationError(refusal)


class FitsColumn:
    """A number the column's type can hold: in range, rounded to its places, not NaN or ±inf.

    It stops the field's other rules, which could not even compare NaN with a bound.
    """

    def __init__(self, column_type):
        self.column_type = column_type

    def __call__(self, form, field):
        if not isinstance(field.data, int | float | Decimal | str):
            return  # a field that stores a number made of parts (weekdays as a bitmask)
        refusal = number_refusal(field.data, self.column_type)
        if refusal:
            field.errors[:] = []
            raise StopValidation(refusal)


class WithinCalendar:
    """A date (or date and time) between the years 1900 and 2200."""

    def __call__(self, form, field):
        refusal = date_refusal(field.data)
        if refusal:
            field.errors[:] = []
            raise StopValidation(refusal)


class NotInFuture:
    """A date, or a date and time, not after today (or tomorrow, with days_ahead=1).

    The rule is plausible_dates.start_refusal, which the API and the import share.
    """

    def __init__(self, days_ahead=0):
        self.days_ahead = days_ahead

    def __call__(self, form, field):
        refusal = start_refusal(field.data, local_now(), self.days_ahead)
        if refusal:
            raise ValidationError(refusal)


class ConfirmedTargetDate:
    """A far-off target date (or a past one on a new goal) is kept only once confirmed.

    The confirmation is the tick box a ConfirmableDateField shows with the question. An
    inline edit of the list has no tick box: it refuses the date and points to the form.
    """

    def __call__(self, form, field):
        creating = getattr(form, "_obj", None) is None
        question = target_date_question(field.data, local_now().date(), creating)
        if question is None:
            return
        if not hasattr(field, "confirmed"):
            raise ValidationError(
                question.split(" Tick")[0] + " To keep it, change it in the goal's form."
            )
        field.asks_confirmation = True
        if not field.confirmed:
            raise ValidationError(question)
