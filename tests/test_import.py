"""CSV import of sessions: the export's file comes back whole, all or nothing, on both faces."""

import csv
import io
from datetime import UTC
from datetime import datetime

import pytest

from tests.factories import FocusAreaFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import PracticeSessionFactory
from tests.factories import SessionGoalFactory
from tests.factories import SessionPieceFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures.export import EXPORT_COLUMNS
from tracker.imports.sessions import ImportRefused
from tracker.imports.sessions import check_file
from tracker.imports.sessions import save_import
from tracker.models import FocusArea
from tracker.models import Instrument
from tracker.models import PracticeSession
from tracker.models import SessionGoal
from tracker.models import SessionPiece
from tracker.timezones import user_zone

IMPORT_URL = "/api/v1/import/sessions"
EXPORT_URL = "/api/v1/stats/export.csv?start=2020-01-01&end=2026-12-31"


def csv_file(*rows, header=EXPORT_COLUMNS):
    """The bytes of a CSV file with header and rows (dicts by column, or lists)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header] if isinstance(row, dict) else row)
    return buffer.getvalue().encode()


def line(day="2026-03-02", at="18:30", minutes=30, **cells):
    """One row of an import file."""
    return {"Date": day, "Time": at, "Minutes": str(minutes), **cells}


def upload(data, name="practice.csv"):
    return {"file": (io.BytesIO(data), name)}


def post_file(client, data, dry_run=None, **kwargs):
    url = IMPORT_URL + ("" if dry_run is None else f"?dry_run={dry_run}")
    return client.post(url, data=upload(data), content_type="multipart/form-data", **kwargs)


def sessions_of(user):
    db.session.expire_all()
    return (
        db.session.query(PracticeSession)
        .filter_by(user_id=user.id)
        .order_by(PracticeSession.started_at, PracticeSession.id)
        .all()
    )


def test_export_import_export_gives_identical_rows(client, auth):
    alice = UserFactory(timezone="Europe/Berlin")
    piano = InstrumentFactory(user=alice, name="Piano")
    scales = FocusAreaFactory(user=alice, name="Scales")
    warm_up = FocusAreaFactory(user=alice, name="@Warm-up")
    sight = FocusAreaFactory(user=alice, name="Sight-reading")
    goal = GoalFactory(user=alice, name="Grade 5")
    piece = PieceFactory(user=alice, title="Clair de lune")
    section = PieceSectionFactory(user=alice, piece=piece)
    first = PracticeSessionFactory(
        user=alice,
        started_at=datetime(2026, 3, 2, 17, 30, 20, tzinfo=UTC),
        instrument=piano,
        focus_areas=[scales, warm_up, sight],
        notes="=cmd()\nsecond line, with “quotes” and a comma",
    )
    SessionGoalFactory(user=alice, session=first, goal=goal, minutes=10)
    SessionPieceFactory(user=alice, session=first, piece=piece, section=section)
    SessionPieceFactory(user=alice, session=first, piece=piece)
    # 02:30 twice on the night the clocks go back, then a bare session.
    PracticeSessionFactory(
        user=alice, started_at=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), duration_minutes=20
    )
    PracticeSessionFactory(
        user=alice,
        started_at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        duration_minutes=25,
        notes="\tTabbed",
    )
    PracticeSessionFactory(
        user=alice,
        started_at=datetime(2026, 11, 1, 23, 59, tzinfo=UTC),
        notes=None,
        mood_rating=None,
        quality_rating=None,
    )
    auth.login(alice)
    exported = client.get(EXPORT_URL).get_data()
    # Alice's own file again: every line is a session she has (to the minute).
    again = post_file(client, exported).get_json()
    assert (again["created"], again["duplicates"]) == (0, 4)
    auth.logout()

    bob = UserFactory(timezone="Europe/Berlin")
    GoalFactory(user=bob, name="Grade 5")
    PieceFactory(user=bob, title="Clair de lune")
    auth.login(bob)
    response = post_file(client, exported)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["created"], body["duplicates"], body["errors"]) == (4, 0, [])
    assert (body["new_instruments"], body["new_focus_areas"]) == (
        ["Piano"],
        ["@Warm-up", "Scales", "Sight-reading"],
    )
    assert [notice.split(":")[0] for notice in body["notices"]] == [
        "Focus areas on line 2",
        "Notes on lines 2, 4",
    ]
    assert client.get(EXPORT_URL).get_data() == exported
    # Exported times are to the minute, so the import starts on the minute.
    assert sessions_of(bob)[0].started_at == datetime(2026, 3, 2, 17, 30, tzinfo=UTC)


def test_names_are_matched_to_the_users_own_and_new_ones_created(client, auth):
    user = UserFactory()
    InstrumentFactory(user=user, name="Piano")
    FocusAreaFactory(user=user, name="Scales, major")
    goal = GoalFactory(user=user, name="Grade 5")
    piece = PieceFactory(user=user, title="Clair de lune")
    auth.login(user)
    data = csv_file(
        line(
            Instrument="piano",
            **{"Focus areas": "Arpeggios, Scales, major"},
            Goals="Grade 5",
            Pieces="clair de lune",
        ),
        line(at="19:00", Instrument="Cello", **{"Focus areas": "arpeggios"}),
    )
    response = post_file(client, data)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["new_instruments"], body["new_focus_areas"]) == (["Cello"], ["Arpeggios"])
    first, second = sessions_of(user)
    assert first.instrument.name == "Piano"
    assert [f.name for f in first.focus_areas] == ["Arpeggios", "Scales, major"]
    assert [link.goal_id for link in first.goal_links] == [goal.id]
    assert [link.piece_id for link in first.piece_links] == [piece.id]
    assert (second.instrument.name, [f.name for f in second.focus_areas]) == (
        "Cello",
        ["Arpeggios"],
    )
    assert db.session.query(Instrument).filter_by(user_id=user.id).count() == 2


def test_one_bad_line_saves_nothing_and_every_message_is_listed(client, auth):
    user = UserFactory()
    auth.login(user)
    data = csv_file(
        line(Instrument="Piano", **{"Focus areas": "Scales"}),
        line(at="19:00"),
        line(at="20:00", minutes="abc"),
        line(at="21:00", Goals="Grade 5", Pieces="Clair de lune"),
    )
    response = post_file(client, data)
    assert response.status_code == 422
    assert response.get_json()["message"] == "Nothing was imported: the file has 3 problems."
    assert response.get_json()["errors"] == [
        {"line": 4, "column": "Minutes", "message": "“abc” is not a number of minutes."},
        {
            "line": 5,
            "column": "Goals",
            "message": "you have no goal called “Grade 5”. Add it first, or take it out of "
            "the file.",
        },
        {
            "line": 5,
            "column": "Pieces",
            "message": "you have no piece called “Clair de lune”. Add it first, or take it "
            "out of the file.",
        },
    ]
    assert sessions_of(user) == []
    assert db.session.query(Instrument).count() == 0
    assert db.session.query(FocusArea).count() == 0


def test_a_clash_while_saving_rolls_back_every_row(app):
    user = UserFactory()
    data = csv_file(line(Instrument="Piano"), line(at="19:00", Instrument="Piano"))
    with app.test_request_context():
        plan = check_file(user.id, user_zone(user), data)
    assert plan.ok and plan.new_instruments == ["Piano"]
    # Someone adds the instrument between the check and the save.
    InstrumentFactory(user=user, name="Piano")
    with pytest.raises(ImportRefused) as refused:
        save_import(user.id, plan)
    assert str(refused.value.plan.problems[-1]).startswith("Something changed while importing")
    assert sessions_of(user) == []
    assert db.session.query(Instrument).count() == 1


def test_duplicates_are_skipped_and_counted(client, auth):
    user = UserFactory()
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 2, 18, 30, 40, tzinfo=UTC), duration_minutes=30
    )
    auth.login(user)
    data = csv_file(
        line(minutes=30),  # already in the log (to the minute)
        line(minutes=45),  # same start, other length: a session of its own
        line(at="19:00"),
        line(at="19:00"),  # the line before, again
    )
    response = post_file(client, data)
    assert response.status_code == 201
    assert (response.get_json()["created"], response.get_json()["duplicates"]) == (2, 2)
    assert sorted((s.started_at.hour, s.duration_minutes) for s in sessions_of(user)) == [
        (18, 30),
        (18, 45),
        (19, 30),
    ]


def test_a_time_the_clocks_skip_is_refused(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    auth.login(user)
    response = post_file(client, csv_file(line(day="2026-03-29", at="02:30")))
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {
            "line": 2,
            "column": "Time",
            "message": "02:30 on 2026-03-29 does not exist in Europe/Berlin (the clocks went "
            "forward then).",
        }
    ]


def test_times_are_read_in_the_users_zone(client, auth):
    user = UserFactory(timezone="America/New_York")
    auth.login(user)
    assert post_file(client, csv_file(line(day="2026-07-01", at="08:15"))).status_code == 201
    assert sessions_of(user)[0].started_at == datetime(2026, 7, 1, 12, 15, tzinfo=UTC)


def test_the_size_cap_comes_from_the_config(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100)
    user = UserFactory()
    auth.login(user)
    response = post_file(client, csv_file(*[line(at=f"1{n}:00") for n in range(5)]))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"].startswith(
        "The file is larger than 100 bytes, the most one import takes."
    )
    assert sessions_of(user) == []


def test_the_row_cap_comes_from_the_config(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    auth.login(UserFactory())
    response = post_file(client, csv_file(*[line(at=f"1{n}:00") for n in range(3)]))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["message"].startswith("The file has more than 2")


def test_api_dry_run_saves_nothing(client, auth):
    user = UserFactory()
    auth.login(user)
    data = csv_file(line(Instrument="Piano", **{"Focus areas": "Scales, Arpeggios"}))
    response = post_file(client, data, dry_run=1)
    assert response.status_code == 200
    assert response.get_json() == {
        "dry_run": True,
        "created": 1,
        "duplicates": 0,
        "new_focus_areas": ["Scales", "Arpeggios"],
        "new_instruments": ["Piano"],
        "notices": [],
        "errors": [],
    }
    assert sessions_of(user) == []
    assert db.session.query(Instrument).count() == 0
    assert post_file(client, data, dry_run=0).status_code == 201
    assert len(sessions_of(user)) == 1


def test_api_refuses_a_missing_file_and_a_bad_dry_run(client, auth):
    auth.login(UserFactory())
    response = client.post(IMPORT_URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"line": None, "column": "file", "message": "No file was sent."}
    ]
    response = post_file(client, csv_file(line()), dry_run="yes")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["column"] == "dry_run"
    response = post_file(client, b"\xff\xfe\x00D\x00a")
    assert response.status_code == 422
    assert "not UTF-8" in response.get_json()["errors"][0]["message"]


def test_api_import_needs_sign_in(client):
    response = post_file(client, csv_file(line()))
    assert response.status_code == 401
    assert db.session.query(PracticeSession).count() == 0


def test_api_import_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/import/sessions"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert body["properties"]["file"] == {
        "type": "string",
        "format": "binary",
        "description": body["properties"]["file"]["description"],
    }
    assert [p["name"] for p in operation["parameters"]] == ["dry_run"]
    assert {"200", "201", "422"} <= set(operation["responses"])


def test_cookie_import_needs_the_csrf_header(csrf_client, csrf_auth):
    user = UserFactory()
    csrf_auth.login(user)
    response = post_file(csrf_client, csv_file(line()))
    assert response.status_code == 400
    assert sessions_of(user) == []


def test_checking_and_saving_take_the_same_queries_for_3_or_30_lines(app, count_queries):
    user = UserFactory()
    GoalFactory(user=user, name="Grade 5")

    def run(lines):
        data = csv_file(
            *[
                line(
                    day=f"2026-04-{n % 28 + 1:02d}",
                    at=f"{n % 24:02d}:{lines:02d}",
                    Instrument=f"Piano {n}",
                    Goals="Grade 5",
                    **{"Focus areas": f"F{n}"},
                )
                for n in range(lines)
            ]
        )
        with app.test_request_context():
            plan = check_file(user.id, user_zone(user), data)
            save_import(user.id, plan)

    assert count_queries(lambda: run(3)) == count_queries(lambda: run(30))
    assert db.session.query(SessionGoal).count() == 33
    assert db.session.query(SessionPiece).count() == 0


# -- the page: Settings → Import sessions ----------------------------------------------


def post_page(client, data, step):
    return client.post(
        "/app/import/",
        data={"step": step, **upload(data)},
        content_type="multipart/form-data",
    )


def test_page_explains_itself_and_is_linked_from_the_log(client, auth):
    auth.login(UserFactory(timezone="Europe/Vienna"))
    page = " ".join(client.get("/app/import/").get_data(as_text=True).split())
    assert "Check the file" in page
    assert "Times are read in your time zone, Europe/Vienna." in page
    assert "Up to 5 MB and 50,000 sessions at a time." in page
    log = client.get("/app/practice_session/").get_data(as_text=True)
    assert "Import from a CSV file" in log and 'href="/app/import/"' in log


def test_page_checks_then_imports(client, auth):
    user = UserFactory()
    PracticeSessionFactory(
        user=user, started_at=datetime(2026, 3, 2, 18, 30, tzinfo=UTC), duration_minutes=30
    )
    auth.login(user)
    data = csv_file(
        line(),
        line(at="19:00", Instrument="Piano", Notes="'=1+1"),
        line(at="20:00", **{"Focus areas": "Scales"}),
    )
    page = post_page(client, data, "check")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<strong>2</strong> sessions to import" in html
    assert "<strong>1</strong> line is already in your log" in html
    assert "New instruments to add: Piano" in html
    assert "New focus areas to add: Scales" in html
    assert 'id="import-preview"' in html and "=1+1" in html
    assert "Notes on line 3: the &#39; in front was taken off." in html
    assert "Import 2 sessions" in html
    assert len(sessions_of(user)) == 1

    response = post_page(client, data, "import")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/app/practice_session/")
    assert len(sessions_of(user)) == 3
    log = client.get("/app/practice_session/").get_data(as_text=True)
    assert "Imported 2 sessions. Skipped 1 line already in your log or repeated" in log

    again = post_page(client, data, "check").get_data(as_text=True)
    assert "Nothing new to import: every line of this file is already in your" in again


def test_page_lists_every_problem_and_imports_nothing(client, auth):
    user = UserFactory()
    auth.login(user)
    data = csv_file(line(minutes="abc"), line(at="19:00", Goals="Grade 5"))
    for step in ("check", "import"):
        html = post_page(client, data, step).get_data(as_text=True)
        assert "Nothing can be imported yet: fix these 2 problems" in html
        assert "Line 2, Minutes: “abc” is not a number of minutes." in html
        assert "Line 3, Goals: you have no goal called “Grade 5”." in html
        assert "Import 1 session" not in html
    assert sessions_of(user) == []


@pytest.mark.parametrize(
    "data, message",
    [
        ("Date,Time,Minutes\n2026-03-02,18:30,45\n".encode("utf-16"), "is not UTF-8 text"),
        (b"2026-03-02,18:30,45\n", "the first line must name the columns"),
        (b"Date,Time,Minutes\n2026-03-02,18:30,x\n", "Line 2, Minutes: “x” is not a number"),
        (b"", "The file is empty"),
    ],
)
def test_page_shows_each_message(client, auth, data, message):
    auth.login(UserFactory())
    html = post_page(client, data, "check").get_data(as_text=True)
    assert message in html


def test_page_shows_the_size_cap(app, client, auth, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 50)
    auth.login(UserFactory())
    html = post_page(client, csv_file(line(), line(at="19:00")), "check").get_data(as_text=True)
    assert "The file is larger than 50 bytes" in html


def test_page_asks_for_the_file_again_when_import_comes_without_one(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        "/app/import/", data={"step": "import"}, content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert "Choose the file again, then press Import" in response.get_data(as_text=True)
    assert sessions_of(user) == []


def test_a_cell_is_split_at_commas_keeping_known_names_whole(app):
    user = UserFactory()
    FocusAreaFactory(user=user, name="Scales, major, two octaves")
    FocusAreaFactory(user=user, name="Scales")
    cell = "Arpeggios, Scales, major, two octaves, Scales, scales, major"
    with app.test_request_context():
        plan = check_file(user.id, user_zone(user), csv_file(line(**{"Focus areas": cell})))
    assert plan.sessions[0].focus_areas == (
        "Arpeggios",
        "Scales, major, two octaves",
        "Scales",
        "major",
    )
    assert plan.new_focus_areas == ["Arpeggios", "major"]
