"""Flask-Admin's built-in words, said the way a musician would (used by every app page)."""

from flask import current_app
from flask_admin import babel
from flask_admin import helpers as admin_helpers
from flask_admin.contrib.sqla.fields import InlineModelFormList
from flask_admin.contrib.sqla.form import InlineModelConverter
from flask_admin.model.widgets import InlineFieldListWidget

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
    # Flashed after a save or delete.
    "Record was successfully created.": "Saved.",
    "Record was successfully saved.": "Changes saved.",
    "Record was successfully deleted.": "Deleted.",
    "Failed to create record.": "Not saved yet: please check the fields marked below.",
    "Failed to update record.": "Not saved yet: please check the fields marked below.",
    "Failed to save record.": "Not saved yet: please check the fields marked below.",
    "Record does not exist.": "That entry doesn't exist.",
}


def plain_words(text):
    """text in plain words when Flask-Admin wrote it (flashed messages, labels)."""
    return PLAIN_WORDS.get(text, text)


def plain_gettext(string, **variables):
    """Flask-Admin's gettext, with its generic words replaced by plain ones."""
    return babel.gettext(plain_words(string), **variables)


class PlainInlineFieldListWidget(InlineFieldListWidget):
    """Inline rows (sections, session links) whose remove button asks in plain words."""

    def __call__(self, field, **kwargs):
        template = current_app.jinja_env.get_template(self.template)
        context = {**kwargs, "field": field, "h": admin_helpers}
        return template.render(context, _gettext=plain_gettext, _ngettext=babel.ngettext)


class PlainInlineModelFormList(InlineModelFormList):
    """Flask-Admin's inline list field, rendered by PlainInlineFieldListWidget."""

    widget = PlainInlineFieldListWidget()

    def display_row_controls(self, field):
        """Every row can be removed, also one not saved yet.

        Flask-Admin offers the remove button only on rows added in the browser or saved
        before; a row the form opened with (pre-filled from a link, or sent back with a
        message) would otherwise have to be saved.
        """
        return True


class PlainInlineModelConverter(InlineModelConverter):
    """Builds inline lists whose words are plain."""

    inline_field_list_type = PlainInlineModelFormList
