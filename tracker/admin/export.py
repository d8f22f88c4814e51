"""A list's rows for its CSV export, streamed from SQL in batches with their related rows.

The list's query (the user's rows, with the list's filters, search and sort) is read through
a server-side cursor. Each related collection the export shows is read by one more cursor,
in the same order, on the same snapshot, and handed to its rows as they pass: the number of
statements never depends on the number of rows, and memory holds one batch at a time.
"""

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import RelationshipDirection
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter

from tracker import streaming
from tracker.streaming import streaming_connection

# Rows per batch: one CSV chunk each, the same as the analytics export's.
BATCH_ROWS = streaming.BATCH_ROWS


def export_batches(query, model, names):
    """Yield the rows of query as lists of at most BATCH_ROWS, the named relationships loaded.

    query: the list's query of model; names: the columns the export shows. A related row's
    own eager loads (a session link's goal, say) come with it, as they are declared.
    """
    batch_rows = BATCH_ROWS
    relationships = sa_inspect(model).relationships
    shown = [relationships[name] for name in names if name in relationships]
    # id last: a total order both the rows and their related rows follow.
    ordered = query.order_by(model.id)
    with streaming_connection() as conn, Session(bind=conn) as session:
        # The list's eager joins (Flask-Admin joins the columns it shows, collections too)
        # are left out: a cursor cannot stream a joined collection, and the shown
        # relationships come from cursors of their own.
        rows = _streamed(session, ordered.enable_eagerloads(False), batch_rows).scalars()
        related = {rel: _related(session, ordered, model, rel, batch_rows) for rel in shown}
        for batch in rows.partitions(batch_rows):
            for row in batch:
                # Set as loaded values, the way a query fills them: the rows are only read.
                # (set_committed_value builds a tracked collection each time, which costs
                # as much as the rest of the row.)
                loaded = row.__dict__
                for rel, stream in related.items():
                    found = stream.take(row.id)
                    loaded[rel.key] = found if rel.uselist else next(iter(found), None)
            yield batch


def _streamed(session, query, batch_rows):
    """Execute query on session through a server-side cursor, batch_rows at a time."""
    return session.execute(query.statement, execution_options={"yield_per": batch_rows})


def _related(session, ordered, model, rel, batch_rows):
    """The related rows of relationship rel for every row of ordered, in the rows' order.

    A row's own related rows (a session's goal links) are read whole, one cursor for all.
    Rows that many share (an instrument, focus areas) are read once each, and the cursor
    reads only which row names which.
    """
    # Aliased: the list's query may join the related model already, to sort by it.
    target = aliased(rel.mapper.class_)
    (key,) = sa_inspect(target).mapper.primary_key
    adapt = ClauseAdapter(sa_inspect(target).selectable).traverse
    joined = ordered.join(getattr(model, rel.key).of_type(target))
    order = [*(adapt(column) for column in rel.order_by or ()), adapt(key)]
    if rel.direction is RelationshipDirection.ONETOMANY:
        pairs = joined.with_entities(model.id, target).order_by(*order)
        return _RelatedStream(_streamed(session, pairs, batch_rows))
    named = joined.order_by(None).with_entities(adapt(key))
    shared = session.scalars(select(rel.mapper).where(key.in_(named.statement)))
    by_key = {getattr(item, key.key): item for item in shared}
    pairs = joined.with_entities(model.id, adapt(key)).order_by(*order)
    return _RelatedStream(_streamed(session, pairs, batch_rows), by_key)


class _RelatedStream:
    """(row id, related row) pairs in the rows' order, taken row by row as the rows pass.

    With by_key, the pairs carry the related row's key and by_key holds the rows.
    """

    _END = object()

    def __init__(self, result, by_key=None):
        self._pairs = iter(result)
        self._by_key = by_key
        self._head = next(self._pairs, self._END)

    def take(self, row_id):
        """The related rows of row_id: the pairs at the head of the stream that name it."""
        taken = []
        while self._head is not self._END and self._head[0] == row_id:
            item = self._head[1]
            taken.append(item if self._by_key is None else self._by_key[item])
            self._head = next(self._pairs, self._END)
        return taken
