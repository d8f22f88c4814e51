"""The session form opened from a link: instrument, items, tempos, minutes and duration."""

import re
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from tests.conftest import input_value
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import UserFactory
from tracker.admin.prefill import WantedItem
from tracker.admin.prefill import log_form_url
from tracker.admin.prefill import wanted_items

NEW = "/app/practice_session/new/"


def _selected(body, name):
    """The value of the selected option of the select named name, or None."""
    select = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option [^>]*\bselected value="([^"]*)"', select.group(1))
    return chosen.group(1) if chosen else None


def test_a_link_fills_the_instrument_the_items_their_tempo_and_minutes(client, auth):
    user = UserFactory()
    InstrumentFactory(user=user, name="Piano")
    cello = InstrumentFactory(user=user, name="Cello")
    goal = GoalFactory(user=user, name="Thirds")
    piece = PieceFactory(user=user, title="Suite No. 1")
    other_piece = PieceFactory(user=user, title="Swan")
    section = PieceSectionFactory(user=user, piece=piece, section_name="Prelude")
    auth.login(user)
    url = (
        f"{NEW}?instrument={cello.id}&item=goal:{goal.id}&item=section:{section.id}"
        f"&item=piece:{other_piece.id}&bpm=section:{section.id}:80&minutes=section:{section.id}:10"
        f"&minutes=goal:{goal.id}:5&duration=30"
    )
    response = client.get(url)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _selected(body, "instrument") == str(cello.id)
    assert (
        input_value(body, "duration_minutes-hours"),
        input_value(body, "duration_minutes-minutes"),
    ) == (
        "0",
        "30",
    )
    assert _selected(body, "goal_links-0-goal") == str(goal.id)
    assert input_value(body, "goal_links-0-minutes") == "5"
    assert input_value(body, "goal_links-0-tempo_bpm") == ""
    # A section's row names its piece and the section.
    assert _selected(body, "piece_links-0-piece") == str(piece.id)
    assert _selected(body, "piece_links-0-section") == str(section.id)
    assert input_value(body, "piece_links-0-tempo_bpm") == "80"
    assert input_value(body, "piece_links-0-minutes") == "10"
    assert _selected(body, "piece_links-1-piece") == str(other_piece.id)
    assert _selected(body, "piece_links-1-section") == "__None"
    assert 'name="piece_links-2-piece"' not in body
    # Rows the form opened with can be removed before saving.
    assert body.count('class="inline-remove-field"') >= 3


def test_a_link_to_someone_elses_rows_fills_nothing_of_theirs(client, auth):
    theirs = UserFactory()
    goal = GoalFactory(user=theirs, name="THEIR-GOAL")
    section = PieceSectionFactory(
        user=theirs, section_name="THEIR-SECTION", piece__title="THEIR-PIECE"
    )
    instrument = InstrumentFactory(user=theirs, name="THEIR-INSTRUMENT")
    mine = UserFactory()
    my_goal = GoalFactory(user=mine, name="My goal")
    auth.login(mine)
    response = client.get(
        f"{NEW}?instrument={instrument.id}&item=goal:{goal.id}&item=section:{section.id}"
        f"&item=piece:{section.piece_id}&item=goal:{my_goal.id}"
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "THEIR-" not in body
    assert _selected(body, "goal_links-0-goal") == str(my_goal.id)
    assert 'name="goal_links-1-goal"' not in body
    assert 'name="piece_links-0-piece"' not in body
    assert _selected(body, "instrument") in (None, "__None")


def test_a_garbled_link_opens_the_plain_form(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    response = client.get(
        f"{NEW}?instrument=x&item=goal&item=song:1&item=goal:abc&item=goal:99999999999"
        f"&bpm=goal:{goal.id}:9999&minutes=goal:{goal.id}:-5&duration=2000"
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="goal_links-0-goal"' not in body
    assert input_value(body, "duration_minutes-hours") == ""


def test_the_link_helper_and_the_form_read_the_same_scheme(app):
    wanted = [
        WantedItem("goal", 5, bpm=None, minutes=10),
        WantedItem("section", 7, bpm=80, minutes=20),
    ]
    with app.test_request_context():
        url = log_form_url(3, wanted, duration=30)
    path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
    assert path == NEW
    assert query == {
        "url": ["/app/"],
        "instrument": ["3"],
        "item": ["goal:5", "section:7"],
        "bpm": ["section:7:80"],
        "minutes": ["goal:5:10", "section:7:20"],
        "duration": ["30"],
    }
    args = MultiDict([(key, value) for key, values in query.items() for value in values])
    assert wanted_items(args) == wanted
