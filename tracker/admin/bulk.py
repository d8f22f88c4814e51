"""Bulk edits of ticked list rows: one value chosen in a small form, then confirmed in words.

A list's "With selected" menu runs them through Flask-Admin's action endpoint (so CSRF and
the ticked ids arrive as for delete). The first POST asks for the value, the second asks
"Set the instrument of 3 sessions to Guitar?", the third (confirmed) saves. The rows always
come from the view's own get_query(), and a value naming a row must be one of the user's.
"""

import logging
from datetime import date

from flask import flash
from flask import request
from flask_admin.helpers import get_redirect_target
from sqlalchemy.exc import IntegrityError

from tracker.admin.base import SAVE_FAILED
from tracker.admin.fields import whole_number
from tracker.bounds import date_refusal
from tracker.extensions import db
from tracker.ownership import owned_one
from tracker.ownership import owned_query
from tracker.phrases import count_text
from tracker.phrases import date_text

log = logging.getLogger(__name__)


class BulkEdit:
    """One bulk edit: its action name, menu text, the value it asks for and its sentences.

    The value is one of the user's own rows of `target`, one of fixed `choices`, or a date
    (neither given). `apply(row, value)` changes one row. `question` and `done` are
    sentences with {count} ("3 sessions") and {value} ("Guitar").
    """

    def __init__(
        self,
        name,
        text,
        label,
        question,
        done,
        apply,
        target=None,
        choices=None,
        coerce=str,
        yes="Yes, set it",
        refusal="Choose one of the offered values.",
        empty="There is nothing to choose from yet.",
    ):
        self.name = name
        self.text = text
        self.label = label
        self.question = question
        self.done = done
        self.apply = apply
        self.target = target
        self.choices = choices
        self.coerce = coerce
        self.yes = yes
        self.refusal = refusal
        self.empty = empty

    @property
    def is_date(self):
        """True when the value is a date typed in, not a choice."""
        return self.target is None and self.choices is None

    def options(self):
        """The (value, label) pairs offered: the user's own rows, or the fixed choices."""
        if self.target is not None:
            rows = owned_query(self.target).order_by(self.target.id).all()
            return sorted(((str(row.id), str(row)) for row in rows), key=lambda o: o[1].lower())
        return [(str(value), label) for value, label in self.choices or ()]

    def parse(self, raw):
        """The value and its label for what the form sent; ValueError says why it is refused."""
        raw = (raw or "").strip()
        if self.is_date:
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                raise ValueError("Enter a date, e.g. 2027-06-30.") from None
            refusal = date_refusal(day)
            if refusal:
                raise ValueError(refusal)
            return day, date_text(day)
        if self.target is not None:
            # Another user's id, or no id at all, is simply not one of the user's rows.
            pk = whole_number(raw, 1, 2**31 - 1)
            row = owned_one(self.target, pk) if pk is not None else None
            if row is None:
                raise ValueError(self.refusal)
            return row, str(row)
        labels = {str(value): label for value, label in self.choices}
        if raw not in labels:
            raise ValueError(self.refusal)
        return self.coerce(raw), labels[raw]

    def run(self, view, ids):
        """Ask for the value, confirm it with the count, then save it on the view's rows.

        The rows are those of view.get_query() (the user's own) among the ticked ids.
        """
        rows = view.get_query().filter(view.model.id.in_([int(i) for i in ids])).all()
        if not rows:
            flash("None of those rows could be found: tick them again.", "error")
            return None  # back to the list
        singular, plural = view.row_nouns
        count = count_text(len(rows), singular, plural)
        raw = request.form.get("value")
        value = label = error = None
        if raw is not None:
            try:
                value, label = self.parse(raw)
            except ValueError as exc:
                error = str(exc)
        if label is None or request.form.get("confirmed") != "yes":
            return view.render(
                "admin/bulk_edit.html",
                edit=self,
                rows=rows,
                count=count,
                raw=raw or "",
                label=label,
                error=error,
                options=None if self.is_date else self.options(),
                question=self.question.format(count=count, value=label) if label else None,
                return_url=get_redirect_target() or view.get_url(".index_view"),
            )
        try:
            for row in rows:
                self.apply(row, value)
            db.session.commit()
        except IntegrityError:
            # Nothing half-saved: every ticked row keeps what it had.
            db.session.rollback()
            log.exception("Bulk edit %s of %s failed", self.name, view.endpoint)
            flash(SAVE_FAILED, "error")
            return None
        flash(self.done.format(count=count, value=label), "success")
        return None


def set_to(attribute):
    """apply(row, value) setting one attribute of the row."""

    def apply(row, value):
        setattr(row, attribute, value)

    return apply


def add_to(attribute):
    """apply(row, value) adding value to a list relationship, once."""

    def apply(row, value):
        items = getattr(row, attribute)
        if value not in items:
            items.append(value)

    return apply


def remove_from(attribute):
    """apply(row, value) taking value out of a list relationship when it is there."""

    def apply(row, value):
        items = getattr(row, attribute)
        if value in items:
            items.remove(value)

    return apply
