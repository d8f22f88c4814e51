"""The compact card a phone shows for each row of a list: title line, key fields, one note line.

A view declares `card_title`, `card_fields` and `card_note` (column names); whatever it leaves
out comes from its list columns: the first is the title, the others are the fields (a card
shows the first three that have a value), and the note is the row's "notes" when the model
has them. templates/admin/model/scoped_list.html
draws the cards; the table beside them is unchanged.
"""

from dataclasses import dataclass

from sqlalchemy import inspect as sa_inspect

from tracker.phrases import first_words

# "two or three key fields": a card stays a few lines tall.
MAX_CARD_FIELDS = 3
# The note is cut to a line by CSS; this bounds what is sent for it.
CARD_NOTE_CHARS = 120
NOTE_COLUMN = "notes"


@dataclass(frozen=True)
class CardLayout:
    """Which columns a card shows: its title line, its small fields (name, label), its note.

    Of the fields, a card shows the first `shown` that have a value in its row.
    """

    title: tuple
    fields: tuple
    note: str | None
    shown: int = MAX_CARD_FIELDS


def card_layout(view, list_columns):
    """The card layout of view, given its list's (column, label) pairs."""
    labels = dict(list_columns)
    names = [name for name, _label in list_columns]
    title = tuple(view.card_title or names[:1])
    note = view.card_note if view.card_note is not None else _default_note(view.model)
    if view.card_fields is not None:
        fields = view.card_fields
    else:
        shown = {*title, note}
        fields = [name for name in names if name not in shown]
    labelled = tuple((name, labels.get(name) or view.get_column_name(name)) for name in fields)
    return CardLayout(title=title, fields=labelled, note=note or None)


def _default_note(model):
    """The "notes" column when the model has one, else no note line."""
    return NOTE_COLUMN if NOTE_COLUMN in sa_inspect(model).columns else None


def card_note_text(row, name):
    """The row's note, cut to the words that fit a card's line (the page has it all)."""
    return first_words(getattr(row, name, None) or "", CARD_NOTE_CHARS)


def has_value(row, name):
    """Whether a card should show this column: a stored column that is empty is left out."""
    value = getattr(row, name, None) if name in sa_inspect(type(row)).attrs else True
    return value not in (None, "", [])
