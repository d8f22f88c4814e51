"""Explanations in the app: create, read, change and delete; links, web addresses and a file."""

import io

import pytest

from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import ResourceFactory
from tests.factories import UserFactory
from tests.test_attachments import PDF
from tracker.extensions import db
from tracker.models import Attachment
from tracker.models import Resource

NEW = "/app/resource/new/"
LIST = "/app/resource/"


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Keep this test's files in a temporary folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


@pytest.fixture
def musician(client, auth):
    user = UserFactory()
    auth.login(user)
    return user


def _form(**fields):
    return {"title": "How a barre works", "kind": "note", "url": "", "notes": "", **fields}


def test_explanations_list_starts_with_a_helpful_empty_state(client, musician):
    response = client.get(LIST)
    assert response.status_code == 200
    assert "No explanations yet. Save a video" in response.get_data(as_text=True)


def test_the_navbar_names_explanations(client, musician):
    body = client.get("/app/").get_data(as_text=True)
    assert 'href="/app/resource/">Explanations</a>' in body


def test_create_an_explanation_with_links(client, musician):
    goal = GoalFactory(user=musician, name="Barre chords")
    piece = PieceFactory(user=musician, title="Romanza")
    section = PieceSectionFactory(user=musician, piece=piece, section_name="Bars 1–8")
    focus = FocusAreaFactory(user=musician, name="Technique")
    response = client.post(
        NEW,
        data=_form(
            kind="video",
            url="https://example.com/barre",
            notes="Thumb behind the neck.\nRoll the index finger.",
            goals=[str(goal.id)],
            pieces=[str(piece.id)],
            sections=[str(section.id)],
            focus_areas=[str(focus.id)],
        ),
    )
    assert response.status_code == 302
    resource = db.session.query(Resource).one()
    assert (resource.user_id, resource.title, resource.kind) == (
        musician.id,
        "How a barre works",
        "video",
    )
    assert resource.url == "https://example.com/barre"
    assert [g.id for g in resource.goals] == [goal.id]
    assert [p.id for p in resource.pieces] == [piece.id]
    assert [s.id for s in resource.sections] == [section.id]
    assert [f.id for f in resource.focus_areas] == [focus.id]

    body = client.get(LIST).get_data(as_text=True)
    assert "How a barre works" in body and "Video" in body
    assert '<a href="https://example.com/barre" target="_blank" rel="noopener noreferrer"' in body
    details = client.get(f"/app/resource/details/?id={resource.id}").get_data(as_text=True)
    assert "Thumb behind the neck." in details and "Barre chords" in details


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "https://",
        "https://exa mple.com",
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused_beside_the_field(client, musician, url):
    response = client.post(NEW, data=_form(url=url))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Enter a web address starting with http:// or https://." in body
    assert db.session.query(Resource).count() == 0


def test_the_database_refuses_a_script_address(musician):
    resource = ResourceFactory(user=musician)
    resource.url = "javascript:alert(1)"
    with pytest.raises(Exception, match="url_is_web_address"):
        db.session.commit()
    db.session.rollback()


