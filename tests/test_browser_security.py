"""In Chromium: Settings → Security lists this browser and signs out everywhere."""

from tests.browser import assert_clean
from tests.browser import browser_errors
from tests.browser import expect
from tests.browser import live_server_fixture  # noqa: F401
from tests.browser import offline
from tests.browser import page_fixture  # noqa: F401
from tests.browser import register
from tests.browser import snap


def test_security_page_signs_out_everywhere(live_server, page):
    errors = browser_errors(page)
    third_party = offline(page)
    register(page, live_server, "secure@example.com")
    page.goto(f"{live_server}/app/security/")
    expect(page.locator("#session-list li")).to_have_count(1)
    expect(page.locator("#session-list")).to_contain_text("This browser")
    expect(page.locator("#session-list")).to_contain_text("Chrome on Linux")
    too_wide = {"security": snap(page, "security")}
    page.click("#sign-out-everywhere")
    expect(page.get_by_text("You are signed out everywhere")).to_be_visible()
    page.goto(f"{live_server}/app/")
    expect(page).to_have_url(f"{live_server}/login?next=/app/")
    assert_clean(errors, third_party, too_wide)
