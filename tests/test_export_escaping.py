"""Every export of every registered view, and the API's CSV, with a formula in every text field.

Views are discovered from the admin, so a new view that can export is walked without
editing this file (it only needs a factory in tests/factories.py).
"""

import csv
import io
from itertools import cycle

import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import inspect as sa_inspect

from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import UserFactory
from tests.factories import factory_for
from tests.test_scoping import scoped_views
from tracker.extensions import db
from tracker.ownership import FORMULA_PREFIXES
from tracker.ownership import csv_cell
from tracker.ownership import owned_relationships

# Columns whose text the app itself reads back as something else (a zone, a stored file).
NOT_FREE_TEXT = ("email", "password", "timezone", "stored_name", "token_hash")
PAYLOAD = 'HYPERLINK("http://evil.example/{n}")'
# The API's CSV columns that carry text from the user's rows.
API_TEXT_COLUMNS = ("Instrument", "Focus areas", "Goals", "Pieces", "Notes")


def _text_columns(model):
    """The free-text columns of model: String or Text, not a coded choice."""
    table = model.__table__
    checked = " ".join(
        str(ck.sqltext) for ck in table.constraints if isinstance(ck, CheckConstraint)
    )
    return [
        column
        for column in sa_inspect(model).columns
        if isinstance(column.type, String | Text)
        and column.key not in checked
        and column.key not in NOT_FREE_TEXT
    ]


def _arm(row, prefixes, counter):
    """Start every free-text column of row with a formula (a different prefix each time)."""
    for column in _text_columns(type(row)):
        text = next(prefixes) + PAYLOAD.format(n=next(counter))
        setattr(row, column.key, text[: column.type.length or None])


def build_armed_row(model, owner, prefixes, counter):
    """A row of model linked to owner's related rows; it and every row it names hold formulas.

    Related rows are armed two levels deep, so a session link's goal or piece is too.
    """
    row = factory_for(model)(user=owner)
    for name, target in owned_relationships(model):
        other = factory_for(target)(user=owner)
        if getattr(model, name).property.uselist:
            getattr(row, name).append(other)
        else:
            setattr(row, name, other)
    db.session.flush()
    for item in _reachable(row):
        _arm(item, prefixes, counter)
    db.session.commit()
    return row


def _reachable(row, depth=2):
    """row and the owned rows its relationships name, depth levels deep."""
    seen, frontier = [row], [row]
    for _ in range(depth):
        found = []
        for item in frontier:
            for name, _target in owned_relationships(type(item)):
                value = getattr(item, name)
                for other in value if isinstance(value, list) else [value]:
                    if other is not None and other not in seen:
                        seen.append(other)
                        found.append(other)
        frontier = found
    return seen


def _exported_columns(view):
    """Export columns that show the model's free text or a related row's name."""
    texts = {column.key for column in _text_columns(view.model)}
    related = {name for name, _ in owned_relationships(view.model)}
    return [label for name, label in view._export_columns if name in texts | related]


def _check_cells(rows, expected_columns, where):
    """(cells checked, unescaped formula cells) of parsed CSV rows; expected columns armed."""
    header, *body = rows
    assert body, f"{where} exported no rows"
    unescaped = [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
    for label in expected_columns:
        index = header.index(label)
        cells = [row[index] for row in body]
        assert any(cell.startswith("'") and "HYPERLINK" in cell for cell in cells), (
            f"{where}: no escaped formula reached the {label} column: {cells}"
        )
    return sum(len(row) for row in rows), unescaped


def test_every_export_escapes_every_formula_cell(app, client, auth, report_figure):
    musician = UserFactory()
    auth.login(musician)
    prefixes, counter = cycle(FORMULA_PREFIXES), iter(range(1, 1_000_000))
    views = [view for view in scoped_views(app) if view.can_export]
    assert {"goal", "piece", "equipment", "maintenance_log", "practice_session"} <= {
        view.endpoint for view in views
    }
    for view in views:
        build_armed_row(view.model, musician, prefixes, counter)

    checked, unescaped = 0, []
    for view in views:
        for export_type in view.export_types:
            response = client.get(f"{view.url}/export/{export_type}/")
            assert response.status_code == 200, view.endpoint
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
            where = f"{view.endpoint} export"
            count, bad = _check_cells(rows, _exported_columns(view), where)
            checked += count
            unescaped += [(view.endpoint, cell) for cell in bad]
    response = client.get("/api/v1/stats/export.csv?start=2000-01-01")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    count, bad = _check_cells(rows, API_TEXT_COLUMNS, "API export")
    checked += count
    unescaped += [("api", cell) for cell in bad]

    report_figure(f"exports: checked {checked} cells, {len(unescaped)} unescaped")
    assert unescaped == []


def test_a_related_row_is_escaped_once_it_is_text(client, auth):
    """The goal list's Instrument column: the row's name only becomes text in the export."""
    musician = UserFactory()
    auth.login(musician)
    instrument = InstrumentFactory(user=musician, name='=HYPERLINK("http://evil.example")')
    GoalFactory(user=musician, instrument=instrument)
    response = client.get("/app/goal/export/csv/")
    header, row = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert response.status_code == 200
    assert row[header.index("Instrument")] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.pure
def test_csv_cell_writes_text_escaped_and_numbers_as_numbers():
    class Named:
        def __str__(self):
            return "@SUM(A1)"

    assert csv_cell(Named()) == "'@SUM(A1)"
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell(-3) == -3
    assert csv_cell(None) == ""
    assert csv_cell("Scales") == "Scales"
