"""What lists and the dashboard show of long notes, and the primary "Add …" button of each list."""

import pytest

from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory

LONG_NOTE = "Bars 9-12 slowly. " + "x" * 10_000


def test_a_10000_character_note_is_shortened_with_more_on_the_log(client, auth):
    user = UserFactory()
    session = PracticeSessionFactory(user=user, notes=LONG_NOTE)
    auth.login(user)
    body = client.get("/app/practice_session/").get_data(as_text=True)
    assert "x" * 10_000 not in body and "x" * 200 not in body
    assert '<span class="note-short">Bars 9-12 slowly. ' in body
    assert f"/app/practice_session/details/?id={session.id}" in body
    assert 'class="note-more"' in body and ">more<" in body
    details = client.get(f"/app/practice_session/details/?id={session.id}").get_data(as_text=True)
    assert "x" * 10_000 in details


def test_a_short_note_shows_whole_without_more(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes="Scales at 80.")
    auth.login(user)
    body = client.get("/app/practice_session/").get_data(as_text=True)
    assert "Scales at 80." in body and 'class="note-more"' not in body


def test_a_long_section_note_is_shortened_on_the_sections_list(client, auth):
    user = UserFactory()
    PieceSectionFactory(user=user, notes=LONG_NOTE)
    auth.login(user)
    body = client.get("/app/piece_section/").get_data(as_text=True)
    assert "x" * 200 not in body and 'class="note-more"' in body


def test_a_long_note_is_folded_behind_more_on_the_dashboard(client, auth):
    user = UserFactory()
    PracticeSessionFactory(user=user, notes=LONG_NOTE)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    assert body.count('<details class="notes-more') >= 1
    # Every copy of the note is inside a folded <details>, after its short first line.
    for chunk in body.split("x" * 10_000)[:-1]:
        assert chunk.rfind('<details class="notes-more') > chunk.rfind("</details>")
    assert '<span class="more-label">more</span>' in body


@pytest.mark.parametrize(
    "url, label, new",
    [
        ("/app/goal/", "Add a goal", "/app/goal/new/"),
        ("/app/piece/", "Add a piece", "/app/piece/new/"),
        ("/app/equipment/", "Add gear", "/app/equipment/new/"),
    ],
)
def test_goals_pieces_and_gear_lists_have_a_primary_add_button(client, auth, url, label, new):
    auth.login(UserFactory())
    body = client.get(url).get_data(as_text=True)
    start = body.index('id="add-row"')
    button = body[body.rindex("<a", 0, start) : body.index("</a>", start)]
    assert 'class="btn btn-primary"' in button and label in button and f'href="{new}' in button


def test_unbroken_strings_wrap_in_lists_and_notes(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    rule = css[css.index(".session-notes, .resource-notes, .note-short") :]
    assert "td.col-notes" in rule[: rule.index("{")]
    assert "overflow-wrap: anywhere" in rule[: rule.index("}")]
