"""End to end in Chromium: a new musician registers, sets up, logs a session, exports, logs out."""

import os
import re
import sys
import threading
import warnings
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tracker.extensions import db
from tracker.models import PracticeSession

try:
    from playwright.sync_api import expect
    from playwright.sync_api import sync_playwright
except ImportError:
    expect = sync_playwright = None

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {1280: 800, 375: 812}
ZONE = "Europe/Berlin"
EMAIL = "clara@example.com"
NOTES = "Bar 12-16 shifting: slow it down next time."
DURATION_ERROR = "A session lasts between 1 minute and 24 hours."


def _no_browser(reason):
    """Fail when REQUIRE_BROWSER=1, otherwise skip loudly."""
    message = f"BROWSER TEST NOT RUN: {reason}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (REQUIRE_BROWSER=1 demands a browser)", pytrace=False)
    print(message, file=sys.stderr)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


@pytest.fixture
def live_server(csrf_app):
    """Serve the CSRF-protected app on a free local port and yield its base URL."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def page():
    """A Chromium page, 1280 px wide, whose clock is in Berlin."""
    if sync_playwright is None:
        _no_browser("Python Playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        _no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": VIEWPORTS[1280]},
            timezone_id=ZONE,
            locale="en-GB",
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def _browser_errors(page):
    """Collect console errors and uncaught exceptions, ignoring a missing favicon."""
    errors = []

    def on_console(msg):
        if msg.type == "error" and "favicon" not in (msg.location or {}).get("url", ""):
            errors.append(f"console: {msg.text} ({(msg.location or {}).get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def _offline(page):
    """Answer requests to other hosts with an empty 200 and return the URLs they asked for."""
    urls = []

    def fulfil(route):
        urls.append(route.request.url)
        css = route.request.resource_type == "stylesheet"
        route.fulfill(status=200, body="", content_type="text/css" if css else "text/plain")

    page.route(lambda url: not url.startswith("http://127.0.0.1:"), fulfil)
    return urls


def _snap(page, name):
    """Full-page screenshots at every width; return the document's scrollWidth at 375 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    scroll_widths = {}
    for width, height in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll_widths[width] = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": VIEWPORTS[1280]})
    return scroll_widths[375]


def test_new_musician_journey(live_server, page):
    errors = _browser_errors(page)
    third_party = _offline(page)
    too_wide = {}

    page.goto(f"{live_server}/")
    expect(page).to_have_title(re.compile("Practice Tracker"))
    _snap(page, "landing")
    page.locator("main").get_by_role("link", name=re.compile("^Register")).click()

    expect(page).to_have_url(f"{live_server}/register")
    _snap(page, "register")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()

    expect(page).to_have_url(f"{live_server}/app/settings/?welcome=1")
    expect(page.locator(".alert-info")).to_contain_text("Welcome!")
    page.fill("#instruments", "Piano, Violin")
    page.select_option("#timezone", ZONE)
    too_wide["profile"] = _snap(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.locator("#instruments")).to_have_value("Piano, Violin")
    expect(page.locator("#timezone")).to_have_value(ZONE)

    page.locator("nav").get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(f"{live_server}/app/")
    expect(page.locator("#empty-state")).to_be_visible()
    expect(page.locator("#minutes-today")).to_have_text("0")
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
    _snap(page, "create-form")
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
        expect(page.locator("#minutes-today")).to_have_text("75")
    if session_day.isocalendar()[:2] == berlin_today.isocalendar()[:2]:
        expect(page.locator("#minutes-week")).to_have_text("75")
    too_wide["dashboard"] = _snap(page, "dashboard")

    page.get_by_role("link", name="Whole practice log").click()
    expect(page).to_have_url(f"{live_server}/app/practice_session/")
    rows = page.locator("table.model-list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(re.compile(r"1 h 15 min|\b75\b"))
    expect(rows).to_contain_text(NOTES)
    expect(rows).to_contain_text("Violin")
    expect(rows.locator(".badge", has_text="Scales")).to_be_visible()
    expect(rows.locator(".badge", has_text="Bach partita")).to_be_visible()
    _snap(page, "practice-log")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export").click()
    download = download_info.value
    assert download.url.startswith(f"{live_server}/app/practice_session/export/csv/")
    csv_text = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *lines = csv_text.splitlines()
    assert "When" in header and "Notes" in header, header
    assert len(lines) == 1 and NOTES in lines[0], csv_text

    page.click("#settings-menu")
    page.click("#logout-button")
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("main").get_by_role("link", name=re.compile("^Register"))).to_be_visible()
    page.goto(f"{live_server}/app/")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    if third_party:
        raise AssertionError(f"the app asks other hosts for: {sorted(set(third_party))}")
    assert not errors, errors
    too_wide = {name: width for name, width in too_wide.items() if width > 375 + 1}
    assert not too_wide, f"pages wider than a 375 px screen (scrollWidth): {too_wide}"
