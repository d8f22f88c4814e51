"""CSV downloads sent while they are written: a chunk per batch of formula-safe rows."""

import io

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
    for rows in batches:
        writer.writerows(rows)
        yield flush()


def csv_download(chunks, filename):
    """A CSV attachment streamed from chunks, with the request's context open until the end."""
    return Response(
        stream_with_context(chunks),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