def test_edit_and_delete_an_explanation(client, musician):
    resource = ResourceFactory(user=musician, title="Old title")
    response = client.post(
        f"/app/resource/edit/?id={resource.id}", data=_form(title="Vibrato, slowly", kind="article")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (resource.title, resource.kind) == ("Vibrato, slowly", "article")
    response = client.post("/app/resource/delete/", data={"id": resource.id})
    assert response.status_code == 302
    assert db.session.query(Resource).count() == 0


def test_save_an_explanation_from_a_goal_page_pre_links_the_goal(client, musician):
    goal = GoalFactory(user=musician, name="Barre chords")
    page = client.get(f"/app/goal/details/?id={goal.id}").get_data(as_text=True)
    assert "Save an explanation" in page
    assert f"/app/resource/new/?goal_id={goal.id}" in page
    form = client.get(f"{NEW}?goal_id={goal.id}").get_data(as_text=True)
    assert f'<option selected value="{goal.id}">Barre chords</option>' in form


def test_pre_linking_ignores_ids_that_are_not_the_users(client, musician):
    theirs = GoalFactory(name="Someone else's goal")
    piece = PieceFactory(user=musician, title="Romanza")
    response = client.get(f"{NEW}?goal_id={theirs.id}&piece_id={piece.id}&section_id=x")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else" not in body
    assert f'<option selected value="{piece.id}">Romanza' in body


def test_goal_and_piece_pages_list_their_explanations(client, musician):
    goal = GoalFactory(user=musician)
    piece = PieceFactory(user=musician)
    section = PieceSectionFactory(user=musician, piece=piece, section_name="Coda")
    ResourceFactory(user=musician, title="For the goal", goals=[goal])
    ResourceFactory(user=musician, title="For the piece", pieces=[piece])
    ResourceFactory(user=musician, title="For the coda", sections=[section])
    other = UserFactory()
    ResourceFactory(user=other, title="Not mine", goals=[GoalFactory(user=other)])

    goal_page = client.get(f"/app/goal/details/?id={goal.id}").get_data(as_text=True)
    assert "For the goal" in goal_page
    assert "For the piece" not in goal_page and "Not mine" not in goal_page
    piece_page = client.get(f"/app/piece/details/?id={piece.id}").get_data(as_text=True)
    assert "For the piece" in piece_page and "For the coda" in piece_page
    assert f"section_id={section.id}" in piece_page
    assert "For the goal" not in piece_page


def test_an_item_without_explanations_says_how_to_add_one(client, musician):
    goal = GoalFactory(user=musician)
    page = client.get(f"/app/goal/details/?id={goal.id}").get_data(as_text=True)
    assert "Nothing kept yet." in page


def test_a_file_is_kept_replaced_and_removed_with_its_explanation(client, musician, upload_folder):
    response = client.post(
        NEW,
        data={**_form(), "file": (io.BytesIO(PDF), "barre.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    resource = db.session.query(Resource).one()
    first = db.session.query(Attachment).one()
    assert (first.resource_id, first.piece_id, first.original_name) == (
        resource.id,
        None,
        "barre.pdf",
    )
    first_path = upload_folder / str(musician.id) / first.stored_name
    assert first_path.read_bytes() == PDF
    details = client.get(f"/app/resource/details/?id={resource.id}").get_data(as_text=True)
    assert f'href="/app/attachment/file/{first.id}"' in details
    assert client.get(f"/app/attachment/file/{first.id}").data == PDF

    response = client.post(
        f"/app/resource/edit/?id={resource.id}",
        data={**_form(), "file": (io.BytesIO(PDF + b"%more"), "barre-2.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    second = db.session.query(Attachment).one()
    assert second.original_name == "barre-2.pdf" and not first_path.exists()

    response = client.post(
        f"/app/resource/edit/?id={resource.id}", data={**_form(), "remove_file": "y"}
    )
    assert response.status_code == 302
    assert db.session.query(Attachment).count() == 0
    assert not (upload_folder / str(musician.id) / second.stored_name).exists()


def test_a_file_that_is_not_accepted_is_refused_beside_the_field(client, musician, upload_folder):
    response = client.post(
        NEW,
        data={**_form(), "file": (io.BytesIO(b"<html><script>x</script>"), "notes.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "can be attached" in response.get_data(as_text=True)
    assert db.session.query(Resource).count() == 0
    assert not [p for p in upload_folder.rglob("*") if p.is_file()]


def test_deleting_an_explanation_removes_its_file(client, musician, upload_folder):
    client.post(
        NEW,
        data={**_form(), "file": (io.BytesIO(PDF), "barre.pdf")},
        content_type="multipart/form-data",
    )
    attachment = db.session.query(Attachment).one()
    path = upload_folder / str(musician.id) / attachment.stored_name
    assert path.exists()
    resource_id = attachment.resource_id
    client.post("/app/resource/delete/", data={"id": resource_id})
    assert db.session.query(Attachment).count() == 0
    assert not path.exists()


def test_list_filters_by_kind_and_search_finds_notes(client, musician):
    ResourceFactory(user=musician, title="Barre", kind="video", notes="thumb behind the neck")
    ResourceFactory(user=musician, title="Scales", kind="book", notes="two octaves")
    body = client.get(f"{LIST}?search=neck").get_data(as_text=True)
    assert "Barre" in body and "Scales" not in body
