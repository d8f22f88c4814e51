"""Shared pieces of the Chromium tests: live server, page, guards, screenshots, registration.

Test modules import the fixtures by their function names (`live_server_fixture`,
`page_fixture`) and ask for them as `live_server` and `page`.
"""

import os
import sys
import threading
import warnings
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from tests.conftest import confirmation_path
from tracker.extensions import db
from tracker.models import PracticeSession
from tracker.models import User

try:
    from playwright.sync_api import expect
    from playwright.sync_api import sync_playwright

    # Same patience as the page's own default: two test workers share the cores with Chromium.
    expect.set_options(timeout=10_000)
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
PHONE_WIDTH = 375
ZONE = "Europe/Berlin"


def no_browser(reason):
    """Fail when REQUIRE_BROWSER=1, otherwise skip loudly."""
    message = f"BROWSER TEST NOT RUN: {reason}"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{message} (REQUIRE_BROWSER=1 demands a browser)", pytrace=False)
    print(message, file=sys.stderr)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


@pytest.fixture(name="live_server")
def live_server_fixture(csrf_app):
    """Serve the CSRF-protected app on a free local port and yield its base URL."""
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(name="page")
def page_fixture():
    """A Chromium page, 1280 px wide, whose clock is in Berlin."""
    if sync_playwright is None:
        no_browser("Python Playwright is not installed")
    if not os.access(CHROMIUM, os.X_OK):
        no_browser(f"{CHROMIUM} is missing (apt-get install chromium)")
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


def browser_errors(page):
    """Collect console errors and uncaught exceptions, ignoring a missing favicon."""
    errors = []

    def on_console(msg):
        if msg.type == "error" and "favicon" not in (msg.location or {}).get("url", ""):
            errors.append(f"console: {msg.text} ({(msg.location or {}).get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    return errors


def offline(page):
    """Answer requests to other hosts with an empty 200 and return the URLs they asked for."""
    urls = []

    def fulfil(route):
        urls.append(route.request.url)
        css = route.request.resource_type == "stylesheet"
        route.fulfill(status=200, body="", content_type="text/css" if css else "text/plain")

    page.route(lambda url: not url.startswith("http://127.0.0.1:"), fulfil)
    return urls


def snap(page, name):
    """Full-page screenshots at every width; return the document's scrollWidth at 375 px."""
    SCREENSHOTS.mkdir(exist_ok=True)
    scroll_widths = {}
    for width, height in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll_widths[width] = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": VIEWPORTS[1280]})
    return scroll_widths[PHONE_WIDTH]


def too_wide_pages(scroll_widths):
    """The pages (name -> scrollWidth) wider than a 375 px screen, allowing 1 px of rounding."""
    return {name: width for name, width in scroll_widths.items() if width > PHONE_WIDTH + 1}


def assert_clean(errors, third_party, scroll_widths):
    """Fail on requests to other hosts, console errors, or pages wider than a phone."""
    if third_party:
        raise AssertionError(f"the app asks other hosts for: {sorted(set(third_party))}")
    assert not errors, errors
    too_wide = too_wide_pages(scroll_widths)
    assert not too_wide, f"pages wider than a 375 px screen (scrollWidth): {too_wide}"


def latest_session(user):
    """The user's most recently logged session, read afresh from the database."""
    db.session.expire_all()
    return (
        db.session.query(PracticeSession)
        .filter_by(user_id=user.id)
        .order_by(PracticeSession.id.desc())
        .first()
    )


def open_menu(page, toggle):
    """Open the navbar dropdown whose toggle matches the selector toggle; return its menu.

    A click that lands while the page is still settling from a download or a script
    load can leave the menu shut, so the click is repeated until the menu shows."""
    menu = page.locator(f"[aria-labelledby={toggle.lstrip('#')}]")
    for _ in range(3):
        page.click(toggle)
        try:
            expect(menu).to_be_visible(timeout=2_000)
            return menu
        except AssertionError:
            continue
    expect(menu).to_be_visible()
    return menu


def register(page, base, email):
    """Create an account through the register form, open the e-mailed link, land on the
    welcome profile page, and return the new user's row (in the browser's zone, which the
    form sends along)."""
    page.goto(f"{base}/register")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    return confirm_address(page, base, email)


def confirm_address(page, base, email):
    """Open the link of the confirmation e-mail for email, as its owner would; the user row."""
    expect(page.locator(".alert-success")).to_contain_text("finish signing up")
    db.session.expire_all()
    user = db.session.query(User).filter_by(email=email).one()
    page.goto(base + confirmation_path(user))
    expect(page).to_have_url(f"{base}/app/settings/?welcome=1")
    user = db.session.query(User).filter_by(email=email).one()
    assert user.timezone == ZONE, user.timezone
    return user
