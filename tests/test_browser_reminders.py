"""In Chromium: a practice reminder shows on the dashboard, and the bell counts and clears."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.browser import PHONE_WIDTH
from tests.browser import SCREENSHOTS
from tests.browser import VIEWPORTS
from tests.browser import ZONE
from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import open_menu
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap
from tests.factories import NotificationFactory
from tracker.extensions import db
from tracker.models import Notification
from tracker.models import Reminder
from tracker.models import User

EMAIL = "yuja@example.com"
LABEL = "Scales before work"


def expected_day():
    """'Today' or 'Tomorrow': when 07:30 next comes round in Berlin."""
    now = datetime.now(ZoneInfo(ZONE))
    return "Today" if (now.hour, now.minute) < (7, 30) else "Tomorrow"


def unread_in_db(user_id):
    db.session.expire_all()
    return (
        db.session.query(Notification)
        .filter(Notification.user_id == user_id, Notification.is_read.is_(False))
        .count()
    )


def test_reminder_on_dashboard_and_bell(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    too_wide = {}
    register(page, live_server, EMAIL)
    expect(page.locator("#notification-settings")).to_contain_text("Practice reminders")
    too_wide["profile"] = snap(page, "reminders-profile")

    open_menu(page, "#settings-menu").get_by_role("link", name="Reminders").click()
    expect(page).to_have_url(f"{live_server}/app/reminders/")
    expect(page.locator("table.model-list")).to_contain_text("No reminders yet.")
    page.locator(".nav-tabs").get_by_role("link", name="Add new").click()
    expect(page).to_have_url(re.compile(r"/app/reminders/new/"))

    weekdays = page.locator(".form-group", has=page.locator("#weekdays"))
    every = page.locator(".form-group", has=page.locator("#interval_days"))
    start = page.locator(".form-group", has=page.locator("#start_date"))
    expect(weekdays).to_be_hidden()
    expect(every).to_be_hidden()
    page.fill("input[name=label]", LABEL)
    local_time = page.locator("input[name=local_time]")
    expect(local_time).to_have_attribute("type", "time")
    local_time.fill("07:30")
    page.select_option("#recurrence", "weekdays")
    expect(weekdays).to_be_visible()
    expect(every).to_be_hidden()
    page.check("#weekdays-0")
    page.check("#weekdays-2")
    too_wide["form"] = snap(page, "reminders-form")
    page.select_option("#recurrence", "interval")
    expect(weekdays).to_be_hidden()
    expect(every).to_be_visible()
    expect(start).to_be_visible()
    expect(page.locator("#start_date")).not_to_have_value("")
    page.select_option("#recurrence", "daily")
    expect(start).to_be_hidden()

    page.click("input[type=submit][value=Save]")
    expect(page).to_have_url(re.compile(r"/app/reminders/(\?.*)?$"))
    row = page.locator("table.model-list tbody tr", has_text=LABEL)
    expect(row).to_contain_text("Every day at 07:30")
    expect(row).to_contain_text(f"{expected_day()} 07:30")
    too_wide["list"] = snap(page, "reminders-list")

    user = db.session.query(User).filter_by(email=EMAIL).one()
    reminder = db.session.query(Reminder).filter_by(user_id=user.id).one()
    assert reminder.timezone == ZONE
    local = reminder.next_fire_at.astimezone(ZoneInfo(ZONE))
    assert (local.hour, local.minute) == (7, 30)

    page.locator("nav").get_by_role("link", name="Dashboard").click()
    upcoming = page.locator("#upcoming-reminders")
    expect(upcoming).to_contain_text(f"{expected_day()} 07:30 · {LABEL}")
    expect(page.locator("#notifications-badge")).to_be_hidden()

    NotificationFactory(user=user, message="Time to practise: Scales before work")
    NotificationFactory(
        user=user, kind="milestone", message="You logged your first session. Great start!"
    )
    db.session.commit()
    page.reload()
    badge = page.locator("#notifications-badge")
    expect(badge).to_have_text("2")
    expect(badge).to_be_visible()
    too_wide["dashboard"] = snap(page, "reminders-dashboard")

    page.click("#notifications-toggle")
    items = page.locator("#notifications-items .notification-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("You logged your first session")
    expect(items.first).to_contain_text(re.compile(r"Today \d\d:\d\d"))
    expect(page.locator("#notifications-items .notification-unread")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "reminders-bell-1280.png")
    expect(page.locator("#notifications-toggle")).to_have_attribute(
        "aria-label", "Notifications, 2 unread"
    )
    page.click("#notifications-read-all")
    expect(badge).to_be_hidden()
    expect(page.locator("#notifications-toggle")).to_have_attribute("aria-label", "Notifications")
    expect(page.locator("#notifications-items .notification-unread")).to_have_count(0)
    expect(items.nth(0)).to_have_attribute("data-read", "true")
    expect(items.nth(1)).to_have_attribute("data-read", "true")
    expect(page.locator("#notifications-dropdown")).to_be_visible()
    assert unread_in_db(user.id) == 0
    page.reload()
    expect(badge).to_be_hidden()

    # A new one on a phone: the count shows on the menu button; a click reads and opens it.
    NotificationFactory(
        user=user, message="Tomorrow is the target date of “Etude”.", link="/app/goal/"
    )
    db.session.commit()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": VIEWPORTS[PHONE_WIDTH]})
    page.reload()
    expect(page.locator(".navbar-toggler [data-unread-count]")).to_have_text("1")
    page.click(".navbar-toggler")
    expect(page.locator("#app-navbar")).to_have_class(re.compile(r"\bcollapse show\b"))
    page.click("#notifications-toggle")
    expect(items).to_have_count(3)
    page.screenshot(path=SCREENSHOTS / f"reminders-bell-{PHONE_WIDTH}.png", full_page=True)
    too_wide["bell menu"] = page.evaluate("document.documentElement.scrollWidth")
    items.first.click()
    expect(page).to_have_url(f"{live_server}/app/goal/")
    assert unread_in_db(user.id) == 0
    expect(page.locator(".navbar-toggler [data-unread-count]")).to_be_hidden()

    page.goto(f"{live_server}/app/notification/")
    expect(page.locator("table.model-list tbody tr")).to_have_count(3)
    too_wide["notifications"] = snap(page, "reminders-notifications")

    assert_clean(errors, third_party, too_wide)
