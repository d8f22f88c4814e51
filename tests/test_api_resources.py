"""/api/v1 goals, pieces and sections, equipment and maintenance, reminders: through a token."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.factories import EquipmentFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PieceFactory
from tests.factories import PieceSectionFactory
from tests.factories import ReminderFactory
from tests.factories import UserFactory
from tracker.access_tokens import create_token
from tracker.extensions import db
from tracker.figures.cache import forget_user
from tracker.models import Equipment
from tracker.models import Goal
from tracker.models import MaintenanceLog
from tracker.models import Piece
from tracker.models import PieceSection
from tracker.models import Reminder


def bearer(user):
    """Headers that sign requests in as user with a fresh personal access token."""
    _token, secret = create_token(user.id, "script")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def musician():
    return UserFactory(timezone="Europe/Vienna")


@pytest.fixture
def headers(musician):
    return bearer(musician)


def fresh(model, pk):
    """The row as the database has it now."""
    db.session.expire_all()
    return db.session.get(model, pk)


def errors_of(response):
    """The field messages of a 422 body."""
    assert response.status_code == 422, response.get_json()
    return response.get_json()["errors"]["json"]


def test_goal_round_trip(client, musician, headers):
    instrument = InstrumentFactory(user=musician)
    piece = PieceFactory(user=musician)
    section = PieceSectionFactory(user=musician, piece=PieceFactory(user=musician))
    body = {
        "name": "Nocturne by heart",
        "goal_type": "piece",
        "instrument_id": instrument.id,
        "target_date": "2027-06-30",
        "status": "in_progress",
        "priority": "high",
        "target_minutes": 600,
        "notes": "Slow first.",
        "piece_ids": [piece.id],
        "section_ids": [section.id],
    }
    created = client.post("/api/v1/goals", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    goal = created.get_json()
    assert {key: goal[key] for key in body} == body
    assert goal["archived"] is False and goal["completed_at"] is None
    row = fresh(Goal, goal["id"])
    assert (row.user_id, row.priority, [p.id for p in row.pieces]) == (musician.id, 3, [piece.id])

    assert client.get(f"/api/v1/goals/{goal['id']}", headers=headers).get_json() == goal
    listed = client.get("/api/v1/goals", headers=headers)
    assert [item["id"] for item in listed.get_json()] == [goal["id"]]
    assert '"total": 1' in listed.headers["X-Pagination"]

    changed = client.patch(
        f"/api/v1/goals/{goal['id']}",
        json={"status": "completed", "priority": "low", "section_ids": []},
        headers=headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["completed_at"] is not None
    assert changed.get_json()["section_ids"] == []
    row = fresh(Goal, goal["id"])
    assert (row.status, row.priority, row.sections) == ("completed", 1, [])
    assert row.completed_at is not None

    assert client.delete(f"/api/v1/goals/{goal['id']}", headers=headers).status_code == 204
    assert fresh(Goal, goal["id"]) is None


@pytest.mark.parametrize("name, stored", [("low", 1), ("medium", 2), ("high", 3)])
def test_goal_priority_is_a_word_in_json_and_a_number_stored(client, headers, name, stored):
    response = client.post(
        "/api/v1/goals", json={"name": "Scales", "priority": name}, headers=headers
    )
    assert response.status_code == 201
    assert response.get_json()["priority"] == name
    assert fresh(Goal, response.get_json()["id"]).priority == stored


def test_goal_priority_refuses_other_words(client, headers):
    response = client.post("/api/v1/goals", json={"name": "Scales", "priority": 3}, headers=headers)
    assert "priority" in errors_of(response)
    response = client.post(
        "/api/v1/goals", json={"name": "Scales", "priority": "urgent"}, headers=headers
    )
    assert errors_of(response)["priority"] == ["Must be one of: high, medium, low."]
    assert db.session.query(Goal).count() == 0


def test_goal_progress_counts_performance_ready_sections(client, musician, headers):
    piece = PieceFactory(user=musician)
    ready = PieceSectionFactory(user=musician, piece=piece, status="performance_ready")
    learning = PieceSectionFactory(user=musician, piece=piece, status="learning")
    goal = GoalFactory(user=musician, sections=[ready, learning])
    response = client.get(f"/api/v1/goals/{goal.id}", headers=headers)
    assert response.get_json()["progress"] == 50
    listed = client.get("/api/v1/goals", headers=headers).get_json()
    assert listed[0]["progress"] == 50

    learning.status = "performance_ready"
    db.session.commit()
    assert client.get(f"/api/v1/goals/{goal.id}", headers=headers).get_json()["progress"] == 100


def test_goal_progress_and_completed_at_are_read_only(client, musician, headers):
    goal = GoalFactory(user=musician, status="not_started")
    for field, value in (("progress", 100), ("completed_at", "2026-01-01T00:00:00+00:00")):
        response = client.patch(f"/api/v1/goals/{goal.id}", json={field: value}, headers=headers)
        assert errors_of(response)[field] == ["Unknown field."]
    assert client.get(f"/api/v1/goals/{goal.id}", headers=headers).get_json()["progress"] == 0
    assert fresh(Goal, goal.id).completed_at is None


def test_goal_links_to_someone_elses_rows_are_refused(client, musician, headers):
    other = UserFactory()
    their_piece = PieceFactory(user=other)
    their_section = PieceSectionFactory(user=other)
    goal = GoalFactory(user=musician)
    response = client.post(
        "/api/v1/goals", json={"name": "Borrowed", "piece_ids": [their_piece.id]}, headers=headers
    )
    assert errors_of(response)["piece_ids"] == [f"You have no piece with id {their_piece.id}."]
    response = client.patch(
        f"/api/v1/goals/{goal.id}", json={"section_ids": [their_section.id]}, headers=headers
    )
    assert errors_of(response)["section_ids"] == [
        f"You have no piece section with id {their_section.id}."
    ]
    assert db.session.query(Goal).count() == 1
    assert fresh(Goal, goal.id).sections == []


def test_goal_list_hides_archived_goals_unless_asked(client, musician, headers):
    open_goal = GoalFactory(user=musician)
    archived = GoalFactory(user=musician, archived=True)
    ids = [item["id"] for item in client.get("/api/v1/goals", headers=headers).get_json()]
    assert ids == [open_goal.id]
    only_archived = client.get("/api/v1/goals?archived=true", headers=headers).get_json()
    assert [item["id"] for item in only_archived] == [archived.id]
    assert client.get(f"/api/v1/goals/{archived.id}", headers=headers).status_code == 200
    response = client.get("/api/v1/goals?archived=maybe", headers=headers)
    assert response.status_code == 422
    assert "archived" in response.get_json()["errors"]["query"]


def test_goal_name_is_required_and_not_blank(client, headers):
    for body in ({}, {"name": "   "}, {"name": "x" * 201}):
        response = client.post("/api/v1/goals", json=body, headers=headers)
        assert "name" in errors_of(response)
    assert db.session.query(Goal).count() == 0


def test_piece_and_section_round_trip(client, musician, headers):
    body = {
        "title": "Nocturne Op. 9 No. 2",
        "composer": "Frédéric Chopin",
        "instrument_id": InstrumentFactory(user=musician).id,
        "difficulty": 4,
        "status": "learning",
        "date_started": "2026-09-01",
        "notes": "Left hand alone first.",
    }
    created = client.post("/api/v1/pieces", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    piece = created.get_json()
    assert {key: piece[key] for key in body} == body
    pid = piece["id"]
    assert client.get(f"/api/v1/pieces/{pid}", headers=headers).get_json() == piece
    patched = client.patch(f"/api/v1/pieces/{pid}", json={"difficulty": 5}, headers=headers)
    assert patched.get_json()["difficulty"] == 5 and fresh(Piece, pid).difficulty == 5

    sections = f"/api/v1/pieces/{pid}/sections"
    second = client.post(
        sections, json={"section_name": "Coda", "position": 2}, headers=headers
    ).get_json()
    first = client.post(
        sections,
        json={"section_name": "Bars 1–16", "position": 1, "status": "polishing", "notes": "x"},
        headers=headers,
    )
    assert first.status_code == 201, first.get_json()
    first = first.get_json()
    assert first["piece_id"] == pid and first["status"] == "polishing"
    listed = client.get(sections, headers=headers).get_json()
    assert [item["section_name"] for item in listed] == ["Bars 1–16", "Coda"]
    assert second["status"] == "not_started"

    item = f"{sections}/{first['id']}"
    assert client.get(item, headers=headers).get_json() == first
    patched = client.patch(item, json={"status": "performance_ready"}, headers=headers)
    assert patched.get_json()["status"] == "performance_ready"
    assert fresh(PieceSection, first["id"]).status == "performance_ready"
    assert client.delete(item, headers=headers).status_code == 204
    assert fresh(PieceSection, first["id"]) is None

    assert client.delete(f"/api/v1/pieces/{pid}", headers=headers).status_code == 204
    assert fresh(Piece, pid) is None and fresh(PieceSection, second["id"]) is None


def test_piece_fields_are_validated_like_the_form(client, headers):
    for body, field in (
        ({"title": "A", "difficulty": 6}, "difficulty"),
        ({"title": "A", "status": "forgotten"}, "status"),
        ({"title": ""}, "title"),
        ({"title": "A", "composer": "c" * 121}, "composer"),
        ({"title": "A\x00"}, "title"),
    ):
        assert field in errors_of(client.post("/api/v1/pieces", json=body, headers=headers))
    assert db.session.query(Piece).count() == 0


def test_sections_under_someone_elses_piece_are_404(client, musician, headers):
    theirs = PieceSectionFactory(user=UserFactory())
    path = f"/api/v1/pieces/{theirs.piece_id}/sections"
    assert client.get(path, headers=headers).status_code == 404
    response = client.post(path, json={"section_name": "Mine now"}, headers=headers)
    assert response.status_code == 404
    for method in ("get", "patch", "delete"):
        response = getattr(client, method)(f"{path}/{theirs.id}", json={}, headers=headers)
        assert response.status_code == 404, method
    assert fresh(PieceSection, theirs.id).section_name == theirs.section_name
    assert db.session.query(PieceSection).count() == 1


def test_a_section_of_another_piece_is_404_through_this_piece(client, musician, headers):
    mine = PieceFactory(user=musician)
    elsewhere = PieceSectionFactory(user=musician)
    path = f"/api/v1/pieces/{mine.id}/sections/{elsewhere.id}"
    assert client.get(path, headers=headers).status_code == 404
    assert client.patch(path, json={"notes": "moved?"}, headers=headers).status_code == 404
    assert client.delete(path, headers=headers).status_code == 404
    assert fresh(PieceSection, elsewhere.id).piece_id == elsewhere.piece_id
    assert fresh(PieceSection, elsewhere.id).notes is None


def test_equipment_and_maintenance_round_trip(client, musician, headers):
    body = {
        "name": "Yamaha C40",
        "kind": "instrument",
        "instrument_id": None,
        "purchase_date": "2025-03-14",
        "notes": None,
    }
    created = client.post("/api/v1/equipment", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    gear = created.get_json()
    assert {key: gear[key] for key in body} == body
    patched = client.patch(
        f"/api/v1/equipment/{gear['id']}", json={"kind": "amplifier"}, headers=headers
    )
    assert patched.get_json()["kind"] == "amplifier"

    logs = f"/api/v1/equipment/{gear['id']}/maintenance"
    entry = {"kind": "string_change", "performed_on": "2026-11-20", "cost": 12.5, "notes": "EJ45"}
    created = client.post(logs, json=entry, headers=headers)
    assert created.status_code == 201, created.get_json()
    log = created.get_json()
    assert {key: log[key] for key in entry} == entry and log["equipment_id"] == gear["id"]
    assert fresh(MaintenanceLog, log["id"]).cost == Decimal("12.50")
    older = client.post(
        logs, json={"kind": "setup", "performed_on": "2026-01-02"}, headers=headers
    ).get_json()
    assert older["cost"] is None
    listed = client.get(logs, headers=headers).get_json()
    assert [item["id"] for item in listed] == [log["id"], older["id"]]

    patched = client.patch(f"{logs}/{log['id']}", json={"cost": "7.456"}, headers=headers)
    assert patched.get_json()["cost"] == 7.46
    assert client.delete(f"{logs}/{log['id']}", headers=headers).status_code == 204
    assert fresh(MaintenanceLog, log["id"]) is None
    assert client.delete(f"/api/v1/equipment/{gear['id']}", headers=headers).status_code == 204
    assert fresh(Equipment, gear["id"]) is None and fresh(MaintenanceLog, older["id"]) is None


@pytest.mark.parametrize(
    "entry, field",
    [
        ({"kind": "repair", "performed_on": "2026-11-20", "cost": -1}, "cost"),
        ({"kind": "repair", "performed_on": "2026-11-20", "cost": 1e12}, "cost"),
        ({"kind": "repair", "performed_on": "2026-11-20", "cost": "NaN"}, "cost"),
        ({"kind": "polish", "performed_on": "2026-11-20"}, "kind"),
        ({"kind": "repair"}, "performed_on"),
        ({"performed_on": "2026-11-20"}, "kind"),
    ],
)
def test_maintenance_is_validated_like_the_form(client, musician, headers, entry, field):
    gear = EquipmentFactory(user=musician)
    response = client.post(f"/api/v1/equipment/{gear.id}/maintenance", json=entry, headers=headers)
    assert field in errors_of(response)
    assert db.session.query(MaintenanceLog).count() == 0


def test_maintenance_of_someone_elses_gear_is_404(client, headers):
    theirs = MaintenanceLogFactory(user=UserFactory())
    path = f"/api/v1/equipment/{theirs.equipment_id}/maintenance"
    assert client.get(path, headers=headers).status_code == 404
    entry = {"kind": "repair", "performed_on": "2026-11-20"}
    assert client.post(path, json=entry, headers=headers).status_code == 404
    assert client.patch(f"{path}/{theirs.id}", json=entry, headers=headers).status_code == 404
    assert client.delete(f"{path}/{theirs.id}", headers=headers).status_code == 404
    assert db.session.query(MaintenanceLog).count() == 1
    assert fresh(MaintenanceLog, theirs.id).kind == "string_change"


def test_gear_linked_to_someone_elses_instrument_is_refused(client, headers):
    theirs = InstrumentFactory(user=UserFactory())
    response = client.post(
        "/api/v1/equipment", json={"name": "Amp", "instrument_id": theirs.id}, headers=headers
    )
    assert errors_of(response)["instrument_id"] == [f"You have no instrument with id {theirs.id}."]
    assert db.session.query(Equipment).count() == 0


def test_reminder_round_trip_schedules_it_in_the_users_zone(client, musician, headers):
    body = {
        "label": "Scales before work",
        "recurrence": "weekdays",
        "local_time": "07:30",
        "weekdays": [0, 2, 4],
        "channel": "both",
        "is_active": True,
    }
    created = client.post("/api/v1/reminders", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    reminder = created.get_json()
    assert {key: reminder[key] for key in body} == body
    assert reminder["timezone"] == "Europe/Vienna"
    assert (reminder["interval_days"], reminder["start_date"]) == (None, None)
    row = fresh(Reminder, reminder["id"])
    assert row.weekdays == 0b10101 and row.local_time == time(7, 30)
    fires = datetime.fromisoformat(reminder["next_fire_at"])
    assert fires > datetime.now(UTC)
    local = fires.astimezone(ZoneInfo("Europe/Vienna"))
    assert (local.hour, local.minute, local.weekday() in (0, 2, 4)) == (7, 30, True)
    assert client.get(f"/api/v1/reminders/{reminder['id']}", headers=headers).get_json() == reminder

    # Switching to an interval drops the weekdays, as the form does.
    changed = client.patch(
        f"/api/v1/reminders/{reminder['id']}",
        json={"recurrence": "interval", "interval_days": 3, "start_date": "2026-12-01"},
        headers=headers,
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["weekdays"] == []
    assert fresh(Reminder, reminder["id"]).weekdays == 0

    paused = client.patch(
        f"/api/v1/reminders/{reminder['id']}", json={"is_active": False}, headers=headers
    )
    assert paused.get_json()["next_fire_at"] is None
    assert fresh(Reminder, reminder["id"]).next_fire_at is None
    assert client.delete(f"/api/v1/reminders/{reminder['id']}", headers=headers).status_code == 204
    assert fresh(Reminder, reminder["id"]) is None


def test_reminder_next_fire_at_and_timezone_are_read_only(client, musician, headers):
    reminder = ReminderFactory(user=musician)
    for field, value in (("next_fire_at", "2030-01-01T07:30:00+00:00"), ("timezone", "Asia/Tokyo")):
        response = client.patch(
            f"/api/v1/reminders/{reminder.id}", json={field: value}, headers=headers
        )
        assert errors_of(response)[field] == ["Unknown field."]
    row = fresh(Reminder, reminder.id)
    assert (row.timezone, row.next_fire_at) == ("UTC", None)


def test_reminder_on_weekdays_needs_a_day(client, musician, headers):
    body = {"label": "Etudes", "recurrence": "weekdays", "local_time": "18:00"}
    response = client.post("/api/v1/reminders", json=body, headers=headers)
    assert errors_of(response) == {"weekdays": ["Choose at least one day."]}
    response = client.post("/api/v1/reminders", json={**body, "weekdays": []}, headers=headers)
    assert errors_of(response) == {"weekdays": ["Choose at least one day."]}
    # A change of rule on an existing daily reminder is checked against what it has.
    daily = ReminderFactory(user=musician)
    response = client.patch(
        f"/api/v1/reminders/{daily.id}", json={"recurrence": "weekdays"}, headers=headers
    )
    assert errors_of(response) == {"weekdays": ["Choose at least one day."]}
    assert fresh(Reminder, daily.id).recurrence == "daily"
    assert db.session.query(Reminder).count() == 1


def test_reminder_every_n_days_needs_a_start_date_and_an_interval(client, headers):
    body = {"label": "Sight-reading", "recurrence": "interval", "local_time": "20:15"}
    response = client.post("/api/v1/reminders", json={**body, "interval_days": 2}, headers=headers)
    assert errors_of(response) == {"start_date": ["Choose the first day."]}
    response = client.post(
        "/api/v1/reminders", json={**body, "start_date": "2026-12-01"}, headers=headers
    )
    assert list(errors_of(response)) == ["interval_days"]
    for days in (0, 366):
        response = client.post(
            "/api/v1/reminders",
            json={**body, "start_date": "2026-12-01", "interval_days": days},
            headers=headers,
        )
        assert errors_of(response)["interval_days"] == ["Enter a number of days from 1 to 365."]
    assert db.session.query(Reminder).count() == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"local_time": "25:00"}, "local_time"),
        ({"local_time": "07:30:00+02:00"}, "local_time"),
        ({"weekdays": [7]}, "weekdays"),
        ({"channel": "sms"}, "channel"),
        ({"recurrence": "hourly"}, "recurrence"),
        ({"label": ""}, "label"),
    ],
)
def test_reminder_fields_are_validated(client, headers, change, field):
    body = {"label": "Scales", "local_time": "07:30", **change}
    assert field in errors_of(client.post("/api/v1/reminders", json=body, headers=headers))
    assert db.session.query(Reminder).count() == 0


def test_reminder_form_and_api_share_the_rule_settling(client, auth, musician):
    auth.login(musician)
    response = client.post(
        "/app/reminders/new/",
        data={
            "label": "Arpeggios",
            "recurrence": "daily",
            "weekdays": ["1"],
            "interval_days": "4",
            "start_date": "2026-12-01",
            "local_time": "06:45",
            "channel": "in_app",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    row = db.session.query(Reminder).one()
    assert (row.weekdays, row.interval_days, row.start_date) == (0, None, None)
    assert row.timezone == "Europe/Vienna" and row.next_fire_at is not None


def _seed_page(musician, count):
    """count goals (each linked to a piece with sections), gear, and sections of one piece."""
    piece = PieceFactory(user=musician)
    for n in range(count):
        sections = [
            PieceSectionFactory(user=musician, piece=piece, position=n, status=status)
            for status in ("learning", "performance_ready")
        ]
        GoalFactory(user=musician, pieces=[PieceFactory(user=musician)], sections=sections)
        EquipmentFactory(user=musician)
    return piece


@pytest.mark.parametrize("resource", ["goals", "equipment", "sections", "reminders"])
def test_list_queries_do_not_grow_with_page_size(
    client, musician, headers, count_queries, resource
):
    piece = _seed_page(musician, 12)
    for n in range(12):
        ReminderFactory(user=musician, recurrence="weekdays", weekdays=n % 7 + 1)
    path = {
        "goals": "/api/v1/goals",
        "equipment": "/api/v1/equipment",
        "sections": f"/api/v1/pieces/{piece.id}/sections",
        "reminders": "/api/v1/reminders",
    }[resource]

    def fetch(size):
        response = client.get(f"{path}?per_page={size}", headers=headers)
        assert response.status_code == 200
        assert len(response.get_json()) == size
        return response.get_json()

    def counted(size, behind=False):
        forget_user(musician.id)  # both sizes compute their figures afresh
        if behind:  # and the goals' stored figures too (as after a play of each)
            db.session.execute(
                text("UPDATE review_states SET version = version + 1 WHERE user_id = :id"),
                {"id": musician.id},
            )
            db.session.commit()
        return count_queries(lambda: fetch(size))

    fetch(12)  # warm up: the token lookup, every goal's stored figures
    small = counted(2)
    large = counted(12)
    assert small == large
    assert counted(2, behind=True) == counted(12, behind=True)
    if resource == "goals":
        assert {goal["progress"] for goal in fetch(12)} == {50}


def test_the_new_paths_are_documented(client, headers):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    for path in (
        "/api/v1/goals",
        "/api/v1/goals/{goal_id}",
        "/api/v1/pieces/{piece_id}/sections/{piece_section_id}",
        "/api/v1/equipment/{equipment_id}/maintenance/{maintenance_log_id}",
        "/api/v1/reminders/{reminder_id}",
    ):
        assert path in paths
    goal = spec["components"]["schemas"]["Goal"]["properties"]
    assert goal["priority"]["enum"] == ["high", "medium", "low"]
    assert goal["progress"]["readOnly"] is True
    archived = [p for p in paths["/api/v1/goals"]["get"]["parameters"] if p["name"] == "archived"]
    assert archived and archived[0]["schema"]["default"] is False
    assert date.fromisoformat(
        spec["components"]["schemas"]["Reminder"]["properties"]["start_date"]["example"]
    )
