"""Deleting an account: the user row goes, the database cascades to every row, then the files.

Every table holding a user's rows points at users.id with ON DELETE CASCADE (a test checks
each one), so deleting the one row removes them all in a single transaction: it either
happens whole or not at all. The files follow only once that transaction has committed.
"""

from flask import current_app

from tracker.extensions import db
from tracker.uploads import remove_user_files


def delete_account(user):
    """Delete user with every row and file of theirs; return how many files went."""
    user_id = user.id
    current_app.extensions["security"].datastore.delete_user(user)
    db.session.commit()
    return remove_user_files(user_id)
