"""/api/v1/stats/export.csv: the practice log of a range as CSV, streamed."""

from flask_login import current_user

from tracker.api.base import ApiBlueprint
from tracker.api.base import RangeArgs
from tracker.csv_stream import csv_chunks
from tracker.csv_stream import csv_download
from tracker.figures.export import EXPORT_COLUMNS
from tracker.figures.export import export_batches
from tracker.figures.stats import first_practice_day
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
    filename = f"practice-{first.isoformat()}-to-{end.isoformat()}.csv"
    return csv_download(csv_chunks(EXPORT_COLUMNS, batches), filename)
