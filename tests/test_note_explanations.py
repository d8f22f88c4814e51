"""A "next time" note saved as an explanation: the new-explanation page filled from its link,
the session form's script, and the link on a saved session's details page."""

import re
from html import unescape

import pytest

from tests.conftest import input_value
from tests.factories import GoalFactory
from tests.factories import PieceSectionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Resource
from tracker.phrases import first_words

NEW = "/app/resource/new/"
NOTE = "Bars 9-12: thumb behind the neck, start at 80 and add 4 each day"
NOTE_TITLE = "Bars 9-12: thumb behind the neck, start at 80 and add 4 each …"


@pytest.fixture
def musician(client, auth):
    user = UserFactory()
    auth.login(user)
    return user


def _textarea(body, name):
    """The text of the textarea named name."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\s*(.*?)</textarea>', body, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1))


def _selected(body, name):
    """The values of the selected options of the select named name."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return re.findall(r'<option selected value="([^"]*)"', select)


def _save_links(body):
    """The unescaped hrefs of the "Save as explanation" links on a page."""
    return [
        unescape(href) for href in re.findall(r'class="save-note-explanation" href="([^"]+)"', body)
    ]


def test_a_note_opens_the_new_explanation_form_filled_and_linked(client, musician):
    section = PieceSectionFactory(user=musician, section_name="Coda", piece__title="Romanza")
    response = client.get(
        NEW,
        query_string={
            "kind": "note",
            "notes": NOTE,
            "piece_id": section.piece_id,
            "section_id": section.id,
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert input_value(body, "title") == NOTE_TITLE
    assert _textarea(body, "notes") == NOTE
    assert _selected(body, "kind") == ["note"]
    assert _selected(body, "pieces") == [str(section.piece_id)]
    assert _selected(body, "sections") == [str(section.id)]

    response = client.post(
        NEW,
        data={
            "title": "Coda: thumb",
            "kind": "note",
            "url": "",
            "notes": NOTE,
            "pieces": [str(section.piece_id)],
            "sections": [str(section.id)],
        },
    )
    assert response.status_code == 302
    saved = db.session.query(Resource).one()
    assert (saved.user_id, saved.kind, saved.notes) == (musician.id, "note", NOTE)
    assert [s.id for s in saved.sections] == [section.id]


def test_a_given_title_wins_and_a_kind_not_offered_is_ignored(client, musician):
    body = client.get(NEW, query_string={"notes": NOTE, "title": "Mine", "kind": "script"}).text
    assert input_value(body, "title") == "Mine"
    assert _selected(body, "kind") == ["note"]  # the form's own default


def test_a_forged_goal_id_of_someone_else_is_not_pre_linked(client, musician):
    theirs = GoalFactory(name="THEIR-GOAL")
    mine = GoalFactory(user=musician, name="My goal")
    response = client.get(NEW, query_string={"notes": NOTE, "goal_id": theirs.id})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "THEIR-GOAL" not in body
    assert _selected(body, "goals") == []
    assert _textarea(body, "notes") == NOTE  # the note still comes, without the link
    assert f'<option value="{mine.id}">My goal</option>' in body  # the user's own, to choose
    # Nor can the save link it: their id is not among the choices, so it is refused beside
    # the field and nothing is saved.
    response = client.post(
        NEW,
        data={"title": "Forged", "kind": "note", "url": "", "notes": NOTE, "goals": [theirs.id]},
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.query(Resource).count() == 0


def test_a_saved_sessions_notes_each_offer_save_as_explanation(client, musician):
    goal_link = SessionGoalFactory(user=musician, next_time="Thirds in G at 96")
    section = PieceSectionFactory(user=musician)
    SessionPieceFactory(
        user=musician,
        session=goal_link.session,
        piece=section.piece,
        section=section,
        next_time="LH <b>leaps</b> & jumps",
    )
    SessionGoalFactory(user=musician, session=goal_link.session, next_time=None)
    session_id = goal_link.session_id
    response = client.get(f"/app/practice_session/details/?id={session_id}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "LH &lt;b&gt;leaps&lt;/b&gt; &amp; jumps" in body
    goal_url, piece_url = _save_links(body)  # none for the row without a note
    assert f"goal_id={goal_link.goal_id}" in goal_url
    assert f"url=/app/practice_session/details/?id%3D{session_id}" in goal_url

    form = client.get(piece_url).get_data(as_text=True)
    assert _textarea(form, "notes") == "LH <b>leaps</b> & jumps"
    assert input_value(form, "title") == "LH <b>leaps</b> & jumps"
    assert _selected(form, "pieces") == [str(section.piece_id)]
    assert _selected(form, "sections") == [str(section.id)]


def test_the_session_form_carries_the_script_that_saves_a_note(client, musician):
    for path in ("/app/practice_session/new/", "/app/timer/log"):
        response = client.get(path, follow_redirects=True)
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "js/next_time_note.js" in body
        assert 'data-new-explanation-url="/app/resource/new/"' in body


@pytest.mark.pure
@pytest.mark.parametrize(
    ("note", "title"),
    [
        ("Thirds in G at 96", "Thirds in G at 96"),
        ("  Slow   and\nsteady ", "Slow and steady"),
        (NOTE, NOTE_TITLE),
        ("x" * 80, "x" * 59 + "…"),
        ("", ""),
    ],
)
def test_a_title_is_the_first_words_of_the_note(note, title):
    assert first_words(note) == title
