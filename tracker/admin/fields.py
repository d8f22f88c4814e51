"""Form fields shaped for musicians: local date-times, durations, tags, uploads, weekdays."""

from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.form import BaseForm
from flask_admin.form import DatePickerWidget
from flask_login import current_user
from flask_wtf.file import FileField
from markupsafe import Markup
from markupsafe import escape
from wtforms import fields
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from tracker.bounds import date_refusal
from tracker.extensions import db
from tracker.models.reminders import WEEKDAY_NAMES
from tracker.models.repertoire import Attachment
from tracker.ownership import owned_query
from tracker.plausible_dates import CONFIRM_LABEL
from tracker.timezones import from_local
from tracker.timezones import local_now
from tracker.timezones import to_local
from tracker.uploads import UploadRefused
from tracker.uploads import clean_filename
from tracker.uploads import save_upload

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def strip_nul(value):
    """Text without NUL characters (PostgreSQL text cannot hold them); other data as it is."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFree:
    """A form mixin: every field's text arrives without NUL characters."""

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        """Process as usual, with strip_nul first in every field's filters."""
        extra_filters = extra_filters or {}
        extra = {name: [strip_nul, *extra_filters.get(name, ())] for name in self._fields}
        super().process(formdata, obj, data, extra_filters=extra, **kwargs)


class NulFreeAdminForm(NulFree, BaseForm):
    """Flask-Admin's form base, NUL-free: every model form, inline row and inline edit."""


def split_names(text, max_length=None):
    """Comma-separated names, trimmed (and cut to max_length), without blanks or repeats.

    Repeats are compared case-insensitively; the first spelling is kept.
    """
    names = []
    for raw in (text or "").split(","):
        clean = " ".join(raw.split())[:max_length]
        if clean and clean.lower() not in {n.lower() for n in names}:
            names.append(clean)
    return names


class LocalDateTimeField(fields.DateTimeField):
    """A date and time typed in the user's own zone and stored in UTC."""

    widget_input_type = "datetime-local"

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", [LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        kwargs.setdefault("default", lambda: local_now().replace(second=0, microsecond=0))
        render_kw = kwargs.setdefault("render_kw", {})
        render_kw.setdefault("type", "datetime-local")
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        local = to_local(self.data)
        return local.strftime(LOCAL_INPUT_FORMAT) if local else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            # Checked before the zone moves it: year 1 in Tokyo is no year in UTC.
            refusal = date_refusal(self.data)
            if refusal:
                self.data = None
                raise ValueError(refusal)
            self.data = from_local(self.data)


class ConfirmableDateField(fields.DateField):
    """A date that a validator may question; a tick box under the question keeps it as typed.

    The form template renders `confirmation()` after the field's messages, so the box reads
    after the question it answers.
    """

    widget = DatePickerWidget()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.asks_confirmation = False
        self.confirmed = False

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        self.confirmed = bool(formdata and formdata.get(f"{self.name}-confirmed"))

    def confirmation(self):
        """The "Yes, that date" tick box once the date was questioned, else nothing."""
        if not self.asks_confirmation:
            return Markup("")
        return Markup(
            '<div class="form-check mt-1 date-confirmation">'
            '<input class="form-check-input" type="checkbox" id="{id}" name="{name}" value="y"'
            ' aria-describedby="{field_id}-question"{checked}>'
            '<label class="form-check-label" for="{id}">{label}</label></div>'
            '<span class="sr-only" id="{field_id}-question">{question}</span>'
        ).format(
            id=f"{self.id}-confirmed",
            name=f"{self.name}-confirmed",
            field_id=self.id,
            checked=Markup(" checked") if self.confirmed else "",
            label=CONFIRM_LABEL,
            question=" ".join(e for e in self.errors if isinstance(e, str)),
        )


class HoursMinutesWidget:
    """Two number inputs, hours and minutes, for one duration in minutes."""

    def __call__(self, field, **kwargs):
        total = field.data if isinstance(field.data, int) else None
        hours, minutes = divmod(total, 60) if total is not None else ("", "")
        if field.raw_parts:
            hours, minutes = field.raw_parts
        css = "form-control" + (" is-invalid" if field.errors else "")
        return Markup(
            '<div class="input-group duration-input" id="{id}">'
            '<input type="number" min="0" max="24" inputmode="numeric" class="{css}" '
            'name="{name}-hours" id="{id}-hours" value="{h}" aria-label="Hours">'
            '<div class="input-group-append input-group-prepend">'
            '<span class="input-group-text">h</span></div>'
            '<input type="number" min="0" max="59" inputmode="numeric" class="{css}" '
            'name="{name}-minutes" id="{id}-minutes" value="{m}" aria-label="Minutes">'
            '<div class="input-group-append"><span class="input-group-text">min</span></div>'
            "</div>"
        ).format(
            id=escape(field.id),
            name=escape(field.name),
            css=css,
            h=escape(hours),
            m=escape(minutes),
        )


