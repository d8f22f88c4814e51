"""One-time tokens that make create forms idempotent, like the API's client_uuid.

A create form carries a fresh token in a hidden field. Saving the row records the token
with the row's id in the same transaction (models/form_submissions.py), so a POST sent again
(a retry after a lost connection, the back button, a double click) finds the row the first
one made instead of making another.
"""

import secrets
from datetime import timedelta

from sqlalchemy import delete

from tracker.extensions import db
from tracker.models import FormSubmission
from tracker.ownership import owned_one
from tracker.ownership import owned_query

FIELD = "form_token"
TOKEN_LENGTH = 64
# A POST replayed later than this (a tab left open for a month) makes a new row: by then the
# token has done its job, and keeping every token forever would grow the table with each save.
KEEP_FOR = timedelta(days=30)


def new_token():
    """A fresh token for one create form."""
    return secrets.token_urlsafe(24)


def usable(token):
    """Whether token looks like one of ours (anything else is ignored, never stored)."""
    return isinstance(token, str) and 16 <= len(token) <= TOKEN_LENGTH


def recorded_row(model, token):
    """The signed-in user's row of model that the first POST with token made, or None."""
    if not usable(token):
        return None
    submission = (
        owned_query(FormSubmission)
        .filter_by(token=token, table_name=model.__tablename__)
        .one_or_none()
    )
    return owned_one(model, submission.row_id) if submission else None


def record(row, token):
    """Remember that token made row; committed with the row, refused if the token was used."""
    if not usable(token):
        return
    db.session.flush()  # the row's id
    db.session.add(
        FormSubmission(
            user_id=row.user_id, token=token, table_name=row.__tablename__, row_id=row.id
        )
    )


def forget_old_tokens(now):
    """Delete every user's tokens older than KEEP_FOR; the number deleted (commits)."""
    result = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < now - KEEP_FOR)
    )
    db.session.commit()
    return result.rowcount
