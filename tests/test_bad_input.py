"""Bad input is refused beside its field or ignored with a message: never a 500, never SQL."""

import logging
import re

import pytest
from sqlalchemy.exc import DataError

from tests.factories import EquipmentFactory
from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tests.factories import factory_for
from tests.test_scoping import scoped_views
from tracker.admin.base import SAVE_FAILED
from tracker.admin.goals import GoalView
from tracker.extensions import db
from tracker.models import Goal
from tracker.models import Instrument
from tracker.models import MaintenanceLog
from tracker.models import PracticeSession

DATE_MESSAGE = "Enter a date between the years 1900 and 2200."


def error_beside(body, field_id, message):
    """Tell whether message is shown in the form group of the field with id field_id."""
    group = re.search(
        rf'<div class="form-group[^"]*">(?:(?!<div class="form-group).)*?id="{field_id}"'
        r'(?:(?!<div class="form-group).)*',
        body,
        re.S,
    )
    return bool(group) and message in group.group(0)


def assert_no_database_text(body):
    for leak in ("psycopg2", "SQL", "sqlalchemy", "Traceback"):
        assert leak not in body, f"the page shows {leak}"


# -- defect 6: numbers beyond their column's type -----------------------------------------


def test_goal_target_minutes_beyond_an_integer_is_refused_beside_the_field(client, auth):
    auth.login(UserFactory())
    response = client.post(
        "/app/goal/new/",
        data={
            "name": "Etudes",
            "goal_type": "technique",
            "priority": "2",
            "status": "in_progress",
            "target_minutes": "99999999999",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_beside(body, "target_minutes", "That is too large: at most 2147483647.")
    assert_no_database_text(body)
    assert db.session.query(Goal).count() == 0


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("1e400", "That is too large: at most 99999999.99."),
        ("100000000", "That is too large: at most 99999999.99."),
        ("99999999.999", "That is too large: at most 99999999.99."),
        ("sNaN", "Enter a number (not NaN or infinity)."),
        ("NaN", "Enter a number (not NaN or infinity)."),
        ("Infinity", "Enter a number (not NaN or infinity)."),
        ("-inf", "Enter a number (not NaN or infinity)."),
    ],
)
def test_maintenance_cost_that_no_column_holds_is_refused_beside_the_field(
    client, auth, cost, message
):
    user = UserFactory()
    gear = EquipmentFactory(user=user)
    auth.login(user)
    response = client.post(
        "/app/maintenance_log/new/",
        data={
            "equipment": str(gear.id),
            "kind": "string_change",
            "performed_on": "2026-03-02",
            "cost": cost,
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_beside(body, "cost", message), body[-3000:]
    assert_no_database_text(body)
    assert db.session.query(MaintenanceLog).count() == 0


def test_a_cost_inside_an_equipment_form_is_bounded_too(client, auth):
    """Inline rows (maintenance inside the gear form) are built by the same converter."""
    auth.login(UserFactory())
    response = client.post(
        "/app/equipment/new/",
        data={
            "name": "Cello",
            "kind": "instrument",
            "maintenance_logs-0-kind": "string_change",
            "maintenance_logs-0-performed_on": "2026-03-02",
            "maintenance_logs-0-cost": "1e400",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That is too large: at most 99999999.99." in body
    assert db.session.query(MaintenanceLog).count() == 0


def test_a_database_error_is_logged_and_never_shown(client, auth, monkeypatch, caplog):
    def failing_save(view, form, model, is_created):
        raise DataError("UPDATE goals SET secret = %(p)s", {"p": "hunter2"}, Exception("boom"))

    monkeypatch.setattr(GoalView, "on_model_change", failing_save)
    auth.login(UserFactory())
    with caplog.at_level(logging.ERROR, logger="tracker.admin.base"):
        response = client.post(
            "/app/goal/new/",
            data={
                "name": "Etudes",
                "goal_type": "technique",
                "priority": "2",
                "status": "in_progress",
            },
        )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SAVE_FAILED in body
    assert "hunter2" not in body and "UPDATE goals" not in body
    assert_no_database_text(body)
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert any(isinstance(error, DataError) for error in logged), caplog.records
    assert db.session.query(Goal).count() == 0


# -- defect 7: malformed input on lists, forms, actions and the API -----------------------


@pytest.mark.parametrize("page", ["-1", "99999999999999999999"])
def test_a_page_out_of_range_on_every_list_is_clamped(app, client, auth, page):
    user = UserFactory()
    auth.login(user)
    for view in scoped_views(app):
        factory_for(view.model)(user=user)
        response = client.get(f"{view.url}/?page={page}")
        assert response.status_code == 200, view.endpoint


def test_a_nul_in_the_search_is_dropped(app, client, auth):
    user = UserFactory()
    auth.login(user)
    PracticeSessionFactory(user=user, notes="Scales in thirds")
    for view in scoped_views(app):
        if view.column_searchable_list:
            response = client.get(f"{view.url}/?search=%00")
            assert response.status_code == 200, view.endpoint
    body = client.get("/app/practice_session/?search=Sca%00les").get_data(as_text=True)
    assert "Scales in thirds" in body


def test_a_date_given_to_a_whole_number_filter_is_left_out_with_a_message(client, auth):
    user = UserFactory()
    auth.login(user)
    GoalFactory(user=user, name="Arpeggios", priority=2)
    response = client.get("/app/goal/", query_string={"flt0_2": "2026-01-01"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The filter “Priority” was left out" in body
    assert "Arpeggios" in body


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_filter_day_out_of_the_calendar_is_left_out(client, auth, day):
    user = UserFactory()
    auth.login(user)
    PracticeSessionFactory(user=user, notes="Long tones")
    for arg in ("1", "2"):  # on or after, on or before
        response = client.get("/app/practice_session/", query_string={f"flt0_{arg}": day})
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "The filter “Date” was left out" in body and DATE_MESSAGE in body
        assert "Long tones" in body


@pytest.mark.parametrize("end", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("path", ["/api/v1/stats/export.csv", "/api/v1/stats/summary"])
def test_an_api_day_out_of_the_calendar_is_422_with_the_message(client, auth, path, end):
    auth.login(UserFactory())
    response = client.get(path, query_string={"end": end})
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]["end"] == [DATE_MESSAGE]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:59"])
def test_a_session_outside_the_calendar_is_refused_beside_the_field(client, auth, zone, when):
    auth.login(UserFactory(timezone=zone))
    response = client.post(
        "/app/practice_session/new/",
        data={
            "started_at": when,
            "duration_minutes-hours": "0",
            "duration_minutes-minutes": "30",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_beside(body, "started_at", DATE_MESSAGE)
    assert db.session.query(PracticeSession).count() == 0


def test_a_bulk_action_on_rows_that_are_no_ids_changes_nothing(client, auth):
    user = UserFactory()
    goal = GoalFactory(user=user)
    auth.login(user)
    for rowid in (["abc"], [str(goal.id), "abc"], ["99999999999999999999"], ["-1"]):
        response = client.post(
            "/app/goal/action/", data={"action": "archive", "rowid": rowid}, follow_redirects=True
        )
        assert response.status_code == 200
        assert "Those rows could not be found" in response.get_data(as_text=True)
    db.session.refresh(goal)
    assert goal.archived is False


def test_the_settings_form_without_its_instruments_keeps_them(client, auth):
    user = UserFactory()
    InstrumentFactory(user=user, name="Viola")
    auth.login(user)
    response = client.post(
        "/app/settings/", data={"timezone": "Europe/Vienna", "skill_level": "", "name": "Ann"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [i.name for i in db.session.query(Instrument)] == ["Viola"]
    assert user.timezone == "Europe/Vienna"


def test_nul_characters_are_dropped_from_every_form(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        "/app/goal/new/",
        data={
            "name": "Scales\x00 in thirds",
            "goal_type": "technique",
            "priority": "2",
            "status": "in_progress",
            "notes": "\x00",
        },
    )
    assert response.status_code == 302
    assert db.session.query(Goal.name).scalar() == "Scales in thirds"
    response = client.post(
        "/app/settings/",
        data={"timezone": "UTC", "skill_level": "", "name": "A\x00nn", "instruments": "Ha\x00rp"},
    )
    assert response.status_code == 302
    assert [i.name for i in db.session.query(Instrument)] == ["Harp"]


def test_an_inline_edit_refused_answers_400_with_the_message(client, auth):
    user = UserFactory()
    gear = EquipmentFactory(user=user)
    log = MaintenanceLogFactory(user=user, equipment=gear)
    goal = GoalFactory(user=user)
    session = PracticeSessionFactory(user=user, duration_minutes=30)
    auth.login(user)
    cases = [
        ("/app/goal/", goal.id, {"target_date": "0001-01-01"}, DATE_MESSAGE),
        ("/app/goal/", goal.id, {"priority": "9"}, "Not a valid choice"),
        (
            "/app/practice_session/",
            session.id,
            {"duration_minutes": "99999999999"},
            "That is too large: at most 2147483647.",
        ),
    ]
    for url, pk, change, message in cases:
        response = client.post(url + "ajax/update/", data={"list_form_pk": pk, **change})
        assert response.status_code == 400, (url, change)
        assert message in response.get_data(as_text=True)
    missing = client.post("/app/goal/ajax/update/", data={"list_form_pk": 999999, "priority": "1"})
    assert missing.status_code == 404
    assert log.cost is None and session.duration_minutes == 30
