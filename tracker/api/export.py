"""The practice log as CSV for a range: /api/stats/export.csv, streamed."""

import csv
import io

from flask import Response
from flask import stream_with_context
from flask_login import current_user

from tracker.api.base import bp
from tracker.api.base import requested_range
from tracker.figures.export import EXPORT_COLUMNS
from tracker.figures.export import export_batches
from tracker.figures.stats import first_practice_day
from tracker.timezones import user_zone


@bp.get("/stats/export.csv")
def export_csv():
    """Stream the range's sessions as CSV (formula-escaped), never holding them all in memory."""
    start, end = requested_range()
    user_id = current_user.id
    first = start or first_practice_day(user_id) or end
    batches = export_batches(user_id, user_zone(), first, end)

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)

        def flush():
            chunk = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return chunk

        writer.writerow(EXPORT_COLUMNS)
        yield flush()
        for rows in batches:
            writer.writerows(rows)
            yield flush()

    filename = f"practice-{first.isoformat()}-to-{end.isoformat()}.csv"
    return Response(
        stream_with_context(chunks()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
