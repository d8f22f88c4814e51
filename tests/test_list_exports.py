"""Every list's Export button streams its rows from SQL in batches.

Views are discovered from the admin, so a new view that can export is walked without
editing this file (it only needs a factory in tests/factories.py).
"""

import csv
import io
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy.orm import RelationshipDirection

from tests.factories import FocusAreaFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.factories import factory_for
from tests.test_scoping import scoped_views
from tracker import login_sessions
from tracker.admin import export
from tracker.extensions import db
from tracker.ownership import owned_relationships

LOG_EXPORT = "/app/practice_session/export/csv/"


@pytest.fixture(autouse=True)
def _no_session_touch(monkeypatch):
    """A signed-in session's "last seen" write would add a statement to one request only."""
    monkeypatch.setattr(login_sessions, "TOUCH_EVERY", timedelta(days=1))


def exporting_views(app):
    """Every registered scoped view whose list has an Export button."""
    return [view for view in scoped_views(app) if view.can_export]


def add_linked_rows(model, owner, count):
    """count rows of model for owner, each linked through every owned relationship.

    One related row is shared by all for a many-to-one or many-to-many link; a one-to-many
    link (a session's goal links, a piece's sections) gets a row of its own per row, whose
    own related rows (the link's goal) are shared too.
    """
    shared = {}

    def one_of(target):
        if target not in shared:
            shared[target] = factory_for(target)(user=owner)
        return shared[target]

    rows = factory_for(model).build_batch(count, user=owner)
    for name, target in owned_relationships(model):
        prop = getattr(model, name).property
        own = prop.direction is RelationshipDirection.ONETOMANY
        for row in rows:
            other = _own_child(target, owner, model, one_of) if own else one_of(target)
            if prop.uselist:
                getattr(row, name).append(other)
            else:
                setattr(row, name, other)
    db.session.add_all(rows)
    db.session.commit()


def _own_child(target, owner, parent, one_of):
    """A new row of target for one parent row; the rows its factory would make are shared."""
    factory_cls = factory_for(target)
    made = {
        name: one_of(model)
        for name, model in owned_relationships(target)
        if model is not parent and name in factory_cls._meta.declarations
    }
    return factory_cls.build(user=owner, **made)


def csv_rows(response):
    """The parsed CSV of a response, header first."""
    return csv_rows_of(response.get_data())


def csv_rows_of(data):
    """The parsed CSV rows of some bytes of an export."""
    return list(csv.reader(io.StringIO(data.decode())))


def test_every_export_runs_as_many_statements_for_2000_rows_as_for_10(
    app, client, auth, count_queries
):
    musician = UserFactory()
    auth.login(musician)
    views = exporting_views(app)
    statements = {}
    for rows in (10, 2000):
        for view in views:
            add_linked_rows(view.model, musician, rows - (10 if rows > 10 else 0))
        counted = {}
        for view in views:
            path = f"{view.url}/export/csv/"
            response = None

            def download(path=path):
                nonlocal response
                response = client.get(path)
                response.get_data()

            counted[view.endpoint] = count_queries(download)
            assert response.status_code == 200, view.endpoint
            assert len(csv_rows(response)) >= rows + 1, view.endpoint
        statements[rows] = counted
    assert statements[2000] == statements[10]


class CountedRow(export.ExportRow):
    """An export row that counts itself: one is made per row read from the cursor."""

    made = 0

    def __init__(self, keys, values):
        CountedRow.made += 1
        super().__init__(keys, values)


