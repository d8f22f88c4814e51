"""End to end in Chromium: a new musician registers, sets up, logs a session, exports, logs out."""

import re
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.browser import ZONE
from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import confirm_address
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import open_menu
from tests.browser import page_fixture  # noqa: F401
from tests.browser import snap
from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.models import PracticeSession

EMAIL = "clara@example.com"
NOTES = "Bar 12-16 shifting: slow it down next time."
DURATION_ERROR = "A session lasts between 1 minute and 24 hours."


def test_new_musician_journey(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    too_wide = {}

    page.goto(f"{live_server}/")
    expect(page).to_have_title(re.compile("Practice Tracker"))
    snap(page, "landing")
    page.locator("main").get_by_role("link", name=re.compile("^Register")).click()

    expect(page).to_have_url(f"{live_server}/register")
    snap(page, "register")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    snap(page, "register-check-inbox")
    confirm_address(page, live_server, EMAIL)
    expect(page.locator(".alert-info")).to_contain_text("Welcome!")
    page.fill("#instruments", "Piano, Violin")
    page.select_option("#timezone", ZONE)
    too_wide["profile"] = snap(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.locator("#instruments")).to_have_value("Piano, Violin")
    expect(page.locator("#timezone")).to_have_value(ZONE)

    page.locator("nav").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(f"{live_server}/app/")
    expect(page.locator("#empty-state")).to_be_visible()
    expect(page.locator("#minutes-today")).to_have_text("0 min")
    page.click("#log-session")

    expect(page).to_have_url(re.compile(r"/app/practice_session/new/"))
    started_at = page.locator("input[name=started_at]")
    expect(started_at).to_have_attribute("type", "datetime-local")
    prefilled = started_at.input_value()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", prefilled), prefilled
    berlin_now = datetime.now(ZoneInfo(ZONE)).replace(tzinfo=None)
    assert abs(datetime.fromisoformat(prefilled) - berlin_now) < timedelta(minutes=5), prefilled
    hours = page.locator("input[name=duration_minutes-hours]")
    hours.fill("25")
    page.fill("input[name=duration_minutes-minutes]", "15")
    page.click("#s2id_instrument a.select2-choice")
    page.locator(".select2-drop-active .select2-result-label", has_text="Violin").click()
    expect(page.locator("#s2id_instrument")).to_contain_text("Violin")
    page.fill("input[name=new_focus_areas]", "Scales, Bach partita")
    page.fill("textarea[name=notes]", NOTES)
    page.select_option("select[name=mood_rating]", "4")
    page.select_option("select[name=quality_rating]", "3")
    page.click("input[type=submit][value=Save]")
    assert hours.evaluate("el => el.validity.rangeOverflow"), "the browser let 25 h through"
    expect(page).to_have_url(re.compile(r"/app/practice_session/new/"))
    hours.fill("24")
    page.click("input[type=submit][value=Save]")

    duration_group = page.locator(".form-group", has=page.locator("#duration_minutes"))
    expect(duration_group.get_by_text(DURATION_ERROR)).to_be_visible()
    assert db.session.query(PracticeSession).count() == 0
    db.session.rollback()
    expect(page.locator("textarea[name=notes]")).to_have_value(NOTES)
    expect(page.locator("input[name=new_focus_areas]")).to_have_value("Scales, Bach partita")
    expect(page.locator("#s2id_instrument")).to_contain_text("Violin")
    expect(page.locator("select[name=mood_rating]")).to_have_value("4")
    snap(page, "create-form")
    hours.fill("1")
    page.click("input[type=submit][value=Save]")

    expect(page).to_have_url(f"{live_server}/app/")
    recent = page.locator("#recent-sessions")
    expect(recent).to_contain_text("1 h 15 min · Violin")
    expect(recent).to_contain_text(NOTES)
    expect(recent.locator(".badge", has_text="Scales")).to_be_visible()
    expect(recent.locator(".badge", has_text="Bach partita")).to_be_visible()
    expect(page.locator("#empty-state")).to_have_count(0)
    berlin_today = datetime.now(ZoneInfo(ZONE)).date()
    session_day = datetime.fromisoformat(prefilled).date()
    if session_day == berlin_today:
        expect(page.locator("#minutes-today")).to_have_text("1 h 15 min")
    if session_day.isocalendar()[:2] == berlin_today.isocalendar()[:2]:
        expect(page.locator("#minutes-week")).to_have_text("1 h 15 min")
    too_wide["dashboard"] = snap(page, "dashboard")

    page.get_by_role("link", name="Whole practice log").click()
    expect(page).to_have_url(f"{live_server}/app/practice_session/")
    rows = page.locator("table.model-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(re.compile(r"1 h 15 min|\b75\b"))
    expect(rows).to_contain_text(NOTES)
    expect(rows).to_contain_text("Violin")
    expect(rows.locator(".badge", has_text="Scales")).to_be_visible()
    expect(rows.locator(".badge", has_text="Bach partita")).to_be_visible()
    snap(page, "practice-log")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export").click()
    download = download_info.value
    assert download.url.startswith(f"{live_server}/app/practice_session/export/csv/")
    csv_text = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *lines = csv_text.splitlines()
    assert "When" in header and "Notes" in header, header
    assert len(lines) == 1 and NOTES in lines[0], csv_text

    open_menu(page, "#settings-menu").locator("#logout-button").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("main").get_by_role("link", name=re.compile("^Register"))).to_be_visible()
    page.goto(f"{live_server}/app/")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    assert_clean(errors, third_party, too_wide)
