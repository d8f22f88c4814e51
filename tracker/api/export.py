"""/api/v1/stats/export.csv: the practice log of a range as CSV, streamed."""

import io

from flask import Response
from flask import stream_with_context
from flask_login import current_user

from tracker.api.base import ApiBlueprint
from tracker.api.base import RangeArgs
from tracker.figures.export import EXPORT_COLUMNS
from tracker.figures.export import export_batches
from tracker.figures.stats import first_practice_day
from tracker.ownership import FormulaSafeWriter
from tracker.timezones import user_zone

blp = ApiBlueprint("export", __name__, "/stats", description="Your practice log as CSV.")
BLUEPRINTS = [blp]
CSV_RESPONSE = {
    200: {
        "description": "One row per session, formula-escaped for spreadsheets.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@blp.get("/export.csv")
@blp.arguments(RangeArgs, location="query")
@blp.doc(responses=CSV_RESPONSE)
def export_csv(args):
    """Stream the range's sessions as CSV, never holding them all in memory."""
    user_id, end = current_user.id, args["end"]
    first = args["start"] or first_practice_day(user_id) or end
    batches = export_batches(user_id, user_zone(), first, end)

    def chunks():
        buffer = io.StringIO()
        # Every text cell is formula-escaped on its way out (tracker.ownership.csv_cell).
        writer = FormulaSafeWriter(buffer)

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
