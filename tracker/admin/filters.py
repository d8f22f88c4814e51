"""List filters that think in the user's local days and offer only the user's own rows."""

from datetime import timedelta

from flask_admin.contrib.sqla import filters
from flask_login import current_user
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import Numeric
from sqlalchemy import exists

from tracker.bounds import date_refusal
from tracker.bounds import number_refusal
from tracker.extensions import db
from tracker.figures.cache import per_user_cached
from tracker.figures.stats import local_day_bounds
from tracker.ownership import rows_of_user
from tracker.timezones import user_zone

ONE_DAY = timedelta(days=1)


def _day_start(day):
    """The UTC instant where local `day` starts in the signed-in user's zone.

    Filters compare the column with instants rather than its local date, so an index on
    (user_id, started_at) narrows the rows instead of converting every one of them.
    """
    return local_day_bounds(day, user_zone())[0]


class LocalDateBetweenFilter(filters.DateBetweenFilter):
    """Local calendar days from ... to ... (inclusive)."""

    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= _day_start(start), column < _day_start(end + ONE_DAY))

    def operation(self):
        return "between"


class LocalDateOnOrAfterFilter(filters.DateGreaterFilter):
    """On or after a local calendar day."""

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) >= _day_start(value))

    def operation(self):
        return "on or after"


class LocalDateOnOrBeforeFilter(filters.DateSmallerFilter):
    """On or before a local calendar day."""

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) < _day_start(value + ONE_DAY))

    def operation(self):
        return "on or before"


def local_date_filters(column, name):
    """The three date filters for a timestamptz column, labelled `name`."""
    return [
        LocalDateBetweenFilter(column, name),
        LocalDateOnOrAfterFilter(column, name),
        LocalDateOnOrBeforeFilter(column, name),
    ]


@per_user_cached("filter_choices")
def owned_choices(user_id, table, label):
    """(id, label) of every row of the user's `table`, ordered by its `label` column.

    Cached until the user's data changes: a list page shows five such dropdowns.
    """
    columns = db.metadata.tables[table].c
    query = rows_of_user(columns.id.table, user_id, [columns.id, columns[label]])
    rows = db.session.execute(query.order_by(None).order_by(columns[label], columns.id))
    return [(str(row_id), row_label) for row_id, row_label in rows]


class OwnedOptions:
    """Filter choices: the signed-in user's rows of a model, as they are now."""

    def __init__(self, model, label_column):
        self.model = model
        self.label_column = label_column

    def __bool__(self):
        return True

    def __iter__(self):
        table = self.model.__table__.name
        return iter(owned_choices(current_user.id, table, self.label_column.key))


class OwnedRelationFilter(filters.BaseSQLAFilter):
    """Rows linked to one of the user's related rows, chosen from a dropdown.

    `relation` is the relationship attribute (many-to-one or many-to-many); the
    dropdown lists only the current user's rows of its target model.
    """

    def __init__(self, relation, name, label_column=None):
        target = relation.property.mapper.class_
        self.relation = relation
        self.target = target
        options = OwnedOptions(target, label_column or target.name)
        # The filter's "column" is the owning model's own id, so Flask-Admin adds no join.
        super().__init__(relation.class_.id, name, options=options)

    def clean(self, value):
        return int(value)

    def validate(self, value):
        try:
            self.clean(value)
        except (TypeError, ValueError):
            return False
        return True

    def apply(self, query, value, alias=None):
        prop = self.relation.property
        if prop.secondary is not None:
            return query.filter(_linked(prop, value))
        match = self.target.id == value
        if prop.uselist:
            return query.filter(self.relation.any(match))
        return query.filter(self.relation.has(match))

    def operation(self):
        return "is"


def _linked(prop, target_id):
    """EXISTS a link row joining the row to target_id: the many-to-many's link table alone.

    relation.any() would join the target table too (to compare its id), and PostgreSQL then
    hashes every link the target ever had before it can count one page's rows: a focus area's
    whole history for a year's filter. The link row's own copy of the id says the same, and
    its user_id is the row's (the composite foreign keys), so nobody else's row can match.
    """
    (link_id,) = [
        link for target, link in prop.secondary_synchronize_pairs if target.primary_key
    ]
    return exists().where(prop.primaryjoin, link_id == target_id)


def filter_refusal(flt, value):
    """Why value cannot be given to the list filter flt (a sentence), or None when it can.

    Flask-Admin's own check only parses the value; this one also keeps it within the
    column's type (a date refused by a whole-number filter, a day in year 9999 by a date
    filter) and within a fixed list of choices, so the database never sees what it cannot
    compare.
    """
    try:
        if not flt.validate(value):
            return "That is not a value this filter takes."
        cleaned = flt.clean(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        return "That is not a value this filter takes."
    options = flt.options
    if isinstance(options, list | tuple) and value not in {str(code) for code, _ in options}:
        return "That is not one of its choices."
    column_type = getattr(flt.column, "type", None)
    for item in cleaned if isinstance(cleaned, list | tuple) else [cleaned]:
        if isinstance(column_type, Date | DateTime) or hasattr(item, "year"):
            refusal = date_refusal(item) if hasattr(item, "year") else "Enter a date."
        elif isinstance(column_type, Integer | Numeric):
            refusal = number_refusal(item, column_type)
        else:
            refusal = None
        if refusal:
            return refusal
    return None
