"""Settings → Reminders: creating each kind of reminder, validation, pausing, time-zone moves."""

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.factories import ReminderFactory
from tests.factories import UserFactory
from tracker.extensions import db
from tracker.models import Reminder

LIST = "/app/reminders/"
BERLIN = ZoneInfo("Europe/Berlin")


def next_local(wall_time, zone, days=None):
    """The next instant (UTC) at wall_time in zone, on one of `days` (local dates) if given."""
    now = datetime.now(UTC)
    today = now.astimezone(zone).date()
    for offset in range(-1, 400):
        day = today + timedelta(days=offset)
        if days is not None and not days(day):
            continue
        instant = datetime.combine(day, wall_time, tzinfo=zone).astimezone(UTC)
        if instant > now:
            return instant
    raise AssertionError("no next time found")


def reminder_form(**overrides):
    """A complete daily-reminder form, with overrides."""
    data = {
        "label": "Scales before work",
        "recurrence": "daily",
        "local_time": "07:30",
        "interval_days": "",
        "start_date": "",
        "channel": "in_app",
        "is_active": "y",
    }
    data.update(overrides)
    return data


def test_create_daily_reminder_schedules_it_in_the_users_zone(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    auth.login(user)
    response = client.post(LIST + "new/", data=reminder_form())
    assert response.status_code == 302
    reminder = db.session.query(Reminder).one()
    assert (reminder.user_id, reminder.label, reminder.recurrence) == (
        user.id,
        "Scales before work",
        "daily",
    )
    assert reminder.timezone == "Europe/Berlin"
    assert reminder.local_time == time(7, 30)
    assert reminder.next_fire_at == next_local(time(7, 30), BERLIN)
    # Stored in UTC: 07:30 in Berlin is 06:30 UTC in winter, 05:30 UTC in summer.
    offset = reminder.next_fire_at.astimezone(BERLIN).utcoffset()
    assert (
        reminder.next_fire_at.astimezone(UTC).time()
        == (datetime.combine(date.today(), time(7, 30)) - offset).time()
    )
    listing = client.get(LIST).get_data(as_text=True)
    assert "Every day at 07:30" in listing
    assert "In the app" in listing


def test_create_weekday_reminder_stores_the_bitmask(client, auth):
    auth.login(UserFactory(timezone="Europe/Berlin"))
    response = client.post(
        LIST + "new/",
        data=reminder_form(
            label="Etudes",
            recurrence="weekdays",
            local_time="18:00",
            weekdays=["0", "2"],
            channel="both",
        ),
    )
    assert response.status_code == 302
    reminder = db.session.query(Reminder).one()
    assert reminder.weekdays == 0b101
    assert reminder.channel == "both"
    assert reminder.next_fire_at == next_local(
        time(18, 0), BERLIN, days=lambda day: day.weekday() in (0, 2)
    )
    assert "Mon, Wed at 18:00" in client.get(LIST).get_data(as_text=True)
    edit = client.get(f"{LIST}edit/?id={reminder.id}").get_data(as_text=True)
    assert 'id="weekdays-0" value="0" checked' in edit
    assert 'id="weekdays-2" value="2" checked' in edit
    assert 'id="weekdays-1" value="1">' in edit


def test_create_interval_reminder_starts_on_its_start_date(client, auth):
    auth.login(UserFactory(timezone="Europe/Berlin"))
    start = datetime.now(BERLIN).date() + timedelta(days=2)
    response = client.post(
        LIST + "new/",
        data=reminder_form(
            label="Sight-reading",
            recurrence="interval",
            local_time="07:00",
            interval_days="3",
            start_date=start.isoformat(),
            weekdays=["4"],
        ),
    )
    assert response.status_code == 302
    reminder = db.session.query(Reminder).one()
    assert (reminder.interval_days, reminder.start_date) == (3, start)
    assert reminder.weekdays == 0  # only the chosen rule's settings are kept
    assert reminder.next_fire_at == datetime.combine(start, time(7, 0), tzinfo=BERLIN)
    day = f"{start.day} {start:%b}" + ("" if start.year == date.today().year else f" {start.year}")
    assert f"Every 3 days at 07:00 from {day}" in client.get(LIST).get_data(as_text=True)


def test_daily_reminder_drops_settings_of_other_rules(client, auth):
    auth.login(UserFactory())
    client.post(
        LIST + "new/",
        data=reminder_form(weekdays=["1"], interval_days="4", start_date="2030-01-01"),
    )
    reminder = db.session.query(Reminder).one()
    assert (reminder.weekdays, reminder.interval_days, reminder.start_date) == (0, None, None)


def test_weekdays_without_a_day_is_refused_beside_the_field(client, auth):
    auth.login(UserFactory())
    response = client.post(LIST + "new/", data=reminder_form(recurrence="weekdays"))
    assert response.status_code == 200
    assert "Choose at least one day." in response.get_data(as_text=True)
    assert db.session.query(Reminder).count() == 0


def test_interval_without_days_or_start_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.post(LIST + "new/", data=reminder_form(recurrence="interval"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter how many days apart" in body
    assert "Choose the first day." in body
    assert "Not a valid" not in body
    assert db.session.query(Reminder).count() == 0


def test_interval_out_of_range_is_refused(client, auth):
    auth.login(UserFactory())
    response = client.post(
        LIST + "new/",
        data=reminder_form(recurrence="interval", interval_days="0", start_date="2030-01-01"),
    )
    assert "Enter a number of days from 1 to 365." in response.get_data(as_text=True)
    assert db.session.query(Reminder).count() == 0


def test_missing_label_and_time_are_refused(client, auth):
    auth.login(UserFactory())
    response = client.post(LIST + "new/", data=reminder_form(label="", local_time=""))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Name the reminder" in body
    assert "At what time should it remind you?" in body
    assert db.session.query(Reminder).count() == 0


def test_form_offers_browser_time_input_and_loads_its_script(client, auth):
    auth.login(UserFactory())
    body = client.get(LIST + "new/").get_data(as_text=True)
    assert 'type="time"' in body
    assert 'name="weekdays"' in body and ">Sun</label>" in body
    assert "js/reminder_form.js" in body


def test_deactivating_inline_clears_next_fire_at(client, auth):
    user = UserFactory()
    auth.login(user)
    client.post(LIST + "new/", data=reminder_form())
    reminder = db.session.query(Reminder).one()
    assert reminder.next_fire_at is not None
    response = client.post(
        LIST + "ajax/update/", data={"list_form_pk": reminder.id, "is_active": ""}
    )
    assert response.status_code == 200
    db.session.expire_all()
    reminder = db.session.get(Reminder, reminder.id)
    assert reminder.is_active is False and reminder.next_fire_at is None
    assert "—" in client.get(LIST).get_data(as_text=True)

    response = client.post(
        LIST + "ajax/update/", data={"list_form_pk": reminder.id, "is_active": "1"}
    )
    db.session.expire_all()
    assert db.session.get(Reminder, reminder.id).next_fire_at == next_local(
        time(7, 30), ZoneInfo("UTC")
    )


def test_deactivating_in_the_form_clears_next_fire_at(client, auth):
    user = UserFactory()
    reminder = ReminderFactory(user=user, next_fire_at=datetime.now(UTC) + timedelta(hours=2))
    auth.login(user)
    data = reminder_form(label=reminder.label)
    del data["is_active"]
    response = client.post(f"{LIST}edit/?id={reminder.id}", data=data)
    assert response.status_code == 302
    db.session.refresh(reminder)
    assert reminder.is_active is False and reminder.next_fire_at is None


def test_changing_profile_time_zone_reschedules_reminders(client, auth):
    user = UserFactory(timezone="UTC")
    reminder = ReminderFactory(user=user, timezone="UTC")
    paused = ReminderFactory(user=user, timezone="UTC", is_active=False)
    others = ReminderFactory(timezone="UTC", next_fire_at=datetime(2030, 1, 1, tzinfo=UTC))
    auth.login(user)
    response = client.post("/app/settings/", data={"timezone": "Asia/Tokyo", "skill_level": ""})
    assert response.status_code == 302
    db.session.expire_all()
    reminder, paused, others = (db.session.get(Reminder, r.id) for r in (reminder, paused, others))
    tokyo = ZoneInfo("Asia/Tokyo")
    assert reminder.timezone == "Asia/Tokyo"
    assert reminder.next_fire_at == next_local(time(7, 30), tokyo)
    assert (paused.timezone, paused.next_fire_at) == ("Asia/Tokyo", None)
    assert (others.timezone, others.next_fire_at) == ("UTC", datetime(2030, 1, 1, tzinfo=UTC))


def test_list_explains_reminders_when_empty(client, auth):
    auth.login(UserFactory())
    body = client.get(LIST).get_data(as_text=True)
    assert "No reminders yet. A reminder nudges you to practise" in body


def test_reminders_are_under_settings(client, auth):
    auth.login(UserFactory())
    body = client.get("/app/").get_data(as_text=True)
    assert 'href="/app/reminders/"' in body
