"""The one place that decides ownership: whose rows a query sees, and what a write may link.

Both faces (the pages in admin/ and the JSON in api/) go through these helpers; no other
module compares a row's user_id with the signed-in user.
"""

import csv
from decimal import Decimal

from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from wtforms.validators import ValidationError

from tracker.extensions import db
from tracker.models.base import Base
from tracker.models.base import OwnedMixin

# Cells a spreadsheet would read as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_owned(model):
    """Tell whether rows of model belong to a user."""
    return isinstance(model, type) and issubclass(model, OwnedMixin)


def owned_filter(model):
    """The WHERE clause that keeps only the signed-in user's rows of model."""
    return model.user_id == current_user.id


def owned_query(model, *entities):
    """Query of model (or of `entities` from it) limited to the signed-in user's rows."""
    return db.session.query(*(entities or (model,))).filter(owned_filter(model))


def owned_one(model, pk):
    """The signed-in user's row of model with id pk, or None (also for a pk that is no id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return owned_query(model).filter(model.id == pk).one_or_none()


def owned_tables():
    """Every table whose rows each belong to one user: a user_id pointing at users.id.

    Models (OwnedMixin), link tables and the trigger-kept rollups alike, read from the
    metadata, so a new table is included without anyone listing it.
    """
    return [
        table
        for table in Base.metadata.sorted_tables
        if "user_id" in table.c
        and any(fk.column.table.name == "users" for fk in table.c.user_id.foreign_keys)
    ]


def rows_of_user(table, user_id, columns=None):
    """SELECT of user_id's rows of an owned table (of `columns`, all by default), in key order."""
    columns = columns if columns is not None else list(table.c)
    order = list(table.primary_key.columns) or columns
    return select(*columns).where(table.c.user_id == user_id).order_by(*order)


def owned_relationships(model):
    """(name, target model) of every writable relationship of model to an owned model."""
    return [
        (rel.key, rel.mapper.class_)
        for rel in sa_inspect(model).relationships
        if rel.key != "user" and not rel.viewonly and is_owned(rel.mapper.class_)
    ]


def check_owner(model, created=False):
    """Give a new row to the signed-in user; refuse one owned or linked to someone else's rows."""
    if created or model.user_id is None:
        model.user_id = current_user.id
    elif model.user_id != current_user.id:
        raise ValidationError("This entry belongs to someone else.")
    for name, _target in owned_relationships(type(model)):
        related = getattr(model, name)
        items = related if isinstance(related, list | set | tuple) else [related]
        for item in items:
            if item is not None and item.user_id not in (None, current_user.id):
                raise ValidationError("You can only link your own entries.")


def escape_formula(value):
    """Prefix a text cell that a spreadsheet would evaluate, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    """The text one CSV cell holds: value as text, then escaped, so it can never be a formula.

    Escaping runs after the conversion to text, because a related row, a list of names or
    any other object only shows its words (an instrument's name, say) once it is text.
    A real number stays as it is: "-3" is a number to a spreadsheet, never a formula.
    """
    if type(value) is str:
        # Most cells: plain text, escaped without the checks below (half a million a log).
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return escape_formula(str(value))


class FormulaSafeWriter:
    """csv.writer whose every cell, headers included, goes through csv_cell.

    Every CSV the app sends (list exports, the API's practice log) is written by one.
    """

    def __init__(self, buffer):
        self._writer = csv.writer(buffer)

    def writerow(self, row):
        """Write one row of cells."""
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        """Write many rows of cells."""
        self._writer.writerows([list(map(csv_cell, row)) for row in rows])
