"""Pieces with inline sections, and what a piece's page tells about its practice."""

import csv
import io
from datetime import UTC
from datetime import datetime

from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Piece
from tracker.models import PieceSection

LIST = "/app/piece/"


def test_create_piece_with_two_inline_sections(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        LIST + "new/",
        data={
            "title": "Nocturne Op. 9 No. 2",
            "composer": "Chopin",
            "difficulty": "4",
            "status": "learning",
            "date_started": "2026-10-01",
            "sections-0-section_name": "Bars 1-12",
            "sections-0-status": "polishing",
            "sections-0-position": "1",
            "sections-1-section_name": "Cadenza",
            "sections-1-status": "learning",
            "sections-1-position": "2",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    piece = db.session.query(Piece).one()
    assert (piece.user_id, piece.difficulty, piece.status) == (user.id, 4, "learning")
    assert [(s.section_name, s.status, s.user_id) for s in piece.sections] == [
        ("Bars 1-12", "polishing", user.id),
        ("Cadenza", "learning", user.id),
    ]


def test_piece_validation(client, auth):
    auth.login(UserFactory())
    response = client.post(
        LIST + "new/",
        data={"title": "", "status": "famous", "difficulty": "9", "sections-0-section_name": ""},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Give the piece a title." in body
    assert "Name the section." in body
    assert db.session.query(Piece).count() == 0
    assert db.session.query(PieceSection).count() == 0


def test_edit_section_status_inline_on_piece_form(client, auth):
    user = UserFactory()
    section = PieceSectionFactory(user=user, section_name="Intro", status="learning")
    piece = section.piece
    auth.login(user)
    response = client.post(
        f"{LIST}edit/?id={piece.id}",
        data={
            "title": piece.title,
            "status": "polishing",
            "sections-0-id": str(section.id),
            "sections-0-section_name": "Intro",
            "sections-0-status": "performance_ready",
            "sections-0-position": "0",
        },
    )
    assert response.status_code == 302
    db.session.refresh(section)
    assert section.status == "performance_ready"


def test_piece_details_show_time_last_practice_sections_and_sessions(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    section = PieceSectionFactory(user=user, section_name="Cadenza", status="polishing")
    piece = section.piece
    early = PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC),
        duration_minutes=40,
        notes="first go",
    )
    late = PracticeSessionFactory(
        user=user,
        started_at=datetime(2026, 6, 2, 18, 0, tzinfo=UTC),
        duration_minutes=90,
        notes="run-through",
    )
    SessionPieceFactory(user=user, session=early, piece=piece)
    SessionPieceFactory(user=user, session=late, piece=piece, section=section, minutes=25)
    auth.login(user)
    body = client.get(f"{LIST}details/?id={piece.id}").get_data(as_text=True)
    assert 'id="piece-total">1 h 5 min<' in body
    assert "Tue 2 Jun 2026" in body
    assert "Cadenza" in body and "Polishing" in body
    assert body.index("run-through") < body.index("first go")


def test_deleting_a_piece_deletes_its_sections(client, auth):
    user = UserFactory()
    section = PieceSectionFactory(user=user)
    auth.login(user)
    response = client.post(LIST + "delete/", data={"id": section.piece_id})
    assert response.status_code == 302
    assert db.session.query(PieceSection).count() == 0


def test_pieces_export_has_sections_with_status_and_notes_and_the_notes(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user, title="Gymnopédie", notes="Keep the left hand soft.")
    PieceSectionFactory(user=user, piece=piece, section_name="Intro", notes="Wrist\nlow")
    PieceSectionFactory(user=user, piece=piece, section_name="Coda", status="polishing")
    stranger = UserFactory()
    PieceSectionFactory(user=stranger, section_name="Not mine")
    auth.login(user)
    response = client.get(LIST + "export/csv/")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["Title"] for row in rows] == ["Gymnopédie"]
    assert rows[0]["Sections"] == "Intro (Learning: Wrist low); Coda (Polishing)"
    assert rows[0]["Notes and reflections"] == "Keep the left hand soft."


def test_pieces_export_escapes_a_formula_in_a_section(client, auth):
    user = UserFactory()
    piece = PieceFactory(user=user, notes="=cmd|' /C calc'!A0")
    PieceSectionFactory(user=user, piece=piece, section_name="@SUM(A1)")
    auth.login(user)
    rows = list(csv.reader(io.StringIO(client.get(LIST + "export/csv/").get_data(as_text=True))))
    assert rows[1][-2].startswith("'@SUM(A1)") and rows[1][-1].startswith("'=cmd")
