"""Gear: equipment with inline maintenance logs, and how much it has been played."""

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from tests.factories import EquipmentFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.figures.stats import equipment_wear
from tracker.models import Equipment
from tracker.models import MaintenanceLog

LIST = "/app/equipment/"


def test_create_equipment_with_inline_maintenance_log(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.post(
        LIST + "new/",
        data={
            "name": "Yamaha C40",
            "kind": "instrument",
            "purchase_date": "2024-02-01",
            "maintenance_logs-0-kind": "string_change",
            "maintenance_logs-0-performed_on": "2026-11-01",
            "maintenance_logs-0-cost": "12.50",
            "maintenance_logs-0-notes": "D'Addario EJ45",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    gear = db.session.query(Equipment).one()
    log = db.session.query(MaintenanceLog).one()
    assert (gear.user_id, log.user_id, log.equipment_id) == (user.id, user.id, gear.id)
    assert str(log.cost) == "12.50"


def test_maintenance_log_validation(client, auth):
    user = UserFactory()
    gear = EquipmentFactory(user=user)
    auth.login(user)
    response = client.post(
        "/app/maintenance_log/new/",
        data={"equipment": str(gear.id), "kind": "string_change", "performed_on": "", "cost": "-3"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "When was it done?" in body and "A cost cannot be negative." in body
    assert db.session.query(MaintenanceLog).count() == 0


def test_wear_counts_hours_since_last_string_change():
    user = UserFactory()
    gear = EquipmentFactory(user=user)
    changed = datetime.now(UTC).date() - timedelta(days=10)
    MaintenanceLogFactory(user=user, equipment=gear, performed_on=changed - timedelta(days=30))
    MaintenanceLogFactory(user=user, equipment=gear, performed_on=changed)
    MaintenanceLogFactory(
        user=user, equipment=gear, kind="repair", performed_on=changed + timedelta(days=2)
    )
    before = PracticeSessionFactory(
        user=user, started_at=datetime.now(UTC) - timedelta(days=20), duration_minutes=300
    )
    after = PracticeSessionFactory(
        user=user, started_at=datetime.now(UTC) - timedelta(days=2), duration_minutes=90
    )
    before.equipment.append(gear)
    after.equipment.append(gear)
    db.session.commit()
    wear = equipment_wear(user.id, [gear], "UTC")[gear.id]
    assert wear == {"strings_changed": changed, "minutes_since": 90, "since": "string change"}


def test_equipment_list_shows_strings_and_hours(client, auth):
    user = UserFactory()
    gear = EquipmentFactory(user=user, name="Strad copy")
    MaintenanceLogFactory(
        user=user, equipment=gear, performed_on=datetime.now(UTC).date() - timedelta(days=12)
    )
    session = PracticeSessionFactory(user=user, duration_minutes=150)
    session.equipment.append(gear)
    db.session.commit()
    auth.login(user)
    body = client.get(LIST).get_data(as_text=True)
    assert "Strings last changed 12 days ago · played 2.5 h since" in body


def test_equipment_without_string_change_counts_since_purchase(client, auth):
    user = UserFactory()
    gear = EquipmentFactory(user=user, purchase_date=datetime.now(UTC).date() - timedelta(days=3))
    session = PracticeSessionFactory(user=user, duration_minutes=60)
    session.equipment.append(gear)
    db.session.commit()
    auth.login(user)
    assert "Played 1 h since you bought it" in client.get(LIST).get_data(as_text=True)


def test_equipment_list_queries_do_not_grow(client, auth, count_queries):
    user = UserFactory()
    EquipmentFactory(user=user)
    auth.login(user)
    few = count_queries(lambda: client.get(LIST))
    for _ in range(10):
        gear = EquipmentFactory(user=user)
        MaintenanceLogFactory(user=user, equipment=gear)
    assert count_queries(lambda: client.get(LIST)) == few
