"""The one place that decides ownership: whose rows a query sees, and what a write may link.

Both faces (the pages in admin/ and the JSON in api/) go through these helpers; no other
module compares a row's user_id with the signed-in user.
"""

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


def escape_formula_sql(expression):
    """SQL for text `expression` escaped as escape_formula() does, for rows CSV-ready in SQL."""
    firsts = ", ".join(f"chr({ord(prefix)})" for prefix in FORMULA_PREFIXES)
    quote = "''''"  # the SQL literal holding one apostrophe
    return (
        f"CASE WHEN left({expression}, 1) IN ({firsts}) THEN {quote} || {expression} "
        f"ELSE {expression} END"
    )
