"""Everything of one user as a zip: a JSON file per table, their attached files, a README.

The zip is written to a temporary file, row by row from a server-side cursor and file by
file from disk, so memory stays bounded whatever the size of the account. All tables are
read in one REPEATABLE READ transaction: the files agree with each other even while the
musician keeps logging sessions in another tab.
"""

import base64
import json
import os
import tempfile
import zipfile
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select

import tracker.models  # noqa: F401 - every table must be in the metadata before it is walked
from tracker.extensions import db
from tracker.models import Attachment
from tracker.models import User
from tracker.ownership import owned_tables
from tracker.ownership import rows_of_user
from tracker.uploads import stored_path

# Credentials are not data: a password hash, the session-revoking uniquifier and the hashes
# of API and sign-in tokens help nobody reading their export, and would help someone who
# found the file.
SECRET_COLUMNS = {
    "users": {"password", "fs_uniquifier"},
    "api_tokens": {"token_hash"},
    "login_sessions": {"token_hash", "previous_token_hash", "user_uniquifier"},
}
ROWS_PER_FETCH = 500
FILES_FOLDER = "files"


def export_columns(table):
    """The columns of table written to the export: no credentials, no generated columns."""
    hidden = SECRET_COLUMNS.get(table.name, set())
    # Generated columns (search words) are worked out again from the others.
    return [c for c in table.c if c.name not in hidden and c.computed is None]


def json_value(value):
    """A column value as JSON has it: times in ISO 8601, amounts as exact text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def attachment_arcname(attachment_id, original_name):
    """Where an attached file goes in the zip: its id keeps two "score.pdf" apart."""
    return f"{FILES_FOLDER}/{attachment_id}-{original_name}"


def _write_rows(archive, name, rows):
    """Write rows (mappings) to archive as one JSON array, a row at a time; return the count."""
    count = 0
    with archive.open(name, "w") as entry:
        entry.write(b"[")
        for row in rows:
            record = {key: json_value(value) for key, value in row.items()}
            prefix = b"\n  " if count == 0 else b",\n  "
            entry.write(prefix + json.dumps(record, ensure_ascii=False).encode("utf-8"))
            count += 1
        entry.write(b"\n]\n" if count else b"]\n")
    return count


def _table_rows(conn, table, user_id):
    """Stream user_id's rows of table."""
    statement = rows_of_user(table, user_id, export_columns(table))
    result = conn.execution_options(yield_per=ROWS_PER_FETCH).execute(statement)
    return (row._mapping for row in result)


def _write_files(archive, conn, user_id):
    """Copy the user's attached files into the zip; return (written, missing) counts."""
    table = Attachment.__table__
    columns = [table.c.id, table.c.original_name, table.c.stored_name]
    written = missing = 0
    for attachment_id, original_name, stored_name in conn.execute(
        rows_of_user(table, user_id, columns)
    ):
        path = stored_path(user_id, stored_name)
        if path is None or not os.path.isfile(path):
            missing += 1
            continue
        # Sheet music, images and recordings are compressed already.
        archive.write(path, attachment_arcname(attachment_id, original_name), zipfile.ZIP_STORED)
        written += 1
    return written, missing


def write_user_export(user_id, target):
    """Write user_id's data as a zip into the binary file object target; return the counts.

    The counts are {"tables": {table name: rows}, "files": written, "missing_files": n}.
    """
    counts = {"tables": {}}
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin(), zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            users = User.__table__
            account = conn.execute(
                select(*export_columns(users)).where(users.c.id == user_id)
            ).mappings()
            counts["tables"]["users"] = _write_rows(archive, "users.json", account)
            for table in owned_tables():
                rows = _table_rows(conn, table, user_id)
                counts["tables"][table.name] = _write_rows(archive, f"{table.name}.json", rows)
            counts["files"], counts["missing_files"] = _write_files(archive, conn, user_id)
            archive.writestr("README.txt", readme_text(counts))
    return counts


def user_export_file(user_id):
    """A temporary file holding user_id's zip, at its start; it disappears when closed."""
    target = tempfile.TemporaryFile(prefix="your-data-", suffix=".zip")
    try:
        write_user_export(user_id, target)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


# What each file holds, in the musician's words; a table missing here is still exported.
TABLE_NOTES = {
    "users": "your account: e-mail, name, skill level, practice goals, time zone and "
    "notification settings (not your password)",
    "instruments": "the instruments you play",
    "focus_areas": "your focus areas (technique, scales, ...)",
    "practice_sessions": "every practice session: start (UTC), minutes, notes, ratings",
    "session_goals": "the goals each session worked on, with minutes, rating, tempo, notes",
    "session_pieces": "the pieces and sections each session worked on, with how it went",
    "session_focus_areas": "which focus areas each session had",
    "session_equipment": "which gear each session used",
    "goals": "your goals",
    "goal_pieces": "the pieces each goal is about",
    "goal_sections": "the piece sections each goal is about",
    "pieces": "your repertoire",
    "piece_sections": "the sections of your pieces",
    "attachments": "the files kept with pieces and explanations (the files are in files/)",
    "resources": "your explanations and links",
    "resource_focus_areas": "the focus areas each explanation is about",
    "resource_goals": "the goals each explanation is about",
    "resource_pieces": "the pieces each explanation is about",
    "resource_sections": "the sections each explanation is about",
    "equipment": "your gear",
    "maintenance_logs": "string changes, tunings and repairs of your gear",
    "reminders": "your practice reminders",
    "notifications": "the messages the app sent you",
    "review_states": "where each goal, piece and section stands in your practice schedule",
    "practice_days": "minutes and sessions per day (worked out from your sessions)",
    "practice_runs": "runs of days in a row with practice (worked out from your sessions)",
    "api_tokens": "the names of your API tokens and when they were used (not the tokens)",
    "roles_users": "the roles of your account",
    "login_sessions": "where and when you signed in (devices, addresses; not the cookies)",
    "form_submissions": "which form made which entry (so a form sent twice saves once)",
}


def readme_text(counts):
    """README.txt: what the zip holds, file by file, with the number of rows in each."""
    lines = [
        "Your Practice Tracker data",
        "==========================",
        "",
        "Each .json file holds one kind of entry: a list with one object per row, keyed by",
        "column name. Times are ISO 8601 in UTC (e.g. 2026-12-01T07:30:00+00:00); days are",
        'days in your own time zone; amounts of money are text ("12.50") so nothing is',
        "rounded. Ids link the files together: session_goals.goal_id is an id in goals.json.",
        "",
    ]
    for name, rows in counts["tables"].items():
        note = TABLE_NOTES.get(name, "rows of yours in the table of that name")
        lines.append(f"{name}.json ({rows} {'row' if rows == 1 else 'rows'}): {note}")
    lines += [
        "",
        f"{FILES_FOLDER}/: your attached files ({counts['files']}), named "
        "<attachment id>-<your file name>.",
    ]
    if counts["missing_files"]:
        lines.append(
            f"{counts['missing_files']} attached file(s) listed in attachments.json could "
            "not be found on the server and are not included."
        )
    return "\n".join(lines) + "\n"
