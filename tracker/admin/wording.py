"""Flask-Admin's built-in words, said the way a musician would (used by every app page)."""

from flask_admin import babel

PLAIN_WORDS = {
    "List": "All",
    "Create": "Add new",
    "Create New Record": "Add new",
    "View Record": "View",
    "Edit Record": "Edit",
    "Delete Record": "Delete",
    "Are you sure you want to delete this record?": "Delete this for good?",
    "Save and Add Another": "Save and add another",
    "Save and Continue Editing": "Save and keep editing",
    "With selected": "With the ticked rows",
    "Select record": "Tick this row",
    "Select all records": "Tick every row",
    "Please select at least one record.": "Tick at least one row first.",
    "Are you sure you want to delete selected records?": "Delete the ticked rows for good?",
}


def plain_gettext(string, **variables):
    """Flask-Admin's gettext, with its generic words replaced by plain ones."""
    return babel.gettext(PLAIN_WORDS.get(string, string), **variables)
