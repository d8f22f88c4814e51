"""Reading a long result in bounded memory: one snapshot, server-side cursors, fixed batches."""

from contextlib import contextmanager

from sqlalchemy import text

from tracker.extensions import db

# Rows fetched from a server-side cursor per batch (one CSV chunk each).
BATCH_ROWS = 1000


@contextmanager
def streaming_connection():
    """A connection of its own whose statements all read one snapshot of the database.

    Several cursors read side by side on it (a list's rows and their related rows) see the
    same rows, whatever is written meanwhile; a read-only REPEATABLE READ never fails.
    """
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        # A cursor is planned for its first tenth by default, which picks nested loops over
        # the related rows; an export reads every row, so plan for all of them.
        conn.execute(text("SET LOCAL cursor_tuple_fraction = 1"))
        yield conn
