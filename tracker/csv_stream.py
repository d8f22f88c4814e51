"""CSV downloads sent while they are written: a chunk per batch of formula-safe rows."""

import gc
import io
from contextlib import contextmanager

from flask import Response
from flask import stream_with_context

from tracker.ownership import FormulaSafeWriter


def csv_chunks(header, batches):
    """Yield the CSV text of header, then of each batch of rows in turn.

    Every cell is formula-escaped on its way out (tracker.ownership.csv_cell).
    """
    buffer = io.StringIO()
    writer = FormulaSafeWriter(buffer)

    def flush():
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(header)
    yield flush()
    batches = iter(batches)
    while True:
        with _collector_paused():
            rows = next(batches, None)
            if rows is None:
                return
            writer.writerows(rows)
        yield flush()


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector while one batch is read, rendered and written.

    A batch allocates thousands of short-lived rows, which reference counting frees; the
    collector would meanwhile scan the whole process again and again (40 % of an export's
    time). It runs again, as it was, before the chunk leaves.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def csv_download(chunks, filename):
    """A CSV attachment streamed from chunks, with the request's context open until the end."""
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
