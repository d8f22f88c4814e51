"""A list's rows for its CSV export, streamed from SQL in batches with their related rows.

The list's query (the user's rows, with the list's filters, search and sort) is read through
a server-side cursor as plain values. Each related column the export shows is read by one
more cursor in the same order, or once when its rows are shared (instruments, focus areas),
all on the same snapshot, and handed to the rows as they pass: the number of statements
never depends on the number of rows, and memory holds one batch at a time.
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

    query: the list's query of model; names: the columns the export shows ("piece.title"
    names the piece). Each row holds its own columns and the shown relationships, which is
    what the view's export formatters may read. A row's own related rows (a session's goal
    links) are plain rows too, with their columns, their joined many-to-ones (the link's
    goal) and their model's text; nothing else of the model, which an export never reads.
    """
    batch_rows = BATCH_ROWS
    relationships = sa_inspect(model).relationships
    heads = dict.fromkeys(name.split(".")[0] for name in names)
    shown = [relationships[name] for name in heads if name in relationships]
    # id last: a total order both the rows and their related rows follow.
    ordered = query.order_by(model.id)
    # The row's own columns as plain values (the ORM's bookkeeping per row would cost as
    # much as the rest of the export); deferred ones (search's words) stay unread.
    columns = [
        getattr(model, column.key)
        for column in model.__mapper__.column_attrs
        if not column.deferred
    ]
    with streaming_connection() as conn, Session(bind=conn) as session:
        # The list's eager joins (Flask-Admin joins the columns it shows, collections too)
        # are left out: the shown relationships come from cursors of their own.
        plain = ordered.enable_eagerloads(False).with_entities(*columns)
        rows = _core_stream(session, plain, batch_rows)
        related = {rel: _related(session, ordered, model, rel, batch_rows) for rel in shown}
        keys = list(rows.keys())
        for batch in rows.partitions(batch_rows):
            exported = []
            for values in batch:
                row = ExportRow(keys, values)
                for rel, source in related.items():
                    found = source.take(row)
                    setattr(row, rel.key, found if rel.uselist else next(iter(found), None))
                exported.append(row)
            yield exported


class PlainRow:
    """A row read as plain values, its columns as attributes: getattr(row, name)."""

    def __init__(self, keys, values):
        self.__dict__.update(zip(keys, values, strict=True))


class ExportRow(PlainRow):
    """One row of a list as its export reads it: its columns and its related rows by name.

    The view's export formatters read it as they read a model: getattr(row, name).
    """


def _related(session, ordered, model, rel, batch_rows):
    """Where the rows of relationship rel come from, row by row in the order of ordered.

    A row's own related rows (a session's goal links) are read whole by one cursor for
    all rows. Rows that many share (instruments, focus areas) are read once each; then
    a many-to-one is found by the row's own key, a many-to-many by a cursor over the links.
    """
    # Aliased: the list's query may join the related model already, to sort by it.
    target = aliased(rel.mapper.class_)
    (key,) = rel.mapper.primary_key
    adapt = ClauseAdapter(sa_inspect(target).selectable).traverse
    joined = ordered.join(getattr(model, rel.key).of_type(target))
    order = [*(adapt(column) for column in rel.order_by or ()), adapt(key)]
    if rel.direction is RelationshipDirection.ONETOMANY:
        return _own_rows(session, joined, model, rel.mapper, adapt, order, batch_rows)
    by_key = _shared_rows(session, joined, rel.mapper, adapt(key))
    if rel.direction is RelationshipDirection.MANYTOONE:
        local = next(local for local, remote in rel.local_remote_pairs if remote is key)
        return _ByOwnKey(by_key, model.__mapper__.get_property_by_column(local).key)
    pairs = joined.with_entities(model.id, adapt(key)).order_by(*order)
    return _Pairs(_core_stream(session, pairs, batch_rows), by_key)


def _shared_rows(session, joined, mapper, named):
    """{key: row} of mapper's rows whose key the column named holds in joined's rows, read once."""
    (key,) = mapper.primary_key
    shared = session.scalars(
        select(mapper).where(key.in_(joined.order_by(None).with_entities(named).statement))
    )
    return {getattr(item, key.key): item for item in shared}


def _own_rows(session, joined, model, mapper, adapt, order, batch_rows):
    """A one-to-many's rows (a session's goal links) as plain rows, paired with their row's id.

    Each is read as plain values, as the list's rows are, and reads as its model does:
    its columns, the rows it names through its eager many-to-ones (a link's goal, read
    once each), and its model's own text (str).
    """
    names = [column.key for column in mapper.column_attrs if not column.deferred]
    named = [
        (
            rel.key,
            mapper.get_property_by_column(local).key,
            _shared_rows(session, joined, rel.mapper, adapt(local)),
        )
        for rel in mapper.relationships
        if rel.direction is RelationshipDirection.MANYTOONE and rel.lazy == "joined"
        for local, remote in rel.local_remote_pairs
        if remote is rel.mapper.primary_key[0]
    ]
    columns = [adapt(mapper.columns[name]) for name in names]
    pairs = joined.with_entities(model.id, *columns).order_by(*order)
    plain = _plain_class(mapper.class_)

    def rows():
        for parent_id, *values in _core_stream(session, pairs, batch_rows):
            row = plain(names, values)
            for name, own_key, by_key in named:
                setattr(row, name, by_key.get(getattr(row, own_key)))
            yield parent_id, row

    return _Pairs(rows())


def _plain_class(model):
    """A PlainRow that reads as text the way model does (model's own __str__)."""
    return type(f"Plain{model.__name__}", (PlainRow,), {"__str__": model.__str__})


def _core_stream(session, query, batch_rows):
    """The same for a query of plain values: tuples, without the ORM's work per row."""
    connection = session.connection()
    return connection.execute(query.statement, execution_options={"yield_per": batch_rows})


class _ByOwnKey:
    """A many-to-one's rows, found by the key each row holds (an instrument by its id)."""

    def __init__(self, by_key, attribute):
        self._by_key = by_key
        self._attribute = attribute

    def take(self, row):
        """[the related row of row], or [] when it names none."""
        found = self._by_key.get(getattr(row, self._attribute))
        return [] if found is None else [found]


class _Pairs:
    """(row id, related row) pairs in the rows' order, taken row by row as the rows pass.

    With by_key, the pairs carry the related row's key and by_key holds the rows.
    """

    _END = object()

    def __init__(self, result, by_key=None):
        self._pairs = iter(result)
        self._by_key = by_key
        self._head = next(self._pairs, self._END)

    def take(self, row):
        """The related rows of row: the pairs at the head of the stream that name it."""
        taken = []
        while self._head is not self._END and self._head[0] == row.id:
            item = self._head[1]
            taken.append(item if self._by_key is None else self._by_key[item])
            self._head = next(self._pairs, self._END)
        return taken
