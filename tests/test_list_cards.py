"""The phone's card for each row of a list: what it shows, from declarations or defaults."""

import re

from sqlalchemy import inspect as sa_inspect

from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.test_scoping import scoped_views
from tracker.admin.cards import MAX_CARD_FIELDS
from tracker.admin.cards import card_layout

LIST = "/app/practice_session/"
LONG_NOTE = "Left hand alone, then hands together at 60. " * 20 + "LAST-WORDS"


def cards_of(html):
    """The card part of a list page (what a phone shows instead of the table)."""
    start = html.index('<div class="list-cards')
    return html[start : html.index('<div class="list-pager', start)]


def test_every_list_has_a_card_layout_of_real_columns(app):
    for view in scoped_views(app):
        layout = card_layout(view, view._list_columns)
        mapper = sa_inspect(view.model)
        listed = {name for name, _label in view._list_columns}
        assert layout.title, view.endpoint
        for name in (*layout.title, *(name for name, _label in layout.fields)):
            assert name in listed or name in mapper.attrs, (view.endpoint, name)
        assert all(label for _name, label in layout.fields), view.endpoint
        assert layout.note is None or layout.note in mapper.columns, view.endpoint


def test_a_view_without_card_declarations_takes_them_from_its_columns(app):
    goals = next(view for view in scoped_views(app) if view.endpoint == "goal")
    layout = card_layout(goals, goals._list_columns)
    assert layout.title == ("name",)
    assert [name for name, _label in layout.fields][:MAX_CARD_FIELDS] == [
        "progress",
        "priority",
        "target_date",
    ]
    assert dict(layout.fields)["target_date"] == "Target date"
    assert layout.note == "notes"


def test_practice_log_card_shows_when_minutes_instrument_and_a_short_note(client, auth):
    user = UserFactory()
    piano = InstrumentFactory(user=user, name="Piano")
    scales = FocusAreaFactory(user=user, name="Scales")
    PracticeSessionFactory(
        user=user, instrument=piano, duration_minutes=85, notes=LONG_NOTE, focus_areas=[scales],
        mood_rating=4, quality_rating=2,
    )  # fmt: skip
    auth.login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    cards = cards_of(response.get_data(as_text=True))
    assert cards.count('class="card list-card') == 1
    title = re.search(r'<div class="list-card-title">(.*?)</div>', cards, re.S).group(1)
    assert "1 h 25 min" in title and "Piano" in title
    assert "Focus areas" in cards and "Scales" in cards and "Mood" in cards
    note = re.search(r'<p class="list-card-note[^"]*">(.*?)</p>', cards, re.S).group(1)
    assert note.startswith("Left hand alone") and note.endswith("…")
    assert "LAST-WORDS" not in cards and len(note) <= 130
    assert 'aria-label="Actions for ' in cards and ">⋯</button>" in cards
    for label in ("View", "Edit", "Delete"):
        assert f'<span class="row-action-label">{label}</span>' in cards


def test_a_card_leaves_out_empty_fields_and_notes(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes=None, mood_rating=None, quality_rating=None)
    auth.login(user)
    cards = cards_of(client.get(LIST).get_data(as_text=True))
    assert "Focus areas" not in cards and "Mood" not in cards and "Quality" not in cards
    assert "list-card-note" not in cards
    assert "30" in cards  # the title line still says how long


def test_card_tick_boxes_are_never_sent_with_a_bulk_action(client, auth):
    user = UserFactory()
    sessions = PracticeSessionFactory.create_batch(3, user=user)
    auth.login(user)
    html = client.get(LIST).get_data(as_text=True)
    cards = cards_of(html)
    assert cards.count('class="card-checkbox"') == 3
    assert 'name="rowid"' not in cards
    for session in sessions:
        assert f'data-row-id="{session.id}"' in cards
    # The table's box per row is the one actions.js sends.
    assert html.count('name="rowid" class="action-checkbox"') == 3


def test_an_empty_list_says_so_on_a_phone_too(client, auth):
    auth.login(UserFactory())
    cards = cards_of(client.get("/app/goal/").get_data(as_text=True))
    assert "No goals yet." in cards
    assert "list-card-empty" in cards


def test_a_goal_card_shows_priority_and_deadline(client, auth):
    user = UserFactory()
    GoalFactory(user=user, name="Scales in thirds", priority=3)
    auth.login(user)
    cards = cards_of(client.get("/app/goal/").get_data(as_text=True))
    assert "Scales in thirds" in cards
    assert "Priority" in cards and "High" in cards
    assert "Mark completed" in cards and "Archive" in cards