def test_every_export_sends_its_first_rows_before_it_reads_the_last(app, client, auth, monkeypatch):
    monkeypatch.setattr(export, "BATCH_ROWS", 5)
    monkeypatch.setattr(export, "ExportRow", CountedRow)
    for view in exporting_views(app):
        # A musician per view: another view's rows link to rows this one lists.
        musician = UserFactory()
        auth.logout()
        auth.login(musician)
        add_linked_rows(view.model, musician, 12)
        CountedRow.made = 0
        response = client.get(f"{view.url}/export/csv/")
        try:
            chunks = iter(response.response)
            header, first = next(chunks), next(chunks)
            read_so_far = CountedRow.made
            rest = b"".join(chunks)
        finally:
            response.close()
        assert response.status_code == 200, view.endpoint
        assert response.is_streamed, view.endpoint
        assert len(csv_rows_of(first)) == 5, view.endpoint
        assert read_so_far == 5 and CountedRow.made == 12, (view.endpoint, read_so_far)
        assert len(csv_rows_of(header + first + rest)) == 13, view.endpoint


def test_the_log_export_holds_every_row_in_the_lists_order_across_batches(
    client, auth, monkeypatch
):
    musician = UserFactory()
    auth.login(musician)
    monkeypatch.setattr(export, "BATCH_ROWS", 4)
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    areas = [FocusAreaFactory(user=musician, name=name) for name in ("Scales", "Arpeggios")]
    for day in range(23):
        PracticeSessionFactory(
            user=musician,
            started_at=start + timedelta(days=day),
            notes=f"day {day}",
            focus_areas=areas if day % 2 else [],
        )
    rows = csv_rows(client.get(LOG_EXPORT))
    header, body = rows[0], rows[1:]
    notes, focus = header.index("Notes"), header.index("Focus areas")
    assert [row[notes] for row in body] == [f"day {day}" for day in reversed(range(23))]
    assert [row[focus] for row in body[:2]] == ["", "Arpeggios, Scales"]


def test_the_log_export_follows_the_lists_search_and_sort(client, auth):
    musician = UserFactory()
    auth.login(musician)
    cello, viola = (InstrumentFactory(user=musician, name=name) for name in ("Cello", "Viola"))
    PracticeSessionFactory(user=musician, instrument=viola, notes="tremolo on the A string")
    PracticeSessionFactory(user=musician, instrument=cello, notes="tremolo, slower")
    PracticeSessionFactory(user=musician, instrument=cello, notes="long tones")
    # Column 2 is the instrument: sorting by it joins the instruments the export also reads.
    rows = csv_rows(client.get(LOG_EXPORT + "?search=tremolo&sort=2"))
    header, body = rows[0], rows[1:]
    instrument, notes = header.index("Instrument"), header.index("Notes")
    assert [(row[instrument], row[notes]) for row in body] == [
        ("Cello", "tremolo, slower"),
        ("Viola", "tremolo on the A string"),
    ]


def test_the_streamed_export_escapes_formulas_in_every_batch(client, auth, monkeypatch):
    musician = UserFactory()
    auth.login(musician)
    monkeypatch.setattr(export, "BATCH_ROWS", 2)
    area = FocusAreaFactory(user=musician, name="@SUM(A1)")
    for n in range(5):
        PracticeSessionFactory(
            user=musician, notes=f'=HYPERLINK("http://evil/{n}")', focus_areas=[area]
        )
    body = client.get(LOG_EXPORT).get_data(as_text=True)
    assert body.count("'=HYPERLINK") == 5 and body.count("'@SUM(A1)") == 5
    assert ",=HYPERLINK" not in body and ",@SUM" not in body


def test_a_streamed_export_never_holds_another_users_rows(client, auth, monkeypatch):
    alice, bob = UserFactory(), UserFactory()
    monkeypatch.setattr(export, "BATCH_ROWS", 2)
    bob_area = FocusAreaFactory(user=bob, name="Bob's secret etude")
    for n in range(3):
        PracticeSessionFactory(user=bob, notes=f"bob note {n}", focus_areas=[bob_area])
    alice_area = FocusAreaFactory(user=alice, name="Long tones")
    for n in range(3):
        PracticeSessionFactory(user=alice, notes=f"alice note {n}", focus_areas=[alice_area])
    auth.login(alice)
    body = client.get(LOG_EXPORT).get_data(as_text=True)
    assert body.count("alice note") == 3 and body.count("Long tones") == 3
    assert "bob" not in body.lower()
