"""One way of writing things on every page: dates, durations, the menu, the welcome checklist."""

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from tests.factories import GoalFactory
from tests.factories import InstrumentFactory
from tests.factories import MaintenanceLogFactory
from tests.factories import PracticeSessionFactory
from tests.factories import UserFactory
from tracker.phrases import date_text
from tracker.phrases import local_date_time_text


def _active_menu_entries(body):
    """The names of the navigation bar's entries marked active."""
    entries = re.findall(
        r'class="(?:nav-item|nav-item dropdown|dropdown-item)[^"]*\bactive\b[^"]*"'
        r"[^>]*>\s*(?:<a[^>]*>)?\s*(?:<i[^>]*></i>)?\s*([^<]+)",
        body,
    )
    return [entry.strip() for entry in entries]


def test_a_day_is_written_one_way():
    assert date_text(date(2026, 12, 1)) == "Tue 1 Dec 2026"
    assert date_text(date(2027, 1, 10)) == "Sun 10 Jan 2027"
    assert date_text(None) == ""


def test_an_instant_is_written_in_the_users_zone(app, auth, client):
    user = UserFactory(timezone="America/New_York")
    auth.login(user)
    with app.test_request_context():
        from flask_login import login_user

        login_user(user)
        assert local_date_time_text(datetime(2026, 12, 2, 3, 5, tzinfo=UTC)) == (
            "Tue 1 Dec 2026, 22:05"
        )


def test_a_zone_held_fixed_applies_only_within(app):
    from zoneinfo import ZoneInfo

    from flask_login import login_user

    from tracker.timezones import zone_fixed

    user = UserFactory(timezone="America/New_York")
    instant = datetime(2026, 12, 2, 3, 5, tzinfo=UTC)
    with app.test_request_context():
        login_user(user)
        with zone_fixed(ZoneInfo("Asia/Tokyo")):
            assert local_date_time_text(instant) == "Wed 2 Dec 2026, 12:05"
        assert local_date_time_text(instant) == "Tue 1 Dec 2026, 22:05"


def test_rows_named_in_dropdowns_write_dates_the_same_way(app):
    user = UserFactory(timezone="America/New_York")
    session = PracticeSessionFactory(
        user=user, started_at=datetime(2026, 12, 2, 3, 5, tzinfo=UTC), duration_minutes=85
    )
    repair = MaintenanceLogFactory(user=user, kind="repair", performed_on=date(2026, 11, 3))
    with app.test_request_context():
        from flask_login import login_user

        login_user(user)
        assert str(session) == "Tue 1 Dec 2026, 22:05 · 1 h 25 min"
        assert str(repair) == "Repair, Tue 3 Nov 2026"


def test_lists_and_details_write_dates_the_same_way(client, auth):
    user = UserFactory(timezone="Europe/Berlin")
    goal = GoalFactory(user=user, target_date=date(2027, 3, 5), status="completed")
    PracticeSessionFactory(user=user, started_at=datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    auth.login(user)
    goals = client.get("/app/goal/?flt0_0=completed").get_data(as_text=True)
    details = client.get(f"/app/goal/details/?id={goal.id}").get_data(as_text=True)
    log = client.get("/app/practice_session/").get_data(as_text=True)
    assert "Fri 5 Mar 2027" in details
    assert "Tue 1 Dec 2026, 18:00" in log
    assert "05 Mar 2027" not in goals + details


def test_statistics_cards_all_speak_hours_and_minutes(client, auth):
    user = UserFactory()
    # Both early today (UTC is the user's zone), so "today" holds them at any hour.
    start = datetime.combine(datetime.now(UTC).date(), time(0, 1), tzinfo=UTC)
    PracticeSessionFactory(user=user, started_at=start, duration_minutes=55)
    PracticeSessionFactory(user=user, started_at=start + timedelta(minutes=1), duration_minutes=35)
    auth.login(user)
    body = client.get("/app/").get_data(as_text=True)
    cards = {
        name: value.strip()
        for name, value in re.findall(r'class="stat-value" id="([^"]+)">([^<]*)<', body)
    }
    assert cards["minutes-today"] == "1 h 30 min"
    assert cards["minutes-week"] == "1 h 30 min"
    assert cards["minutes-all"] == "1 h 30 min"
    assert cards["average-session"] == "45 min"
    assert cards["streak-current"] == "1 day"


def test_change_password_page_highlights_settings(client, auth):
    user = UserFactory()
    auth.login(user)
    response = client.get("/change")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _active_menu_entries(body) == ["Settings", "Change password"]
    profile = client.get("/app/settings/").get_data(as_text=True)
    assert _active_menu_entries(profile) == ["Settings", "Profile"]
    assert _active_menu_entries(client.get("/app/").get_data(as_text=True)) == ["Dashboard"]


def test_welcome_checklist_ticks_instruments_once_the_profile_has_them(client, auth):
    user = UserFactory()
    auth.login(user)
    before = client.get("/app/").get_data(as_text=True)
    assert 'id="checklist-instruments">Set your instruments and your time zone' in before
    InstrumentFactory(user=user, name="Viola")
    InstrumentFactory(user=user, name="Piano")
    after = client.get("/app/").get_data(as_text=True)
    item = after[after.index('id="checklist-instruments"') :]
    item = item[: item.index("</li>")]
    assert 'class="checklist-done"' in item and "✓" in item
    assert "Set your instruments: Piano, Viola" in item


def test_welcome_checklist_ticks_instruments_set_through_the_profile_form(client, auth):
    user = UserFactory()
    auth.login(user)
    client.get("/app/")  # the panels are cached now
    response = client.post(
        "/app/settings/",
        data={"instruments": "Cello", "timezone": "Europe/Berlin", "skill_level": ""},
    )
    assert response.status_code in (200, 302)
    body = client.get("/app/").get_data(as_text=True)
    assert "Set your instruments: Cello" in body