class HoursMinutesField(fields.IntegerField):
    """A duration entered as hours and minutes, stored as whole minutes."""

    widget = HoursMinutesWidget()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.raw_parts = None
        super().process(formdata, data, extra_filters)
        if formdata is None:
            return
        hours_key, minutes_key = f"{self.name}-hours", f"{self.name}-minutes"
        if hours_key not in formdata and minutes_key not in formdata:
            return
        parts = (formdata.get(hours_key, "").strip(), formdata.get(minutes_key, "").strip())
        self.raw_parts = parts
        self.raw_data = [" ".join(parts)]
        if not any(parts):
            self.data = None
            return
        try:
            hours, minutes = (int(part or 0) for part in parts)
        except ValueError:
            self.data = None
            self.process_errors.append("Enter hours and minutes as whole numbers.")
            return
        self.data = hours * 60 + minutes


class NewTagsField(fields.StringField):
    """Comma-separated names that become the user's own tags on save, then get attached."""

    def __init__(self, label=None, validators=None, target=None, **kwargs):
        self.target = target
        super().__init__(label, validators, **kwargs)

    def populate_obj(self, obj, name):
        names = split_names(self.data, max_length=80)
        if not names:
            return
        relation = getattr(type(obj), self.target)
        tag_model = relation.property.mapper.class_
        attached = getattr(obj, self.target)
        with db.session.no_autoflush:  # obj may not be in the session yet
            existing = {
                tag.name.lower(): tag
                for tag in owned_query(tag_model).filter(
                    db.func.lower(tag_model.name).in_([n.lower() for n in names])
                )
            }
        for tag_name in names:
            tag = existing.get(tag_name.lower()) or tag_model(
                name=tag_name, user_id=current_user.id
            )
            if tag not in attached:
                attached.append(tag)


class AttachmentUploadField(FileField):
    """A file to attach, checked and stored while the form is validated.

    Storing during validation means a refused file is reported beside the field before
    anything reaches the database; a stored file whose row is never saved is removed again
    (see tracker.uploads).
    """

    def __init__(self, label=None, validators=None, **kwargs):
        self.stored = None
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        if not self.data:
            raise StopValidation("Choose a file to attach.")
        try:
            self.stored = save_upload(self.data, current_user.id)
        except UploadRefused as refused:
            raise StopValidation(str(refused)) from refused

    def populate_obj(self, obj, name):
        if self.stored is None:
            return
        obj.stored_name, obj.content_type, obj.size_bytes = self.stored
        obj.original_name = clean_filename(self.data.filename)


class OptionalAttachmentField(AttachmentUploadField):
    """An optional file for a row that keeps one of its `attachments` (an explanation's file).

    Left empty, the row keeps the file it has; a new file, with the same checks as any
    attachment, replaces it (the old row is deleted, and tracker.uploads removes its file).
    """

    def pre_validate(self, form):
        if self.data:
            super().pre_validate(form)

    def populate_obj(self, obj, name):
        if self.stored is None:
            return
        attachment = Attachment(user_id=current_user.id)
        super().populate_obj(attachment, name)
        obj.attachments[:] = [attachment]


class WeekdaysWidget:
    """Seven inline checkboxes, Mon to Sun, for one weekday field."""

    def __call__(self, field, **kwargs):
        # Flask-Admin asks every field for "form-control"; checkboxes keep only the state classes.
        classes = " ".join(c for c in kwargs.pop("class", "").split() if c != "form-control")
        chosen = set(field.data or ())
        boxes = Markup("").join(
            Markup(
                '<div class="form-check form-check-inline">'
                '<input class="form-check-input" type="checkbox" name="{name}" id="{id}-{value}" '
                'value="{value}"{checked}>'
                '<label class="form-check-label" for="{id}-{value}">{label}</label></div>'
            ).format(
                name=field.name,
                id=field.id,
                value=value,
                label=label,
                checked=Markup(" checked") if value in chosen else "",
            )
            for value, label in field.choices
        )
        return Markup(
            '<div class="weekday-checks {classes}" id="{id}" role="group" aria-label="{label}">'
            "{boxes}</div>"
        ).format(classes=classes, id=field.id, label=field.label.text, boxes=boxes)


class WeekdaysField(fields.SelectMultipleField):
    """Days of the week as checkboxes, stored as a bitmask (bit 0 = Monday ... bit 6 = Sunday)."""

    widget = WeekdaysWidget()

    def __init__(self, label=None, validators=None, day_names=WEEKDAY_NAMES, **kwargs):
        kwargs["choices"] = list(enumerate(day_names))
        kwargs["coerce"] = int
        super().__init__(label, validators, **kwargs)

    def process_data(self, value):
        if isinstance(value, int):
            self.data = [day for day in range(7) if value & (1 << day)]
        else:
            self.data = list(value or ())

    def populate_obj(self, obj, name):
        setattr(obj, name, sum(1 << day for day in set(self.data or ())))


def whole_number(text, low, high):
    """text (from a form or a link) as a whole number from low to high, else None."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def optional_int(value):
    """Coerce a select's value to int, keeping a blank choice as None."""
    return int(value) if value not in (None, "", "None") else None


class SectionSelectField(QuerySelectField):
    """Piece sections; each option names its piece (data-piece) so the form can narrow them."""

    def iter_choices(self):
        if self.allow_blank:
            yield ("__None", self.blank_text, self.data is None, {})
        for pk, section in self._get_object_list():
            piece = {"data-piece": section.piece_id}
            yield (pk, self.get_label(section), section == self.data, piece)
