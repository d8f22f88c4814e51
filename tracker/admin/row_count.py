"""How many rows a list has, counted no further than its page and pager need to know."""

from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import select

from tracker.extensions import db


class RowCount(int):
    """A list's row count; `exact` is False when more rows follow those counted.

    It prints as "500+" then, wherever a page shows the count.
    """

    def __new__(cls, value, exact=True):
        count = super().__new__(cls, value)
        count.exact = exact
        return count

    def __str__(self):
        return f"{int(self)}{'' if self.exact else '+'}"


def count_rows(query, offset=0, cap=None):
    """The rows of a list's query (its paging is ignored), counting at most cap past offset.

    With a cap the count stops growing with the data: a page counts only the rows from its
    own first one up to cap more (a LIMIT inside the count), and answers offset + cap,
    not exact, when there are more. Without one, or past the last row, every row is counted.
    """
    rows = (
        query.limit(None)
        .offset(None)
        .order_by(None)
        .enable_eagerloads(False)
        .with_entities(literal(1))
    )
    if cap is None:
        return RowCount(db.session.scalar(select(func.count()).select_from(rows.subquery())))
    window = rows.offset(offset).limit(cap + 1).subquery()
    counted = db.session.scalar(select(func.count()).select_from(window))
    if counted == 0 and offset:
        # A page past the end: the pager needs to know where the end is.
        return count_rows(query)
    if counted > cap:
        return RowCount(offset + cap, exact=False)
    return RowCount(offset + counted)
