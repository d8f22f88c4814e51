"""Attachments: uploads checked by content and size, scoped downloads, files removed with rows."""

import io
import os
import re
import time

import pytest
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage

from tests.conftest import AuthActions
from tests.factories import AttachmentFactory
from tests.factories import PieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Attachment
from tracker.models import Piece
from tracker.uploads import TYPE_REFUSED
from tracker.uploads import clean_filename
from tracker.uploads import human_size
from tracker.uploads import save_upload
from tracker.uploads import sniff_content_type
from tracker.uploads import stored_path
from tracker.uploads import sweep_orphans

NEW = "/app/attachment/new/"
LIST = "/app/attachment/"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


@pytest.fixture(autouse=True)
def upload_folder(app, tmp_path, monkeypatch):
    """Keep this test's files in a temporary folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


def _files(folder):
    """Every file under folder, temporary ones included."""
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _upload(client, piece_id, content, filename="score.pdf"):
    return client.post(
        NEW,
        data={"piece": str(piece_id), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _view(app):
    return next(v for v in app.extensions["tracker_admin"]._views if v.endpoint == "attachment")


def test_upload_pdf_is_stored_under_the_user_and_listed(client, auth, upload_folder):
    user = UserFactory()
    piece = PieceFactory(user=user, title="Clair de lune")
    auth.login(user)
    response = _upload(client, piece.id, PDF)
    assert response.status_code == 302
    attachment = db.session.query(Attachment).one()
    assert attachment.user_id == user.id and attachment.piece_id == piece.id
    assert attachment.original_name == "score.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size_bytes == len(PDF)
    assert re.fullmatch(r"[0-9a-f]{32}", attachment.stored_name)
    path = upload_folder / str(user.id) / attachment.stored_name
    assert _files(upload_folder) == [path]
    assert path.read_bytes() == PDF

    body = client.get(LIST).get_data(as_text=True)
    assert f'href="/app/attachment/file/{attachment.id}"' in body
    assert ">score.pdf</a>" in body
    assert "Clair de lune" in body and "PDF" in body and f"{len(PDF)} bytes" in body


def test_html_named_pdf_is_refused_beside_the_field(client, auth, upload_folder):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    response = _upload(client, piece.id, b"<html><script>alert(1)</script></html>", "evil.pdf")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "invalid-feedback" in body
    assert TYPE_REFUSED in body
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_oversize_file_is_refused(app, client, auth, upload_folder, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1000)
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    response = _upload(client, piece.id, PDF + b"0" * 2000)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "invalid-feedback" in body
    assert "That file is larger than 1000 bytes." in body
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_empty_or_missing_file_is_refused(client, auth, upload_folder):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    body = _upload(client, piece.id, b"", "empty.pdf").get_data(as_text=True)
    assert "That file is empty." in body or "Choose a file to attach." in body
    response = client.post(NEW, data={"piece": str(piece.id)}, content_type="multipart/form-data")
    assert "Choose a file to attach." in response.get_data(as_text=True)
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_file_is_removed_when_another_field_fails(app, upload_folder):
    # A plain client: nothing rolls the session back after the request, as in production.
    client = FlaskClient(app, app.response_class, use_cookies=True)
    AuthActions(client).login(UserFactory())
    response = _upload(client, "", PDF)
    assert response.status_code == 200
    assert "Choose the piece this file belongs to." in response.get_data(as_text=True)
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_file_is_removed_when_the_row_is_not_saved(app, client, auth, upload_folder, monkeypatch):
    def refuse(form, model, is_created):
        raise ValueError("database said no")

    monkeypatch.setattr(_view(app), "on_model_change", refuse)
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    response = _upload(client, piece.id, PDF)
    assert response.status_code == 200
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_too_large_request_gets_plain_413(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200)
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    response = _upload(client, piece.id, PDF + b"0" * 1000)
    assert response.status_code == 413
    assert "That file is too large." in response.get_data(as_text=True)
    assert db.session.query(Attachment).count() == 0


def test_owner_downloads_pdf_inline_with_its_name(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    _upload(client, piece.id, PDF, "Clair de lune.pdf")
    attachment = db.session.query(Attachment).one()
    response = client.get(f"/app/attachment/file/{attachment.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;") and "Clair de lune.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in response.headers["Cache-Control"]
    assert response.get_data() == PDF


def test_audio_is_downloaded_as_attachment(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    assert _upload(client, piece.id, MP3, "take 3.mp3").status_code == 302
    attachment = db.session.query(Attachment).one()
    assert attachment.content_type == "audio/mpeg"
    response = client.get(f"/app/attachment/file/{attachment.id}")
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "take 3.mp3" in response.headers["Content-Disposition"]


def test_other_user_gets_404_and_cannot_attach_to_her_piece(client, auth, upload_folder):
    alice = UserFactory()
    bob = UserFactory()
    alices_piece = PieceFactory(user=alice, title="Alice's sonata")
    auth.login(alice)
    _upload(client, alices_piece.id, PDF)
    attachment = db.session.query(Attachment).one()
    auth.logout()

    auth.login(bob)
    response = client.get(f"/app/attachment/file/{attachment.id}")
    assert response.status_code == 404
    assert PDF.decode() not in response.get_data(as_text=True)
    form = client.get(f"{NEW}?piece_id={alices_piece.id}").get_data(as_text=True)
    assert "Alice&#39;s sonata" not in form and "Alice's sonata" not in form
    assert f'value="{alices_piece.id}"' not in form
    response = _upload(client, alices_piece.id, PDF)
    assert response.status_code == 200
    assert db.session.query(Attachment).filter_by(user_id=bob.id).count() == 0
    assert not (upload_folder / str(bob.id)).exists() or _files(upload_folder / str(bob.id)) == []


def test_create_form_preselects_the_piece_from_the_url(client, auth):
    user = UserFactory()
    PieceFactory(user=user, title="Etude")
    nocturne = PieceFactory(user=user, title="Nocturne")
    auth.login(user)
    body = client.get(f"{NEW}?piece_id={nocturne.id}").get_data(as_text=True)
    selected = re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", body)
    assert selected == [str(nocturne)]
    assert 'type="file"' in body and 'accept=".pdf' in body


def test_deleting_a_piece_removes_its_attachments_and_files(client, auth, upload_folder):
    user = UserFactory()
    piece = PieceFactory(user=user)
    kept = PieceFactory(user=user)
    auth.login(user)
    _upload(client, piece.id, PDF, "one.pdf")
    _upload(client, piece.id, MP3, "two.mp3")
    _upload(client, kept.id, PDF, "kept.pdf")
    assert len(_files(upload_folder)) == 3
    kept_row = db.session.query(Attachment).filter_by(piece_id=kept.id).one()
    kept_file = upload_folder / str(user.id) / kept_row.stored_name

    db.session.delete(db.session.get(Piece, piece.id))
    db.session.commit()
    assert [a.original_name for a in db.session.query(Attachment)] == ["kept.pdf"]
    assert _files(upload_folder) == [kept_file]


def test_delete_in_admin_removes_the_file(client, auth, upload_folder):
    user = UserFactory()
    piece = PieceFactory(user=user)
    auth.login(user)
    _upload(client, piece.id, PDF)
    attachment = db.session.query(Attachment).one()
    response = client.post("/app/attachment/delete/", data={"id": attachment.id})
    assert response.status_code == 302
    assert db.session.query(Attachment).count() == 0
    assert _files(upload_folder) == []


def test_rolled_back_delete_keeps_the_file(upload_folder):
    attachment = AttachmentFactory()
    path = stored_path(attachment.user_id, attachment.stored_name)
    upload_folder.joinpath(str(attachment.user_id)).mkdir(parents=True)
    open(path, "wb").close()
    db.session.delete(attachment)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert db.session.query(Attachment).count() == 1
    assert _files(upload_folder) != []


def test_stored_file_follows_the_transaction(upload_folder):
    piece = PieceFactory()

    def attach():
        upload = FileStorage(io.BytesIO(PDF), "score.pdf")
        stored_name, content_type, size = save_upload(upload, piece.user_id)
        db.session.add(
            Attachment(
                user_id=piece.user_id,
                piece_id=piece.id,
                original_name="score.pdf",
                content_type=content_type,
                size_bytes=size,
                stored_name=stored_name,
            )
        )
        db.session.flush()
        return upload_folder / str(piece.user_id) / stored_name

    rolled_back = attach()
    db.session.rollback()
    assert not rolled_back.exists()
    committed = attach()
    db.session.commit()
    db.session.rollback()
    assert _files(upload_folder) == [committed]


def test_other_users_delete_leaves_file_alone(client, auth, upload_folder):
    alice = UserFactory()
    piece = PieceFactory(user=alice)
    auth.login(alice)
    _upload(client, piece.id, PDF)
    attachment = db.session.query(Attachment).one()
    auth.logout()
    auth.login(UserFactory())
    client.post("/app/attachment/delete/", data={"id": attachment.id})
    assert db.session.query(Attachment).count() == 1
    assert len(_files(upload_folder)) == 1


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00", "image/gif"),
        (b"GIF87a\x01\x00\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"ID3\x03\x00\x00\x00\x00\x0f\x76", "audio/mpeg"),
        (b"\xff\xfb\x90\x64\x00\x00", "audio/mpeg"),
        (b"\xff\xf3\x84\xc4\x00\x00", "audio/mpeg"),
        (b"RIFF\x24\x08\x00\x00WAVEfmt ", "audio/wav"),
        (b"OggS\x00\x02\x00\x00\x00\x00", "audio/ogg"),
        (b"fLaC\x00\x00\x00\x22\x10\x00", "audio/flac"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00", "audio/mp4"),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00", "audio/mp4"),
        (b"\x00\x00\x00\x1cftypmp42\x00\x00\x00\x00", "audio/mp4"),
    ],
)
def test_sniff_recognises_each_supported_type(head, expected):
    assert sniff_content_type(head) == expected


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"<html><body>",
        b"<?xml version='1.0'?><svg",
        b"PK\x03\x04\x14\x00\x06\x00",  # a .docx or .zip
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"RIFF\x24\x00\x00\x00AVI LIST",
        b"\x00\x00\x00\x14ftypqt  \x00\x00",  # a QuickTime movie
        b"\xff\xf1\x50\x80\x02\x1f",  # an AAC stream, not MP3
        b"%PD",
        b"just some text",
    ],
)
def test_sniff_refuses_other_content(head):
    assert sniff_content_type(head) is None


def test_clean_filename_keeps_a_readable_name():
    assert clean_filename("C:\\Users\\me\\Clair de lune.pdf") == "Clair de lune.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("score\u202efdp.exe") == "scorefdp.exe"
    assert clean_filename('a "quoted"\tname.pdf') == "a quoted name.pdf"
    assert clean_filename("   ") == "file"
    long_name = clean_filename("x" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


def test_human_size():
    assert human_size(512) == "512 bytes"
    assert human_size(1536) == "1.5 KB"
    assert human_size(20 * 1024 * 1024) == "20 MB"


def test_sweep_removes_a_deleted_users_files_and_keeps_the_rest(app, client, auth, upload_folder):
    gone, stays = UserFactory(), UserFactory()
    for user in (gone, stays):
        auth.login(user)
        _upload(client, PieceFactory(user=user).id, PDF)
        auth.logout()
    [kept] = [path for path in _files(upload_folder) if path.parent.name == str(stays.id)]
    db.session.delete(gone)  # the database cascades; the file stays behind
    db.session.commit()
    assert len(_files(upload_folder)) == 2

    assert sweep_orphans(app) == []  # too young: it may be an upload on its way
    an_hour_ago = time.time() - 3700
    for path in _files(upload_folder):
        os.utime(path, (an_hour_ago, an_hour_ago))
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["sweep-uploads", "--dry-run"])
    assert "Would remove 1 file(s)." in listed.output
    assert len(_files(upload_folder)) == 2
    result = runner.invoke(args=["sweep-uploads"])
    assert result.exit_code == 0 and "Removed 1 file(s)." in result.output
    assert _files(upload_folder) == [kept]
    assert not (upload_folder / str(gone.id)).exists()
