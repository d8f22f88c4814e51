"""Form fields built from columns carry the column's own bounds, in every form of every view."""

from flask_admin.contrib.sqla.form import AdminModelConverter
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import Numeric

from tracker.admin.validators import FitsColumn
from tracker.admin.validators import WithinCalendar


def column_bound(column):
    """The validator keeping a field within what column holds, or None for free text."""
    column_type = column.type
    if column.primary_key or column.foreign_keys or isinstance(column_type, Boolean):
        # Ids arrive as hidden fields or as rows chosen from a list.
        return None
    if isinstance(column_type, Integer | Numeric):
        return FitsColumn(column_type)
    if isinstance(column_type, Date | DateTime):
        return WithinCalendar()
    return None


class BoundedModelConverter(AdminModelConverter):
    """Flask-Admin's converter; each number and date field first checks the column's bounds.

    Used for the full forms, their inline rows and the list's inline edits alike, whatever
    field class a view picks for the column (form_overrides keep the validators).
    """

    def convert(self, model, mapper, name, prop, field_args, hidden_pk):
        columns = getattr(prop, "columns", None)
        bound = column_bound(columns[0]) if columns and len(columns) == 1 else None
        if bound is not None:
            field_args = dict(field_args or {})
            # First, so that no other rule meets a value it cannot compare (NaN).
            field_args["validators"] = [bound, *(field_args.get("validators") or ())]
        return super().convert(model, mapper, name, prop, field_args, hidden_pk)
